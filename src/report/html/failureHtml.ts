import { PHASES } from '../../results/ProbeSample.js';
import type { RunResults } from '../../results/RunResults.js';
import { describeFrame } from '../../results/NativeFrame.js';
import { escapeHtml } from './escapeHtml.js';
import { formatBytesIn } from '../../units.js';

/** Why the run ended early (crash, hang, engine error, interruption), and what the failed switch measured; '' when it did not. */
export function failureHtml(results: RunResults): string {
  const failure = results.failure;
  if (!failure) return '';
  const label = results.models.find((m) => m.key === failure.modelKey)?.label ?? failure.modelKey ?? 'no model';
  const where = [
    `model ${label}`,
    `iteration ${failure.iteration}`,
    failure.step ? `during ${failure.step}` : 'while sampling',
    failure.signal ? `signal ${failure.signal}` : null,
    failure.timeoutMs !== null ? `timeout ${failure.timeoutMs} ms` : null,
  ].filter(Boolean);
  const phases = failure.partialCycle?.phases;
  const sampled = phases
    ? PHASES.flatMap((phase) => {
        const s = phases[phase];
        return s ? [`${phase}: RSS ${formatBytesIn(s.rssBytes, 'MiB')}${s.heapInUseBytes === null ? '' : `, heap ${formatBytesIn(s.heapInUseBytes, 'MiB')}`}`] : [];
      })
    : [];
  return [
    '<div class="alert failure">',
    `<p><strong>The run ended early: ${escapeHtml(failure.kind)}</strong> — ${escapeHtml(where.join(', '))}.</p>`,
    `<p><code>${escapeHtml(failure.message)}</code></p>`,
    sampled.length ? `<p>Measured before the failure: ${escapeHtml(sampled.join(' → '))}</p>` : '',
    failure.partialCycle?.rawOutput ? `<p>Output so far: <code>${escapeHtml(failure.partialCycle.rawOutput)}</code></p>` : '',
    failure.nativeStack?.length
      ? `<details open><summary>Native stack of the crashing thread (innermost first)</summary><ol class="stack">${failure.nativeStack.map((frame) => `<li><code>${escapeHtml(describeFrame(frame))}</code> <span class="muted">${escapeHtml(frame.module.slice(frame.module.lastIndexOf('/') + 1))}</span></li>`).join('')}</ol></details>`
      : '',
    '</div>',
  ].join('\n');
}
