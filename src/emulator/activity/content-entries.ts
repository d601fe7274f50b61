// A blob as `/content` lists it and a webhook notification announces it.
import { unitFloat } from '../random.js';
import type { BlobRef, ContentType } from '../types.js';

export interface ContentEntry {
  contentType: ContentType;
  contentId: string;
  contentUri: string;
  contentCreated: string;
  contentExpiration: string;
}

export function blobPath(tenantId: string, contentId: string): string {
  return `/api/v1.0/${tenantId}/activity/feed/audit/${contentId}`;
}

/**
 * The listing entry of a blob. The `malformed_uri_rate` share of blobs (always the same ones) carries a
 * contentUri a careless client trips over: `$` percent-encoded (still served), stray trailing whitespace,
 * or the documentation's `/api/v1/` (not served: the client has to rebuild the URI from contentId).
 */
export function contentEntry(blob: BlobRef, origin: string, malformedUriRate: number): ContentEntry {
  const path = blobPath(blob.tenantId, blob.contentId);
  return {
    contentType: blob.contentType,
    contentId: blob.contentId,
    contentUri: origin + malformedPath(path, blob, malformedUriRate),
    contentCreated: new Date(blob.contentCreated).toISOString(),
    contentExpiration: new Date(blob.contentExpiration).toISOString(),
  };
}

function malformedPath(path: string, blob: BlobRef, rate: number): string {
  if (unitFloat('malformed-content-uri', blob.tenantId, blob.contentId) >= rate) return path;
  switch (Math.floor(unitFloat('malformed-content-uri-kind', blob.tenantId, blob.contentId) * 3)) {
    case 0:
      return path.replaceAll('$', '%24');
    case 1:
      return `${path} `;
    default:
      return path.replace('/api/v1.0/', '/api/v1/');
  }
}
