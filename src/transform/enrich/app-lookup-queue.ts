// Graph lookups for one tenant, off the pipeline's path: the enricher hands in application ids and
// moves on; this queue asks Graph one id at a time and reports each answer. It is bounded and holds an
// id once however often it is handed in. It backs off when Graph throttles (Retry-After) or fails, and
// stops for good, with one warning, when Graph refuses the tenant (no Application.Read.All).
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../../source/backoff.js';
import type { RetryPolicy } from '../../source/options.js';
import type { Logger } from '../../util/logger.js';
import { fetchAppName, GraphBusyError, GraphRefusedError, type GraphTenant } from './graph-app-lookup.js';

export interface AppLookupQueueOptions {
  tenant: GraphTenant;
  logger: Logger;
  onAnswer(appId: string, name: string | null): void;
}

export interface AppLookupStats {
  /** Requests that got an answer (a name, or "no such application"). */
  answered: number;
  throttled: number;
  failed: number;
  /** Ids not queued because the queue was full. */
  dropped: number;
  /** Graph refused this tenant; no more requests are sent. */
  refused: boolean;
}

// Ids waiting at most; more are dropped until there is room (they come back with later records).
const CAPACITY = 1_000;
// Pauses between failed attempts; a Retry-After wins, up to five minutes.
const RETRY: RetryPolicy = { maxAttempts: Infinity, baseDelayMs: 1_000, maxDelayMs: 300_000 };
// An id that keeps failing (not throttling) is set aside after this many tries so that it cannot hold
// up the ids behind it; it is queued again when a later record names it.
const ATTEMPTS_PER_ID = 3;

export class AppLookupQueue {
  private readonly pending: string[] = [];
  private readonly queued = new Set<string>();
  private readonly stopping = new AbortController();
  private worker: Promise<void> = Promise.resolve();
  private working = false;
  private failuresInARow = 0;
  private attemptsOnHead = 0;
  readonly stats: AppLookupStats = { answered: 0, throttled: 0, failed: 0, dropped: 0, refused: false };

  constructor(private readonly options: AppLookupQueueOptions) {}

  /** Queues a lower-case application id for lookup, unless it is already queued. Never waits. */
  enqueue(appId: string): void {
    if (this.stats.refused || this.stopping.signal.aborted || this.queued.has(appId)) return;
    if (this.pending.length >= CAPACITY) {
      this.stats.dropped += 1;
      return;
    }
    this.pending.push(appId);
    this.queued.add(appId);
    if (!this.working) {
      this.working = true;
      this.worker = this.work();
    }
  }

  /** Abandons the lookups in flight and waiting, after giving them up to `waitMs` to finish. */
  async close(waitMs = 0): Promise<void> {
    if (waitMs > 0 && this.working) {
      const timer = new AbortController();
      await Promise.race([this.worker, sleep(waitMs, undefined, { signal: timer.signal }).catch(() => undefined)]);
      timer.abort();
    }
    this.stopping.abort();
    await this.worker;
  }

  private async work(): Promise<void> {
    const signal = this.stopping.signal;
    try {
      while (this.pending.length > 0 && !signal.aborted) {
        const appId = this.pending[0] as string;
        try {
          const name = await fetchAppName(this.options.tenant, appId, signal);
          this.finishHead();
          this.failuresInARow = 0;
          this.stats.answered += 1;
          this.options.onAnswer(appId, name);
        } catch (error) {
          if (signal.aborted) return;
          if (error instanceof GraphRefusedError) return this.refuse(error);
          await sleep(this.failed(error), undefined, { signal, ref: false }).catch(() => undefined);
        }
      }
    } finally {
      // Cleared in the step that ends the loop, so that an id queued right after starts a new worker.
      this.working = false;
    }
  }

  /** Counts a failure and returns how long to wait before the next request. */
  private failed(error: unknown): number {
    this.failuresInARow += 1;
    const tenantId = this.options.tenant.tenantId;
    if (error instanceof GraphBusyError) {
      this.stats.throttled += 1;
      const delayMs = backoffDelay(this.failuresInARow, RETRY, error.retryAfterMs);
      this.options.logger.debug({ tenantId, delayMs }, `${error.message}; next lookup in ${Math.ceil(delayMs / 1000)} s`);
      return delayMs;
    }
    this.stats.failed += 1;
    this.attemptsOnHead += 1;
    if (this.attemptsOnHead >= ATTEMPTS_PER_ID) this.finishHead();
    const delayMs = backoffDelay(this.failuresInARow, RETRY);
    // The first failure of a run is worth a warning; the rest of the run would only repeat it.
    const level = this.failuresInARow === 1 ? 'warn' : 'debug';
    const reason = error instanceof Error ? error.message : String(error);
    this.options.logger[level]({ tenantId, delayMs }, `application name lookup failed (${reason}); names stay unresolved until it succeeds, next try in ${Math.ceil(delayMs / 1000)} s`);
    return delayMs;
  }

  private refuse(error: GraphRefusedError): void {
    this.stats.refused = true;
    this.options.logger.warn({ tenantId: this.options.tenant.tenantId }, error.message);
    this.pending.length = 0;
    this.queued.clear();
  }

  private finishHead(): void {
    const appId = this.pending.shift();
    if (appId !== undefined) this.queued.delete(appId);
    this.attemptsOnHead = 0;
  }
}
