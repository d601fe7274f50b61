// The `_bulk` wire format: every document is a `create` action with the audit record's Id as `_id`,
// so writing a record twice stores it once (the second answer is a 409, a duplicate). Items are
// classified by HTTP status only, because error type names differ between engines
// (`es_rejected_execution_exception` vs `rejected_execution_exception`).
import type { OutputDocument } from '../types.js';

/** Only the parts of the answer that are read; the rest of a large response is not sent. */
export const BULK_PATH = '/_bulk?filter_path=errors,items.*.status,items.*.error';

/**
 * A document as it travels: only its bytes and what the answer needs. The document's object tree is
 * not kept, so it dies young, while the queue holds documents waiting for the engine; keeping
 * thousands of trees alive that long made the garbage collector the connector's largest cost.
 */
export interface BulkItem {
  id: string;
  timestamp: number;
  index: string;
  /** The action and source lines, newline-terminated, serialised once for every attempt. */
  lines: Buffer;
}

export function encodeItem(document: OutputDocument, index: string): BulkItem {
  const action = JSON.stringify({ create: { _index: index, _id: document.id } });
  return { id: document.id, timestamp: document.timestamp, index, lines: Buffer.from(`${action}\n${JSON.stringify(document.source)}\n`) };
}

/** The document an item carries, decoded again from its source line (for the dead-letter file). */
export function decodeItem(item: BulkItem): OutputDocument {
  const sourceStart = item.lines.indexOf(0x0a) + 1;
  const source = JSON.parse(item.lines.toString('utf8', sourceStart, item.lines.length - 1)) as Record<string, unknown>;
  return { id: item.id, timestamp: item.timestamp, source };
}

export function bulkBody(items: readonly BulkItem[]): Buffer {
  return Buffer.concat(items.map((item) => item.lines));
}

export type ItemOutcome =
  | { kind: 'created' }
  | { kind: 'duplicate' }
  /** Overload (429) or a server-side fault (5xx): send the item again. */
  | { kind: 'retry'; status: number; reason: string }
  /** The engine will never take the document as it is: dead-letter it. */
  | { kind: 'rejected'; status: number; reason: string };

/**
 * The outcome of each item of a `_bulk` answer, in request order. Throws when the answer does not list
 * one result per item, which no engine does on purpose; the caller retries the whole request.
 */
export function classifyItems(body: unknown, itemCount: number): ItemOutcome[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items) || items.length !== itemCount) {
    throw new Error(`the _bulk answer lists ${Array.isArray(items) ? items.length : 'no'} results for ${itemCount} documents`);
  }
  return items.map((item: unknown) => {
    const result = (item as { create?: { status?: unknown; error?: unknown } } | null)?.create;
    return classifyItem(typeof result?.status === 'number' ? result.status : 0, result?.error);
  });
}

function classifyItem(status: number, error: unknown): ItemOutcome {
  if (status >= 200 && status < 300) return { kind: 'created' };
  if (status === 409) return { kind: 'duplicate' };
  const reason = itemErrorText(error, status);
  // 401/403 on an item is a missing privilege, which an administrator fixes without touching the
  // document; dead-lettering every document meanwhile would only make work.
  if (status === 429 || status >= 500 || status === 401 || status === 403 || status === 0) return { kind: 'retry', status, reason };
  return { kind: 'rejected', status, reason };
}

/** `type: reason (cause type: cause reason)`, as one line. */
function itemErrorText(error: unknown, status: number): string {
  if (typeof error !== 'object' || error === null) return typeof error === 'string' ? error : `status ${status}`;
  const { type, reason, caused_by: cause } = error as { type?: unknown; reason?: unknown; caused_by?: unknown };
  const main = [type, reason].filter((part) => typeof part === 'string').join(': ') || `status ${status}`;
  const causeText = typeof cause === 'object' && cause !== null ? itemErrorText(cause, status) : undefined;
  return causeText === undefined || causeText === `status ${status}` ? main : `${main} (${causeText})`;
}
