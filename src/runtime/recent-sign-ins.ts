// The most recent sign-ins that reached the output, with where they came from: what the web page's map
// draws. A bounded ring, so a week of backfill costs no more memory than a quiet hour.
import type { OutputDocument, RejectedDocument } from '../sinks/types.js';
import { read, text } from '../transform/fields.js';

export const DEFAULT_SIGN_IN_CAPACITY = 5000;

export type SignInOutcome = 'success' | 'failure' | 'unknown';

export interface SignIn {
  /** Epoch ms of the sign-in (`@timestamp`). */
  timestamp: number;
  lat: number;
  lon: number;
  outcome: SignInOutcome;
  user?: string;
  city?: string;
  country?: string;
  ip?: string;
  app?: string;
}

export interface RecentSignIns {
  readonly capacity: number;
  /** Grows whenever a sign-in is taken in, so equal versions mean equal snapshots. */
  readonly version: number;
  /** Keeps the document if it is a located sign-in; says whether it did. A document seen before is ignored. */
  observe(document: OutputDocument): boolean;
  /** Keeps the located sign-ins of a sink write (picked by `pickSignIns` before the write), except those the sink refused. */
  observeDelivered(picked: readonly PickedSignIn[], rejected: readonly RejectedDocument[]): void;
  /** Oldest first, as taken in; `sinceMs` keeps only sign-ins at or after that epoch ms. */
  snapshot(options?: { sinceMs?: number }): SignIn[];
}

/** A located sign-in and its document id: all a write needs to keep of its documents for the map. */
export interface PickedSignIn {
  id: string;
  signIn: SignIn;
}

/** The located sign-ins among `documents`, picked before a write so the documents need not outlive it. */
export function pickSignIns(documents: readonly OutputDocument[]): PickedSignIn[] {
  const picked: PickedSignIn[] = [];
  for (const document of documents) {
    const signIn = signInOf(document);
    if (signIn !== undefined) picked.push({ id: document.id, signIn });
  }
  return picked;
}

export function createRecentSignIns(capacity: number = DEFAULT_SIGN_IN_CAPACITY): RecentSignIns {
  if (!Number.isSafeInteger(capacity) || capacity < 1) throw new Error(`the sign-in buffer capacity must be a whole number of at least 1, not ${capacity}`);
  const ring: PickedSignIn[] = [];
  let next = 0;
  // The same record can reach the sink twice (a duplicate within or across blobs); it is one sign-in.
  const ids = new Set<string>();
  let version = 0;

  const keep = (entry: PickedSignIn): boolean => {
    if (ids.has(entry.id)) return false;
    if (ring.length < capacity) {
      ring.push(entry);
    } else {
      ids.delete(ring[next]!.id);
      ring[next] = entry;
      next = (next + 1) % capacity;
    }
    ids.add(entry.id);
    version += 1;
    return true;
  };
  const observe = (document: OutputDocument): boolean => {
    if (ids.has(document.id)) return false;
    const signIn = signInOf(document);
    return signIn !== undefined && keep({ id: document.id, signIn });
  };

  return {
    capacity,
    get version() {
      return version;
    },
    observe,
    observeDelivered(picked, rejected) {
      const refused = new Set(rejected.map((r) => r.document.id));
      for (const entry of picked) if (!refused.has(entry.id)) keep(entry);
    },
    snapshot(options = {}) {
      const { sinceMs } = options;
      const ordered = [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.map((entry) => ({ ...entry.signIn })).filter((s) => sinceMs === undefined || s.timestamp >= sinceMs);
    },
  };
}

/** The sign-in a document records, when it is an authentication event that GeoIP has placed. */
export function signInOf(document: OutputDocument): SignIn | undefined {
  const source = document.source;
  const categories = read(source, 'event.category');
  if (!(Array.isArray(categories) ? categories : [categories]).includes('authentication')) return undefined;
  const lat = read(source, 'source.geo.location.lat');
  const lon = read(source, 'source.geo.location.lon');
  if (!isCoordinate(lat, 90) || !isCoordinate(lon, 180)) return undefined;
  const signIn: SignIn = { timestamp: document.timestamp, lat, lon, outcome: outcomeOf(read(source, 'event.outcome')) };
  const optional: Array<[keyof SignIn, string[]]> = [
    ['user', ['user.email', 'user.name', 'user.id']],
    ['city', ['source.geo.city_name']],
    ['country', ['source.geo.country_iso_code']],
    ['ip', ['source.ip']],
    ['app', ['o365.application.name']],
  ];
  for (const [key, paths] of optional) {
    const value = paths.map((path) => text(read(source, path))).find((found) => found !== undefined);
    if (value !== undefined) Object.assign(signIn, { [key]: value });
  }
  return signIn;
}

function isCoordinate(value: unknown, limit: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit;
}

function outcomeOf(value: unknown): SignInOutcome {
  return value === 'success' || value === 'failure' ? value : 'unknown';
}
