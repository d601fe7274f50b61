// @azure/msal-node, unchanged, signs in at the emulator over HTTPS. This is the configuration the
// collector uses: the emulator's base URL plus the tenant as authority, the URL's host as known
// authority (so MSAL skips instance discovery at login.microsoftonline.com), and a network client
// that trusts the emulator's CA for these requests only.
import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { ConfidentialClientApplication, ServerError, type INetworkModule, type NetworkRequestOptions, type NetworkResponse } from '@azure/msal-node';
import { Agent, fetch } from 'undici';
import { credentialsOf, jwtClaims, jwtHeader, startIdentityHarness, type IdentityHarness } from './identity-harness.js';

/** An MSAL network client that trusts `caPem` (and nothing else) for TLS; it keeps the last form it posted. */
function networkClientTrusting(caPem: string): { client: INetworkModule; lastForm: () => URLSearchParams; close: () => Promise<void> } {
  const dispatcher = new Agent({ connect: { ca: caPem } });
  let lastBody = '';
  const send = async <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    if (method === 'POST') lastBody = options?.body ?? '';
    const response = await fetch(url, {
      method,
      headers: options?.headers ?? {},
      ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
      dispatcher,
    });
    return { status: response.status, headers: Object.fromEntries(response.headers), body: (await response.json()) as T };
  };
  return {
    client: {
      sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'GET', options),
      sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options),
    },
    lastForm: () => new URLSearchParams(lastBody),
    close: () => dispatcher.close(),
  };
}

function assertionHeader(network: { lastForm: () => URLSearchParams }): Record<string, unknown> {
  return jwtHeader(network.lastForm().get('client_assertion') ?? '');
}

describe('MSAL for Node against the emulated Entra ID over HTTPS', () => {
  let harness: IdentityHarness;
  let network: ReturnType<typeof networkClientTrusting>;
  let knownAuthority: string;

  before(async () => {
    harness = await startIdentityHarness({ https: true });
    network = networkClientTrusting(harness.ca?.certificatePem ?? '');
    knownAuthority = new URL(harness.url).host;
  });
  after(async () => {
    await network.close();
    await harness.close();
  });

  const application = (tenant: string, auth: { clientId: string } & Record<string, unknown>) =>
    new ConfidentialClientApplication({
      auth: { authority: `${harness.url}/${tenant}`, knownAuthorities: [knownAuthority], ...auth },
      system: { networkClient: network.client },
    });

  it('acquires a token with a client secret', async () => {
    const { secretTenant } = credentialsOf(harness);
    const app = application(secretTenant.tenantId, { clientId: secretTenant.clientId, clientSecret: secretTenant.auth.secret });
    const result = await app.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] });
    assert.ok(result?.accessToken);
    const check = harness.identity.verifyAccessToken(`Bearer ${result.accessToken}`, 'management');
    assert.ok(check.ok);
    assert.equal(check.claims.tid, secretTenant.tenantId);
    assert.equal(jwtClaims(result.accessToken).appidacr, '1');
  });

  it('acquires a token with a certificate and its SHA-1 thumbprint (RS256, x5t), naming the tenant by domain', async () => {
    const { certificateTenant } = credentialsOf(harness);
    const app = application(certificateTenant.domain, {
      clientId: certificateTenant.clientId,
      clientCertificate: { thumbprint: certificateTenant.auth.thumbprintSha1Hex, privateKey: certificateTenant.auth.privateKeyPem },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] });
    assert.ok(result?.accessToken);
    assert.ok(harness.identity.verifyAccessToken(`Bearer ${result.accessToken}`, 'management').ok);
    assert.equal(jwtClaims(result.accessToken).appidacr, '2');
    const header = assertionHeader(network);
    assert.equal(header.alg, 'RS256');
    assert.equal(typeof header.x5t, 'string');
  });

  it('acquires a token with a certificate and its SHA-256 thumbprint (PS256, x5t#S256) and an x5c chain', async () => {
    const { certificateTenant } = credentialsOf(harness);
    const der = new X509Certificate(certificateTenant.auth.certificatePem).raw;
    const app = application(certificateTenant.tenantId, {
      clientId: certificateTenant.clientId,
      clientCertificate: {
        thumbprintSha256: createHash('sha256').update(der).digest('hex'),
        privateKey: certificateTenant.auth.privateKeyPem,
        x5c: certificateTenant.auth.certificatePem,
      },
    });
    const result = await app.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] });
    assert.ok(result && harness.identity.verifyAccessToken(`Bearer ${result.accessToken}`, 'management').ok);
    const header = assertionHeader(network);
    assert.equal(header.alg, 'PS256');
    assert.equal(typeof header['x5t#S256'], 'string');
    assert.equal((header.x5c as string[]).length, 1);
  });

  it('acquires Activity API and Graph tokens in a row, though MSAL resends its assertion for the second', async () => {
    const { certificateTenant } = credentialsOf(harness);
    const app = application(certificateTenant.tenantId, {
      clientId: certificateTenant.clientId,
      clientCertificate: { thumbprint: certificateTenant.auth.thumbprintSha1Hex, privateKey: certificateTenant.auth.privateKeyPem },
    });
    const management = await app.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] });
    const graph = await app.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
    assert.ok(management && graph);
    assert.ok(harness.identity.verifyAccessToken(`Bearer ${graph.accessToken}`, 'graph').ok);
    assert.deepEqual(jwtClaims(graph.accessToken).roles, ['Application.Read.All']);
  });

  it("acquires a token for the emulator's own URL as the resource", async () => {
    const { secretTenant } = credentialsOf(harness);
    const app = application(secretTenant.tenantId, { clientId: secretTenant.clientId, clientSecret: secretTenant.auth.secret });
    const result = await app.acquireTokenByClientCredential({ scopes: [`${harness.url}/.default`] });
    assert.ok(result && harness.identity.verifyAccessToken(`Bearer ${result.accessToken}`, 'graph').ok);
  });

  it("surfaces Entra's error code and AADSTS number for a wrong secret", async () => {
    const { secretTenant } = credentialsOf(harness);
    const app = application(secretTenant.tenantId, { clientId: secretTenant.clientId, clientSecret: 'wrong secret' });
    await assert.rejects(app.acquireTokenByClientCredential({ scopes: ['https://manage.office.com/.default'] }), (error: unknown) => {
      assert.ok(error instanceof ServerError);
      assert.equal(error.errorCode, 'invalid_client');
      assert.equal(String(error.errorNo), '7000215');
      return true;
    });
  });
});
