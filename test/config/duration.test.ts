import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, parseDuration } from '../../src/config/index.js';

test('durations are written as Filebeat users write them and read as milliseconds', () => {
  assert.equal(parseDuration('30s'), 30_000);
  assert.equal(parseDuration('3m'), 180_000);
  assert.equal(parseDuration('24h'), 86_400_000);
  assert.equal(parseDuration('7d'), 604_800_000);
  assert.equal(parseDuration('1h30m'), 5_400_000);
  assert.equal(parseDuration('250ms'), 250);
  assert.equal(parseDuration(' 90s '), 90_000);
});

test('a plain number, written as a number or as text, counts seconds', () => {
  assert.equal(parseDuration(90), 90_000);
  assert.equal(parseDuration('90'), 90_000);
  assert.equal(parseDuration(1.5), 1500);
});

test('anything else is refused with the accepted forms in the message', () => {
  for (const bad of ['3 min', '5y', '', 'm', '-5s', -1, true, null]) {
    assert.throws(() => parseDuration(bad), /is not a duration — write a number of seconds or a value like 30s, 3m, 24h or 7d/, String(bad));
  }
});

test('formatDuration gives the shortest exact spelling', () => {
  assert.equal(formatDuration(604_800_000), '7d');
  assert.equal(formatDuration(5_400_000), '90m');
  assert.equal(formatDuration(1500), '1500ms');
  assert.equal(formatDuration(parseDuration('30d')), '30d');
});
