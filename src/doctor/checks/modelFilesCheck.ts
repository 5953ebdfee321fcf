import { readFileHead } from '../../files/readFileHead.js';
import { ExitCode, LeakgateError } from '../../errors.js';
import { describeRefModelSpec } from '../../refmodel/describeRefModelSpec.js';
import { readRefModelHeader } from '../../refmodel/readRefModelHeader.js';
import { describeModel } from '../../modelfiles/identifyModelFile.js';
import type { DoctorCheck } from '../DoctorCheck.js';
import { DoctorResult } from '../DoctorResult.js';

const CHECK = 'model';
const MODEL_FIX = 'pass --model PATH (repeatable) or set LEAKGATE_MODELS=a.bin,b.bin';
const CONVERT_FIX =
  "convert the weights with chatllm.cpp's convert.py, or fetch a pre-quantized model with its scripts/model_downloader.py";

/** The first 8 bytes of a file, or an errno code when it cannot be read as a regular file. */
async function readHead(path: string): Promise<Buffer | string> {
  try {
    return await readFileHead(path);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'EIO';
  }
}

async function checkModel(path: string): Promise<DoctorResult> {
  const head = await readHead(path);
  if (typeof head === 'string') {
    const problem = head === 'ENOENT' ? 'model file not found' : head === 'EISDIR' ? 'model path is not a file' : `model file not readable (${head})`;
    return DoctorResult.fail(CHECK, `${problem}: ${path}`, MODEL_FIX, ExitCode.usage);
  }
  try {
    if (head.toString('latin1', 0, 8) === 'LGREFMDL') {
      const spec = await readRefModelHeader(path);
      return DoctorResult.ok(CHECK, `${path}: leakgate reference model, ${spec ? describeRefModelSpec(spec) : 'unreadable header'}`);
    }
    const magic = head.toString('latin1', 0, 4);
    if (magic === 'ggmm' || magic === 'ggml') {
      return DoctorResult.ok(CHECK, `${path}: ${(await describeModel(path)) ?? `chatllm.cpp model ("${magic}")`}`);
    }
    return DoctorResult.fail(CHECK, `not a chatllm.cpp model: ${path} starts with ${JSON.stringify(head.toString('latin1', 0, 4))}, expected "ggmm"`, CONVERT_FIX, ExitCode.usage);
  } catch (error) {
    if (error instanceof LeakgateError) return DoctorResult.fromError(CHECK, error);
    throw error;
  }
}

/**
 * Each model exists and starts with chatllm.cpp's magic ("ggmm", or the legacy "ggml") or with a
 * leakgate reference model's ("LGREFMDL"); the line says what the header describes.
 */
export const modelFilesCheck: DoctorCheck = {
  name: CHECK,
  async run(config) {
    if (config.models.length === 0) return [DoctorResult.fail(CHECK, 'no models to run', MODEL_FIX, ExitCode.usage)];
    const results: DoctorResult[] = [];
    for (const { path } of config.models) results.push(await checkModel(path));
    return results;
  },
};
