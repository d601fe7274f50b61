// Blob retrieval: the records, contentId forms, missing/expired/invalid content, DLP detections,
// malformed contentUris and truncated bodies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { get } from 'node:http';
import {
  afCode,
  contentIdFor,
  HOUR,
  PUBLISHER,
  recordsOf,
  startBench,
  TENANT_A,
  token,
} from './activity-harness.js';

test('a blob is served as a JSON array of its records, its id with `$` or `%24`', async () => {
  const bench = await startBench();
  try {
    const blob = bench.catalog.blobs.find((b) => b.contentType === 'Audit.SharePoint' && b.index === 0);
    assert.ok(blob);
    const literal = await bench.call('GET', bench.feed(`audit/${blob.contentId}?PublisherIdentifier=${PUBLISHER}`));
    assert.equal(literal.status, 200);
    assert.equal(literal.headers['content-type'], 'application/json; charset=utf-8');
    assert.deepEqual(literal.json, recordsOf(blob, 2000));
    const encoded = await bench.call('GET', bench.feed(`audit/${blob.contentId.replaceAll('$', '%24')}`));
    assert.equal(encoded.status, 200);
    assert.equal(encoded.text, literal.text);
  } finally {
    await bench.close();
  }
});

test('unknown and not-yet-visible content answers AF20050 with the configured status', async () => {
  for (const missingBlobStatus of [404, 400]) {
    const bench = await startBench({ behaviour: { missingBlobStatus } });
    try {
      const unknown = await bench.call('GET', bench.feed(`audit/${contentIdFor('Audit.Exchange', 999)}`));
      assert.equal(unknown.status, missingBlobStatus);
      assert.equal(afCode(unknown), 'AF20050');
      const late = bench.catalog.blobs.find((b) => b.contentType === 'Audit.Exchange' && b.index === 10);
      const early = await bench.call('GET', bench.feed(`audit/${late?.contentId}`));
      assert.equal(afCode(early), 'AF20050');
      bench.clock.advance(HOUR);
      const visible = await bench.call('GET', bench.feed(`audit/${late?.contentId}`));
      assert.equal(visible.status, 200);
    } finally {
      await bench.close();
    }
  }
});

test('expired content and content lost by a fault answer AF20051', async () => {
  const bench = await startBench();
  try {
    for (const index of [1, 2]) {
      const blob = bench.catalog.blobs.find((b) => b.contentType === 'Audit.SharePoint' && b.index === index);
      const reply = await bench.call('GET', bench.feed(`audit/${blob?.contentId}`));
      assert.equal(reply.status, 404);
      assert.equal(afCode(reply), 'AF20051');
      assert.match(JSON.stringify(reply.json), /has already expired/);
    }
  } finally {
    await bench.close();
  }
});

test('a content id that is not one answers AF20052', async () => {
  const bench = await startBench();
  try {
    for (const id of ['has%20space', '%E0%A4%A', 'quote%22', 'x'.repeat(600)]) {
      const reply = await bench.call('GET', bench.feed(`audit/${id}`));
      assert.equal(reply.status, 400, id);
      assert.equal(afCode(reply), 'AF20052', id);
    }
  } finally {
    await bench.close();
  }
});

test('DLP records keep their detected values only for tokens with ActivityFeed.ReadDlp', async () => {
  const bench = await startBench();
  try {
    const blob = bench.catalog.blobs.find((b) => b.contentType === 'DLP.All');
    const path = bench.feed(`audit/${blob?.contentId}`);
    const withDlp = await bench.call('GET', path);
    assert.match(withDlp.text, /SensitiveInformationDetections/);
    assert.match(withDlp.text, /4111111111111111/);

    const withoutDlp = await bench.call('GET', path, { token: token({ tid: TENANT_A, roles: ['ActivityFeed.Read'] }) });
    assert.equal(withoutDlp.status, 200);
    assert.doesNotMatch(withoutDlp.text, /SensitiveInformationDetections|4111111111111111/);
    const records = withoutDlp.json as { SensitiveInfoDetectionIsIncluded: boolean; PolicyDetails: unknown[] }[];
    assert.equal(records.length, 2);
    assert.ok(records.every((r) => r.SensitiveInfoDetectionIsIncluded === false && r.PolicyDetails.length === 1));
  } finally {
    await bench.close();
  }
});

test('malformed contentUris: `%24` still works, trailing space trims, `/api/v1/` must be rebuilt from contentId', async () => {
  const bench = await startBench({ faults: { malformedUriRate: 1 } });
  try {
    const listing = await bench.call('GET', bench.feed('subscriptions/content?contentType=Audit.Exchange'));
    const entries = listing.json as { contentId: string; contentUri: string }[];
    const kinds = new Set<string>();
    for (const entry of entries) {
      const canonical = `${bench.origin}/api/v1.0/${TENANT_A}/activity/feed/audit/${entry.contentId}`;
      assert.notEqual(entry.contentUri, canonical);
      if (entry.contentUri.includes('%24')) {
        kinds.add('encoded');
        assert.equal((await bench.call('GET', entry.contentUri)).status, 200);
      } else if (entry.contentUri.endsWith(' ')) {
        kinds.add('whitespace');
        assert.equal((await bench.call('GET', entry.contentUri.trim())).status, 200);
      } else {
        kinds.add('old root');
        assert.ok(entry.contentUri.includes('/api/v1/'));
        assert.equal((await bench.call('GET', entry.contentUri)).status, 404);
        assert.equal((await bench.call('GET', canonical)).status, 200);
      }
    }
    assert.deepEqual([...kinds].sort(), ['encoded', 'old root', 'whitespace']);
  } finally {
    await bench.close();
  }
});

test('a truncated body stops mid-record and the connection drops', async () => {
  const bench = await startBench({ faults: { truncateRate: 1 } });
  try {
    const blob = bench.catalog.blobs.find((b) => b.contentType === 'Audit.SharePoint' && b.index === 0);
    const received = await new Promise<{ status: number; body: string; complete: boolean }>((resolve, reject) => {
      const req = get(`${bench.origin}${bench.feed(`audit/${blob?.contentId}`)}`, {
        headers: { authorization: token({ tid: TENANT_A, roles: ['ActivityFeed.Read'] }) },
      });
      req.on('error', reject);
      req.on('response', (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('error', () => undefined);
        res.on('close', () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
      });
    });
    assert.equal(received.status, 200);
    assert.equal(received.complete, false);
    assert.ok(received.body.startsWith('['));
    assert.throws(() => JSON.parse(received.body));
    await assert.rejects(bench.call('GET', bench.feed(`audit/${blob?.contentId}`)));
  } finally {
    await bench.close();
  }
});
