/**
 * What the allocation ledger (native/ledger) costs. Prints figures; not a test.
 *
 * 1. ns per malloc/free pair: a stand-in engine (scripts/ledger-bench/) driven by a small C program,
 *    without the ledger, and with it armed, the caller in the engine or not (then it only looks the
 *    pointer up in its filter). The program also checks the counts are exact (it exits 1 when not).
 * 2. With --lib LIB --model M [--iterations N] [--rounds R]: N switches of that engine in a fresh process
 *    (scripts/ledger-bench/engineSwitches.ts), without and with the ledger, R rounds alternating: CPU
 *    and wall milliseconds per switch and their ratio (CPU time is the steadier on a busy machine).
 *
 * Usage: npx tsx scripts/ledger-overhead.ts [--pairs N] [--lib LIB --model M --iterations N --rounds R]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLedger } from '../src/refmodel/buildRefEngine.js';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '5000000' },
    lib: { type: 'string' },
    model: { type: 'string', multiple: true },
    iterations: { type: 'string', default: '10' },
    rounds: { type: 'string', default: '3' },
    audio: { type: 'string', default: 'fixtures/audio/phone-zh.wav' },
  },
});

const here = resolve(import.meta.dirname, 'ledger-bench');
const work = mkdtempSync(join(tmpdir(), 'leakgate-ledger-bench-'));
try {
  const ledger = (await buildLedger()).libraryPath;
  execFileSync('c++', ['-O2', '-shared', '-fPIC', '-o', join(work, 'libbenchengine.so'), join(here, 'benchengine.cpp')]);
  execFileSync('cc', ['-O2', '-o', join(work, 'bench'), join(here, 'bench.c'), `-L${work}`, '-lbenchengine', `-Wl,-rpath,${work}`, '-ldl']);
  const bench = (preload: boolean): string =>
    execFileSync(join(work, 'bench'), [values.pairs!], {
      encoding: 'utf8',
      env: { ...process.env, ...(preload ? { LD_PRELOAD: ledger } : {}) },
    });
  console.log('--- without the ledger');
  process.stdout.write(bench(false));
  console.log('--- with the ledger preloaded and armed on libbenchengine');
  process.stdout.write(bench(true));

  if (values.lib && values.model?.length) {
    // Alternating runs of the same switches in a fresh process, without and with the ledger: CPU time
    // per switch (all threads) is compared, medians over the rounds; the first switch is left out.
    const ffmpegDir = dirname(
      execFileSync('node', ['-e', "process.stdout.write(require('@ffmpeg-installer/ffmpeg').path)"], { encoding: 'utf8' }),
    );
    const child = (preload: boolean): { cpuMsPerSwitch: number; wallMsPerSwitch: number } =>
      JSON.parse(
        execFileSync(
          'node',
          ['--import', 'tsx', join(here, 'engineSwitches.ts'), values.lib!, values.model![0]!, values.audio!, values.iterations!],
          {
            encoding: 'utf8',
            env: { ...process.env, PATH: `${ffmpegDir}:${process.env['PATH'] ?? ''}`, ...(preload ? { LD_PRELOAD: ledger } : {}) },
          },
        )
          .trim()
          .split('\n')
          .at(-1)!,
      ) as { cpuMsPerSwitch: number; wallMsPerSwitch: number };
    const off: number[] = [];
    const on: number[] = [];
    const offWall: number[] = [];
    const onWall: number[] = [];
    for (let round = 0; round < Number(values.rounds); round++) {
      const a = child(false);
      const b = child(true);
      off.push(a.cpuMsPerSwitch);
      on.push(b.cpuMsPerSwitch);
      offWall.push(a.wallMsPerSwitch);
      onWall.push(b.wallMsPerSwitch);
      console.log(
        `round ${round + 1}: CPU ms per switch ${a.cpuMsPerSwitch.toFixed(0)} without, ${b.cpuMsPerSwitch.toFixed(0)} with the ledger ` +
          `(wall ${a.wallMsPerSwitch.toFixed(0)} / ${b.wallMsPerSwitch.toFixed(0)})`,
      );
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(
      `--- ${values.lib}: median CPU ms per switch ${median(off).toFixed(0)} without, ${median(on).toFixed(0)} with the ledger: ratio ` +
        `${(median(on) / median(off)).toFixed(3)}`,
    );
    console.log(
      `    median wall ms per switch ${median(offWall).toFixed(0)} without, ${median(onWall).toFixed(0)} with: ratio ` +
        `${(median(onWall) / median(offWall)).toFixed(3)}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
