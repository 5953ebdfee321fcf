import { SCENARIOS } from '../../host/scenarios.js';
import { commandIO, jsonIO } from '../../LeakgateIO.js';
import { run } from '../../pipelines/run.js';
import type { Command } from '../commands.js';
import { parseRunFlags } from '../flags.js';
import { runExitCode } from '../runExitCode.js';
import { withStopSignals } from '../withStopSignals.js';

const USAGE = `Usage: leakgate run [options]

Runs the model-switching benchmark: every iteration loads, transcribes with and unloads each model
in a worker process, sampling RSS, RssAnon, RssFile, heap in use (mallinfo2), fds, threads and
model mappings at four phases. With nothing configured it runs leakgate's reference engine (the
test oracle, not chatllm.cpp) on two generated models.

Options (environment variable in brackets):
  --lib PATH            libchatllm.so to drive [LIBCHATLLM]
  --model PATH          model file, repeatable, in switching order [LEAKGATE_MODELS=a.bin,b.bin]
  --iterations N        a fixed number of iterations [ITERATIONS] (default: until every verdict is
                        decided and has held for 5 iterations, at most --max-iterations)
  --max-iterations N    most iterations without --iterations (default 100)
  --scenario NAME       ${SCENARIOS.map((s) => s.name).join(' | ')} (default switch)
  --ffmpeg PATH         ffmpeg for chatllm.cpp (default: ffmpeg on PATH, else the one npm install
                        brings; the reference engine needs none) [LEAKGATE_FFMPEG]
  --audio PATH          audio to transcribe (default fixtures/audio/phone-zh.wav)
  --truth TEXT|FILE.txt ground truth for WER (default: the .txt beside the audio)
  --threads N           inference threads, -n (default 6) [INFERENCE_THREADS]
  --context N           context length, -c (default 4096) [CONTEXT_LENGTH]
  --language NAME       ASR language (default Chinese) [ASR_LANGUAGE]
  --trim                malloc_trim(0) after each unload
  --dynamic-mmap-threshold  leave glibc's mmap threshold dynamic in the worker (default: pinned at 128 KiB)
  --fail-fast           stop at the first unload that leaves an fd, a thread or a model mapping
                        behind (default: count them as series and judge them after the run)
  --out PATH            results JSON (default results/model_switch_results.json)
  --gen-max-tokens N    cap on generated tokens per transcription (default 256; twins: what the
                        real model writes for the truth, 23 for the seed's recording)
  --timeout-scale X     multiply every phase timeout (default 1)
  --verbose             the seed's per-iteration blocks instead of a progress line
  --baseline FILE       baseline to gate on (default baselines/<engine>/<platform>/<scenario>--<models>.json)
  --report DIR          also write the HTML report and SVG charts into DIR
  --attribute           after a leak verdict, name the allocation sites that grow (leakgate attribute, needs heaptrack)
  --json                print a JSON summary on stdout (the report goes to stderr)
  --debug               stack traces for errors

Exit codes: 0 pass, 1 leak or regression, 2 usage, 3 engine crash/hang/error, 4 environment,
5 leakgate bug, 130 interrupted, 143 terminated (SIGTERM), 129 hung up (SIGHUP): results so far are
kept with the failure recorded (a second signal quits at once). Two runs on one --out: the second
exits 2 before measuring (a lock file, OUT.lock, holds the first's pid).`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run the model-switching benchmark and write the results JSON',
  usage: USAGE,
  async run(argv, io) {
    const { json, ...options } = parseRunFlags(argv);
    const { results, gate } = await withStopSignals(io, 'run', (stoppable) =>
      run(
        { ...options, reporters: ['console', 'html', ...(json ? ['json' as const] : [])] },
        commandIO(json ? jsonIO(stoppable) : stoppable, 'run'),
      ),
    );
    return runExitCode(results, gate);
  },
};
