#!/usr/bin/env node
// The installed package runs its compiled JavaScript (dist/, built by `prepack`); this repository,
// which has its TypeScript sources and no build step between a clone and `npx leakgate`, runs them
// through tsx. A dist/ left in the repository by `npm pack` never shadows the sources it came from.
import { existsSync } from 'node:fs';

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
if (fromSources) (await import('tsx/esm/api')).register();
const { main } = fromSources ? await import('../src/cli/main.ts') : await import('../dist/cli/main.js');
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  log: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
// Flush stdout before exiting: a piped --json summary must arrive whole.
process.stdout.write('', () => process.exit(code));
