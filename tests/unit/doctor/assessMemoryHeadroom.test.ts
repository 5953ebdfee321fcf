import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../src/errors.js';
import { assessMemoryHeadroom } from '../../../src/doctor/assessMemoryHeadroom.js';
import { parseMemAvailableBytes } from '../../../src/doctor/readMemAvailableBytes.js';
import { GIB } from '../../../src/units.js';

describe('assessMemoryHeadroom', () => {
  it('passes when MemAvailable covers 2.5x the largest model, the boundary included', () => {
    expect(assessMemoryHeadroom(10 * GIB, GIB).status).toBe('ok');
    expect(assessMemoryHeadroom(2.5 * GIB, GIB).status).toBe('ok');
    expect(assessMemoryHeadroom(2.5 * GIB, GIB).detail).toBe('MemAvailable 2.5GiB, the largest model needs ~2.5GiB (2.5 x 1GiB)');
  });

  it('warns between 1x and 2.5x', () => {
    const result = assessMemoryHeadroom(2 * GIB, GIB);
    expect(result).toMatchObject({ status: 'warn', exitCode: ExitCode.ok });
    expect(result.fix).toContain('2.5x');
  });

  it('fails with exit 4 when not even the model file fits', () => {
    expect(assessMemoryHeadroom(0.5 * GIB, GIB)).toMatchObject({ status: 'FAIL', exitCode: ExitCode.environment });
  });
});

describe('parseMemAvailableBytes', () => {
  it('reads the kB figure of /proc/meminfo as bytes', () => {
    const meminfo = 'MemTotal:       24684264 kB\nMemFree:        22135492 kB\nMemAvailable:   24074784 kB\nBuffers:          123 kB\n';
    expect(parseMemAvailableBytes(meminfo)).toBe(24074784 * 1024);
  });

  it('is null when the kernel does not report it', () => {
    expect(parseMemAvailableBytes('MemTotal:       24684264 kB\n')).toBeNull();
  });
});
