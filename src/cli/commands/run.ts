import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { RunOptions } from '../../config/RunOptions.js';
import { requireHeaptrack } from '../../host/attribution/findHeaptrack.js';
import { SCENARIOS } from '../../host/scenarios.js';
import { run } from '../../run.js';
import { runExitCode } from '../runExitCode.js';
import { reporterIO, type Command } from '../Command.js';
import type { ReporterName } from '../../report/reporters.js';
import { ExitCode, usageError } from '../../errors.js';

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

/** Flags that take a number: "--iterations -3" must reach the range check, not parseArgs' "ambiguous". */
const NUMERIC_FLAGS = ['--iterations', '--max-iterations', '--threads', '--context', '--gen-max-tokens', '--timeout-scale'];

/** "--flag -3" -> "--flag=-3" for numeric flags, so a negative value gets the flag's own error. */
function joinNegativeValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    if (NUMERIC_FLAGS.includes(arg) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${arg}=${next}`);
      i += 1;
    } else {
      joined.push(arg);
    }
  }
  return joined;
}

/** A whole-number flag's value, or undefined when absent; "abc" is a usage error naming the flag. */
export function integer(flag: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim())) throw usageError(`${flag} must be a whole number, got "${raw}" (e.g. ${flag} 30)`);
  return value;
}

/** The flags that pick the engine, the models and the inference settings: `run`, `baseline update` and `attribute` read them alike. */
export const ENGINE_FLAGS = {
  lib: { type: 'string' },
  model: { type: 'string', multiple: true },
  audio: { type: 'string' },
  truth: { type: 'string' },
  threads: { type: 'string' },
  context: { type: 'string' },
  language: { type: 'string' },
  'gen-max-tokens': { type: 'string' },
  'timeout-scale': { type: 'string' },
  out: { type: 'string' },
  json: { type: 'boolean' },
  debug: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

/** Parses `leakgate run` flags into RunOptions. */
export function parseRunArgs(argv: string[]): RunOptions & { json: boolean; baseline: string | undefined; report: string | undefined; attribute: boolean } {
  const { values } = parseArgs({
    args: joinNegativeValues(argv),
    strict: true,
    allowPositionals: false,
    options: {
      ...ENGINE_FLAGS,
      iterations: { type: 'string' },
      'max-iterations': { type: 'string' },
      scenario: { type: 'string' },
      ffmpeg: { type: 'string' },
      trim: { type: 'boolean' },
      'fail-fast': { type: 'boolean' },
      verbose: { type: 'boolean' },
      baseline: { type: 'string' },
      report: { type: 'string' },
      attribute: { type: 'boolean' },
    },
  });
  // Checked with the other settings by resolveRunConfig (the vitest gate passes it too).
  const timeoutScale = values['timeout-scale'] === undefined ? undefined : Number(values['timeout-scale']);
  return {
    lib: values.lib,
    models: values.model,
    iterations: integer('--iterations', values.iterations),
    maxIterations: integer('--max-iterations', values['max-iterations']),
    scenario: values.scenario,
    ffmpeg: values.ffmpeg,
    audio: values.audio,
    truth: values.truth,
    threads: integer('--threads', values.threads),
    context: integer('--context', values.context),
    language: values.language,
    trim: values.trim,
    failFast: values['fail-fast'],
    out: values.out,
    genMaxTokens: integer('--gen-max-tokens', values['gen-max-tokens']),
    timeoutScale,
    verbose: values.verbose,
    json: values.json ?? false,
    baseline: values.baseline,
    report: values.report,
    attribute: values.attribute ?? false,
  };
}

export const runCommand: Command = {
  name: 'run',
  summary: 'run the model-switching benchmark and write the results JSON',
  usage: USAGE,
  async run(argv, io) {
    const { json, baseline, report, attribute, ...options } = parseRunArgs(argv);
    // heaptrack for --attribute is checked now, not after an hour of measuring.
    if (attribute) await requireHeaptrack(io.env);
    const controller = new AbortController();
    let stops = 0;
    // SIGTERM (a cancelled CI job) and SIGHUP (a closed terminal) end the run as Ctrl-C does: the worker
    // is stopped, what was measured is saved with the failure recorded, and the exit code is 128 + signal.
    const onStop = (signal: NodeJS.Signals): void => {
      stops += 1;
      if (stops > 1) {
        // The worker was killed by the first signal; the results file holds every iteration saved so far.
        io.log(`leakgate run: ${signal === 'SIGINT' ? 'interrupted' : `${signal}`} again: quitting without the report (the results file keeps the iterations saved so far)\n`);
        process.exit(signal === 'SIGINT' ? ExitCode.interrupted : signal === 'SIGHUP' ? ExitCode.hangup : ExitCode.terminated);
      }
      if (signal === 'SIGINT') io.log('\ninterrupted: stopping the worker and saving what was measured (Ctrl-C again to quit at once)\n');
      controller.abort(signal);
    };
    const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of STOP_SIGNALS) process.on(signal, onStop);
    try {
      const reporters = ['console', 'html', ...(json ? ['json' as const] : [])] satisfies ReporterName[];
      const { results, gate } = await run({ ...options, baseline, report, attribute, reporters }, { ...reporterIO(io, 'run', json, process.stdout.isTTY === true), signal: controller.signal });
      return runExitCode(results, gate);
    } finally {
      for (const signal of STOP_SIGNALS) process.off(signal, onStop);
    }
  },
};
