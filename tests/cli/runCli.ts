/**
 * Runs the real CLI (`node bin/leakgate.js ...`) as a child process and watches every process it
 * starts, so a test can assert the exit code, the one-line error on stderr, the time taken, and that
 * no worker (or any other descendant) outlives the run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI = join(REPO_ROOT, 'bin/leakgate.js');
/** Every process the CLI starts inherits this variable (the worker is forked with the CLI's env). */
const TAG_VARIABLE = 'LEAKGATE_CLI_TEST_TAG';
const WATCH_INTERVAL_MS = 100;
/** A worker the CLI did not wait for would still be there; one reaped by init a moment late is not a survivor. */
const SURVIVOR_GRACE_MS = 300;

export interface ProcessSeen {
  pid: number;
  /** /proc/PID/stat field 22: tells a survivor from a new process that reused the pid. */
  startTicks: string;
  cmdline: string;
}

export interface CliResult {
  /** The arguments after `leakgate`. */
  args: string[];
  /** The CLI's pid: names its temp files (`OUT.PID.tmp`, `.leakgate-write-check-PID`). */
  pid: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The run was killed by the test for taking longer than its timeout. */
  timedOut: boolean;
  /** Descendants of the CLI seen while it ran (workers, ffprobe, the compiler ...). */
  descendants: ProcessSeen[];
  /** Processes started by this CLI run that are still alive after it exited. */
  survivors: ProcessSeen[];
}

export interface CliOptions {
  timeoutMs: number;
  /** Replaces the environment (the tag is added); default: the test's environment. */
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Absolute path of node (a PATH without node still runs the CLI). */
  node?: string;
}

export interface CliRun {
  child: ChildProcess;
  /** Output so far, for tests that act during the run (Ctrl-C). */
  output(): { stdout: string; stderr: string };
  /** Descendants seen so far. */
  descendants(): ProcessSeen[];
  done: Promise<CliResult>;
}

interface ProcEntry {
  pid: number;
  ppid: number;
  state: string;
  startTicks: string;
}

function readProc(pid: number): ProcEntry | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    // "pid (comm) state ppid ..."; comm may hold spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { pid, ppid: Number(fields[1]), state: fields[0]!, startTicks: fields[19]! };
  } catch {
    return null;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function cmdlineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

function hasTag(pid: number, tag: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${TAG_VARIABLE}=${tag}`);
  } catch {
    return false;
  }
}

/** Every current descendant of `rootPid`. */
function descendantsOf(rootPid: number): ProcEntry[] {
  const table = allPids()
    .map(readProc)
    .filter((entry): entry is ProcEntry => entry !== null);
  const found: ProcEntry[] = [];
  const parents = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const entry of table) {
      if (parents.has(entry.ppid) && !parents.has(entry.pid)) {
        parents.add(entry.pid);
        found.push(entry);
        grew = true;
      }
    }
  }
  return found;
}

/**
 * Processes from `seen` still running (same pid and start time), plus any running tagged process.
 * A zombie has exited: once the CLI is gone it is init's to reap, and init may take a moment.
 */
function findSurvivors(seen: Map<number, ProcessSeen>, tag: string, selfPid: number): ProcessSeen[] {
  const alive = new Map<number, ProcessSeen>();
  for (const process of seen.values()) {
    const entry = readProc(process.pid);
    if (entry && entry.startTicks === process.startTicks && entry.state !== 'Z')
      alive.set(process.pid, { ...process, cmdline: `${process.cmdline} [${entry.state}]` });
  }
  for (const pid of allPids()) {
    if (pid === selfPid || alive.has(pid) || !hasTag(pid, tag)) continue;
    const entry = readProc(pid);
    if (entry && entry.state !== 'Z') alive.set(pid, { pid, startTicks: entry.startTicks, cmdline: `${cmdlineOf(pid)} [${entry.state}]` });
  }
  return [...alive.values()];
}

/** Starts `leakgate ARGS`; `done` resolves when it has exited and the survivor check has run. */
export function startCli(args: string[], options: CliOptions): CliRun {
  const tag = randomUUID();
  const started = performance.now();
  const child = spawn(options.node ?? process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    env: { ...(options.env ?? process.env), [TAG_VARIABLE]: tag },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr += text));

  const seen = new Map<number, ProcessSeen>();
  const watch = (): void => {
    if (child.pid === undefined) return;
    for (const entry of descendantsOf(child.pid)) {
      // A child seen between fork and exec still shows its parent's command line: keep the latest one read.
      const known = seen.get(entry.pid);
      const cmdline = cmdlineOf(entry.pid);
      if (known === undefined || known.startTicks !== entry.startTicks)
        seen.set(entry.pid, { pid: entry.pid, startTicks: entry.startTicks, cmdline });
      else if (cmdline !== '') known.cmdline = cmdline;
    }
  };
  const watcher = setInterval(watch, WATCH_INTERVAL_MS);

  let timedOut = false;
  const killer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);

  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (exitCode, signal) => {
      const durationMs = performance.now() - started;
      clearInterval(watcher);
      clearTimeout(killer);
      setTimeout(() => {
        resolve({
          args,
          pid: child.pid ?? -1,
          exitCode,
          signal,
          stdout,
          stderr,
          durationMs,
          timedOut,
          descendants: [...seen.values()],
          survivors: findSurvivors(seen, tag, process.pid),
        });
      }, SURVIVOR_GRACE_MS);
    });
  });
  return { child, output: () => ({ stdout, stderr }), descendants: () => [...seen.values()], done };
}

/** Runs `leakgate ARGS` to the end. */
export const runCli = (args: string[], options: CliOptions): Promise<CliResult> => startCli(args, options).done;

/** Stack-trace lines ("    at foo (file:1:2)"): never shown without --debug. */
export const STACK_LINE = /^\s+at\s/m;

/** Polls `check` every 100 ms until it returns true or `timeoutMs` passes. */
export async function waitFor(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
