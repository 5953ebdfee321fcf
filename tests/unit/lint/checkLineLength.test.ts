import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { biomeLineWidth, longLines } from '../../../scripts/check-line-length.js';

describe('longLines on a planted tree', () => {
  const root = mkdtempSync(join(tmpdir(), 'leakgate-lines-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const file = (path: string, text: string): void => {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  };
  file('src/ok.ts', `${'a'.repeat(140)}\n${'→'.repeat(140)}\r\nshort\n`);
  file('src/deep/long.ts', `short\n\`${'b'.repeat(140)}\`\n`);
  file('scripts/tool.js', `// ${'c'.repeat(139)}\n`);
  file('src/node_modules/dep/index.js', `${'d'.repeat(200)}\n`);
  file('src/notes.md', `${'e'.repeat(200)}\n`);

  it('names each line over the width by file and line, counting characters, not bytes', () => {
    expect(longLines(root, ['src', 'scripts'], 140)).toEqual([
      `${join('src', 'deep', 'long.ts')}:2: 142 characters, more than 140`,
      `${join('scripts', 'tool.js')}:1: 142 characters, more than 140`,
    ]);
  });

  it('holds to the width it is given', () => {
    expect(longLines(root, ['src'], 142)).toEqual([]);
  });
});

describe('biomeLineWidth', () => {
  it('reads the formatter width from a biome.jsonc with comments', () => {
    expect(biomeLineWidth('{\n  // width\n  "formatter": { "indentWidth": 2, "lineWidth": 120 }\n}')).toBe(120);
  });

  it('says what to set when there is none', () => {
    expect(() => biomeLineWidth('{ "formatter": {} }')).toThrow(/sets no formatter\.lineWidth/);
  });
});
