/**
 * The gate: the switching scenario on the engine and models configured as for `leakgate run`
 * (LIBCHATLLM, LEAKGATE_MODELS; by default the reference engine on two generated models),
 * judged and compared with the checked-in baseline (baselines/ of this repository, the project here).
 * It runs until every verdict is decided (as `leakgate run` without --iterations does); ITERATIONS sets
 * a fixed count instead.
 *
 * The benchmark runs once; then one test per model verdict, per count (fds, threads, mappings), for
 * the process as a whole, per baseline metric family and for run-level growth, so vitest's output,
 * its GitHub annotations and the job summary name the model and metric that failed, and show what
 * passed. This is the file a user of leakgate writes (README, "Use it in your project").
 */
import { describeLeakGate } from '../../src/vitest/index.js';

describeLeakGate();
