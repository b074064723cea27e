#!/usr/bin/env node
'use strict';
// Runs the built CLI; in a checkout without a build (dist/ is made by `npm ci` through `prepare`), runs the sources.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const built = join(root, 'dist', 'cli', 'main.js');
if (existsSync(built)) {
  require(built).main();
} else {
  require('ts-node').register({ transpileOnly: true, project: join(root, 'tsconfig.json') });
  require(join(root, 'src', 'cli', 'main.ts')).main();
}
