// Groups blob commits into one ledger transaction. Each durable commit costs an fsync, so one per
// blob would cap delivery at a few hundred blobs a second; grouped, thousands. A caller's promise
// settles only once its commit is on disk.
import type { BlobCommit, Ledger } from '../state/index.js';

export interface CommitQueue {
  commit(entry: BlobCommit): Promise<void>;
}

export function createCommitQueue(ledger: Ledger, options: { maxDelayMs?: number; maxBatch?: number } = {}): CommitQueue {
  const maxDelayMs = options.maxDelayMs ?? 5;
  const maxBatch = options.maxBatch ?? 1000;
  let batch: { entry: BlobCommit; resolve: () => void; reject: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    const current = batch;
    batch = [];
    try {
      ledger.checkpoint(() => {
        for (const { entry } of current) ledger.commitBlob(entry);
      });
      for (const waiter of current) waiter.resolve();
    } catch (error) {
      for (const waiter of current) waiter.reject(error);
    }
  };

  return {
    commit(entry) {
      return new Promise<void>((resolve, reject) => {
        batch.push({ entry, resolve, reject });
        if (batch.length >= maxBatch) flush();
        else timer ??= setTimeout(flush, maxDelayMs);
      });
    },
  };
}
