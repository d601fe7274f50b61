// Pushes notifications to webhooks (contract §4.2, §4.3). A timer looks for blobs that became visible
// since the last look and queues them in batches, sent in order. After a failure the webhook waits 1,
// 2, 4, … minutes of virtual time before the next attempt, and is disabled after several failures in a
// row. Every attempt goes to the notification history.
import type { Catalog, Clock, Faults } from '../types.js';
import { contentEntry } from './content-entries.js';
import type { NotificationHistory } from './notification-history.js';
import type { Subscription, SubscriptionStore, Webhook } from './subscriptions.js';
import type { WebhookDelivery } from './webhook-delivery.js';

const TICK_MS = 250;
const BATCH_SIZE = 100;
const RETRY_BASE_MS = 60_000;
export const DISABLE_AFTER_FAILURES = 5;

export interface WebhookPusher {
  close(): Promise<void>;
}

export function startWebhookPusher(options: {
  store: SubscriptionStore;
  catalog: Catalog;
  clock: Clock;
  faults: Faults;
  history: NotificationHistory;
  delivery: WebhookDelivery;
}): WebhookPusher {
  const { store, catalog, clock, faults, history, delivery } = options;
  let running: Promise<void> | undefined;
  let closed = false;

  const queueNewBlobs = (subscription: Subscription, webhook: Webhook, now: number) => {
    // A blob is visible at most lateMaxMs after its contentCreated, so this window holds every blob
    // that became visible after seenUntil.
    const blobs = catalog
      .listBlobs(subscription.tenantId, subscription.contentType, webhook.seenUntil - faults.lateMaxMs, now + 1, now)
      .filter((blob) => blob.visibleAt > webhook.seenUntil);
    webhook.seenUntil = now;
    for (let i = 0; i < blobs.length; i += BATCH_SIZE) {
      webhook.pending.push(blobs.slice(i, i + BATCH_SIZE).map((blob) => contentEntry(blob, webhook.origin, faults.malformedUriRate)));
    }
  };

  // A delivery awaits the listener; meanwhile `/stop` or `/start` may have retired this webhook.
  const isCurrent = (subscription: Subscription, webhook: Webhook) =>
    !closed &&
    subscription.status === 'enabled' &&
    webhook.status === 'enabled' &&
    store.get(subscription.tenantId, subscription.contentType) === subscription;

  /** Sends queued notifications in order; after a failure the webhook waits before the next attempt. */
  const deliverPending = async (subscription: Subscription, webhook: Webhook) => {
    while (webhook.pending.length > 0 && isCurrent(subscription, webhook) && clock.now() >= webhook.retryAt) {
      const entries = webhook.pending[0] ?? [];
      const sentAt = clock.now();
      const body = entries.map((entry) => ({ tenantId: subscription.tenantId, clientId: webhook.clientId, ...entry }));
      const success = await delivery.notify(webhook, body);
      if (closed) return;
      history.record(subscription.tenantId, subscription.contentType, entries, sentAt, success);
      if (success) {
        webhook.consecutiveFailures = 0;
        webhook.pending.shift();
        continue;
      }
      webhook.consecutiveFailures += 1;
      webhook.retryAt = clock.now() + RETRY_BASE_MS * 2 ** (webhook.consecutiveFailures - 1);
      if (webhook.consecutiveFailures >= DISABLE_AFTER_FAILURES) {
        webhook.status = 'disabled';
        webhook.pending = [];
      }
    }
  };

  const tick = async () => {
    for (const subscription of [...store.all()]) {
      const webhook = subscription.webhook;
      if (closed) return;
      if (subscription.status !== 'enabled' || !webhook || webhook.status !== 'enabled') continue;
      const now = clock.now();
      if (webhook.expiration !== null && now > webhook.expiration) {
        webhook.status = 'expired';
        webhook.pending = [];
        continue;
      }
      queueNewBlobs(subscription, webhook, now);
      await deliverPending(subscription, webhook);
    }
  };

  const timer = setInterval(() => {
    if (running) return;
    running = tick()
      .catch((error: unknown) => process.emitWarning(`webhook pusher: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => {
        running = undefined;
      });
  }, TICK_MS);
  timer.unref();

  return {
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
