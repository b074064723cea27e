import { CONTENDERS, type ContenderName } from './contender';
import { REFERENCE, type GoalResult } from './goals';
import type { ContenderSummary, SizeSummary } from './summary';

/** The ratio columns: the library on a folder against each file baseline, the library on PostgreSQL against pg. */
const RATIOS: readonly (readonly [ContenderName, ContenderName])[] = [
  ['agentcfg', 'lowdb'],
  ['agentcfg', 'sqlite'],
  ['agentcfg', 'raw'],
  ['agentcfg-postgres', 'pg'],
];

interface Row {
  label: string;
  value: (s: ContenderSummary) => number;
  format: (value: number) => string;
}

const ms = (value: number) => (!Number.isFinite(value) ? '-' : value < 1 ? value.toFixed(3) : value < 100 ? value.toFixed(2) : value.toFixed(0));
/** A count per workflow (an average, so not always whole). */
const count = (value: number) => (!Number.isFinite(value) ? '-' : Number.isInteger(value) ? String(value) : value < 100 ? value.toFixed(2) : value.toFixed(0));

/** The rows of the table, one per workload (each printed at every size). */
function rows(concurrency: number, processes: number): Row[] {
  const perSecond = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 1 ? 2 : v < 100 ? 1 : 0) : '-');
  return [
    { label: 'cold open + list all, ms', value: (s) => s.openMs, format: ms },
    { label: 'create one, ms', value: (s) => s.createMs, format: ms },
    { label: 'update one, ms', value: (s) => s.updateMs, format: ms },
    { label: 'create-agent workflow p50, ms', value: (s) => s.workflowP50Ms, format: ms },
    { label: 'create-agent workflow p99, ms', value: (s) => s.workflowP99Ms, format: ms },
    { label: 'workflow CPU (user + system), ms', value: (s) => s.workflowCpuMs, format: ms },
    { label: 'workflow file-system calls (port)', value: (s) => s.workflowCalls, format: count },
    { label: 'workflow fdatasyncs + fsyncs (port)', value: (s) => s.workflowFileSyncs + s.workflowFolderSyncs, format: count },
    { label: '  of them fsyncs of folders', value: (s) => s.workflowFolderSyncs, format: count },
    // Throughput: here a ratio below 1 means agentcfg is slower.
    { label: `${concurrency} concurrent, workflows/s (more is better)`, value: (s) => s.concurrentPerSecond, format: perSecond },
    { label: `${concurrency} concurrent, p99 ms`, value: (s) => s.concurrentP99Ms, format: ms },
    { label: `${concurrency} concurrent, a compaction in it, p99 ms`, value: (s) => s.concurrentWithFoldP99Ms, format: ms },
    { label: `${concurrency} concurrent, file-system calls per workflow`, value: (s) => s.concurrentCalls, format: count },
    { label: `${concurrency} concurrent, syncs per workflow`, value: (s) => s.concurrentSyncs, format: count },
    { label: '1 process, workflows/s (more is better)', value: (s) => s.oneProcessPerSecond, format: perSecond },
    { label: `${processes} processes at once, workflows/s (more is better)`, value: (s) => s.manyProcessesPerSecond, format: perSecond },
    { label: `${processes} processes / 1 process, throughput`, value: (s) => s.processesSpeedup, format: (v) => (Number.isFinite(v) ? `${v.toFixed(2)}x` : '-') },
    { label: `${processes} processes at once, workflow p50 ms`, value: (s) => s.manyProcessesP50Ms, format: ms },
    { label: 'peak RSS, MiB', value: (s) => s.maxRssBytes, format: (v) => (v / 2 ** 20).toFixed(0) },
  ];
}

function ratio(agentcfg: number, baseline: number): string {
  if (!Number.isFinite(agentcfg) || !Number.isFinite(baseline) || baseline === 0) return '-';
  const r = agentcfg / baseline;
  return `${r < 10 ? r.toFixed(2) : r.toFixed(0)}x`;
}

function table(header: string[], body: string[][]): string {
  const widths = header.map((cell, i) => Math.max(cell.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `-${'-'.repeat(w)}-` : `-${'-'.repeat(w)}:`)).join('|')}|`;
  return [line(header), rule, ...body.map(line)].join('\n');
}

/** The table of medians with the ratios of RATIOS on every row. */
export function resultsTable(sizes: readonly SizeSummary[], concurrency: number, processes: number): string {
  const header = ['workload', 'records', ...CONTENDERS, ...RATIOS.map(([mine, baseline]) => `${mine}/${baseline}`)];
  const body: string[][] = [];
  for (const row of rows(concurrency, processes)) {
    for (const { size, contenders } of sizes) {
      body.push([
        row.label,
        size.toLocaleString('en-US'),
        ...CONTENDERS.map((name) => row.format(row.value(contenders[name]))),
        ...RATIOS.map(([mine, baseline]) => ratio(row.value(contenders[mine]), row.value(contenders[baseline]))),
      ]);
    }
  }
  const stored = (label: string, counts: (s: ContenderSummary) => [stored: number, started: number]) =>
    sizes.map(({ size, contenders }) => [
      label,
      size.toLocaleString('en-US'),
      ...CONTENDERS.map((name) => {
        const [done, started] = counts(contenders[name]);
        return started > 0 ? `${done}/${started}` : '-';
      }),
      ...RATIOS.map(() => ''),
    ]);
  body.push(
    ...stored(`${concurrency} concurrent, stored`, (s) => [s.concurrentCompleted - s.concurrentLost, s.concurrentStarted]),
    ...stored('1 and N processes, stored', (s) => [s.processesCompleted - s.processesLost, s.processesStarted]),
    ...stored(`${processes} processes, then each saw every agent`, (s) => [s.processesSeenChecks - s.processesUnseen, s.processesSeenChecks]),
  );
  const samples = (name: ContenderName) => sizes.map(({ size, contenders: c }) => `${size.toLocaleString('en-US')}: ${c[name].workflowSamples}`).join(', ');
  return `${table(header, body)}\nworkflow p50/p99 are from these many samples per size: agentcfg ${samples('agentcfg')}; agentcfg-postgres ${samples('agentcfg-postgres')}.`;
}

/** The goals with their verdicts, and the issue's reference run for scale. */
export function goalsSection(goals: readonly GoalResult[]): string {
  const width = Math.max(...goals.map((g) => g.verdict.length));
  const lines = goals.map((g) => `  ${g.verdict.padEnd(width)}  ${g.id}. ${g.goal}\n  ${' '.repeat(width)}      ${g.detail}`);
  const missed = goals.filter((g) => g.verdict === 'MISSED');
  const unmeasured = goals.filter((g) => g.verdict === 'NOT MEASURED');
  const summary = [
    missed.length ? `${missed.length} of ${goals.length} goals MISSED by this run (${missed.map((g) => g.id).join(', ')}).` : 'Every goal measured in this run was met.',
    unmeasured.length ? `Not measured: ${unmeasured.map((g) => g.id).join(', ')}.` : '',
  ].filter(Boolean);
  return [
    'Goals (fixed): 1-7 [I] agentcfg on a folder, 8-9 [J] agentcfg-postgres, 10-11 kept from [F] (agentcfg on a folder):',
    ...lines,
    '',
    summary.join(' '),
    `For scale, the ${REFERENCE}.`,
  ].join('\n');
}

/** What failed, per contender and size: operations run one at a time, then concurrent workflows; empty when nothing did. */
export function failuresSection(sizes: readonly SizeSummary[], concurrency: number, processes: number): string {
  const lines = (pick: (s: ContenderSummary) => Record<string, number>) =>
    sizes.flatMap(({ size, contenders }) =>
      CONTENDERS.flatMap((name) => Object.entries(pick(contenders[name])).map(([message, count]) => `  ${name}, ${size.toLocaleString('en-US')} records, ${count}x: ${message}`)),
    );
  const alone = lines((s) => s.failures);
  const concurrent = lines((s) => s.concurrentErrors);
  const shared = lines((s) => s.processesErrors);
  return [
    ...(alone.length ? ['Failed operations run one at a time (timed all the same):', ...alone] : []),
    ...(concurrent.length ? [`Failed workflows among the ${concurrency} concurrent ones:`, ...concurrent] : []),
    ...(shared.length ? [`Failed workflows run by 1 and by ${processes} processes:`, ...shared] : []),
  ].join('\n');
}

/** What each column is, so nobody has to read the code to trust the table. */
export const LEGEND = [
  'agentcfg: the public API (createConfigurationService, createPersonality, updatePersonality, createAgentWithDependencies, getAllPersonalities);',
  '  every change locked, journaled, audited and written durably. Cold open = createConfigurationService on the folder + getAllPersonalities.',
  'lowdb: lowdb 7 JSONFilePreset, one file; each change db.update() on the loaded data (no fsync).',
  'sqlite: better-sqlite3, WAL, synchronous=FULL, one JSON row per record; create = one INSERT, update = SELECT+UPDATE in a',
  '  transaction, create-agent = 3 INSERTs in one transaction; cold open = open + SELECT all + JSON.parse.',
  'raw: a durable replace (temp, fsync, rename, fsync folder) of collection files of the same bytes as agentcfg\'s, records',
  '  kept pre-encoded; create-agent replaces the three files; cold open = readFile + JSON.parse.',
  'Workflow CPU: process.cpuUsage() (user + system, every thread of the contender\'s process; for PostgreSQL not the server\'s)',
  '  over the workflows run one at a time, divided by their number.',
  'File-system calls (agentcfg on a folder only): counted by a wrapper around the node file system the library\'s storage goes',
  '  through (its IFileSystem port, the fileSystem storage option): every call on the port and on the handles it opens, over',
  '  the workflows run one at a time and over the concurrent ones (the run with no compaction in it), divided by their number;',
  '  syncs = fdatasyncs and fsyncs of files plus fsyncs of folders. Cross-process lock files are outside the port, not counted.',
  'Concurrent: all workflows started at once in one process (baselines that cannot overlap writes run them in turn); the p99',
  '  is of the ones that completed, timed from the common start. agentcfg runs it where no compaction falls in it, and again',
  '  (where it keeps a log) when its first write finds the log due and starts a compaction beside the workflows; "stored"',
  '  counts both runs.',
  'agentcfg-postgres: the same public API on PostgreSQL (createConfigurationService({ store: { url } })), on a database of',
  '  the run\'s throwaway PostgreSQL 15 server (loopback, fsync and synchronous_commit on), the schema migrated by its owner',
  '  and emptied before each round; every change a transaction with its audit entries (and journal, for workflows).',
  'pg: node-postgres by hand on a database of the same server: one jsonb row per record in 3 tables, a pool of 10; create =',
  '  one INSERT, update = SELECT ... FOR UPDATE + UPDATE in a transaction, create-agent = 3 INSERTs in one transaction.',
  'Processes (stores several processes may share: agentcfg on its folder, agentcfg-postgres and pg on their database):',
  '  the same number of create-agent workflows run by 1 process, then split over N processes started together, each',
  '  running its share one after another; each process opens the store and runs one workflow before the clock starts.',
  '  Throughput = workflows completed / time from the common start to the last process done. Then each process that ran',
  '  lists the agents and looks for every one the run stored ("each saw every agent": reads that found it / reads).',
].join('\n');
