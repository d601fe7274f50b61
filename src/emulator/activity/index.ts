// The emulated Office 365 Management Activity API (contract §2–§4): every operation under
// `/api/v1.0/{tenant}/activity/feed/`, behind the same checks, throttles and faults as the real one.
// Every request goes through: latency → route → token and tenant → publisher budget → random faults →
// the operation. Nothing a client sends can crash it: any failure becomes an AF answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createHash } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { seedOf } from '../random.js';
import type { ApiBehaviour, Catalog, Clock, EmulatedTenant, Faults, RouteHandler } from '../types.js';
import { createAccessCheck, type VerifyAccessToken } from './access.js';
import { createBlobOperation } from './blob-operation.js';
import { createChance } from './chance.js';
import { dlpSensitiveTypes } from './dlp-sensitive-types-operation.js';
import { ActivityApiError, afErrors, BearerChallenge } from './errors.js';
import { createListingOperations } from './listing-operations.js';
import { createNotificationHistory } from './notification-history.js';
import type { Operation } from './operation.js';
import { createPaging } from './paging.js';
import { publisherOf } from './query.js';
import { createResponder } from './responses.js';
import { createSubscriptionOperations } from './subscription-operations.js';
import { createSubscriptionStore } from './subscriptions.js';
import { createThrottle } from './throttle.js';
import { createWebhookDelivery } from './webhook-delivery.js';
import { startWebhookPusher } from './webhook-pusher.js';

export type { VerifyAccessToken } from './access.js';

export interface ActivityApiOptions {
  catalog: Catalog;
  tenants: readonly EmulatedTenant[];
  clock: Clock;
  faults: Faults;
  behaviour: ApiBehaviour;
  verifyAccessToken: VerifyAccessToken;
  /** Accept `http://` webhook addresses and self-signed listener certificates (test mode). */
  allowInsecureWebhooks?: boolean;
}

interface RouteEntry {
  method: 'GET' | 'POST';
  /** The operation's name in AF429 messages (`Method=…`). */
  name: string;
  operation: Operation;
}

const API_PATH = /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(.+)$/i;
const BLOB_PATH = /^audit\/([^/]+)$/i;

export function createActivityApi(options: ActivityApiOptions): { routes: RouteHandler; close(): void } {
  const { catalog, tenants, clock, faults, behaviour } = options;
  const allowInsecureWebhooks = options.allowInsecureWebhooks ?? false;
  const tenantKey = tenants.map((t) => t.tenantId).join(',');
  // Both derive from the tenants (themselves derived from the seed), so a run replays identically.
  const chance = createChance(seedOf('activity-api', tenantKey));
  const pagingSecret = createHash('sha256').update(`activity-next-page\u0000${tenantKey}`).digest('hex');

  const responder = createResponder({ clock, faults });
  const authorize = createAccessCheck({ tenants, verifyAccessToken: options.verifyAccessToken });
  const throttle = createThrottle(faults.rateLimitPerMinute);
  const store = createSubscriptionStore(tenants);
  const history = createNotificationHistory();
  const delivery = createWebhookDelivery({ acceptAnyCertificate: allowInsecureWebhooks });
  const pusher = startWebhookPusher({ store, catalog, clock, faults, history, delivery });
  const paging = createPaging({ secret: pagingSecret, behaviour, staleNextPageRate: faults.staleNextPageRate, chance });
  const subscriptions = createSubscriptionOperations({ store, clock, faults, behaviour, chance, delivery, allowInsecureWebhooks });
  const listings = createListingOperations({ store, catalog, history, clock, faults, behaviour, paging });
  const blob = createBlobOperation({ store, catalog, clock, faults, behaviour, chance, responder });

  const operations = new Map<string, RouteEntry>([
    ['subscriptions/start', { method: 'POST', name: 'StartSubscription', operation: subscriptions.start }],
    ['subscriptions/stop', { method: 'POST', name: 'StopSubscription', operation: subscriptions.stop }],
    ['subscriptions/list', { method: 'GET', name: 'ListSubscriptions', operation: subscriptions.list }],
    ['subscriptions/content', { method: 'GET', name: 'ListContent', operation: listings.content }],
    ['subscriptions/notifications', { method: 'GET', name: 'ListNotifications', operation: listings.notifications }],
    ['resources/dlpsensitivetypes', { method: 'GET', name: 'GetDlpSensitiveTypes', operation: dlpSensitiveTypes }],
  ]);
  const blobRoute: RouteEntry = { method: 'GET', name: 'GetBlob', operation: blob };

  const serve = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const path = API_PATH.exec(url.pathname);
    const [, urlTenant = '', operationPath = ''] = path ?? [];
    const blobId = BLOB_PATH.exec(operationPath)?.[1];
    const route = blobId === undefined ? operations.get(operationPath.toLowerCase()) : blobRoute;
    if (!path || !route) throw afErrors.unknownOperation(url.pathname);
    if (req.method !== route.method) throw afErrors.methodNotAllowed(req.method ?? '', route.method);

    const caller = authorize(req.headers.authorization, urlTenant);
    const publisherId = publisherOf(url);
    const withinBudget = throttle.take(`${caller.tenant.tenantId.toLowerCase()}|${publisherId}`);
    if (!withinBudget || chance.hit(faults.throttleRate)) {
      throw afErrors.throttled(route.name, publisherId, faults.throttleStatus, faults.retryAfterSeconds);
    }
    if (chance.hit(faults.errorRate)) throw afErrors.internal();

    const origin = `${(req.socket as TLSSocket).encrypted ? 'https' : 'http'}://${url.host}`;
    const reply = await route.operation({ req, res, url, origin, caller, publisherId, resourceId: blobId ?? '' });
    if (reply === 'streamed') return;
    if (reply.body === undefined) responder.empty(res, reply.status, reply.headers);
    else await responder.json(res, reply.status, reply.body, reply.headers);
  };

  const fail = async (res: ServerResponse, error: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (error instanceof ActivityApiError || error instanceof BearerChallenge) {
      await responder.error(res, error);
      return;
    }
    process.emitWarning(`activity API: unexpected failure: ${error instanceof Error ? error.message : String(error)}`);
    await responder.error(res, afErrors.internal());
  };

  const routes: RouteHandler = async (req, res, url) => {
    if (!/^\/api\//i.test(url.pathname)) return false;
    try {
      await serve(req, res, url);
    } catch (error) {
      await fail(res, error).catch(() => res.destroy());
    }
    return true;
  };

  return {
    routes,
    close() {
      // Closing the delivery aborts a notification in flight, which the pusher may be waiting for.
      void Promise.all([pusher.close(), delivery.close()]);
    },
  };
}
