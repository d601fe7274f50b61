// Preconditions shared by the operations that touch one content type.
import type { ContentType, Faults } from '../types.js';
import type { Caller } from './access.js';
import { afErrors } from './errors.js';
import type { Subscription, SubscriptionStore } from './subscriptions.js';

/** The `unauthorized` fault: the apps may not read these content types (the others keep working). */
export function assertMayRead(caller: Caller, contentType: ContentType, faults: Faults): void {
  if (faults.unauthorizedContentTypes.includes(contentType)) throw afErrors.contentTypeForbidden(caller.roles, contentType);
}

/** Listing and retrieval need an enabled subscription: AF20022 when none was started, AF20023 after `/stop`. */
export function enabledSubscription(store: SubscriptionStore, tenantId: string, contentType: ContentType): Subscription {
  const subscription = store.get(tenantId, contentType);
  if (!subscription) throw afErrors.noSubscription();
  if (subscription.status !== 'enabled') throw afErrors.subscriptionDisabled();
  return subscription;
}
