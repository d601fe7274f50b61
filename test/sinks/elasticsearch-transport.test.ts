// How the Elasticsearch output talks to the engine: credentials, compression, several hosts, clear
// failures at open(), and surviving an outage with every document stored exactly once. Requests pass
// through loopback proxies on their way to the real engine.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createCertificateAuthority, createSelfSignedCertificate, issueServerCertificate } from '../../src/emulator/pki.js';
import { createElasticsearchSink, parseIndexTarget } from '../../src/sinks/elasticsearch/index.js';
import type { OutputDocument } from '../../src/sinks/types.js';
import { auditDocuments } from './support/documents.js';
import { captureLog, elasticsearchConfig, removeTarget, storedDocuments, testEngineUrl, uniqueName } from './support/engine.js';
import { startRecordingProxy, startTcpProxy, type RecordingProxy } from './support/proxies.js';

const NO_DEAD_LETTERS = { defaultDeadLetterPath: '/nonexistent/dead-letter.ndjson' };
const FAST_RETRIES = { backoff: { baseDelayMs: 100, maxDelayMs: 500 } };

describe('elasticsearch output transport', () => {
  let engine: string;
  const indices: string[] = [];
  const newIndex = () => {
    const index = uniqueName('logs-o365.audit-t');
    indices.push(index);
    return index;
  };

  before(() => {
    engine = testEngineUrl();
  });
  after(async () => {
    for (const index of indices) await removeTarget(engine, { index, templateName: parseIndexTarget(index).templateName, dataStream: true });
  });

  async function writeThrough(proxy: RecordingProxy, settings: Parameters<typeof elasticsearchConfig>[2]): Promise<OutputDocument[]> {
    const index = newIndex();
    const { logger } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([proxy.url], index, settings), { logger, ...NO_DEAD_LETTERS });
    await sink.open();
    try {
      const documents = auditDocuments(uniqueName('auth-'), 3);
      assert.equal((await sink.write(documents)).acknowledged, 3);
      return documents;
    } finally {
      await sink.close();
    }
  }

  for (const { name, settings, header } of [
    { name: 'basic auth', settings: { username: 'o365-writer', password: 'pa:ss wörd' }, header: `Basic ${Buffer.from('o365-writer:pa:ss wörd').toString('base64')}` },
    { name: 'an API key given as id:key', settings: { api_key: 'VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw' }, header: `ApiKey ${Buffer.from('VuaCfGcBCdbkQm-e5aOx:ui2lp2axTNmsyakw9tvNnw').toString('base64')}` },
    { name: 'an API key given encoded', settings: { api_key: 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' }, header: 'ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==' },
    { name: 'a bearer token', settings: { bearer_token: 'eyJhbGciOi.token' }, header: 'Bearer eyJhbGciOi.token' },
  ]) {
    it(`sends ${name} on every request`, async () => {
      const proxy = await startRecordingProxy(engine);
      try {
        await writeThrough(proxy, settings);
        assert.ok(proxy.requests.some((r) => r.path.startsWith('/_bulk')), 'no bulk request went through the proxy');
        for (const request of proxy.requests) assert.equal(request.headers.authorization, header, `${request.method} ${request.path}`);
      } finally {
        await proxy.close();
      }
    });
  }

  it('sends create actions keyed by the record Id as NDJSON, gzipped when compression_level is set', async () => {
    const proxy = await startRecordingProxy(engine);
    try {
      const documents = await writeThrough(proxy, { compression_level: 6 });
      const bulk = proxy.requests.find((r) => r.path.startsWith('/_bulk'));
      assert.equal(bulk?.headers['content-type'], 'application/x-ndjson');
      assert.equal(bulk?.headers['content-encoding'], 'gzip');
      const lines = gunzipSync(bulk.body).toString('utf8').trimEnd().split('\n').map((line) => JSON.parse(line));
      const actions = lines.filter((_, i) => i % 2 === 0);
      assert.deepEqual(actions.map((action) => action.create?._id), documents.map((d) => d.id));
      for (const request of proxy.requests) assert.doesNotMatch(String(request.headers.accept), /compatible-with/);
      assert.equal(proxy.requests.find((r) => r.method === 'PUT')?.headers['content-type'], 'application/json');
    } finally {
      await proxy.close();
    }
  });

  it('spreads requests over several hosts and fails over from one that is down', async () => {
    const first = await startRecordingProxy(engine);
    const second = await startRecordingProxy(engine);
    const index = newIndex();
    const { logger } = captureLog();
    const hosts = ['http://127.0.0.1:9', first.url, second.url];
    const sink = createElasticsearchSink(elasticsearchConfig(hosts, index, { bulk_max_size: 5, worker: 1 }), { logger, ...NO_DEAD_LETTERS, ...FAST_RETRIES });
    try {
      await sink.open();
      const documents = auditDocuments(uniqueName('rr-'), 30);
      assert.equal((await sink.write(documents)).acknowledged, 30);
      const bulks = (proxy: RecordingProxy) => proxy.requests.filter((r) => r.path.startsWith('/_bulk')).length;
      assert.ok(bulks(first) > 0 && bulks(second) > 0, `bulk requests: ${bulks(first)} and ${bulks(second)}`);
      assert.equal((await storedDocuments(engine, index)).size, 30);
    } finally {
      await sink.close();
      await first.close();
      await second.close();
    }
  });

  it('cuts bulk requests at bulk_max_size documents and at bulk_max_bytes', async () => {
    const proxy = await startRecordingProxy(engine);
    const bulkSizes = () =>
      proxy.requests.filter((r) => r.path.startsWith('/_bulk')).map((r) => r.body.toString('utf8').trimEnd().split('\n').length / 2);
    try {
      await writeThrough(proxy, { bulk_max_size: 2, worker: 1 });
      assert.deepEqual(bulkSizes(), [2, 1]);
      proxy.requests.length = 0;
      await writeThrough(proxy, { bulk_max_size: 50, bulk_max_bytes: 1, worker: 1 });
      assert.deepEqual(bulkSizes(), [1, 1, 1]);
    } finally {
      await proxy.close();
    }
  });

  it('sends again only the documents answered 429 or 5xx, and counts what the engine already had', async () => {
    let bulks = 0;
    const proxy = await startRecordingProxy(engine, {
      alterAnswer(request, body) {
        if (!request.path.startsWith('/_bulk') || ++bulks > 1) return body;
        const items = (body as { items: { create: Record<string, unknown> }[] }).items;
        items[0] = { create: { status: 429, error: { type: 'rejected_execution_exception', reason: 'rejected execution of coordinating operation' } } };
        items[3] = { create: { status: 503, error: { type: 'unavailable_shards_exception', reason: 'primary shard is not active' } } };
        return body;
      },
    });
    const index = newIndex();
    const { logger } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([proxy.url], index), { logger, ...NO_DEAD_LETTERS, ...FAST_RETRIES });
    try {
      await sink.open();
      const documents = auditDocuments(uniqueName('partial-'), 5);
      assert.deepEqual(await sink.write(documents), { acknowledged: 3, duplicates: 2, rejected: [] });
      const resent = proxy.requests.filter((r) => r.path.startsWith('/_bulk'))[1];
      const actions = resent?.body.toString('utf8').trimEnd().split('\n').filter((_, i) => i % 2 === 0).map((line) => JSON.parse(line).create._id);
      assert.deepEqual(actions, [documents[0]?.id, documents[3]?.id]);
      assert.equal((await storedDocuments(engine, index)).size, 5);
    } finally {
      await sink.close();
      await proxy.close();
    }
  });

  it('trusts a private CA and presents a client certificate over TLS, and says how to fix an untrusted engine', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'o365-elk-es-tls-'));
    const ca = await createCertificateAuthority('engine test CA');
    const server = await issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] });
    const client = await createSelfSignedCertificate('o365-elk test client');
    const file = (name: string, content: string) => {
      writeFileSync(join(directory, name), content);
      return join(directory, name);
    };
    const clientCertificate = { certificate: file('client.pem', client.certificatePem), key: file('client-key.pem', client.privateKeyPem) };
    const proxy = await startTcpProxy(engine, { cert: server.certificatePem, key: server.privateKeyPem, ca: [client.certificatePem], requestCert: true, rejectUnauthorized: true });
    const { logger } = captureLog();
    try {
      const trusted = { certificate_authorities: [file('ca.pem', ca.certificatePem)], verification_mode: 'full' as const, ...clientCertificate };
      const sink = createElasticsearchSink(elasticsearchConfig([proxy.url], newIndex(), { ssl: trusted }), { logger, ...NO_DEAD_LETTERS });
      await sink.open();
      try {
        assert.equal((await sink.write(auditDocuments(uniqueName('tls-'), 2))).acknowledged, 2);
      } finally {
        await sink.close();
      }

      const untrusted = createElasticsearchSink(
        elasticsearchConfig([proxy.url], newIndex(), { ssl: { certificate_authorities: [], verification_mode: 'full', ...clientCertificate } }),
        { logger, ...NO_DEAD_LETTERS },
      );
      await assert.rejects(untrusted.open(), (error: Error) => {
        assert.match(error.message, /^TLS with https:\/\/127\.0\.0\.1:\d+ failed \([A-Z_]+\) — trust the engine's CA with output\.elasticsearch\.ssl\.certificate_authorities/);
        return true;
      });
    } finally {
      await proxy.close();
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('stores every document exactly once across an outage that cut a request after the engine had it', { timeout: 120_000 }, async () => {
    const proxy = await startTcpProxy(engine);
    const index = newIndex();
    const { logger, lines } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([proxy.url], index, { bulk_max_size: 20, worker: 2 }), { logger, ...NO_DEAD_LETTERS, ...FAST_RETRIES });
    try {
      await sink.open();
      const documents = auditDocuments(uniqueName('outage-'), 100);
      const cut = proxy.cutOnNextAnswer();
      let settled = false;
      const writing = sink.write(documents).finally(() => {
        settled = true;
      });
      await cut;
      // The line stays down for a few seconds while the sink retries into a closed port.
      await sleep(3000);
      assert.equal(settled, false, 'the write settled while the engine was unreachable');
      await proxy.restore();

      const result = await writing;
      assert.deepEqual(result.rejected, []);
      assert.equal(result.acknowledged + result.duplicates, 100);
      assert.ok(result.duplicates > 0, 'no request had reached the engine before the cut');
      const stored = await storedDocuments(engine, index);
      assert.deepEqual([...stored.keys()].sort(), documents.map((d) => d.id).sort());
      assert.ok(lines.some((line) => line.msg === 'bulk request failed; it will be sent again'), 'the outage was not logged');
    } finally {
      await sink.close();
      await proxy.close();
    }
  });

  it('gives up the documents still waiting for the engine when it closes, rather than hold up shutdown', async () => {
    const proxy = await startTcpProxy(engine);
    const { logger, waitForMessage } = captureLog();
    const sink = createElasticsearchSink(elasticsearchConfig([proxy.url], newIndex()), { logger, ...NO_DEAD_LETTERS, backoff: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    await sink.open();
    await proxy.close();
    const writing = sink.write(auditDocuments(uniqueName('closing-'), 4));
    const refused = assert.rejects(writing, { name: 'OutputClosedError', message: 'the elasticsearch output closed before 4 documents were acknowledged' });
    await waitForMessage('bulk request failed; it will be sent again');
    await sink.close();
    await refused;
    await assert.rejects(sink.write(auditDocuments(uniqueName('closed-'), 1)), { message: 'the elasticsearch output is closed' });
  });

  it('names the host and the fix in one line when open() cannot connect or is refused', async () => {
    const { logger } = captureLog();
    const unreachable = createElasticsearchSink(elasticsearchConfig(['http://127.0.0.1:9'], 'logs-o365.audit-default'), { logger, ...NO_DEAD_LETTERS });
    await assert.rejects(unreachable.open(), {
      message: 'cannot reach the search engine at http://127.0.0.1:9 (ECONNREFUSED) — check output.elasticsearch.hosts and that the engine is running',
    });

    const refusing = await startRecordingProxy(engine, {
      standIn: () => ({ status: 401, body: { error: { type: 'security_exception', reason: 'unable to authenticate user' } } }),
    });
    try {
      const sink = createElasticsearchSink(elasticsearchConfig([refusing.url], 'logs-o365.audit-default', { username: 'elastic', password: 'hunter2-secret' }), { logger, ...NO_DEAD_LETTERS });
      await assert.rejects(sink.open(), (error: Error) => {
        assert.equal(error.message, `${refusing.url} refused the credentials (401) — check output.elasticsearch.username and password, api_key or bearer_token`);
        return true;
      });
    } finally {
      await refusing.close();
    }
  });
});
