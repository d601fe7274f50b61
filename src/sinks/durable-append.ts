// Appending NDJSON so that what is acknowledged is on disk and what is not leaves no trace. The kernel
// may take fewer bytes than asked (a disk filling up, a file size limit), so every write is repeated
// until all of it is taken, then fdatasync; a failure cuts the file back to its length before the
// append, so no half line remains to spoil the next one.

/** The part of a `FileHandle` opened with 'a+' that appending needs. */
export interface AppendableFile {
  write(buffer: Uint8Array, offset: number, length: number): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  truncate(length: number): Promise<void>;
  datasync(): Promise<void>;
}

/** Writes all of `data` at the file's current position, however many writes it takes. */
export async function writeFully(file: Pick<AppendableFile, 'write'>, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await file.write(data, offset, data.length - offset);
    if (bytesWritten <= 0) throw new Error(`the file took ${offset} of ${data.length} bytes and then no more`);
    offset += bytesWritten;
  }
}

/**
 * Appends `data` to a file that is `lengthBefore` bytes long and resolves once it is on disk. On failure
 * the file is cut back to `lengthBefore` before the error is thrown; should that cut fail too, the file
 * may end in a partial line, which `trimPartialLine` removes before the next append.
 */
export async function appendDurably(file: AppendableFile, data: Uint8Array, lengthBefore: number): Promise<void> {
  try {
    await writeFully(file, data);
    await file.datasync();
  } catch (error) {
    await file.truncate(lengthBefore).catch(() => {});
    throw error;
  }
}

const NEWLINE = 0x0a;
const SCAN_BYTES = 65_536;

/**
 * Cuts a file of `size` bytes back to the end of its last whole line, dropping what a crash or a failed
 * append left after it (never acknowledged, so written again later); returns the new size.
 */
export async function trimPartialLine(file: AppendableFile, size: number): Promise<number> {
  const buffer = Buffer.alloc(SCAN_BYTES);
  let end = size;
  while (end > 0) {
    const start = Math.max(0, end - SCAN_BYTES);
    const { bytesRead } = await file.read(buffer, 0, end - start, start);
    const newline = buffer.subarray(0, bytesRead).lastIndexOf(NEWLINE);
    if (newline !== -1) {
      end = start + newline + 1;
      break;
    }
    end = start;
  }
  if (end === size) return size;
  await file.truncate(end);
  await file.datasync();
  return end;
}
