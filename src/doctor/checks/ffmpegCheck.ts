import { ExitCode } from '../../errors.js';
import { findFfmpeg } from '../../transcript/precheckAudio.js';
import type { DoctorCheck } from '../DoctorCheck.js';
import { DoctorResult } from '../DoctorResult.js';

/** chatllm.cpp runs ffmpeg to decode audio and, without it, silently transcribes nothing. */
export const ffmpegCheck: DoctorCheck = {
  name: 'ffmpeg',
  async run(_config, env) {
    const path = findFfmpeg(env);
    if (path !== null) return [DoctorResult.ok('ffmpeg', `ffmpeg: ${path}`)];
    return [
      DoctorResult.fail(
        'ffmpeg',
        'ffmpeg not found on PATH: chatllm.cpp decodes audio with it and transcribes nothing without it',
        'apt-get install ffmpeg',
        ExitCode.environment,
      ),
    ];
  },
};
