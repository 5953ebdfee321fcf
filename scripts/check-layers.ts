/**
 * The house's floors: every module under src/ may import only from its own floor or the floors below.
 * Fails (exit 1, one line per import) on an import that runs up a floor, or from scripts/ into cli/.
 * `npm test` runs it through tests/unit/layers.test.ts; by hand: `npx tsx scripts/check-layers.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/**
 * Lowest first. An entry is a folder of src/ (`files/`) or a file at src/'s top (`errors.ts`).
 * Each has a floor of its own, so two folders can never import each other.
 */
export const LAYERS: readonly string[] = [
  // the ground: facts every floor uses, importing nothing of src/
  'errors.ts',
  'units.ts',
  'untrustedText.ts',
  'leakgatePackage.ts',
  'LeakgateIO.ts',
  'files/',
  'system/',
  'protocol/',
  // formats and tools: audio and transcripts, ffmpeg, model files
  'transcript/',
  'ffmpeg/',
  'refmodel/',
  'twin/',
  'modelfiles/',
  // what a run is: its results, its configuration
  'results/',
  'config/',
  // judging: statistics and verdicts, the baseline gate, comparing two runs
  'analysis/',
  'gate/',
  'compare/',
  // measuring: the worker process (koffi), the host that drives it, the doctor's checks
  'worker/',
  'host/',
  'doctor/',
  // reporting: console, JSON, HTML, job summary
  'report/',
  // pipelines, then their users: the public API (package.json exports: index.ts, vitest/) and the command line (imported by bin/ alone)
  'pipelines/',
  'index.ts',
  'vitest/',
  'cli/',
];

export interface ImportEdge {
  /** Importing and imported files, relative to the repository root. */
  from: string;
  to: string;
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The entry of LAYERS a path under src/ belongs to, or null when none does. */
export function layerOf(srcRelativePath: string): string | null {
  const [head, ...rest] = srcRelativePath.split(sep).join('/').split('/');
  // Imports name the compiled file (`../errors.js`); the layer is the source (`errors.ts`).
  const entry = rest.length === 0 ? head!.replace(/\.js$/, '.ts') : `${head}/`;
  return LAYERS.includes(entry) ? entry : null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every relative import (static, re-export, dynamic) of the .ts/.js files under `folders` of `root`. */
export function importEdges(root: string, folders: readonly string[]): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const folder of folders) {
    for (const file of sourceFiles(join(root, folder))) {
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName } of importedFiles) {
        if (!fileName.startsWith('.')) continue;
        edges.push({ from: relative(root, file), to: relative(root, resolve(dirname(file), fileName)) });
      }
    }
  }
  return edges;
}

/** The imports that break the floors, one readable line each; empty when the house stands. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const violations: string[] = [];
  const floor = (path: string): { entry: string | null; index: number } | null => {
    if (!path.startsWith(`src${sep}`)) return null;
    const entry = layerOf(path.slice(4));
    return { entry, index: entry === null ? -1 : LAYERS.indexOf(entry) };
  };
  for (const { from, to } of edges) {
    const source = floor(from);
    const target = floor(to);
    if (source === null) {
      // scripts/ and bin/ stand above src/; only bin/ may enter through cli/.
      if (!from.startsWith(`bin${sep}`) && target?.entry === 'cli/')
        violations.push(`${from} imports ${to}: only bin/ may import src/cli/`);
      continue;
    }
    if (source.entry === null) violations.push(`${from} is in no layer: add its folder to LAYERS in scripts/check-layers.ts`);
    else if (target === null) violations.push(`${from} imports ${to}, outside src/: move what it needs into src/`);
    else if (target.entry === null) violations.push(`${to} (imported by ${from}) is in no layer: add its folder to LAYERS`);
    else if (target.index > source.index)
      violations.push(`${from} imports ${to}: ${source.entry} may not import ${target.entry}, which stands above it`);
  }
  return [...new Set(violations)];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const violations = layerViolations(importEdges(REPO_ROOT, ['src', 'scripts', 'bin']));
  for (const line of violations) console.error(line);
  console.log(
    violations.length === 0
      ? `layers: no import runs up a floor (${LAYERS.length} floors)`
      : `layers: ${violations.length} import(s) run up a floor`,
  );
  process.exitCode = violations.length === 0 ? 0 : 1;
}
