import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The web console: Preact, built into dist/console, served by `agentcfg serve` under a strict CSP. */
export default defineConfig({
  root,
  base: '/',
  publicDir: false,
  // The domain is shared with the server; its Node import (node:crypto) has a browser twin.
  resolve: { alias: { 'node:crypto': fileURLToPath(new URL('./src/shims/node-crypto.ts', import.meta.url)) } },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/console', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    // No inline data: URLs for scripts; every asset is a file the CSP allows ('self').
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    reportCompressedSize: true,
  },
});
