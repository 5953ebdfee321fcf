#!/usr/bin/env node
// Builds the package's dist/ (`npm run build`, run by `prepack`): compiles src/ with tsconfig.build.json,
// then copies src/'s plain JavaScript modules and their hand-written declarations beside the compiled ones
// (buildRefEngine.js stays JavaScript so `npm install` can run it before anything is compiled).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src');
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit' });

/** @param {string} dir */
function plainJs(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return plainJs(path);
    return entry.name.endsWith('.js') ? [path, path.replace(/\.js$/, '.d.ts')] : [];
  });
}
for (const file of plainJs(src)) cpSync(file, join(dist, relative(src, file)));
