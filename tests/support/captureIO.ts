import type { LeakgateIO } from '../../src/LeakgateIO.js';

/** An IO that keeps what a command prints: stdout (the report, JSON) and stderr (errors) as text. */
export function captureIO(cwd: string, env: NodeJS.ProcessEnv = {}): LeakgateIO & { stdout: string; stderr: string } {
  const io = {
    stdout: '',
    stderr: '',
    log: (text: string) => void (io.stdout += `${text}\n`),
    write: (text: string) => void (io.stdout += text),
    out: (text: string) => void (io.stdout += text),
    error: (text: string) => void (io.stderr += `${text}\n`),
    tty: false,
    env,
    cwd,
  };
  return io;
}
