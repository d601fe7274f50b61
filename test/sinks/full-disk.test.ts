// A disk that fills up under the file output or the dead-letter file: only what is wholly on disk is
// acknowledged, no cut-off line is left to spoil the NDJSON, and writing goes on cleanly once there is
// room. The disk fills through RLIMIT_FSIZE in a child process, which needs no privileges: a write
// past the limit is cut short and the next one fails with EFBIG, as on a filesystem out of space.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { appendDurably } from '../../src/sinks/durable-append.js';
import { createFileSink } from '../../src/sinks/file.js';
import { describeWriteFailure } from '../../src/sinks/write-failure.js';

const REPOSITORY = fileURLToPath(new URL('../..', import.meta.url));
const APPEND_BATCHES = fileURLToPath(new URL('./support/append-batches.ts', import.meta.url));
/** Room for about seven of the script's batches: the eighth is cut short, the ones after it refused. */
const ROOM_BYTES = 32 * 1024;

interface Batch {
  ids: string[];
  error?: string;
}

/** Runs support/append-batches.ts for batches first..last, under `fileSizeLimit` bytes when given. */
async function appendBatches(target: 'file' | 'dead-letter', path: string, first: number, last: number, fileSizeLimit?: number): Promise<Batch[]> {
  const node = [process.execPath, '--import', 'tsx', APPEND_BATCHES, target, path, String(first), String(last)];
  const [command, ...args] = fileSizeLimit === undefined ? node : ['sh', '-c', 'trap "" XFSZ; ulimit -f "$0"; exec "$@"', String(fileSizeLimit / 512), ...node];
  const { stdout } = await promisify(execFile)(command!, args, { cwd: REPOSITORY });
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Batch);
}

/** The ids of the lines of an NDJSON file, and its lines that are not whole JSON documents. */
function readLines(path: string, idOf: (value: unknown) => string): { ids: string[]; broken: string[] } {
  const text = readFileSync(path, 'utf8');
  const ids: string[] = [];
  const broken: string[] = [];
  const lines = text.split('\n');
  if (lines.at(-1) !== '') broken.push(`unterminated: ${lines.at(-1)!.slice(0, 40)}`);
  for (const line of lines.slice(0, -1)) {
    try {
      ids.push(idOf(JSON.parse(line)));
    } catch {
      broken.push(line.slice(0, 40));
    }
  }
  return { ids, broken };
}

const eventId = (value: unknown): string => (value as { event: { id: string } }).event.id;
const entryId = (value: unknown): string => (value as { id: string }).id;
const acknowledgedIds = (batches: Batch[]): string[] => batches.filter((b) => b.error === undefined).flatMap((b) => b.ids);

function temporaryDirectory(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-full-disk-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('the file output acknowledges only what is wholly on disk, and goes on cleanly once there is room', async (t) => {
  const dir = temporaryDirectory(t);

  const full = await appendBatches('file', dir, 1, 12, ROOM_BYTES);

  const failed = full.filter((batch) => batch.error !== undefined);
  assert.ok(failed.length > 0 && failed.length < full.length, 'the limit was reached part way (otherwise this test proves nothing)');
  const [name] = readdirSync(dir);
  const onFullDisk = readLines(join(dir, name!), eventId);
  assert.deepEqual(onFullDisk.broken, [], 'no cut-off line is left');
  assert.deepEqual(onFullDisk.ids, acknowledgedIds(full), 'what was acknowledged is on disk, and nothing else');
  assert.match(failed[0]!.error!, new RegExp(`^file size limit reached writing output\\.file\\.path=${dir}: raise the file size limit \\(ulimit -f\\); the records stay unacknowledged`));

  const firstFailed = Number(failed[0]!.ids[0]!.split('-')[0]);
  const again = await appendBatches('file', dir, firstFailed, 12);

  assert.deepEqual(again.filter((batch) => batch.error !== undefined), []);
  const after = readLines(join(dir, name!), eventId);
  assert.deepEqual(after.broken, []);
  assert.deepEqual(after.ids, [...acknowledgedIds(full), ...acknowledgedIds(again)]);
  t.diagnostic(`${full.length - failed.length} of ${full.length} batches fitted; the other ${failed.length} were written once there was room`);
});

test('a refused document that cannot be written to the dead-letter file is not acknowledged as dead-lettered', async (t) => {
  const path = join(temporaryDirectory(t), 'state', 'dead-letter.ndjson');

  const full = await appendBatches('dead-letter', path, 1, 12, ROOM_BYTES);

  const failed = full.filter((batch) => batch.error !== undefined);
  assert.ok(failed.length > 0 && failed.length < full.length, 'the limit was reached part way (otherwise this test proves nothing)');
  const onFullDisk = readLines(path, entryId);
  assert.deepEqual(onFullDisk.broken, []);
  assert.deepEqual(onFullDisk.ids, acknowledgedIds(full));
  assert.match(failed[0]!.error!, new RegExp(`^file size limit reached writing the dead-letter file ${path} \\(output\\.elasticsearch\\.dead_letter_path\\): `));

  const again = await appendBatches('dead-letter', path, 13, 13);

  assert.deepEqual(readLines(path, entryId), { ids: [...acknowledgedIds(full), ...acknowledgedIds(again)], broken: [] });
  assert.equal(statSync(path).mode & 0o777, 0o600);
});

test('a line a crash cut off is removed before the file output appends, so the next line is not spoiled', async (t) => {
  const dir = temporaryDirectory(t);
  const file = join(dir, 'o365-elk-20260601T000000000Z-0001.ndjson');
  writeFileSync(file, '{"event":{"id":"before-1"}}\n{"event":{"id":"before-2"}}\n{"event":{"id":"cut', { mode: 0o600 });
  const sink = createFileSink({ path: dir, filename: 'o365-elk', rotateEveryBytes: 1 << 20, numberOfFiles: 7 });
  await sink.open();

  await sink.write([{ id: 'after-1', timestamp: 0, source: { event: { id: 'after-1' } } }]);
  await sink.close();

  assert.deepEqual(readLines(file, eventId), { ids: ['before-1', 'before-2', 'after-1'], broken: [] });
});

test('an append the disk refuses half way is cut back to where it started, and says so in one line', async (t) => {
  const path = join(temporaryDirectory(t), 'out.ndjson');
  writeFileSync(path, '{"event":{"id":"kept"}}\n');
  const handle = await open(path, 'a+');
  t.after(() => handle.close());
  const noSpace = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  let writes = 0;
  // The first write is taken in part, as when the disk fills during it; the next finds no space at all.
  const fillingDisk = {
    write: async (buffer: Uint8Array, offset: number, length: number) => {
      writes += 1;
      if (writes > 1) throw noSpace;
      return handle.write(buffer, offset, Math.ceil(length / 2));
    },
    read: handle.read.bind(handle),
    truncate: handle.truncate.bind(handle),
    datasync: handle.datasync.bind(handle),
  } as unknown as Parameters<typeof appendDurably>[0];

  await assert.rejects(appendDurably(fillingDisk, Buffer.from('{"event":{"id":"lost"}}\n'), 24), noSpace);

  assert.equal(readFileSync(path, 'utf8'), '{"event":{"id":"kept"}}\n');
  assert.equal(
    describeWriteFailure(noSpace, 'output.file.path=/var/log/o365', 'the records stay unacknowledged and are written again on the next pass').message,
    'no space left on device writing output.file.path=/var/log/o365: free space there; the records stay unacknowledged and are written again on the next pass',
  );
});
