import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { importPKCS8, SignJWT } from 'jose';
import { certificateThumbprints, createSelfSignedCertificate, type Pem } from '../../src/emulator/pki.js';
import {
  credentialsOf,
  getJson,
  jwtClaims,
  jwtHeader,
  postForm,
  startIdentityHarness,
  type HttpAnswer,
  type IdentityHarness,
} from './identity-harness.js';

const MANAGEMENT_SCOPE = 'https://manage.office.com/.default';
const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

/** Checks an answer is Entra's error body (contract §6.5) with this status, class and AADSTS code. */
function assertAadsts(answer: HttpAnswer, status: number, error: string, code: number): string {
  assert.equal(answer.status, status, JSON.stringify(answer.body));
  const body = answer.body;
  assert.equal(body.error, error);
  assert.deepEqual(body.error_codes, [code]);
  assert.match(String(body.timestamp), /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}Z$/);
  assert.match(String(body.trace_id), /^[0-9a-f-]{36}$/);
  assert.match(String(body.correlation_id), /^[0-9a-f-]{36}$/);
  assert.equal(body.error_uri, `${new URL(String(body.error_uri)).origin}/error?code=${code}`);
  const description = String(body.error_description);
  assert.ok(
    description.endsWith(`\r\nTrace ID: ${body.trace_id}\r\nCorrelation ID: ${body.correlation_id}\r\nTimestamp: ${body.timestamp}`),
    description,
  );
  assert.ok(description.startsWith(`AADSTS${code}: `), description);
  return description;
}

async function signAssertion(
  key: Pem,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { x5t: certificateThumbprints(key.certificatePem).x5t },
  alg = 'RS256',
): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg, typ: 'JWT', ...header })
    .sign(await importPKCS8(key.privateKeyPem, alg));
}

describe('emulated Entra ID token endpoint', () => {
  let harness: IdentityHarness;
  let secretTenant: ReturnType<typeof credentialsOf>['secretTenant'];
  let certificateTenant: ReturnType<typeof credentialsOf>['certificateTenant'];
  let appKey: Pem;
  let strangerKey: Pem;

  const tokenUrl = (tenant: string, version: 'v1' | 'v2' = 'v2') =>
    `${harness.url}/${tenant}/${version === 'v2' ? 'oauth2/v2.0/token' : 'oauth2/token'}`;
  const secretForm = (overrides: Record<string, string> = {}) => ({
    grant_type: 'client_credentials',
    client_id: secretTenant.clientId,
    client_secret: secretTenant.auth.secret,
    scope: MANAGEMENT_SCOPE,
    ...overrides,
  });
  const assertionClaims = (overrides: Record<string, unknown> = {}) => {
    const now = Math.floor(harness.clock.now() / 1000);
    return {
      aud: tokenUrl(certificateTenant.tenantId),
      iss: certificateTenant.clientId,
      sub: certificateTenant.clientId,
      jti: randomUUID(),
      nbf: now,
      exp: now + 600,
      ...overrides,
    };
  };
  const assertionForm = (assertion: string) => ({
    grant_type: 'client_credentials',
    client_id: certificateTenant.clientId,
    client_assertion_type: ASSERTION_TYPE,
    client_assertion: assertion,
    scope: MANAGEMENT_SCOPE,
  });

  before(async () => {
    harness = await startIdentityHarness();
    ({ secretTenant, certificateTenant } = credentialsOf(harness));
    appKey = { certificatePem: certificateTenant.auth.certificatePem, privateKeyPem: certificateTenant.auth.privateKeyPem };
    strangerKey = await createSelfSignedCertificate('not registered anywhere');
  });
  after(() => harness.close());

  it('issues a v2 token for a client secret, with numeric lifetimes and the v1 claim set', async () => {
    const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm());
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('cache-control'), 'no-store, no-cache');
    const { access_token: token, ...rest } = answer.body;
    assert.deepEqual(rest, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599 });
    const claims = jwtClaims(String(token));
    assert.equal(claims.aud, 'https://manage.office.com');
    assert.equal(claims.iss, `https://sts.windows.net/${secretTenant.tenantId}/`);
    assert.equal(claims.tid, secretTenant.tenantId);
    assert.equal(claims.appid, secretTenant.clientId);
    assert.equal(claims.appidacr, '1');
    assert.equal(claims.idtyp, 'app');
    assert.equal(claims.ver, '1.0');
    assert.equal(claims.sub, claims.oid);
    assert.deepEqual(claims.roles, ['ActivityFeed.Read', 'ActivityFeed.ReadDlp']);
    assert.equal(Number(claims.exp) - Number(claims.iat), 3599);
    const header = jwtHeader(String(token));
    assert.equal(header.alg, 'RS256');
    assert.equal(header.kid, header.x5t);
  });

  it('signs tokens with a key published in the JWKS', async () => {
    const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm());
    const keys = await getJson(`${harness.url}/${secretTenant.tenantId}/discovery/v2.0/keys`);
    const published = (keys.body.keys as { kid: string; x5c: string[] }[]).map((k) => k.kid);
    assert.deepEqual(published, [jwtHeader(String(answer.body.access_token)).kid]);
  });

  it('answers the v1 endpoint with string lifetimes and the resource, also with ?api-version=1.0', async () => {
    const answer = await postForm(`${tokenUrl(secretTenant.domain, 'v1')}?api-version=1.0`, {
      grant_type: 'client_credentials',
      client_id: secretTenant.clientId,
      client_secret: secretTenant.auth.secret,
      resource: 'https://manage.office.com',
    });
    assert.equal(answer.status, 200);
    const body = answer.body;
    assert.equal(body.expires_in, '3599');
    assert.equal(body.ext_expires_in, '3599');
    assert.equal(body.resource, 'https://manage.office.com');
    assert.equal(Number(body.expires_on) - Number(body.not_before), 3599);
    assert.equal(jwtClaims(String(body.access_token)).tid, secretTenant.tenantId);
  });

  it('accepts the secret as HTTP Basic credentials and ignores MSAL telemetry fields', async () => {
    const basic = Buffer.from(`${secretTenant.clientId}:${encodeURIComponent(secretTenant.auth.secret)}`).toString('base64');
    const answer = await postForm(
      tokenUrl(secretTenant.tenantId),
      { grant_type: 'client_credentials', scope: MANAGEMENT_SCOPE, 'x-client-SKU': 'msal.js.node', 'x-client-last-telemetry': '5|0|||0,0' },
      { Authorization: `Basic ${basic}` },
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
  });

  it('gives a token for the emulator origin that both the Activity API and Graph accept', async () => {
    const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm({ scope: `${harness.url}/.default` }));
    const bearer = `Bearer ${String(answer.body.access_token)}`;
    const management = harness.identity.verifyAccessToken(bearer, 'management');
    const graph = harness.identity.verifyAccessToken(bearer, 'graph');
    assert.ok(management.ok && graph.ok);
    assert.deepEqual(management.claims.roles, ['ActivityFeed.Read', 'ActivityFeed.ReadDlp', 'Application.Read.All']);
  });

  it('issues a token for a registered certificate, RS256 with x5t and PS256 with x5t#S256', async () => {
    for (const [alg, header] of [
      ['RS256', { x5t: certificateThumbprints(appKey.certificatePem).x5t }],
      ['PS256', { 'x5t#S256': certificateThumbprints(appKey.certificatePem).x5tS256 }],
    ] as const) {
      const assertion = await signAssertion(appKey, assertionClaims(), header, alg);
      const answer = await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion));
      assert.equal(answer.status, 200, `${alg}: ${JSON.stringify(answer.body)}`);
      assert.equal(jwtClaims(String(answer.body.access_token)).appidacr, '2');
    }
  });

  it('accepts the assertion audiences Entra documents, at the host the client used', async () => {
    for (const aud of [
      tokenUrl(certificateTenant.tenantId, 'v1'),
      `${harness.url}/${certificateTenant.tenantId}/v2.0`,
      `https://login.microsoftonline.com/${certificateTenant.tenantId}/oauth2/v2.0/token`,
    ]) {
      const assertion = await signAssertion(appKey, assertionClaims({ aud }));
      const answer = await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion));
      assert.equal(answer.status, 200, `${aud}: ${JSON.stringify(answer.body)}`);
    }
  });

  it('echoes client-request-id as the correlation id of an error', async () => {
    const id = randomUUID();
    const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm({ client_secret: 'wrong' }), {
      'client-request-id': id,
      'return-client-request-id': 'true',
    });
    assert.equal(answer.body.correlation_id, id);
    assert.equal(answer.headers.get('client-request-id'), id);
  });

  describe('answers each mistake with the AADSTS error Entra gives', () => {
    it('AADSTS700016 for an app the tenant does not have', async () => {
      const description = assertAadsts(
        await postForm(tokenUrl(secretTenant.tenantId), secretForm({ client_id: randomUUID() })),
        400,
        'unauthorized_client',
        700016,
      );
      assert.match(description, /was not found in the directory 'Contoso'/);
    });

    it('AADSTS7000215 for a wrong secret, without echoing the secret', async () => {
      const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm({ client_secret: 'not-the-secret-value' }));
      const description = assertAadsts(answer, 401, 'invalid_client', 7000215);
      assert.ok(!JSON.stringify(answer.body).includes('not-the-secret-value'));
      assert.ok(!description.includes(secretTenant.auth.secret));
    });

    it('AADSTS7000218 when neither a secret nor an assertion is sent', async () => {
      const { client_secret: _omitted, ...form } = secretForm();
      assertAadsts(await postForm(tokenUrl(secretTenant.tenantId), form), 401, 'invalid_client', 7000218);
    });

    it('AADSTS700027 for an assertion signed by a key the app never registered', async () => {
      const assertion = await signAssertion(strangerKey, assertionClaims());
      const description = assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion)), 401, 'invalid_client', 700027);
      assert.match(description, /The key was not found\., Thumbprint of key used by client: '([0-9A-F]{40})'/);
      assert.ok(description.includes(certificateThumbprints(strangerKey.certificatePem).sha1Hex.toUpperCase()));
    });

    it('AADSTS700027 for an assertion naming the registered certificate but signed by another key', async () => {
      const assertion = await signAssertion(strangerKey, assertionClaims(), { x5t: certificateThumbprints(appKey.certificatePem).x5t });
      const description = assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion)), 401, 'invalid_client', 700027);
      assert.match(description, /signature value did not match/);
    });

    it('AADSTS700024 for an expired assertion, and for one not valid yet', async () => {
      const now = Math.floor(harness.clock.now() / 1000);
      for (const times of [
        { nbf: now - 3600, exp: now - 1200 },
        { nbf: now + 1200, exp: now + 1800 },
      ]) {
        const assertion = await signAssertion(appKey, assertionClaims(times));
        const description = assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion)), 401, 'invalid_client', 700024);
        assert.match(description, /Current time: \d{4}-\d{2}-\d{2}T[\d:.]{16}Z, assertion valid from/);
      }
    });

    it('accepts an assertion within the five-minute clock skew', async () => {
      const now = Math.floor(harness.clock.now() / 1000);
      const assertion = await signAssertion(appKey, assertionClaims({ nbf: now + 240, exp: now + 840 }));
      assert.equal((await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion))).status, 200);
    });

    it('refuses a jti replayed in a new assertion, but lets MSAL resend the same assertion', async () => {
      const claims = assertionClaims();
      const first = await signAssertion(appKey, claims);
      assert.equal((await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(first))).status, 200);
      assert.equal((await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(first))).status, 200);
      const replay = await signAssertion(appKey, { ...claims, exp: claims.exp + 1 });
      const description = assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(replay)), 401, 'invalid_client', 50013);
      assert.ok(description.includes(String(claims.jti)));
    });

    it('AADSTS700021 when iss or sub is not the client id, AADSTS700023 for a foreign audience', async () => {
      const wrongIssuer = await signAssertion(appKey, assertionClaims({ iss: secretTenant.clientId }));
      assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(wrongIssuer)), 401, 'invalid_client', 700021);
      const wrongAudience = await signAssertion(appKey, assertionClaims({ aud: tokenUrl(secretTenant.tenantId) }));
      assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(wrongAudience)), 401, 'invalid_client', 700023);
    });

    it('AADSTS90002 for a tenant that does not exist', async () => {
      const unknown = randomUUID();
      const description = assertAadsts(await postForm(tokenUrl(unknown), secretForm()), 400, 'invalid_tenant', 90002);
      assert.ok(description.includes(`Tenant '${unknown}' not found`));
      assertAadsts(await postForm(tokenUrl('nobody.onmicrosoft.com'), secretForm()), 400, 'invalid_tenant', 90002);
    });

    it('AADSTS900023 for a tenant identifier that is neither a GUID nor a domain', async () => {
      assertAadsts(await postForm(tokenUrl('not a tenant!'), secretForm()), 400, 'invalid_request', 900023);
    });

    it('AADSTS9001023 for client credentials on common and organizations', async () => {
      for (const tenant of ['common', 'organizations']) {
        assertAadsts(await postForm(tokenUrl(tenant), secretForm()), 400, 'invalid_request', 9001023);
      }
    });

    it('AADSTS900144 naming the missing parameter', async () => {
      const { grant_type: _grant, ...withoutGrant } = secretForm();
      assert.match(assertAadsts(await postForm(tokenUrl(secretTenant.tenantId), withoutGrant), 400, 'invalid_request', 900144), /'grant_type'/);
      const { scope: _scope, ...withoutScope } = secretForm();
      assert.match(assertAadsts(await postForm(tokenUrl(secretTenant.tenantId), withoutScope), 400, 'invalid_request', 900144), /'scope'/);
    });

    it('AADSTS70003 for a grant type other than client credentials', async () => {
      assertAadsts(await postForm(tokenUrl(secretTenant.tenantId), secretForm({ grant_type: 'password' })), 400, 'unsupported_grant_type', 70003);
    });

    it('AADSTS1002012 for a scope without /.default, AADSTS70011 for two resources', async () => {
      assertAadsts(
        await postForm(tokenUrl(secretTenant.tenantId), secretForm({ scope: 'https://manage.office.com/ActivityFeed.Read' })),
        400,
        'invalid_scope',
        1002012,
      );
      assertAadsts(
        await postForm(tokenUrl(secretTenant.tenantId), secretForm({ scope: `${MANAGEMENT_SCOPE} https://graph.microsoft.com/.default` })),
        400,
        'invalid_scope',
        70011,
      );
    });

    it('AADSTS500011 for a resource that does not exist', async () => {
      const description = assertAadsts(
        await postForm(tokenUrl(secretTenant.tenantId), secretForm({ scope: 'https://manage.example.com/.default' })),
        400,
        'invalid_resource',
        500011,
      );
      assert.match(description, /resource principal named https:\/\/manage\.example\.com was not found in the tenant named Contoso/);
    });
  });

  describe('survives garbage', () => {
    it('answers a JSON body as a form without grant_type', async () => {
      const response = await fetch(tokenUrl(secretTenant.tenantId), {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(secretForm()),
      });
      assertAadsts({ status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> }, 400, 'invalid_request', 900144);
    });

    it('refuses a body over 64 KiB with 413 and keeps serving', async () => {
      const answer = await postForm(tokenUrl(secretTenant.tenantId), secretForm({ padding: 'x'.repeat(100 * 1024) }));
      assertAadsts(answer, 413, 'invalid_request', 90004);
      assert.equal((await postForm(tokenUrl(secretTenant.tenantId), secretForm())).status, 200);
    });

    it('answers a client assertion that is not a JWT with AADSTS50027', async () => {
      const header = Buffer.from(JSON.stringify({ alg: 'RS256', x5t: certificateThumbprints(appKey.certificatePem).x5t }));
      for (const assertion of ['not-a-jwt', 'a.b.c', `${header.toString('base64url')}.!!.??`]) {
        const answer = await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion));
        assertAadsts(answer, 400, 'invalid_request', 50027);
      }
    });

    it('answers an assertion that names no key with AADSTS700027', async () => {
      const assertion = await signAssertion(appKey, assertionClaims(), {});
      assert.match(
        assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion)), 401, 'invalid_client', 700027),
        /The key was not found/,
      );
    });

    it('refuses an unsigned or HMAC assertion as an unsupported algorithm', async () => {
      const claims = Buffer.from(JSON.stringify(assertionClaims())).toString('base64url');
      const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${claims}.`;
      const hmac = await new SignJWT(assertionClaims())
        .setProtectedHeader({ alg: 'HS256', x5t: certificateThumbprints(appKey.certificatePem).x5t })
        .sign(Buffer.from(appKey.certificatePem));
      for (const assertion of [unsigned, hmac]) {
        assert.match(
          assertAadsts(await postForm(tokenUrl(certificateTenant.tenantId), assertionForm(assertion)), 401, 'invalid_client', 700027),
          /algorithm '(none|HS256)' is not supported/,
        );
      }
    });

    it('keeps serving after a client hangs up halfway through its body', async () => {
      const { port } = new URL(harness.url);
      const socket = connect(Number(port), '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', resolve));
      socket.write(
        `POST /${secretTenant.tenantId}/oauth2/v2.0/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\ngrant_type=client_`,
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      socket.destroy();
      assert.equal((await postForm(tokenUrl(secretTenant.tenantId), secretForm())).status, 200);
    });

    it('answers GET on the token endpoint with AADSTS900561', async () => {
      const answer = await getJson(tokenUrl(secretTenant.tenantId));
      assertAadsts(answer, 400, 'invalid_request', 900561);
    });
  });
});

describe('access-token check used by the Activity API and Graph', () => {
  let harness: IdentityHarness;
  let token: string;

  before(async () => {
    harness = await startIdentityHarness();
    const { secretTenant } = credentialsOf(harness);
    const answer = await postForm(`${harness.url}/${secretTenant.tenantId}/oauth2/v2.0/token`, {
      grant_type: 'client_credentials',
      client_id: secretTenant.clientId,
      client_secret: secretTenant.auth.secret,
      scope: 'https://manage.office.com/.default',
    });
    token = String(answer.body.access_token);
  });
  after(() => harness.close());

  it('accepts a fresh token for its resource and reports its claims', () => {
    const check = harness.identity.verifyAccessToken(`Bearer ${token}`, 'management');
    assert.ok(check.ok);
    assert.deepEqual(check.claims.roles, ['ActivityFeed.Read', 'ActivityFeed.ReadDlp']);
  });

  it('names what is wrong with a bad token', () => {
    const [header, payload] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ ...jwtClaims(token), roles: ['Everything'] })).toString('base64url')}.${token.split('.')[2]}`;
    const reasons = [
      harness.identity.verifyAccessToken(undefined, 'management'),
      harness.identity.verifyAccessToken('Bearer ', 'management'),
      harness.identity.verifyAccessToken('Bearer not.a.token', 'management'),
      harness.identity.verifyAccessToken(`Basic ${token}`, 'management'),
      harness.identity.verifyAccessToken(`Bearer ${forged}`, 'management'),
      harness.identity.verifyAccessToken(`Bearer ${header}.${payload}.AAAA`, 'management'),
      harness.identity.verifyAccessToken(`Bearer ${token}`, 'graph'),
    ].map((check) => (check.ok ? 'ok' : check.reason));
    assert.deepEqual(reasons, ['missing', 'missing', 'malformed', 'malformed', 'signature', 'signature', 'audience']);
  });

  it('reports a token expired once the virtual clock passes its exp', () => {
    harness.clock.advance(3600_000);
    const check = harness.identity.verifyAccessToken(`Bearer ${token}`, 'management');
    assert.deepEqual(check, { ok: false, reason: 'expired' });
  });
});

describe('strict assertion replay option', () => {
  it('refuses the very same assertion sent twice', async () => {
    const harness = await startIdentityHarness({ rejectReusedAssertions: true });
    try {
      const { certificateTenant } = credentialsOf(harness);
      const now = Math.floor(harness.clock.now() / 1000);
      const url = `${harness.url}/${certificateTenant.tenantId}/oauth2/v2.0/token`;
      const key = { certificatePem: certificateTenant.auth.certificatePem, privateKeyPem: certificateTenant.auth.privateKeyPem };
      const assertion = await signAssertion(key, {
        aud: url,
        iss: certificateTenant.clientId,
        sub: certificateTenant.clientId,
        jti: randomUUID(),
        nbf: now,
        exp: now + 600,
      });
      const form = {
        grant_type: 'client_credentials',
        client_id: certificateTenant.clientId,
        client_assertion_type: ASSERTION_TYPE,
        client_assertion: assertion,
        scope: MANAGEMENT_SCOPE,
      };
      assert.equal((await postForm(url, form)).status, 200);
      assertAadsts(await postForm(url, form), 401, 'invalid_client', 50013);
    } finally {
      await harness.close();
    }
  });
});
