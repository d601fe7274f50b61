import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadConfig, REDACTED, redactConfig, type Config } from '../../src/config/index.js';

const TENANT = '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11';
const SECOND_TENANT = '7c2d8e9f-1a2b-4c3d-9e8f-0a1b2c3d4e5f';
const CLIENT = '0b7f4e2c-5d1a-4c3e-8f9b-2a6d7e8f9a10';

const dir = mkdtempSync(join(tmpdir(), 'o365-elk-redact-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function load(yaml: string, env: NodeJS.ProcessEnv): Config {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, yaml);
  return loadConfig({ file, env });
}

function assertNoneSurvive(config: Config, secrets: string[]): void {
  const printed = JSON.stringify(redactConfig(config));
  for (const secret of secrets) assert.ok(!printed.includes(secret), `"${secret.slice(0, 12)}…" survived redaction`);
  assert.ok(printed.includes(REDACTED));
}

test('client secrets, Elasticsearch passwords, URL passwords and webhook tokens are redacted', () => {
  const secrets = {
    inline: 'inline-client-secret-Abc.123',
    fromEnv: 'env-client-secret-Def~456',
    esPassword: 'es-password-Ghi789',
    hostPassword: 'host-url-password-Jkl',
    webhookToken: 'T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  };
  const config = load(
    `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth: { client_secret: "${secrets.inline}" }
  - tenant_id: ${SECOND_TENANT}
    client_id: ${CLIENT}
    auth: { client_secret_env: SECOND_SECRET }
output.elasticsearch:
  hosts: ["https://ingest:${secrets.hostPassword}@es.example.com:9200"]
  username: elastic
  password: \${ES_PASSWORD}
alerts:
  webhook_url: https://hooks.slack.com/services/${secrets.webhookToken}
`,
    { SECOND_SECRET: secrets.fromEnv, ES_PASSWORD: secrets.esPassword },
  );
  assert.equal(config.tenants[1]?.credential.method === 'client_secret' && config.tenants[1].credential.secret, secrets.fromEnv);
  assertNoneSurvive(config, Object.values(secrets));

  const redacted = redactConfig(config);
  assert.equal(redacted.tenants[0]?.tenant_id, TENANT, 'what is not secret stays readable');
  assert.deepEqual(redacted.output.type === 'elasticsearch' && redacted.output.elasticsearch.hosts, [`https://ingest:${REDACTED}@es.example.com:9200`]);
  assert.equal(redacted.alerts.webhook_url, `https://hooks.slack.com/${REDACTED}`);
  assert.equal(config.tenants[0]?.auth.client_secret, secrets.inline, 'the original is not modified');
});

test('API keys, bearer tokens and private keys are redacted', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  writeFileSync(join(dir, 'key.pem'), keyPem, { mode: 0o600 });
  const apiKey = 'VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==';
  const withApiKey = load(
    `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth: { certificate_key_file: key.pem, certificate_thumbprint: 84E05C1D98BCE3A5421D225B140B36E86A3D5534 }
output.elasticsearch: { hosts: ["https://es:9200"], api_key: "${apiKey}" }
`,
    {},
  );
  // The PEM body, without its armour lines, is what must not leak.
  const keyBody = keyPem.split('\n').filter((line) => line && !line.startsWith('-----')).join('');
  assertNoneSurvive(withApiKey, [apiKey, keyBody.slice(0, 64), keyBody.slice(-64)]);

  const bearer = 'eyJhbGciOiJSUzI1NiJ9.bearer-token-body.signature';
  const withBearer = load(
    `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth: { client_secret_env: S }
output.elasticsearch: { hosts: ["https://es:9200"], bearer_token: "${bearer}" }
`,
    { S: 'client-secret-from-env-xyz' },
  );
  assertNoneSurvive(withBearer, [bearer, 'client-secret-from-env-xyz']);
});
