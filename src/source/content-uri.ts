// Where a blob is fetched from. Listed contentUris are used as given when they have the documented
// shape; anything else (an encoded `$`, stray whitespace, `/api/v1/`, another host) is rebuilt from the
// contentId, which also keeps the bearer token from going to a host other than the configured API.

/** `{apiUrl}/api/v1.0/{tenant}/activity/feed/audit/{contentId}`, with `$` left literal as the service does. */
export function canonicalContentUri(apiUrl: string, tenantId: string, contentId: string): string {
  const id = encodeURIComponent(contentId).replace(/%24/g, '$');
  return `${apiUrl}/api/v1.0/${encodeURIComponent(tenantId)}/activity/feed/audit/${id}`;
}

/** The URI to fetch, and whether the listed one had to be replaced. */
export function resolveContentUri(listed: string, canonical: string): { uri: string; repaired: boolean } {
  if (listed === canonical || withoutQuery(listed) === canonical) return { uri: listed, repaired: false };
  return { uri: canonical, repaired: true };
}

function withoutQuery(uri: string): string {
  const question = uri.indexOf('?');
  return question === -1 ? uri : uri.slice(0, question);
}

/** Appends PublisherIdentifier unless the URI already carries it (names compared case-insensitively). */
export function withPublisherIdentifier(uri: string, publisherIdentifier: string): string {
  const question = uri.indexOf('?');
  const query = question === -1 ? '' : uri.slice(question + 1);
  const present = query.split('&').some((pair) => pair.split('=')[0]?.toLowerCase() === 'publisheridentifier');
  if (present) return uri;
  const separator = question === -1 ? '?' : uri.endsWith('?') || uri.endsWith('&') ? '' : '&';
  return `${uri}${separator}PublisherIdentifier=${encodeURIComponent(publisherIdentifier)}`;
}
