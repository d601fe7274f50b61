import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { getJson, startIdentityHarness, type IdentityHarness } from './identity-harness.js';

/** GET with a Host header of our choosing, as a client reaching the emulator through a hosts file sends it. */
function getWithHost(url: string, host: string): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { Host: host } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('emulated Entra ID discovery documents', () => {
  let harness: IdentityHarness;
  let tenantId: string;
  let domain: string;

  before(async () => {
    harness = await startIdentityHarness();
    const [tenant] = harness.tenants;
    assert.ok(tenant);
    ({ tenantId, domain } = tenant);
  });
  after(() => harness.close());

  it('answers instance discovery for the emulator as MSAL asks it', async () => {
    const authorize = `${harness.url}/${tenantId}/oauth2/v2.0/authorize`;
    const answer = await getJson(
      `${harness.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent(authorize)}`,
    );
    assert.equal(answer.status, 200);
    assert.equal(answer.body.tenant_discovery_endpoint, `${harness.url}/${tenantId}/v2.0/.well-known/openid-configuration`);
    const host = new URL(harness.url).host;
    const metadata = answer.body.metadata as { aliases: string[] }[];
    assert.ok(metadata.some((cloud) => cloud.aliases.includes(host)));
    assert.ok(metadata.some((cloud) => cloud.aliases.includes('login.microsoftonline.com')));
  });

  it('refuses instance discovery for a host that is no login authority', async () => {
    const answer = await getJson(
      `${harness.url}/common/discovery/instance?api-version=1.1&authorization_endpoint=${encodeURIComponent('https://evil.example/x/oauth2/v2.0/authorize')}`,
    );
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error, 'invalid_instance');
    assert.deepEqual(answer.body.error_codes, [50049]);
  });

  it('serves the v2 OpenID configuration, by domain as by GUID, with working links', async () => {
    const answer = await getJson(`${harness.url}/${domain}/v2.0/.well-known/openid-configuration`);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'max-age=86400, private');
    const config = answer.body;
    assert.equal(config.issuer, `${harness.url}/${tenantId}/v2.0`);
    assert.equal(config.token_endpoint, `${harness.url}/${tenantId}/oauth2/v2.0/token`);
    assert.deepEqual(config.token_endpoint_auth_methods_supported, ['client_secret_post', 'private_key_jwt', 'client_secret_basic']);
    const keys = await getJson(String(config.jwks_uri));
    const [key] = keys.body.keys as Record<string, unknown>[];
    assert.equal(key?.kty, 'RSA');
    assert.equal(key?.issuer, config.issuer);
  });

  it('serves the v1 OpenID configuration naming the sts.windows.net issuer of its tokens', async () => {
    const answer = await getJson(`${harness.url}/${tenantId}/.well-known/openid-configuration`);
    assert.equal(answer.body.issuer, `https://sts.windows.net/${tenantId}/`);
    assert.equal(answer.body.token_endpoint, `${harness.url}/${tenantId}/oauth2/token`);
    assert.equal((await getJson(String(answer.body.jwks_uri))).status, 200);
    assert.equal((await getJson(`${harness.url}/discovery/keys`)).status, 200);
  });

  it('uses the {tenantid} placeholder for common and refuses unknown tenants', async () => {
    const common = await getJson(`${harness.url}/common/v2.0/.well-known/openid-configuration`);
    assert.equal(common.body.issuer, `${harness.url}/{tenantid}/v2.0`);
    const unknown = await getJson(`${harness.url}/nobody.onmicrosoft.com/v2.0/.well-known/openid-configuration`);
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.error, 'invalid_tenant');
  });

  it('builds every URL on the host the client reached, such as login.microsoftonline.com through a hosts file', async () => {
    const answer = await getWithHost(`${harness.url}/${tenantId}/v2.0/.well-known/openid-configuration`, 'login.microsoftonline.com');
    assert.equal(answer.body.token_endpoint, `http://login.microsoftonline.com/${tenantId}/oauth2/v2.0/token`);
    assert.equal(answer.body.cloud_instance_name, 'microsoftonline.com');
    assert.equal(answer.body.msgraph_host, 'graph.microsoft.com');
    const odd = await getWithHost(`${harness.url}/${tenantId}/v2.0/.well-known/openid-configuration`, 'bad host"><');
    assert.equal(odd.body.token_endpoint, `${harness.url}/${tenantId}/oauth2/v2.0/token`);
  });
});
