#!/usr/bin/env node
// Runs the TypeScript sources through tsx: no build step between a clone and `npx leakgate`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2), {
  log: (text) => process.stdout.write(`${text}\n`),
  write: (text) => process.stdout.write(text),
  error: (text) => process.stderr.write(`${text}\n`),
  out: (text) => process.stdout.write(text),
  tty: process.stdout.isTTY === true,
  env: process.env,
  cwd: process.cwd(),
});
// Flush stdout before exiting: a piped --json summary must arrive whole.
process.stdout.write('', () => process.exit(code));
