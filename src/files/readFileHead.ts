import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

/**
 * The first `bytes` bytes of a regular file (fewer when the file is shorter), to tell model
 * formats apart by their magic. Rejects with the errno error (EISDIR for anything but a file). Opened
 * with O_NONBLOCK: a FIFO is refused at once instead of waiting for a writer for good.
 */
export async function readFileHead(path: string, bytes = 8): Promise<Buffer> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!(await handle.stat()).isFile()) throw Object.assign(new Error(`${path} is not a file`), { code: 'EISDIR' });
    const head = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(head, 0, bytes, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}
