import { describe, expect, it } from 'vitest';
import { baselineUpdateCommand } from '../../../src/vitest/describeLeakGate.js';

describe('baselineUpdateCommand: what a failing gate test tells the user to run', () => {
  it('the CLI the package installs, with the options that pick what is measured, paths relative to the project', () => {
    expect(
      baselineUpdateCommand(
        { lib: '/p/build/libchatllm.so', models: ['models/a.bin', '/p/models/b c.bin'], iterations: 30, trim: true },
        '/p',
      ),
    ).toBe("npx leakgate baseline update --lib build/libchatllm.so --model models/a.bin --model 'models/b c.bin' --iterations 30 --trim");
  });

  it('nothing configured: the bare command (the engine and models resolve as the test did)', () => {
    expect(baselineUpdateCommand({}, '/p')).toBe('npx leakgate baseline update');
  });

  it('a configured baselines folder names the file, since the CLI writes under baselines/ by default', () => {
    expect(baselineUpdateCommand({ baselinesDir: 'gates' }, '/p', '/p/gates/reference/linux-x64/switch--a.json')).toBe(
      'npx leakgate baseline update --baseline gates/reference/linux-x64/switch--a.json',
    );
    expect(baselineUpdateCommand({ baseline: '/p/b.json' }, '/p')).toBe('npx leakgate baseline update --baseline b.json');
  });
});
