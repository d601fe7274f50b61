// The two record shapes a city or ASN .mmdb may hold, turned into ECS `geo` and `as` fields.
//   MaxMind GeoIP2/GeoLite2: { city: { names: { en } }, subdivisions: [{ iso_code, names }],
//     country: { iso_code, names }, continent: { code, names }, location: { latitude, longitude, time_zone } }
//   DB-IP Lite as ip-location-db packs it: { city, state1, state2, country_code, latitude, longitude, timezone }
//     — flat, English only, no country or continent name and no subdivision code: the continent comes
//     from the country (countries-list), the ISO 3166-2 code from the subdivision's name (iso-3166-2),
//     so that both databases give the fields Elastic's GeoIP processor writes.
//   ASN (MaxMind GeoLite2-ASN and ip-location-db alike): { autonomous_system_number, autonomous_system_organization }
import { continents, countries, type TCountryCode } from 'countries-list';
import iso3166 from 'iso-3166-2';
import type { AutonomousSystem } from './asn-table.js';

export interface GeoFields {
  city_name?: string;
  region_name?: string;
  region_iso_code?: string;
  country_name?: string;
  country_iso_code?: string;
  continent_code?: string;
  continent_name?: string;
  timezone?: string;
  location?: { lat: number; lon: number };
}

type Json = Record<string, unknown>;

const COUNTRY_NAMES = new Intl.DisplayNames(['en'], { type: 'region' });

export function geoFieldsOf(record: unknown): GeoFields | undefined {
  const data = objectOf(record);
  if (data === undefined) return undefined;
  const fields = typeof data.country_code === 'string' || typeof data.city === 'string' ? dbIpLite(data) : maxMind(data);
  return Object.keys(fields).length > 0 ? fields : undefined;
}

export function autonomousSystemOf(record: unknown): AutonomousSystem | undefined {
  const data = objectOf(record);
  const number = data?.autonomous_system_number;
  if (typeof number !== 'number' || !Number.isSafeInteger(number)) return undefined;
  const organization = textOf(data?.autonomous_system_organization);
  return { number, ...(organization === undefined ? {} : { organization }) };
}

function dbIpLite(data: Json): GeoFields {
  const code = textOf(data.country_code)?.toUpperCase();
  // ZZ is DB-IP's "unknown country".
  const countryCode = code !== undefined && /^[A-Z]{2}$/.test(code) && code !== 'ZZ' ? code : undefined;
  const region = textOf(data.state1);
  return compact({
    city_name: textOf(data.city),
    region_name: region,
    region_iso_code: countryCode === undefined || region === undefined ? undefined : regionCode(countryCode, region),
    country_iso_code: countryCode,
    country_name: countryCode === undefined ? undefined : countryName(countryCode),
    continent_name: countryCode === undefined ? undefined : continentName(countryCode),
    timezone: textOf(data.timezone),
    location: location(data.latitude, data.longitude),
  });
}

function maxMind(data: Json): GeoFields {
  const country = objectOf(data.country) ?? objectOf(data.registered_country);
  const subdivision = objectOf(Array.isArray(data.subdivisions) ? data.subdivisions[0] : undefined);
  const continent = objectOf(data.continent);
  const place = objectOf(data.location);
  const countryCode = textOf(country?.iso_code);
  const subdivisionCode = textOf(subdivision?.iso_code);
  return compact({
    city_name: englishName(data.city),
    region_name: englishName(subdivision),
    // ECS writes the region code with its country, as ISO 3166-2 does: `US-CA`.
    region_iso_code: subdivisionCode === undefined || countryCode === undefined ? undefined : `${countryCode}-${subdivisionCode}`,
    country_iso_code: countryCode,
    country_name: englishName(country),
    continent_code: textOf(continent?.code),
    continent_name: englishName(continent),
    timezone: textOf(place?.time_zone),
    location: location(place?.latitude, place?.longitude),
  });
}

function continentName(countryCode: string): string | undefined {
  const continent = Object.hasOwn(countries, countryCode) ? countries[countryCode as TCountryCode].continent : undefined;
  return continent === undefined ? undefined : continents[continent];
}

const regionCodes = new Map<string, string | undefined>();

function regionCode(countryCode: string, region: string): string | undefined {
  const key = `${countryCode}\u0000${region}`;
  if (!regionCodes.has(key)) regionCodes.set(key, iso3166.subdivision(countryCode, region)?.code);
  return regionCodes.get(key);
}

const countryNames = new Map<string, string | undefined>();

function countryName(code: string): string | undefined {
  if (!countryNames.has(code)) {
    let name: string | undefined;
    try {
      name = COUNTRY_NAMES.of(code);
    } catch {
      name = undefined;
    }
    countryNames.set(code, name === code ? undefined : name);
  }
  return countryNames.get(code);
}

function location(latitude: unknown, longitude: unknown): { lat: number; lon: number } | undefined {
  if (typeof latitude !== 'number' || typeof longitude !== 'number' || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return undefined;
  // DB-IP stores 32-bit floats (37.422000885009766); four decimals (about 10 m) is all either database knows.
  return { lat: round(latitude), lon: round(longitude) };
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

function englishName(value: unknown): string | undefined {
  return textOf(objectOf(objectOf(value)?.names)?.en);
}

function objectOf(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function compact(fields: { [K in keyof GeoFields]: GeoFields[K] | undefined }): GeoFields {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as GeoFields;
}
