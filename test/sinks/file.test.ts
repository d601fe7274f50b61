import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createFileSink } from '../../src/sinks/file.js';
import type { OutputDocument } from '../../src/sinks/types.js';

function documents(prefix: string, count: number): OutputDocument[] {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, timestamp: 0, source: { event: { id: `${prefix}-${i}` } } }));
}

function idsIn(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => readFileSync(join(dir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => (JSON.parse(line) as { event: { id: string } }).event.id);
}

async function runOnce(dir: string, prefix: string, count: number, options: { rotateEveryBytes?: number; numberOfFiles?: number } = {}): Promise<void> {
  const sink = createFileSink({ path: dir, filename: 'o365-elk', rotateEveryBytes: options.rotateEveryBytes ?? 1 << 20, numberOfFiles: options.numberOfFiles ?? 7 });
  await sink.open();
  const result = await sink.write(documents(prefix, count));
  assert.deepEqual(result, { acknowledged: count, duplicates: 0, rejected: [] });
  // Acknowledged means on disk: readable before close.
  assert.ok(idsIn(dir).includes(`${prefix}-${count - 1}`));
  await sink.close();
}

test('runs from cron keep adding to the newest file, so number_of_files never deletes earlier runs', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  for (let run = 0; run < 10; run++) await runOnce(dir, `run${run}`, 5, { numberOfFiles: 1 });

  assert.equal(readdirSync(dir).length, 1);
  assert.equal(idsIn(dir).length, 50);
});

test('a full file rotates, old files beyond number_of_files are removed, and files are private', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sink = createFileSink({ path: dir, filename: 'o365-elk', rotateEveryBytes: 200, numberOfFiles: 3 });
  await sink.open();
  for (let batch = 0; batch < 6; batch++) await sink.write(documents(`b${batch}`, 10));
  await sink.close();

  const files = readdirSync(dir).sort();
  assert.equal(files.length, 3);
  for (const name of files) assert.equal(statSync(join(dir, name)).mode & 0o777, 0o600, name);
  // The newest batches survive rotation; the oldest were deleted with their files.
  assert.ok(idsIn(dir).includes('b5-9'));
  assert.ok(!idsIn(dir).includes('b0-0'));
});

test('a write after close is refused, not written, so a delivery cut off by a stop is left for the next run', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-file-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const sink = createFileSink({ path: dir, filename: 'o365-elk', rotateEveryBytes: 1 << 20, numberOfFiles: 7 });
  await sink.open();
  await sink.write(documents('before', 3));
  await sink.close();

  await assert.rejects(sink.write(documents('late', 3)), /file output is closed/);
  assert.deepEqual(idsIn(dir), ['before-0', 'before-1', 'before-2']);
});
