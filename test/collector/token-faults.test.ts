// Entra ID failing the token request: a passing 500 is retried at once and logged, and a tenant whose
// token endpoint keeps failing holds no other tenant back.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { compareIds, readOutput, runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

/** A hang guard for a busy machine, not a speed requirement. */
const DEADLINE_MS = 120_000;

interface LogLine {
  level: number;
  msg: string;
  tenantId?: string;
  attempt?: number;
  status?: number;
  aadsts?: number;
  delayMs?: number;
  alert?: string;
  tenant?: string;
}

function logLines(stderr: string): LogLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

function tokenRetries(stderr: string): LogLine[] {
  return logLines(stderr).filter((line) => line.msg.startsWith('token request failed'));
}

function tenantIds(config: string): string[] {
  return (parse(readFileSync(config, 'utf8')) as { tenants: { tenant_id: string }[] }).tenants.map((tenant) => tenant.tenant_id);
}

test('one 500 from the token endpoint is retried after a short pause, logged, and the pass completes', async (t) => {
  const { emulator, dir, config, outputDir } = await startScenario(t, ['--events', '1000', '--faults', 'token_error_count=1']);

  const run = await runCollector({ command: 'once', config });

  assert.equal(run.code, 0, run.stderr);
  assertOutputEqualsTruth(outputDir, await emulator.recordIds());
  const retries = tokenRetries(run.stderr);
  assert.deepEqual(retries.map((line) => line.tenantId).sort(), [...tenantIds(config)].sort(), 'one retry per tenant, each logged');
  for (const retry of retries) {
    assert.equal(retry.level, 40);
    assert.equal(retry.attempt, 1);
    assert.equal(retry.status, 500);
    assert.equal(retry.aadsts, 50000);
    assert.ok(typeof retry.delayMs === 'number' && retry.delayMs <= 1000, `the first pause is the policy's first step: ${retry.delayMs} ms`);
    assert.match(retry.msg, /^token request failed \(attempt 1 of \d+\); trying again in \d+ ms$/);
  }
  const secret = readFileSync(join(dir, 'tenant-1.secret'), 'utf8').trim();
  assert.ok(!run.stderr.includes(secret), 'the log holds no secret');
});

test("a tenant whose token endpoint always fails does not delay the other tenant's records, and SIGTERM ends its retries", async (t) => {
  const scenario = await startScenario(t, ['--events', '1000', '--faults', 'token_error_rate=1,token_fault_tenant=1']);
  const { emulator, config, outputDir } = scenario;
  const [failing, healthy] = tenantIds(config);
  const truth = new Set((await emulator.records()).filter((record) => record.tenantId === healthy).map((record) => record.id));
  assert.ok(truth.size > 0);

  const collector = scenario.startCollector('once');
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const { missing } = compareIds(readOutput(outputDir).ids, truth);
    if (missing.length === 0) break;
    if (Date.now() > deadline) assert.fail(`the healthy tenant's records did not arrive: ${missing.length} missing\n${collector.stderr()}`);
    await sleep(200);
  }

  // Its records arrived while the other tenant was still being retried, not after it was given up.
  const lines = logLines(collector.stderr());
  assert.ok(!lines.some((line) => line.alert === 'authentication_failure'), collector.stderr());
  const retries = tokenRetries(collector.stderr());
  assert.ok(retries.length > 0 && retries.every((line) => line.tenantId === failing && line.status === 500), collector.stderr());

  const stopping = Date.now();
  collector.kill('SIGTERM');
  const exit = await collector.exited;
  const stopMs = Date.now() - stopping;
  assert.ok(stopMs < 10_000, `stopping took ${stopMs} ms`);
  assert.equal(exit.code, 1, `a pass cut short exits 1\n${exit.stderr}`);
  assert.ok(!logLines(exit.stderr).some((line) => line.alert === 'authentication_failure'), 'stopping is no authentication failure');
  t.diagnostic(`${truth.size} records of the healthy tenant; ${retries.length} retries of the other before SIGTERM; stopped in ${stopMs} ms`);
});
