// What a user sees when the configuration is wrong: one line per problem naming the key, the problem
// and the fix, all problems at once, and never a secret.
import 'reflect-metadata';
import assert from 'node:assert/strict';
import { createPrivateKey, webcrypto, X509Certificate } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import * as x509 from '@peculiar/x509';
import { ConfigError, loadConfig, type Config, type LoadConfigOptions } from '../../src/config/index.js';

const TENANT = '6e1b1bd2-0f4c-4d3b-9d9a-4f6c1f1e2a11';
const CLIENT = '0b7f4e2c-5d1a-4c3e-8f9b-2a6d7e8f9a10';
const SECRET = 'Qx8~s3cr3t.value-for-tests';

let dir = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'o365-elk-config-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

type Options = Omit<LoadConfigOptions, 'file'> & { files?: Record<string, string | { content: string; mode: number }> };

let counter = 0;
function load(yaml: string, options: Options = {}): Config {
  const file = join(dir, `config-${counter++}.yml`);
  for (const [name, spec] of Object.entries(options.files ?? {})) {
    const { content, mode } = typeof spec === 'string' ? { content: spec, mode: 0o600 } : spec;
    writeFileSync(join(dir, name), content);
    chmodSync(join(dir, name), mode);
  }
  writeFileSync(file, yaml);
  return loadConfig({ file, overrides: options.overrides ?? [], env: options.env ?? { O365_SECRET: SECRET } });
}

function problems(yaml: string, options: Options = {}): string[] {
  try {
    load(yaml, options);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.message, error.problems.join('\n'), 'the message lists the problems one per line');
    return [...error.problems];
  }
  assert.fail('expected a ConfigError');
}

function tenantWith(auth: string, extra = ''): string {
  return `
tenants:
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
${extra}    auth:
${auth
  .trim()
  .split('\n')
  .map((line) => `      ${line}`)
  .join('\n')}
output.console: {}
`;
}

const VALID = tenantWith('client_secret_env: O365_SECRET');

test('a tenant_id that is not a GUID says where to find the right one', () => {
  assert.deepEqual(problems(VALID.replace(TENANT, 'abc')), [
    'config: tenants[0].tenant_id: "abc" is not a GUID — set it to your Directory (tenant) ID from Entra ID > Overview',
  ]);
});

test('every problem is reported in one go', () => {
  const found = problems(`
tenants:
  - tenant_id: abc
    client_id: ${CLIENT}
    cloud: azure
    auth: { client_secret_env: O365_SECRET }
  - tenant_id: ${TENANT}
    client_id: ${CLIENT}
    auth: { client_secret_file: missing-secret.txt }
api:
  max_concurrency: 0
poll:
  interval: 3 minutes
logging:
  level: verbose
output.console: {}
`);
  assert.deepEqual(found, [
    'config: tenants[0].tenant_id: "abc" is not a GUID — set it to your Directory (tenant) ID from Entra ID > Overview',
    'config: tenants[0].cloud: "azure" is not valid here — use one of commercial, gcc, gcc-high, dod, custom',
    'config: api.max_concurrency: 0 is out of range — use a whole number 1 or more',
    'config: poll.interval: "3 minutes" is not a duration — write a number of seconds or a value like 30s, 3m, 24h or 7d',
    'config: logging.level: "verbose" is not valid here — use one of debug, info, warn, error',
    `config: tenants[1].auth.client_secret_file: ${join(dir, 'missing-secret.txt')} does not exist — create it with the client secret, or correct the path`,
  ]);
});

test('unknown keys are errors, with a suggestion when one is close', () => {
  const found = problems(`
tenants:
  - tenantId: ${TENANT}
    client_id: ${CLIENT}
    client_secret: misplaced
    auth: { client_secert: x }
output.console: { colour: true }
outptu: {}
`);
  assert.deepEqual(found, [
    'config: tenants[0].tenant_id: is required — set it to your Directory (tenant) ID from Entra ID > Overview',
    'config: tenants[0].auth.client_secert: is not a setting — did you mean client_secret?',
    'config: tenants[0].tenantId: is not a setting — did you mean tenant_id?',
    'config: tenants[0].client_secret: is not a setting here — did you mean auth.client_secret?',
    'config: output.console.colour: is not a setting — remove it (settings here: enabled, pretty)',
    'config: outptu: is not a setting — did you mean output?',
  ]);
});

test('missing required settings say what to put there', () => {
  assert.deepEqual(problems('output.console: {}\n'), [
    'config: tenants: is required — add at least one tenant, each with tenant_id, client_id and auth',
  ]);
  assert.deepEqual(problems('tenants: []\noutput.console: {}\n'), [
    'config: tenants: is empty — add at least one tenant, each with tenant_id, client_id and auth',
  ]);
  assert.deepEqual(problems(`tenants:\n  - tenant_id: ${TENANT}\noutput.console: {}\n`), [
    'config: tenants[0].client_id: is required — set it to the Application (client) ID from Entra ID > App registrations > your app > Overview',
    'config: tenants[0].auth: is required — add auth with one of client_secret_env, client_secret_file or certificate_key_file',
  ]);
});

test('values of the wrong type are described, not echoed', () => {
  const found = problems(tenantWith('client_secret: 12345678').replace('output.console: {}', 'output.console: {}\napi:\n  max_concurrency: "8"\ntenants.0.content_types: Audit.Exchange'));
  assert.deepEqual(found, [
    'config: tenants[0].auth.client_secret: expected text, got a number — put the value in quotes',
    'config: tenants[0].content_types: expected a list, got text — write a YAML list, e.g. [a, b], or one "- item" per line',
    'config: api.max_concurrency: expected a whole number 1 or more — write it without quotes or units',
  ]);
  assert.ok(!found.join('\n').includes('12345678'));
});

test('exactly one output: none is an error', () => {
  assert.deepEqual(problems(VALID.replace('output.console: {}', '')), [
    'config: output: no output is enabled — configure exactly one of output.file, output.console, output.elasticsearch or output.logstash',
  ]);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.console: { enabled: false }')), [
    'config: output: no output is enabled — configure exactly one of output.file, output.console, output.elasticsearch or output.logstash',
  ]);
});

test('exactly one output: two is an error naming both and the fix', () => {
  const yaml = VALID.replace('output.console: {}', 'output:\n  file: { path: out }\n  elasticsearch: { hosts: ["https://localhost:9200"] }');
  assert.deepEqual(problems(yaml), [
    'config: output: output.file and output.elasticsearch are both enabled, but exactly one output may be — keep one and disable the others, e.g. set output.file.enabled=false',
  ]);
  const fixed = load(yaml, { overrides: ['output.file.enabled=false'] });
  assert.equal(fixed.output.type, 'elasticsearch');
  assert.equal(load(yaml.replace('file: { path: out }', 'file: { path: out, enabled: false }')).output.type, 'elasticsearch');
});

test('a present section counts as enabled, even with nothing under it', () => {
  const config = load(VALID.replace('output.console: {}', 'output:\n  console:\n'));
  assert.deepEqual(config.output, { type: 'console', console: { pretty: false } });
});

test('the enabled output must be complete', () => {
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.file: {}')), [
    'config: output.file.path: is required when output.file is enabled — set it to the directory the output files are written to',
  ]);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.elasticsearch: { username: elastic }')), [
    'config: output.elasticsearch.password: is required with username — set it, e.g. password: ${ES_PASSWORD}',
    'config: output.elasticsearch.hosts: is required when output.elasticsearch is enabled — list the Elasticsearch URLs, e.g. ["https://localhost:9200"], or set cloud_id',
  ]);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.elasticsearch: { hosts: [localhost:9200], api_key: k, bearer_token: t }')), [
    'config: output.elasticsearch.hosts[0]: "localhost:9200" is not an http(s) URL — use a URL such as https://localhost:9200',
  ]);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.elasticsearch: { hosts: ["https://h:9200"], api_key: k, bearer_token: t }')), [
    'config: output.elasticsearch: api_key and bearer_token are all set — authenticate one way only',
  ]);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.logstash: { hosts: ["logstash.example.com"] }')), [
    'config: output.logstash.hosts[0]: "logstash.example.com" is not host:port — write it as host:port, e.g. logstash.example.com:5044',
  ]);
  // A disabled section may be incomplete.
  assert.equal(load(VALID.replace('output.console: {}', 'output.console: {}\noutput.file: { enabled: false }')).output.type, 'console');
});

test('an Elastic Cloud ID becomes the deployment\'s endpoint', () => {
  const cloudId = `my-deployment:${Buffer.from('europe-west1.gcp.cloud.es.io:443$abc123$def456').toString('base64')}`;
  const config = load(VALID.replace('output.console: {}', `output.elasticsearch: { cloud_id: "${cloudId}", api_key: "id:key" }`));
  assert.deepEqual(config.output.type === 'elasticsearch' && config.output.elasticsearch.hosts, ['https://abc123.europe-west1.gcp.cloud.es.io:443']);
  assert.deepEqual(problems(VALID.replace('output.console: {}', 'output.elasticsearch: { cloud_id: "nonsense" }')), [
    'config: output.elasticsearch.cloud_id: is not an Elastic Cloud ID — copy the Cloud ID from the deployment\'s page in Elastic Cloud',
  ]);
});

test('logstash with an ssl section uses TLS', () => {
  const config = load(VALID.replace('output.console: {}', 'output.logstash:\n  hosts: ["ls.example.com:5044", "[::1]:5045"]\n  ssl: { verification_mode: full }'));
  assert.deepEqual(config.output, {
    type: 'logstash',
    logstash: { hosts: ['ls.example.com:5044', '[::1]:5045'], ssl: { enabled: true, certificate_authorities: [], verification_mode: 'full' } },
  });
});

test('login, API and Graph URLs must be HTTPS unless they point at this machine', () => {
  assert.deepEqual(problems(VALID.replace('    auth:', '    api_url: http://manage.example.com\n    auth:')), [
    'config: tenants[0].api_url: "http://manage.example.com" uses plain HTTP — use https:// (plain HTTP is allowed only to loopback hosts such as 127.0.0.1)',
  ]);
  assert.deepEqual(problems(VALID.replace('    auth:', '    cloud: custom\n    api_url: https://127.0.0.1:1\n    auth:')), [
    'config: tenants[0].login_url: is required when cloud is custom — set it to the base URL of the token service (Entra ID login), e.g. the emulator\'s https://127.0.0.1:PORT',
    'config: tenants[0].graph_url: is required when cloud is custom — set it to the base URL of the Microsoft Graph, e.g. the emulator\'s https://127.0.0.1:PORT',
  ]);
});

test('auth needs exactly one credential', () => {
  assert.deepEqual(problems(tenantWith('{}').replace('auth:\n      {}', 'auth: {}')), [
    'config: tenants[0].auth: has no credential — set client_secret_env, client_secret_file, or certificate_key_file with certificate_file',
  ]);
  assert.deepEqual(problems(tenantWith('client_secret_env: O365_SECRET\nclient_secret_file: secret.txt'), { files: { 'secret.txt': SECRET } }), [
    'config: tenants[0].auth: client_secret_env and client_secret_file are all set — keep only one source for the client secret',
  ]);
  assert.deepEqual(problems(tenantWith('client_secret_env: O365_SECRET\ncertificate_key_file: key.pem')), [
    'config: tenants[0].auth: client_secret_env and certificate_key_file are both set — use either a client secret or a certificate, not both',
  ]);
});

test('a secret source must yield a secret', () => {
  assert.deepEqual(problems(VALID, { env: {} }), [
    'config: tenants[0].auth.client_secret_env: environment variable O365_SECRET is not set — export it, holding the client secret, before starting o365-elk',
  ]);
  assert.deepEqual(problems(VALID, { env: { O365_SECRET: '  ' } }), [
    'config: tenants[0].auth.client_secret_env: environment variable O365_SECRET is empty — put the client secret in it',
  ]);
  assert.deepEqual(problems(tenantWith('client_secret_file: empty.txt'), { files: { 'empty.txt': '\n' } }), [
    `config: tenants[0].auth.client_secret_file: ${join(dir, 'empty.txt')} is empty — write the client secret into it`,
  ]);
  assert.deepEqual(problems(tenantWith('client_secret_file: .'), {}), [
    `config: tenants[0].auth.client_secret_file: ${dir} is a directory — point it at the file that holds the client secret`,
  ]);
  assert.deepEqual(problems(tenantWith('client_secret_env: "my secret!"')), [
    'config: tenants[0].auth.client_secret_env: is not an environment variable name — write the name of the variable that holds the secret (e.g. O365_CLIENT_SECRET), not the secret itself',
  ]);
});

test('secrets that work but are exposed earn warnings, not errors', () => {
  const config = load(tenantWith('client_secret_file: open-secret.txt'), { files: { 'open-secret.txt': { content: SECRET, mode: 0o644 } } });
  const file = join(dir, 'open-secret.txt');
  assert.deepEqual(config.warnings, [
    `config: tenants[0].auth.client_secret_file: ${file} can be read by other users (mode 0644) — restrict it with chmod 600 ${file}`,
  ]);
  assert.deepEqual(load(tenantWith(`client_secret: "${SECRET}"`)).warnings, [
    'config: tenants[0].auth.client_secret: the secret is written in the configuration file — move it to client_secret_env or client_secret_file, or write ${VARIABLE}',
  ]);
  assert.deepEqual(load(tenantWith('client_secret_env: O365_SECRET'), { overrides: [`tenants.0.auth={client_secret: "${SECRET}"}`] }).warnings, [
    'config: tenants[0].auth.client_secret (from -E): the secret is on the command line, where other users can see it (ps) — use client_secret_env or client_secret_file',
  ]);
  assert.deepEqual(load(VALID.replace('    auth:', '    ssl: { verification_mode: none }\n    auth:')).warnings, [
    'config: tenants[0].ssl.verification_mode: is none, so TLS certificates are not checked and the connection can be intercepted — trust the server\'s CA with certificate_authorities instead',
  ]);
});

test('a YAML syntax error points at the line', () => {
  const found = problems('tenants:\n  - tenant_id: x\n   client_id: [\n');
  assert.equal(found.length, 1);
  assert.match(found[0] as string, /^config: .*config-\d+\.yml:\d+:\d+: .+ — fix the YAML syntax there$/);
});

test('a missing configuration file is reported with the path', () => {
  assert.throws(() => loadConfig({ file: join(dir, 'nope.yml'), env: {} }), {
    name: 'ConfigError',
    message: `config: cannot read the configuration file ${join(dir, 'nope.yml')} (ENOENT) — check the path given with -c`,
  });
});

test('the same tenant twice is an error', () => {
  const yaml = VALID.replace('output.console', `  - tenant_id: ${TENANT.toUpperCase()}\n    client_id: ${CLIENT}\n    auth: { client_secret_env: O365_SECRET }\noutput.console`);
  assert.deepEqual(problems(yaml), [
    `config: tenants[1].tenant_id: ${TENANT} is already tenants[0] — list each tenant once (give it all its content_types there)`,
  ]);
});

test('lookback cannot reach past the 7-day retention', () => {
  assert.deepEqual(problems(VALID + 'poll:\n  lookback: 8d\n'), [
    'config: poll.lookback: 8d reaches past the API\'s 7-day retention — set it to 7d or less',
  ]);
});

// Certificate credentials --------------------------------------------------------------------------

interface TestCertificate {
  certificatePem: string;
  privateKeyPem: string;
}

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };

async function makeCertificate(keys: webcrypto.CryptoKeyPair, notAfter: Date): Promise<TestCertificate> {
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=o365-elk config test',
    keys,
    signingAlgorithm: RSA,
    notBefore: new Date(notAfter.getTime() - 2 * 86_400_000),
    notAfter,
  });
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' }).export({ type: 'pkcs8', format: 'pem' }) as string;
  return { certificatePem: certificate.toString('pem'), privateKeyPem };
}

let current: TestCertificate;
let expired: TestCertificate;
let other: TestCertificate;
let thumbprintHex = '';

before(async () => {
  const keys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const otherKeys = (await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  current = await makeCertificate(keys, new Date(Date.now() + 365 * 86_400_000));
  expired = await makeCertificate(keys, new Date(Date.now() - 86_400_000));
  other = await makeCertificate(otherKeys, new Date(Date.now() + 365 * 86_400_000));
  thumbprintHex = new X509Certificate(current.certificatePem).fingerprint.replaceAll(':', '');
});

test('a certificate credential carries the key, the certificate and both thumbprints', () => {
  const config = load(tenantWith('certificate_key_file: key.pem\ncertificate_file: cert.pem'), {
    files: { 'key.pem': current.privateKeyPem, 'cert.pem': current.certificatePem },
  });
  const credential = config.tenants[0]?.credential;
  assert.ok(credential?.method === 'certificate');
  assert.equal(credential.private_key, current.privateKeyPem);
  assert.equal(credential.certificate, current.certificatePem);
  assert.equal(credential.thumbprint_sha1, thumbprintHex);
  assert.match(credential.thumbprint_sha256 ?? '', /^[0-9A-F]{64}$/);
  assert.deepEqual(config.warnings, []);
});

test('a thumbprint is accepted as hex, colon-separated hex, or base64 as the seed\'s openssl recipe prints it', () => {
  const base64 = Buffer.from(thumbprintHex, 'hex').toString('base64');
  const colons = thumbprintHex.match(/../g)?.join(':') ?? '';
  for (const written of [thumbprintHex.toLowerCase(), colons, base64]) {
    const config = load(tenantWith(`certificate_key_file: key.pem\ncertificate_thumbprint: "${written}"`), { files: { 'key.pem': current.privateKeyPem } });
    const credential = config.tenants[0]?.credential;
    assert.ok(credential?.method === 'certificate');
    assert.equal(credential.thumbprint_sha1, thumbprintHex, written);
  }
  assert.deepEqual(problems(tenantWith('certificate_key_file: key.pem\ncertificate_thumbprint: ABC123'), { files: { 'key.pem': current.privateKeyPem } }), [
    'config: tenants[0].auth.certificate_thumbprint: "ABC123" is not a SHA-1 thumbprint — copy the 40-hex-digit Thumbprint from Entra ID > App registrations > your app > Certificates & secrets, or set certificate_file instead',
  ]);
});

test('certificate problems: wrong pair, missing half, not PEM, readable key', () => {
  assert.deepEqual(
    problems(tenantWith('certificate_key_file: key.pem\ncertificate_file: other.pem'), { files: { 'key.pem': current.privateKeyPem, 'other.pem': other.certificatePem } }),
    ['config: tenants[0].auth.certificate_file: does not match certificate_key_file — use the certificate created together with that key'],
  );
  assert.deepEqual(problems(tenantWith('certificate_file: cert.pem'), { files: { 'cert.pem': current.certificatePem } }), [
    'config: tenants[0].auth.certificate_key_file: is required with certificate_file — set it to the PEM private key of the certificate',
  ]);
  assert.deepEqual(problems(tenantWith('certificate_key_file: key.pem'), { files: { 'key.pem': current.privateKeyPem } }), [
    'config: tenants[0].auth: certificate_key_file needs certificate_file or certificate_thumbprint — set certificate_file to the PEM certificate registered on the app',
  ]);
  assert.deepEqual(
    problems(tenantWith('certificate_key_file: cert.pem\ncertificate_file: key.pem'), { files: { 'key.pem': current.privateKeyPem, 'cert.pem': current.certificatePem } }),
    [
      `config: tenants[0].auth.certificate_key_file: ${join(dir, 'cert.pem')} is not a PEM private key — point it at the key made with the certificate (-----BEGIN PRIVATE KEY-----)`,
      `config: tenants[0].auth.certificate_file: ${join(dir, 'key.pem')} is not a PEM certificate — point it at the certificate (-----BEGIN CERTIFICATE-----) registered on the app`,
    ],
  );
  const config = load(tenantWith('certificate_key_file: open-key.pem\ncertificate_file: expired.pem'), {
    files: { 'open-key.pem': { content: current.privateKeyPem, mode: 0o640 }, 'expired.pem': expired.certificatePem },
  });
  const key = join(dir, 'open-key.pem');
  assert.equal(config.warnings.length, 2);
  assert.equal(config.warnings[0], `config: tenants[0].auth.certificate_key_file: ${key} can be read by other users (mode 0640) — restrict it with chmod 600 ${key}`);
  assert.match(config.warnings[1] ?? '', /^config: tenants\[0\]\.auth\.certificate_file: the certificate expired on \S+ — upload a new one to the app registration and point certificate_file at it$/);
});

test('extra CA files must exist and hold certificates', () => {
  const yaml = VALID.replace('    auth:', '    ssl: { certificate_authorities: [ca.pem, missing-ca.pem, not-a-cert.pem] }\n    auth:');
  assert.deepEqual(problems(yaml, { files: { 'ca.pem': current.certificatePem, 'not-a-cert.pem': 'hello' } }), [
    `config: tenants[0].ssl.certificate_authorities[1]: ${join(dir, 'missing-ca.pem')} does not exist — create it with the PEM CA certificate, or correct the path`,
    `config: tenants[0].ssl.certificate_authorities[2]: ${join(dir, 'not-a-cert.pem')} is not a PEM certificate — point it at the CA certificate (-----BEGIN CERTIFICATE-----), e.g. the emulator's ca.pem`,
  ]);
});
