// `npm run test:reliability [-- flags]`: runs mocha with test/reliability/.mocharc.json. The flags set the
// environment the specs read (see settings.ts); anything else is passed to mocha (e.g. --grep crash).
//   --iterations <n>  kills of the crash campaign (CRASH_ITERATIONS, default 50)
//   --runs <n>        fast-check runs of the model-based test (RELIABILITY_RUNS, default 300)
//   --fuzz-runs <n>   inputs per JSON entry point (FUZZ_RUNS)
//   --seed <n>        replay a run (RELIABILITY_SEED)
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const FLAGS: Record<string, string> = { '--iterations': 'CRASH_ITERATIONS', '--runs': 'RELIABILITY_RUNS', '--fuzz-runs': 'FUZZ_RUNS', '--seed': 'RELIABILITY_SEED' };

const env = { ...process.env };
const passOn: string[] = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const [flag = '', inline] = (args[i] as string).split(/=(.*)/s);
  const name = FLAGS[flag];
  if (!name) {
    passOn.push(args[i] as string);
    continue;
  }
  const value = inline ?? args[++i];
  if (value === undefined || !/^\d+$/.test(value)) {
    console.error(`${flag} needs a non-negative integer`);
    process.exit(2);
  }
  env[name] = value;
}

const root = join(__dirname, '..', '..');
const started = Date.now();
const mocha = spawnSync(process.execPath, [require.resolve('mocha/bin/mocha.js'), '--config', join(root, 'test', 'reliability', '.mocharc.json'), ...passOn], { cwd: root, env, stdio: 'inherit' });
console.log(`reliability: ${mocha.status === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(mocha.status ?? 1);
