import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { attribute, DEFAULT_ATTRIBUTION_SWITCHES } from '../../pipelines/attribute.js';
import { formatAttribution } from '../../report/formatAttribution.js';
import { writeJsonAtomic } from '../../results/writeJsonAtomic.js';
import type { Command } from '../Command.js';
import { ENGINE_FLAGS, integer } from './run.js';

const USAGE = `Usage: leakgate attribute [options]

Names the allocation sites that leak: runs a short switching run twice, plainly and with heaptrack's
preload in the worker (never in leakgate itself), and lists, per model, the sites whose bytes still
allocated after each unload grow per switch: bytes and calls per switch, the first frame in the
engine's own code (function, file:line, library) and its stack up to the C API entry. Standard
library, glibc and JS runtime frames are folded. Needs heaptrack (apt-get install heaptrack).

Options (as for leakgate run, environment variable in brackets):
  --lib PATH            libchatllm.so to drive [LIBCHATLLM]
  --model PATH          model file, repeatable, in switching order [LEAKGATE_MODELS=a.bin,b.bin]
  --switches N          switches per model, the first one warm-up (default ${DEFAULT_ATTRIBUTION_SWITCHES})
  --audio PATH          audio to transcribe (default fixtures/audio/phone-zh.wav)
  --threads N / --context N / --language NAME / --gen-max-tokens N / --timeout-scale X   as for run
  --out PATH            attribution JSON (default results/attribution.json)
  --json                print the attribution as JSON on stdout (the report goes to stderr)

Exit codes: 0 done, 2 usage, 3 engine crash/hang/error, 4 heaptrack or the engine missing, 5 leakgate bug.`;

export const attributeCommand: Command = {
  name: 'attribute',
  summary: 'name the allocation sites that grow per switch (heaptrack in the worker)',
  usage: USAGE,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...ENGINE_FLAGS, switches: { type: 'string' } },
    });
    const timeoutScale = values['timeout-scale'] === undefined ? undefined : Number(values['timeout-scale']);
    const human = values.json ? io.log : io.out;
    const outPath = resolve(io.cwd, values.out ?? 'results/attribution.json');
    const attribution = await attribute(
      {
        lib: values.lib,
        models: values.model,
        switches: integer('--switches', values.switches),
        audio: values.audio,
        truth: values.truth,
        threads: integer('--threads', values.threads),
        context: integer('--context', values.context),
        language: values.language,
        genMaxTokens: integer('--gen-max-tokens', values['gen-max-tokens']),
        timeoutScale,
        out: outPath,
      },
      { env: io.env, cwd: io.cwd, log: (text) => io.log(`${text}\n`) },
    );
    await writeJsonAtomic(outPath, attribution);
    human(`${formatAttribution(attribution)}\nAttribution saved to ${outPath}\n`);
    if (values.json) io.out(`${JSON.stringify(attribution, null, 2)}\n`);
    return 0;
  },
};
