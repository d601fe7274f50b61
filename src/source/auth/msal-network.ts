// MSAL's HTTP through our undici agent, so token requests trust the configured CAs like every other call
// (MSAL's default client uses global fetch, which knows only the system roots).
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { request, type Dispatcher } from 'undici';
import { classifyTransportError } from '../transport-errors.js';
import { TokenEndpointUnreachable } from './auth-error.js';

export function createMsalNetworkModule(dispatcher: Dispatcher): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> => {
    let response: Dispatcher.ResponseData;
    let text: string;
    try {
      response = await request(url, {
        method,
        dispatcher,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        ...(timeout ? { headersTimeout: timeout, bodyTimeout: timeout } : {}),
      });
      text = await response.body.text();
    } catch (error) {
      throw new TokenEndpointUnreachable(classifyTransportError(error) ?? { kind: 'connection', reason: 'request failed' });
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

function flattenHeaders(headers: Dispatcher.ResponseData['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}
