// What the client's operations (listing, blobs, subscriptions) share for one tenant.
import type { Logger } from '../util/logger.js';
import type { ApiCall, ApiFailure, ApiTransport } from './api-transport.js';
import { errorForResponse, ForbiddenContentTypeError, ManagementApiError } from './errors.js';
import type { RetryPolicy } from './options.js';
import type { ServerClock } from './server-clock.js';

export interface ClientContext {
  tenantId: string;
  apiUrl: string;
  publisherIdentifier: string;
  configPath: string;
  transport: ApiTransport;
  clock: ServerClock;
  retry: RetryPolicy;
  logger: Logger;
  /** `{apiUrl}/api/v1.0/{tenant}/activity/feed/{operation}?{query}&PublisherIdentifier=…` */
  feedUrl(operation: string, query?: Record<string, string>): string;
  /** Logs a warning the first time `key` is seen, so a systematic quirk does not flood the log. */
  warnOnce(key: string, fields: Record<string, unknown>, message: string): void;
  /** The error for an answer the operation does not handle itself. */
  errorFor(failure: ApiFailure, call: ApiCall): ManagementApiError;
}

export function createClientContext(fields: Omit<ClientContext, 'feedUrl' | 'warnOnce' | 'errorFor'>): ClientContext {
  const warned = new Set<string>();
  return {
    ...fields,
    feedUrl(operation, query = {}) {
      const params = new URLSearchParams({ ...query, PublisherIdentifier: fields.publisherIdentifier });
      return `${fields.apiUrl}/api/v1.0/${encodeURIComponent(fields.tenantId)}/activity/feed/${operation}?${params.toString()}`;
    },
    warnOnce(key, logFields, message) {
      if (warned.has(key)) return;
      warned.add(key);
      fields.logger.warn({ tenantId: fields.tenantId, ...logFields }, message);
    },
    errorFor(failure, call) {
      const context = {
        tenantId: fields.tenantId,
        operation: call.operation,
        status: failure.status,
        ...(failure.code ? { code: failure.code } : {}),
        ...(failure.serverMessage ? { serverMessage: failure.serverMessage } : {}),
        configPath: fields.configPath,
      };
      // Refusals scoped to one content type stop that stream only; without one, the whole tenant.
      if (failure.class === 'forbidden' && call.contentType) {
        return new ForbiddenContentTypeError({ ...context, contentType: call.contentType });
      }
      if (failure.class === 'resubscribe') {
        return new ManagementApiError(
          'subscription',
          `the ${call.contentType ?? ''} subscription of tenant ${fields.tenantId} is missing or disabled (${failure.code}) — listing starts it again; the blob will be fetched after that`,
          { ...context, ...(call.contentType ? { contentType: call.contentType } : {}) },
        );
      }
      return errorForResponse({ ...context, ...(call.contentType ? { contentType: call.contentType } : {}) });
    },
  };
}
