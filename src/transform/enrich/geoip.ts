// GeoIP: `source.geo` and `source.as` (and the same under `client.`) for the address the mapping put in
// `source.ip`/`client.ip`. The databases are opened once at start and read synchronously; answers for
// recent addresses are kept in a bounded cache. Addresses with no place on the Internet (private,
// loopback, link-local, CGNAT, documentation…) are not located: the document is tagged instead.
import { isIPv4 } from 'node:net';
import { append, put, read, type Doc } from '../fields.js';
import type { Enricher } from '../index.js';
import { loadAsnTable, type AutonomousSystem } from './asn-table.js';
import type { AsnSource, CitySource } from './geo-databases.js';
import { autonomousSystemOf, geoFieldsOf, type GeoFields } from './geo-fields.js';
import { LruCache } from './lru-cache.js';
import { openMmdbFile, type MmdbFile } from './mmdb-file.js';
import { isSpecialPurposeAddress } from './special-addresses.js';

export const PRIVATE_IP_TAG = 'o365_audit_private_ip';
const ENDPOINTS = ['source', 'client'] as const;
const CACHED_ADDRESSES = 10_000;

export interface GeoAnswer {
  geo?: GeoFields;
  as?: AutonomousSystem;
}

export interface GeoLocator {
  /** What the databases say about a bare IP address; `undefined` for a special-purpose address. */
  locate(ip: string): GeoAnswer | undefined;
}

type Lookup = (ip: string) => unknown;

/** Opens the databases (either may be absent); throws a one-line error naming a file that cannot be read. */
export async function openGeoLocator(sources: { city?: CitySource; asn?: AsnSource }): Promise<GeoLocator> {
  const city = sources.city === undefined ? undefined : cityLookup(sources.city);
  const asn = sources.asn === undefined ? undefined : asnLookup(sources.asn);
  const cache = new LruCache<string, GeoAnswer | undefined>(CACHED_ADDRESSES);
  const answer = (ip: string): GeoAnswer | undefined => {
    if (isSpecialPurposeAddress(ip)) return undefined;
    const geo = city === undefined ? undefined : geoFieldsOf(city(ip));
    const as = asn === undefined ? undefined : (asn(ip) as AutonomousSystem | undefined);
    return { ...(geo === undefined ? {} : { geo }), ...(as === undefined ? {} : { as }) };
  };
  return { locate: (ip) => cache.remember(ip, answer) };
}

export function createGeoIpEnricher(locator: GeoLocator): Enricher {
  return {
    enrich(doc) {
      for (const endpoint of ENDPOINTS) {
        const ip = read(doc, `${endpoint}.ip`);
        if (typeof ip !== 'string') continue;
        const answer = locator.locate(ip);
        if (answer === undefined) append(doc, 'tags', [PRIVATE_IP_TAG]);
        else putAnswer(doc, endpoint, answer);
      }
    },
  };
}

function putAnswer(doc: Doc, endpoint: string, answer: GeoAnswer): void {
  // Each document gets its own objects, so that changing one document can never change another.
  if (answer.geo !== undefined) {
    const { location, ...names } = answer.geo;
    put(doc, `${endpoint}.geo`, location === undefined ? names : { ...names, location: { ...location } });
  }
  if (answer.as !== undefined) {
    put(doc, `${endpoint}.as.number`, answer.as.number);
    put(doc, `${endpoint}.as.organization.name`, answer.as.organization);
  }
}

function cityLookup(source: CitySource): Lookup {
  if (source.kind === 'mmdb') return byFamily(openMmdb(source.path, 'city'));
  // DB-IP Lite comes as one database per address family.
  return byFamily(openMmdb(source.ipv4, 'city'), openMmdb(source.ipv6, 'city'));
}

function asnLookup(source: AsnSource): Lookup {
  if (source.kind === 'mmdb') {
    const lookup = byFamily(openMmdb(source.path, 'ASN'));
    return (ip) => autonomousSystemOf(lookup(ip));
  }
  const table = loadAsnTable(source);
  return (ip) => table.lookup(ip);
}

/** One reader for both families, or one per family; an IPv4-only database is never asked about IPv6. */
function byFamily(first: MmdbFile, ipv6?: MmdbFile): Lookup {
  const v4 = first;
  const v6 = ipv6 ?? (first.metadata.ipVersion === 6 ? first : undefined);
  return (ip) => (isIPv4(ip) ? v4 : v6)?.get(ip) ?? undefined;
}

function openMmdb(path: string, kind: string): MmdbFile {
  try {
    return openMmdbFile(path);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`cannot open the GeoIP ${kind} database ${path} (${reason}) — check enrich.geoip.${kind === 'city' ? 'city' : 'asn'}_database, or set enrich.geoip.enabled=false`, { cause: error });
  }
}
