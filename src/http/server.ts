// The daemon's HTTP endpoints (node:http): Prometheus metrics, liveness and readiness probes, the stream
// status as JSON, and whatever other routes are mounted (the web page). Read-only: nothing here changes
// what the collector does. Requests must name this endpoint in their Host header, and carry the bearer
// token when one is configured.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Metrics } from '../runtime/metrics.js';
import type { Logger } from '../util/logger.js';
import { createHostCheck } from './allowed-hosts.js';
import { createTokenCheck } from './bearer-token.js';

/** Answers the request and resolves true, or resolves false for a path it does not serve. */
export type HttpRoute = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  metrics: Metrics;
  /** What `GET /api/status` serves; a throw answers 503 with its message. */
  status: () => unknown;
  /** Offered every request the server does not answer itself, in order. */
  routes?: HttpRoute[];
  logger: Logger;
  /** Host names served besides `host` (http.allowed_hosts); any other Host header is answered 421. */
  allowedHosts?: readonly string[];
  /** When set, every path but /healthz wants `Authorization: Bearer <token>`, and is answered 401 without it. */
  bearerToken?: string;
}

export interface HttpServer {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

export class HttpListenError extends Error {
  override readonly name = 'HttpListenError';
  constructor(
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
  }
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { metrics, logger } = options;
  const routes = options.routes ?? [];
  const namesThisEndpoint = createHostCheck(options.host, options.allowedHosts);
  const carriesToken = options.bearerToken === undefined ? undefined : createTokenCheck(options.bearerToken);

  const own: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void> = {
    '/metrics': async (_req, res) => {
      const text = await metrics.registry.metrics();
      send(res, 200, metrics.registry.contentType, text);
    },
    '/healthz': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    '/readyz': (_req, res) => {
      const { ready, reasons } = metrics.readiness.report();
      sendJson(res, ready ? 200 : 503, ready ? { status: 'ready' } : { status: 'not ready', reasons });
    },
    '/api/status': (_req, res) => {
      let status: unknown;
      try {
        status = options.status();
      } catch (error) {
        sendJson(res, 503, { error: error instanceof Error ? error.message : String(error) });
        return;
      }
      sendJson(res, 200, status);
    },
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    void handle(req, res, url).catch((error: unknown) => {
      logger.error({ path: url.pathname, err: error instanceof Error ? error.message : String(error) }, 'HTTP endpoint failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal error; see the o365-elk log' });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    if (!namesThisEndpoint(req.headers.host)) {
      sendJson(res, 421, { error: 'this endpoint does not answer to that Host; use its address, or add the name to http.allowed_hosts' });
      return;
    }
    // /healthz says only that the process serves, so liveness probes and load balancers need no token.
    if (carriesToken && url.pathname !== '/healthz' && !carriesToken(req.headers.authorization)) {
      res.setHeader('www-authenticate', 'Bearer realm="o365-elk"');
      sendJson(res, 401, { error: 'missing or wrong bearer token; send Authorization: Bearer <token> (http.auth)' });
      return;
    }
    const endpoint = own[url.pathname];
    if (endpoint !== undefined) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('allow', 'GET, HEAD');
        sendJson(res, 405, { error: `${url.pathname} answers GET only` });
        return;
      }
      await endpoint(req, res);
      return;
    }
    for (const route of routes) if (await route(req, res, url)) return;
    sendJson(res, 404, { error: `nothing at ${url.pathname}; try /metrics, /healthz, /readyz or /api/status` });
  }

  await listen(server, options.host, options.port);
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Scrapers keep connections open; they must not hold up the daemon's exit.
        server.closeAllConnections();
      }),
  };
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException): void => {
      server.off('listening', onListening);
      reject(new HttpListenError(error.code, listenErrorMessage(error, host, port)));
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenErrorMessage(error: NodeJS.ErrnoException, host: string, port: number): string {
  const where = `${host}:${port}`;
  switch (error.code) {
    case 'EADDRINUSE':
      return `http: ${where} is already in use — set http.port to a free port, or stop the process listening there`;
    case 'EACCES':
      return `http: not allowed to listen on ${where} — use a port above 1023 (http.port), or run with the right to bind it`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `http: ${host} is not an address of this machine — set http.host to one of its addresses, e.g. 127.0.0.1`;
    default:
      return `http: cannot listen on ${where} (${error.code ?? error.message}) — check http.host and http.port`;
  }
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body), 'cache-control': 'no-store' });
  res.end(res.req.method === 'HEAD' ? undefined : body);
}
