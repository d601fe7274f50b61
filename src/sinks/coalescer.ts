// Merges writes that arrive while a flush is under way into the next flush, so many small blobs
// become few large requests (or fsyncs), and hands each caller the result for its own documents.
import type { OutputDocument, RejectedDocument, WriteResult } from './types.js';

/** What a flush reports: the documents that were already present, and those refused for good. */
export interface FlushResult {
  duplicates: OutputDocument[];
  rejected: RejectedDocument[];
}

interface Pending {
  documents: OutputDocument[];
  resolve: (result: WriteResult) => void;
  reject: (error: unknown) => void;
}

export interface WriteCoalescer {
  write(documents: OutputDocument[]): Promise<WriteResult>;
  /** Resolves once every write accepted so far has settled. */
  drain(): Promise<void>;
}

export function createWriteCoalescer(
  flush: (documents: OutputDocument[]) => Promise<FlushResult>,
  options: { maxDocuments?: number } = {},
): WriteCoalescer {
  const maxDocuments = options.maxDocuments ?? 5000;
  const queue: Pending[] = [];
  let flushing: Promise<void> | undefined;

  async function flushLoop(): Promise<void> {
    while (queue.length > 0) {
      const batch: Pending[] = [];
      let count = 0;
      while (queue.length > 0 && (batch.length === 0 || count + queue[0]!.documents.length <= maxDocuments)) {
        const next = queue.shift()!;
        batch.push(next);
        count += next.documents.length;
      }
      try {
        const result = await flush(batch.flatMap((p) => p.documents));
        settle(batch, result);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    flushing = undefined;
  }

  return {
    write(documents) {
      if (documents.length === 0) return Promise.resolve({ acknowledged: 0, duplicates: 0, rejected: [] });
      return new Promise<WriteResult>((resolve, reject) => {
        queue.push({ documents, resolve, reject });
        flushing ??= flushLoop();
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}

/** Splits a combined result back to the callers, document by document. */
function settle(batch: Pending[], result: FlushResult): void {
  const rejectedBy = new Map(result.rejected.map((r) => [r.document, r]));
  const duplicateSet = new Set(result.duplicates);
  for (const p of batch) {
    const rejected = p.documents.flatMap((d) => rejectedBy.get(d) ?? []);
    const duplicates = p.documents.filter((d) => duplicateSet.has(d)).length;
    p.resolve({ acknowledged: p.documents.length - rejected.length - duplicates, duplicates, rejected });
  }
}
