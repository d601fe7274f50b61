// The contract between the pipeline and every output. A sink acknowledges documents; the pipeline
// commits a blob to the ledger only once every one of its documents is acknowledged.

/** A document ready to index: `_id` is the audit record's Id, so a replay overwrites nothing. */
export interface OutputDocument {
  id: string;
  /** Epoch ms of the record's CreationTime; dated indices are chosen from it, never from arrival time. */
  timestamp: number;
  source: Record<string, unknown>;
}

/** What became of each document of a write. Retryable failures are retried inside the sink. */
export interface WriteResult {
  /** Newly stored. */
  acknowledged: number;
  /** Already present (a replay); as good as acknowledged. */
  duplicates: number;
  /** Permanently refused; each has been written to the dead-letter file before this result is returned. */
  rejected: RejectedDocument[];
}

export interface RejectedDocument {
  document: OutputDocument;
  reason: string;
}

export interface Sink {
  /** Short name for logs and metrics, e.g. `file`, `elasticsearch`. */
  readonly name: string;
  /** Connects, checks and installs what the output needs (templates); throws a one-line error when it cannot. */
  open(): Promise<void>;
  /**
   * Hands documents to the output. The promise settles once every document is acknowledged,
   * a duplicate, or rejected and dead-lettered; it may wait (backpressure). Sinks may coalesce
   * concurrent writes into one request.
   */
  write(documents: OutputDocument[]): Promise<WriteResult>;
  /** Flushes and releases resources; pending writes settle first. */
  close(): Promise<void>;
}
