// @timestamp and the document timestamp come from CreationTime, read as UTC. A record without a usable
// one is dated by its blob (the fallback the pipeline passes), so a replay lands in the same index.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createTransformer, type TransformContext } from '../../src/transform/index.js';

const transformer = createTransformer();
const BLOB_CREATED = Date.UTC(2024, 4, 1, 12, 30, 0);
const context: TransformContext = { tenantId: 'b86ab9d4-fcf1-4b11-8a06-7a8f91b47fbd', contentType: 'Audit.Exchange', fallbackTimestamp: BLOB_CREATED };

function mapped(creationTime: unknown, ctx: TransformContext = context) {
  return transformer.transform({ Id: '1c7412a6-858d-49ff-3f93-08d7ac0f45bf', RecordType: 1, Operation: 'Set-Mailbox', CreationTime: creationTime }, ctx);
}

const VALID: Array<[string, number]> = [
  ['2020-02-07T16:43:53', Date.UTC(2020, 1, 7, 16, 43, 53)],
  ['2020-02-07T16:43:53Z', Date.UTC(2020, 1, 7, 16, 43, 53)],
  ['2020-02-07T16:43:53.5Z', Date.UTC(2020, 1, 7, 16, 43, 53, 500)],
  ['2020-02-07T16:43:53.123', Date.UTC(2020, 1, 7, 16, 43, 53, 123)],
  ['2020-02-07T16:43:53.1234567', Date.UTC(2020, 1, 7, 16, 43, 53, 123)],
  ['2020-02-07T16:43:53+02:00', Date.UTC(2020, 1, 7, 14, 43, 53)],
  ['2020-02-07T16:43:53.25-05:30', Date.UTC(2020, 1, 7, 22, 13, 53, 250)],
  ['2020-02-07T16:43:53+0100', Date.UTC(2020, 1, 7, 15, 43, 53)],
  ['2020-02-07 16:43:53', Date.UTC(2020, 1, 7, 16, 43, 53)],
  ['2020-02-07T16:43', Date.UTC(2020, 1, 7, 16, 43, 0)],
  ['2024-02-29T00:00:00', Date.UTC(2024, 1, 29)],
  [' 2020-02-07T16:43:53 ', Date.UTC(2020, 1, 7, 16, 43, 53)],
];

const INVALID: unknown[] = [
  '2023-02-29T00:00:00',
  '2020-02-30T00:00:00',
  '2020-13-01T00:00:00',
  '2020-02-07T24:00:00',
  '2020-02-07T16:60:00',
  '2020-02-07T16:43:53+25:00',
  '0001-01-01T00:00:00',
  '07/02/2020 16:43',
  'Fri, 07 Feb 2020 16:43:53 GMT',
  '2020-02-07',
  'yesterday',
  '',
  1581093833000,
  null,
  { date: '2020-02-07T16:43:53' },
];

describe('CreationTime', () => {
  for (const [creationTime, expected] of VALID) {
    it(`${JSON.stringify(creationTime)} is ${new Date(expected).toISOString()}`, () => {
      const document = mapped(creationTime);
      assert.equal(document.timestamp, expected);
      assert.equal(document.source['@timestamp'], new Date(expected).toISOString());
      assert.equal(document.source.tags, undefined);
    });
  }

  for (const creationTime of INVALID) {
    it(`${JSON.stringify(creationTime)} is no time: the blob's creation time is used, and tagged`, () => {
      const document = mapped(creationTime);
      assert.equal(document.timestamp, BLOB_CREATED);
      assert.equal(document.source['@timestamp'], new Date(BLOB_CREATED).toISOString());
      assert.deepEqual(document.source.tags, ['o365_audit_invalid_timestamp']);
      assert.match(String((document.source.error as { message: string }).message), /CreationTime .* is not a valid time; @timestamp is its content blob's creation time/);
    });
  }

  it('a missing CreationTime says so', () => {
    const document = transformer.transform({ Id: 'x' }, context);
    assert.equal(document.timestamp, BLOB_CREATED);
    assert.match(String((document.source.error as { message: string }).message), /^the record has no CreationTime/);
  });

  for (const fallbackTimestamp of [undefined, Number.NaN, Number.POSITIVE_INFINITY, 1e20, -1]) {
    it(`without a usable fallback (${String(fallbackTimestamp)}) the transform time is used`, () => {
      const before = Date.now();
      const document = mapped('garbage', { ...context, fallbackTimestamp });
      const after = Date.now();
      assert.ok(document.timestamp >= before && document.timestamp <= after);
      assert.equal(document.source['@timestamp'], new Date(document.timestamp).toISOString());
      assert.match(String((document.source.error as { message: string }).message), /@timestamp is the time it was transformed/);
    });
  }
});
