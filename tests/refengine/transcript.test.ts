/** Transcript quality end to end: the engine's chunks, extraction, s2twp, ITN and the seed's WER. */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../src/pipelines/run.js';
import { quietIO, refModelDir } from '../support/refModels.js';
import { MIB } from '../../src/units.js';

const models = refModelDir();
afterAll(models.cleanup);

async function transcribe(transcript: string, truth: string, splitMarkers = false) {
  const path = await models.model(`t-${Buffer.from(transcript).toString('hex').slice(0, 16)}`, {
    transcript,
    splitMarkers,
    sizeBytes: MIB,
  });
  const io = quietIO(models.dir);
  const { results } = await run({ models: [path], iterations: 2, truth, verbose: true, out: join(models.dir, 'r.json') }, io);
  return { record: results.records[0]!, report: io.output.join('') };
}

describe('transcripts through the engine', () => {
  it('scores the spoken phone number 0 % against 0900073331', async () => {
    const { record } = await transcribe('零九零零零七三三三一', '0900073331');
    expect(record.transcript).toBe('0900073331');
    expect(record.werPercent).toBe(0);
    expect(record.language).toBe('Chinese');
  });

  it('scores one wrong digit 10 %, with the markers split across chunks', async () => {
    const { record } = await transcribe('零九零零零七三三三二', '0900073331', true);
    expect(record.transcript).toBe('0900073332');
    expect(record.werPercent).toBe(10);
  });

  it('shows a simplified-script transcript in its zh-TW form in the report', async () => {
    const { record, report } = await transcribe('软件的内存', '軟體的記憶體');
    expect(record.transcriptZhTw).toBe('軟體的記憶體');
    expect(report).toContain('軟體的記憶體');
    expect(record.werPercent).toBe(0);
  });
});
