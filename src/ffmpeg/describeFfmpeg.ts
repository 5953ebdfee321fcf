import type { FfmpegChoice, FfmpegSource } from './FfmpegChoice.js';
import { FFMPEG_PACKAGE } from './packagedFfmpegPath.js';

/** How the ffmpeg was found, in words: "on PATH", "installed by npm: @ffmpeg-installer/ffmpeg". */
export function describeFfmpegSource(source: FfmpegSource): string {
  if (source === 'PATH') return 'on PATH';
  if (source === 'packaged') return `installed by npm: ${FFMPEG_PACKAGE}`;
  return `from ${source}`;
}

/**
 * One line for the report header and `doctor`: which ffmpeg chatllm.cpp will run, and its version.
 * Without one, the reference engine's line says none is needed (it decodes no audio); a real
 * engine's carries the error, which stops its run.
 */
export function describeFfmpeg(choice: FfmpegChoice, referenceEngine: boolean): string {
  if (choice.found === null)
    return referenceEngine ? 'none usable, none needed: the reference engine decodes no audio' : choice.error.message;
  const { path, version, source } = choice.found;
  return `${path} (version ${version}, ${describeFfmpegSource(source)}${referenceEngine ? ', not used by the reference engine' : ''})`;
}
