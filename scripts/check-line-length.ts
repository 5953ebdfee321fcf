/**
 * No line of the code longer than Biome's lineWidth (biome.jsonc): the formatter breaks code at that width, but never
 * a string, a template literal, a regular expression or a comment, so those are held to it here.
 * Fails (exit 1, one `file:line` a long line). `npm run lint` runs it; by hand: `npx tsx scripts/check-line-length.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folders whose code is checked, relative to the repository root. */
export const CHECKED_FOLDERS: readonly string[] = ['src', 'scripts', 'bin', 'tests'];

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The formatter's lineWidth in a biome.jsonc text: one number for the formatter and this check. */
export function biomeLineWidth(biomeJsonc: string): number {
  const match = /"lineWidth"\s*:\s*(\d+)/.exec(biomeJsonc);
  if (!match) throw new Error('biome.jsonc sets no formatter.lineWidth: set it (the line-length check reads it)');
  return Number(match[1]);
}

function codeFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return codeFiles(path);
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [path] : [];
  });
}

/** Every line of the .ts/.js files under `folders` of `root` longer than `maxChars` characters, as `file:line: …`. */
export function longLines(root: string, folders: readonly string[], maxChars: number): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    for (const file of codeFiles(join(root, folder)).sort()) {
      readFileSync(file, 'utf8')
        .split(/\r?\n/)
        .forEach((line, index) => {
          // Characters, not UTF-16 units or bytes: '→' and '✗' count one each.
          const chars = [...line].length;
          if (chars > maxChars) found.push(`${relative(root, file)}:${index + 1}: ${chars} characters, more than ${maxChars}`);
        });
    }
  }
  return found;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const maxChars = biomeLineWidth(readFileSync(join(REPO_ROOT, 'biome.jsonc'), 'utf8'));
  const found = longLines(REPO_ROOT, CHECKED_FOLDERS, maxChars);
  for (const line of found) console.error(line);
  console.log(
    found.length === 0
      ? `line length: no line of ${CHECKED_FOLDERS.join('/, ')}/ over ${maxChars} characters`
      : `line length: ${found.length} line(s) over ${maxChars} characters: break the string or comment (Biome will not)`,
  );
  process.exitCode = found.length === 0 ? 0 : 1;
}
