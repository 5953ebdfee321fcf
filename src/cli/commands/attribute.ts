import { ExitCode } from '../../errors.js';
import { commandIO, jsonIO } from '../../LeakgateIO.js';
import { attribute, DEFAULT_ATTRIBUTION_SWITCHES } from '../../pipelines/attribute.js';
import type { Command } from '../commands.js';
import { parseAttributeFlags } from '../flags.js';

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
  --scenario NAME       switch | recreate | restart (default switch)
  --audio PATH          audio to transcribe (default fixtures/audio/phone-zh.wav)
  --ffmpeg PATH / --truth TEXT|FILE / --threads N / --context N / --language NAME / --trim /
  --gen-max-tokens N / --timeout-scale X   as for run
  --out PATH            attribution JSON (default results/attribution.json)
  --json                print the attribution as JSON on stdout (the report goes to stderr)

Exit codes: 0 done, 2 usage, 3 engine crash/hang/error, 4 heaptrack or the engine missing, 5 leakgate bug.`;

export const attributeCommand: Command = {
  name: 'attribute',
  summary: 'name the allocation sites that grow per switch (heaptrack in the worker)',
  usage: USAGE,
  async run(argv, io) {
    const options = parseAttributeFlags(argv);
    await attribute(options, commandIO(options.json ? jsonIO(io) : io, 'attribute'));
    return ExitCode.ok;
  },
};
