// The daemon's web page: stream status and a world map of recent sign-ins. The HTTP server offers each
// request to these routes; they answer `GET /`, the page's own files under `/ui/`, and
// `GET /api/sign-ins`, and leave every other path (`/api/status` included) to the server.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { RecentSignIns } from '../../runtime/recent-sign-ins.js';
import { renderPage } from './page.js';
import { renderWorldMap, type WorldMap } from './world-map.js';

export interface UiOptions {
  signIns: RecentSignIns;
  /** What `GET /api/status` serves; embedded in the page so its first paint shows it. */
  status: () => unknown;
}

/** Answers the request and resolves true, or resolves false for a path that is not the UI's. */
export type UiRoutes = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;

// From src/http/ui/ (tsx) and from dist/http/ui/ (built) alike, the package root is three levels up;
// the browser's files are plain JavaScript and CSS, shipped as they are (package.json `files`).
const PUBLIC_DIRECTORY = new URL('../../../src/http/ui/public/', import.meta.url);

const STATIC_FILES: Record<string, string> = {
  '/ui/app.js': 'text/javascript; charset=utf-8',
  '/ui/map.js': 'text/javascript; charset=utf-8',
  '/ui/status.js': 'text/javascript; charset=utf-8',
  '/ui/time.js': 'text/javascript; charset=utf-8',
  '/ui/style.css': 'text/css; charset=utf-8',
};

const PAGE_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

export function createUiRoutes(options: UiOptions): UiRoutes {
  const files = new Map(Object.entries(STATIC_FILES).map(([path, type]) => [path, { type, body: readPublicFile(path.slice('/ui/'.length)) }]));
  let world: WorldMap | undefined;

  return async (req, res, url) => {
    const path = url.pathname;
    const file = files.get(path);
    if (path !== '/' && path !== '/api/sign-ins' && file === undefined) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, req, 405, { 'content-type': 'application/json', allow: 'GET, HEAD' }, JSON.stringify({ error: `${path} answers GET only` }));
      return true;
    }
    if (file !== undefined) {
      send(res, req, 200, { 'content-type': file.type, 'cache-control': 'no-cache' }, file.body);
    } else if (path === '/') {
      world ??= renderWorldMap();
      const html = renderPage(world, options.status());
      send(res, req, 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': PAGE_POLICY }, html);
    } else {
      serveSignIns(req, res, url, options.signIns);
    }
    return true;
  };
}

function serveSignIns(req: IncomingMessage, res: ServerResponse, url: URL, signIns: RecentSignIns): void {
  const since = url.searchParams.get('since');
  const sinceMs = since === null ? undefined : parseSince(since);
  if (sinceMs === null) {
    const error = 'since must be epoch milliseconds or an ISO 8601 time, e.g. /api/sign-ins?since=2025-01-31T00:00:00Z';
    send(res, req, 400, { 'content-type': 'application/json' }, JSON.stringify({ error }));
    return;
  }
  // The page asks every few seconds; while no sign-in arrives it gets a 304 and redraws nothing.
  const etag = `"${signIns.version}"`;
  if (req.headers['if-none-match'] === etag) {
    send(res, req, 304, { etag, 'cache-control': 'no-cache' }, '');
    return;
  }
  const body = JSON.stringify({ capacity: signIns.capacity, signIns: signIns.snapshot(sinceMs === undefined ? {} : { sinceMs }) });
  send(res, req, 200, { 'content-type': 'application/json', etag, 'cache-control': 'no-cache' }, body);
}

/** Epoch ms from either form; null when it is neither. */
function parseSince(value: string): number | null {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function send(res: ServerResponse, req: IncomingMessage, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'x-content-type-options': 'nosniff', ...(status === 304 ? {} : { 'content-length': String(Buffer.byteLength(body)) }) });
  res.end(req.method === 'HEAD' ? undefined : body);
}

function readPublicFile(name: string): string {
  const file = fileURLToPath(new URL(name, PUBLIC_DIRECTORY));
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new Error(`the web page's file ${file} cannot be read (${reason}); reinstall o365-elk, or set http.enabled=false`, { cause: error });
  }
}
