// MSAL's HTTP through our undici agent, so token requests trust the configured CAs like every other call
// (MSAL's default client uses global fetch, which knows only the system roots).
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request, type Dispatcher } from 'undici';
import { parseRetryAfter } from '../backoff.js';
import { classifyTransportError } from '../transport-errors.js';
import { TokenEndpointUnavailable, TokenEndpointUnreachable } from './auth-error.js';

/** `signal` aborts every request in flight: the token provider is closing. */
export function createMsalNetworkModule(dispatcher: Dispatcher, signal: AbortSignal): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        dispatcher,
        signal,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        ...(timeout ? { headersTimeout: timeout, bodyTimeout: timeout } : {}),
      });
      text = await response.body.text();
    } catch (error) {
      throw new TokenEndpointUnreachable(classifyTransportError(error) ?? { kind: 'connection', reason: 'request failed' });
    }
    if (response.statusCode === 429 || response.statusCode >= 500) {
      throw new TokenEndpointUnavailable(response.statusCode, aadstsCode(text), parseRetryAfter(response.headers['retry-after']));
    }
    return { status: response.statusCode, headers: flattenHeaders(response.headers), body: parseBody<T>(text, response.statusCode) };
  };
  return {
    sendGetRequestAsync: (url, options, timeout) => send('GET', url, options, timeout),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

function parseBody<T>(text: string, status: number): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    // A proxy's HTML error page or an empty body: no token and no Entra ID error to explain it.
    throw new TokenEndpointUnreachable({ kind: 'connection', reason: `HTTP ${status} without a JSON body` });
  }
}

/** The first of `error_codes` in an Entra ID error body, when the body is one. */
function aadstsCode(text: string): number | undefined {
  try {
    const codes = (JSON.parse(text) as { error_codes?: unknown }).error_codes;
    const first: unknown = Array.isArray(codes) ? codes[0] : undefined;
    return typeof first === 'number' && Number.isInteger(first) ? first : undefined;
  } catch {
    return undefined;
  }
}

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
