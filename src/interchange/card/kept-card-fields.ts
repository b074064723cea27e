import { MAX_EXTENSIONS_BYTES } from '../../domain/record';
import { KeptExtensions, type DropWording } from '../kept-extensions';
import type { MappedRecord } from '../mapping-report';
import { unsafeFieldProblem } from '../source-guard';

// A card's report gives the field's own depth and size, and the cap in KiB as docs/formats/card.md does.
const CARD_WORDING: DropWording = {
  tooDeep: (levels, allowed) => `nests ${levels} levels deep; a record's extensions hold at most ${allowed} here`,
  tooLarge: (bytes, kind) => `is ${bytes} bytes as JSON; with what the ${kind} keeps already it would take its extensions past the ${MAX_EXTENSIONS_BYTES}-byte (16 KiB) cap`,
};

/**
 * The extensions of one record made from a card, filled one card field at a time. A card's other fields come from
 * any app, so each is checked as a stored value is: one holding a credential (by its name or its look) or a control
 * character is dropped with its path, never its value, and the character still imports (CrewAI and Letta agents
 * are refused whole instead: see assertSafeSource).
 */
export function keptCardFields(report: MappedRecord): KeptExtensions {
  return new KeptExtensions(report, { screen: unsafeFieldProblem, wording: CARD_WORDING });
}
