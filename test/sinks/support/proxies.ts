// Loopback stand-ins between the sink and the real engine: a TCP proxy that can cut the line, and an
// HTTP proxy that records each request's headers (or answers in the engine's place) and forwards it.
import { once } from 'node:events';
import { createServer as createHttpServer, type IncomingHttpHeaders } from 'node:http';
import { createServer as createTcpServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { request } from 'undici';

export interface TcpProxy {
  url: string;
  /**
   * Arms a cut: the next answer coming back from the engine is dropped, every connection is destroyed
   * and the proxy stops listening, so the request has reached the engine but its sender never hears.
   * Resolves once that has happened.
   */
  cutOnNextAnswer(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/** With `tls`, the proxy terminates TLS (an engine behind HTTPS) and its URL is https. */
export async function startTcpProxy(target: string, tls?: TlsOptions): Promise<TcpProxy> {
  const { hostname, port: targetPort } = new URL(target);
  const sockets = new Set<Socket>();
  let onAnswer: (() => void) | undefined;

  const handle = (client: Socket) => {
    const upstream = connect(Number(targetPort), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
    }
    client.on('data', (chunk) => upstream.write(chunk));
    upstream.on('data', (chunk) => {
      if (onAnswer) onAnswer();
      else client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };

  const createServer = () => (tls ? createTlsServer(tls, handle) : createTcpServer(handle));
  let server: Server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;

  const stop = async () => {
    const closed = new Promise((resolve) => server.close(resolve));
    for (const socket of sockets) socket.destroy();
    await closed;
  };

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    cutOnNextAnswer() {
      return new Promise((resolve) => {
        onAnswer = () => {
          onAnswer = undefined;
          void stop().then(resolve);
        };
      });
    },
    async restore() {
      server = createServer();
      server.listen(port, '127.0.0.1');
      await once(server, 'listening');
    },
    close: stop,
  };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The body as it arrived (still gzipped if it was sent so). */
  body: Buffer;
}

export interface RecordingProxy {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ProxyBehaviour {
  /** Answers in the engine's place when it returns a status; the request is forwarded otherwise. */
  standIn?: (request: RecordedRequest) => { status: number; body: unknown } | undefined;
  /** Changes the engine's JSON answer before it is passed on. */
  alterAnswer?: (request: RecordedRequest, body: unknown) => unknown;
}

export async function startRecordingProxy(target: string, behaviour: ProxyBehaviour = {}): Promise<RecordingProxy> {
  const requests: RecordedRequest[] = [];
  const server = createHttpServer(async (incoming, outgoing) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const recorded = { method: incoming.method ?? 'GET', path: incoming.url ?? '/', headers: incoming.headers, body: Buffer.concat(chunks) };
    requests.push(recorded);
    const answer = behaviour.standIn?.(recorded);
    if (answer !== undefined) {
      outgoing.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body));
      return;
    }
    const forwarded: Record<string, string> = {};
    for (const name of ['content-type', 'content-encoding', 'accept', 'authorization']) {
      const value = incoming.headers[name];
      if (typeof value === 'string') forwarded[name] = value;
    }
    const response = await request(`${target}${recorded.path}`, {
      method: recorded.method as 'GET',
      headers: forwarded,
      body: recorded.body.length === 0 ? undefined : recorded.body,
    });
    let body = Buffer.from(await response.body.arrayBuffer());
    if (behaviour.alterAnswer) body = Buffer.from(JSON.stringify(behaviour.alterAnswer(recorded, JSON.parse(body.toString('utf8')))));
    outgoing.writeHead(response.statusCode, { 'content-type': String(response.headers['content-type'] ?? 'application/json') }).end(body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
