import { spawn } from 'node:child_process';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { HeaptrackDumpParser, type HeaptrackDump } from './HeaptrackDump.js';

/**
 * Symbolizes a raw heaptrack dump (DUMP_HEAPTRACK_OUTPUT) with heaptrack_interpret and parses its
 * output as it streams, so the interpreted text (hundreds of MB for a real engine) is never stored.
 */
export async function readHeaptrackDump(interpreter: string, rawDumpPath: string, markBytes: number): Promise<HeaptrackDump> {
  const input = await open(rawDumpPath, 'r');
  try {
    const child = spawn(interpreter, [], { stdio: [input.fd, 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (text: string) => (stderr = (stderr + text).slice(-2000)));
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const parser = new HeaptrackDumpParser(markBytes);
    for await (const line of createInterface({ input: child.stdout!, crlfDelay: Infinity })) parser.line(line);
    const code = await exited;
    if (code !== 0) throw new Error(`${interpreter} failed (exit ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`);
    return parser.finish();
  } finally {
    await input.close();
  }
}
