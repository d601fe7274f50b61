// The emulator against a client that shares nothing with o365-elk: o365_client.py, written from
// Microsoft's documentation with Python's standard library and the openssl command. It signs in with its
// own openssl-made certificate (registered through `--register-certificate`) or the emulator's client
// secret, on both token endpoints, and must collect exactly the records the emulator says it published.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { groundTruth, startEmulatorProcess, type EmulatorProcess, type TenantEntry } from './emulator-process.js';

const CLIENT = fileURLToPath(new URL('o365_client.py', import.meta.url));

interface Collected {
  tenant_id: string;
  token_version: string;
  pages: number;
  blobs: number;
  records: number;
  distinct_ids: number;
  ids: string[];
}

function requireTool(command: string, versionArgument: string, install: string): void {
  const probe = spawnSync(command, [versionArgument], { encoding: 'utf8' });
  if (probe.error) assert.fail(`${command} is needed by the independent-client test and was not found: ${install}`);
}

/** Runs the Python client; resolves with its exit code and output rather than throwing on failure. */
function python(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('python3', [CLIENT, ...args], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

async function collect(emulator: EmulatorProcess, tenant: TenantEntry, version: 'v1' | 'v2', certificate?: { key: string; cert: string }): Promise<Collected> {
  const credential = certificate
    ? ['--key', certificate.key, '--cert', certificate.cert]
    : ['--client-secret-file', join(emulator.dir, tenant.auth.client_secret_file ?? '')];
  const run = await python([
    'collect',
    '--login-url', tenant.login_url,
    '--api-url', tenant.api_url,
    '--ca', join(emulator.dir, 'ca.pem'),
    '--tenant-id', tenant.tenant_id,
    '--client-id', tenant.client_id,
    '--token-version', version,
    ...credential,
  ]);
  assert.equal(run.code, 0, `o365_client.py collect failed: ${run.stderr.trim()}`);
  return JSON.parse(run.stdout) as Collected;
}

describe('an independent Python client written from Microsoft\'s documentation', () => {
  let work: string;
  let emulator: EmulatorProcess;
  let secretTenant: TenantEntry;
  let certificateTenant: TenantEntry;
  const own = { key: '', cert: '', thumbprint: '' };
  const truthByTenant = new Map<string, Set<string>>();

  before(async () => {
    requireTool('python3', '--version', 'install Python 3 (e.g. apt-get install python3)');
    requireTool('openssl', 'version', 'install the openssl command (e.g. apt-get install openssl)');
    work = mkdtempSync(join(tmpdir(), 'o365-independent-client-'));
    own.key = join(work, 'client.key.pem');
    own.cert = join(work, 'client.cert.pem');
    const made = await python(['certificate', '--key', own.key, '--cert', own.cert]);
    assert.equal(made.code, 0, `o365_client.py certificate failed: ${made.stderr.trim()}`);
    own.thumbprint = (JSON.parse(made.stdout) as { thumbprint: string }).thumbprint;

    // One day of data at 3 entries a page, so that listings run over several pages.
    emulator = await startEmulatorProcess(join(work, 'emulator'), [
      '--events', '1500', '--days', '1', '--page-size', '3', '--register-certificate', own.cert,
    ]);
    [secretTenant, certificateTenant] = emulator.tenants as [TenantEntry, TenantEntry];
    for (const record of await groundTruth(emulator)) {
      const tenantId = String(record.OrganizationId);
      truthByTenant.set(tenantId, (truthByTenant.get(tenantId) ?? new Set()).add(record.Id));
    }
  });

  after(async () => {
    await emulator?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('prints the base64 SHA-1 thumbprint of the certificate it made, as the seed\'s openssl recipe computes it', () => {
    const fingerprint = new X509Certificate(readFileSync(own.cert)).fingerprint.replaceAll(':', '');
    assert.equal(Buffer.from(own.thumbprint, 'base64').toString('hex').toUpperCase(), fingerprint);
  });

  for (const version of ['v1', 'v2'] as const) {
    test(`with its own openssl certificate on the ${version} token endpoint, collects exactly the certificate tenant's published records`, async () => {
      const collected = await collect(emulator, certificateTenant, version, own);
      assert.deepEqual(new Set(collected.ids), truthByTenant.get(certificateTenant.tenant_id));
      assert.equal(collected.records, collected.distinct_ids, 'without faults no record is served twice');
      // 5 content types × 7 day-long windows: anything beyond is a NextPageUri the client followed.
      assert.ok(collected.pages > 35, `expected listings over several pages, got ${collected.pages} pages`);
    });

    test(`with the client secret on the ${version} token endpoint, collects exactly the secret tenant's published records`, async () => {
      const collected = await collect(emulator, secretTenant, version);
      assert.deepEqual(new Set(collected.ids), truthByTenant.get(secretTenant.tenant_id));
    });
  }

  test('the two tenants together account for every record of /_emulator/records', () => {
    assert.deepEqual([...truthByTenant.keys()].sort(), [secretTenant.tenant_id, certificateTenant.tenant_id].sort());
  });

  test('is refused with AADSTS700027 when it signs with a certificate the app never registered', async () => {
    const stranger = { key: join(work, 'stranger.key.pem'), cert: join(work, 'stranger.cert.pem') };
    assert.equal((await python(['certificate', '--key', stranger.key, '--cert', stranger.cert])).code, 0);
    const run = await python([
      'collect',
      '--login-url', certificateTenant.login_url,
      '--api-url', certificateTenant.api_url,
      '--ca', join(emulator.dir, 'ca.pem'),
      '--tenant-id', certificateTenant.tenant_id,
      '--client-id', certificateTenant.client_id,
      '--key', stranger.key,
      '--cert', stranger.cert,
    ]);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /answered 401: AADSTS700027/);
  });
});
