// The part of iso-3166-2 (which ships no types) that GeoIP uses: a subdivision found by country and name.
declare module 'iso-3166-2' {
  interface Subdivision {
    /** ISO 3166-2, e.g. `GB-ENG`. */
    code: string;
    name: string;
    countryCode: string;
    regionCode: string;
  }
  const iso3166: { subdivision(country: string, subdivision: string): Subdivision | null };
  export default iso3166;
}
