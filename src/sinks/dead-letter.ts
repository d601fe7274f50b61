// Documents an output refused for good (a mapping conflict, a malformed value) are kept in an NDJSON
// file instead of being dropped, so `o365-elk replay-dead-letter` can send them again once the cause is
// fixed. The file holds audit data, so only its owner may read it.
import { chmod, mkdir, open, readFile, rename, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { appendDurably, trimPartialLine, writeFully } from './durable-append.js';
import { describeWriteFailure } from './write-failure.js';

/** One line of the dead-letter file. */
export interface DeadLetterEntry {
  /** When the document was refused. */
  '@timestamp': string;
  /** The engine's own words, e.g. `mapper_parsing_exception: failed to parse field [source.ip] …`. */
  reason: string;
  /** HTTP status of the refusal (400 for mapping errors). */
  status: number;
  index: string;
  /** The document id (the audit record's Id). */
  id: string;
  /** The document as it was sent (`OutputDocument.source`). */
  document: Record<string, unknown>;
}

export interface DeadLetterWriter {
  /** Resolves once the entries are on disk; rejects, keeping none of them, when they cannot all be written. */
  append(entries: DeadLetterEntry[]): Promise<void>;
}

/**
 * Appends to `path`, opening it for each append: refusals are rare, and a file that
 * `replay-dead-letter` replaced meanwhile is then written to, not its unlinked predecessor.
 */
export function createDeadLetterFile(path: string): DeadLetterWriter {
  return {
    async append(entries) {
      if (entries.length === 0) return;
      const lines = Buffer.from(entries.map((entry) => `${JSON.stringify(entry)}\n`).join(''));
      try {
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        const handle = await open(path, 'a+', 0o600);
        try {
          const { size } = await handle.stat();
          await appendDurably(handle, lines, await trimPartialLine(handle, size));
        } finally {
          await handle.close();
        }
        await restrictToOwner(path);
      } catch (error) {
        throw describeWriteFailure(
          error,
          `the dead-letter file ${path} (output.elasticsearch.dead_letter_path)`,
          'the refused documents stay unacknowledged and are sent again on the next pass',
        );
      }
    },
  };
}

/** A line of a dead-letter file: an entry, or text that is not one (kept as it is by a replay). */
export type DeadLetterLine = { entry: DeadLetterEntry; text: string } | { entry?: undefined; text: string; problem: string };

export interface DeadLetterContents {
  lines: DeadLetterLine[];
  /** Bytes read, so that a rewrite keeps whatever was appended after the read. */
  size: number;
}

export async function readDeadLetterFile(path: string): Promise<DeadLetterContents> {
  const content = await readFile(path);
  const text = content.toString('utf8');
  // A line cut off by a crash has no newline yet; it is not part of what was read.
  const complete = text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map(parseDeadLetterLine);
  return { lines, size: Buffer.byteLength(complete) };
}

function parseDeadLetterLine(text: string): DeadLetterLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { text, problem: 'is not JSON' };
  }
  const entry = value as Partial<DeadLetterEntry> | null;
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) return { text, problem: 'is not a JSON object' };
  if (typeof entry.id !== 'string' || entry.id === '') return { text, problem: 'has no id' };
  if (typeof entry.document !== 'object' || entry.document === null || Array.isArray(entry.document)) {
    return { text, problem: 'has no document object' };
  }
  return { text, entry: entry as DeadLetterEntry };
}

/**
 * Replaces the file's first `readSize` bytes with `lines`, keeping anything appended since, by writing
 * a new file beside it and renaming it over the old one, so a crash leaves either file whole.
 */
export async function rewriteDeadLetterFile(path: string, lines: string[], readSize: number): Promise<void> {
  const appended = (await readFile(path)).subarray(readSize);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(temporary, 'w', 0o600);
  try {
    await writeFully(handle, Buffer.from(lines.map((line) => `${line}\n`).join('')));
    await writeFully(handle, appended);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, path);
}

async function restrictToOwner(path: string): Promise<void> {
  const { mode } = await stat(path);
  if ((mode & 0o077) !== 0) await chmod(path, 0o600);
}
