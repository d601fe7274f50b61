// SharePoint and OneDrive identify items by URL; ECS splits a URL so that the site host and path can
// be searched on their own.
import { put, type Doc } from './fields.js';

const WEB_URL = /^https?:\/\//i;

/** Writes `url.original`, `url.scheme`, `url.domain` and `url.path` when `value` is an http(s) URL. */
export function putUrl(doc: Doc, value: string | undefined): void {
  if (value === undefined || !WEB_URL.test(value)) return;
  put(doc, 'url.original', value);
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return; // Not parsable: the original is still worth keeping.
  }
  put(doc, 'url.scheme', parsed.protocol.slice(0, -1));
  put(doc, 'url.domain', parsed.hostname);
  put(doc, 'url.path', parsed.pathname);
}
