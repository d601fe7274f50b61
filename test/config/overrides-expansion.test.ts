// `${VAR}` and `${VAR:default}` in -E values expand from the environment exactly as in the YAML file, so
// the README's `-E output.elasticsearch.password='${ES_PASSWORD}'` sends the password, not that text.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ConfigError, loadConfig, type Config } from '../../src/config/index.js';

const TENANT = '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11';
const CLIENT = '0b7f4e2c-5d1a-4c3e-8f9b-2a6d7e8f9a10';
const SECRET = 'Qx8~s3cr3t.value-for-tests';
const PASSWORD = "p4ss 'with' $pecial: chars";

const FILE = `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth:
      client_secret_env: O365_SECRET
output:
  file:
    path: out
`;

const dir = mkdtempSync(join(tmpdir(), 'o365-elk-expansion-'));
after(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'o365-elk.yml'), FILE);

function load(overrides: string[], env: NodeJS.ProcessEnv): Config {
  return loadConfig({ file: join(dir, 'o365-elk.yml'), overrides, env: { O365_SECRET: SECRET, ...env } });
}

// The README's example, as the shell hands it over: the single quotes keep ${ES_PASSWORD} from the shell.
const README_EXAMPLE = [
  'output.file.enabled=false',
  'output.elasticsearch.hosts=["https://localhost:9200"]',
  'output.elasticsearch.username=o365',
  'output.elasticsearch.password=${ES_PASSWORD}',
];

test("the README's Elasticsearch example takes the password from ES_PASSWORD", () => {
  const config = load(README_EXAMPLE, { ES_PASSWORD: PASSWORD });
  assert.equal(config.output.type, 'elasticsearch');
  assert.equal(config.output.type === 'elasticsearch' && config.output.elasticsearch.password, PASSWORD);
  assert.equal(config.output.type === 'elasticsearch' && config.output.elasticsearch.username, 'o365');
});

test('-E values expand ${VAR:default}, type whole references by the setting, and keep $${ literal', () => {
  const config = load(
    [
      'http.port=${METRICS_PORT}',
      'http.host=${METRICS_HOST:127.0.0.1}',
      'tenants.0.name=$${NOT_A_VARIABLE} ${TEAM}',
      'output.file.path=${OUT_DIR}/audit',
      'tenants.0.content_types=[Audit.Exchange, "${SECOND_TYPE}"]',
    ],
    { METRICS_PORT: '9102', TEAM: 'SecOps', OUT_DIR: '/var/lib/o365', SECOND_TYPE: 'DLP.All' },
  );
  assert.equal(config.http.port, 9102);
  assert.equal(config.http.host, '127.0.0.1');
  assert.equal(config.tenants[0]?.name, '${NOT_A_VARIABLE} SecOps');
  assert.equal(config.output.type === 'file' && config.output.file.path, '/var/lib/o365/audit');
  assert.deepEqual(config.tenants[0]?.content_types, ['Audit.Exchange', 'DLP.All']);
});

test('an unset variable in -E is one error naming the key, -E and the variable', () => {
  assert.throws(
    () => load(README_EXAMPLE, {}),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.deepEqual(error.problems, [
        'config: output.elasticsearch.password (from -E): environment variable ES_PASSWORD is not set — export it, or give a default as ${ES_PASSWORD:default}',
      ]);
      return true;
    },
  );
});

test('a client secret from ${VAR} in -E is not on the command line, so it is not warned about as if it were', () => {
  const fromVariable = load(['tenants.0.auth.client_secret_env=', 'tenants.0.auth.client_secret=${APP_SECRET}'], { APP_SECRET: SECRET });
  assert.deepEqual(fromVariable.tenants[0]?.credential, { method: 'client_secret', secret: SECRET });
  assert.deepEqual(fromVariable.warnings, []);

  const written = load(['tenants.0.auth.client_secret_env=', `tenants.0.auth.client_secret=${SECRET}`], {});
  assert.equal(written.warnings.length, 1);
  assert.match(written.warnings[0] ?? '', /the secret is on the command line/);
});
