// The catalog: per stream a blob timeline and a record factory; records exist only while being served.
import type { AuditRecord, BlobRef, Catalog, ContentType, EmulatedTenant, Faults } from '../types.js';
import { CONTENT_TYPES } from '../types.js';
import { formatContentId, indexTail, parseContentId } from './content-id.js';
import { assembleBlob, duplicatesOf } from './duplicates.js';
import { createRecordFactory, type RecordFactory } from './records/index.js';
import { eventsPerStream, liveRatePerStream } from './shares.js';
import { createTenantProfile } from './tenant-profile.js';
import { CONTENT_LIFETIME_MS, createStreamTimeline, type BlobFacts, type StreamTimeline } from './timeline.js';

export interface CatalogOptions {
  seed: number;
  tenants: readonly EmulatedTenant[];
  /** Events published before `startTime`, over `days`. */
  events: number;
  days: number;
  /** End of the backlog (epoch ms); live content, if any, follows it. */
  startTime: number;
  faults: Faults;
  /** New events per minute across all streams after `startTime`; 0 (default) publishes only the backlog. */
  liveEventsPerMinute?: number;
  /** Mean records per blob (default 50). */
  meanBlobRecords?: number;
}

export interface Stream {
  timeline: StreamTimeline;
  records: RecordFactory;
}

interface CatalogInternals {
  seed: number;
  faults: Faults;
  streams: readonly Stream[];
}

const internals = new WeakMap<Catalog, CatalogInternals>();

/** The streams and knobs behind a catalog made by createCatalog, for ground truth. */
export function catalogInternals(catalog: Catalog): CatalogInternals {
  const found = internals.get(catalog);
  if (!found) throw new Error('ground truth needs a catalog made by createCatalog');
  return found;
}

const DEFAULT_MEAN_BLOB_RECORDS = 50;

export function createCatalog(options: CatalogOptions): Catalog {
  const meanBlobRecords = options.meanBlobRecords ?? DEFAULT_MEAN_BLOB_RECORDS;
  const liveEventsPerMinute = options.liveEventsPerMinute ?? 0;
  validate(options, meanBlobRecords, liveEventsPerMinute);
  const { seed, tenants, faults } = options;
  const events = eventsPerStream(options.events, tenants.length);
  const byTenant = new Map<string, Map<ContentType, Stream>>();
  const streams: Stream[] = [];
  tenants.forEach((tenant, t) => {
    const profile = createTenantProfile(seed, tenant);
    const ofTenant = new Map<ContentType, Stream>();
    CONTENT_TYPES.forEach((contentType, c) => {
      const stream: Stream = {
        timeline: createStreamTimeline({
          seed,
          tenantId: tenant.tenantId,
          contentType,
          region: profile.region,
          backlogEvents: events[t]?.[c] ?? 0,
          startTime: options.startTime,
          days: options.days,
          meanBlobRecords,
          liveEventsPerMinute: liveRatePerStream(liveEventsPerMinute, contentType, tenants.length),
          faults,
        }),
        records: createRecordFactory(seed, profile, contentType),
      };
      ofTenant.set(contentType, stream);
      streams.push(stream);
    });
    byTenant.set(tenant.tenantId, ofTenant);
  });

  const streamOf = (tenantId: string, contentType: ContentType): Stream | undefined => byTenant.get(tenantId)?.get(contentType);
  const refOf = (stream: Stream, blob: BlobFacts): BlobRef => ({
    tenantId: stream.timeline.tenantId,
    contentType: stream.timeline.contentType,
    index: blob.index,
    contentId: formatContentId(stream.timeline.contentType, blob.contentCreated, blob.index, blob.location),
    contentCreated: blob.contentCreated,
    contentExpiration: blob.contentCreated + CONTENT_LIFETIME_MS,
    visibleAt: blob.visibleAt,
  });

  const catalog: Catalog = {
    tenants,
    listBlobs(tenantId, contentType, start, end, now) {
      const stream = streamOf(tenantId, contentType);
      if (!stream) return [];
      const listed: BlobRef[] = [];
      for (const blob of stream.timeline.createdBetween(start, end, now)) {
        if (blob.visibleAt <= now) listed.push(refOf(stream, blob));
      }
      return listed.sort((a, b) => a.visibleAt - b.visibleAt || a.index - b.index);
    },
    findBlob(tenantId, contentId) {
      const parsed = parseContentId(contentId);
      const stream = parsed && streamOf(tenantId, parsed.contentType);
      if (!parsed || !stream) return undefined;
      for (const blob of stream.timeline.createdAt(parsed.contentCreated)) {
        if (indexTail(blob.index) !== parsed.indexTail) continue;
        const ref = refOf(stream, blob);
        if (ref.contentId === contentId) return ref;
      }
      return undefined;
    },
    records(ref) {
      const stream = streamOf(ref.tenantId, ref.contentType);
      const blob = stream?.timeline.blob(ref.index);
      if (!stream || !blob) {
        throw new Error(`blob ${ref.contentId} of ${ref.contentType} is not in the catalog of tenant ${ref.tenantId}`);
      }
      return blobBody(seed, faults, stream, blob);
    },
    isLostByFault(ref) {
      return streamOf(ref.tenantId, ref.contentType)?.timeline.blob(ref.index)?.lostByFault ?? false;
    },
  };
  internals.set(catalog, { seed, faults, streams });
  return catalog;
}

/** The records a blob is served with, its duplicates and the previous blob's carried-over records included. */
export function blobBody(seed: number, faults: Faults, stream: Stream, blob: BlobFacts): AuditRecord[] {
  const { tenantId, contentType } = stream.timeline;
  const ownRecord = (position: number): AuditRecord => stream.records(blob.firstOrdinal + position, blob.contentCreated);
  const own = Array.from({ length: blob.recordCount }, (_, position) => ownRecord(position));
  const previous = blob.index > 0 ? stream.timeline.blob(blob.index - 1) : undefined;
  const carriedOver = previous
    ? duplicatesOf(seed, tenantId, contentType, previous, faults).intoNext.map(
        ([position, place]) => [stream.records(previous.firstOrdinal + position, previous.contentCreated), place] as const,
      )
    : [];
  return assembleBlob(own, duplicatesOf(seed, tenantId, contentType, blob, faults), carriedOver, ownRecord);
}

function validate(options: CatalogOptions, meanBlobRecords: number, liveEventsPerMinute: number): void {
  if (!Number.isSafeInteger(options.events) || options.events < 0) {
    throw new Error(`catalog events must be a whole number of at least 0, not ${options.events}: pass --events N`);
  }
  if (!(options.days > 0 && options.days <= 7)) {
    throw new Error(`catalog days must be more than 0 and at most 7 (the API serves 7 days), not ${options.days}: pass --days 1 to 7`);
  }
  if (options.tenants.length === 0) throw new Error('the catalog needs at least one tenant: pass --tenants 1 or more');
  if (!(meanBlobRecords >= 1)) throw new Error(`mean records per blob must be at least 1, not ${meanBlobRecords}`);
  if (!(liveEventsPerMinute >= 0) || !Number.isFinite(liveEventsPerMinute)) {
    throw new Error(`live events per minute must be a number of at least 0, not ${liveEventsPerMinute}: pass --live-rate N`);
  }
  if (!Number.isFinite(options.startTime)) throw new Error(`catalog start time must be epoch milliseconds, not ${options.startTime}`);
}
