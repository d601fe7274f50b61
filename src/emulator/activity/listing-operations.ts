// `/subscriptions/content` and `/subscriptions/notifications` (contract §2.4, §2.5, §2.8).
import type { ApiBehaviour, Catalog, Clock, Faults } from '../types.js';
import { contentEntry } from './content-entries.js';
import { assertMayRead, enabledSubscription } from './guards.js';
import { arrangeListing } from './listing-faults.js';
import type { NotificationHistory } from './notification-history.js';
import type { Operation, OperationContext } from './operation.js';
import type { ListingScope, Paging } from './paging.js';
import { requiredContentType } from './query.js';
import type { SubscriptionStore } from './subscriptions.js';
import { resolveWindow } from './time-window.js';

export function createListingOperations(options: {
  store: SubscriptionStore;
  catalog: Catalog;
  history: NotificationHistory;
  clock: Clock;
  faults: Faults;
  behaviour: ApiBehaviour;
  paging: Paging;
}): { content: Operation; notifications: Operation } {
  const { store, catalog, history, clock, faults, behaviour, paging } = options;

  const scopeOf = ({ url, caller }: OperationContext, operation: ListingScope['operation']): ListingScope => {
    const contentType = requiredContentType(url);
    assertMayRead(caller, contentType, faults);
    enabledSubscription(store, caller.tenant.tenantId, contentType);
    const window = resolveWindow(url, clock.now(), behaviour.windowErrorCode);
    return { operation, tenantId: caller.tenant.tenantId, contentType, window };
  };

  const content: Operation = async (context) => {
    const scope = scopeOf(context, 'content');
    const cursor = paging.cursor(context.url, scope, clock.now());
    const blobs = catalog.listBlobs(scope.tenantId, scope.contentType, scope.window.start, scope.window.end, cursor.snapshot);
    const entries = arrangeListing(
      blobs.map((blob) => contentEntry(blob, context.origin, faults.malformedUriRate)),
      { nonce: cursor.nonce, pageSize: behaviour.pageSize, faults },
    );
    const page = paging.page(context, scope, cursor, entries);
    return { status: 200, body: page.items, headers: page.headers };
  };

  const notifications: Operation = async (context) => {
    const scope = scopeOf(context, 'notifications');
    const cursor = paging.cursor(context.url, scope, history.size(scope.tenantId, scope.contentType));
    const attempts = history.list(scope.tenantId, scope.contentType, scope.window.start, scope.window.end, cursor.snapshot);
    const page = paging.page(context, scope, cursor, attempts);
    return { status: 200, body: page.items, headers: page.headers };
  };

  return { content, notifications };
}
