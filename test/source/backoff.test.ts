import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelay, parseRetryAfter } from '../../src/source/backoff.js';

const policy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 };

test('backoff doubles per attempt with up to half of each step random, capped', () => {
  assert.equal(backoffDelay(1, policy, undefined, () => 0), 500);
  assert.equal(backoffDelay(1, policy, undefined, () => 0.999999), 1000);
  assert.equal(backoffDelay(4, policy, undefined, () => 0), 4000);
  assert.equal(backoffDelay(4, policy, undefined, () => 0.5), 6000);
  assert.equal(backoffDelay(12, policy, undefined, () => 0.999999), 60_000);
});

test('a Retry-After the server sent wins over the backoff, within the cap', () => {
  assert.equal(backoffDelay(1, policy, 7000, () => 0), 7000);
  assert.equal(backoffDelay(1, policy, 3_600_000), 60_000);
});

test('Retry-After is read as (fractional) seconds or as an HTTP date', () => {
  const now = Date.parse('2025-01-15T12:00:00Z');
  assert.equal(parseRetryAfter('120'), 120_000);
  assert.equal(parseRetryAfter('2.128'), 2128);
  assert.equal(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', now), 30_000);
  assert.equal(parseRetryAfter(['5', '9']), 5000);
  assert.equal(parseRetryAfter(undefined), undefined);
  assert.equal(parseRetryAfter('soon'), undefined);
});
