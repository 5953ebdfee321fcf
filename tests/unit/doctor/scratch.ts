import { environmentError } from '../../../src/errors.js';
import type { FfmpegChoice } from '../../../src/ffmpeg/FfmpegChoice.js';
import { scratchDir, type ScratchDir } from '../../support/scratchDir.js';

/** For checks that never look at ffmpeg. */
export const UNUSED_FFMPEG: FfmpegChoice = { found: null, error: environmentError('not resolved in this test') };

/** A temp folder for one doctor test file; `bin` makes a PATH directory of fake executables. */
export const doctorScratch = (): ScratchDir => scratchDir('leakgate-doctor-');
