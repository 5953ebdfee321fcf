import { LeakgateError } from '../errors.js';
import type { RunConfig } from '../config/RunConfig.js';
import { DOCTOR_CHECKS } from './doctorChecks.js';
import { formatDoctorResult } from './formatDoctorResult.js';
import { runDoctorChecks } from './runDoctorChecks.js';

/** The engine check forks a worker; the run's own worker reports a bad library the same way, at once. */
const PRE_RUN_CHECKS = DOCTOR_CHECKS.filter((check) => check.name !== 'engine');

/**
 * The doctor's checks that must pass before any model is loaded: chatllm.cpp transcribes nothing,
 * silently, without ffmpeg or with an unreadable audio file, and an hour of runs would measure
 * nothing (the reference engine needs the audio file but no ffmpeg: the ffmpeg check knows).
 * Throws the first failure as one line with its fix; returns the warnings to print.
 */
export async function precheckRun(config: RunConfig, env: NodeJS.ProcessEnv): Promise<string[]> {
  const results = await runDoctorChecks(config, env, PRE_RUN_CHECKS);
  const failure = results.find((result) => result.status === 'FAIL');
  if (failure) throw new LeakgateError(`${failure.detail}${failure.fix ? ` (${failure.fix})` : ''}`, failure.exitCode);
  return results.filter((result) => result.status === 'warn').map(formatDoctorResult);
}
