// Keeps up to `concurrency` `_bulk` requests in flight whenever documents are waiting. Each request
// that ends frees its place for the next one at once, taking whatever has queued meanwhile (up to the
// size limits): the engine never waits for the slowest request of a round, and requests grow by
// themselves when the engine is the slower side. Each submission settles once all of its documents have.
import type { BulkItem } from './bulk.js';
import type { RefusedItem, SettledItems } from './bulk-sender.js';

export interface BulkQueueLimits {
  /** Requests in flight at once (output.elasticsearch.worker). */
  concurrency: number;
  /** Documents per request (bulk_max_size). */
  maxDocuments: number;
  /** Bytes per request (bulk_max_bytes); a single larger document travels alone. */
  maxBytes: number;
}

export interface BulkQueue {
  /** Queues documents already encoded; resolves once each of them is settled. */
  submit(items: BulkItem[]): Promise<SettledItems>;
  /** Resolves once every request has ended and nothing waits. */
  drain(): Promise<void>;
}

interface Submission {
  unsettled: number;
  settled: SettledItems;
  failed: boolean;
  resolve(settled: SettledItems): void;
  reject(error: unknown): void;
}

interface Queued {
  item: BulkItem;
  submission: Submission;
}

export function createBulkQueue(send: (items: BulkItem[]) => Promise<SettledItems>, limits: BulkQueueLimits): BulkQueue {
  const waiting: Queued[] = [];
  let head = 0;
  let inFlight = 0;
  const idle: (() => void)[] = [];

  function takeRequest(): Queued[] {
    const request: Queued[] = [];
    let bytes = 0;
    while (head < waiting.length && request.length < limits.maxDocuments) {
      const next = waiting[head] as Queued;
      if (request.length > 0 && bytes + next.item.lines.length > limits.maxBytes) break;
      request.push(next);
      bytes += next.item.lines.length;
      head += 1;
    }
    // Drop the consumed prefix now and then, so the array does not grow without end.
    if (head === waiting.length || head > 4096) {
      waiting.splice(0, head);
      head = 0;
    }
    return request;
  }

  function pump(): void {
    while (inFlight < limits.concurrency && head < waiting.length) {
      const request = takeRequest();
      inFlight += 1;
      send(request.map(({ item }) => item))
        .then(
          (settled) => settleRequest(request, settled),
          (error: unknown) => failRequest(request, error),
        )
        .finally(() => {
          inFlight -= 1;
          pump();
          if (inFlight === 0 && head === waiting.length) for (const resolve of idle.splice(0)) resolve();
        });
    }
  }

  return {
    submit(items) {
      if (items.length === 0) return Promise.resolve({ duplicates: [], refused: [] });
      return new Promise<SettledItems>((resolve, reject) => {
        const submission: Submission = { unsettled: items.length, settled: { duplicates: [], refused: [] }, failed: false, resolve, reject };
        for (const item of items) waiting.push({ item, submission });
        pump();
      });
    },
    drain() {
      if (inFlight === 0 && head === waiting.length) return Promise.resolve();
      return new Promise<void>((resolve) => idle.push(resolve));
    },
  };
}

function settleRequest(request: Queued[], settled: SettledItems): void {
  const duplicates = new Set(settled.duplicates);
  const refused = new Map<BulkItem, RefusedItem>(settled.refused.map((entry) => [entry.item, entry]));
  for (const { item, submission } of request) {
    if (duplicates.has(item)) submission.settled.duplicates.push(item);
    const refusal = refused.get(item);
    if (refusal !== undefined) submission.settled.refused.push(refusal);
    submission.unsettled -= 1;
    if (submission.unsettled === 0 && !submission.failed) submission.resolve(submission.settled);
  }
}

function failRequest(request: Queued[], error: unknown): void {
  for (const { submission } of request) {
    if (submission.failed) continue;
    submission.failed = true;
    submission.reject(error);
  }
}
