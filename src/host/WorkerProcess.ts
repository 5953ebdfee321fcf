import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WORKER_BUG_EXIT_CODE, type WorkerReply, type WorkerRequest } from '../protocol/WorkerMessage.js';

/** How long a worker may take to exit after `exit` or SIGTERM before it is killed. */
const SIGKILL_TIMEOUT_MS = 2000;
/** Lines of the worker's stderr kept to explain a crash (glibc prints `free(): invalid pointer` there). */
const STDERR_TAIL_LINES = 20;
/** How long to wait, after the worker exits, for the rest of its stderr. */
const STDERR_DRAIN_MS = 500;

/** Lines native/crashstack writes when the engine crashes (one per frame, between begin and end markers). */
const NATIVE_FRAME_PREFIX = 'leakgate-native-frame ';
const NATIVE_STACK_PREFIX = 'leakgate-native-stack ';

// Compiled (the installed package's dist/), the worker is JavaScript; from the sources (this repository,
// its tests) it runs through tsx, given by absolute path so it is found whatever the working directory.
const COMPILED = import.meta.url.endsWith('.js');
const WORKER_ENTRY = fileURLToPath(new URL(`../worker/workerMain.${COMPILED ? 'js' : 'ts'}`, import.meta.url));
const LOADER_ARGS = COMPILED ? [] : ['--import', import.meta.resolve('tsx')];

/** The worker died while a request was in flight. */
export class WorkerCrashError extends Error {
  override readonly name = 'WorkerCrashError';
  constructor(
    readonly signal: NodeJS.Signals | null,
    readonly exitCode: number | null,
    readonly stderrTail: string[],
    /** The crashing thread's stack as the worker's crash handler wrote it ("MODULE OFFSET SYMBOL"), crash first. */
    readonly nativeFrames: string[] = [],
  ) {
    super(signal ? `worker killed by ${signal}` : `worker exited with code ${exitCode}`);
  }
}

/** The worker hit a bug in leakgate's own code and exited; the message is its one-line account. */
export class WorkerBugError extends Error {
  override readonly name = 'WorkerBugError';
}

/** The worker did not answer within the phase timeout; it has been killed. */
export class WorkerTimeoutError extends Error {
  override readonly name = 'WorkerTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
  }
}

type Pending = { resolve: (reply: WorkerReply) => void; reject: (error: Error) => void; timer: NodeJS.Timeout };
type RequestBody = WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never;

/** A child process that hosts the engine and answers the typed protocol. */
export class WorkerProcess {
  readonly child: ChildProcess;
  private nextId = 1;
  private pending = new Map<number, Pending>();
  private stderrTail: string[] = [];
  private stderrPartial = '';
  private nativeFrames: string[] = [];
  private exited: Promise<void>;
  private exitInfo: { signal: NodeJS.Signals | null; code: number | null } | null = null;

  /** `env` is the worker's whole environment (a run's: RunConfig.workerEnv). */
  constructor(env: NodeJS.ProcessEnv = process.env) {
    this.child = fork(WORKER_ENTRY, [], {
      // --expose-gc: the worker collects garbage before each sample, so JS-held native memory is not counted as a leak.
      // --single-threaded: no background V8 compiler/GC threads malloc'ing at random moments; measured under
      // CPU load, a clean model's mean heap change per switch went from -911..+4 KiB to a steady +2 KiB.
      execArgv: ['--expose-gc', '--single-threaded', ...LOADER_ARGS],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      env,
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => {
      const lines = (this.stderrPartial + text).split('\n');
      this.stderrPartial = lines.pop()!;
      for (const line of lines) this.onStderrLine(line);
    });
    this.child.stderr!.on('end', () => this.onStderrLine(this.stderrPartial));
    this.child.on('message', (reply: WorkerReply) => {
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      clearTimeout(waiter.timer);
      this.pending.delete(reply.id);
      waiter.resolve(reply);
    });
    this.exited = new Promise((resolve) => {
      const onGone = (code: number | null, signal: NodeJS.Signals | null): void => {
        if (this.exitInfo) return;
        this.exitInfo = { code, signal };
        const error =
          code === WORKER_BUG_EXIT_CODE
            ? new WorkerBugError(this.stderrTail.findLast((line) => line.startsWith('leakgate worker:')) ?? 'leakgate worker failed')
            : new WorkerCrashError(signal, code, this.stderrTail, this.nativeFrames);
        for (const waiter of this.pending.values()) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
        this.pending.clear();
        resolve();
      };
      // The last stderr lines (glibc's "free(): invalid pointer", a worker bug) may arrive just after
      // 'exit': wait for the end of stderr, briefly, so the report can quote them.
      this.child.on('exit', (code, signal) => {
        const stderr = this.child.stderr!;
        if (stderr.readableEnded) return onGone(code, signal);
        const timer = setTimeout(() => onGone(code, signal), STDERR_DRAIN_MS);
        stderr.once('end', () => {
          clearTimeout(timer);
          onGone(code, signal);
        });
      });
      // Without a listener an 'error' (spawn failed, IPC closed under a send) would crash the host.
      // A worker that never started has no pid and will never emit 'exit'.
      this.child.on('error', (error) => {
        if (this.child.pid === undefined) {
          this.stderrTail.push(`could not start the worker: ${error.message}`);
          onGone(null, null);
        }
      });
    });
  }

  /** Keeps the last lines for the crash report; the crash handler's stack lines go apart (they would flood the tail). */
  private onStderrLine(line: string): void {
    if (line.startsWith(NATIVE_FRAME_PREFIX)) {
      this.nativeFrames.push(line.slice(NATIVE_FRAME_PREFIX.length));
      return;
    }
    if (line.startsWith(NATIVE_STACK_PREFIX) || line.trim() === '') return;
    this.stderrTail.push(line);
    this.stderrTail.splice(0, Math.max(0, this.stderrTail.length - STDERR_TAIL_LINES));
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** Sends a request and waits for its reply, killing the worker when `timeoutMs` passes first. */
  request<T extends WorkerReply>(body: RequestBody, timeoutMs: number): Promise<T> {
    if (this.exitInfo) {
      return Promise.reject(new WorkerCrashError(this.exitInfo.signal, this.exitInfo.code, this.stderrTail, this.nativeFrames));
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        reject(new WorkerTimeoutError(timeoutMs));
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (reply: WorkerReply) => void, reject, timer });
      // A send can fail when the worker died a moment ago: its 'exit' then rejects this request as a crash.
      this.child.send({ ...body, id } as WorkerRequest, () => undefined);
    });
  }

  /** Asks the worker to exit, and kills it if it does not. Safe to call more than once. */
  async close(): Promise<void> {
    if (this.exitInfo) return;
    try {
      if (this.child.connected) this.child.send({ id: 0, type: 'exit' } satisfies WorkerRequest);
    } catch {
      // already disconnected: the kill below ends it
    }
    const timer = setTimeout(() => this.kill(), SIGKILL_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** SIGKILL: a hung native call ignores SIGTERM-style requests. */
  kill(): void {
    if (!this.exitInfo) this.child.kill('SIGKILL');
  }

  async waitForExit(): Promise<void> {
    await this.exited;
  }
}
