/**
 * Worker process entry: loads the engine through koffi and runs one phase per request.
 * A crash or hang here kills or stalls only this process; the host notices and reports it.
 */
import { performance } from 'node:perf_hooks';
import {
  HEAP_MARK_BYTES,
  HEAP_MARKS_ENV,
  WORKER_BUG_EXIT_CODE,
  type PrintedLine,
  type TimedChunk,
  type WorkerReply,
  type WorkerReplyOf,
  type WorkerRequest,
} from '../protocol/WorkerMessage.js';
import { crashStackPaths } from '../refmodel/buildRefEngine.js';
import {
  dieWithParent,
  installCrashHandler,
  loadChatllm,
  loadEngineLedger,
  loadLibc,
  NativeLoadError,
  type ChatllmLibrary,
  type ChatllmObject,
} from './loadNative.js';
import { EngineSiteTracker, LEDGER_SITES_READ } from './engineSiteChanges.js';
import { basename } from 'node:path';

// A hung native call blocks the event loop, so 'disconnect' never runs: the kernel ends us with the host.
dieWithParent();
// The host may already have gone before prctl took effect.
if (!process.connected) process.exit(0);

const PRINT_CHAT_CHUNK = 0;

let engine: ChatllmLibrary | null = null;
const allocator = loadLibc();
const markUnloads = process.env[HEAP_MARKS_ENV] === '1';
// Present when the host preloaded native/ledger: exact counts of what the engine's own code allocates.
const ledger = loadEngineLedger();
const siteTracker = new EngineSiteTracker();
/** The engine is the library itself and the ggml libraries it loads (now or later: the ledger rescans on dlopen). */
const engineModuleNames = (libraryPath: string): string[] => [basename(libraryPath), 'libggml'];
let model: ChatllmObject | null = null;
let armed = false;

/** The ledger's counts, and with `sites` the engine's allocation sites that changed since the last such sample. */
function engineFigures(sites: boolean): Pick<WorkerReplyOf<'sample'>, 'engine' | 'engineSites'> {
  if (!armed || !ledger) return { engine: null };
  const { heapBytes, heapBlocks, mmapBytes, mmapRegions, tableFailures } = ledger.snapshot();
  const engine = { heapBytes, heapBlocks, mmapBytes, mmapRegions, tableFailures };
  return sites ? { engine, engineSites: siteTracker.changes(ledger.sites(LEDGER_SITES_READ)) } : { engine };
}

// Filled by the callbacks while a native call runs; timestamps are taken inside the callback.
let callStartedMs = 0;
let chunks: TimedChunk[] = [];
let lines: PrintedLine[] = [];
let endCalls = 0;

const onPrint = (printType: number, text: string): void => {
  if (printType === PRINT_CHAT_CHUNK) chunks.push({ text, atMs: performance.now() - callStartedMs });
  else lines.push({ printType, text });
};
const onEnd = (): void => {
  endCalls += 1;
};

function beginCall(): void {
  chunks = [];
  lines = [];
  endCalls = 0;
  callStartedMs = performance.now();
}

function requireEngine(): ChatllmLibrary {
  if (!engine) throw new Error('protocol: init must come first');
  return engine;
}

function requireModel(): ChatllmObject {
  if (model === null) throw new Error('protocol: no model is loaded');
  return model;
}

/**
 * Garbage the harness made (callback strings, chunk arrays, IPC buffers) holds malloc'd memory until
 * it is collected, and some of it is freed by finalizers that run after gc() returns. Without this,
 * heap in use carries a few KiB of harness garbage that comes and goes between samples.
 */
async function settleGarbage(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return;
  for (let round = 0; round < SETTLE_ROUNDS; round += 1) {
    gc();
    await new Promise((resolve) => setImmediate(resolve));
  }
}
/** GC rounds per sample: the second frees what the first round's finalizers released. */
const SETTLE_ROUNDS = 2;

const handlers: { [T in WorkerRequest['type']]: (request: Extract<WorkerRequest, { type: T }>) => WorkerReply | Promise<WorkerReply> } = {
  init(request) {
    // Before the engine allocates anything (see MMAP_THRESHOLD_BYTES).
    if (request.mmapThresholdBytes !== null && allocator && !allocator.pinMmapThreshold(request.mmapThresholdBytes))
      throw new Error(`mallopt(M_MMAP_THRESHOLD, ${request.mmapThresholdBytes}) was refused`);
    try {
      engine = loadChatllm(request.libraryPath);
      // After the engine's own initialisers: its native stack is reported if it aborts or faults.
      installCrashHandler(crashStackPaths().libraryPath);
      armed = ledger !== null && ledger.arm(engineModuleNames(request.libraryPath)) > 0;
    } catch (error) {
      if (error instanceof NativeLoadError) return { id: request.id, type: 'libraryError', message: error.message };
      throw error;
    }
    return {
      id: request.id,
      type: 'ready',
      pid: process.pid,
      referenceEngineVersion: engine.referenceEngineVersion,
      heapProbe: allocator !== null,
      ledger: armed
        ? { engineSegments: ledger!.snapshot().engineSegments, mmapThresholdBytes: ledger!.snapshot().mmapThresholdBytes }
        : null,
    };
  },
  async sample(request) {
    await settleGarbage();
    const malloc = allocator ? allocator.mallinfo() : null;
    return {
      id: request.id,
      type: 'sample',
      heapInUseBytes: malloc ? malloc.heapInUseBytes : null,
      v8HeapUsedBytes: process.memoryUsage().heapUsed,
      mallocMmappedBytes: malloc ? malloc.mmappedChunkBytes : null,
      mallocSystemBytes: malloc ? malloc.arenaSystemBytes : null,
      mallocFreeBytes: malloc ? malloc.arenaFreeBytes : null,
      ...engineFigures(request.sites === true),
    };
  },
  load(request) {
    const lib = requireEngine();
    beginCall();
    const obj = lib.create();
    for (const param of request.params) lib.appendParam(obj, param);
    const code = lib.start(obj, onPrint, onEnd);
    const loadMs = performance.now() - callStartedMs;
    if (code !== 0) {
      // Never destroy after a failed start: chatllm.cpp segfaults there. The object is abandoned.
      lib.unregisterCallbacks(obj);
      const errorLines = lines.filter((line) => line.printType === 2).map((line) => line.text.trim());
      return {
        id: request.id,
        type: 'engineError',
        call: 'chatllm_start',
        returnCode: code,
        lines,
        message: errorLines.join(' | ') || `chatllm_start returned ${code}`,
      };
    }
    if (request.genMaxTokens > 0) lib.setGenMaxTokens(obj, request.genMaxTokens);
    model = obj;
    return { id: request.id, type: 'loaded', loadMs, lines };
  },
  infer(request) {
    const lib = requireEngine();
    const obj = requireModel();
    beginCall();
    const returnCode = lib.userInput(obj, request.input);
    const inferMs = performance.now() - callStartedMs;
    return { id: request.id, type: 'inferred', inferMs, returnCode, chunks, lines, endCalls };
  },
  restart(request) {
    const lib = requireEngine();
    const started = performance.now();
    lib.restart(requireModel(), null);
    const restartMs = performance.now() - started;
    // A restart ends a switch of the restart scenario as an unload ends one of the others.
    if (markUnloads) allocator?.mark(HEAP_MARK_BYTES);
    return { id: request.id, type: 'restarted', restartMs };
  },
  unload(request) {
    const lib = requireEngine();
    const obj = requireModel();
    const started = performance.now();
    const returnCode = lib.destroy(obj);
    const unloadMs = performance.now() - started;
    lib.unregisterCallbacks(obj);
    model = null;
    if (request.trim) allocator?.trim();
    if (markUnloads) allocator?.mark(HEAP_MARK_BYTES);
    return { id: request.id, type: 'unloaded', unloadMs, returnCode };
  },
  trim(request) {
    const started = performance.now();
    allocator?.trim();
    return { id: request.id, type: 'trimmed', trimMs: performance.now() - started };
  },
  exit(request) {
    return { id: request.id, type: 'bye' };
  },
};

process.on('message', async (raw) => {
  const request = raw as WorkerRequest;
  const handler = handlers[request.type] as (r: WorkerRequest) => WorkerReply | Promise<WorkerReply>;
  let reply: WorkerReply;
  try {
    reply = await handler(request);
  } catch (error) {
    // A JS exception here is leakgate's bug, not the engine's: say so in one line and exit with the
    // code the host reads as "worker bug" (WorkerProcess.ts), not as an engine crash.
    const message = String(error instanceof Error ? error.message : error).split('\n')[0];
    process.stderr.write(`leakgate worker: ${request.type} failed: ${message}\n`, () => process.exit(WORKER_BUG_EXIT_CODE));
    return;
  }
  process.send!(reply, () => {
    if (reply.type === 'bye') process.exit(0);
  });
});

// The host is gone: nothing will read our replies.
process.on('disconnect', () => process.exit(0));

// Ctrl-C in a terminal reaches the whole process group: the host decides how the run ends.
process.on('SIGINT', () => undefined);
