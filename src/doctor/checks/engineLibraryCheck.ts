import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ExitCode } from '../../errors.js';
import { engineLibraryCandidates } from '../../config/engineLibraryCandidates.js';
import { pinnedCommit } from '../../host/describeEngine.js';
import { WorkerCrashError, WorkerProcess, WorkerTimeoutError } from '../../host/WorkerProcess.js';
import type { WorkerReply } from '../../protocol/WorkerMessage.js';
import { type DoctorCheck, DoctorResult } from '../DoctorCheck.js';

const CHECK = 'engine';
/** Loading runs static constructors only; a minute covers a cold disk and a slow CI runner. */
const INIT_TIMEOUT_MS = 60_000;
const REBUILD_FIX = 'npm run native:build, or pass --lib / set LIBCHATLLM to a libchatllm.so built from chatllm.cpp';

/** What scripts/native-build.js records beside the library. */
interface BuildInfo {
  commit?: string | null;
  portable?: boolean;
}

function readBuildInfo(libraryPath: string): BuildInfo | null {
  try {
    return JSON.parse(readFileSync(join(dirname(libraryPath), 'BUILD_INFO.json'), 'utf8')) as BuildInfo;
  } catch {
    return null;
  }
}

/**
 * Loads the library in a worker process (native code never runs in the CLI process) and checks that
 * it exports the chatllm.cpp C API leakgate calls; names the chatllm.cpp commit native:build recorded.
 */
export const engineLibraryCheck: DoctorCheck = {
  name: CHECK,
  async run(config, env) {
    const path = config.libraryPath;
    if (!existsSync(path)) {
      return [DoctorResult.fail(CHECK, `engine library not found: ${path}`, REBUILD_FIX, ExitCode.usage)];
    }
    if (!statSync(path).isFile()) {
      return [DoctorResult.fail(CHECK, `engine library is not a file: ${path}`, REBUILD_FIX, ExitCode.usage)];
    }

    const worker = new WorkerProcess(env);
    let reply: WorkerReply;
    try {
      reply = await worker.request({ type: 'init', libraryPath: path, mmapThresholdBytes: null }, INIT_TIMEOUT_MS);
    } catch (error) {
      if (error instanceof WorkerCrashError) {
        const last = error.stderrTail.at(-1);
        return [
          DoctorResult.fail(
            CHECK,
            `the worker died loading ${path} (${error.message}${last ? `: ${last}` : ''})`,
            REBUILD_FIX,
            ExitCode.environment,
          ),
        ];
      }
      if (error instanceof WorkerTimeoutError) {
        return [
          DoctorResult.fail(CHECK, `loading ${path} did not finish in ${INIT_TIMEOUT_MS / 1000} s`, REBUILD_FIX, ExitCode.environment),
        ];
      }
      throw error;
    } finally {
      await worker.close();
    }

    if (reply.type === 'libraryError') return [DoctorResult.fail(CHECK, reply.message, REBUILD_FIX, ExitCode.environment)];
    if (reply.type !== 'ready') throw new Error(`protocol: init answered with ${reply.type}`);

    if (reply.referenceEngineVersion !== null) {
      return [
        DoctorResult.ok(CHECK, `${path}: leakgate reference engine ${reply.referenceEngineVersion} (the test oracle, not chatllm.cpp)`),
      ];
    }
    const loads = `${path}: loads and exports the chatllm C API leakgate calls`;
    const info = readBuildInfo(path);
    if (!info) return [DoctorResult.ok(CHECK, loads)];
    const built =
      `${loads}; built from chatllm.cpp ${info.commit?.slice(0, 12) ?? '(unknown commit)'}` +
      `${info.portable ? ', portable' : ', -march=native'}`;
    // Only leakgate's own build is expected to match the submodule pin.
    const pinned = pinnedCommit();
    if (info.commit && pinned && info.commit !== pinned && engineLibraryCandidates().includes(path)) {
      return [
        DoctorResult.warn(
          CHECK,
          `${built}, but native/chatllm.cpp pins ${pinned.slice(0, 12)}`,
          'npm run native:build (after git submodule update native/chatllm.cpp)',
        ),
      ];
    }
    return [DoctorResult.ok(CHECK, built)];
  },
};
