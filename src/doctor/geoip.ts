// The GeoIP databases the enrichment would open: the user's own .mmdb files, or the packaged DB-IP ones.
import { accessSync, constants } from 'node:fs';
import type { Config } from '../config/index.js';
import { enrichmentSettingsFromConfig } from '../transform/enrich/index.js';
import { asnSource, citySource, GeoDatabaseMissingError } from '../transform/enrich/geo-databases.js';
import { fail, pass, problemAndFix, warn, type CheckResult } from './checks.js';

export function checkGeoIp(config: Config): CheckResult {
  const check = 'GeoIP databases';
  const { geoip } = enrichmentSettingsFromConfig(config);
  if (!geoip.enabled) return pass(check, 'GeoIP enrichment is off');
  try {
    const sources = [citySource(geoip.cityDatabase), asnSource(geoip.asnDatabase)];
    const files = sources.flatMap((source) => (source.kind === 'mmdb' ? [source.path] : [source.ipv4, source.ipv6]));
    for (const file of files) accessSync(file, constants.R_OK);
    const names = sources.map((source) => (source.kind === 'mmdb' ? source.path : source.kind === 'dbip-lite' ? 'DB-IP Lite city' : 'ASN table'));
    return pass(check, names.join(' and '));
  } catch (error) {
    if (error instanceof GeoDatabaseMissingError) {
      const { problem, fix } = problemAndFix(error.message.replace(': npm install', ' — npm install'));
      return warn(check, `${problem}; documents get no source.geo or source.as`, fix);
    }
    const { path, code } = error as NodeJS.ErrnoException;
    return fail(check, `${path ?? 'a database'} cannot be read (${code ?? 'unreadable'})`, 'fix enrich.geoip.city_database / asn_database, or set enrich.geoip.enabled=false');
  }
}
