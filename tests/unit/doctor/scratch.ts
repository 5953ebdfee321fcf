import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentError } from '../../../src/errors.js';
import type { FfmpegChoice } from '../../../src/ffmpeg/FfmpegChoice.js';

/** For checks that never look at ffmpeg. */
export const UNUSED_FFMPEG: FfmpegChoice = { found: null, error: environmentError('not resolved in this test') };

/** A temp folder for one doctor test file; `bin` makes a PATH directory of fake executables. */
export function doctorScratch(): {
  dir: string;
  file: (name: string, content: string | Buffer) => string;
  bin: (name: string, tools: Record<string, string>) => string;
  cleanup: () => void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'leakgate-doctor-'));
  return {
    dir,
    file(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    bin(name, tools) {
      const directory = join(dir, name);
      mkdirSync(directory);
      for (const [tool, body] of Object.entries(tools)) {
        writeFileSync(join(directory, tool), `#!/bin/sh\n${body}\n`);
        chmodSync(join(directory, tool), 0o755);
      }
      return directory;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
