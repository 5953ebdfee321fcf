#!/usr/bin/env node
// Runs the TypeScript sources through tsx: no build step between a clone and `npx leakgate`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2), {
  out: (text) => process.stdout.write(text),
  log: (text) => process.stderr.write(text),
  env: process.env,
  cwd: process.cwd(),
});
// Flush stdout before exiting: a piped --json summary must arrive whole.
process.stdout.write('', () => process.exit(code));
