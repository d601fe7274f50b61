// Types for index-contents.mjs, so the TypeScript tests can use it.

export interface StoredDocument {
  id: string;
  /** The backing index that holds this copy. */
  index: string;
  /** `@timestamp` as stored. */
  timestamp: string;
}

export interface TruthComparison {
  /** Hits, a document stored twice counting twice. */
  documents: number;
  distinct: number;
  missing: string[];
  extra: string[];
  storedTwice: string[];
}

export interface PassSummary {
  blobsDelivered: number;
  blobsExpired: number;
  recordsDelivered: number;
  recordsDuplicate: number;
  recordsRejected: number;
  errors: number;
  retentionGaps: number;
}

export declare function uniqueDataStream(prefix: string): string;
export declare function elasticsearchOutputArgs(engineUrl: string, index: string): string[];
export declare function engineRequest<T = unknown>(engineUrl: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: T }>;
export declare function countDocuments(engineUrl: string, index: string): Promise<number>;
export declare function readDocuments(engineUrl: string, index: string): Promise<StoredDocument[]>;
export declare function compareWithTruth(documents: StoredDocument[], truthIds: Iterable<string>): TruthComparison;
export declare function describeDifference(comparison: TruthComparison, truthSize: number): string;
export declare function equalsTruth(comparison: TruthComparison, truthSize: number): boolean;
export declare function removeDataStream(engineUrl: string, index: string): Promise<void>;
export declare function passSummary(stderr: string): PassSummary | undefined;
