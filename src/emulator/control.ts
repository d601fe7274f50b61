// Routes under /_emulator/ for tests, demos and benchmarks: the ground truth of what was published, the
// virtual clock, and counts of the requests served. They are not part of Microsoft's surface.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { groundTruth } from './catalog/index.js';
import { sendJson } from './respond.js';
import type { Catalog, Clock, RouteHandler } from './types.js';

export function createControlRoutes(options: { catalog: Catalog; clock: Clock }): RouteHandler {
  const { catalog, clock } = options;
  const requests = createRequestCounter();
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/_emulator/')) {
      // The server offers every request to the control routes first, so this sees them all.
      requests.observe(res, url);
      return false;
    }
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_emulator/records': {
        const lost = url.searchParams.get('lost') === '1';
        await streamRecords(res, groundTruth(catalog, clock.now(), lost ? 'lost' : 'obtainable'));
        return true;
      }
      case 'GET /_emulator/stats':
        sendJson(res, 200, { requests: requests.counts(), inFlight: requests.inFlight() });
        return true;
      case 'GET /_emulator/clock':
        sendJson(res, 200, { now: new Date(clock.now()).toISOString() });
        return true;
      case 'POST /_emulator/clock': {
        const seconds = Number(url.searchParams.get('advance'));
        if (!Number.isFinite(seconds) || seconds < 0) {
          sendJson(res, 400, { error: 'advance=SECONDS (a number of at least 0) is required' });
          return true;
        }
        clock.advance(seconds * 1000);
        sendJson(res, 200, { now: new Date(clock.now()).toISOString() });
        return true;
      }
      default:
        sendJson(res, 404, { error: `unknown emulator control route ${route}` });
        return true;
    }
  };
}

interface RequestCount {
  tenant: string;
  operation: string;
  status: number;
  count: number;
}

/**
 * Requests answered, by tenant, operation (the API path after `feed/`, `token` or `graph`) and status;
 * and the requests still waiting for their answer to end (held by a latency or hang fault), so a test
 * can tell what a client is waiting for.
 */
function createRequestCounter(): {
  observe(res: ServerResponse, url: URL): void;
  counts(): RequestCount[];
  inFlight(): Omit<RequestCount, 'status'>[];
} {
  const counts = new Map<string, RequestCount>();
  const waiting = new Map<string, Omit<RequestCount, 'status'>>();
  return {
    observe(res, url) {
      const { tenant, operation } = classifyRequest(url.pathname);
      const pending = waiting.get(`${tenant} ${operation}`) ?? { tenant, operation, count: 0 };
      pending.count += 1;
      waiting.set(`${tenant} ${operation}`, pending);
      // 'close', not 'finish': a body the truncation fault cuts off never finishes, yet it was a request.
      res.once('close', () => {
        pending.count -= 1;
        if (pending.count === 0) waiting.delete(`${tenant} ${operation}`);
        const key = `${tenant} ${operation} ${res.statusCode}`;
        const entry = counts.get(key) ?? { tenant, operation, status: res.statusCode, count: 0 };
        entry.count += 1;
        counts.set(key, entry);
      });
    },
    counts: () => [...counts.values()],
    inFlight: () => [...waiting.values()].map((entry) => ({ ...entry })),
  };
}

function classifyRequest(pathname: string): { tenant: string; operation: string } {
  const api = /^\/api\/v1\.0\/([^/]+)\/activity\/feed\/(.+)$/i.exec(pathname);
  if (api) {
    const [, tenant = '', operation = ''] = api;
    return { tenant: tenant.toLowerCase(), operation: /^audit\//i.test(operation) ? 'audit/{contentId}' : operation.toLowerCase() };
  }
  if (/\/oauth2\//i.test(pathname)) return { tenant: (pathname.split('/')[1] ?? '').toLowerCase(), operation: 'token' };
  if (/^\/v1\.0\//i.test(pathname)) return { tenant: '', operation: 'graph' };
  return { tenant: '', operation: 'other' };
}

async function streamRecords(res: ServerResponse, records: Iterable<unknown>): Promise<void> {
  res.writeHead(200, { 'Content-Type': 'application/x-ndjson; charset=utf-8' });
  let chunk = '';
  for (const record of records) {
    chunk += `${JSON.stringify(record)}\n`;
    if (chunk.length >= 64 * 1024) {
      if (!res.write(chunk)) await once(res, 'drain');
      chunk = '';
    }
  }
  res.end(chunk);
}

