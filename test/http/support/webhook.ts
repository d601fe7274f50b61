// A local alert receiver: keeps every JSON body POSTed to it.
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedAlert {
  kind: string;
  message: string;
  tenantId?: string;
  contentType?: string;
  details?: Record<string, unknown>;
}

export interface WebhookReceiver {
  url: string;
  alerts: ReceivedAlert[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const alerts: ReceivedAlert[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (text: string) => (body += text));
    req.on('end', () => {
      alerts.push(JSON.parse(body) as ReceivedAlert);
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/alerts`, alerts, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
