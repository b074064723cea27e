import { expect } from 'chai';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(__dirname, '..', '..', '..', 'src');

/** Every import of every source file, as paths relative to src/ ("services/shared/record-service"). */
async function importsOfSource(): Promise<{ file: string; target: string }[]> {
  const found: { file: string; target: string }[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const [, spec] of (await readFile(path, 'utf8')).matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
          found.push({ file: relative(SRC, path), target: relative(SRC, resolve(dirname(path), spec!)) });
        }
      }
    }
  };
  await walk(SRC);
  return found;
}

/** Layers, and the folders each must not import from: dependencies point one way. */
const FORBIDDEN: readonly { layer: RegExp; mayNotImport: RegExp; why: string }[] = [
  { layer: /^domain\//, mayNotImport: /^(?!domain\/)/, why: 'the domain is pure: it imports only the domain' },
  { layer: /^storage\//, mayNotImport: /^(services|workflow|cli|di)\//, why: 'the store sits below every service' },
  { layer: /^(audit|security)\//, mayNotImport: /^(services|workflow|cli|di|storage\/file)\//, why: 'security and audit sit beside the layers, below them' },
  { layer: /^services\/(shared|personality|role|agent)\//, mayNotImport: /^(workflow|cli|di|storage\/file|services\/(configuration|consistency))\//, why: 'record services sit below workflows' },
  { layer: /^workflow\//, mayNotImport: /^(cli|di|storage\/file|services\/(configuration|consistency))\//, why: 'workflows sit below the configuration service' },
  { layer: /^services\/(configuration|consistency)\//, mayNotImport: /^(cli|storage\/file)\//, why: 'the configuration service knows the store only by its port' },
  { layer: /^(domain|storage|audit|security|services|workflow|interchange)\//, mayNotImport: /^server\//, why: 'the HTTP server sits at the top, beside the command line' },
];

describe('Feature: dependencies point one way: cli → configuration service → workflow → record services → store', function () {
  it('no source file imports from a layer above it, and only the container (and the package index) names the file backend', async function () {
    const imports = await importsOfSource();
    expect(imports.length, 'the scan found the imports').to.be.greaterThan(200);
    const breaches = imports.flatMap(({ file, target }) =>
      FORBIDDEN.filter((rule) => rule.layer.test(file) && rule.mayNotImport.test(target)).map((rule) => `${file} imports ${target}: ${rule.why}`),
    );
    const fileBackendUsers = imports.filter(({ file, target }) => target.startsWith('storage/file/') && !file.startsWith('storage/')).map(({ file }) => file);
    expect(breaches).to.deep.equal([]);
    expect([...new Set(fileBackendUsers)].sort()).to.deep.equal(['di/container.ts', 'index.ts']);
  });
});
