// Paging of `/content` and `/notifications` (contract §2.5): a page of `pageSize` entries and, when more
// follow, a `NextPageUri` header with the absolute link to the next page. The link's `nextPage` token is
// stateless: it carries the listing's snapshot (what the listing saw when its first page was served),
// a nonce and the offset, and an HMAC over them and the listing's scope, so every page of one listing is
// cut from the same list while the clock moves on, and a tampered or foreign token is rejected.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { unitFloat } from '../random.js';
import type { ApiBehaviour, ContentType } from '../types.js';
import type { Chance } from './chance.js';
import { afErrors } from './errors.js';
import { queryParam } from './query.js';
import type { TimeWindow } from './time-window.js';

/** What a listing lists: the operation, tenant, content type and window a token is bound to. */
export interface ListingScope {
  operation: 'content' | 'notifications';
  tenantId: string;
  contentType: ContentType;
  window: TimeWindow;
}

export interface PageCursor {
  /** The listing's point of view: virtual time for content, the notification count for notifications. */
  snapshot: number;
  /** Distinguishes listings taken at the same snapshot; seeds their shuffles and stale links. */
  nonce: number;
  offset: number;
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

const MAC_LENGTH = 16;

export function createPaging(options: {
  secret: string;
  behaviour: ApiBehaviour;
  staleNextPageRate: number;
  chance: Chance;
}) {
  const { secret, behaviour, staleNextPageRate, chance } = options;

  const mac = (scope: ListingScope, fields: string): string =>
    createHmac('sha256', secret)
      .update([scope.operation, scope.tenantId.toLowerCase(), scope.contentType, scope.window.start, scope.window.end, fields].join('\n'))
      .digest('base64url')
      .slice(0, MAC_LENGTH);

  const encode = (scope: ListingScope, cursor: PageCursor): string => {
    const fields = [cursor.snapshot, cursor.nonce, cursor.offset].map((n) => n.toString(36)).join('-');
    return `${fields}.${mac(scope, fields)}`;
  };

  const decode = (scope: ListingScope, token: string): PageCursor => {
    const cut = token.lastIndexOf('.');
    const fields = token.slice(0, cut);
    const expected = Buffer.from(mac(scope, fields));
    const given = Buffer.from(token.slice(cut + 1));
    const numbers = fields.split('-').map((part) => parseInt(part, 36));
    const [snapshot, nonce, offset] = numbers;
    if (
      cut < 0 ||
      given.length !== expected.length ||
      !timingSafeEqual(given, expected) ||
      numbers.length !== 3 ||
      snapshot === undefined || nonce === undefined || offset === undefined ||
      numbers.some((n) => !Number.isSafeInteger(n) || n < 0)
    ) {
      throw afErrors.invalidNextPage(token);
    }
    // The stale_next_page_rate share of links has gone stale: the client must list again.
    if (unitFloat('stale-next-page', token) < staleNextPageRate) throw afErrors.invalidNextPage(token);
    return { snapshot, nonce, offset };
  };

  const link = (request: { url: URL; origin: string }, scope: ListingScope, next: PageCursor): string => {
    const name = (param: string) => (behaviour.lowercaseNextPage ? param.toLowerCase() : param);
    const target = new URL(request.origin + request.url.pathname);
    target.searchParams.set(name('contentType'), scope.contentType);
    target.searchParams.set(name('startTime'), scope.window.startText);
    target.searchParams.set(name('endTime'), scope.window.endText);
    target.searchParams.set(name('nextPage'), encode(scope, next));
    return target.href;
  };

  return {
    /** Where the request's page starts: a new listing at `snapshot`, or the one its `nextPage` continues. */
    cursor(url: URL, scope: ListingScope, snapshot: number): PageCursor {
      const token = queryParam(url, 'nextPage');
      if (token === undefined) return { snapshot, nonce: Math.floor(chance.fraction() * 0x1_0000_0000), offset: 0 };
      return decode(scope, token);
    },
    /** The cursor's page of the listing, and the `NextPageUri` header when entries remain. */
    page<T>(request: { url: URL; origin: string }, scope: ListingScope, cursor: PageCursor, entries: readonly T[]): Page<T> {
      const end = cursor.offset + Math.max(1, behaviour.pageSize);
      const items = entries.slice(cursor.offset, end);
      if (end >= entries.length) return { items, headers: {} };
      return { items, headers: { NextPageUri: link(request, scope, { ...cursor, offset: end }) } };
    },
  };
}

export type Paging = ReturnType<typeof createPaging>;
