import { LeakgateError } from '../../errors.js';
import { precheckAudio } from '../../transcript/precheckAudio.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';

/** The audio file exists, is readable, and is audio (ffprobe, else a RIFF/WAVE header). */
export const audioCheck: DoctorCheck = {
  name: 'audio',
  async run(config, env) {
    try {
      await precheckAudio(config.audioPath, env);
      return [DoctorResult.ok('audio', `${config.audioPath}: readable audio`)];
    } catch (error) {
      if (!(error instanceof LeakgateError)) throw error;
      return [DoctorResult.fromError('audio', error)];
    }
  },
};
