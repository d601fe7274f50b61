// Sends one `_bulk` request until every document in it is settled: created, a duplicate, or refused
// for good. Whatever may pass later is sent again with jittered exponential backoff, for as long as it
// takes — the connector must outlast an engine that is down for minutes — until the sink closes:
// a whole request that got no answer, 429, 5xx, 408 or 401/403; single items answered 429, 5xx or
// 401/403. A 413 splits the request in two.
import { setTimeout as sleep } from 'node:timers/promises';
import { backoffDelay } from '../../source/backoff.js';
import type { Logger } from '../../util/logger.js';
import { BULK_PATH, bulkBody, classifyItems, type BulkItem } from './bulk.js';
import { EngineUnreachableError, engineErrorText, type EngineConnection } from './connection.js';

export interface BackoffPolicy {
  /** First wait; it doubles with every attempt, half of it random, up to maxDelayMs. */
  baseDelayMs: number;
  maxDelayMs: number;
}

export interface BulkSenderContext {
  connection: EngineConnection;
  backoff: BackoffPolicy;
  logger: Logger;
  /** Aborted when the sink closes: waiting for a retry ends, and the documents still pending fail. */
  signal: AbortSignal;
}

export interface RefusedItem {
  item: BulkItem;
  status: number;
  reason: string;
}

export interface SettledItems {
  duplicates: BulkItem[];
  refused: RefusedItem[];
}

/** Thrown for the documents still pending when the sink closes; they are not acknowledged. */
export class OutputClosedError extends Error {
  override readonly name = 'OutputClosedError';
}

const RETRY_WHOLE_REQUEST = new Set([401, 403, 408, 429]);

export async function sendUntilSettled(items: BulkItem[], context: BulkSenderContext): Promise<SettledItems> {
  const settled: SettledItems = { duplicates: [], refused: [] };
  let pending = items;
  let attempt = 0;
  while (pending.length > 0) {
    if (attempt > 0) await pause(attempt, pending.length, context);
    attempt += 1;
    let response;
    try {
      response = await context.connection.request({ method: 'POST', path: BULK_PATH, body: bulkBody(pending), ndjson: true });
    } catch (error) {
      if (!(error instanceof EngineUnreachableError)) throw error;
      context.logger.warn({ documents: pending.length, attempt, error: error.message }, 'bulk request failed; it will be sent again');
      continue;
    }
    const { status, body, host } = response;
    if (status === 413 && pending.length > 1) {
      const half = Math.ceil(pending.length / 2);
      for (const part of [pending.slice(0, half), pending.slice(half)]) merge(settled, await sendUntilSettled(part, context));
      return settled;
    }
    if (status === 413) {
      settled.refused.push({ item: pending[0] as BulkItem, status, reason: 'the document is larger than the engine accepts in one request (http.max_content_length)' });
      return settled;
    }
    if (RETRY_WHOLE_REQUEST.has(status) || status >= 500) {
      const log = status === 401 || status === 403 ? context.logger.error.bind(context.logger) : context.logger.warn.bind(context.logger);
      const fix = status === 401 || status === 403 ? ' — check output.elasticsearch credentials and their create_doc privilege on the index' : '';
      log({ host, status, documents: pending.length, attempt, error: engineErrorText(body) }, `bulk request answered ${status}; it will be sent again${fix}`);
      continue;
    }
    if (status < 200 || status >= 300) {
      const reason = `the engine refused the whole bulk request (${status}: ${engineErrorText(body) ?? 'no reason given'})`;
      settled.refused.push(...pending.map((item) => ({ item, status, reason })));
      return settled;
    }
    let outcomes;
    try {
      outcomes = classifyItems(body, pending.length);
    } catch (error) {
      context.logger.warn({ host, documents: pending.length, attempt, error: (error as Error).message }, 'bulk answer unreadable; the request will be sent again');
      continue;
    }
    const again: BulkItem[] = [];
    outcomes.forEach((outcome, i) => {
      const item = pending[i] as BulkItem;
      if (outcome.kind === 'duplicate') settled.duplicates.push(item);
      else if (outcome.kind === 'rejected') settled.refused.push({ item, status: outcome.status, reason: outcome.reason });
      else if (outcome.kind === 'retry') again.push(item);
    });
    if (again.length > 0) {
      const first = outcomes.find((outcome) => outcome.kind === 'retry') as { status: number; reason: string };
      context.logger.warn({ host, documents: again.length, attempt, status: first.status, error: first.reason }, 'documents not taken yet; they will be sent again');
    }
    pending = again;
  }
  return settled;
}

async function pause(attempt: number, pendingCount: number, context: BulkSenderContext): Promise<void> {
  const closed = () => new OutputClosedError(`the elasticsearch output closed before ${pendingCount} documents were acknowledged`);
  if (context.signal.aborted) throw closed();
  try {
    await sleep(backoffDelay(attempt, { maxAttempts: Infinity, ...context.backoff }), undefined, { signal: context.signal });
  } catch (error) {
    if (context.signal.aborted) throw closed();
    throw error;
  }
}

function merge(into: SettledItems, from: SettledItems): void {
  into.duplicates.push(...from.duplicates);
  into.refused.push(...from.refused);
}
