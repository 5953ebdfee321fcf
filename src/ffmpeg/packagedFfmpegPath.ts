import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PLATFORM } from '../system/platform.js';

/** The npm package whose per-platform optional dependency carries a static ffmpeg binary. */
export const FFMPEG_PACKAGE = '@ffmpeg-installer/ffmpeg';

/**
 * Path of the ffmpeg binary `npm install` brought (@ffmpeg-installer/<platform>-<arch>/ffmpeg), or
 * null when that package is absent (an unsupported platform, `--omit=optional`). The file is not
 * checked here. The platform package is resolved from the main one, as npm and pnpm lay them out.
 */
export function packagedFfmpegPath(from: string | URL = import.meta.url): string | null {
  try {
    const main = createRequire(from).resolve(`${FFMPEG_PACKAGE}/package.json`);
    const platformPackage = createRequire(main).resolve(`@ffmpeg-installer/${PLATFORM}/package.json`);
    return join(dirname(platformPackage), process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
  } catch {
    return null;
  }
}
