// One keep-alive connection pool per tenant, trusting the configured CAs on top of the system's.
import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent } from 'undici';
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
      // Passing `ca` replaces Node's roots; keep them so a private CA adds trust instead of narrowing it.
      // One context serves every connection: parsing some 150 certificates for each would cost tens of ms.
      ...(options.ca && options.ca.length > 0 ? { secureContext: createSecureContext({ ca: [...rootCertificates, ...options.ca] }) } : {}),
    },
  });
}
