import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, test } from 'node:test';
import { ExpiredContentError, ForbiddenContentTypeError, ManagementApiError, MissingContentError } from '../../src/source/errors.js';
import { afError, auditRecords, blobFor, collect, contentId, createTestClient, queryOf, TENANT } from './support/fake-api.js';
import { sendJson, startHttpServer } from './support/servers.js';

type BlobHandler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

async function startBlobServer(handler: BlobHandler) {
  const requests: IncomingMessage[] = [];
  const server = await startHttpServer((req, res) => {
    requests.push(req);
    handler(req, res, requests.length);
  });
  return { server, requests };
}

/** Sends the first `cutAt` bytes of `body` under a Content-Length for all of it, then drops the connection. */
function sendCutOff(res: ServerResponse, body: string, cutAt: number): void {
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.write(body.slice(0, cutAt), () => res.socket?.destroy());
}

describe('fetchBlob', () => {
  test('streams the records in bounded chunks, with PublisherIdentifier on the request', async () => {
    const records = auditRecords(1234);
    const { server, requests } = await startBlobServer((_req, res) => sendJson(res, 200, records));
    const { client } = createTestClient(server.url, {}, { chunkLimits: { maxRecords: 100, maxBytes: 1024 * 1024 } });
    try {
      const chunks: number[] = [];
      const seen: unknown[] = [];
      for await (const chunk of client.fetchBlob(blobFor(server.url, contentId(1)))) {
        chunks.push(chunk.length);
        seen.push(...chunk.map((record) => record.Id));
      }
      assert.deepEqual(seen, records.map((record) => record.Id));
      assert.ok(chunks.every((size) => size <= 100));
      assert.ok(chunks.length >= 13);
      assert.deepEqual(queryOf(requests[0] as IncomingMessage).get('publisheridentifier'), [TENANT]);
      assert.equal(requests[0]?.url?.split('?')[0], `/api/v1.0/${TENANT}/activity/feed/audit/${contentId(1)}`);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a body cut off mid-array is fetched again and every record reaches the consumer exactly once', async () => {
    const records = auditRecords(1000);
    const body = JSON.stringify(records);
    // The first two transfers break at different places, both after several chunks went out.
    const { server, requests } = await startBlobServer((_req, res, attempt) => {
      if (attempt === 1) sendCutOff(res, body, Math.floor(body.length * 0.45));
      else if (attempt === 2) sendCutOff(res, body, Math.floor(body.length * 0.8));
      else sendJson(res, 200, records);
    });
    const { client, logLines } = createTestClient(server.url, {}, { chunkLimits: { maxRecords: 50, maxBytes: 4096 } });
    try {
      const ids = (await collect(client.fetchBlob(blobFor(server.url, contentId(2))))).map((record) => record.Id);
      assert.equal(requests.length, 3);
      assert.deepEqual(ids, records.map((record) => record.Id));
      assert.equal(logLines().filter((line) => line.includes('broke off')).length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a body that closes cleanly but leaves the array unfinished counts as cut off too', async () => {
    const records = auditRecords(30);
    const body = JSON.stringify(records);
    const { server, requests } = await startBlobServer((_req, res, attempt) => {
      if (attempt === 1) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(body.slice(0, body.length - 40));
      } else {
        sendJson(res, 200, records);
      }
    });
    const { client } = createTestClient(server.url, {}, { chunkLimits: { maxRecords: 7, maxBytes: 1 } });
    try {
      const ids = (await collect(client.fetchBlob(blobFor(server.url, contentId(3))))).map((record) => record.Id);
      assert.deepEqual(ids, records.map((record) => record.Id));
      assert.equal(requests.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a blob past its contentExpiration is reported without a request', async () => {
    const { server, requests } = await startBlobServer((_req, res) => sendJson(res, 200, []));
    const { client } = createTestClient(server.url);
    try {
      const blob = blobFor(server.url, contentId(4), 'Audit.SharePoint', { contentExpiration: Date.now() - 1000 });
      await assert.rejects(collect(client.fetchBlob(blob)), (error: unknown) => {
        assert.ok(error instanceof ExpiredContentError);
        assert.equal(error.kind, 'expired');
        assert.equal(error.contentId, blob.contentId);
        assert.match(error.message, /expired at .* cannot be retrieved/);
        return true;
      });
      assert.equal(requests.length, 0);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('AF20051 is an ExpiredContentError and AF20050 a MissingContentError, neither retried', async () => {
    const { server, requests } = await startBlobServer((req, res) => {
      if (req.url?.includes('expired')) {
        sendJson(res, 404, afError('AF20051', 'Content requested with the key expired has already expired. Content older than 7 days cannot be retrieved.'));
      } else {
        sendJson(res, 404, afError('AF20050', 'The specified content (gone) does not exist.'));
      }
    });
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(collect(client.fetchBlob(blobFor(server.url, 'expired$blob'))), ExpiredContentError);
      await assert.rejects(collect(client.fetchBlob(blobFor(server.url, 'gone$blob'))), (error: unknown) => {
        assert.ok(error instanceof MissingContentError);
        assert.equal(error.code, 'AF20050');
        return true;
      });
      assert.equal(requests.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('403 on a DLP blob is a ForbiddenContentTypeError for DLP.All', async () => {
    const { server } = await startBlobServer((_req, res) =>
      sendJson(res, 403, afError('AF10001', 'The permission set () sent in the request does not include the expected permission.')),
    );
    const { client } = createTestClient(server.url);
    try {
      await assert.rejects(collect(client.fetchBlob(blobFor(server.url, contentId(5, 'DLP.All'), 'DLP.All'))), (error: unknown) => {
        assert.ok(error instanceof ForbiddenContentTypeError);
        assert.equal(error.contentType, 'DLP.All');
        return true;
      });
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('repairs malformed contentUris from the contentId, warning once', async () => {
    const id = contentId(6);
    const { server, requests } = await startBlobServer((_req, res) => sendJson(res, 200, auditRecords(2)));
    const canonicalPath = `/api/v1.0/${TENANT}/activity/feed/audit/${id}`;
    const malformed = [
      `${server.url}${canonicalPath.replaceAll('$', '%24')}`,
      `${server.url}${canonicalPath} `,
      `${server.url}/api/v1/${TENANT}/activity/feed/audit/${id}`,
      `https://manage.office.com${canonicalPath}`,
      '',
    ];
    const { client, logLines } = createTestClient(server.url);
    try {
      for (const contentUri of malformed) {
        assert.equal((await collect(client.fetchBlob(blobFor(server.url, id, 'Audit.Exchange', { contentUri })))).length, 2);
      }
      assert.deepEqual(
        requests.map((req) => req.url?.split('?')[0]),
        malformed.map(() => canonicalPath),
      );
      assert.ok(requests.every((req) => req.headers.host === new URL(server.url).host));
      assert.equal(logLines().filter((line) => line.includes('rebuilding it from api_url')).length, 1);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('a body that is not a JSON array is retried, then reported as transient', async () => {
    const { server, requests } = await startBlobServer((_req, res) => sendJson(res, 200, { value: [] }));
    const { client } = createTestClient(server.url, { retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 } });
    try {
      await assert.rejects(collect(client.fetchBlob(blobFor(server.url, contentId(7)))), (error: unknown) => {
        assert.ok(error instanceof ManagementApiError);
        assert.equal(error.kind, 'transient');
        assert.match(error.message, /not a JSON array/);
        return true;
      });
      assert.equal(requests.length, 2);
    } finally {
      await client.close();
      await server.close();
    }
  });

  test('stopping early closes the transfer instead of leaving it open', { timeout: 20_000 }, async () => {
    let closed!: () => void;
    const transferClosed = new Promise<void>((resolve) => (closed = resolve));
    const { server } = await startBlobServer((_req, res) => {
      // Half an array, then nothing: only the client hanging up ends this response.
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(JSON.stringify(auditRecords(100)).slice(0, -1));
      res.on('close', closed);
    });
    const { client } = createTestClient(server.url, {}, { chunkLimits: { maxRecords: 10, maxBytes: 1024 } });
    try {
      for await (const chunk of client.fetchBlob(blobFor(server.url, contentId(8)))) {
        assert.equal(chunk.length, 10);
        break;
      }
      await transferClosed;
    } finally {
      await client.close();
      await server.close();
    }
  });
});
