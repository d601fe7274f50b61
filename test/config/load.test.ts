// Loading the configuration from its sources: defaults < YAML file < O365_ELK_* variables < -E overrides.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { CLOUD_ENDPOINTS, ConfigError, CONTENT_TYPES, loadConfig, type Config, type LoadConfigOptions } from '../../src/config/index.js';

const TENANT = '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11';
const CLIENT = '0b7f4e2c-5d1a-4c3e-8f9b-2a6d7e8f9a10';
const SECRET = 'Qx8~s3cr3t.value-for-tests';

const directories: string[] = [];
after(() => directories.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Writes `yaml` (and any side files) into a fresh directory and loads it. */
function load(yaml: string, options: Omit<LoadConfigOptions, 'file'> & { files?: Record<string, string> } = {}): Config {
  const dir = mkdtempSync(join(tmpdir(), 'o365-elk-config-'));
  directories.push(dir);
  for (const [name, content] of Object.entries(options.files ?? {})) writeFileSync(join(dir, name), content, { mode: 0o600 });
  writeFileSync(join(dir, 'o365-elk.yml'), yaml);
  return loadConfig({ file: join(dir, 'o365-elk.yml'), overrides: options.overrides ?? [], env: options.env ?? { O365_SECRET: SECRET } });
}

function problems(yaml: string, options: Parameters<typeof load>[1] = {}): string[] {
  try {
    load(yaml, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
}

const MINIMAL = `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth:
      client_secret_env: O365_SECRET
output:
  console: {}
`;

test('a minimal file gets every default', () => {
  const config = load(MINIMAL);
  const [tenant] = config.tenants;
  assert.ok(tenant);
  assert.equal(tenant.cloud, 'commercial');
  assert.equal(tenant.login_url, 'https://login.microsoftonline.com');
  assert.equal(tenant.api_url, 'https://manage.office.com');
  assert.equal(tenant.graph_url, 'https://graph.microsoft.com');
  assert.deepEqual(tenant.content_types, [...CONTENT_TYPES]);
  assert.equal(tenant.publisher_identifier, TENANT);
  assert.deepEqual(tenant.ssl, { certificate_authorities: [], verification_mode: 'full' });
  assert.deepEqual(tenant.credential, { method: 'client_secret', secret: SECRET });
  assert.deepEqual(config.api, { requests_per_minute: 2000, max_concurrency: 16, request_timeout: 60_000 });
  assert.deepEqual(config.poll, { interval: 180_000, lookback: 86_400_000, since: 604_800_000 });
  assert.deepEqual(config.logging, { level: 'info', json: 'auto' });
  assert.deepEqual(config.http, { enabled: false, host: '127.0.0.1', port: 5066 });
  assert.deepEqual(config.alerts, { command_timeout: 10_000, stalled_after_polls: 3 });
  assert.deepEqual(config.enrich, {
    geoip: { enabled: true },
    user_agent: { enabled: true },
    app_names: { enabled: true, ttl: 604_800_000 },
    tenant_names: {},
  });
  assert.deepEqual(config.output, { type: 'console', console: { pretty: false } });
  assert.deepEqual(config.warnings, []);
});

test('relative paths are resolved against the configuration file\'s directory', () => {
  const config = load(MINIMAL.replace('client_secret_env: O365_SECRET', 'client_secret_file: secret.txt') + 'state:\n  path: state/ledger.db\n', {
    files: { 'secret.txt': `${SECRET}\n` },
  });
  const dir = directories.at(-1) as string;
  assert.equal(config.state.path, join(dir, 'state/ledger.db'));
  assert.equal(config.tenants[0]?.auth.client_secret_file, join(dir, 'secret.txt'));
  assert.deepEqual(config.tenants[0]?.credential, { method: 'client_secret', secret: SECRET }, 'the secret file is read and trimmed');
  assert.equal(load(MINIMAL).state.path, join(directories.at(-1) as string, 'data/o365-elk.db'));
});

test('GUIDs are compared case-insensitively, so they are stored lower-case', () => {
  const config = load(MINIMAL.replace(TENANT, TENANT.toUpperCase()));
  assert.equal(config.tenants[0]?.tenant_id, TENANT);
});

test('each cloud maps to its documented hosts', () => {
  assert.deepEqual(CLOUD_ENDPOINTS, {
    commercial: { login_url: 'https://login.microsoftonline.com', api_url: 'https://manage.office.com', graph_url: 'https://graph.microsoft.com' },
    gcc: { login_url: 'https://login.microsoftonline.com', api_url: 'https://manage-gcc.office.com', graph_url: 'https://graph.microsoft.com' },
    'gcc-high': { login_url: 'https://login.microsoftonline.us', api_url: 'https://manage.office365.us', graph_url: 'https://graph.microsoft.us' },
    dod: { login_url: 'https://login.microsoftonline.us', api_url: 'https://manage.protection.apps.mil', graph_url: 'https://dod-graph.microsoft.us' },
  });
  const tenant = load(MINIMAL.replace('    auth:', '    cloud: gcc-high\n    api_url: https://manage.example.us/\n    auth:')).tenants[0];
  assert.equal(tenant?.login_url, 'https://login.microsoftonline.us');
  assert.equal(tenant?.api_url, 'https://manage.example.us', 'an override replaces one host, without its trailing slash');
  assert.equal(tenant?.graph_url, 'https://graph.microsoft.us');
});

test('cloud custom (the emulator) takes its three URLs from the file, plain HTTP allowed on loopback', () => {
  const tenant = load(
    MINIMAL.replace(
      '    auth:',
      '    cloud: custom\n    login_url: http://127.0.0.1:8443\n    api_url: https://localhost:8444/\n    graph_url: http://[::1]:8445\n    auth:',
    ),
  ).tenants[0];
  assert.equal(tenant?.login_url, 'http://127.0.0.1:8443');
  assert.equal(tenant?.api_url, 'https://localhost:8444');
  assert.equal(tenant?.graph_url, 'http://[::1]:8445');
});

test('Filebeat-style dotted keys in the file nest like sections', () => {
  const config = load(`
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth.client_secret_env: O365_SECRET
output.elasticsearch:
  hosts: ["https://es.example.com:9200"]
output.elasticsearch.index: audit-o365
`);
  assert.equal(config.output.type, 'elasticsearch');
  assert.equal(config.output.type === 'elasticsearch' && config.output.elasticsearch.index, 'audit-o365');
  assert.deepEqual(config.output.type === 'elasticsearch' && config.output.elasticsearch.hosts, ['https://es.example.com:9200']);
});

test('${VAR} and ${VAR:default} in the file expand from the environment', () => {
  const config = load(
    `
tenants:
  - tenant_id: \${TENANT_ID}
    client_id: ${CLIENT}
    name: \${TENANT_NAME:Contoso}
    auth:
      client_secret: \${O365_SECRET}
output.elasticsearch:
  hosts: ["https://\${ES_HOST}:9200"]
  username: elastic
  password: \${ES_PASSWORD}
  index: literal-$\${NOT_EXPANDED}
http:
  enabled: \${HTTP_ENABLED}
  port: \${HTTP_PORT:5067}
`,
    { env: { TENANT_ID: TENANT, O365_SECRET: SECRET, ES_HOST: 'es.internal', ES_PASSWORD: '0123', HTTP_ENABLED: 'true' } },
  );
  assert.equal(config.tenants[0]?.tenant_id, TENANT);
  assert.equal(config.tenants[0]?.name, 'Contoso');
  assert.deepEqual(config.tenants[0]?.credential, { method: 'client_secret', secret: SECRET });
  assert.ok(config.output.type === 'elasticsearch');
  assert.deepEqual(config.output.elasticsearch.hosts, ['https://es.internal:9200']);
  assert.equal(config.output.elasticsearch.password, '0123', 'text settings keep the value as written');
  assert.equal(config.output.elasticsearch.index, 'literal-${NOT_EXPANDED}', '$${ escapes a literal ${');
  assert.equal(config.http.enabled, true, 'a whole-value reference takes the setting\'s type');
  assert.equal(config.http.port, 5067);
  assert.deepEqual(config.warnings, [], 'a secret expanded from the environment is not "written in the file"');
});

test('an unset ${VAR} without a default is an error naming the variable and the key', () => {
  const found = problems(MINIMAL.replace(`client_id: ${CLIENT}`, 'client_id: ${O365_CLIENT_ID}'));
  assert.deepEqual(found, [
    'config: tenants[0].client_id: environment variable O365_CLIENT_ID is not set — export it, or give a default as ${O365_CLIENT_ID:default}',
  ]);
});

test('O365_ELK_* variables override the file, typed by the setting they name', () => {
  const config = load(MINIMAL + 'state:\n  path: from-file.db\napi:\n  max_concurrency: 4\n', {
    env: {
      O365_SECRET: SECRET,
      OTHER_SECRET: 'another-secret',
      O365_ELK_STATE_PATH: '/var/lib/o365-elk/ledger.db',
      O365_ELK_API_MAX_CONCURRENCY: '3',
      O365_ELK_API_REQUEST_TIMEOUT: '90',
      O365_ELK_OUTPUT_CONSOLE_PRETTY: 'true',
      O365_ELK_TENANTS_0_NAME: '1234',
      O365_ELK_TENANTS_0_AUTH_CLIENT_SECRET_ENV: 'OTHER_SECRET',
      O365_ELK_LOGGING_LEVEL: '',
      O365_ELK_UNRELATED_SECRET: 'ignored: not a setting',
      O365_ELK_TENANTS: 'ignored: not a single value',
    },
  });
  assert.equal(config.state.path, '/var/lib/o365-elk/ledger.db');
  assert.equal(config.api.max_concurrency, 3);
  assert.equal(config.api.request_timeout, 90_000);
  assert.deepEqual(config.output, { type: 'console', console: { pretty: true } });
  assert.equal(config.tenants[0]?.name, '1234', 'text settings take the variable as written');
  assert.deepEqual(config.tenants[0]?.credential, { method: 'client_secret', secret: 'another-secret' });
  assert.equal(config.logging.level, 'info', 'an empty variable counts as unset');
});

test('a bad value from a variable names the variable', () => {
  const found = problems(MINIMAL, { env: { O365_SECRET: SECRET, O365_ELK_HTTP_PORT: 'eighty' } });
  assert.deepEqual(found, [
    'config: http.port (from environment variable O365_ELK_HTTP_PORT): expected a whole number from 0 to 65535 — write it without quotes or units',
  ]);
});

test('-E overrides win over variables and the file; their values are YAML', () => {
  const config = load(MINIMAL + 'output.file:\n  path: out\n  enabled: true\n', {
    env: { O365_SECRET: SECRET, O365_ELK_STATE_PATH: '/from/env.db' },
    overrides: [
      'state.path=/from/cli.db',
      'output.file.enabled=false',
      'output.elasticsearch.hosts=["http://127.0.0.1:9200", "http://127.0.0.2:9200"]',
      'output.console.enabled=false',
      'tenants.0.name=Foo',
      'tenants.0.content_types=[Audit.Exchange, DLP.All]',
      'poll.interval=90',
      'api.requests_per_minute=1000',
    ],
  });
  assert.equal(config.state.path, '/from/cli.db');
  assert.deepEqual(config.output.type === 'elasticsearch' && config.output.elasticsearch.hosts, ['http://127.0.0.1:9200', 'http://127.0.0.2:9200']);
  assert.equal(config.tenants[0]?.name, 'Foo');
  assert.deepEqual(config.tenants[0]?.content_types, ['Audit.Exchange', 'DLP.All']);
  assert.equal(config.poll.interval, 90_000);
  assert.equal(config.api.requests_per_minute, 1000);
});

test('-E can add a tenant by its next index, keeps text as written, and unsets with an empty value', () => {
  const second = '7c2d8e9f-1a2b-4c3d-9e8f-0a1b2c3d4e5f';
  const config = load(MINIMAL + 'logging:\n  level: debug\n', {
    overrides: [
      `tenants.1.tenant_id=${second}`,
      `tenants.1.client_id=${CLIENT}`,
      'tenants.1.auth.client_secret_env=O365_SECRET',
      'tenants.1.name=0123',
      'tenants.0.name="Contoso EU"',
      'logging.level=',
    ],
  });
  assert.deepEqual(config.tenants.map((tenant) => [tenant.tenant_id, tenant.name]), [
    [TENANT, 'Contoso EU'],
    [second, '0123'],
  ]);
  assert.equal(config.logging.level, 'info');
});

test('malformed -E arguments are reported, never echoing the value', () => {
  const found = problems(MINIMAL, { overrides: ['tenants.5.name=x', 'no-equals-sign', '=value-without-key', 'a..b=1'] });
  assert.deepEqual(found, [
    'config: -E tenants.5.name: index 5 skips entries (tenants has 1) — use tenants.1 to add the next one',
    'config: -E no-equals-sign: expected key=value with a dotted key — write e.g. -E output.file.enabled=false',
    'config: -E =…: expected key=value with a dotted key — write e.g. -E output.file.enabled=false',
    'config: -E a..b=…: expected key=value with a dotted key — write e.g. -E output.file.enabled=false',
  ]);
});

test('durations accept units and plain seconds; since is clamped to the 7-day retention', () => {
  const config = load(MINIMAL + 'poll:\n  interval: 45\n  lookback: 2h\n  since: 30d\napi:\n  request_timeout: 1m30s\n');
  assert.deepEqual(config.poll, { interval: 45_000, lookback: 7_200_000, since: 604_800_000 });
  assert.equal(config.api.request_timeout, 90_000);
  assert.deepEqual(config.warnings, ['config: poll.since: 30d reaches past the API\'s 7-day retention — using 7d']);
});

test('no file at all: settings can come from variables and -E alone', () => {
  const config = loadConfig({
    env: {
      O365_ELK_TENANTS_0_TENANT_ID: TENANT,
      O365_ELK_TENANTS_0_CLIENT_ID: CLIENT,
      O365_ELK_TENANTS_0_AUTH_CLIENT_SECRET_ENV: 'O365_SECRET',
      O365_SECRET: SECRET,
      O365_ELK_STATE_PATH: '/var/lib/o365-elk/ledger.db',
    },
    overrides: ['output.console.pretty=true'],
  });
  assert.equal(config.tenants[0]?.tenant_id, TENANT);
  assert.deepEqual(config.output, { type: 'console', console: { pretty: true } });
});

test('a __proto__ key is just an unknown setting, wherever it comes from', () => {
  const found = problems(MINIMAL + '__proto__: { polluted: true }\n', { overrides: ['constructor.prototype.polluted=true', '__proto__.polluted=true'] });
  assert.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is untouched');
  assert.deepEqual(found, [
    'config: __proto__: is not a setting — remove it (settings here: tenants, api, poll, queue, state, output, logging, http, enrich, alerts)',
    'config: constructor: is not a setting — remove it (settings here: tenants, api, poll, queue, state, output, logging, http, enrich, alerts)',
  ]);
});

