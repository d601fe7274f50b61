// Where every stream stands, read from the ledger without changing it: what `o365-elk status` prints and
// `GET /api/status` serves. Safe while the collector writes the same ledger.
import { existsSync } from 'node:fs';
import type { Config } from '../config/index.js';
import { openLedger, type RecentDelivery, type StreamState } from '../state/index.js';

const HOUR_MS = 3600_000;

export class LedgerMissingError extends Error {
  override readonly name = 'LedgerMissingError';
  constructor(readonly path: string) {
    super(`no ledger at ${path} — run \`o365-elk once\` first`);
  }
}

export interface StreamStatus {
  tenantId: string;
  /** The tenant's configured name, or its id. */
  tenant: string;
  contentType: string;
  /** Everything created before it is delivered (ISO 8601); null before the first completed poll. */
  cursor: string | null;
  /** Now minus the contentCreated of the newest blob delivered; null until one was. */
  lagSeconds: number | null;
  lastHour: { blobs: number; events: number };
  total: { blobs: number; events: number; expiredBlobs: number; rejectedBlobs: number };
  lastError: string | null;
  lastErrorAt: string | null;
  lastPollAt: string | null;
  nextPollAt: string | null;
}

export interface RetentionGapStatus {
  tenantId: string;
  tenant: string;
  contentType: string;
  /** Content created in [from, to) was lost to the API's retention. */
  from: string;
  to: string;
  detectedAt: string;
}

export interface StatusReport {
  generatedAt: string;
  ledger: string;
  streams: StreamStatus[];
  retentionGaps: RetentionGapStatus[];
}

/**
 * Every configured stream, in configuration order, then any other stream the ledger knows (a content
 * type or tenant removed from the configuration). Throws LedgerMissingError when there is no ledger yet.
 */
export function readStatusReport(config: Config, now: number = Date.now()): StatusReport {
  const path = config.state.path;
  if (!existsSync(path)) throw new LedgerMissingError(path);
  const ledger = openLedger(path, { readonly: true });
  try {
    const states = new Map(ledger.listStreams().map((state) => [streamKey(state), state]));
    const recent = new Map(ledger.deliveredSince(now - HOUR_MS).map((delivery) => [streamKey(delivery), delivery]));
    const names = new Map(config.tenants.map((tenant) => [tenant.tenant_id, tenant.name ?? tenant.tenant_id]));
    const nameOf = (tenantId: string): string => names.get(tenantId) ?? tenantId;

    const configured = config.tenants.flatMap((tenant) => tenant.content_types.map((contentType) => `${tenant.tenant_id}/${contentType}`));
    const keys = [...new Set([...configured, ...states.keys()])];
    const streams = keys.map((key) => {
      const [tenantId = '', contentType = ''] = splitKey(key);
      return streamStatus(tenantId, nameOf(tenantId), contentType, states.get(key), recent.get(key), now);
    });
    const retentionGaps = ledger.listGaps().map((gap) => ({
      tenantId: gap.stream.tenantId,
      tenant: nameOf(gap.stream.tenantId),
      contentType: gap.stream.contentType,
      from: iso(gap.from),
      to: iso(gap.to),
      detectedAt: iso(gap.detectedAt),
    }));
    return { generatedAt: iso(now), ledger: path, streams, retentionGaps };
  } finally {
    ledger.close();
  }
}

function streamStatus(
  tenantId: string,
  tenant: string,
  contentType: string,
  state: StreamState | undefined,
  recent: RecentDelivery | undefined,
  now: number,
): StreamStatus {
  const newest = state?.newestContentCreated ?? null;
  return {
    tenantId,
    tenant,
    contentType,
    cursor: isoOrNull(state?.cursor),
    lagSeconds: newest === null ? null : Math.max(0, Math.round((now - newest) / 1000)),
    lastHour: { blobs: recent?.blobs ?? 0, events: recent?.events ?? 0 },
    total: {
      blobs: state?.blobsDelivered ?? 0,
      events: state?.eventsDelivered ?? 0,
      expiredBlobs: state?.blobsExpired ?? 0,
      rejectedBlobs: state?.blobsRejected ?? 0,
    },
    lastError: state?.lastError ?? null,
    lastErrorAt: isoOrNull(state?.lastErrorAt),
    lastPollAt: isoOrNull(state?.lastPollAt),
    nextPollAt: isoOrNull(state?.nextPollAt),
  };
}

// Tenant ids are GUIDs and content types have no slash, so the first slash separates them.
const streamKey = (stream: { tenantId: string; contentType: string }): string => `${stream.tenantId}/${stream.contentType}`;
const splitKey = (key: string): [string, string] => {
  const slash = key.indexOf('/');
  return [key.slice(0, slash), key.slice(slash + 1)];
};
const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : iso(ms));
