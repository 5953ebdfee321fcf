import { DoctorResult, doctorExitCode, formatDoctorResult } from '../../doctor/DoctorCheck.js';
import { MODEL_MEMORY_FACTOR } from '../../doctor/assessMemoryHeadroom.js';
import { resolveDoctorConfig, runDoctorChecks } from '../../doctor/doctor.js';
import type { Command } from '../commands.js';
import { parseRunFlags } from '../flags.js';

const USAGE = `Usage: leakgate doctor [options]

Checks, before an hour-long run, what \`leakgate run\` with the same options would need. One line per
check, ok / warn / FAIL, with the fix:
  engine   the library loads (in a worker process) and exports the chatllm C API leakgate calls
  ffmpeg   which ffmpeg chatllm.cpp will decode audio with, and its version: --ffmpeg PATH
           [LEAKGATE_FFMPEG], else ffmpeg on PATH, else the one npm install brings
           (@ffmpeg-installer/ffmpeg); the reference engine needs none
  model    each model exists and is a chatllm.cpp model ("ggmm"/"ggml") or a reference model
  audio    the audio file is readable audio
  memory   MemAvailable (inside a memory cgroup: its limit less its use) covers ~${MODEL_MEMORY_FACTOR}x the largest model

Options: the same as leakgate run (--lib PATH [LIBCHATLLM], --model PATH repeatable [LEAKGATE_MODELS],
--audio PATH, ...), plus
  --json                the results as JSON on stdout

Exit codes: 0 all passed (warnings allowed), else the first failure's: 2 usage (missing file, not a
model), 4 environment (no ffmpeg, library not loadable, too little memory).`;

/** `leakgate doctor`: runs the doctor checks on the configuration `leakgate run` would use. */
export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check the engine library, ffmpeg, models, audio and memory before a run',
  usage: USAGE,
  async run(argv, io) {
    const { json, ...options } = parseRunFlags(argv);
    const { config, configError } = await resolveDoctorConfig(options, io.env, io.cwd);
    const results = await runDoctorChecks(config, io.env);
    // The checks name a missing file better than the resolver; show its error only when they found nothing.
    if (configError && !results.some((result) => result.status === 'FAIL')) results.unshift(DoctorResult.fromError('config', configError));
    if (json) {
      io.out(`${JSON.stringify(results, null, 2)}\n`);
    } else {
      for (const result of results) io.out(`${formatDoctorResult(result)}\n`);
      const failed = results.filter((result) => result.status === 'FAIL').length;
      const warned = results.filter((result) => result.status === 'warn').length;
      io.out(
        failed === 0
          ? `doctor: ready to run${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}\n`
          : `doctor: ${failed} check${failed > 1 ? 's' : ''} failed\n`,
      );
    }
    return doctorExitCode(results);
  },
};
