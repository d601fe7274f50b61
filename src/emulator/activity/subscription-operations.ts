// `/subscriptions/start`, `/stop` and `/list` (contract §2.1–2.3, §4.1).
import type { ApiBehaviour, Clock, ContentType, Faults } from '../types.js';
import type { Chance } from './chance.js';
import { afErrors } from './errors.js';
import { assertMayRead } from './guards.js';
import type { Operation } from './operation.js';
import { requiredContentType } from './query.js';
import { readStartRequest } from './start-request.js';
import { subscriptionWire, type SubscriptionStore, type Webhook, type WebhookSettings } from './subscriptions.js';
import type { WebhookDelivery } from './webhook-delivery.js';

/** The documented wait between `/start` requests ("a waiting period of 15 minutes is required"). */
const START_INTERVAL_MS = 15 * 60_000;

export function createSubscriptionOperations(options: {
  store: SubscriptionStore;
  clock: Clock;
  faults: Faults;
  behaviour: ApiBehaviour;
  chance: Chance;
  delivery: WebhookDelivery;
  allowInsecureWebhooks: boolean;
}): { start: Operation; stop: Operation; list: Operation } {
  const { store, clock, faults, behaviour, chance, delivery } = options;
  const lastStartAt = new Map<string, number>();

  // Per tenant and content type: subscribing to the five content types one after the other is what
  // every client does, and is not what the rule is about.
  const assertStartAllowed = (tenantId: string, contentType: ContentType, publisherId: string) => {
    const key = `${tenantId.toLowerCase()}|${contentType}`;
    const now = clock.now();
    const previous = lastStartAt.get(key);
    if (behaviour.startThrottle && previous !== undefined && now - previous < START_INTERVAL_MS) {
      throw afErrors.throttled('StartSubscription', publisherId, faults.throttleStatus, faults.retryAfterSeconds);
    }
    lastStartAt.set(key, now);
  };

  const start: Operation = async ({ req, url, origin, caller, publisherId }) => {
    const contentType = requiredContentType(url);
    assertMayRead(caller, contentType, faults);
    const requested = await readStartRequest(req, {
      now: clock.now(),
      allowInsecureWebhooks: options.allowInsecureWebhooks,
    });
    const tenantId = caller.tenant.tenantId;
    assertStartAllowed(tenantId, contentType, publisherId);
    const existing = store.get(tenantId, contentType);
    if (existing?.status === 'enabled' && sameWebhook(existing.webhook, requested)) throw afErrors.alreadyEnabled();
    if (requested && !(await delivery.validate(requested, chance.hex(32)))) {
      throw afErrors.webhookNotValidated(requested.address, 'no-200');
    }
    const webhook: Webhook | null = requested && {
      ...requested,
      status: 'enabled',
      clientId: caller.clientId,
      origin,
      seenUntil: clock.now(),
      consecutiveFailures: 0,
      retryAt: 0,
      pending: [],
    };
    const subscription = { tenantId, contentType, status: 'enabled' as const, webhook };
    store.put(subscription);
    return { status: 200, body: subscriptionWire(subscription) };
  };

  const stop: Operation = async ({ url, caller }) => {
    const contentType = requiredContentType(url);
    const existing = store.get(caller.tenant.tenantId, contentType);
    if (!existing) throw afErrors.noSubscription();
    existing.status = 'disabled';
    return { status: 200 };
  };

  const list: Operation = async ({ caller }) => ({
    status: 200,
    body: store.list(caller.tenant.tenantId).map(subscriptionWire),
  });

  return { start, stop, list };
}

/** True when `/start` would change nothing: the same webhook settings, still enabled, or no webhook at all. */
function sameWebhook(current: Webhook | null, requested: WebhookSettings | null): boolean {
  if (current === null || requested === null) return current === requested;
  return (
    current.status === 'enabled' &&
    current.address === requested.address &&
    current.authId === requested.authId &&
    current.expiration === requested.expiration
  );
}
