// Small local servers and a capturing logger for the source-stage tests.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { createCertificateAuthority, issueServerCertificate, type Pem } from '../../../src/emulator/pki.js';
import type { Logger } from '../../../src/util/logger.js';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  /** PEM of the CA that signed the server certificate (HTTPS servers only). */
  ca: string;
  close(): Promise<void>;
}

let authority: Promise<{ ca: Pem; leaf: Pem }> | undefined;

/** One CA and localhost certificate per test process: RSA key generation is not free. */
function testAuthority(): Promise<{ ca: Pem; leaf: Pem }> {
  authority ??= (async () => {
    const ca = await createCertificateAuthority('o365-elk source tests');
    const leaf = await issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] });
    return { ca, leaf };
  })();
  return authority;
}

export async function startHttpsServer(handler: Handler): Promise<TestServer> {
  const { ca, leaf } = await testAuthority();
  const server = createHttpsServer({ key: leaf.privateKeyPem, cert: leaf.certificatePem }, (req, res) => void run(handler, req, res));
  return listen(server, 'https', ca.certificatePem);
}

export async function startHttpServer(handler: Handler): Promise<TestServer> {
  const server = createHttpServer((req, res) => void run(handler, req, res));
  return listen(server, 'http', '');
}

async function run(handler: Handler, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    await handler(req, res);
  } catch (error) {
    if (!res.headersSent) res.writeHead(599);
    res.end(String(error));
  }
}

async function listen(server: Server, scheme: string, ca: string): Promise<TestServer> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    ca,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A logger that keeps every line it writes, for assertions on what reached the log. */
export function captureLogger(): { logger: Logger; lines: () => string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines: () => lines };
}
