// Subscriptions: list, start, stop, and making sure the wanted content types are enabled. Microsoft
// asks for 15 minutes between two starts, so a start is sent once (never retried) and not repeated for
// the same content type within that time.
import { UnexpectedBodyError, type ApiCall, type ApiResponse } from './api-transport.js';
import type { ClientContext } from './client-context.js';
import { ManagementApiError } from './errors.js';
import type { ContentType, ManagementClient, Subscription } from './types.js';

export const START_INTERVAL_MS = 15 * 60_000;

export type SubscriptionOperations = Pick<ManagementClient, 'listSubscriptions' | 'startSubscription' | 'stopSubscription'>;

export function createSubscriptionOperations(ctx: ClientContext, now: () => number = Date.now): SubscriptionOperations {
  const lastStart = new Map<ContentType, number>();

  return {
    async listSubscriptions(signal) {
      const call: ApiCall = { operation: 'list-subscriptions', method: 'GET', url: ctx.feedUrl('subscriptions/list'), ...(signal ? { signal } : {}) };
      const outcome = await ctx.transport.send(call, readSubscriptions);
      if (!outcome.ok) throw ctx.errorFor(outcome.failure, call);
      return outcome.value;
    },

    async startSubscription(contentType, signal) {
      const previous = lastStart.get(contentType);
      if (previous !== undefined && now() - previous < START_INTERVAL_MS) {
        throw new ManagementApiError(
          'subscription',
          `not starting the ${contentType} subscription of tenant ${ctx.tenantId} again before ${new Date(previous + START_INTERVAL_MS).toISOString()} — Microsoft allows one start per content type every 15 minutes; it will be tried again later`,
          { tenantId: ctx.tenantId, operation: 'start-subscription', contentType },
        );
      }
      lastStart.set(contentType, now());
      const call: ApiCall = {
        operation: 'start-subscription',
        method: 'POST',
        url: ctx.feedUrl('subscriptions/start', { contentType }),
        contentType,
        maxAttempts: 1,
        ...(signal ? { signal } : {}),
      };
      const outcome = await ctx.transport.send(call, async (response) => response.body.dump());
      if (outcome.ok) {
        ctx.logger.info({ tenantId: ctx.tenantId, contentType }, 'started the subscription');
        return 'started';
      }
      if (outcome.failure.class === 'already-enabled') return 'already-enabled';
      throw ctx.errorFor(outcome.failure, call);
    },

    async stopSubscription(contentType, signal) {
      const call: ApiCall = {
        operation: 'stop-subscription',
        method: 'POST',
        url: ctx.feedUrl('subscriptions/stop', { contentType }),
        contentType,
        ...(signal ? { signal } : {}),
      };
      const outcome = await ctx.transport.send(call, async (response) => response.body.dump());
      if (!outcome.ok) throw ctx.errorFor(outcome.failure, call);
    },
  };
}

async function readSubscriptions(response: ApiResponse): Promise<Subscription[]> {
  const value: unknown = await response.body.json();
  if (!Array.isArray(value)) throw new UnexpectedBodyError('the subscription list is not a JSON array');
  return value
    .filter((entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null)
    .map((entry) => ({ contentType: String(entry.contentType), status: String(entry.status), webhook: entry.webhook ?? null }));
}

export interface EnsureResult {
  /** Already enabled before the call. */
  enabled: ContentType[];
  /** Started by this call. */
  started: ContentType[];
  /** Content types that could not be started; the others are usable. */
  failed: Array<{ contentType: ContentType; error: ManagementApiError }>;
}

/**
 * Lists the tenant's subscriptions once and starts only the wanted content types that are missing or
 * disabled. A content type that cannot be started (no permission, throttled) is reported in `failed`;
 * failures that concern the whole tenant (authentication, unknown tenant) throw.
 */
export async function ensureSubscriptions(client: ManagementClient, contentTypes: readonly ContentType[], signal?: AbortSignal): Promise<EnsureResult> {
  const existing = await client.listSubscriptions(signal);
  const result: EnsureResult = { enabled: [], started: [], failed: [] };
  for (const contentType of contentTypes) {
    if (existing.some((subscription) => subscription.contentType === contentType && subscription.status.toLowerCase() === 'enabled')) {
      result.enabled.push(contentType);
      continue;
    }
    try {
      const outcome = await client.startSubscription(contentType, signal);
      (outcome === 'started' ? result.started : result.enabled).push(contentType);
    } catch (error) {
      if (!(error instanceof ManagementApiError) || error.kind === 'fatal' || error.kind === 'tls') throw error;
      result.failed.push({ contentType, error });
    }
  }
  return result;
}
