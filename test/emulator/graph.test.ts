import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { credentialsOf, getJson, postForm, startIdentityHarness, type IdentityHarness } from './identity-harness.js';

const MANAGEMENT_APIS = 'c5393580-f805-4401-95e8-94b7a6ef2fc2';

async function graphToken(harness: IdentityHarness, clientId: string, secret: string, scope = 'https://graph.microsoft.com/.default'): Promise<string> {
  const tenant = harness.tenants.find((t) => t.apps.some((a) => a.clientId === clientId));
  const answer = await postForm(`${harness.url}/${tenant?.tenantId}/oauth2/v2.0/token`, {
    grant_type: 'client_credentials',
    client_id: clientId,
    client_secret: secret,
    scope,
  });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  return String(answer.body.access_token);
}

function assertGraphError(answer: { status: number; body: Record<string, unknown> }, status: number, code: string): string {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  const error = answer.body.error as { code: string; message: string; innerError: Record<string, string> };
  assert.equal(error.code, code);
  assert.match(error.innerError['request-id'] ?? '', /^[0-9a-f-]{36}$/);
  assert.match(error.innerError.date ?? '', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  return error.message;
}

describe('emulated Graph servicePrincipals lookup', () => {
  let harness: IdentityHarness;
  let token: string;
  let clientId: string;
  const lookup = (query: string, bearer = token) =>
    getJson(`${harness.url}/v1.0/servicePrincipals?${query}`, { Authorization: `Bearer ${bearer}` });

  before(async () => {
    harness = await startIdentityHarness();
    const { secretTenant } = credentialsOf(harness);
    clientId = secretTenant.clientId;
    token = await graphToken(harness, clientId, secretTenant.auth.secret);
  });
  after(() => harness.close());

  it('finds a first-party app by appId, with $select mirrored in @odata.context', async () => {
    const answer = await lookup(`$filter=appId eq '${MANAGEMENT_APIS}'&$select=displayName,appId`);
    assert.equal(answer.status, 200);
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json;odata\.metadata=minimal/);
    assert.deepEqual(answer.body, {
      '@odata.context': `${harness.url}/v1.0/$metadata#servicePrincipals(displayName,appId)`,
      value: [{ displayName: 'Office 365 Management APIs', appId: MANAGEMENT_APIS }],
    });
  });

  it('accepts %24-encoded option names and finds the tenant’s own app', async () => {
    const answer = await lookup(`%24filter=appId%20eq%20%27${clientId}%27&%24select=id,appId,displayName`);
    assert.equal(answer.status, 200);
    assert.equal(answer.body['@odata.context'], `${harness.url}/v1.0/$metadata#servicePrincipals(id,appId,displayName)`);
    assert.deepEqual((answer.body.value as { displayName: string }[]).map((sp) => sp.displayName), ['o365-elk collector']);
  });

  it('returns the full object without $select', async () => {
    const answer = await lookup(`$filter=appId eq '00000003-0000-0000-c000-000000000000'`);
    const [graph] = answer.body.value as Record<string, unknown>[];
    assert.equal(answer.body['@odata.context'], `${harness.url}/v1.0/$metadata#servicePrincipals`);
    assert.equal(graph?.displayName, 'Microsoft Graph');
    for (const property of ['id', 'accountEnabled', 'appOwnerOrganizationId', 'servicePrincipalNames', 'appRoles', 'keyCredentials']) {
      assert.ok(graph && property in graph, property);
    }
  });

  it('answers 200 with an empty value for an unknown appId', async () => {
    const answer = await lookup(`$filter=appId eq '${randomUUID()}'&$select=displayName,appId`);
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.value, []);
  });

  it('answers 400 Request_UnsupportedQuery for a malformed or unsupported filter', async () => {
    for (const filter of ["appId eq", "appId eq 'x' or", "startswith(displayName,'Micro')", "tags eq 'x'"]) {
      assertGraphError(await lookup(`$filter=${encodeURIComponent(filter)}`), 400, 'Request_UnsupportedQuery');
    }
  });

  it('answers 401 InvalidAuthenticationToken for a missing token and for one meant for another resource', async () => {
    assert.match(assertGraphError(await getJson(`${harness.url}/v1.0/servicePrincipals`), 401, 'InvalidAuthenticationToken'), /empty/);
    const { secretTenant } = credentialsOf(harness);
    const managementToken = await graphToken(harness, clientId, secretTenant.auth.secret, 'https://manage.office.com/.default');
    assert.match(assertGraphError(await lookup('', managementToken), 401, 'InvalidAuthenticationToken'), /audience/);
  });

  it('answers 403 Authorization_RequestDenied to an app without Application.Read.All', async () => {
    const tenant = harness.tenants[0];
    assert.ok(tenant);
    const unprivileged = { clientId: randomUUID(), displayName: 'no graph roles', secrets: ['s3cret'], certificates: [], roles: { management: [], graph: [] } };
    tenant.apps.push(unprivileged);
    const bearer = await graphToken(harness, unprivileged.clientId, 's3cret');
    const message = assertGraphError(await lookup(`$filter=appId eq '${MANAGEMENT_APIS}'`, bearer), 403, 'Authorization_RequestDenied');
    assert.equal(message, 'Insufficient privileges to complete the operation.');
  });

  it('answers 401 once the token has expired on the virtual clock', async () => {
    const { secretTenant } = credentialsOf(harness);
    const shortLived = await graphToken(harness, clientId, secretTenant.auth.secret);
    harness.clock.advance(3600_000);
    assert.match(assertGraphError(await lookup('', shortLived), 401, 'InvalidAuthenticationToken'), /expired/);
  });
});

describe('emulated Graph throttling', () => {
  it('answers 429 TooManyRequests with Retry-After when every request is throttled', async () => {
    const harness = await startIdentityHarness({ faults: { graphThrottleRate: 1 } });
    try {
      const { secretTenant } = credentialsOf(harness);
      const token = await graphToken(harness, secretTenant.clientId, secretTenant.auth.secret);
      const answer = await getJson(`${harness.url}/v1.0/servicePrincipals?$filter=appId eq '${MANAGEMENT_APIS}'`, {
        Authorization: `Bearer ${token}`,
      });
      assertGraphError(answer, 429, 'TooManyRequests');
      assert.match(answer.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
      assert.equal(answer.headers.get('x-ms-throttle-scope'), `Tenant_Application/ReadWrite/${secretTenant.clientId}/${secretTenant.tenantId}`);
    } finally {
      await harness.close();
    }
  });

  it('throttles about the configured share of requests', async () => {
    const harness = await startIdentityHarness({ faults: { graphThrottleRate: 0.3 } });
    try {
      const { secretTenant } = credentialsOf(harness);
      const token = await graphToken(harness, secretTenant.clientId, secretTenant.auth.secret);
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        statuses.push((await getJson(`${harness.url}/v1.0/servicePrincipals?$select=appId`, { Authorization: `Bearer ${token}` })).status);
      }
      const throttled = statuses.filter((s) => s === 429).length;
      assert.ok(throttled > 5 && throttled < 35, `${throttled} of 60 throttled`);
      assert.ok(statuses.every((s) => s === 200 || s === 429));
    } finally {
      await harness.close();
    }
  });
});
