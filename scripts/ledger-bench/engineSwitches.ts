/**
 * Child of scripts/ledger-overhead.ts: N switches (load, transcribe, unload) of a real libchatllm in this
 * process, arming the allocation ledger when it is preloaded; prints CPU and wall milliseconds as JSON.
 * CPU time (user + system, all threads) is what the ledger adds; wall time on a busy machine is noise.
 * Usage: node --import tsx engineSwitches.ts LIB MODEL AUDIO N
 */
import { basename } from 'node:path';
import { audioInput, engineParams } from '../../src/config/engineParams.js';
import { loadChatllm, loadEngineLedger } from '../../src/worker/loadNative.js';

/** As `leakgate run` (--gen-max-tokens): a twin's random weights would otherwise generate up to the context length. */
const GEN_MAX_TOKENS = 256;
const [libraryPath, modelPath, audioPath, n] = process.argv.slice(2) as [string, string, string, string];
const lib = loadChatllm(libraryPath);
const ledger = loadEngineLedger();
const armed = ledger ? ledger.arm([basename(libraryPath), 'libggml']) : 0;
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
let cpu = 0;
let wall = 0;
let firstCpu = 0;
for (let i = 0; i < Number(n); i++) {
  const c0 = cpuMs();
  const w0 = performance.now();
  const obj = lib.create();
  for (const p of engineParams(modelPath, { threads: 6, contextLength: 4096, language: 'Chinese' })) lib.appendParam(obj, p);
  if (
    lib.start(
      obj,
      () => undefined,
      () => undefined,
    ) !== 0
  )
    throw new Error('chatllm_start failed');
  lib.setGenMaxTokens(obj, GEN_MAX_TOKENS);
  lib.userInput(obj, audioInput(audioPath));
  lib.destroy(obj);
  lib.unregisterCallbacks(obj);
  const dc = cpuMs() - c0;
  // The first switch warms caches and the ledger's learned frames: reported apart.
  if (i === 0) firstCpu = dc;
  else {
    cpu += dc;
    wall += performance.now() - w0;
  }
}
const measured = Number(n) - 1;
console.log(
  JSON.stringify({
    armed,
    firstSwitchCpuMs: firstCpu,
    cpuMsPerSwitch: cpu / measured,
    wallMsPerSwitch: wall / measured,
    stats: ledger?.snapshot() ?? null,
  }),
);
