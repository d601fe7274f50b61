// Routes under /_emulator/ for tests and demos: the ground truth of what was published, and the
// virtual clock. They are not part of Microsoft's surface.
import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { groundTruth } from './catalog/index.js';
import { sendJson } from './respond.js';
import type { Catalog, Clock, RouteHandler } from './types.js';

export function createControlRoutes(options: { catalog: Catalog; clock: Clock }): RouteHandler {
  const { catalog, clock } = options;
  return async (req, res, url) => {
    if (!url.pathname.startsWith('/_emulator/')) return false;
    const route = `${req.method} ${url.pathname}`;
    switch (route) {
      case 'GET /_emulator/records': {
        const lost = url.searchParams.get('lost') === '1';
        await streamRecords(res, groundTruth(catalog, clock.now(), lost ? 'lost' : 'obtainable'));
        return true;
      }
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

