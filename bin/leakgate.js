#!/usr/bin/env node
// The installed package runs its compiled JavaScript (dist/, built by `prepack`); this repository,
// which has its TypeScript sources and no build step between a clone and `npx leakgate`, runs them
// through tsx. A dist/ left in the repository by `npm pack` never shadows the sources it came from.
import { existsSync, readFileSync } from 'node:fs';

/** Open files leakgate needs: tsx loads its modules many at a time; below ~40 Node fails (or crashes) before main runs. */
const MIN_OPEN_FILES = 64;
/** Exit code for a machine that lacks something (src/errors.ts: ExitCode.environment). */
const ENVIRONMENT_EXIT = 4;

function openFilesLimit() {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft === undefined || soft === 'unlimited' ? Infinity : Number(soft);
  } catch {
    return Infinity; // not Linux, or no /proc: nothing to check
  }
}

const tooFewFiles = (limit) => {
  process.stderr.write(
    `leakgate: too many open files: the limit is ${limit}, leakgate needs at least ${MIN_OPEN_FILES} (raise it, e.g. ulimit -n 1024)\n`,
  );
  process.exit(ENVIRONMENT_EXIT);
};

const limit = openFilesLimit();
if (limit < MIN_OPEN_FILES) tooFewFiles(limit);

const fromSources = existsSync(new URL('../src/cli/main.ts', import.meta.url));
let main;
try {
  if (fromSources) (await import('tsx/esm/api')).register();
  ({ main } = fromSources ? await import('../src/cli/main.ts') : await import('../dist/cli/main.js'));
} catch (error) {
  if (error?.code === 'EMFILE' || error?.code === 'ENFILE') tooFewFiles(limit);
  throw error;
}
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
