// The connector's Prometheus metrics (prom-client), in one registry that `/metrics` serves, and the
// readiness that `/readyz` reports. Counters are per tenant (its GUID) and, where it applies, content type.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Sink, WriteResult } from '../sinks/types.js';
import type { ClientObserver } from '../source/index.js';
import type { Stream } from '../state/index.js';

/** Where a stream's newest delivered content stands, for the lag gauge. */
export interface StreamPosition extends Stream {
  /** Epoch ms; null until a blob was delivered. */
  newestContentCreated: number | null;
}

export type BlobMetricOutcome = 'delivered' | 'expired' | 'rejected' | 'failed';

export interface Readiness {
  /** The tenants that must be authenticated and subscribed before the collector is ready. */
  expectTenants(tenantIds: readonly string[]): void;
  outputOpened(): void;
  tenantReady(tenantId: string): void;
  /** `reason` is shown by /readyz: one line, free of secrets. */
  tenantNotReady(tenantId: string, reason: string): void;
  report(): { ready: boolean; reasons: string[] };
}

export interface Metrics {
  registry: Registry;
  alerts: Counter<'kind'>;
  apiRequests: Counter<'tenant' | 'operation' | 'status' | 'code'>;
  apiRetries: Counter<'tenant' | 'operation' | 'reason'>;
  fetchedBytes: Counter<'tenant' | 'content_type'>;
  tokenRefreshes: Counter<'tenant'>;
  authFailures: Counter<'tenant' | 'reason'>;
  events: Counter<'tenant' | 'content_type' | 'outcome'>;
  blobs: Counter<'tenant' | 'content_type' | 'outcome'>;
  deadLetters: Counter<'tenant' | 'content_type'>;
  sinkWriteDuration: Histogram<'output'>;
  streamLag: Gauge<'tenant' | 'content_type'>;
  readiness: Readiness;
  /** Reads stream positions for the lag gauge at every scrape; returns a function that stops reading them. */
  trackStreams(source: () => readonly StreamPosition[]): () => void;
}

export interface MetricsOptions {
  /** Also collect prom-client's process metrics (CPU, memory, event loop, GC): for the served registry only. */
  processMetrics?: boolean;
}

export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics) collectDefaultMetrics({ register: registry });
  let streamSource: (() => readonly StreamPosition[]) | undefined;

  const streamLag = new Gauge({
    name: 'o365_elk_stream_lag_seconds',
    help: 'Seconds between now and the contentCreated of the newest blob delivered, by stream',
    labelNames: ['tenant', 'content_type'],
    registers,
    collect() {
      streamLag.reset();
      if (!streamSource) return;
      const now = Date.now();
      for (const stream of streamSource()) {
        if (stream.newestContentCreated === null) continue;
        streamLag.set({ tenant: stream.tenantId, content_type: stream.contentType }, Math.max(0, now - stream.newestContentCreated) / 1000);
      }
    },
  });

  return {
    registry,
    alerts: new Counter({ name: 'o365_elk_alerts_total', help: 'Alerts raised, by condition', labelNames: ['kind'], registers }),
    apiRequests: new Counter({
      name: 'o365_elk_api_requests_total',
      help: 'Answers of the Management Activity API, by tenant, operation, HTTP status and AF error code',
      labelNames: ['tenant', 'operation', 'status', 'code'],
      registers,
    }),
    apiRetries: new Counter({
      name: 'o365_elk_api_retries_total',
      help: 'Management Activity API requests sent again after a failure that may pass, by reason',
      labelNames: ['tenant', 'operation', 'reason'],
      registers,
    }),
    fetchedBytes: new Counter({
      name: 'o365_elk_fetched_bytes_total',
      help: 'Bytes of content blobs received from the Management Activity API',
      labelNames: ['tenant', 'content_type'],
      registers,
    }),
    tokenRefreshes: new Counter({
      name: 'o365_elk_token_refreshes_total',
      help: 'Access tokens fetched from Entra ID (not served from the cache)',
      labelNames: ['tenant'],
      registers,
    }),
    authFailures: new Counter({
      name: 'o365_elk_auth_failures_total',
      help: 'Failed token requests, by tenant and classified reason',
      labelNames: ['tenant', 'reason'],
      registers,
    }),
    events: new Counter({
      name: 'o365_elk_events_total',
      help: 'Audit records handed to the output, by outcome: delivered (stored), duplicate (already stored), rejected (dead-lettered)',
      labelNames: ['tenant', 'content_type', 'outcome'],
      registers,
    }),
    blobs: new Counter({
      name: 'o365_elk_blobs_total',
      help: 'Content blobs by outcome: delivered, rejected (some records dead-lettered), expired (lost), failed (tried again later)',
      labelNames: ['tenant', 'content_type', 'outcome'],
      registers,
    }),
    deadLetters: new Counter({
      name: 'o365_elk_dead_letters_total',
      help: 'Documents refused by the output for good and written to the dead-letter file',
      labelNames: ['tenant', 'content_type'],
      registers,
    }),
    sinkWriteDuration: new Histogram({
      name: 'o365_elk_sink_write_duration_seconds',
      help: 'Time until the output settled a write (acknowledged, duplicate or dead-lettered), queueing included',
      labelNames: ['output'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    streamLag,
    readiness: createReadiness(registry),
    trackStreams(source) {
      streamSource = source;
      return () => {
        if (streamSource === source) streamSource = undefined;
      };
    },
  };
}

function createReadiness(registry: Registry): Readiness {
  const outputGauge = new Gauge({ name: 'o365_elk_output_ready', help: '1 once the output has been opened', registers: [registry] });
  const tenantGauge = new Gauge({
    name: 'o365_elk_tenant_ready',
    help: '1 while the tenant is authenticated and subscribed',
    labelNames: ['tenant'],
    registers: [registry],
  });
  let outputOpen = false;
  const tenants = new Map<string, string | undefined>();
  const notReady = (tenantId: string, reason: string): void => {
    tenants.set(tenantId, reason);
    tenantGauge.set({ tenant: tenantId }, 0);
  };
  outputGauge.set(0);
  return {
    expectTenants(tenantIds) {
      for (const tenantId of tenantIds) notReady(tenantId, `tenant ${tenantId}: not authenticated and subscribed yet`);
    },
    outputOpened() {
      outputOpen = true;
      outputGauge.set(1);
    },
    tenantReady(tenantId) {
      tenants.set(tenantId, undefined);
      tenantGauge.set({ tenant: tenantId }, 1);
    },
    tenantNotReady(tenantId, reason) {
      notReady(tenantId, reason);
    },
    report() {
      const reasons = [
        ...(outputOpen ? [] : ['the output is not open yet']),
        ...(tenants.size === 0 ? ['the collector has not started yet'] : []),
        ...[...tenants.values()].filter((reason): reason is string => reason !== undefined),
      ];
      return { ready: reasons.length === 0, reasons };
    },
  };
}

/** Turns what a tenant's client reports into the API, retry, byte and token metrics. */
export function clientObserver(metrics: Metrics, tenantId: string): ClientObserver {
  return {
    onResponse: ({ operation, status, code }) => metrics.apiRequests.inc({ tenant: tenantId, operation, status: String(status), code: code ?? '' }),
    onRetry: ({ operation, reason }) => metrics.apiRetries.inc({ tenant: tenantId, operation, reason }),
    onBlobBytes: (bytes, contentType) => metrics.fetchedBytes.inc({ tenant: tenantId, content_type: contentType }, bytes),
    onToken: (event) => {
      if (event.outcome === 'issued') metrics.tokenRefreshes.inc({ tenant: tenantId });
      else metrics.authFailures.inc({ tenant: tenantId, reason: event.kind });
    },
  };
}

/** Counts what became of one write's documents. */
export function countWrite(metrics: Metrics, stream: Stream, result: WriteResult): void {
  const labels = { tenant: stream.tenantId, content_type: stream.contentType };
  metrics.events.inc({ ...labels, outcome: 'delivered' }, result.acknowledged);
  metrics.events.inc({ ...labels, outcome: 'duplicate' }, result.duplicates);
  metrics.events.inc({ ...labels, outcome: 'rejected' }, result.rejected.length);
  metrics.deadLetters.inc(labels, result.rejected.length);
}

export function countBlob(metrics: Metrics, stream: Stream, outcome: BlobMetricOutcome): void {
  metrics.blobs.inc({ tenant: stream.tenantId, content_type: stream.contentType, outcome });
}

/** The sink, with the time each write takes to settle measured. */
export function instrumentSink(sink: Sink, metrics: Metrics): Sink {
  return {
    name: sink.name,
    open: () => sink.open(),
    // Not an async function: its suspended frame would keep `documents` alive until the write settles.
    write(documents) {
      const end = metrics.sinkWriteDuration.startTimer({ output: sink.name });
      try {
        return sink.write(documents).finally(end);
      } catch (error) {
        end();
        throw error;
      }
    },
    close: () => sink.close(),
  };
}
