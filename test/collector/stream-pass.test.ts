// How a pass reacts when listing fails: an error a retry cannot fix (a tenant-wide AF code) stops the
// pass at once and reaches the collector, which exits 2; a passing one leaves the window for next time
// and goes on with the others. The API is a stand-in whose listing always fails.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import pino from 'pino';
import type { BlobDeliveryContext } from '../../src/runtime/deliver-blob.js';
import { createSlots } from '../../src/runtime/slots.js';
import { createRunStats } from '../../src/runtime/stats.js';
import { runStreamPass } from '../../src/runtime/stream-pass.js';
import { ManagementApiError, type ManagementApiErrorKind } from '../../src/source/index.js';
import { openTemporaryLedger } from './support/temporary-ledger.js';

const DAY_MS = 86_400_000;
const STREAM = { tenantId: '2f9e4c1a-0c55-4b8e-9d1b-6a0a3f1e7c21', contentType: 'Audit.Exchange' as const };

function passWhoseListingFails(t: TestContext, kind: ManagementApiErrorKind) {
  const ledger = openTemporaryLedger(t, 'o365-elk-stream-pass-');
  const listed: number[] = [];
  const client = {
    tenantId: STREAM.tenantId,
    clockSkewMs: () => 0,
    // eslint-disable-next-line require-yield -- a listing that fails before its first page
    async *listContent(_contentType: string, start: number) {
      listed.push(start);
      throw new ManagementApiError(kind, `listing failed (${kind})`, { tenantId: STREAM.tenantId, operation: 'list-content' });
    },
  };
  const stats = createRunStats();
  // The pass lists before it delivers, so this context holds only what listing touches.
  const ctx = { stream: STREAM, client, ledger, stats, logger: pino({ level: 'silent' }), alerts: { raise: () => {} }, now: Date.now };
  const run = () =>
    runStreamPass(ctx as unknown as BlobDeliveryContext, {
      mode: 'live',
      sinceMs: 3 * DAY_MS,
      lookbackMs: DAY_MS,
      slots: createSlots(2),
      listSignal: new AbortController().signal,
      fetchSignal: new AbortController().signal,
    });
  return { run, listed, stats, cursor: () => ledger.getStream(STREAM)?.cursor ?? null };
}

test('a fatal listing error stops the pass after the first window and reaches the collector', async (t) => {
  const pass = passWhoseListingFails(t, 'fatal');

  await assert.rejects(pass.run(), (error: unknown) => error instanceof ManagementApiError && error.kind === 'fatal');

  assert.equal(pass.listed.length, 1);
  assert.equal(pass.cursor(), null);
});

test('a transient listing error leaves each window for the next pass and goes on', async (t) => {
  const pass = passWhoseListingFails(t, 'transient');

  const result = await pass.run();

  assert.equal(result.failed, true);
  assert.equal(pass.listed.length, 3);
  assert.equal(pass.stats.errors, 3);
  assert.equal(pass.cursor(), pass.listed[0]);
});
