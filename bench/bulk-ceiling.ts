// The engine's raw `_bulk` ceiling: documents per second when the client does nothing but send
// pre-serialised requests, the yardstick for the Elasticsearch output's own throughput. Serialising
// happens before the clock starts, so only the engine and the wire are measured.
import { Pool } from 'undici';
import { bulkBody, encodeItem } from '../src/sinks/elasticsearch/bulk.js';
import type { OutputDocument } from '../src/sinks/types.js';

export interface BulkCeilingOptions {
  /** Engine base URL, e.g. the test engine's. */
  url: string;
  /** Pre-serialised requests, from serialiseBulkRequests. */
  requests: Buffer[];
  /** Requests in flight at once. */
  concurrency: number;
}

export interface BulkCeiling {
  documents: number;
  /** Documents the engine answered with anything but 201 or 409. */
  failed: number;
  elapsedMs: number;
  documentsPerSecond: number;
}

/** Cuts `documents` into `_bulk` bodies of `batchSize` create actions for `index`. */
export function serialiseBulkRequests(documents: OutputDocument[], index: string, batchSize: number): Buffer[] {
  const items = documents.map((document) => encodeItem(document, index));
  const requests: Buffer[] = [];
  for (let i = 0; i < items.length; i += batchSize) requests.push(bulkBody(items.slice(i, i + batchSize)));
  return requests;
}

export async function measureBulkCeiling({ url, requests, concurrency }: BulkCeilingOptions): Promise<BulkCeiling> {
  const pool = new Pool(url, { connections: concurrency });
  let next = 0;
  let documents = 0;
  let failed = 0;
  const began = process.hrtime.bigint();
  try {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < requests.length) {
          const body = requests[next++] as Buffer;
          const response = await pool.request({
            method: 'POST',
            path: '/_bulk?filter_path=items.*.status',
            headers: { 'content-type': 'application/x-ndjson' },
            body,
          });
          const answer = (await response.body.json()) as { items?: { create?: { status?: number } }[] };
          const statuses = (answer.items ?? []).map((item) => item.create?.status);
          documents += statuses.length;
          failed += statuses.filter((status) => status !== 201 && status !== 409).length;
        }
      }),
    );
  } finally {
    await pool.close();
  }
  const elapsedMs = Number(process.hrtime.bigint() - began) / 1e6;
  return { documents, failed, elapsedMs, documentsPerSecond: (documents / elapsedMs) * 1000 };
}
