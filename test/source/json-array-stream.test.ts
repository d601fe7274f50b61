// The blob parser must find every record whatever the network does to the body: a chunk boundary may
// fall inside a string, between a backslash and the character it escapes, inside a multi-byte UTF-8
// character or between two records. Its answers are compared with JSON.parse of the whole body.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { seededRandom } from '../../src/emulator/random.js';
import { UnexpectedBodyError } from '../../src/source/api-transport.js';
import { parseJsonArray, TruncatedBodyError } from '../../src/source/json-array-stream.js';

const TRICKY_TEXTS = ['plain', 'a "quoted" word', 'back\\slash', 'ends with \\', '\\"', '{[not structure]}', 'tab\tnew\nline', 'Zürich 東京 🙂', '\u0000\u001f', ''];

function randomRecord(next: () => number, n: number): Record<string, unknown> {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  return {
    Id: `record-${n}`,
    CreationTime: '2026-11-20T10:00:00',
    RecordType: Math.floor(next() * 100),
    Flag: next() < 0.5,
    Nothing: null,
    Text: pick(TRICKY_TEXTS) + pick(TRICKY_TEXTS),
    Parameters: [{ Name: pick(TRICKY_TEXTS), Value: pick(TRICKY_TEXTS) }, []],
    Nested: { Deeper: { List: [1, -2.5e3, pick(TRICKY_TEXTS)] } },
  };
}

async function* inPieces(body: Buffer, next: () => number, largest: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < body.length; ) {
    const size = 1 + Math.floor(next() * largest);
    yield body.subarray(at, at + size);
    at += size;
  }
}

async function parsedWhole(body: Buffer, next: () => number, largest: number): Promise<unknown[]> {
  const records: unknown[] = [];
  for await (const chunk of parseJsonArray(inPieces(body, next, largest), { maxRecords: 7, maxBytes: 1024 })) records.push(...chunk);
  return records;
}

describe('parseJsonArray', () => {
  test('equals JSON.parse of the whole body however the body is cut into chunks', async () => {
    const next = seededRandom(7);
    for (let round = 0; round < 40; round++) {
      const records = Array.from({ length: 1 + Math.floor(next() * 30) }, (_, n) => randomRecord(next, n));
      const spacing = round % 2 === 0 ? undefined : 2;
      const body = Buffer.from(JSON.stringify(records, null, spacing));
      // One-byte pieces put a boundary everywhere; larger ones keep strings whole across several.
      const largest = [1, 3, 17, 400][round % 4] as number;
      assert.deepEqual(await parsedWhole(body, next, largest), records, `round ${round}, pieces of up to ${largest} bytes`);
    }
  });

  test('hands on only the objects of an array that also holds other values', async () => {
    const body = Buffer.from('[ "a \\" ]", 12, {"Id":"x"}, null, true, [1], {"Id":"y"} ]');
    assert.deepEqual(await parsedWhole(body, seededRandom(1), 2), [{ Id: 'x' }, { Id: 'y' }]);
  });

  test('an empty array yields nothing; a body cut off before its closing bracket is truncated', async () => {
    assert.deepEqual(await parsedWhole(Buffer.from(' [ ] '), seededRandom(2), 1), []);
    await assert.rejects(parsedWhole(Buffer.from('[{"Id":"x"},{"Id":"y \\"'), seededRandom(3), 4), TruncatedBodyError);
  });

  test('a body that is not a JSON array, or an element that is not JSON, is an unexpected body', async () => {
    await assert.rejects(parsedWhole(Buffer.from('{"error":{}}'), seededRandom(4), 5), UnexpectedBodyError);
    await assert.rejects(parsedWhole(Buffer.from('[{"Id":"x",}]'), seededRandom(5), 5), UnexpectedBodyError);
  });
});
