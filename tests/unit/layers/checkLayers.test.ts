import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { importEdges, layerViolations } from '../../../scripts/check-layers.js';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('the layers of src/', () => {
  it('no import in src/, scripts/ or bin/ runs up a floor, and only bin/ enters src/cli/', () => {
    const edges = importEdges(REPO_ROOT, ['src', 'scripts', 'bin']);
    // The graph is read at all: bin/ enters through cli/, and cli/ imports the run's pipeline.
    expect(edges).toContainEqual({ from: join('bin', 'leakgate.js'), to: join('src', 'cli', 'main.ts') });
    expect(edges.some((edge) => edge.from.startsWith(join('src', 'cli')) && edge.to === join('src', 'pipelines', 'run.js'))).toBe(true);
    expect(layerViolations(edges)).toEqual([]);
  });
});

describe('layerViolations on a planted tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakgate-layers-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  file('src/errors.ts', 'export const E = 1;\n');
  file('src/analysis/judge.ts', "import { E } from '../errors.js';\nexport const J = E;\n");
  file('src/report/format.ts', "import { J } from '../analysis/judge.js';\nexport const F = J;\n");
  file('src/analysis/back.ts', "export const B = async () => import('../report/format.js');\n");
  file('src/analysis/outside.ts', "export { X } from '../../scripts/tool.js';\n");
  file('src/newfolder/c.ts', "import { E } from '../errors.js';\n");
  file('src/cli/main.ts', "import { F } from '../report/format.js';\n");
  file('scripts/tool.ts', "import '../src/cli/main.js';\nimport { J } from '../src/analysis/judge.js';\nexport const X = J;\n");
  file('bin/leakgate.js', "import '../src/cli/main.js';\n");
  const violations = layerViolations(importEdges(root, ['src', 'scripts', 'bin']));

  it('finds each kind of break, once, and nothing else', () => {
    expect(violations).toEqual(
      [
        `${join('src', 'analysis', 'back.ts')} imports ${join('src', 'report', 'format.js')}: analysis/ may not import ` +
          `report/, which stands above it`,
        `${join('src', 'analysis', 'outside.ts')} imports ${join('scripts', 'tool.js')}, outside src/: move what it needs into src/`,
        `${join('src', 'newfolder', 'c.ts')} is in no layer: add its folder to LAYERS in scripts/check-layers.ts`,
        `${join('scripts', 'tool.ts')} imports ${join('src', 'cli', 'main.js')}: only bin/ may import src/cli/`,
      ].sort((a, b) => violations.indexOf(a) - violations.indexOf(b)),
    );
  });
});
