// Query parameters as the service reads them: names match case-insensitively (clients send both
// `PublisherIdentifier` and `publisherIdentifier`, and the service's own next-page links use `nextpage`).
import { CONTENT_TYPES, type ContentType } from '../types.js';
import { afErrors } from './errors.js';

export const SHARED_PUBLISHER_ID = '00000000-0000-0000-0000-000000000000';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The first value of the parameter whose name matches `name` ignoring case. */
export function queryParam(url: URL, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}

/** The throttling bucket's publisher: the `PublisherIdentifier` GUID, or the shared all-zero GUID. */
export function publisherOf(url: URL): string {
  const publisher = queryParam(url, 'PublisherIdentifier');
  if (publisher === undefined || publisher === '') return SHARED_PUBLISHER_ID;
  if (!isGuid(publisher)) throw afErrors.invalidParameterType('PublisherIdentifier', 'guid');
  return publisher.toLowerCase();
}

/** The `contentType` parameter; content types are case-sensitive. */
export function requiredContentType(url: URL): ContentType {
  const value = queryParam(url, 'contentType');
  if (value === undefined || value === '') throw afErrors.missingParameter('contentType');
  if (!(CONTENT_TYPES as readonly string[]).includes(value)) throw afErrors.invalidContentType();
  return value as ContentType;
}
