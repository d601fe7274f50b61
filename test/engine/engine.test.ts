// What the connector relies on from the real test engine (scripts/test-engine.mjs), checked over HTTP,
// on whichever of the two flavours answers. The engine must already run: the test runner starts it and
// sets O365_ELK_TEST_ENGINE_URL.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { engineFlavour, testEngineUrl } from '../support/engine.js';

const engineUrl = testEngineUrl();
const flavour = await engineFlavour(engineUrl);
/** Where the flavours differ in what the connector relies on. */
const EXPECTED = {
  opensearch: { distribution: 'opensearch', buildFlavor: undefined, version: /^2\.19\.\d+$/, treeType: 'flat_object', parsingError: 'mapper_parsing_exception' },
  elasticsearch: { distribution: undefined, buildFlavor: 'default', version: /^9\.5\.\d+$/, treeType: 'flattened', parsingError: 'document_parsing_exception' },
}[flavour];
const suffix = randomBytes(4).toString('hex');
const dedupIndex = `o365-elk-engine-test-dedup-${suffix}`;
const typedIndex = `o365-elk-engine-test-typed-${suffix}`;
const conflictIndex = `o365-elk-engine-test-conflict-${suffix}`;
const dataStream = 'logs-o365.audit-default';
const templateName = `o365-elk-engine-test-${suffix}`;

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

interface BulkItemResult {
  status: number;
  _index: string;
  error?: { type: string; reason: string };
}

async function call(method: string, path: string, body?: unknown): Promise<Reply> {
  const response = await fetch(`${engineUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Sends `create` actions with explicit ids; returns one result per document, in order. */
async function bulkCreate(index: string, docs: Array<{ id: string; source: object }>): Promise<BulkItemResult[]> {
  const ndjson = docs
    .map(({ id, source }) => `${JSON.stringify({ create: { _index: index, _id: id } })}\n${JSON.stringify(source)}\n`)
    .join('');
  const response = await fetch(`${engineUrl}/_bulk?refresh=true`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body: ndjson,
  });
  assert.equal(response.status, 200, 'a _bulk request answers 200 even when items fail');
  const reply = (await response.json()) as { items: Array<{ create: BulkItemResult }> };
  return reply.items.map((item) => item.create);
}

async function countDocuments(index: string): Promise<number> {
  const reply = await call('GET', `/${index}/_count`);
  assert.equal(reply.status, 200);
  return reply.body.count as number;
}

describe('test engine', () => {
  after(async () => {
    await call('DELETE', `/_data_stream/${dataStream}`);
    // Without the template's effect (a failing run), the same name is a plain index.
    await call('DELETE', `/${dataStream}?ignore_unavailable=true`);
    await call('DELETE', `/_index_template/${templateName}`);
    await call('DELETE', `/${dedupIndex},${typedIndex},${conflictIndex}?ignore_unavailable=true`);
  });

  test(`GET / identifies ${flavour === 'opensearch' ? 'OpenSearch 2.19' : 'Elasticsearch 9.5 with its default (not OSS) features'}`, async () => {
    const reply = await call('GET', '/');
    assert.equal(reply.status, 200);
    const version = reply.body.version as { distribution?: string; build_flavor?: string; number: string };
    assert.equal(version.distribution, EXPECTED.distribution);
    if (EXPECTED.buildFlavor !== undefined) assert.equal(version.build_flavor, EXPECTED.buildFlavor);
    assert.match(version.number, EXPECTED.version);
  });

  test('_bulk create with an explicit _id stores the document once and answers 409 for a repeat', async () => {
    const record = { id: 'record-1', source: { Operation: 'FileAccessed' } };

    const [first] = await bulkCreate(dedupIndex, [record]);
    assert.equal(first?.status, 201);

    const [repeat] = await bulkCreate(dedupIndex, [record]);
    assert.equal(repeat?.status, 409);
    assert.equal(repeat?.error?.type, 'version_conflict_engine_exception');
    assert.equal(await countDocuments(dedupIndex), 1);
  });

  test('an index template with data_stream makes logs-o365.audit-default a data stream', async () => {
    const template = await call('PUT', `/_index_template/${templateName}`, {
      index_patterns: [dataStream],
      data_stream: {},
      priority: 500,
    });
    assert.equal(template.status, 200);

    const [created] = await bulkCreate(dataStream, [
      { id: 'record-1', source: { '@timestamp': '2024-05-01T10:00:00Z', Operation: 'UserLoggedIn' } },
    ]);
    assert.equal(created?.status, 201);
    assert.match(created?._index ?? '', /^\.ds-logs-o365\.audit-default-/);

    const stream = await call('GET', `/_data_stream/${dataStream}`);
    assert.equal(stream.status, 200);
    const streams = stream.body.data_streams as Array<{ name: string; template: string }>;
    assert.deepEqual(
      streams.map(({ name, template: source }) => ({ name, source })),
      [{ name: dataStream, source: templateName }],
    );
  });

  test(`mappings with geo_point, ip and ${EXPECTED.treeType} are accepted and documents using them are stored`, async () => {
    const created = await call('PUT', `/${typedIndex}`, {
      mappings: {
        properties: {
          location: { type: 'geo_point' },
          ClientIP: { type: 'ip' },
          AuditData: { type: EXPECTED.treeType },
        },
      },
    });
    assert.equal(created.status, 200);

    const [stored] = await bulkCreate(typedIndex, [
      {
        id: 'record-1',
        source: {
          location: { lat: 52.37, lon: 4.89 },
          ClientIP: '2001:db8::1',
          AuditData: { ExtendedProperties: { Name: 'UserAgent', Value: 'Mozilla/5.0' } },
        },
      },
    ]);
    assert.equal(stored?.status, 201);

    const mapping = await call('GET', `/${typedIndex}/_mapping`);
    const properties = (mapping.body[typedIndex] as { mappings: { properties: Record<string, { type: string }> } })
      .mappings.properties;
    assert.deepEqual(
      { location: properties.location?.type, ClientIP: properties.ClientIP?.type, AuditData: properties.AuditData?.type },
      { location: 'geo_point', ClientIP: 'ip', AuditData: EXPECTED.treeType },
    );
  });

  test(`a value that conflicts with the mapping fails only its own item, with 400 ${EXPECTED.parsingError}`, async () => {
    const created = await call('PUT', `/${conflictIndex}`, { mappings: { properties: { ClientIP: { type: 'ip' } } } });
    assert.equal(created.status, 200);

    const [conflicting, fine] = await bulkCreate(conflictIndex, [
      { id: 'bad-ip', source: { ClientIP: 'not-an-address' } },
      { id: 'good-ip', source: { ClientIP: '192.0.2.10' } },
    ]);
    assert.equal(conflicting?.status, 400);
    assert.equal(conflicting?.error?.type, EXPECTED.parsingError);
    assert.equal(fine?.status, 201);
  });
});
