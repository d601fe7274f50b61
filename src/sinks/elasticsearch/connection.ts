// HTTP to the engine's nodes: one keep-alive pool per host, requests spread round-robin, and a host
// that cannot be reached is skipped for a while (failover) until every host has failed. Only plain
// application/json and application/x-ndjson are spoken, which Elasticsearch 7–9 and OpenSearch 1–3
// all accept (the `compatible-with=8` media types make OpenSearch answer 406).
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Pool } from 'undici';
import { classifyTransportError, type TransportFailure } from '../../source/transport-errors.js';
import type { TlsConnectOptions } from './tls.js';

const gzipAsync = promisify(gzip);

export interface EngineRequest {
  method: 'GET' | 'PUT' | 'POST';
  /** Path and query, e.g. `/_bulk?filter_path=errors`. */
  path: string;
  body?: string | Buffer;
  /** The body is NDJSON (`_bulk`). */
  ndjson?: boolean;
}

export interface EngineResponse {
  status: number;
  /** The parsed JSON body, or undefined when it is not JSON. */
  body: unknown;
  /** The host that answered, credentials removed. */
  host: string;
}

/** No host answered: each was refused, reset, timed out or failed TLS. */
export class EngineUnreachableError extends Error {
  override readonly name = 'EngineUnreachableError';
  constructor(
    readonly failures: { host: string; failure: TransportFailure }[],
  ) {
    super(`no host answered: ${failures.map(({ host, failure }) => `${host} (${failure.reason})`).join(', ')}`);
  }
}

export interface EngineConnectionOptions {
  /** Base URLs; a path (behind a reverse proxy) is kept as a prefix. */
  hosts: string[];
  /** Authorization header value; credentials in a host URL are used when this is unset. */
  authorization?: string;
  tls: TlsConnectOptions;
  /** Concurrent connections per host. */
  connections: number;
  requestTimeoutMs: number;
  /** gzip level of request bodies; 0 sends them uncompressed. */
  compressionLevel: number;
}

export interface EngineConnection {
  /** Host URLs for messages, without credentials. */
  readonly hosts: readonly string[];
  /**
   * Sends `request` to the next host in rotation, failing over to the others when a host cannot be
   * reached. Any HTTP answer is returned, whatever its status; throws EngineUnreachableError when no
   * host answered.
   */
  request(request: EngineRequest): Promise<EngineResponse>;
  /** Waits for requests in flight, then closes the connections. */
  close(): Promise<void>;
}

interface Host {
  display: string;
  pathPrefix: string;
  authorization: string | undefined;
  pool: Pool;
  failures: number;
  /** Epoch ms before which the host is tried only when no other host may be. */
  skipUntil: number;
}

const MAX_SKIP_MS = 30_000;

export function createEngineConnection(options: EngineConnectionOptions): EngineConnection {
  const hosts = options.hosts.map((url) => openHost(url, options));
  let nextIndex = 0;

  function rotation(): Host[] {
    const now = Date.now();
    const start = nextIndex;
    nextIndex = (nextIndex + 1) % hosts.length;
    const ordered = [...hosts.slice(start), ...hosts.slice(0, start)];
    const available = ordered.filter((host) => host.skipUntil <= now);
    const resting = ordered.filter((host) => host.skipUntil > now).sort((a, b) => a.skipUntil - b.skipUntil);
    return [...available, ...resting];
  }

  return {
    hosts: hosts.map((host) => host.display),
    async request(request) {
      const body = await encodeBody(request.body, options.compressionLevel);
      const failures: { host: string; failure: TransportFailure }[] = [];
      for (const host of rotation()) {
        try {
          const response = await send(host, request, body);
          host.failures = 0;
          host.skipUntil = 0;
          return response;
        } catch (error) {
          const failure = classifyTransportError(error);
          if (failure === undefined) throw error;
          host.failures += 1;
          host.skipUntil = Date.now() + Math.min(MAX_SKIP_MS, 500 * 2 ** (host.failures - 1));
          failures.push({ host: host.display, failure });
        }
      }
      throw new EngineUnreachableError(failures);
    },
    async close() {
      await Promise.all(hosts.map((host) => host.pool.close()));
    },
  };
}

function openHost(url: string, options: EngineConnectionOptions): Host {
  const parsed = new URL(url);
  const fromUrl =
    parsed.username === '' ? undefined : `Basic ${Buffer.from(`${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`).toString('base64')}`;
  parsed.username = '';
  parsed.password = '';
  const pathPrefix = parsed.pathname.replace(/\/+$/, '');
  return {
    display: `${parsed.origin}${pathPrefix}`,
    pathPrefix,
    authorization: options.authorization ?? fromUrl,
    pool: new Pool(parsed.origin, {
      connections: options.connections,
      keepAliveTimeout: 30_000,
      headersTimeout: options.requestTimeoutMs,
      bodyTimeout: options.requestTimeoutMs,
      connectTimeout: Math.min(options.requestTimeoutMs, 30_000),
      connect: options.tls,
    }),
    failures: 0,
    skipUntil: 0,
  };
}

interface EncodedBody {
  data: Buffer;
  gzipped: boolean;
}

async function encodeBody(body: string | Buffer | undefined, level: number): Promise<EncodedBody | undefined> {
  if (body === undefined) return undefined;
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  return level > 0 ? { data: await gzipAsync(data, { level }), gzipped: true } : { data, gzipped: false };
}

async function send(host: Host, request: EngineRequest, body: EncodedBody | undefined): Promise<EngineResponse> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'o365-elk' };
  if (host.authorization !== undefined) headers.authorization = host.authorization;
  if (body !== undefined) {
    headers['content-type'] = request.ndjson ? 'application/x-ndjson' : 'application/json';
    if (body.gzipped) headers['content-encoding'] = 'gzip';
  }
  const response = await host.pool.request({ method: request.method, path: `${host.pathPrefix}${request.path}`, headers, body: body?.data });
  const text = await response.body.text();
  return { status: response.statusCode, body: parseJson(text), host: host.display };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `type: reason` of an engine error body, for messages; undefined when the body has no error. */
export function engineErrorText(body: unknown): string | undefined {
  const error = (body as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return undefined;
  const { type, reason } = error as { type?: unknown; reason?: unknown };
  return [type, reason].filter((part) => typeof part === 'string').join(': ') || undefined;
}
