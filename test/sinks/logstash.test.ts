// The Logstash output against real TCP listeners that decode json_lines as Logstash's tcp input does:
// every document arrives, spread over the hosts, across a listener restart, and over mutual TLS.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createServer as createTlsServer, type TlsOptions } from 'node:tls';
import { describe, it } from 'node:test';
import { createCertificateAuthority, createSelfSignedCertificate, issueServerCertificate } from '../../src/emulator/pki.js';
import { createLogstashSink, type LogstashSinkConfig } from '../../src/sinks/logstash/index.js';
import { auditDocuments } from './support/documents.js';
import { captureLog } from './support/engine.js';

const FAST_RETRIES = { backoff: { baseDelayMs: 100, maxDelayMs: 500 } };
const NO_TLS = { enabled: false, certificate_authorities: [], verification_mode: 'full' as const };

/** A json_lines listener: every line it receives, parsed. Can be stopped and started on the same port. */
interface Listener {
  port: number;
  received: Record<string, unknown>[];
  /** Resolves once `count` documents have arrived in all. */
  waitFor(count: number): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

async function startListener(tls?: TlsOptions): Promise<Listener> {
  const received: Record<string, unknown>[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const sockets = new Set<Socket>();
  let port = 0;
  let server: Server;

  const onConnection = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    createInterface({ input: socket }).on('line', (line) => {
      received.push(JSON.parse(line));
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve();
    });
  };
  const start = async () => {
    server = tls ? createTlsServer(tls, onConnection) : createTcpServer(onConnection);
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  };
  await start();
  return {
    get port() {
      return port;
    },
    received,
    waitFor: (count) => (received.length >= count ? Promise.resolve() : new Promise((resolve) => waiters.push({ count, resolve }))),
    async stop() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
    start,
  };
}

function logstashConfig(hosts: string[], ssl: LogstashSinkConfig['ssl'] = NO_TLS): LogstashSinkConfig {
  return { hosts, ssl };
}

const ids = (documents: Record<string, unknown>[]) => documents.map((d) => (d['@metadata'] as { _id: string })._id);

describe('logstash output', () => {
  it('delivers every document as one JSON line with its id in @metadata, over every host', { timeout: 30_000 }, async () => {
    const first = await startListener();
    const second = await startListener();
    const { logger } = captureLog();
    const sink = createLogstashSink(logstashConfig([`127.0.0.1:${first.port}`, `localhost:${second.port}`]), { logger });
    try {
      await sink.open();
      const documents = auditDocuments('ls', 40);
      for (let i = 0; i < 40; i += 10) assert.deepEqual(await sink.write(documents.slice(i, i + 10)), { acknowledged: 10, duplicates: 0, rejected: [] });
      await Promise.all([first.waitFor(20), second.waitFor(20)]);
      const all = [...first.received, ...second.received];
      assert.deepEqual(ids(all).sort(), documents.map((d) => d.id).sort());
      const one = all.find((d) => ids([d])[0] === documents[0]?.id);
      assert.deepEqual({ ...one, '@metadata': undefined }, { ...documents[0]?.source, '@metadata': undefined });
    } finally {
      await sink.close();
      await first.stop();
      await second.stop();
    }
  });

  it('reconnects after the listener restarts and then delivers what was written meanwhile', { timeout: 30_000 }, async () => {
    const listener = await startListener();
    const { logger, waitForMessage } = captureLog();
    const sink = createLogstashSink(logstashConfig([`127.0.0.1:${listener.port}`]), { logger, ...FAST_RETRIES });
    try {
      await sink.open();
      const documents = auditDocuments('restart', 30);
      await sink.write(documents.slice(0, 10));
      await listener.waitFor(10);

      await listener.stop();
      let settled = false;
      const writing = sink.write(documents.slice(10)).finally(() => {
        settled = true;
      });
      await waitForMessage('sending to Logstash failed; the documents will be sent again');
      assert.equal(settled, false, 'the write settled while nothing listened');
      await listener.start();

      assert.equal((await writing).acknowledged, 20);
      await listener.waitFor(30);
      assert.deepEqual([...new Set(ids(listener.received))].sort(), documents.map((d) => d.id).sort());
    } finally {
      await sink.close();
      await listener.stop();
    }
  });

  it('speaks TLS with a client certificate when ssl is enabled', { timeout: 30_000 }, async () => {
    const directory = mkdtempSync(join(tmpdir(), 'o365-elk-logstash-tls-'));
    const ca = await createCertificateAuthority('logstash test CA');
    const server = await issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] });
    const client = await createSelfSignedCertificate('o365-elk test client');
    const file = (name: string, content: string) => {
      writeFileSync(join(directory, name), content);
      return join(directory, name);
    };
    const listener = await startListener({ cert: server.certificatePem, key: server.privateKeyPem, ca: [client.certificatePem], requestCert: true, rejectUnauthorized: true });
    const { logger } = captureLog();
    const ssl = {
      enabled: true,
      certificate_authorities: [file('ca.pem', ca.certificatePem)],
      verification_mode: 'full' as const,
      certificate: file('client.pem', client.certificatePem),
      key: file('client-key.pem', client.privateKeyPem),
    };
    const sink = createLogstashSink(logstashConfig([`localhost:${listener.port}`], ssl), { logger });
    try {
      await sink.open();
      const documents = auditDocuments('tls', 5);
      await sink.write(documents);
      await listener.waitFor(5);
      assert.deepEqual(ids(listener.received), documents.map((d) => d.id));
    } finally {
      await sink.close();
      await listener.stop();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('names the hosts and the fix in one line when nothing listens at open()', async () => {
    const { logger } = captureLog();
    const sink = createLogstashSink(logstashConfig(['127.0.0.1:9']), { logger });
    await assert.rejects(sink.open(), {
      message: 'cannot connect to Logstash at 127.0.0.1:9 (ECONNREFUSED) — check output.logstash.hosts and that a tcp input with codec json_lines listens there',
    });
  });
});
