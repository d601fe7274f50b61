/** Counters of one run, for the exit code, the summary line and (later) metrics. */
export interface RunStats {
  blobsDelivered: number;
  blobsExpired: number;
  recordsDelivered: number;
  recordsDuplicate: number;
  recordsRejected: number;
  errors: number;
  gaps: { tenantId: string; contentType: string; from: number; to: number }[];
}

export function createRunStats(): RunStats {
  return { blobsDelivered: 0, blobsExpired: 0, recordsDelivered: 0, recordsDuplicate: 0, recordsRejected: 0, errors: 0, gaps: [] };
}
