// The blobs of one stream (tenant × content type). The backlog before `startTime` is a compact index of
// typed arrays built once; live blobs after it are a pure function of their position, so the timeline
// extends forever without growing and every blob, old or future, can be recomputed on demand.
import { seededRandom, seedOf } from '../random.js';
import type { ContentType, Faults } from '../types.js';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** The documented lifetime of a blob; clients read contentExpiration, the emulator writes created + 7 d. */
export const CONTENT_LIFETIME_MS = 7 * DAY_MS;

/** Live blobs number their records from here, each blob in its own block, so no prefix sums are needed. */
const LIVE_ORDINAL_BASE = 2 ** 40;
const LIVE_ORDINAL_BLOCK = 2 ** 16;
/** Live blobs come at least this often when the stream is busy enough to fill them. */
const LIVE_TARGET_INTERVAL_MINUTES = 5;

export interface BlobFacts {
  index: number;
  contentCreated: number;
  visibleAt: number;
  recordCount: number;
  /** Ordinal of the blob's first own record in its stream; records are keyed by ordinal. */
  firstOrdinal: number;
  lostByFault: boolean;
  /** Region and shard, the last segment of the contentId (`emea0036`). */
  location: string;
}

export interface StreamTimeline {
  readonly tenantId: string;
  readonly contentType: ContentType;
  /** Number of backlog blobs; live blobs follow from this index on. */
  readonly backlogCount: number;
  blob(index: number): BlobFacts | undefined;
  /** Blobs with `start <= contentCreated < end` and `contentCreated <= latest`, in index (= creation) order. */
  createdBetween(start: number, end: number, latest: number): Generator<BlobFacts>;
  /** The few blobs whose contentCreated may equal `contentCreated`. */
  createdAt(contentCreated: number): Generator<BlobFacts>;
}

export interface TimelineOptions {
  seed: number;
  tenantId: string;
  contentType: ContentType;
  region: string;
  backlogEvents: number;
  startTime: number;
  days: number;
  meanBlobRecords: number;
  liveEventsPerMinute: number;
  faults: Pick<Faults, 'lateRate' | 'lateMaxMs' | 'expiredRate'>;
}

interface BlobDraws {
  jitter: number;
  size: number;
  shard: number;
  late: number;
  delay: number;
  lost: number;
}

export function createStreamTimeline(options: TimelineOptions): StreamTimeline {
  const { seed, tenantId, contentType, faults } = options;
  const drawsOf = (index: number): BlobDraws => {
    const draw = seededRandom(seedOf(seed, 'blob', tenantId, contentType, index));
    return { jitter: draw(), size: draw(), shard: draw(), late: draw(), delay: draw(), lost: draw() };
  };
  const visibleAtOf = (contentCreated: number, draws: BlobDraws): number =>
    draws.late < faults.lateRate && faults.lateMaxMs > 0
      ? contentCreated + Math.max(1, Math.ceil(draws.delay * faults.lateMaxMs))
      : contentCreated;
  const shardOf = (draws: BlobDraws): number => 1 + Math.floor(draws.shard * 120);
  const location = (shardNumber: number): string => options.region + String(shardNumber).padStart(4, '0');

  const backlog = buildBacklog(options);
  const n = backlog.contentCreated.length;
  const visibleAt = new Float64Array(n);
  const lost = new Uint8Array(n);
  const shard = new Uint16Array(n);
  for (let i = 0; i < n; i++) {
    const draws = drawsOf(i);
    visibleAt[i] = visibleAtOf(backlog.contentCreated[i] ?? 0, draws);
    lost[i] = draws.lost < faults.expiredRate ? 1 : 0;
    shard[i] = shardOf(draws);
  }

  const backlogBlob = (i: number): BlobFacts => ({
    index: i,
    contentCreated: backlog.contentCreated[i] ?? 0,
    visibleAt: visibleAt[i] ?? 0,
    recordCount: backlog.recordCount[i] ?? 0,
    firstOrdinal: backlog.firstOrdinal[i] ?? 0,
    lostByFault: lost[i] === 1,
    location: location(shard[i] ?? 0),
  });

  const live = liveSchedule(options);
  const liveOrigin = options.startTime + 1;
  const liveBlob = (j: number): BlobFacts | undefined => {
    if (!live) return undefined;
    const draws = drawsOf(n + j);
    const contentCreated = liveOrigin + Math.floor((j + draws.jitter) * live.intervalMs);
    // Exponential sizes around the mean, like the backlog's.
    const size = Math.min(live.maxRecords, 1 + Math.round(-Math.log(1 - draws.size) * (live.meanRecords - 1)));
    return {
      index: n + j,
      contentCreated,
      visibleAt: visibleAtOf(contentCreated, draws),
      recordCount: size,
      firstOrdinal: LIVE_ORDINAL_BASE + j * LIVE_ORDINAL_BLOCK,
      lostByFault: draws.lost < faults.expiredRate,
      location: location(shardOf(draws)),
    };
  };
  // Slot j of the live schedule holds exactly one blob, created somewhere inside it.
  const liveSlotOf = (time: number): number => (live ? Math.floor((time - liveOrigin) / live.intervalMs) : 0);

  return {
    tenantId,
    contentType,
    backlogCount: n,
    blob: (index) => {
      if (!Number.isInteger(index) || index < 0) return undefined;
      return index < n ? backlogBlob(index) : liveBlob(index - n);
    },
    *createdBetween(start, end, latest) {
      const stop = Math.min(end, latest + 1);
      for (let i = lowerBound(backlog.contentCreated, start); i < n; i++) {
        if ((backlog.contentCreated[i] ?? 0) >= stop) return;
        yield backlogBlob(i);
      }
      if (!live) return;
      for (let j = Math.max(0, liveSlotOf(start) - 1); liveOrigin + j * live.intervalMs < stop; j++) {
        const blob = liveBlob(j);
        if (blob && blob.contentCreated >= start && blob.contentCreated < stop) yield blob;
      }
    },
    *createdAt(contentCreated) {
      for (let i = lowerBound(backlog.contentCreated, contentCreated); i < n; i++) {
        if (backlog.contentCreated[i] !== contentCreated) break;
        yield backlogBlob(i);
      }
      if (!live || contentCreated < liveOrigin) return;
      const slot = liveSlotOf(contentCreated);
      for (let j = Math.max(0, slot - 1); j <= slot + 1; j++) {
        const blob = liveBlob(j);
        if (blob?.contentCreated === contentCreated) yield blob;
      }
    },
  };
}

interface Backlog {
  contentCreated: Float64Array;
  recordCount: Uint32Array;
  firstOrdinal: Float64Array;
}

/**
 * Blob creation times uniform over [startTime − days + 1 h, startTime] (the hour keeps a fresh 7-day
 * backfill from racing expiry); sizes exponential around the mean, at least one record, summing exactly.
 */
function buildBacklog(options: TimelineOptions): Backlog {
  const events = options.backlogEvents;
  const count = events > 0 ? Math.min(events, Math.max(1, Math.round(events / options.meanBlobRecords))) : 0;
  const contentCreated = new Float64Array(count);
  const recordCount = new Uint32Array(count);
  const firstOrdinal = new Float64Array(count);
  const last = options.startTime;
  const first = last - Math.max(0, options.days * DAY_MS - HOUR_MS);
  const times = seededRandom(seedOf(options.seed, 'blob times', options.tenantId, options.contentType));
  for (let i = 0; i < count; i++) contentCreated[i] = first + Math.floor(times() * (last - first + 1));
  contentCreated.sort();

  const sizes = seededRandom(seedOf(options.seed, 'blob sizes', options.tenantId, options.contentType));
  const weights = new Float64Array(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    weights[i] = -Math.log(1 - sizes());
    total += weights[i] ?? 0;
  }
  // Every blob has one record, and the rest are shared out by weight: blob i starts after i records plus
  // its weighted share of the others.
  const spare = events - count;
  let before = 0;
  for (let i = 0; i < count; i++) {
    firstOrdinal[i] = i + Math.floor((spare * before) / total);
    before += weights[i] ?? 0;
  }
  for (let i = 0; i < count; i++) {
    const next = i + 1 < count ? (firstOrdinal[i + 1] ?? 0) : events;
    recordCount[i] = next - (firstOrdinal[i] ?? 0);
  }
  return { contentCreated, recordCount, firstOrdinal };
}

function liveSchedule(options: TimelineOptions): { intervalMs: number; meanRecords: number; maxRecords: number } | undefined {
  const perMinute = options.liveEventsPerMinute;
  if (!(perMinute > 0)) return undefined;
  // Busy streams publish full-sized blobs; quiet ones publish small blobs every few minutes, as real
  // tenants do, rather than one big blob after hours.
  const meanRecords = Math.min(options.meanBlobRecords, Math.max(1, perMinute * LIVE_TARGET_INTERVAL_MINUTES));
  return {
    intervalMs: (meanRecords / perMinute) * 60_000,
    meanRecords,
    maxRecords: Math.min(LIVE_ORDINAL_BLOCK - 1, Math.ceil(20 * meanRecords)),
  };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] ?? 0) < value) low = mid + 1;
    else high = mid;
  }
  return low;
}
