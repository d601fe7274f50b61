// The collector: every tenant's streams, from subscriptions to the sink, in one of three modes —
// one pass (`once`), a catch-up over a chosen depth (`backfill`), or polling until stopped (`run`).
import { setMaxListeners } from 'node:events';
import { dirname } from 'node:path';
import type { Config, ContentType } from '../config/index.js';
import { openLedger, type Ledger, type StreamState } from '../state/index.js';
import { AuthError, ensureSubscriptions, ManagementApiError, type ManagementApiClient } from '../source/index.js';
import { createTransformer } from '../transform/index.js';
import { openEnrichment, type OpenedEnrichment } from './enrichment.js';
import type { Logger } from '../util/logger.js';
import { createAlerter, type Alerter } from './alerts.js';
import { createClockSkewCheck } from './clock-skew.js';
import { createCommitQueue } from './commit-queue.js';
import { createDocumentQueue } from './document-queue.js';
import type { BlobDeliveryContext } from './deliver-blob.js';
import { clientObserver, createMetrics, instrumentSink, type Metrics } from './metrics.js';
import { createOutputSink } from './output.js';
import type { RecentSignIns } from './recent-sign-ins.js';
import { createRunStats, type RunStats } from './stats.js';
import { createSlots, type Slots } from './slots.js';
import { runStreamPass, type PassProgress } from './stream-pass.js';
import { createTenantClient } from './tenant-client.js';
import { sleep } from './sleep.js';
import type { PassMode } from './windows.js';

export type CollectorMode = 'once' | 'backfill' | 'run';

const DEFAULT_GRACE_MS = 6000;

export interface CollectorOptions {
  mode: CollectorMode;
  /** Backfill depth, ms; defaults to poll.since. */
  sinceMs?: number;
  /** Stops listing at once; deliveries in flight get `graceMs` (default 6 s) to finish. */
  signal: AbortSignal;
  graceMs?: number;
  onProgress?: (stream: string, progress: PassProgress) => void;
  /** Shared with the HTTP endpoints when they run; a private registry otherwise. */
  metrics?: Metrics;
  /** Fed with delivered sign-ins for the map page, when the daemon serves it. */
  signIns?: RecentSignIns;
}

export interface CollectorSummary extends RunStats {
  authFailures: string[];
  fatalErrors: string[];
}

interface TenantRuntime {
  tenantId: string;
  name: string | undefined;
  client: ManagementApiClient;
  slots: Slots;
  contentTypes: ContentType[];
  subscribed: boolean;
  /** An authentication_failure alert was raised and the tenant has not authenticated since: raise no more. */
  authAlerted: boolean;
}

export async function runCollector(config: Config, logger: Logger, options: CollectorOptions): Promise<CollectorSummary> {
  const summary: CollectorSummary = { ...createRunStats(), authFailures: [], fatalErrors: [] };
  const metrics = options.metrics ?? createMetrics();
  const alerts = createAlerter({
    ...definedAlertHooks(config),
    commandTimeoutMs: config.alerts.command_timeout,
    stalledAfterPolls: config.alerts.stalled_after_polls,
    logger,
    metrics,
  });
  const ledger = openLedger(config.state.path);
  const checkClockSkew = createClockSkewCheck(logger);
  const stopTrackingLag = metrics.trackStreams(() => ledger.listStreams());
  const sink = instrumentSink(createOutputSink(config.output, { deadLetterDir: dirname(config.state.path), logger }), metrics);
  const tenants: TenantRuntime[] = config.tenants.map((tenant, index) => ({
    tenantId: tenant.tenant_id,
    name: tenant.name,
    client: createTenantClient(tenant, index, config, logger, clientObserver(metrics, tenant.tenant_id)),
    slots: createSlots(config.api.max_concurrency),
    contentTypes: [...tenant.content_types],
    subscribed: false,
    authAlerted: false,
  }));
  // Pruning goes by the API's times; a host clock far from the API's is worth a warning there.
  const checkClock = (tenant: TenantRuntime): void => checkClockSkew(tenant.tenantId, tenant.client.clockSkewMs());
  // Deliveries in flight may finish after listing stops, but not past the grace period.
  const hardStop = new AbortController();
  // Every delivery in flight listens on these signals; the default cap of 10 listeners is not a leak here.
  setMaxListeners(0, hardStop.signal, options.signal);
  const onStop = (): void => {
    setTimeout(() => hardStop.abort(), options.graceMs ?? DEFAULT_GRACE_MS).unref();
  };
  options.signal.addEventListener('abort', onStop, { once: true });
  let sinkClosed: Promise<void> | undefined;
  const closeSink = (): Promise<void> => (sinkClosed ??= sink.close());
  // Past the grace period the output gives up on what it has not acknowledged (an engine that is down
  // would otherwise be waited for forever); those blobs are not committed and are fetched next time.
  hardStop.signal.addEventListener(
    'abort',
    () => void closeSink().catch((error: unknown) => logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'output did not close cleanly')),
    { once: true },
  );

  metrics.readiness.expectTenants(tenants.map((t) => t.tenantId));
  let enrichment: OpenedEnrichment | undefined;

  try {
    await sink.open();
    metrics.readiness.outputOpened();
    enrichment = await openEnrichment(config, logger);
    const transformer = createTransformer({ enrichers: enrichment.enrichers, tenantNames: enrichment.tenantNames });
    const running = new Map<string, Promise<void>>();
    const failures: FailureContext = { logger, summary, alerts, metrics };
    const commits = createCommitQueue(ledger);
    const queue = createDocumentQueue(config.queue.mem.events);
    const passMode: PassMode = options.mode === 'backfill' ? 'backfill' : 'live';
    const sinceMs = options.sinceMs ?? config.poll.since;

    const startPasses = async (tenant: TenantRuntime): Promise<void> => {
      if (!tenant.subscribed) await subscribe(tenant, failures, options.signal);
      if (!tenant.subscribed || options.signal.aborted) return;
      for (const contentType of tenant.contentTypes) {
        const key = `${tenant.tenantId}/${contentType}`;
        if (running.has(key)) continue;
        const ctx: BlobDeliveryContext = {
          stream: { tenantId: tenant.tenantId, contentType },
          tenantName: tenant.name,
          client: tenant.client,
          transformer,
          sink,
          queue,
          ledger,
          commits,
          stats: summary,
          logger,
          alerts,
          metrics,
          ...(options.signIns ? { signIns: options.signIns } : {}),
          now: Date.now,
        };
        const before = ledger.getStream(ctx.stream);
        const pass = runStreamPass(ctx, {
          mode: passMode,
          sinceMs,
          lookbackMs: config.poll.lookback,
          slots: tenant.slots,
          listSignal: options.signal,
          fetchSignal: hardStop.signal,
          ...(options.onProgress ? { onProgress: (p: PassProgress) => options.onProgress!(key, p) } : {}),
        })
          .then(() => ledger.recordPoll(ctx.stream, { nextPollAt: options.mode === 'run' ? Date.now() + config.poll.interval : null }))
          .catch((error: unknown) => handleStreamError(error, tenant, contentType, ledger, failures))
          .finally(() => {
            alerts.endPoll(ctx.stream, { progressed: madeProgress(before, ledger.getStream(ctx.stream)) });
            running.delete(key);
          });
        running.set(key, pass);
      }
    };

    // Each tenant on its own: one that waits for Entra ID or its API holds no other back.
    const collectTenant = async (tenant: TenantRuntime): Promise<void> => {
      if (options.mode !== 'run') return startPasses(tenant);
      while (!options.signal.aborted) {
        await startPasses(tenant);
        // Each tenant's loop looks after its own tenant only, so N tenants do not prune N times a round.
        checkClock(tenant);
        ledger.pruneExpired(undefined, tenant.tenantId);
        await sleep(config.poll.interval, options.signal);
      }
    };
    await Promise.all(tenants.map(collectTenant));
    await Promise.all(running.values());
    tenants.forEach(checkClock);
    ledger.pruneExpired();
  } finally {
    options.signal.removeEventListener('abort', onStop);
    await closeSink();
    await enrichment?.close();
    await Promise.all(tenants.map((t) => t.client.close()));
    await alerts.flush();
    stopTrackingLag();
    ledger.close();
  }
  return summary;
}

interface FailureContext {
  logger: Logger;
  summary: CollectorSummary;
  alerts: Alerter;
  metrics: Metrics;
}

function definedAlertHooks(config: Config): { webhookUrl?: string; command?: string } {
  return {
    ...(config.alerts.webhook_url ? { webhookUrl: config.alerts.webhook_url } : {}),
    ...(config.alerts.command ? { command: config.alerts.command } : {}),
  };
}

async function subscribe(tenant: TenantRuntime, failures: FailureContext, signal: AbortSignal): Promise<void> {
  try {
    const result = await ensureSubscriptions(tenant.client, tenant.contentTypes, signal);
    for (const failure of result.failed) {
      failures.logger.error(
        { tenant: tenant.tenantId, contentType: failure.contentType, err: failure.error.message },
        'subscription could not be started; this content type is skipped',
      );
    }
    const failed = new Set(result.failed.map((f) => f.contentType));
    tenant.contentTypes = tenant.contentTypes.filter((ct) => !failed.has(ct));
    tenant.subscribed = true;
    tenant.authAlerted = false;
    failures.metrics.readiness.tenantReady(tenant.tenantId);
  } catch (error) {
    // Stopping cut the request short: nothing failed.
    if (signal.aborted) return;
    failures.metrics.readiness.tenantNotReady(tenant.tenantId, error instanceof Error ? error.message : String(error));
    recordTenantFailure(error, tenant, failures);
  }
}

/** A poll progressed when the stream's cursor moved or a blob reached the output. */
function madeProgress(before: StreamState | undefined, after: StreamState | undefined): boolean {
  if (!after) return false;
  return after.cursor !== (before?.cursor ?? null) || after.blobsDelivered + after.blobsRejected > (before ? before.blobsDelivered + before.blobsRejected : 0);
}

function handleStreamError(error: unknown, tenant: TenantRuntime, contentType: ContentType, ledger: Ledger, failures: FailureContext): void {
  const message = error instanceof Error ? error.message : String(error);
  ledger.recordError({ tenantId: tenant.tenantId, contentType }, message);
  if (error instanceof ManagementApiError && error.kind === 'forbidden') {
    tenant.contentTypes = tenant.contentTypes.filter((ct) => ct !== contentType);
    failures.logger.error({ tenant: tenant.tenantId, contentType }, message);
    failures.summary.fatalErrors.push(message);
    return;
  }
  recordTenantFailure(error, tenant, failures);
}

function recordTenantFailure(error: unknown, tenant: TenantRuntime, failures: FailureContext): void {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof AuthError) {
    failures.summary.authFailures.push(message);
    if (tenant.authAlerted) {
      failures.logger.warn({ tenant: tenant.tenantId }, `${message} (still failing)`);
      return;
    }
    tenant.authAlerted = true;
    failures.alerts.raise({ kind: 'authentication_failure', tenantId: tenant.tenantId, message, details: { reason: error.kind } });
  } else if (error instanceof ManagementApiError && (error.kind === 'fatal' || error.kind === 'tls')) {
    failures.summary.fatalErrors.push(message);
    failures.logger.error({ tenant: tenant.tenantId }, message);
  } else {
    failures.summary.errors += 1;
    failures.logger.warn({ tenant: tenant.tenantId }, `${message} (will retry on the next poll)`);
  }
}
