import { defineConfig } from 'vitest/config';

// On GitHub Actions, vitest's built-in reporter turns failures into annotations and a job summary.
const reporters = process.env.GITHUB_ACTIONS ? ['default', 'github-actions'] : ['default'];

export default defineConfig({
  test: {
    reporters,
    // Tests fork worker processes that load native code: process isolation keeps that out of threads.
    pool: 'forks',
    globalSetup: ['tests/setup/buildRefEngine.ts'],
    projects: [
      // Pure: no process, no native code (a test here needs only Node).
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] },
      },
      // Runs other processes: scripts, a C compiler, readelf, ldd.
      {
        extends: true,
        test: { name: 'processes', include: ['tests/processes/**/*.test.ts'], testTimeout: 60_000 },
      },
      // Needs Chromium (skips, saying why, without Debian's chromium).
      {
        extends: true,
        test: { name: 'browser', include: ['tests/browser/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        extends: true,
        // Forks workers that load the built reference engine.
        test: { name: 'refengine', include: ['tests/refengine/**/*.test.ts'], testTimeout: 120_000 },
      },
      {
        extends: true,
        test: { name: 'bench', include: [], benchmark: { include: ['tests/bench/**/*.bench.ts'] } },
      },
      {
        extends: true,
        test: { name: 'gate', include: ['tests/gate/**/*.test.ts'], testTimeout: 1_800_000, hookTimeout: 600_000 },
      },
      {
        // npm pack, then a fresh project installs the tarball and runs the README's test file (~1-2 min).
        extends: true,
        test: { name: 'consumer', include: ['tests/consumer/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000 },
      },
    ],
  },
});
