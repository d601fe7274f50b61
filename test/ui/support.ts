// A real HTTP server carrying the UI routes, with `/api/status` answered from the same callback, as the
// daemon's server does, so tests reach the page exactly as a browser would.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createUiRoutes } from '../../src/http/ui/index.js';
import type { RecentSignIns } from '../../src/runtime/recent-sign-ins.js';

export interface UiServer {
  url: string;
  close(): Promise<void>;
}

export async function startUiServer(signIns: RecentSignIns, status: () => unknown): Promise<UiServer> {
  const routes = createUiRoutes({ signIns, status });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    routes(req, res, url)
      .then((handled) => {
        if (handled) return;
        const body = url.pathname === '/api/status' ? JSON.stringify(status()) : JSON.stringify({ error: `no route ${url.pathname}` });
        res.writeHead(url.pathname === '/api/status' ? 200 : 404, { 'content-type': 'application/json' });
        res.end(body);
      })
      .catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(String(error));
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
