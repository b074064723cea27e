import type { ContenderSummary, SizeSummary } from './summary';

/** MET or MISSED on this run's measurements; NOT MEASURED when the run left out what the goal needs. */
export type Verdict = 'MET' | 'MISSED' | 'NOT MEASURED';

/** One goal and how this run did against it. */
export interface GoalResult {
  /** Its number: 1-7 the file store's ([I]), 8-9 PostgreSQL's ([J]), then the ones kept from [F]. */
  id: number;
  goal: string;
  verdict: Verdict;
  /** The figures behind the verdict; for a miss, by how much (the figure over its limit). */
  detail: string;
}

/** What the run did, as the goals' texts say it. */
export interface GoalSettings {
  /** Workflows started at once in the concurrent workload. */
  concurrency: number;
  /** Processes of the processes workload, and the workflows they split (run first by one process alone). */
  processes: number;
  processWorkflows: number;
}

// The goals are fixed by the issues: a miss is reported, never answered by moving the bar.
// [I] The file store as fast as an embedded database.
/** 1: the create-agent workflow's p50 at most this times SQLite's 3-row transaction, at every size... */
const WORKFLOW_VS_SQLITE = 3;
/** ...and flat: at 10,000 records at most this times its p50 at 100. */
const FLAT_FACTOR = 1.5;
/** 3: 32 workflows at once in one process reach at least this times SQLite's throughput. */
const CONCURRENT_VS_SQLITE = 0.5;
/** 4: N processes at once on one folder reach at least this times one process's throughput. */
const FOLDER_SCALE_OUT = 1;
/** 5: per workflow, through the file-system port, at 100 records. */
const SYNCS_ALONE = 1;
const SYNCS_CONCURRENT = 0.25;
const CALLS_PER_WORKFLOW = 20;
const CPU_MS_PER_WORKFLOW = 1;
/** 6: cold open of 10,000 records at most this times SQLite's read-all; peak RSS at most this times lowdb's. */
const OPEN_VS_SQLITE = 2;
const RSS_VS_LOWDB = 1.2;
/** 7 ([F]): a fold of the change log (compaction) during the concurrent workflows adds at most this to their p99. */
const FOLD_P99_FACTOR = 2;
/** [J]: agentcfg on PostgreSQL's workflow p50 at most this times a hand-written pg transaction inserting the same rows. */
const POSTGRES_WORKFLOW_VS_PG = 2;
/** [J]: processes sharing one PostgreSQL database together reach at least this times one process's throughput. */
const SCALE_OUT_FACTOR = 2;
/** Kept from [F]. */
const P99_LIMIT_MS = 2000;
const SMALL = 100;
const LARGE = 10_000;
/** The sizes "at every size" means. */
const SIZES = [SMALL, 1_000, LARGE];

/** The figures the issue ([I]) quotes, printed beside the goals for scale. */
export const REFERENCE =
  "reference run quoted by [I] (quiet machine, p50 at 100 / 1,000 / 10,000 records, main before [I]): create-agent workflow: agentcfg 13 / 12 / 15 ms, " +
  "SQLite's 3-row transaction 0.34 / 0.34 / 0.40 ms, lowdb 1.0 / 3.1 / 34 ms; one update: agentcfg 3.2 / 2.1 / 3.3 ms, lowdb 0.53 / 2.9 / 33 ms; " +
  '32 concurrent workflows per second: agentcfg 70 / 74 / 67, SQLite 3,111 / 3,051 / 2,523, lowdb 2,559 / 542 / 56';

const ms = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(0)} ms` : 'none completed');
const n = (count: number) => count.toLocaleString('en-US');
const rate = (v: number) => (Number.isFinite(v) ? `${v.toFixed(v < 100 ? 1 : 0)}/s` : 'none');
const times = (r: number) => (Number.isFinite(r) ? `${r < 10 ? r.toFixed(2) : r.toFixed(0)}x` : '-');
const count = (v: number) => (Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : v < 10 ? v.toFixed(2) : v.toFixed(1)) : '-');
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** One checked part of a goal: whether it holds, and its figures. */
type Part = [ok: boolean, text: string];

/** A goal from its parts: MISSED if any part fails, NOT MEASURED if none was measured, else MET; `notes` say what was left out. */
function goalOf(id: number, goal: string, parts: readonly Part[], notes: readonly string[] = []): GoalResult {
  const verdict: Verdict = parts.length === 0 ? 'NOT MEASURED' : parts.every(([ok]) => ok) ? 'MET' : 'MISSED';
  return { id, goal, verdict, detail: [...parts.map(([, text]) => text), ...notes].join('; ') };
}

/** "not measured at ..." for the sizes of SIZES the run left out (or that lack what the goal needs). */
function unmeasuredAt(measured: readonly number[]): string[] {
  const left = SIZES.filter((size) => !measured.includes(size));
  return left.length ? [`not measured at ${left.map(n).join(', ')}`] : [];
}

/** A figure against its upper limit, with the ratio (how far over, for a miss). */
function atMost(value: number, limit: number, show: (v: number) => string): Part {
  return [value <= limit, `${show(value)} vs limit ${show(limit)} (${times(value / limit)} the limit)`];
}

/** Workflows that did not end up stored, for a stored x/y figure. */
function storedOf(completed: number, lost: number, started: number): Part {
  return [completed - lost === started && started > 0, `${completed - lost}/${started} stored`];
}

/** Judges the run against each goal: [I]'s 1-7 (agentcfg on a folder), [J]'s 8-9 (agentcfg on PostgreSQL), then [F]'s kept ones. */
export function judgeGoals(sizes: readonly SizeSummary[], settings: GoalSettings): GoalResult[] {
  const { concurrency, processes, processWorkflows } = settings;
  const at = (size: number) => sizes.find((s) => s.size === size);
  const small = at(SMALL);
  const large = at(LARGE);
  const everySize = (pick: (s: SizeSummary) => Part | undefined) => {
    const measured = sizes.flatMap((s) => {
      const part = pick(s);
      return part ? [{ size: s.size, part: [part[0], `${n(s.size)}: ${part[1]}`] as Part }] : [];
    });
    return { parts: measured.map((m) => m.part), notes: unmeasuredAt(measured.map((m) => m.size)) };
  };
  const file = (s: SizeSummary): ContenderSummary => s.contenders.agentcfg;
  const results: GoalResult[] = [];

  // 1. Workflow within 3x SQLite's transaction at every size, and flat.
  {
    const { parts, notes } = everySize((s) => atMost(file(s).workflowP50Ms, WORKFLOW_VS_SQLITE * s.contenders.sqlite.workflowP50Ms, ms));
    if (small && large) {
      const [ok, text] = atMost(file(large).workflowP50Ms, FLAT_FACTOR * file(small).workflowP50Ms, ms);
      parts.push([ok, `flat: ${n(LARGE)} vs ${n(SMALL)}: ${text}`]);
    } else {
      notes.push(`flat: not measured (needs sizes ${n(SMALL)} and ${n(LARGE)})`);
    }
    results.push(
      goalOf(
        1,
        `create-agent workflow p50 within ${WORKFLOW_VS_SQLITE}x SQLite's 3-row transaction at ${SIZES.map(n).join(', ')} records, and flat (at ${n(LARGE)} within ${FLAT_FACTOR}x of at ${n(SMALL)})`,
        parts,
        notes,
      ),
    );
  }

  // 2. One durable update within lowdb's non-durable write.
  {
    const { parts, notes } = everySize((s) => {
      const [ok, text] = atMost(file(s).updateMs, s.contenders.lowdb.updateMs, ms);
      return [ok, `${text}, raw durable replace ${ms(s.contenders.raw.updateMs)}`];
    });
    results.push(goalOf(2, "one durable update p50 within lowdb's (non-durable) write, at every size", parts, notes));
  }

  // 3. Concurrent workflows in one process: half SQLite's throughput, all stored.
  {
    const { parts, notes } = everySize((s) => {
      const mine = file(s);
      if (mine.concurrentRounds === 0) return undefined;
      const sqlite = s.contenders.sqlite.concurrentPerSecond;
      const limit = CONCURRENT_VS_SQLITE * sqlite;
      const fast = mine.concurrentPerSecond >= limit;
      const [kept, stored] = storedOf(mine.concurrentCompleted, mine.concurrentLost, mine.concurrentStarted);
      return [fast && kept, `${rate(mine.concurrentPerSecond)} vs limit ${rate(limit)} (${times(mine.concurrentPerSecond / sqlite)} SQLite's ${rate(sqlite)}), ${stored}`];
    });
    results.push(goalOf(3, `${concurrency} concurrent workflows in one process: throughput at least ${CONCURRENT_VS_SQLITE}x SQLite's, and all stored, at every size`, parts, notes));
  }

  // 4. Processes at once on one folder: no slower in total than one process; all stored; each sees the others'.
  {
    const share = Math.ceil(processWorkflows / processes);
    const { parts, notes } = everySize((s) => {
      const mine = file(s);
      if (mine.processRounds === 0) return undefined;
      const limit = FOLDER_SCALE_OUT * mine.oneProcessPerSecond;
      const fast = mine.manyProcessesPerSecond >= limit;
      const [kept, stored] = storedOf(mine.processesCompleted, mine.processesLost, mine.processesStarted);
      const seen = mine.processesUnseen === 0 && mine.processesSeenChecks > 0;
      const seenText = seen ? 'each saw every agent' : `${mine.processesUnseen} of ${mine.processesSeenChecks} reads of another's agent missed it`;
      return [
        fast && kept && seen,
        `${rate(mine.manyProcessesPerSecond)} with ${processes} vs ${rate(mine.oneProcessPerSecond)} with 1 (${times(mine.processesSpeedup)}), ${stored} (both runs), ${seenText}`,
      ];
    });
    results.push(
      goalOf(
        4,
        `${processes} processes x ${share} workflows on one folder at once (${n(processWorkflows)} in all${processes === 4 && processWorkflows === 200 ? '' : "; the issue's 4 x 50 is --processes 4 --process-workflows 200"}): ` +
          `total throughput at least one process's alone running them all; all stored; each process then sees the others' agents; at every size`,
        parts,
        notes,
      ),
    );
  }

  // 5. Per workflow through the file-system port, at 100 records: syncs alone and concurrent, calls, CPU.
  {
    const goal =
      `per workflow at ${n(SMALL)} records, counted through the file-system port: at most ${SYNCS_ALONE} fdatasync alone and ${SYNCS_CONCURRENT} under ` +
      `${concurrency} concurrent (fsyncs of files and folders counted too); at most ${CALLS_PER_WORKFLOW} file-system calls; CPU (user + system) at most ${CPU_MS_PER_WORKFLOW} ms`;
    const mine = small && file(small);
    if (!mine || !Number.isFinite(mine.workflowCalls)) {
      results.push(goalOf(5, goal, [], [small ? 'the store counted no file-system calls' : `needs size ${n(SMALL)}`]));
    } else {
      const syncs = mine.workflowFileSyncs + mine.workflowFolderSyncs;
      const parts: Part[] = [];
      parts.push([
        syncs <= SYNCS_ALONE,
        `syncs alone ${count(syncs)} (of files ${count(mine.workflowFileSyncs)}, of folders ${count(mine.workflowFolderSyncs)}) vs limit ${SYNCS_ALONE} (${times(syncs / SYNCS_ALONE)} the limit)`,
      ]);
      const notes: string[] = [];
      if (Number.isFinite(mine.concurrentSyncs)) {
        const [ok, text] = atMost(mine.concurrentSyncs, SYNCS_CONCURRENT, count);
        parts.push([ok, `syncs under ${concurrency} concurrent ${text}`]);
      } else {
        notes.push('syncs under concurrency: not measured (the concurrent workload was left out)');
      }
      const [callsOk, callsText] = atMost(mine.workflowCalls, CALLS_PER_WORKFLOW, count);
      parts.push([callsOk, `calls ${callsText}`]);
      const [cpuOk, cpuText] = atMost(mine.workflowCpuMs, CPU_MS_PER_WORKFLOW, ms);
      parts.push([cpuOk, `CPU ${cpuText}`]);
      const most = Object.entries(mine.workflowCallsByName)
        .sort(([, a], [, b]) => b - a)
        .slice(0, 6)
        .map(([name, made]) => `${name} ${count(made)}`);
      if (most.length) notes.push(`most calls: ${most.join(', ')}`);
      results.push(goalOf(5, goal, parts, notes));
    }
  }

  // 6. Cold open of 10,000 within 2x SQLite's read-all; peak RSS at 10,000 within 1.2x lowdb's.
  {
    const goal = `at ${n(LARGE)} records: cold open and list within ${OPEN_VS_SQLITE}x SQLite's read-all; peak RSS within ${RSS_VS_LOWDB}x lowdb's`;
    if (large) {
      const [openOk, openText] = atMost(file(large).openMs, OPEN_VS_SQLITE * large.contenders.sqlite.openMs, ms);
      const [rssOk, rssText] = atMost(file(large).maxRssBytes, RSS_VS_LOWDB * large.contenders.lowdb.maxRssBytes, mib);
      results.push(goalOf(6, goal, [[openOk, `open ${openText}`], [rssOk, `peak RSS ${rssText}`]]));
    } else {
      results.push(goalOf(6, goal, [], [`needs size ${n(LARGE)}`]));
    }
  }

  // 7. A compaction during the concurrent workflows adds at most 2x to their p99.
  {
    const withLog = sizes.filter((s) => Number.isFinite(file(s).concurrentWithFoldP99Ms));
    const parts = withLog.map((s): Part => {
      const c = file(s);
      return [
        c.concurrentWithFoldP99Ms <= FOLD_P99_FACTOR * c.concurrentP99Ms,
        `${n(s.size)}: ${ms(c.concurrentWithFoldP99Ms)} with a compaction vs ${ms(c.concurrentP99Ms)} without (${times(c.concurrentWithFoldP99Ms / c.concurrentP99Ms)})`,
      ];
    });
    const without = sizes.filter((s) => !withLog.includes(s)).map((s) => n(s.size));
    const notes = without.length ? [`no compaction to run at ${without.join(', ')} (no change log, or the concurrent workload left out)`] : [];
    results.push(goalOf(7, `a compaction (the change log folded in the background) during the ${concurrency} concurrent workflows adds at most ${FOLD_P99_FACTOR}x to their p99`, parts, notes));
  }

  // 8. [J] PostgreSQL workflow within 2x pg.
  {
    const { parts, notes } = everySize((s) => {
      const value = s.contenders['agentcfg-postgres'].workflowP50Ms;
      const pg = s.contenders.pg.workflowP50Ms;
      return [value <= POSTGRES_WORKFLOW_VS_PG * pg, `${ms(value)} vs limit ${ms(POSTGRES_WORKFLOW_VS_PG * pg)} (${times(value / pg)} pg's ${ms(pg)})`];
    });
    results.push(goalOf(8, `[J] create-agent workflow p50 on PostgreSQL within ${POSTGRES_WORKFLOW_VS_PG}x a hand-written pg transaction inserting the same rows, at every size`, parts, notes));
  }

  // 9. [J] PostgreSQL scale-out.
  {
    const { parts, notes } = everySize((s) => {
      const mine = s.contenders['agentcfg-postgres'];
      if (mine.processRounds === 0) return undefined;
      const failed = mine.processesStarted - mine.processesCompleted + mine.processesLost;
      return [
        mine.processesSpeedup >= SCALE_OUT_FACTOR && failed === 0,
        `${rate(mine.manyProcessesPerSecond)} vs ${rate(mine.oneProcessPerSecond)} (${mine.processesSpeedup.toFixed(2)}x` +
          `${failed ? `, ${failed} workflows failed or lost` : ''}; pg by hand: ${s.contenders.pg.processesSpeedup.toFixed(2)}x)`,
      ];
    });
    results.push(goalOf(9, `[J] ${processes} processes at once on one PostgreSQL database: at least ${SCALE_OUT_FACTOR}x one process's create-agent throughput, at every size`, parts, notes));
  }

  // 10, 11. Kept from [F].
  {
    const { parts, notes } = everySize((s) => {
      const c = file(s);
      const worst = Math.max(c.workflowP99Ms, Number.isFinite(c.concurrentP99Ms) ? c.concurrentP99Ms : 0);
      return [worst < P99_LIMIT_MS, `${ms(c.workflowP99Ms)} alone, ${ms(c.concurrentP99Ms)} concurrent`];
    });
    results.push(goalOf(10, `p99 under ${n(P99_LIMIT_MS)} ms everywhere (workflows one at a time and ${concurrency} concurrent)`, parts, notes));
  }
  {
    const { parts, notes } = everySize((s) => {
      const c = file(s);
      const started = c.concurrentStarted + c.processesStarted;
      if (started === 0) return undefined;
      const completed = c.concurrentCompleted + c.processesCompleted;
      const lost = c.concurrentLost + c.processesLost;
      const failed = started - completed;
      const why = [failed ? `${failed} failed` : '', lost ? `${lost} reported done but missing` : ''].filter(Boolean).join(', ');
      return [completed === started && lost === 0, `${completed - lost}/${started} stored${why ? ` (${why})` : ''}`];
    });
    results.push(goalOf(11, 'nothing lost: every concurrent workflow (in one process, with a compaction in it, and in several processes) completes and is stored', parts, notes));
  }
  return results;
}
