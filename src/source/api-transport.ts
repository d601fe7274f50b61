// Sends one Management Activity API request to completion: takes a slot of the tenant's budget, adds
// the bearer token, logs every error answer, and retries throttling, server faults, timeouts, resets
// and cut-off bodies with jittered exponential backoff. Answers the caller has to decide about (expired
// blob, stale page, missing subscription, …) come back classified instead of thrown.
import { setTimeout as sleep } from 'node:timers/promises';
import { request, type Dispatcher } from 'undici';
import type { Logger } from '../util/logger.js';
import { classifyResponse, parseAfError, type ResponseClass } from './af-errors.js';
import { AuthError } from './auth/auth-error.js';
import type { TokenProvider } from './auth/token-provider.js';
import { backoffDelay, parseRetryAfter } from './backoff.js';
import type { RequestBudget } from './budget.js';
import { ManagementApiError } from './errors.js';
import type { ClientObserver } from './observer.js';
import type { RetryPolicy } from './options.js';
import type { ServerClock } from './server-clock.js';
import { classifyTransportError, type TransportFailure } from './transport-errors.js';
import type { ContentType } from './types.js';

const USER_AGENT = 'o365-elk';
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export type Operation = 'list-subscriptions' | 'start-subscription' | 'stop-subscription' | 'list-content' | 'get-blob';

export interface ApiCall {
  operation: Operation;
  method: 'GET' | 'POST';
  url: string;
  contentType?: ContentType;
  signal?: AbortSignal;
  /** Overrides the policy's attempts, e.g. 1 for requests that must not be repeated. */
  maxAttempts?: number;
}

export interface ApiResponse {
  status: number;
  headers: Dispatcher.ResponseData['headers'];
  body: Dispatcher.ResponseData['body'];
}

export interface ApiFailure {
  class: ResponseClass;
  status: number;
  code?: string;
  serverMessage?: string;
}

export type ApiOutcome<T> = { ok: true; value: T; headers: ApiResponse['headers'] } | { ok: false; failure: ApiFailure };

/** Thrown by a `consume` callback when a 2xx body is not what was expected; the request is retried. */
export class UnexpectedBodyError extends Error {
  override readonly name = 'UnexpectedBodyError';
}

export interface ApiTransport {
  /**
   * Sends `call` until it gets a 2xx answer whose body `consume` accepts, or an answer that retrying
   * cannot fix. Throws `ManagementApiError` ('transient' when retries ran out, 'tls'), `AuthError`,
   * or the signal's abort reason.
   */
  send<T>(call: ApiCall, consume: (response: ApiResponse) => Promise<T>): Promise<ApiOutcome<T>>;
  /** Waits before another attempt of a caller-driven retry (e.g. a blob cut off mid-stream). */
  pause(attempt: number, signal?: AbortSignal): Promise<void>;
}

export interface TransportDeps {
  tenantId: string;
  apiUrl: string;
  configPath: string;
  dispatcher: Dispatcher;
  tokens: TokenProvider;
  budget: RequestBudget;
  clock: ServerClock;
  retry: RetryPolicy;
  logger: Logger;
  observer?: ClientObserver;
}

export function createApiTransport(deps: TransportDeps): ApiTransport {
  const { tenantId, logger, retry } = deps;
  const observer = deps.observer ?? {};
  const pause = (attempt: number, signal?: AbortSignal, retryAfterMs?: number) =>
    sleep(backoffDelay(attempt, retry, retryAfterMs), undefined, signal ? { signal } : undefined);

  const giveUp = (call: ApiCall, attempts: number, last: string, status?: number, code?: string) =>
    new ManagementApiError(
      'transient',
      `${call.operation}${call.contentType ? ` of ${call.contentType}` : ''} for tenant ${tenantId} still failed after ${attempts} attempt${attempts === 1 ? '' : 's'} (${last}) — the service is unavailable or throttling; it will be tried again later`,
      { tenantId, operation: call.operation, ...(call.contentType ? { contentType: call.contentType } : {}), ...(status ? { status } : {}), ...(code ? { code } : {}) },
    );

  const untrusted = (call: ApiCall, failure: TransportFailure) =>
    new ManagementApiError(
      'tls',
      `the TLS certificate of ${new URL(call.url).origin} is not trusted (${failure.reason}) — add its CA to ${deps.configPath}.ssl.certificate_authorities`,
      { tenantId, operation: call.operation, ...(call.contentType ? { contentType: call.contentType } : {}) },
    );

  async function send<T>(call: ApiCall, consume: (response: ApiResponse) => Promise<T>): Promise<ApiOutcome<T>> {
    const maxAttempts = call.maxAttempts ?? retry.maxAttempts;
    const where = { tenantId, operation: call.operation, contentType: call.contentType };
    let refreshToken = false;
    let tokenRefreshed = false;
    for (let attempt = 1; ; attempt++) {
      await deps.budget.acquire(call.signal);
      let token: string;
      try {
        token = await deps.tokens.getToken(deps.apiUrl, { forceRefresh: refreshToken, ...(call.signal ? { signal: call.signal } : {}) });
      } catch (error) {
        // Entra ID down or throttling passes; a wrong credential does not.
        if (!(error instanceof AuthError) || !error.transient || attempt >= maxAttempts) throw error;
        const delayMs = backoffDelay(attempt, retry, error.answer.retryAfterMs);
        logger.warn(
          { ...where, attempt, status: error.answer.status, aadsts: error.aadsts, reason: error.kind, delayMs, err: error.message },
          `token request failed (attempt ${attempt} of ${maxAttempts}); trying again in ${delayMs} ms`,
        );
        observer.onRetry?.({ operation: call.operation, reason: 'login-unavailable' });
        await sleep(delayMs, undefined, call.signal ? { signal: call.signal } : undefined);
        continue;
      }
      refreshToken = false;

      let response: Dispatcher.ResponseData;
      try {
        response = await request(call.url, {
          method: call.method,
          dispatcher: deps.dispatcher,
          headers: { authorization: `Bearer ${token}`, accept: 'application/json', 'user-agent': USER_AGENT },
          ...(call.method === 'POST' ? { body: '' } : {}),
          ...(call.signal ? { signal: call.signal } : {}),
        });
      } catch (error) {
        const failure = classifyTransportError(error);
        if (!failure || failure.kind === 'aborted') throw error;
        if (failure.kind === 'tls') throw untrusted(call, failure);
        logger.warn({ ...where, attempt, reason: failure.reason }, 'management API request failed without an answer');
        if (attempt >= maxAttempts) throw giveUp(call, attempt, failure.reason);
        observer.onRetry?.({ operation: call.operation, reason: 'network' });
        await pause(attempt, call.signal);
        continue;
      }
      deps.clock.observe(response.headers.date);
      if (response.statusCode < 300) observer.onResponse?.({ operation: call.operation, status: response.statusCode });

      if (response.statusCode >= 200 && response.statusCode < 300) {
        try {
          const value = await consume({ status: response.statusCode, headers: response.headers, body: response.body });
          return { ok: true, value, headers: response.headers };
        } catch (error) {
          response.body.destroy();
          const failure = classifyTransportError(error);
          if (failure?.kind === 'aborted') throw error;
          const broken = failure !== undefined || error instanceof SyntaxError || error instanceof UnexpectedBodyError;
          if (!broken) throw error;
          const reason = failure?.reason ?? (error as Error).message;
          logger.warn({ ...where, attempt, status: response.statusCode, reason }, 'management API answer was cut off or malformed');
          if (attempt >= maxAttempts) throw giveUp(call, attempt, `body: ${reason}`, response.statusCode);
          observer.onRetry?.({ operation: call.operation, reason: 'broken-body' });
          await pause(attempt, call.signal);
          continue;
        }
      }

      const { code, message } = parseAfError(await readErrorBody(response.body));
      const responseClass = classifyResponse(response.statusCode, code);
      observer.onResponse?.({ operation: call.operation, status: response.statusCode, ...(code ? { code } : {}) });
      logger.warn({ ...where, attempt, status: response.statusCode, code, serverMessage: message }, 'management API answered with an error');
      if (responseClass === 'retry') {
        const label = [`HTTP ${response.statusCode}`, code].filter(Boolean).join(' ');
        if (attempt >= maxAttempts) throw giveUp(call, attempt, label, response.statusCode, code);
        const retryAfter = parseRetryAfter(response.headers['retry-after']);
        const delay = backoffDelay(attempt, retry, retryAfter);
        // Throttling is counted per tenant: hold back the tenant's other calls too.
        const throttled = code === 'AF429' || response.statusCode === 429;
        if (throttled) deps.budget.holdFor(delay);
        observer.onRetry?.({ operation: call.operation, reason: throttled ? 'throttled' : 'server-error' });
        await sleep(delay, undefined, call.signal ? { signal: call.signal } : undefined);
        continue;
      }
      if (responseClass === 'token-rejected' && !tokenRefreshed) {
        // A token revoked or expired early: one fresh token before calling it a permission problem.
        tokenRefreshed = true;
        refreshToken = true;
        observer.onRetry?.({ operation: call.operation, reason: 'token-rejected' });
        continue;
      }
      return {
        ok: false,
        failure: { class: responseClass, status: response.statusCode, ...(code ? { code } : {}), ...(message ? { serverMessage: message } : {}) },
      };
    }
  }

  return { send, pause: (attempt, signal) => pause(attempt, signal) };
}

async function readErrorBody(body: Dispatcher.ResponseData['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of body) {
      const buffer = chunk as Buffer;
      chunks.push(buffer);
      size += buffer.length;
      if (size >= MAX_ERROR_BODY_BYTES) break;
    }
  } catch {
    // An error answer cut short still has its status; the AF code is a bonus.
  } finally {
    body.destroy();
  }
  return Buffer.concat(chunks).toString('utf8');
}
