import type { CrashCampaignResult } from './crash-campaign';
import type { WorkerEvent } from './crash-worker';

/** A record as the campaign knows it: its version and digest. */
export interface Seen {
  version: number;
  digest: string | null;
}

/** Records by "kind:id". */
export type RecordStates = Map<string, Seen>;

/** The operation a kill interrupted: what it may have changed. */
export interface InFlight {
  name: string;
  targets: string[];
}

/** What the comparison of the records with the acknowledged history found. */
export interface AckComparison {
  lost: string[];
  unexplained: string[];
  /** The in-flight operation changed some of its records and not others. */
  torn?: string;
}

const describe = (seen: Seen | undefined) => (seen ? `version ${seen.version} (${(seen.digest ?? '').slice(0, 12)})` : 'absent');
const same = (a: Seen | undefined, b: Seen | undefined) => a?.version === b?.version && a?.digest === b?.digest;

/**
 * Compares the records after recovery with what the worker acknowledged. Outside the in-flight operation every
 * record must be exactly as last acknowledged: an acknowledged record that is missing or older is a lost write,
 * any other difference is a change nobody acknowledged (a refused operation that left something behind). The
 * in-flight operation may have happened or not, but as a whole: all of its records changed, or none.
 */
export function compareWithAcks(known: RecordStates, actual: RecordStates, inFlight: InFlight | undefined): AckComparison {
  const flying = new Set(inFlight?.targets ?? []);
  const lost: string[] = [];
  const unexplained: string[] = [];
  for (const key of new Set([...known.keys(), ...actual.keys()])) {
    const expected = known.get(key);
    const now = actual.get(key);
    if (same(expected, now)) continue;
    if (flying.has(key)) {
      if (expected && now && now.version <= expected.version) lost.push(`${key}: acknowledged at ${describe(expected)}, found ${describe(now)}`);
      continue;
    }
    const older = expected && (!now || now.version <= expected.version);
    (older ? lost : unexplained).push(`${key}: acknowledged ${describe(expected)}, found ${describe(now)}`);
  }
  const changed = [...flying].filter((key) => !same(known.get(key), actual.get(key)));
  const torn = changed.length > 0 && changed.length < flying.size ? `${inFlight?.name} was cut in half: it changed ${changed.join(', ')} but not ${[...flying].filter((k) => !changed.includes(k)).join(', ')}` : undefined;
  return { lost, unexplained, ...(torn ? { torn } : {}) };
}

/** Applies what a killed worker printed to the acknowledged states; returns the operation the kill interrupted. */
export function applyEvents(events: readonly WorkerEvent[], known: RecordStates, result: CrashCampaignResult, worker: string): InFlight | undefined {
  let inFlight: InFlight | undefined;
  for (const event of events) {
    if (event.type === 'BEGIN') {
      inFlight = { name: `operation ${event.op} (${event.name}) of worker ${worker}`, targets: event.targets };
      continue;
    }
    inFlight = undefined;
    if (event.type === 'NACK') {
      result.refusedOperations++;
      continue;
    }
    result.ackedOperations++;
    for (const write of event.writes) {
      result.ackedWrites++;
      const key = `${write.kind}:${write.id}`;
      if ('deleted' in write) known.delete(key);
      else known.set(key, { version: write.version, digest: write.digest });
    }
  }
  return inFlight;
}

