import type { LeakgateIO } from '../LeakgateIO.js';

/**
 * The IO for `run()` or `compare()` called from a test: the report and the progress go to stderr (so
 * a long real-engine run shows it is alive, and vitest's own output stays readable), never to a TTY's
 * progress line; `cwd` is the project the baselines and results resolve against.
 * @param cwd the user's project folder. @default process.cwd()
 * @param env the environment the run resolves its settings from (LIBCHATLLM, LEAKGATE_MODELS, ...). @default process.env
 */
export function testRunIO(cwd: string = process.cwd(), env: NodeJS.ProcessEnv = process.env): LeakgateIO {
  return {
    log: (text) => process.stderr.write(`${text}\n`),
    error: (text) => process.stderr.write(`error: ${text}\n`),
    write: (text) => process.stderr.write(text),
    out: (text) => process.stdout.write(text),
    tty: false,
    env,
    cwd,
  };
}
