// Request plumbing shared by the emulator's Entra ID and Graph endpoints: the origin a client reached,
// bounded body reading, and the diagnostic ids and headers Entra puts on every token answer.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

export interface RequestContext {
  /** Virtual time of the request, epoch milliseconds. */
  now: number;
  traceId: string;
  /** The client's `client-request-id` when it sent one, as Entra echoes it. */
  correlationId: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const HOST_HEADER = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

export function requestContext(req: IncomingMessage, now: number): RequestContext {
  const requested = firstHeader(req, 'client-request-id');
  return { now, traceId: randomUUID(), correlationId: requested && isGuid(requested) ? requested.toLowerCase() : randomUUID() };
}

/**
 * The scheme and host the client used to reach the emulator, so that discovery documents, token audiences
 * and error links work both at `https://127.0.0.1:PORT` and at Microsoft's host names through a hosts file.
 */
export function requestOrigin(req: IncomingMessage): string {
  const scheme = (req.socket as Partial<TLSSocket>).encrypted ? 'https' : 'http';
  const host = req.headers.host;
  if (host && HOST_HEADER.test(host)) return new URL(`${scheme}://${host}`).origin;
  // A missing or odd Host header is never reflected into URLs; the listening address stands in for it.
  const address = req.socket.localAddress ?? '127.0.0.1';
  return new URL(`${scheme}://${address.includes(':') ? `[${address}]` : address}:${req.socket.localPort ?? 0}`).origin;
}

/** Headers Entra sends with every token-endpoint answer; `client-request-id` only when asked to return it. */
export function estsHeaders(req: IncomingMessage, context: RequestContext): Record<string, string> {
  return {
    'Cache-Control': 'no-store, no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    'x-ms-request-id': context.traceId,
    'x-ms-ests-server': '2.1.emulated',
    ...(firstHeader(req, 'return-client-request-id') === 'true' ? { 'client-request-id': context.correlationId } : {}),
  };
}

/**
 * Reads a request body of at most `limitBytes`. A larger body is read to its end and dropped, so the
 * answer can still reach a client that insists on sending everything first.
 */
export async function readBody(req: IncomingMessage, limitBytes: number): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= limitBytes) chunks.push(chunk);
  }
  return size > limitBytes ? 'too-large' : Buffer.concat(chunks);
}

export function firstHeader(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
