import type { Bundle } from '../domain/bundle';
import { ValidationError } from '../domain/errors/errors';
import { KINDS, RECORD_KINDS, type RecordKind } from '../domain/kinds/registry';
import { parseCard } from './card/card';
import { bundleToCards } from './card/from-bundle';
import { writeCardPng } from './card/png-card';
import { bundleToCrewAi } from './crewai/from-bundle';
import { bundleToFishbowl } from './fishbowl/from-bundle';

/** The formats an export can write. */
export const EXPORT_FORMATS = ['bundle', 'fishbowl', 'card', 'crewai'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How an export is made: which records (by id, of any kind; an agent brings what it uses), and cards as PNG. */
export interface ExportOptions {
  ids?: readonly string[];
  /** Cards as PNG files carrying the card: over this image, or over a blank one when `true`. */
  png?: Buffer | true;
  /** The time the files say they were written (Fishbowl's lastUpdated, a bundle's exportedAt). */
  now?: string;
}

/** One file an export writes: its name (a folder's member, or the one file) and its content. */
export interface ExportFile {
  name: string;
  content: string | Buffer;
}

/** What an export is: one file, or several that belong in one folder (Fishbowl's settings, a card per agent). */
export interface ExportOutput {
  format: ExportFormat;
  files: ExportFile[];
  /** The files only make sense together in a folder. */
  folder: boolean;
}

type Body = { id?: unknown } & Record<string, unknown>;

/**
 * The records with the given ids (of any kind) and what the agents among them use, so the export stands on its own;
 * an id that names no record is a VALIDATION_ERROR naming it.
 */
export function selectRecords(bundle: Bundle, ids: readonly string[] | undefined): Bundle {
  if (ids === undefined) return bundle;
  const wanted = new Set(ids);
  const found = new Set<string>();
  const chosen = new Map<RecordKind, Body[]>();
  for (const kind of RECORD_KINDS) chosen.set(kind, (bundle[KINDS[kind].plural] as Body[]).filter((r) => wanted.has(String(r.id))));
  for (const kind of RECORD_KINDS) for (const r of chosen.get(kind) ?? []) found.add(String(r.id));
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length > 0) {
    const message = `no record has the id ${missing.map((id) => `'${id}'`).join(', ')}`;
    throw new ValidationError(message, [{ path: '--ids', message }], { context: { operation: 'export' } });
  }
  // What a chosen record refers to comes with it (an agent's personality, role and connection).
  for (const kind of RECORD_KINDS) {
    for (const record of chosen.get(kind) ?? []) {
      for (const { field, to } of KINDS[kind].references) {
        const target = record[field];
        const list = chosen.get(to as RecordKind) ?? [];
        const referenced = (bundle[KINDS[to as RecordKind].plural] as Body[]).find((r) => r.id === target);
        if (referenced && !list.includes(referenced)) list.push(referenced);
        chosen.set(to as RecordKind, list);
      }
    }
  }
  return { ...bundle, ...Object.fromEntries(RECORD_KINDS.map((kind) => [KINDS[kind].plural, chosen.get(kind) ?? []])) };
}

/** Writes a bundle's records in another tool's format (or as a bundle). */
export function writeExport(format: ExportFormat, bundle: Bundle, options: ExportOptions = {}): ExportOutput {
  const records = selectRecords(bundle, options.ids);
  switch (format) {
    case 'bundle':
      return { format, folder: false, files: [{ name: 'bundle.json', content: `${JSON.stringify(records, null, 2)}\n` }] };
    case 'crewai':
      return { format, folder: false, files: [{ name: 'agents.yaml', content: bundleToCrewAi(records) }] };
    case 'fishbowl': {
      const files = bundleToFishbowl(records, options.now === undefined ? {} : { now: options.now });
      return { format, folder: true, files: Object.entries(files).map(([name, value]) => ({ name, content: `${JSON.stringify(value, null, 2)}\n` })) };
    }
    case 'card': {
      const cards = bundleToCards(records);
      if (cards.length === 0) throw new ValidationError('no agent to write a card for', [{ path: '--ids', message: 'a card is made of an agent: choose at least one' }], { context: { operation: 'export' } });
      const files = cards.map(({ agentId, card }) =>
        options.png === undefined
          ? { name: `${agentId}.json`, content: `${JSON.stringify(card, null, 2)}\n` }
          : { name: `${agentId}.png`, content: writeCardPng(parseCard(card, agentId), options.png === true ? undefined : options.png) },
      );
      return { format, folder: files.length > 1, files };
    }
  }
}
