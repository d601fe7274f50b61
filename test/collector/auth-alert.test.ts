// A wrong client secret: the collector says so in one line naming AADSTS7000215 and the fix, sends an
// authentication_failure alert to the webhook, exits 2 — and the tenant whose credentials are right is
// collected all the same.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { runCollector } from './support/processes.mjs';
import { assertOutputEqualsTruth, startScenario } from './support/scenario.js';

/** An HTTP endpoint that keeps the bodies POSTed to it. */
async function startWebhookReceiver(): Promise<{ url: string; bodies: string[]; close: () => Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (text: string) => (body += text));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/alerts`,
    bodies,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

test('a wrong client secret exits 2 with one clear line and an authentication_failure alert', async (t) => {
  const { emulator, dir, config, outputDir } = await startScenario(t, ['--events', '1000']);
  const webhook = await startWebhookReceiver();
  t.after(webhook.close);
  const rightSecret = readFileSync(join(dir, 'tenant-1.secret'), 'utf8').trim();
  const wrongSecret = 'Wr0ng~Secret.Value-0123456789abcdefghijkl';
  writeFileSync(join(dir, 'wrong.secret'), `${wrongSecret}\n`, { mode: 0o600 });

  const run = await runCollector({
    command: 'once',
    config,
    args: ['-E', `tenants.0.auth.client_secret_file=${join(dir, 'wrong.secret')}`, '-E', `alerts.webhook_url=${webhook.url}`],
  });

  assert.equal(run.code, 2, run.stderr);
  const lines = run.stderr.split('\n').filter((line) => line.includes('AADSTS7000215'));
  assert.ok(lines.length > 0, run.stderr);
  for (const line of lines) {
    const { msg } = JSON.parse(line) as { msg: string };
    assert.doesNotMatch(msg, /\n/);
    assert.match(msg, /client secret is wrong \(AADSTS7000215\) — create a new secret under Certificates & secrets .* set tenants\[0\]\.auth/);
  }

  const tenants = (parse(readFileSync(config, 'utf8')) as { tenants: { tenant_id: string }[] }).tenants.map((tenant) => tenant.tenant_id);
  const [tenant1, tenant2] = tenants;
  assert.equal(webhook.bodies.length, 1);
  const alert = JSON.parse(webhook.bodies[0]!) as { kind: string; tenantId: string; message: string };
  assert.equal(alert.kind, 'authentication_failure');
  assert.equal(alert.tenantId, tenant1);
  assert.match(alert.message, /AADSTS7000215/);
  for (const secret of [rightSecret, wrongSecret]) {
    assert.ok(!webhook.bodies[0]!.includes(secret), 'the alert holds no secret');
    assert.ok(!run.stderr.includes(secret) && !run.stdout.includes(secret), 'the log holds no secret');
  }

  const tenant2Records = (await emulator.records()).filter((record) => record.tenantId === tenant2).map((record) => record.id);
  assert.ok(tenant2Records.length > 0);
  assertOutputEqualsTruth(outputDir, new Set(tenant2Records));
});
