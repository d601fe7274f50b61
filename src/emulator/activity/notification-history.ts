// Every notification attempt per tenant and content type, as `/subscriptions/notifications` lists it
// (contract §2.8): one entry per content object per attempt, retries included.
import type { ContentType } from '../types.js';
import type { ContentEntry } from './content-entries.js';

export interface NotificationAttempt extends ContentEntry {
  notificationSent: string;
  notificationStatus: 'success' | 'failed';
}

interface Recorded {
  /** Position in the history of its tenant and content type; listings snapshot by it. */
  sequence: number;
  sentAt: number;
  attempt: NotificationAttempt;
}

/** Attempts older than this (virtual time) are forgotten: the API never lists further back than 7 days. */
const RETENTION_MS = 8 * 24 * 3600_000;

export interface NotificationHistory {
  record(tenantId: string, contentType: ContentType, entries: readonly ContentEntry[], sentAt: number, success: boolean): void;
  /** How many attempts were ever recorded: the snapshot of a new listing. */
  size(tenantId: string, contentType: ContentType): number;
  /** Attempts sent in `[start, end)` among the first `snapshot` recorded. */
  list(tenantId: string, contentType: ContentType, start: number, end: number, snapshot: number): NotificationAttempt[];
}

export function createNotificationHistory(): NotificationHistory {
  const streams = new Map<string, { recorded: Recorded[]; total: number }>();
  const stream = (tenantId: string, contentType: ContentType) => {
    const key = `${tenantId.toLowerCase()}|${contentType}`;
    const existing = streams.get(key);
    if (existing) return existing;
    const created = { recorded: [] as Recorded[], total: 0 };
    streams.set(key, created);
    return created;
  };

  return {
    record(tenantId, contentType, entries, sentAt, success) {
      const history = stream(tenantId, contentType);
      for (const entry of entries) {
        history.recorded.push({
          sequence: history.total++,
          sentAt,
          attempt: { ...entry, notificationSent: new Date(sentAt).toISOString(), notificationStatus: success ? 'success' : 'failed' },
        });
      }
      const firstKept = history.recorded.findIndex((r) => r.sentAt >= sentAt - RETENTION_MS);
      if (firstKept > 0) history.recorded.splice(0, firstKept);
    },
    size: (tenantId, contentType) => stream(tenantId, contentType).total,
    list(tenantId, contentType, start, end, snapshot) {
      return stream(tenantId, contentType)
        .recorded.filter((r) => r.sequence < snapshot && r.sentAt >= start && r.sentAt < end)
        .map((r) => r.attempt);
    },
  };
}
