// Lists the blobs of one content type created in a window of at most 24 hours, page by page. Each
// request re-checks the window against the 7-day limit by the server's clock; a stale or aged next-page
// link restarts the window from its first page; a missing subscription is started once; and a blob
// seen earlier in the same listing (restarts, duplicated entries across pages) is not yielded again.
import { UnexpectedBodyError, type ApiCall, type ApiResponse } from './api-transport.js';
import { earliestListableStart, formatApiTime, MAX_WINDOW_MS, parseApiTime } from './api-time.js';
import type { ClientContext } from './client-context.js';
import { ManagementApiError } from './errors.js';
import { withPublisherIdentifier } from './content-uri.js';
import type { ContentBlob, ContentType, ManagementClient } from './types.js';

/** Restarts in a row that brought no new blob (stale or aged next pages) before giving up until later. */
const MAX_FRUITLESS_RESTARTS = 5;
/** Restarts of one listing in all, so a window that keeps growing while its links go stale still ends. */
const MAX_RESTARTS = 25;
/** Refused windows (AF20030/AF20055) in a row before blaming the clock. */
const MAX_WINDOW_REFUSALS = 3;
/** Blob lifetime assumed when a listing entry has no readable contentExpiration (documented: 7 days). */
const DEFAULT_LIFETIME_MS = 7 * 86_400_000;

export function createListing(ctx: ClientContext, startSubscription: ManagementClient['startSubscription']): ManagementClient['listContent'] {
  return async function* listContent(contentType, start, end, signal) {
    if (!(end > start) || end - start > MAX_WINDOW_MS) {
      throw new RangeError(`a listing window must be non-empty and at most 24 hours long, got ${formatApiTime(start)}..${formatApiTime(end)}`);
    }
    const seen = new Set<string>();
    const where = { tenantId: ctx.tenantId, operation: 'list-content', contentType };
    let restarts = 0;
    let fruitlessRestarts = 0;
    let windowRefusals = 0;
    let resubscribed = false;
    let nextPage: string | undefined;

    const restart = (reason: string) => {
      restarts += 1;
      fruitlessRestarts += 1;
      if (fruitlessRestarts > MAX_FRUITLESS_RESTARTS || restarts > MAX_RESTARTS) {
        throw new ManagementApiError('transient', `listing ${contentType} of tenant ${ctx.tenantId} from ${formatApiTime(start)} kept failing (${reason}) after ${restarts - 1} restarts — it will be tried again later`, where);
      }
      ctx.logger.info({ ...where, reason, restarts }, 'restarting the listing window from its first page');
      nextPage = undefined;
    };

    while (true) {
      const earliest = earliestListableStart(ctx.clock.now());
      let url: string;
      if (nextPage === undefined) {
        const from = Math.max(start, earliest);
        if (from >= end) {
          ctx.logger.warn({ ...where, start: formatApiTime(start), end: formatApiTime(end) }, 'listing window is older than the 7 days the API keeps; nothing to list');
          return;
        }
        if (from > start) ctx.warnOnce(`clamp:${contentType}`, { contentType, start: formatApiTime(start), from: formatApiTime(from) }, 'listing window starts before the 7 days the API keeps; listing from the oldest allowed time');
        url = ctx.feedUrl('subscriptions/content', { contentType, startTime: formatApiTime(from), endTime: formatApiTime(end) });
      } else {
        const pageStart = startTimeOf(nextPage);
        if (pageStart !== undefined && pageStart < earliest) {
          restart('the next page link aged past the 7-day limit');
          continue;
        }
        url = nextPage;
      }

      const call: ApiCall = { operation: 'list-content', method: 'GET', url, contentType, ...(signal ? { signal } : {}) };
      const outcome = await ctx.transport.send(call, readListing);
      if (!outcome.ok) {
        const { failure } = outcome;
        if (failure.class === 'stale-page') {
          restart(failure.code ?? 'stale next page');
          continue;
        }
        if (failure.class === 'window') {
          // The refusal's Date header has corrected our view of the server's clock: the next first page
          // is clamped anew. Refused again, our clock was not the (only) problem; do not hammer.
          windowRefusals += 1;
          if (windowRefusals > MAX_WINDOW_REFUSALS) {
            throw new ManagementApiError(
              'window',
              `the API keeps refusing the listing window ${formatApiTime(start)}..${formatApiTime(end)} of ${contentType} for tenant ${ctx.tenantId} (${failure.code}) although it was clamped to the 7-day limit by the server's clock (${Math.round(ctx.clock.skewMs() / 1000)} s ahead of ours) — check this host's clock (NTP)`,
              { ...where, status: failure.status, ...(failure.code ? { code: failure.code } : {}) },
            );
          }
          if (windowRefusals > 1) await ctx.transport.pause(windowRefusals - 1, signal);
          nextPage = undefined;
          continue;
        }
        if (failure.class === 'resubscribe' && !resubscribed) {
          resubscribed = true;
          ctx.logger.warn({ ...where, code: failure.code }, 'subscription missing or disabled; starting it');
          await startSubscription(contentType, signal);
          continue;
        }
        if (failure.class === 'resubscribe') {
          throw new ManagementApiError('subscription', `the ${contentType} subscription of tenant ${ctx.tenantId} is still not enabled after starting it (${failure.code}) — it will be tried again later`, { ...where, status: failure.status, ...(failure.code ? { code: failure.code } : {}) });
        }
        throw ctx.errorFor(failure, call);
      }

      windowRefusals = 0;
      const fresh: ContentBlob[] = [];
      for (const entry of outcome.value) {
        const blob = toContentBlob(entry, contentType, ctx);
        if (blob && !seen.has(blob.contentId)) {
          seen.add(blob.contentId);
          fresh.push(blob);
        }
      }
      if (fresh.length > 0) {
        fruitlessRestarts = 0;
        yield fresh;
      }

      const link = header(outcome.headers, 'nextpageuri') ?? header(outcome.headers, 'nextpageurl');
      if (!link) return;
      nextPage = sameOrigin(withPublisherIdentifier(link.trim(), ctx.publisherIdentifier), ctx);
    }
  };
}

async function readListing(response: ApiResponse): Promise<unknown[]> {
  const value: unknown = await response.body.json();
  if (!Array.isArray(value)) throw new UnexpectedBodyError('the content listing is not a JSON array');
  return value;
}

function header(headers: ApiResponse['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The startTime a next-page link repeats (parameter names are lower-cased by the service since 2025). */
function startTimeOf(link: string): number | undefined {
  const query = link.indexOf('?') === -1 ? '' : link.slice(link.indexOf('?') + 1);
  for (const [name, value] of new URLSearchParams(query)) {
    if (name.toLowerCase() === 'starttime') return parseApiTime(value);
  }
  return undefined;
}

/** Next-page links are followed verbatim, but the bearer token only ever goes to the configured API. */
function sameOrigin(link: string, ctx: ClientContext): string {
  const api = new URL(ctx.apiUrl);
  let target: URL;
  try {
    target = new URL(link);
  } catch {
    return `${ctx.apiUrl}${link.startsWith('/') ? '' : '/'}${link}`;
  }
  if (target.origin === api.origin) return link;
  ctx.warnOnce('next-page-origin', { linkOrigin: target.origin }, 'next-page link points to another host; following it on the configured api_url instead');
  return `${api.origin}${link.slice(target.origin.length)}`;
}

function toContentBlob(entry: unknown, contentType: ContentType, ctx: ClientContext): ContentBlob | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const { contentId, contentUri, contentCreated, contentExpiration } = entry as Record<string, unknown>;
  if (typeof contentId !== 'string' || contentId.trim() === '') {
    ctx.warnOnce('listing-entry-without-id', { contentType }, 'skipping a listing entry without contentId');
    return undefined;
  }
  const created = typeof contentCreated === 'string' ? Date.parse(contentCreated) : NaN;
  const expiration = typeof contentExpiration === 'string' ? Date.parse(contentExpiration) : NaN;
  if (Number.isNaN(created) || Number.isNaN(expiration)) {
    ctx.warnOnce('listing-entry-dates', { contentType, contentId }, 'listing entry has unreadable contentCreated/contentExpiration; assuming the documented 7-day lifetime');
  }
  const contentCreatedMs = Number.isNaN(created) ? ctx.clock.now() : created;
  return {
    contentType,
    contentId: contentId.trim(),
    contentUri: typeof contentUri === 'string' ? contentUri : '',
    contentCreated: contentCreatedMs,
    contentExpiration: Number.isNaN(expiration) ? contentCreatedMs + DEFAULT_LIFETIME_MS : expiration,
  };
}
