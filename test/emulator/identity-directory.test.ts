import assert from 'node:assert/strict';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { createDirectory, findTenant } from '../../src/emulator/directory.js';
import { CONTENT_TYPES } from '../../src/emulator/types.js';

describe('emulated directory', () => {
  it('gives two tenants by default: one signing in with a secret, one with a certificate', async () => {
    const { tenants, credentials } = await createDirectory({ seed: 1 });
    assert.deepEqual(tenants.map((t) => t.domain), ['tenant1.onmicrosoft.com', 'tenant2.onmicrosoft.com']);
    assert.deepEqual(credentials.map((c) => c.auth.kind), ['secret', 'certificate']);
    for (const [index, tenant] of tenants.entries()) {
      assert.equal(credentials[index]?.tenantId, tenant.tenantId);
      assert.deepEqual(tenant.presubscribed, [...CONTENT_TYPES]);
      assert.deepEqual(tenant.apps[0]?.roles, {
        management: ['ActivityFeed.Read', 'ActivityFeed.ReadDlp'],
        graph: ['Application.Read.All'],
      });
    }
  });

  it('registers the secret and the certificate on the apps the credentials name', async () => {
    const { tenants, credentials } = await createDirectory({ seed: 1 });
    const [secret, certificate] = credentials;
    assert.ok(secret?.auth.kind === 'secret' && certificate?.auth.kind === 'certificate');
    assert.match(secret.auth.secret, /^.{3}8Q~[A-Za-z0-9_-]{34}$/);
    assert.deepEqual(tenants[0]?.apps[0]?.secrets, [secret.auth.secret]);
    const registered = tenants[1]?.apps[0]?.certificates[0];
    const x509 = new X509Certificate(certificate.auth.certificatePem);
    assert.equal(certificate.auth.thumbprintSha1Hex, x509.fingerprint.replace(/:/g, '').toLowerCase());
    assert.equal(registered?.x5t, Buffer.from(certificate.auth.thumbprintSha1Hex, 'hex').toString('base64url'));
    assert.ok(x509.checkPrivateKey(createPrivateKey(certificate.auth.privateKeyPem)));
  });

  it('derives ids, domains and secrets from the seed alone', async () => {
    const identity = (directory: Awaited<ReturnType<typeof createDirectory>>) =>
      directory.credentials.map((c) => [c.tenantId, c.domain, c.displayName, c.clientId, c.auth.kind === 'secret' ? c.auth.secret : '']);
    const first = identity(await createDirectory({ seed: 42, tenants: 3 }));
    assert.deepEqual(identity(await createDirectory({ seed: 42, tenants: 3 })), first);
    const other = identity(await createDirectory({ seed: 43, tenants: 3 }));
    assert.notDeepEqual(other.map((t) => t[0]), first.map((t) => t[0]));
    assert.equal(new Set(first.map((t) => t[0])).size, 3);
    assert.deepEqual(first.map((t) => t[2]), ['Contoso', 'Fabrikam', 'Northwind Traders']);
  });

  it('finds a tenant by GUID or by domain in any case', async () => {
    const { tenants } = await createDirectory({ seed: 1, tenants: 1 });
    const [tenant] = tenants;
    assert.equal(findTenant(tenants, tenant?.tenantId.toUpperCase() ?? ''), tenant);
    assert.equal(findTenant(tenants, 'TENANT1.onmicrosoft.com'), tenant);
    assert.equal(findTenant(tenants, 'tenant9.onmicrosoft.com'), undefined);
  });

  it('refuses a directory without tenants', async () => {
    await assert.rejects(createDirectory({ seed: 1, tenants: 0 }), /at least one tenant/);
  });
});
