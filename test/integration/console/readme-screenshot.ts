// Saves the README's picture of the console: the personality editor at 1280 × 800, as docs/images/console.png.
// Run: npx ts-node test/integration/console/readme-screenshot.ts (after `npm run build`). Not a spec: it writes
// into docs/, so it runs only when asked; it refuses to keep a picture of 300 KB or more.
import { mkdir, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { logInWithLink, startConsoleFixture } from './console-browser';

const TARGET = resolve(__dirname, '..', '..', '..', 'docs', 'images', 'console.png');
const LIMIT = 300 * 1024;

async function main(): Promise<void> {
  const f = await startConsoleFixture();
  try {
    const page = await f.newPage({ width: 1280, height: 800 });
    await logInWithLink(page, f.server);
    const first = page.getByRole('navigation', { name: 'Personalities' }).locator('button.link').first();
    await first.click();
    await page.getByLabel('Preview with role').selectOption({ index: 1 });
    await page.getByTestId('prompt-preview').waitFor();
    await mkdir(dirname(TARGET), { recursive: true });
    await page.screenshot({ path: TARGET, fullPage: false });
    const { size } = await stat(TARGET);
    if (size >= LIMIT) {
      await unlink(TARGET);
      throw new Error(`the screenshot is ${size} B, over the ${LIMIT} B limit`);
    }
    process.stdout.write(`${TARGET}: ${size} B\n`);
  } finally {
    await f.dispose();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
