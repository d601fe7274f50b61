// `o365-elk doctor` as a user runs it, against the emulator and the real test engine: each class of
// problem gives a FAIL (or WARN) row with its fix, the exit code says whether anything failed, and no
// secret is ever printed.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { startScenario } from '../collector/support/scenario.js';
import { runCli, type CliExit } from '../http/support/cli.js';
import { testEngineUrl } from '../sinks/support/engine.js';
import { engineFlavour } from '../support/engine.js';

interface Row {
  status: string;
  check: string;
  detail: string;
  fix?: string;
}

interface Diagnosis extends CliExit {
  rows: Row[];
  row(check: string): Row;
}

/** The table's rows, cut at the columns the header line sets; a `fix:` line belongs to the row above. */
function parseRows(stdout: string): Row[] {
  const lines = stdout.split('\n');
  const header = lines[0] ?? '';
  const checkAt = header.indexOf('CHECK');
  const detailAt = header.indexOf('DETAIL');
  const rows: Row[] = [];
  // A blank line ends the table; the verdict follows.
  for (const line of lines.slice(1, lines.indexOf(''))) {
    const status = line.slice(0, checkAt).trim();
    const detail = line.slice(detailAt);
    if (status !== '') rows.push({ status, check: line.slice(checkAt, detailAt).trim(), detail });
    else if (detail.startsWith('fix: ') && rows.length > 0) (rows[rows.length - 1] as Row).fix = detail.slice('fix: '.length);
  }
  return rows;
}

async function doctor(config: string, overrides: string[] = []): Promise<Diagnosis> {
  const exit = await runCli(['doctor', '-c', config, ...overrides.flatMap((override) => ['-E', override])]);
  const rows = parseRows(exit.stdout);
  return {
    ...exit,
    rows,
    row(check) {
      const found = rows.find((row) => row.check === check);
      assert.ok(found, `a row "${check}" in:\n${exit.stdout}${exit.stderr}`);
      return found;
    },
  };
}

async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Answers every request as Elasticsearch does when the credentials are wrong. */
async function refusingEngine(): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="security" charset="UTF-8"' });
    const error = { type: 'security_exception', reason: 'unable to authenticate user [o365] for REST request [/]' };
    res.end(JSON.stringify({ error: { root_cause: [error], ...error }, status: 401 }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

test('doctor against the emulator and the test engine', async (t) => {
  const { dir, config } = await startScenario(t, ['--events', '100', '--days', '1']);
  const secret = readFileSync(join(dir, 'tenant-1.secret'), 'utf8').trim();
  const engine = [`output.elasticsearch.hosts=["${testEngineUrl()}"]`, 'output.file.enabled=false'];
  const assertNoSecrets = (result: Diagnosis, ...secrets: string[]) => {
    for (const value of [secret, ...secrets]) {
      assert.ok(!result.stdout.includes(value) && !result.stderr.includes(value), 'no secret in the output');
    }
    assert.doesNotMatch(result.stdout + result.stderr, /PRIVATE KEY|eyJ[\w-]+\.eyJ/, 'no key, no token');
  };

  await t.test('a working set-up: every row PASS, exit 0', async () => {
    const result = await doctor(config, engine);
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.deepEqual(result.rows.filter((row) => row.status !== 'PASS'), []);
    assert.match(result.row('Contoso: token').detail, /^obtained from https:\/\/127\.0\.0\.1:\d+ with the client secret$/);
    assert.match(result.row('Fabrikam: token').detail, /with the certificate$/);
    assert.equal(result.row('Contoso: roles').detail, 'ActivityFeed.Read, ActivityFeed.ReadDlp, Application.Read.All');
    assert.equal(result.row('Fabrikam: DLP.All').detail, 'subscription enabled');
    assert.match(result.row('Contoso: Microsoft Graph').detail, /^service principal lookups work/);
    // The test engines run without security: OpenSearch without its plugin, Elasticsearch without x-pack.
    const expected = {
      opensearch: { engine: /^OpenSearch 2\.\d+\.\d+ at http:\/\/127\.0\.0\.1:\d+$/, privileges: 'no security plugin answers, so every request is allowed' },
      elasticsearch: { engine: /^Elasticsearch 9\.\d+\.\d+ at http:\/\/127\.0\.0\.1:\d+$/, privileges: 'no security API answers, so every request is allowed' },
    }[await engineFlavour(testEngineUrl())];
    assert.match(result.row('output elasticsearch').detail, expected.engine);
    assert.deepEqual(result.row('output privileges'), { status: 'PASS', check: 'output privileges', detail: expected.privileges });
    assert.match(result.stdout, /\nall checks passed\n$/);
    assertNoSecrets(result);
  });

  await t.test('a wrong client secret', async () => {
    const wrongSecret = 'Wr0ng~Secret.Value-0123456789abcdefghijkl';
    writeFileSync(join(dir, 'wrong.secret'), `${wrongSecret}\n`, { mode: 0o600 });
    const result = await doctor(config, [`tenants.0.auth.client_secret_file=${join(dir, 'wrong.secret')}`]);
    assert.equal(result.code, 1);
    const row = result.row('Contoso: token');
    assert.equal(row.status, 'FAIL');
    assert.match(row.detail, /^wrong client secret: authentication failed for tenant \S+: the client secret is wrong \(AADSTS7000215\)$/);
    assert.match(row.fix ?? '', /^create a new secret under Certificates & secrets of app \S+ and set tenants\[0\]\.auth/);
    assert.equal(result.rows.filter((r) => r.check.startsWith('Contoso:')).length, 1, 'nothing else is checked without a token');
    assert.equal(result.row('Fabrikam: token').status, 'PASS');
    assertNoSecrets(result, wrongSecret);
  });

  await t.test('an app the tenant does not know (no consent)', async () => {
    const result = await doctor(config, [`tenants.0.client_id=${randomUUID()}`]);
    assert.equal(result.code, 1);
    const row = result.row('Contoso: token');
    assert.match(row.detail, /^app unknown or not consented: .*\(AADSTS700016\)$/);
    assert.match(row.fix ?? '', /have an admin of the tenant consent to the app/);
  });

  await t.test('the output is down', async () => {
    const port = await closedPort();
    const result = await doctor(config, [`output.elasticsearch.hosts=["http://127.0.0.1:${port}"]`, 'output.file.enabled=false']);
    assert.equal(result.code, 1);
    const row = result.row('output elasticsearch');
    assert.equal(row.status, 'FAIL');
    assert.equal(row.detail, `cannot reach http://127.0.0.1:${port} (ECONNREFUSED)`);
    assert.equal(row.fix, 'check output.elasticsearch.hosts and that the engine is running');
  });

  await t.test('the output refuses the credentials', async () => {
    const refusing = await refusingEngine();
    t.after(refusing.close);
    const password = 'Not-The-Password-42';
    const result = await doctor(config, [
      `output.elasticsearch.hosts=["${refusing.url}"]`,
      'output.file.enabled=false',
      'output.elasticsearch.username=o365',
      `output.elasticsearch.password=${password}`,
    ]);
    assert.equal(result.code, 1);
    const row = result.row('output elasticsearch');
    assert.equal(row.detail, `${refusing.url} refused the credentials (401)`);
    assert.equal(row.fix, 'check output.elasticsearch.username and password, api_key or bearer_token');
    assertNoSecrets(result, password);
  });

  await t.test('a content type not subscribed, until the fix is run', async () => {
    const exchangeOnly = 'tenants.0.content_types=["Audit.Exchange"]';
    const stop = await runCli(['subscriptions', 'stop', '-c', config, '-E', exchangeOnly]);
    assert.equal(stop.code, 0, stop.stderr);

    const result = await doctor(config, [exchangeOnly]);
    assert.equal(result.code, 1);
    const row = result.row('Contoso: Audit.Exchange');
    assert.equal(row.status, 'FAIL');
    assert.match(row.detail, /^(not subscribed|subscription disabled)$/);
    assert.equal(row.fix, `o365-elk subscriptions start -c ${config}`);

    const start = await runCli(['subscriptions', 'start', '-c', config, '-E', exchangeOnly]);
    assert.equal(start.code, 0, start.stderr);
    assert.equal((await doctor(config, [exchangeOnly])).row('Contoso: Audit.Exchange').status, 'PASS');
  });

  await t.test('a configuration that does not load exits 2 naming the key', async () => {
    const result = await doctor(config, ['tenants.0.client_id=not-a-guid']);
    assert.equal(result.code, 2);
    assert.match(result.stdout, /^FAIL {2}configuration {2}\S+connector\.yml cannot be used:\n {6}config: tenants\[0\]\.client_id \(from -E\): "not-a-guid" is not a GUID — /);
  });
});

test('doctor when admin consent is missing for the roles', async (t) => {
  const { config } = await startScenario(t, ['--events', '10', '--days', '1', '--tenants', '1', '--faults', 'withheld_roles=ActivityFeed.Read+ActivityFeed.ReadDlp+Application.Read.All']);
  const result = await doctor(config);
  assert.equal(result.code, 1);

  assert.equal(result.row('Contoso: token').status, 'PASS', 'Entra ID still issues a token, without roles');
  const roles = result.row('Contoso: roles');
  assert.equal(roles.status, 'FAIL');
  assert.equal(roles.detail, 'the token has no ActivityFeed.Read role (roles: none)');
  assert.match(roles.fix ?? '', /^add ActivityFeed\.Read under the app's API permissions .* grant admin consent$/);
  const subscriptions = result.row('Contoso: subscriptions');
  assert.equal(subscriptions.status, 'FAIL');
  assert.match(subscriptions.detail, /AF10001/);
  const graph = result.row('Contoso: Microsoft Graph');
  assert.equal(graph.status, 'WARN');
  assert.equal(graph.detail, 'Graph refused the service principal lookup (403)');
  assert.match(graph.fix ?? '', /^grant the app Application\.Read\.All/);
});

test('doctor warns when only ActivityFeed.ReadDlp is missing and DLP.All is collected', async (t) => {
  const { config } = await startScenario(t, ['--events', '10', '--days', '1', '--tenants', '1', '--faults', 'withheld_roles=ActivityFeed.ReadDlp']);
  const result = await doctor(config);
  assert.equal(result.code, 0, 'a warning is no failure');
  const roles = result.row('Contoso: roles');
  assert.equal(roles.status, 'WARN');
  assert.match(roles.detail, /^ActivityFeed\.Read present but not ActivityFeed\.ReadDlp/);
  assert.equal((await doctor(config, ['tenants.0.content_types=["Audit.Exchange"]'])).row('Contoso: roles').status, 'PASS');
});
