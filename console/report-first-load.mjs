// Prints what the console's first page load sends, gzipped: index.html and every script, style sheet and
// preloaded module it references (the files `agentcfg serve` sends before the app runs).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'console');
const html = readFileSync(join(out, 'index.html'));
const referenced = [...html.toString('utf8').matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
const files = [['index.html', html], ...referenced.map((path) => [path, readFileSync(join(out, path))])];
let total = 0;
for (const [path, bytes] of files) {
  const gz = gzipSync(bytes, { level: 9 }).length;
  total += gz;
  process.stdout.write(`  ${path}: ${bytes.length} B, ${gz} B gzipped\n`);
}
process.stdout.write(`console first load: ${files.length} files, ${(total / 1024).toFixed(1)} KiB gzipped\n`);
