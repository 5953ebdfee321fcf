import { execFile } from 'node:child_process';

/** A static ffmpeg answers -version in ~30 ms; a cold disk or a loaded CI runner gets ample margin. */
const VERSION_TIMEOUT_MS = 15_000;

/**
 * Runs `ffmpeg -version` and returns the word after "ffmpeg version" (e.g. "6.1.1-3ubuntu5",
 * "N-47683-g0e8eb07980-static"). Rejects with a one-line reason when it does not run or says
 * something else: the binary is for another platform, truncated, or not ffmpeg.
 */
export function ffmpegVersion(path: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(path, ['-version'], { env, timeout: VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
      if (error) {
        const code = (error as NodeJS.ErrnoException).code;
        reject(
          new Error(
            error.killed
              ? `no answer to -version within ${VERSION_TIMEOUT_MS / 1000} s`
              : typeof code === 'string'
                ? code
                : `-version exited with ${code}`,
          ),
        );
        return;
      }
      const version = /^ffmpeg version (\S+)/m.exec(stdout)?.[1];
      if (version) resolve(version);
      else reject(new Error(`-version printed no "ffmpeg version" line: ${JSON.stringify(stdout.split('\n')[0]?.slice(0, 80) ?? '')}`));
    });
  });
}
