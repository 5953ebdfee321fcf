import { ExitCode } from '../../errors.js';
import { describeFfmpeg } from '../../ffmpeg/describeFfmpeg.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';

/**
 * chatllm.cpp runs ffmpeg to decode audio and, without it, silently transcribes nothing: a real
 * engine needs one (--ffmpeg / LEAKGATE_FFMPEG, PATH, or the packaged one). The reference engine
 * decodes no audio: without an ffmpeg it passes, unless the one the user named is wrong.
 */
export const ffmpegCheck: DoctorCheck = {
  name: 'ffmpeg',
  async run(config) {
    const { ffmpeg, referenceEngine } = config;
    if (ffmpeg.found !== null) return [DoctorResult.ok('ffmpeg', describeFfmpeg(ffmpeg, referenceEngine))];
    if (referenceEngine && ffmpeg.error.exitCode === ExitCode.environment) return [DoctorResult.ok('ffmpeg', describeFfmpeg(ffmpeg, true))];
    return [DoctorResult.fromError('ffmpeg', ffmpeg.error)];
  },
};
