/**
 * Every kind of model file, given to `run`'s configuration and to `doctor`: both give the same
 * answer (the kind, or the same error line with its fix), because both ask identifyModelFile.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveRunConfig } from '../../../src/config/resolveRunConfig.js';
import { modelFilesCheck } from '../../../src/doctor/checks/modelFilesCheck.js';
import { LeakgateError } from '../../../src/errors.js';
import { identifyModelFile } from '../../../src/modelfiles/identifyModelFile.js';
import { writeRefModel } from '../../../src/refmodel/writeRefModel.js';
import { twinNoteKey } from '../../../src/twin/buildTwinMeta.js';
import { writeTwin } from '../../../src/twin/writeTwin.js';
import { MIB } from '../../../src/units.js';
import { scratchDir } from '../../support/scratchDir.js';
import { UNUSED_FFMPEG } from '../doctor/scratch.js';

const scratch = scratchDir('leakgate-modelfiles-');
afterAll(scratch.cleanup);
const at = (name: string): string => join(scratch.dir, name);

beforeAll(async () => {
  await writeRefModel(at('ref.bin'), { sizeBytes: MIB });
  await writeTwin(at('twin.bin'), { shape: 'tiny', type: 'q4_0', seed: 1 });
  const twin = readFileSync(at('twin.bin'));
  // The same GGMM file without the twin note (a key of the same length): a chatllm.cpp model.
  const note = Buffer.from(`"${twinNoteKey}"`);
  const at0 = twin.indexOf(note);
  expect(at0).toBeGreaterThan(0);
  writeFileSync(
    at('ggmm.bin'),
    Buffer.concat([twin.subarray(0, at0), Buffer.from(`"${'x'.repeat(twinNoteKey.length)}"`), twin.subarray(at0 + note.length)]),
  );
  writeFileSync(at('cut-twin.bin'), twin.subarray(0, Math.floor(twin.length / 2)));
  const ref = readFileSync(at('ref.bin'));
  writeFileSync(at('cut-ref.bin'), ref.subarray(0, ref.length / 2));
  writeFileSync(at('legacy.bin'), Buffer.concat([Buffer.from('ggml', 'latin1'), Buffer.alloc(60)]));
  writeFileSync(at('short.bin'), Buffer.from('ggmm\x01\x00\x00\x00', 'latin1'));
  writeFileSync(at('text.bin'), 'hello, not a model');
  writeFileSync(at('empty.bin'), '');
  mkdirSync(at('folder.bin'));
});

/** What `run` answers: the model's kind, or its error line and exit code. */
async function runAnswer(path: string): Promise<string> {
  try {
    // A library that exists (never loaded here): the real engine, so no model is refused for its engine.
    const config = await resolveRunConfig({ lib: process.execPath, models: [path], out: at('out.json') }, {}, scratch.dir);
    return `ok ${config.models[0]!.kind}`;
  } catch (error) {
    if (!(error instanceof LeakgateError)) throw error;
    return `exit ${error.exitCode}: ${error.message}`;
  }
}

/** What `doctor` answers for the same file. */
async function doctorAnswer(path: string): Promise<string> {
  const [result] = await modelFilesCheck.run(
    { libraryPath: '/unused.so', referenceEngine: false, models: [{ path }], audioPath: '/unused.wav', ffmpeg: UNUSED_FFMPEG },
    {},
  );
  if (result!.status === 'ok') return `ok ${(await identifyModelFile(path)).kind}`;
  return `exit ${result!.exitCode}: ${result!.detail}${result!.fix ? ` (${result!.fix})` : ''}`;
}

describe('a model file gets one answer from run and doctor', () => {
  const kinds: [string, string, RegExp][] = [
    ['a reference model', 'ref.bin', /^ok reference$/],
    ['a twin', 'twin.bin', /^ok twin$/],
    ['a GGMM chatllm.cpp model', 'ggmm.bin', /^ok model$/],
    ['a legacy "ggml" model', 'legacy.bin', /^ok model$/],
    ['missing', 'nope.bin', /^exit 2: model file not found: .*nope\.bin \(pass --model PATH/],
    ['a folder', 'folder.bin', /^exit 2: model path is not a file: .*folder\.bin/],
    ['empty', 'empty.bin', /^exit 2: model file is empty: .*convert\.py/],
    [
      'not a model',
      'text.bin',
      new RegExp(
        String.raw`^exit 2: not a model file: .*text\.bin \(starts with "hello, n", ` +
          String.raw`expected chatllm\.cpp's "ggmm" or a reference model's "LGREFMDL"; convert it`,
      ),
    ],
    ['a GGMM header cut short', 'short.bin', /^exit 2: model file truncated: .*short\.bin is 8 bytes/],
    ['a GGMM model cut in half', 'cut-twin.bin', /^exit 2: GGMM file is truncated or corrupt: .*cut-twin\.bin/],
    ['a reference model cut in half', 'cut-ref.bin', /^exit 2: reference model truncated or altered: .*cut-ref\.bin.*make-ref-model/],
  ];
  for (const [what, file, expected] of kinds) {
    it(what, async () => {
      const run = await runAnswer(at(file));
      expect(run).toMatch(expected);
      expect(await doctorAnswer(at(file))).toBe(run);
    });
  }

  it('describes what the header says, for doctor and the report', async () => {
    await expect(identifyModelFile(at('twin.bin'))).resolves.toMatchObject({
      description: expect.stringMatching(/^Qwen3-ASR twin, tiny shape, q4_0, /),
    });
    await expect(identifyModelFile(at('ggmm.bin'))).resolves.toMatchObject({
      description: expect.stringMatching(/^Qwen3-ASR, tiny shape, q4_0, /),
    });
    await expect(identifyModelFile(at('ref.bin'))).resolves.toMatchObject({
      description: expect.stringContaining('leakgate reference model, 1MiB file'),
    });
  });
});
