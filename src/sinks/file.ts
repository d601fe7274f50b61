// NDJSON files in a directory, rotated by size. A write is acknowledged only once its lines are on
// disk (fdatasync), so the ledger never gets ahead of what survived a crash.
import { mkdir, open, readdir, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { createWriteCoalescer, type FlushResult } from './coalescer.js';
import type { OutputDocument, Sink } from './types.js';

export interface FileSinkOptions {
  path: string;
  /** Base name of the files: `<filename>-<UTC timestamp>-<n>.ndjson`. */
  filename: string;
  rotateEveryBytes: number;
  /** Rotated files kept; older ones are deleted. 0 keeps every file. */
  numberOfFiles: number;
}

export function createFileSink(options: FileSinkOptions): Sink {
  let handle: FileHandle | undefined;
  let bytesInFile = 0;
  let fileCounter = 0;

  async function openNextFile(): Promise<void> {
    await handle?.close();
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    fileCounter += 1;
    handle = await open(join(options.path, `${options.filename}-${stamp}-${fileCounter}.ndjson`), 'a', 0o600);
    bytesInFile = 0;
    await pruneOldFiles();
  }

  async function pruneOldFiles(): Promise<void> {
    if (options.numberOfFiles <= 0) return;
    const ours = (await readdir(options.path))
      .filter((name) => name.startsWith(`${options.filename}-`) && name.endsWith('.ndjson'))
      .sort();
    for (const name of ours.slice(0, Math.max(0, ours.length - options.numberOfFiles))) {
      await rm(join(options.path, name), { force: true });
    }
  }

  const coalescer = createWriteCoalescer(async (documents: OutputDocument[]): Promise<FlushResult> => {
    if (!handle || bytesInFile >= options.rotateEveryBytes) await openNextFile();
    const text = documents.map((d) => `${JSON.stringify(d.source)}\n`).join('');
    const { bytesWritten } = await handle!.write(text);
    bytesInFile += bytesWritten;
    await handle!.datasync();
    return { duplicates: [], rejected: [] };
  });

  return {
    name: 'file',
    open: async () => {
      await mkdir(options.path, { recursive: true, mode: 0o700 });
    },
    write: coalescer.write,
    close: async () => {
      await coalescer.drain();
      await handle?.close();
      handle = undefined;
    },
  };
}
