import { ExitCode } from '../errors.js';
import type { LeakgateIO } from '../LeakgateIO.js';

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Runs a measuring command with Ctrl-C, SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal)
 * wired to its abort signal: the first stops the worker(s), what was measured is saved with the failure
 * recorded; a second quits at once with 128 + the signal's number.
 */
export async function withStopSignals<T>(io: LeakgateIO, name: string, work: (io: LeakgateIO) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let stops = 0;
  const onStop = (signal: NodeJS.Signals): void => {
    stops += 1;
    if (stops > 1) {
      // The worker was killed by the first signal; the results file holds every switch saved so far.
      io.error(
        `leakgate ${name}: ${signal === 'SIGINT' ? 'interrupted' : `${signal}`} again: quitting without the report (the results file ` +
          `keeps the iterations saved so far)`,
      );
      process.exit(signal === 'SIGINT' ? ExitCode.interrupted : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.terminated);
    }
    if (signal === 'SIGINT') io.error('\ninterrupted: stopping the worker and saving what was measured (Ctrl-C again to quit at once)');
    controller.abort(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, onStop);
  try {
    return await work({ ...io, signal: controller.signal });
  } finally {
    for (const signal of STOP_SIGNALS) process.off(signal, onStop);
  }
}
