// One keep-alive connection pool per tenant, trusting the configured CAs on top of the system's.
import { Agent } from 'undici';
import { trustedContext } from '../util/trusted-context.js';
import { DEFAULT_REQUEST_TIMEOUT_MS, type ConnectionOptions } from './options.js';

export function createHttpAgent(options: ConnectionOptions): Agent {
  const timeout = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  return new Agent({
    keepAliveTimeout: 30_000,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connectTimeout: Math.min(timeout, 30_000),
    connect: {
      rejectUnauthorized: options.rejectUnauthorized,
      ...(options.ca && options.ca.length > 0 ? { secureContext: trustedContext(options.ca) } : {}),
    },
  });
}
