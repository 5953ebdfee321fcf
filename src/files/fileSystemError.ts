import { ExitCode, LeakgateError } from '../errors.js';

/**
 * What each file-system error means for the user, and its exit code: the machine lacks something
 * (space, a writable disk: exit 4), or the path given cannot be used (exit 2). Never "a bug in leakgate".
 */
const MEANINGS: Readonly<Record<string, { exitCode: 2 | 4; meaning: string; fix: string }>> = {
  ENOSPC: { exitCode: ExitCode.environment, meaning: 'no space left on the device', fix: 'free some space, or write elsewhere' },
  EDQUOT: { exitCode: ExitCode.environment, meaning: 'disk quota exceeded', fix: 'free some space, or write elsewhere' },
  EFBIG: {
    exitCode: ExitCode.environment,
    meaning: 'file too large: a file-size limit (ulimit -f) was reached',
    fix: 'raise the limit, or write elsewhere',
  },
  EROFS: { exitCode: ExitCode.environment, meaning: 'read-only file system', fix: 'choose a path on a writable file system' },
  EIO: { exitCode: ExitCode.environment, meaning: 'input/output error', fix: 'check the disk, or write elsewhere' },
  EMFILE: { exitCode: ExitCode.environment, meaning: 'too many open files', fix: 'raise ulimit -n' },
  EACCES: { exitCode: ExitCode.usage, meaning: 'permission denied', fix: 'choose a path you may write, or fix its permissions' },
  EPERM: { exitCode: ExitCode.usage, meaning: 'operation not permitted', fix: 'choose a path you may write, or fix its permissions' },
  EISDIR: { exitCode: ExitCode.usage, meaning: 'it is a folder', fix: 'pass a file path, not a folder' },
  ENOTDIR: { exitCode: ExitCode.usage, meaning: 'a part of the path is a file, not a folder', fix: 'pass a path under a folder' },
  EEXIST: { exitCode: ExitCode.usage, meaning: 'it already exists', fix: 'remove it, or choose another path' },
  ENOENT: { exitCode: ExitCode.usage, meaning: 'no such file or folder', fix: 'check the path' },
  ENAMETOOLONG: { exitCode: ExitCode.usage, meaning: 'the name is too long', fix: 'choose a shorter path' },
  ELOOP: { exitCode: ExitCode.usage, meaning: 'too many symbolic links', fix: 'check the path' },
  ETXTBSY: { exitCode: ExitCode.usage, meaning: 'the file is in use as a running program', fix: 'choose another path' },
};

/** The errno code of a Node file-system error, or null for anything else. */
function errnoCode(error: unknown): string | null {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in MEANINGS ? code : null;
}

/**
 * Turns a Node file-system error into one user-facing line with the path and the fix (exit 2 or 4);
 * returns anything else unchanged. `action` says what was being done ("cannot write the results file").
 */
export function fileSystemError(error: unknown, action: string, path?: string): unknown {
  if (error instanceof LeakgateError) return error;
  const code = errnoCode(error);
  if (code === null) return error;
  const { exitCode, meaning, fix } = MEANINGS[code]!;
  const target = path ?? (error as NodeJS.ErrnoException).path ?? '';
  return new LeakgateError(`${action}${target ? ` ${target}` : ''}: ${code} (${meaning}; ${fix})`, exitCode);
}
