// Crash safety end to end: scripts/crash-test.mjs kills `o365-elk once` with SIGKILL at random moments
// and restarts it; afterwards no record may be missing, none extra, and duplicate lines may come only from
// blobs that were in flight at a kill. Here with fewer kills than the script's default.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { test } from 'node:test';
import { REPOSITORY } from './support/processes.mjs';

interface CrashSummary {
  kills: number;
  killsDuringDelivery: number;
  records: number;
  missing: number;
  extra: number;
  duplicateLines: number;
  inFlightBound: number;
  failures: string[];
}

test('killed and restarted five times, the collector loses nothing and duplicates only what was in flight', async (t) => {
  const script = spawn(process.execPath, ['scripts/crash-test.mjs', '--kills', '5', '--events', '6000', '--latency-ms', '50'], {
    cwd: REPOSITORY,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  script.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  script.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const [code] = (await once(script, 'exit')) as [number | null];

  const summaryLine = stdout.split('\n').find((line) => line.startsWith('summary '));
  assert.ok(summaryLine, `no summary from the script:\n${stdout}\n${stderr}`);
  const summary = JSON.parse(summaryLine.slice('summary '.length)) as CrashSummary;
  assert.deepEqual(summary.failures, []);
  assert.equal(code, 0, stderr);
  assert.equal(summary.kills, 5);
  assert.equal(summary.missing, 0);
  assert.equal(summary.extra, 0);
  assert.ok(summary.duplicateLines <= summary.inFlightBound);
  t.diagnostic(stdout.trim().split('\n').at(-2) ?? '');
});
