import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder for one test file: `file` writes a file in it, `bin` makes a PATH directory of fake executables. */
export interface ScratchDir {
  dir: string;
  file: (name: string, content: string | Buffer) => string;
  /** A directory holding shell scripts named after the tools, with the given bodies. */
  bin: (name: string, tools: Record<string, string>) => string;
  cleanup: () => void;
}

/** Makes a temp folder named `prefix…` under the OS temp dir. */
export function scratchDir(prefix: string): ScratchDir {
  const dir = mkdtempSync(join(tmpdir(), prefix));
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
