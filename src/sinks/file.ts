// NDJSON files in a directory, rotated by size. A write is acknowledged only once all of its lines are
// on disk (fdatasync), so the ledger never gets ahead of what survived a crash or a full disk.
import { mkdir, open, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteCoalescer, type FlushResult } from './coalescer.js';
import { appendDurably, trimPartialLine } from './durable-append.js';
import type { OutputDocument, Sink } from './types.js';
import { describeWriteFailure } from './write-failure.js';

export interface FileSinkOptions {
  path: string;
  /** Base name of the files: `<filename>-<UTC timestamp>-<nnnn>.ndjson`. */
  filename: string;
  rotateEveryBytes: number;
  /** Rotated files kept; older ones are deleted. 0 keeps every file. */
  numberOfFiles: number;
}

export function createFileSink(options: FileSinkOptions): Sink {
  let handle: FileHandle | undefined;
  let bytesInFile = 0;
  let fileCounter = 0;
  let closed = false;

  // Names sort by creation: a UTC timestamp to the millisecond, then a zero-padded counter.
  const ourFiles = async (): Promise<string[]> =>
    (await readdir(options.path)).filter((name) => name.startsWith(`${options.filename}-`) && name.endsWith('.ndjson')).sort();

  /**
   * Continues the newest file while it has room, so that runs from cron share files instead of each
   * starting one (which, with number_of_files, would delete earlier runs' output).
   */
  async function openCurrentFile(): Promise<void> {
    const newest = (await ourFiles()).at(-1);
    if (newest !== undefined) {
      const path = join(options.path, newest);
      const { size } = await stat(path);
      if (size < options.rotateEveryBytes) {
        handle = await open(path, 'a+', 0o600);
        bytesInFile = await trimPartialLine(handle, size);
        return;
      }
    }
    await openNextFile();
  }

  async function openNextFile(): Promise<void> {
    await handle?.close();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('.', '');
    fileCounter += 1;
    handle = await open(join(options.path, `${options.filename}-${stamp}-${String(fileCounter).padStart(4, '0')}.ndjson`), 'a+', 0o600);
    bytesInFile = 0;
    await pruneOldFiles();
  }

  async function pruneOldFiles(): Promise<void> {
    if (options.numberOfFiles <= 0) return;
    const ours = await ourFiles();
    for (const name of ours.slice(0, Math.max(0, ours.length - options.numberOfFiles))) {
      await rm(join(options.path, name), { force: true });
    }
  }

  /** Lets go of the file after a failure; the next write opens it again and trims what the failure left. */
  async function dropFile(): Promise<void> {
    const dropped = handle;
    handle = undefined;
    await dropped?.close().catch(() => {});
  }

  const coalescer = createWriteCoalescer(async (documents: OutputDocument[]): Promise<FlushResult> => {
    const lines = Buffer.from(documents.map((d) => `${JSON.stringify(d.source)}\n`).join(''));
    try {
      if (!handle) await openCurrentFile();
      else if (bytesInFile >= options.rotateEveryBytes) await openNextFile();
      await appendDurably(handle!, lines, bytesInFile);
    } catch (error) {
      await dropFile();
      throw describeWriteFailure(error, `output.file.path=${options.path}`, 'the records stay unacknowledged and are written again on the next pass');
    }
    bytesInFile += lines.length;
    return { duplicates: [], rejected: [] };
  });

  return {
    name: 'file',
    open: async () => {
      await mkdir(options.path, { recursive: true, mode: 0o700 });
    },
    // A delivery still running when a stop's grace period ends must not reopen the file after close:
    // its records stay unacknowledged and are written once, on the next run.
    write: (documents) =>
      closed ? Promise.reject(new Error('the file output is closed; these records are written on the next run')) : coalescer.write(documents),
    close: async () => {
      closed = true;
      await coalescer.drain();
      await handle?.close();
      handle = undefined;
    },
  };
}
