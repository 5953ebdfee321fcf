import type { RunConfig } from '../config/RunConfig.js';
import { describeFfmpeg } from '../ffmpeg/describeFfmpeg.js';
import type { ProbeSample } from '../results/ProbeSample.js';
import type { EngineInfo, ModelIteration, RunFailure, StopRule } from '../results/RunResults.js';
import { formatPatches } from './formatPatches.js';
import { formatBytes, MIB } from '../units.js';
import { untrustedText } from '../untrustedText.js';
import { RULE } from './sectionHeading.js';

/*
 * The run's log in the seed's console format (--verbose): the banner, each iteration's heading, one
 * block per model, and the failed model's memory line. The Summary table is formatSummary.ts.
 */

const fixed = (value: number | null, digits = 2): string => (value === null ? 'n/a' : value.toFixed(digits));

/** The banner: what runs, on what, how many times. */
export function formatHeader(config: RunConfig, scenarioDescription: string, engine?: EngineInfo): string {
  const lines = [RULE, 'leakgate: Model Switching Memory Benchmark', RULE];
  config.models.forEach((model, index) => {
    const kind = model.kind === 'model' ? '' : model.kind === 'twin' ? ' [twin: random weights]' : ' [reference model]';
    lines.push(`Model ${index + 1} (${untrustedText(model.label)}): ${untrustedText(model.path)}${kind}`);
  });
  lines.push(
    `Audio: ${untrustedText(config.audioPath)}`,
    `Ground Truth: ${config.truth === null ? '(none: WER not scored)' : untrustedText(config.truth)}`,
    `Inference Threads: ${config.threads}`,
    `Iterations: ${formatStopRule(config.stopRule)}`,
    `Scenario: ${config.scenario} (${scenarioDescription})`,
    `Engine: ${untrustedText(config.libraryPath)}${config.referenceEngine ? ' [reference engine: the test oracle, not chatllm.cpp]' : ''}`,
    `FFmpeg: ${describeFfmpeg(config.ffmpeg, config.referenceEngine)}`,
  );
  if (engine && !engine.reference) {
    lines.push(`Engine Commit: ${engine.chatllmCommit ?? 'unknown'}`, `Engine Patches: ${formatPatches(engine.patches)}`);
  }
  if (config.trim) lines.push('malloc_trim(0) after each unload: on');
  lines.push(
    config.mmapThresholdBytes === null
      ? "Allocator: glibc's mmap threshold left dynamic (--dynamic-mmap-threshold)"
      : `Allocator: glibc's mmap threshold pinned at ${formatBytes(config.mmapThresholdBytes)} in the worker ` +
          '(every load meets the allocator as the first did; --dynamic-mmap-threshold to leave it to glibc)',
  );
  for (const note of config.notes) lines.push(`Configured: ${untrustedText(note)}`);
  return `${lines.join('\n')}\n`;
}

/** "100", or "until every verdict is decided and holds for 5 iterations, at most 100 (--iterations N for a fixed length)". */
export function formatStopRule(rule: StopRule): string {
  if (rule.rule === 'fixed') return String(rule.maxIterations);
  return (
    `until every verdict is decided and holds for ${rule.confirmIterations} iterations, at most ${rule.maxIterations} ` +
    `(--iterations N for a fixed length)`
  );
}

/** The seed's per-iteration block heading. */
export function formatIterationHeading(iteration: number, iterations: number): string {
  return `\n${RULE}\nIteration ${iteration}/${iterations}\n${RULE}`;
}

/** The seed's per-model lines: transcript, result, TTFT/speed/WER and the four RSS figures. */
export function formatSwitch(record: ModelIteration, label: string): string {
  const mb = (bytes: number): string => (bytes / MIB).toFixed(1);
  const p = record.phases;
  return [
    '',
    `[${label}] Loading model...`,
    `[${label}] Transcribing...`,
    record.transcriptZhTw ? untrustedText(record.transcriptZhTw) : '(empty transcript)',
    `[${label}] Result: ${untrustedText(record.transcript)}`,
    `[${label}] TTFT: ${fixed(record.ttftMs)}ms, Speed: ${fixed(record.charsPerSecond)} chars/sec, WER: ` +
      `${record.werPercent === null ? 'n/a' : `${fixed(record.werPercent)}%`}`,
    `[${label}] Memory: ${mb(p.beforeLoad.rssBytes)} → ${mb(p.afterLoad.rssBytes)} (load) → ${mb(p.afterInfer.rssBytes)} (infer) → ` +
      `${mb(p.afterUnload.rssBytes)} (unload)`,
  ].join('\n');
}

/** The failed switch's memory line: the phases sampled before the failure, then where it failed. */
export function formatPartialSwitch(failure: RunFailure, label: string): string | null {
  const phases = failure.partialCycle?.phases;
  if (!phases?.beforeLoad) return null;
  const mb = (sample: ProbeSample | undefined): string | null => (sample ? (sample.rssBytes / MIB).toFixed(1) : null);
  const parts = [
    mb(phases.beforeLoad),
    phases.afterLoad && `${mb(phases.afterLoad)} (load)`,
    phases.afterInfer && `${mb(phases.afterInfer)} (infer)`,
    phases.afterUnload && `${mb(phases.afterUnload)} (unload)`,
  ].filter(Boolean);
  return `[${label}] Memory before the failure: ${parts.join(' → ')} → ${failure.kind} at ${failure.step ?? 'sampling'}`;
}
