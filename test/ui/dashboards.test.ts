// The Kibana and OpenSearch Dashboards saved objects in assets/: each file must import as it is (NDJSON,
// every reference inside the file), search what the docs say, and place points on a field the index
// template really maps as geo_point (a field mapped dynamically would be two numbers, and no map).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { ecsMappings } from '../../src/sinks/elasticsearch/mappings.js';

interface SavedObject {
  id: string;
  type: string;
  attributes: Record<string, unknown>;
  references: Array<{ name: string; type: string; id: string }>;
}

interface MapLayer {
  sourceDescriptor?: { type: string; geoField?: string; indexPatternRefName?: string };
  style: {
    properties: {
      fillColor: { type: string; options: { field: { name: string }; customColorPalette: Array<{ stop: string | null; color: string }> } };
    };
  };
}

const PATTERN = 'logs-o365.audit-*';
const QUERIES = {
  'o365-elk-sign-ins': 'event.category:authentication',
  'o365-elk-failed-logons': 'event.category:authentication and event.outcome:failure',
  'o365-elk-admin-actions': 'event.category:iam or event.category:configuration',
};

function readSavedObjects(path: string): SavedObject[] {
  const text = readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
  assert.ok(text.endsWith('\n'), `${path} must end with a newline`);
  return text
    .slice(0, -1)
    .split('\n')
    .map((line, index) => {
      const object = JSON.parse(line) as SavedObject;
      assert.equal(typeof object.id, 'string', `${path} line ${index + 1}: no id`);
      assert.equal(typeof object.attributes, 'object', `${path} line ${index + 1}: no attributes`);
      assert.ok(Array.isArray(object.references), `${path} line ${index + 1}: no references`);
      return object;
    });
}

/** A JSON text attribute (searchSourceJSON, layerListJSON, visState…), parsed. */
function jsonAttribute(object: SavedObject, path: string): Record<string, unknown> {
  let value: unknown = object.attributes;
  for (const key of path.split('.')) value = (value as Record<string, unknown>)[key];
  assert.equal(typeof value, 'string', `${object.id}: ${path} is not JSON text`);
  return JSON.parse(value as string) as Record<string, unknown>;
}

function mappedType(field: string): unknown {
  let node: unknown = ecsMappings();
  for (const segment of field.split('.')) node = (node as { properties?: Record<string, unknown> }).properties?.[segment];
  return (node as { type?: unknown } | undefined)?.type;
}

function checkCommonObjects(objects: SavedObject[]): void {
  const ids = new Set(objects.map((o) => `${o.type}/${o.id}`));
  assert.equal(ids.size, objects.length, 'two objects share a type and id');
  for (const object of objects) {
    for (const reference of object.references) assert.ok(ids.has(`${reference.type}/${reference.id}`), `${object.id} refers to ${reference.type}/${reference.id}, which the file lacks`);
  }
  const patterns = objects.filter((o) => o.type === 'index-pattern');
  assert.equal(patterns.length, 1);
  assert.equal(patterns[0]!.attributes.title, PATTERN);
  assert.equal(patterns[0]!.attributes.timeFieldName, '@timestamp');

  const searches = objects.filter((o) => o.type === 'search');
  assert.deepEqual(searches.map((s) => s.id).sort(), Object.keys(QUERIES).sort());
  for (const search of searches) {
    const source = jsonAttribute(search, 'kibanaSavedObjectMeta.searchSourceJSON');
    assert.deepEqual(source.query, { query: QUERIES[search.id as keyof typeof QUERIES], language: 'kuery' });
    assert.ok(
      search.references.some((r) => r.name === source.indexRefName && r.type === 'index-pattern'),
      `${search.id}: its index reference ${String(source.indexRefName)} is not among its references`,
    );
  }
  for (const field of ['event.category', 'event.outcome']) assert.equal(mappedType(field), 'keyword', field);
}

describe('dashboards assets', () => {
  test('Kibana: a data view, the three saved searches, and a map of sign-ins coloured by outcome', () => {
    const objects = readSavedObjects('assets/kibana/o365-elk.ndjson');
    checkCommonObjects(objects);
    assert.deepEqual(objects.map((o) => o.type).sort(), ['index-pattern', 'map', 'search', 'search', 'search']);
    const map = objects.find((o) => o.type === 'map')!;
    const state = jsonAttribute(map, 'mapStateJSON');
    assert.deepEqual(state.query, { query: 'event.category:authentication', language: 'kuery' });
    const layers = jsonAttribute(map, 'layerListJSON') as unknown as MapLayer[];
    const documents = layers.find((layer) => layer.sourceDescriptor?.type === 'ES_SEARCH');
    assert.ok(documents, 'the map has no documents layer');
    assert.equal(documents.sourceDescriptor?.geoField, 'source.geo.location');
    assert.equal(mappedType('source.geo.location'), 'geo_point');
    assert.ok(map.references.some((r) => r.name === documents.sourceDescriptor?.indexPatternRefName && r.type === 'index-pattern'));
    const fill = documents.style.properties.fillColor;
    assert.equal(fill.type, 'DYNAMIC');
    assert.equal(fill.options.field.name, 'event.outcome');
    const colours = Object.fromEntries(fill.options.customColorPalette.map((stop) => [stop.stop, stop.color]));
    assert.equal(colours.success, '#1A9641');
    assert.equal(colours.failure, '#D7191C');
  });

  test('OpenSearch Dashboards: an index pattern, the three saved searches, and coordinate maps of sign-ins', () => {
    const objects = readSavedObjects('assets/opensearch-dashboards/o365-elk.ndjson');
    checkCommonObjects(objects);
    assert.deepEqual(objects.map((o) => o.type).sort(), ['index-pattern', 'search', 'search', 'search', 'visualization', 'visualization']);
    for (const visualization of objects.filter((o) => o.type === 'visualization')) {
      const state = jsonAttribute(visualization, 'visState') as { type: string; aggs: Array<{ type: string; params: { field?: string } }> };
      assert.equal(state.type, 'tile_map');
      const grid = state.aggs.find((agg) => agg.type === 'geohash_grid');
      assert.equal(grid?.params.field, 'source.geo.location');
      const source = jsonAttribute(visualization, 'kibanaSavedObjectMeta.searchSourceJSON') as { query: { query: string } };
      assert.match(source.query.query, /^event\.category:authentication/);
    }
  });
});
