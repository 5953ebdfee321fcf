import { audioCheck } from './checks/audioCheck.js';
import { engineLibraryCheck } from './checks/engineLibraryCheck.js';
import { ffmpegCheck } from './checks/ffmpegCheck.js';
import { heaptrackCheck } from './checks/heaptrackCheck.js';
import { memoryCheck } from './checks/memoryCheck.js';
import { modelFilesCheck } from './checks/modelFilesCheck.js';
import type { DoctorCheck } from './DoctorCheck.js';

/** Every doctor check, in the order they print; the first FAIL decides the exit code. */
export const DOCTOR_CHECKS: readonly DoctorCheck[] = [engineLibraryCheck, ffmpegCheck, modelFilesCheck, audioCheck, memoryCheck, heaptrackCheck];
