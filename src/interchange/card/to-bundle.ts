import { AGENT_LIMITS } from '../../domain/agent/agent';
import type { Bundle } from '../../domain/bundle';
import { PERSONALITY_LIMITS } from '../../domain/personality/personality';
import { ROLE_LIMITS } from '../../domain/role/role';
import { textProblem } from '../../domain/validation/text-hygiene';
import { bundleOfAgents, type MadeRecord } from '../agents-bundle';
import type { KeptExtensions } from '../kept-extensions';
import type { MappedRecord, MappingReport } from '../mapping-report';
import { AGENTCFG_EXTENSION, AGENTCFG_PATH, readAgentcfgFields, type AgentcfgFields } from './agentcfg-fields';
import { V2_DATA_KEYS, V3_DATA_KEYS, parseCard, type Card } from './card';
import { DEFAULT_AGENT_COLOUR, DEFAULT_CHARACTER_NAME, DEFAULT_MODEL_CONFIG, DEFAULT_SYSTEM_PROMPT, NAME_LIMIT, recordIdOf, recordNameOf } from './card-defaults';
import { cardError } from './card-error';
import { cardToObject } from './card-json';
import { CARD_EXTENSION, homeOf, isSpecDefault, type CardRecordKind } from './kept-card';
import { keptCardFields } from './kept-card-fields';
import { withNewlineEndings } from './line-endings';
import { PROMPT_PARTS, joinPromptParts } from './prompt-parts';

/** The card's fields that go into the records' own fields; every other is kept in extensions. */
const MAPPED_FIELDS: readonly string[] = ['name', ...PROMPT_PARTS, 'personality', 'creator_notes'];

const CARRIAGE_RETURNS_DROPPED = 'its carriage returns (\\r) were dropped: agentcfg stores newline (\\n) line endings only';

/** One record being made: its body, its part of the report, and its extensions as they fill. */
interface Draft {
  body: Record<string, unknown>;
  report: MappedRecord;
  kept: KeptExtensions;
}

type Drafts = Record<CardRecordKind, Draft>;

function draft(kind: CardRecordKind, id: string): Draft {
  const report: MappedRecord = { kind, id, mapped: [{ from: 'data.name', to: 'id' }], kept: [], dropped: [], defaulted: [] };
  return { body: { id }, report, kept: keptCardFields(report) };
}

/** The record a draft makes once every field is in: its body with the extensions it kept. */
function made({ body, report, kept }: Draft): MadeRecord {
  const extensions = kept.extensions();
  return { body: extensions === undefined ? body : { ...body, extensions }, report };
}

/**
 * Refuses a card whose text for the records' own fields holds a control character or a credential, naming the
 * field and never the value: leaving such text out would change the character, so the card must be fixed first.
 * Not assertSafeSource: only these fields refuse a card; any other is dropped on its own (see keptCardFields).
 */
function refuseUnsafeText(card: Card, source: string): void {
  const data = card.data as Record<string, unknown>;
  const details = MAPPED_FIELDS.flatMap((field) => {
    const problem = textProblem(String(data[field]));
    return problem === null ? [] : [{ path: `data.${field}`, message: problem }];
  });
  if (details.length > 0) throw cardError(source, 'character card cannot be imported', details);
}

/** Sets what the card's agentcfg fields give for one record, so the card's own fields fill only the rest. */
function restoreFields(kind: CardRecordKind, fields: AgentcfgFields | undefined, record: Draft): void {
  for (const [key, value] of Object.entries(fields?.[kind] ?? {})) {
    if (key === 'extensions') continue;
    record.body[key] = value;
    record.report.mapped.push({ from: [...AGENTCFG_PATH, kind, key].join('.'), to: key });
  }
}

/** Keeps the record's own extensions from the card's agentcfg fields; `extensions.card` is this import's to fill. */
function restoreExtensions(kind: CardRecordKind, fields: AgentcfgFields | undefined, record: Draft): void {
  for (const [name, value] of Object.entries(fields?.[kind]?.extensions ?? {})) {
    const field = [...AGENTCFG_PATH, kind, 'extensions', name];
    if (name === CARD_EXTENSION) record.report.dropped.push({ field: field.join('.'), why: `'${CARD_EXTENSION}' holds what a record keeps of its card, and the card's own fields give that` });
    else record.kept.keep(field, [name], value, { mappedTo: `extensions.${name}` });
  }
}

/** The records' names: the card's, cut to fit, or the default for a blank one (the full name is kept by the agent). */
function mapName(card: Card, records: Drafts): void {
  const name = recordNameOf(card.data.name);
  const defaulted = name === DEFAULT_CHARACTER_NAME && card.data.name !== DEFAULT_CHARACTER_NAME;
  for (const record of Object.values(records)) {
    if (record.body.name !== undefined) continue;
    record.body.name = name;
    if (defaulted) record.report.defaulted.push({ field: 'name', value: name, why: "the card's name is blank" });
    else record.report.mapped.push({ from: 'data.name', to: 'name' });
  }
  if (name === card.data.name) return;
  const because = defaulted ? "is blank, and a record's name may not be" : `is longer than a record's name may be (${NAME_LIMIT} characters)`;
  records.agent.kept.keep(['data', 'name'], [CARD_EXTENSION, 'data', 'name'], card.data.name, { because });
}

/** Maps `value` to the record's `to` when it fits in `limit` characters, else keeps it; an empty value is no value. */
function mapText(record: Draft, cardField: string, value: string, to: string, limit: number): void {
  if (value === '') return;
  if (value.length <= limit) {
    record.body[to] = value;
    record.report.mapped.push({ from: `data.${cardField}`, to });
    return;
  }
  record.kept.keep(['data', cardField], [CARD_EXTENSION, 'data', cardField], value, { because: `is longer than ${to} may be (${limit} characters)` });
}

/** The role's systemPrompt: the card's system_prompt, description and scenario, each that fits, in that order. */
function mapSystemPrompt(card: Card, role: Draft): void {
  const limit = ROLE_LIMITS.systemPrompt;
  const values = { system_prompt: card.data.system_prompt, description: card.data.description, scenario: card.data.scenario };
  const { text, lengths, leftOut } = joinPromptParts(values, limit);
  const included = PROMPT_PARTS.filter((part) => lengths[part] !== undefined);
  if (/\S/.test(text)) {
    role.body.systemPrompt = text;
    for (const part of included) role.report.mapped.push({ from: `data.${part}`, to: 'systemPrompt' });
    // A prompt that is the card's system_prompt alone needs no lengths to give it back.
    if (included.join() !== 'system_prompt') role.kept.note([CARD_EXTENSION, 'promptParts'], lengths);
  } else {
    role.body.systemPrompt = DEFAULT_SYSTEM_PROMPT;
    role.report.defaulted.push({ field: 'systemPrompt', value: DEFAULT_SYSTEM_PROMPT, why: 'the card gives no system prompt, description or scenario to make it of' });
    role.kept.note([CARD_EXTENSION, 'promptParts'], {});
    for (const part of included) role.kept.keep(['data', part], [CARD_EXTENSION, 'data', part], values[part]);
  }
  for (const part of leftOut) {
    const because = `does not fit in the role's systemPrompt (${limit} characters) with the parts before it`;
    role.kept.keep(['data', part], [CARD_EXTENSION, 'data', part], values[part], { because });
  }
}

/** The agent's colour and model: the card's agentcfg fields', else the defaults, which the report lists. */
function defaultAgentFields(agent: Draft): void {
  if (agent.body.color === undefined) {
    agent.body.color = DEFAULT_AGENT_COLOUR;
    agent.report.defaulted.push({ field: 'color', value: DEFAULT_AGENT_COLOUR, why: 'character cards have no colour' });
  }
  if (agent.body.modelConfig === undefined) {
    agent.body.modelConfig = structuredClone(DEFAULT_MODEL_CONFIG);
    agent.report.defaulted.push({ field: 'modelConfig', value: DEFAULT_MODEL_CONFIG, why: 'character cards name no model' });
  }
}

/** Keeps every card field no record field took, each with the record it belongs with, in the card's order. */
function keepTheRest(card: Card, fields: AgentcfgFields | undefined, records: Drafts): void {
  const data = card.data as Record<string, unknown>;
  for (const key of card.version === 3 ? V3_DATA_KEYS : V2_DATA_KEYS) {
    const value = data[key];
    if (MAPPED_FIELDS.includes(key) || key === 'extensions' || value === undefined || isSpecDefault(key, value)) continue;
    records[homeOf(`data.${key}`)].kept.keep(['data', key], [CARD_EXTENSION, 'data', key], value);
  }
  const { agent } = records;
  for (const [key, value] of Object.entries(card.data.extensions)) {
    if (key !== AGENTCFG_EXTENSION) agent.kept.keep(['data', 'extensions', key], [CARD_EXTENSION, 'data', 'extensions', key], value);
  }
  for (const [key, value] of Object.entries(card.unknownData)) agent.kept.keep(['data', key], [CARD_EXTENSION, 'data', key], value);
  for (const [key, value] of Object.entries(card.unknownRoot)) agent.kept.keep([key], [CARD_EXTENSION, 'root', key], value);
  if (card.spec_version !== `${card.version}.0`) agent.kept.keep(['spec_version'], [CARD_EXTENSION, 'spec'], { spec: card.spec, spec_version: card.spec_version });
  if (fields?.connection) agent.kept.keep([...AGENTCFG_PATH, 'connection'], [CARD_EXTENSION, 'connection'], fields.connection);
}

/**
 * What a Character Card (V2 or V3) becomes in agentcfg: a personality, a role and an agent using both, all with an
 * id made from the card's name, as a bundle the import workflow creates all or nothing; and the report of what
 * mapped where. The card's personality text is the personality's customInstructions; its system prompt,
 * description and scenario make the role's systemPrompt; its creator notes, the agent's description. No trait is
 * invented: the personality has those the card's `data.extensions.agentcfg` gives (an agentcfg export's), or none.
 * Every other field is kept in the extensions of the record it belongs with, or dropped with the reason (a
 * credential, a control character, the 16 KiB cap); text for the records' own fields that is unsafe to store
 * refuses the card (VALIDATION_ERROR naming the field). See docs/formats/card.md.
 */
export function cardToBundle(card: Card, source: string): { bundle: Bundle; report: MappingReport } {
  const { card: checked, rewritten } = withNewlineEndings(parseCard(cardToObject(card), source));
  refuseUnsafeText(checked, source);
  const fields = readAgentcfgFields(checked, source);
  const id = recordIdOf(checked.data.name);
  const records: Drafts = { personality: draft('personality', id), role: draft('role', id), agent: draft('agent', id) };
  for (const path of rewritten) records[homeOf(path)].report.dropped.push({ field: path, why: CARRIAGE_RETURNS_DROPPED });
  for (const kind of ['personality', 'role', 'agent'] as const) restoreFields(kind, fields, records[kind]);

  mapName(checked, records);
  mapText(records.personality, 'personality', checked.data.personality, 'customInstructions', PERSONALITY_LIMITS.customInstructions);
  mapSystemPrompt(checked, records.role);
  records.role.body.description ??= '';
  records.role.body.focusAreas ??= [];
  mapText(records.agent, 'creator_notes', checked.data.creator_notes, 'description', AGENT_LIMITS.description);
  Object.assign(records.agent.body, { personalityId: id, roleId: id });
  defaultAgentFields(records.agent);

  for (const kind of ['personality', 'role', 'agent'] as const) restoreExtensions(kind, fields, records[kind]);
  keepTheRest(checked, fields, records);

  return bundleOfAgents('card', source, [{ personality: made(records.personality), role: made(records.role), agent: made(records.agent) }]);
}
