// /metrics after a real collector pass against the emulator, scraped over HTTP and read with a Prometheus
// text-format parser: every counter agrees with what the pass reports and the ledger holds.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHttpServer } from '../../src/http/index.js';
import { readStatusReport } from '../../src/http/stream-status.js';
import { runCollector } from '../../src/runtime/collector.js';
import { createMetrics } from '../../src/runtime/metrics.js';
import { CONTENT_TYPES } from '../../src/source/index.js';
import { silentLogger, startEmulated, waitFor } from './support/emulated.js';
import { scrape } from './support/prometheus.js';

test("after a daemon's first poll, /metrics counts API answers, events, blobs, bytes, tokens, lag and write latency", async (t) => {
  // DLP.All is refused (403 with an AF code), so the code label is exercised too.
  const emulated = await startEmulated(t, { events: 300, faults: { unauthorizedContentTypes: ['DLP.All'] } });
  const config = emulated.config(['poll.interval=1h']);
  const metrics = createMetrics({ processMetrics: true });
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, metrics, status: () => readStatusReport(config), logger: silentLogger() });
  t.after(() => server.close());
  const readable = CONTENT_TYPES.filter((contentType) => contentType !== 'DLP.All');
  const stop = new AbortController();
  const daemon = runCollector(config, silentLogger(), { mode: 'run', signal: stop.signal, metrics });

  // The first poll is over once every readable stream has a next poll scheduled.
  await waitFor(() => readStatusReport(config).streams.filter((s) => s.nextPollAt !== null).length === readable.length * 2);
  const metricsNow = await scrape(server.url);
  const ledger = readStatusReport(config);
  stop.abort();
  const summary = await daemon;
  const tenants = config.tenants.map((tenant) => tenant.tenant_id);

  assert.ok(summary.recordsDelivered > 0);
  assert.equal(metricsNow.type('o365_elk_events_total'), 'COUNTER');
  assert.equal(metricsNow.sum('o365_elk_events_total', { outcome: 'delivered' }), summary.recordsDelivered);
  assert.equal(metricsNow.sum('o365_elk_events_total', { outcome: 'rejected' }), 0);
  assert.equal(metricsNow.sum('o365_elk_dead_letters_total'), 0);
  assert.equal(metricsNow.sum('o365_elk_blobs_total', { outcome: 'delivered' }), summary.blobsDelivered);

  for (const tenant of tenants) {
    assert.equal(metricsNow.sum('o365_elk_token_refreshes_total', { tenant }), 1, 'one token per tenant, then the cache');
    const delivered = ledger.streams.filter((s) => s.tenantId === tenant).reduce((n, s) => n + s.total.blobs, 0);
    assert.equal(metricsNow.sum('o365_elk_api_requests_total', { tenant, operation: 'get-blob', status: '200' }), delivered, 'one blob request per blob');
    assert.ok(metricsNow.sum('o365_elk_api_requests_total', { tenant, operation: 'list-subscriptions', status: '200', code: '' }) >= 1);
    assert.ok(metricsNow.sum('o365_elk_api_requests_total', { tenant, operation: 'list-content', status: '200' }) >= readable.length);
    assert.ok(metricsNow.sum('o365_elk_api_requests_total', { tenant, operation: 'list-content', status: '403', code: 'AF10001' }) >= 1, 'the refused DLP.All listing');

    for (const stream of ledger.streams.filter((s) => s.tenantId === tenant && s.total.events > 0)) {
      const labels = { tenant, content_type: stream.contentType };
      assert.equal(metricsNow.sum('o365_elk_events_total', { ...labels, outcome: 'delivered' }), stream.total.events);
      assert.ok(metricsNow.sum('o365_elk_fetched_bytes_total', labels) > stream.total.events * 100, 'bytes of the blob bodies');
      const [lag] = metricsNow.samples('o365_elk_stream_lag_seconds', labels);
      assert.ok(lag && Math.abs(lag.value - (stream.lagSeconds ?? NaN)) <= 5, `lag of ${stream.contentType} agrees with the ledger`);
    }
  }

  assert.equal(metricsNow.type('o365_elk_sink_write_duration_seconds'), 'HISTOGRAM');
  assert.ok(metricsNow.histogramCount('o365_elk_sink_write_duration_seconds') >= summary.blobsDelivered);
  assert.equal(metricsNow.type('o365_elk_stream_lag_seconds'), 'GAUGE');
  assert.equal(metricsNow.sum('o365_elk_output_ready'), 1);
  assert.equal(metricsNow.type('process_cpu_seconds_total'), 'COUNTER', "prom-client's process metrics are served too");
});

test('retries are counted by reason, and a broken body costs a retry, not a record', async (t) => {
  const emulated = await startEmulated(t, { events: 200, faults: { truncateRate: 0.3 } });
  const config = emulated.config();
  const metrics = createMetrics();
  const server = await startHttpServer({ host: '127.0.0.1', port: 0, metrics, status: () => null, logger: silentLogger() });
  t.after(() => server.close());

  const summary = await runCollector(config, silentLogger(), { mode: 'once', signal: new AbortController().signal, metrics });
  const metricsNow = await scrape(server.url);

  assert.ok(metricsNow.sum('o365_elk_api_retries_total', { operation: 'get-blob', reason: 'broken-body' }) > 0, 'some blobs were cut short');
  assert.equal(metricsNow.sum('o365_elk_events_total', { outcome: 'delivered' }), summary.recordsDelivered);
  assert.equal(metricsNow.sum('o365_elk_blobs_total', { outcome: 'failed' }), 0);
});
