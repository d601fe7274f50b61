// Each alert condition, raised by a real collector against the emulator (and, for dead letters, the real
// search engine), and received as JSON by a local webhook.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { parseIndexTarget } from '../../src/sinks/elasticsearch/index-target.js';
import { openLedger } from '../../src/state/index.js';
import { runCollector } from '../../src/runtime/collector.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { createLogger, type Logger } from '../../src/util/logger.js';
import { engineJson, testEngineUrl, uniqueName } from '../sinks/support/engine.js';
import { silentLogger, startEmulated, waitFor } from './support/emulated.js';
import { startWebhookReceiver } from './support/webhook.js';

const DAY_MS = 86_400_000;

async function webhookFor(t: test.TestContext) {
  const webhook = await startWebhookReceiver();
  t.after(webhook.close);
  return webhook;
}

test('authentication_failure: a wrong client secret', async (t) => {
  const emulated = await startEmulated(t, { tenants: 1 });
  const webhook = await webhookFor(t);
  const wrongSecret = 'Wr0ng~Secret.Value-0123456789abcdefghijkl';
  writeFileSync(join(emulated.dir, 'wrong.secret'), `${wrongSecret}\n`, { mode: 0o600 });
  const config = emulated.config([`alerts.webhook_url=${webhook.url}`, `tenants.0.auth.client_secret_file=${join(emulated.dir, 'wrong.secret')}`]);

  await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal });

  assert.equal(webhook.alerts.length, 1);
  const [alert] = webhook.alerts;
  assert.equal(alert?.kind, 'authentication_failure');
  assert.equal(alert?.tenantId, config.tenants[0]?.tenant_id);
  assert.equal(alert?.details?.reason, 'wrong-secret');
  assert.doesNotMatch(JSON.stringify(alert), /Wr0ng~Secret/);
});

test('retention_gap: a cursor older than the 7-day retention', async (t) => {
  const emulated = await startEmulated(t, { tenants: 1 });
  const webhook = await webhookFor(t);
  const config = emulated.config([`alerts.webhook_url=${webhook.url}`, 'tenants.0.content_types=["Audit.Exchange"]']);
  const stream = { tenantId: config.tenants[0]?.tenant_id ?? '', contentType: 'Audit.Exchange' };
  const ledger = openLedger(config.state.path);
  ledger.advanceCursor(stream, Date.now() - 9 * DAY_MS);
  ledger.close();

  await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal });

  assert.deepEqual(webhook.alerts.map((alert) => [alert.kind, alert.tenantId, alert.contentType]), [['retention_gap', stream.tenantId, stream.contentType]]);
  assert.match(webhook.alerts[0]?.message ?? '', /^retention gap: data between \S+ and \S+ is lost/);
});

test('stalled_stream: after alerts.stalled_after_polls polls that neither move the cursor nor deliver a blob, once', async (t) => {
  // Every next-page link is stale: the first page of the window with content is delivered on the first
  // poll, and no poll can ever get past it.
  const emulated = await startEmulated(t, { tenants: 1, events: 60, meanBlobRecords: 2, pageSize: 1, faults: { staleNextPageRate: 1 } });
  const webhook = await webhookFor(t);
  const config = emulated.config([
    `alerts.webhook_url=${webhook.url}`,
    'alerts.stalled_after_polls=2',
    'poll.interval=1s',
    'tenants.0.content_types=["Audit.Exchange"]',
  ]);
  const stop = new AbortController();
  const daemon = runCollector(config, silentLogger(), { mode: 'run', signal: stop.signal });

  await waitFor(() => webhook.alerts.some((alert) => alert.kind === 'stalled_stream'));
  // Two more polls without progress: the alert is not raised again.
  for (let poll = 0; poll < 2; poll++) {
    const previous = lastPollAt(config.state.path);
    await waitFor(() => lastPollAt(config.state.path) > previous);
  }
  stop.abort();
  await daemon;

  const stalled = webhook.alerts.filter((alert) => alert.kind === 'stalled_stream');
  assert.equal(stalled.length, 1, 'raised once, not on every poll after');
  assert.equal(stalled[0]?.contentType, 'Audit.Exchange');
  assert.equal(stalled[0]?.details?.polls, 2);
  assert.match(stalled[0]?.message ?? '', /made no progress in 2 polls in a row/);
});

test('dead_letters: documents the engine refuses for good, counted per poll', async (t) => {
  const engine = testEngineUrl();
  const index = uniqueName('o365-elk-dead-letters-');
  // `event` as a keyword, where every document has an object: the engine refuses each one (400).
  const created = await engineJson('PUT', `${engine}/${index}`, { mappings: { properties: { event: { type: 'keyword' } } } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  t.after(async () => {
    await engineJson('DELETE', `${engine}/${index}`);
    await engineJson('DELETE', `${engine}/_index_template/${parseIndexTarget(index).templateName}`);
  });
  const emulated = await startEmulated(t, { tenants: 1, events: 40 });
  const webhook = await webhookFor(t);
  const config = emulated.config([
    `alerts.webhook_url=${webhook.url}`,
    'tenants.0.content_types=["Audit.SharePoint"]',
    'output.file.enabled=false',
    `output.elasticsearch.hosts=["${engine}"]`,
    `output.elasticsearch.index=${index}`,
  ]);

  const summary = await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal });

  assert.ok(summary.recordsRejected > 0);
  assert.equal(summary.recordsDelivered, 0);
  assert.deepEqual(webhook.alerts.map((alert) => [alert.kind, alert.contentType, alert.details?.documents]), [['dead_letters', 'Audit.SharePoint', summary.recordsRejected]]);
});

function lastPollAt(path: string): number {
  const ledger = openLedger(path, { readonly: true });
  try {
    return ledger.listStreams()[0]?.lastPollAt ?? 0;
  } finally {
    ledger.close();
  }
}

test('content_expired: blobs that expired before they were fetched, one alert per stream and poll, counted', async (t) => {
  const emulated = await startEmulated(t, { tenants: 1, events: 300, faults: { expiredRate: 0.3 } });
  const webhook = await webhookFor(t);
  const config = emulated.config([`alerts.webhook_url=${webhook.url}`]);
  const metrics = createMetrics();

  const summary = await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal, metrics });

  assert.ok(summary.blobsExpired > 0, 'the fault made blobs expire (otherwise this test proves nothing)');
  const expired = webhook.alerts.filter((alert) => alert.kind === 'content_expired');
  const streams = expired.map((alert) => alert.contentType);
  assert.equal(new Set(streams).size, streams.length, 'one alert per stream and poll, not one per blob');
  assert.equal(
    expired.reduce((sum, alert) => sum + Number(alert.details?.contentIds), 0),
    summary.blobsExpired,
    'together they count every expired blob',
  );
  for (const alert of expired) {
    assert.equal(alert.tenantId, config.tenants[0]?.tenant_id);
    assert.match(alert.message, /^\d+ content blobs? of \S+ \(tenant \S+\) expired before (it was|they were) fetched \(contentExpiration \S+( to \S+)?\); their records are lost/);
    assert.ok(Date.parse(String(alert.details?.earliestExpiration)) <= Date.parse(String(alert.details?.latestExpiration)));
  }
  const counted = (await metrics.alerts.get()).values.find((value) => value.labels.kind === 'content_expired')?.value;
  assert.equal(counted, expired.length, 'o365_elk_alerts_total{kind="content_expired"}');
});

test('alerts.command runs with a minimal environment: none of the connector\'s secrets', async (t) => {
  const secretName = 'O365_ELK_OUTPUT_ELASTICSEARCH_PASSWORD';
  const secretValue = 'Engine-Passw0rd-in-the-environment';
  const previous = process.env[secretName];
  process.env[secretName] = secretValue;
  t.after(() => {
    if (previous === undefined) delete process.env[secretName];
    else process.env[secretName] = previous;
  });
  const emulated = await startEmulated(t, { tenants: 1 });
  const envFile = join(emulated.dir, 'alert-environment.txt');
  writeFileSync(join(emulated.dir, 'wrong.secret'), 'Wr0ng~Secret.Value-0123456789abcdefghijkl\n', { mode: 0o600 });
  const config = emulated.config([`alerts.command=env > ${envFile}`, `tenants.0.auth.client_secret_file=${join(emulated.dir, 'wrong.secret')}`]);

  await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal });

  const environment = readFileSync(envFile, 'utf8');
  assert.ok(!environment.includes(secretName) && !environment.includes(secretValue), 'the secret variable is not passed on');
  assert.match(environment, /^O365_ELK_ALERT_KIND=authentication_failure$/m);
  assert.match(environment, new RegExp(`^O365_ELK_ALERT_TENANT=${config.tenants[0]?.tenant_id}$`, 'm'));
  assert.match(environment, /^PATH=/m);
});

test('an alert command that does not end is killed after alerts.command_timeout, and the connector goes on', async (t) => {
  const emulated = await startEmulated(t, { tenants: 2 });
  const pidFile = join(emulated.dir, 'alert-command.pid');
  writeFileSync(join(emulated.dir, 'wrong.secret'), 'Wr0ng~Secret.Value-0123456789abcdefghijkl\n', { mode: 0o600 });
  const config = emulated.config([
    // The shell waits for a child of its own: the timeout has to end both.
    `alerts.command=sleep 600 & echo $! > ${pidFile}; wait`,
    'alerts.command_timeout=1s',
    `tenants.0.auth.client_secret_file=${join(emulated.dir, 'wrong.secret')}`,
  ]);
  const log = capturingLogger();

  const run = runCollector(config, log.logger, { mode: 'once', signal: new AbortController().signal });
  const summary = await Promise.race([run, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 60_000).unref())]);

  assert.notEqual(summary, 'hung', 'the collector finished despite the alert command');
  if (summary === 'hung') return;
  assert.equal(summary.authFailures.length, 1);
  assert.ok(summary.recordsDelivered > 0, 'the other tenant was collected');
  assert.ok(
    log.lines().some((line) => line.msg === 'alert command still running after 1 s and was killed; check alerts.command or raise alerts.command_timeout'),
    log.lines().map((line) => line.msg).join('\n'),
  );
  assert.ok(existsSync(pidFile));
  const sleeper = Number(readFileSync(pidFile, 'utf8'));
  await waitFor(() => !isRunning(sleeper), 10_000);
});

function capturingLogger(): { logger: Logger; lines: () => { msg: string }[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString('utf8');
      done();
    },
  });
  return {
    logger: createLogger({ level: 'warn', json: true, destination }),
    lines: () =>
      text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as { msg: string }),
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
