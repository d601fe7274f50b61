// SIGKILL of the collector at random moments of a backfill into the real search engine, then one clean
// `once`: the data stream still holds exactly the records the emulator published. The issue asks for at
// least 20 kills, which `node scripts/crash-test-es.mjs` does by default (a few minutes); the suite runs
// the same script with 5 kills on a smaller backlog to stay quick on a shared machine.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { testEngineUrl } from '../support/engine.js';
import { runNode } from './support/scenario.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/crash-test-es.mjs', import.meta.url));
const KILLS = 5;
const EVENTS = 6000;

interface CrashTestResult {
  records: number;
  kills: number;
  killDelaysMs: number[];
  indexedAfterEachKill: number[];
  finalExitCode: number;
  duplicatesOnFinalPass: number;
  documents: number;
  distinct: number;
  missing: number;
  extra: number;
  storedTwice: number;
  totalMs: number;
}

test(`after ${KILLS} SIGKILLs during a backfill and a clean once, the data stream equals the truth`, async (t) => {
  const { code, stdout, stderr } = await runNode([SCRIPT, '--kills', String(KILLS), '--events', String(EVENTS), '--engine', testEngineUrl()]);

  assert.equal(code, 0, `${stdout}\n${stderr}`);
  const resultLine = stdout.split('\n').find((line) => line.startsWith('result '));
  assert.ok(resultLine, `the script printed no result line:\n${stdout}\n${stderr}`);
  const result = JSON.parse(resultLine.slice('result '.length)) as CrashTestResult;
  assert.equal(result.records, EVENTS);
  // A pass can only finish before its kill if the backfill was already complete; the kills must hit work in progress.
  assert.equal(result.kills, KILLS, stdout);
  // Bulk requests already sent finish inside the engine after the kill, so the index may fill up at a
  // late kill; what matters is that kills interrupted the backfill before it was complete.
  assert.ok(result.indexedAfterEachKill.some((indexed) => indexed < EVENTS), `every kill came after the backfill was complete, so they prove nothing:\n${stdout}`);
  assert.equal(result.finalExitCode, 0);
  assert.deepEqual(
    { documents: result.documents, distinct: result.distinct, missing: result.missing, extra: result.extra, storedTwice: result.storedTwice },
    { documents: EVENTS, distinct: EVENTS, missing: 0, extra: 0, storedTwice: 0 },
  );
  t.diagnostic(
    `${result.kills} kills at ${result.killDelaysMs.join(', ')} ms after the output opened; indexed after each: ${result.indexedAfterEachKill.join(', ')}; ` +
      `final pass: ${result.duplicatesOnFinalPass} duplicates (409); ${result.totalMs} ms in all`,
  );
});
