import type { ModelIteration } from '../results/RunResults.js';
import { formatBytes, KIB } from '../units.js';
import { grownMappings } from './grownMappings.js';
import type { RunJudgement } from './judgeRun.js';

/** Growth per mapping below this is not named (pages of the JS runtime's heap come and go). */
const NAMED_GROWTH_MINIMUM_BYTES = 256 * KIB;
/** Mappings named per model. */
const NAMED_MAPPINGS = 3;

/** A mapping's name is a path from the worker (untrusted): control characters are shown as '?'. */
// eslint-disable-next-line no-control-regex
const printable = (name: unknown): string => String(name).replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');

/**
 * For each model whose memory outside malloc leaks, names the mappings that grew between the first
 * switch after warm-up and the last (address range, growth, resident size, name) in its explanations.
 */
export function nameOutsideMallocLeaks(judgement: RunJudgement, records: readonly ModelIteration[]): RunJudgement {
  const models = judgement.models.map((model) => {
    const evidence = model.evidence.find((e) => e.signal === 'outsideMalloc');
    if (evidence?.verdict !== 'leak') return model;
    const own = records
      .filter((r) => r.modelKey === model.modelKey && r.phases.afterUnload.outsideMallocMappings)
      .sort((a, b) => a.iteration - b.iteration);
    // The judged series starts with the level before the first load: window start w is the w-th switch.
    const first = own[Math.max(0, evidence.warmupSwitches - 1)];
    const last = own.at(-1);
    if (!first || !last || first === last) return model;
    const grown = grownMappings(
      first.phases.afterUnload.outsideMallocMappings!,
      last.phases.afterUnload.outsideMallocMappings!,
      NAMED_GROWTH_MINIMUM_BYTES,
    );
    const line =
      grown.length === 0
        ? `outside malloc: no single mapping of 1 MiB or more grew between iterations ${first.iteration} and ${last.iteration} (many ` +
          `small mappings, e.g. thread stacks)`
        : `outside malloc, mappings that grew between iterations ${first.iteration} and ${last.iteration}: ` +
          grown
            .slice(0, NAMED_MAPPINGS)
            .map(
              (m) =>
                `${m.range} +${formatBytes(m.grewBytes)} (${formatBytes(m.anonymousBytes)} resident, ` +
                `${m.name === '' ? 'anonymous' : printable(m.name)})`,
            )
            .join('; ') +
          (grown.length > NAMED_MAPPINGS ? `; and ${grown.length - NAMED_MAPPINGS} more` : '');
    return { ...model, explanations: [...model.explanations, line] };
  });
  return { ...judgement, models };
}
