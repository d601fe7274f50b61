// Subscription state per tenant and content type, starting from each tenant's presubscribed types, and
// its wire shape (`/start` answers and `/list` entries, contract §2.1–2.3).
import { CONTENT_TYPES, type ContentType, type EmulatedTenant } from '../types.js';
import type { ContentEntry } from './content-entries.js';

export interface WebhookSettings {
  address: string;
  authId: string | null;
  /** Epoch milliseconds after which no notification is sent; null for never. */
  expiration: number | null;
}

/** A webhook of a subscription, with what the notification pusher keeps for it. */
export interface Webhook extends WebhookSettings {
  status: 'enabled' | 'disabled' | 'expired';
  /** The application that registered it, sent as `clientId` in notifications. */
  clientId: string;
  /** The origin the client used, for the contentUris of notifications. */
  origin: string;
  /** Blobs visible at or before this virtual time have been queued for notification. */
  seenUntil: number;
  consecutiveFailures: number;
  /** Virtual time before which no attempt is made, after a failure. */
  retryAt: number;
  /** Notifications (batches of content objects) waiting to be delivered, oldest first. */
  pending: ContentEntry[][];
}

export interface Subscription {
  tenantId: string;
  contentType: ContentType;
  status: 'enabled' | 'disabled';
  webhook: Webhook | null;
}

export interface SubscriptionStore {
  get(tenantId: string, contentType: ContentType): Subscription | undefined;
  /** The tenant's subscriptions in content-type order. */
  list(tenantId: string): Subscription[];
  all(): Iterable<Subscription>;
  put(subscription: Subscription): void;
}

export function createSubscriptionStore(tenants: readonly EmulatedTenant[]): SubscriptionStore {
  const byTenant = new Map<string, Map<ContentType, Subscription>>();
  for (const tenant of tenants) {
    const subscriptions = new Map<ContentType, Subscription>();
    for (const contentType of tenant.presubscribed) {
      subscriptions.set(contentType, { tenantId: tenant.tenantId, contentType, status: 'enabled', webhook: null });
    }
    byTenant.set(tenant.tenantId.toLowerCase(), subscriptions);
  }
  const tenantMap = (tenantId: string) => {
    const key = tenantId.toLowerCase();
    const existing = byTenant.get(key);
    if (existing) return existing;
    const created = new Map<ContentType, Subscription>();
    byTenant.set(key, created);
    return created;
  };

  return {
    get: (tenantId, contentType) => byTenant.get(tenantId.toLowerCase())?.get(contentType),
    list(tenantId) {
      const subscriptions = byTenant.get(tenantId.toLowerCase());
      return CONTENT_TYPES.flatMap((type) => subscriptions?.get(type) ?? []);
    },
    *all() {
      for (const subscriptions of byTenant.values()) yield* subscriptions.values();
    },
    put(subscription) {
      tenantMap(subscription.tenantId).set(subscription.contentType, subscription);
    },
  };
}

export function subscriptionWire(subscription: Subscription) {
  const { webhook } = subscription;
  return {
    contentType: subscription.contentType,
    status: subscription.status,
    webhook: webhook && {
      status: webhook.status,
      address: webhook.address,
      authId: webhook.authId,
      expiration: webhook.expiration === null ? null : new Date(webhook.expiration).toISOString(),
    },
  };
}
