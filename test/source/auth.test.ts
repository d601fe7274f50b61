import assert from 'node:assert/strict';
import { createPublicKey, X509Certificate } from 'node:crypto';
import { describe, test } from 'node:test';
import { compactVerify, decodeProtectedHeader } from 'jose';
import { createSelfSignedCertificate, certificateThumbprints } from '../../src/emulator/pki.js';
import { AuthError } from '../../src/source/auth/auth-error.js';
import { createTokenProvider } from '../../src/source/auth/token-provider.js';
import type { ClientCredential } from '../../src/source/options.js';
import { captureLogger, readBody, sendJson, startHttpServer, startHttpsServer, type TestServer } from './support/servers.js';

const TENANT = '11111111-2222-3333-4444-555555555555';
const CLIENT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const SECRET = 'super-secret-value~123';
const API = 'https://manage.office.com';

interface TokenRequest {
  path: string;
  form: URLSearchParams;
}
type Answer = { status: number; body: unknown };

/** A token endpoint that records requests and answers what the test scripts. */
async function startTokenEndpoint(answer: (request: TokenRequest, count: number) => Answer) {
  const requests: TokenRequest[] = [];
  const server = await startHttpsServer(async (req, res) => {
    const request = { path: req.url ?? '', form: new URLSearchParams(await readBody(req)) };
    requests.push(request);
    const { status, body } = answer(request, requests.length);
    sendJson(res, status, body);
  });
  return { server, requests };
}

function tokenAnswer(expiresIn = 3599): (request: TokenRequest, count: number) => Answer {
  return (_request, count) => ({ status: 200, body: { token_type: 'Bearer', expires_in: expiresIn, ext_expires_in: expiresIn, access_token: `token-${count}` } });
}

function aadError(status: number, error: string, code: number, text: string): Answer {
  return {
    status,
    body: {
      error,
      error_description: `AADSTS${code}: ${text}\r\nTrace ID: 6f6c4645-0202-4486-b625-fa957dfc4700\r\nCorrelation ID: 5fc87507-4086-4e77-b415-cee677eb232e\r\nTimestamp: 2023-05-06 06:03:00Z`,
      error_codes: [code],
      timestamp: '2023-05-06 06:03:00Z',
    },
  };
}

function provider(server: TestServer, credential: ClientCredential = { kind: 'secret', secret: SECRET }, logger = captureLogger().logger) {
  return createTokenProvider(
    { tenantId: TENANT, clientId: CLIENT, credential, loginUrl: server.url, ca: [server.ca], rejectUnauthorized: true, requestTimeoutMs: 5000 },
    { logger, configPath: 'tenants[0]' },
  );
}

describe('token provider', () => {
  test('gets a token with a client secret for the API scope, then serves it from cache', async () => {
    const { server, requests } = await startTokenEndpoint(tokenAnswer());
    const tokens = provider(server);
    try {
      assert.equal(await tokens.getToken(API), 'token-1');
      assert.equal(await tokens.getToken(`${API}/`), 'token-1');
      assert.equal(requests.length, 1);
      const [request] = requests;
      assert.equal(request?.path.split('?')[0], `/${TENANT}/oauth2/v2.0/token`);
      assert.equal(request?.form.get('scope'), `${API}/.default`);
      assert.equal(request?.form.get('client_id'), CLIENT);
      assert.equal(request?.form.get('client_secret'), SECRET);
      assert.equal(request?.form.get('grant_type'), 'client_credentials');
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test('fetches a new token when the cached one is about to expire, and on forceRefresh', async () => {
    // Tokens with less than five minutes left are not served from cache.
    const { server, requests } = await startTokenEndpoint(tokenAnswer(120));
    const tokens = provider(server);
    try {
      assert.equal(await tokens.getToken(API), 'token-1');
      assert.equal(await tokens.getToken(API), 'token-2');
      assert.equal(requests.length, 2);
    } finally {
      await tokens.close();
      await server.close();
    }
    const fresh = await startTokenEndpoint(tokenAnswer());
    const refreshing = provider(fresh.server);
    try {
      assert.equal(await refreshing.getToken(API), 'token-1');
      assert.equal(await refreshing.getToken(API, { forceRefresh: true }), 'token-2');
      assert.equal(await refreshing.getToken(API), 'token-2');
    } finally {
      await refreshing.close();
      await fresh.server.close();
    }
  });

  test('keeps one token per resource and shares one request between concurrent callers', async () => {
    const { server, requests } = await startTokenEndpoint(tokenAnswer());
    const tokens = provider(server);
    try {
      const [a, b] = await Promise.all([tokens.getToken(API), tokens.getToken(API)]);
      assert.equal(a, b);
      await tokens.getToken('https://graph.microsoft.com');
      assert.deepEqual(requests.map((r) => r.form.get('scope')), [`${API}/.default`, 'https://graph.microsoft.com/.default']);
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test('signs a PS256 client assertion with the SHA-256 thumbprint when the certificate is given', async () => {
    const certificate = await createSelfSignedCertificate('o365-elk test app');
    const { server, requests } = await startTokenEndpoint(tokenAnswer());
    const tokens = provider(server, { kind: 'certificate', privateKeyPem: certificate.privateKeyPem, certificatePem: certificate.certificatePem });
    try {
      assert.equal(await tokens.getToken(API), 'token-1');
      const form = requests[0]?.form;
      assert.equal(form?.get('client_assertion_type'), 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      assert.equal(form?.get('client_secret'), null);
      const assertion = form?.get('client_assertion') ?? '';
      const header = decodeProtectedHeader(assertion);
      assert.equal(header.alg, 'PS256');
      assert.equal(header['x5t#S256'], certificateThumbprints(certificate.certificatePem).x5tS256);
      const publicKey = createPublicKey(new X509Certificate(certificate.certificatePem).publicKey.export({ format: 'pem', type: 'spki' }));
      const { payload } = await compactVerify(assertion, publicKey);
      const claims = JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown>;
      assert.equal(claims.iss, CLIENT);
      assert.equal(claims.sub, CLIENT);
      assert.equal(claims.aud, `${server.url}/${TENANT}/oauth2/v2.0/token`);
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test('signs an RS256 assertion with the SHA-1 thumbprint when only the thumbprint is configured', async () => {
    const certificate = await createSelfSignedCertificate('o365-elk thumbprint app');
    const thumbprints = certificateThumbprints(certificate.certificatePem);
    const { server, requests } = await startTokenEndpoint(tokenAnswer());
    const tokens = provider(server, { kind: 'certificate', privateKeyPem: certificate.privateKeyPem, thumbprintSha1Hex: thumbprints.sha1Hex });
    try {
      await tokens.getToken(API);
      const header = decodeProtectedHeader(requests[0]?.form.get('client_assertion') ?? '');
      assert.equal(header.alg, 'RS256');
      assert.equal(header.x5t, thumbprints.x5t);
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test('refuses a private key that does not belong to the certificate, before any request', async () => {
    const [one, other] = await Promise.all([createSelfSignedCertificate('one'), createSelfSignedCertificate('other')]);
    const { server, requests } = await startTokenEndpoint(tokenAnswer());
    try {
      assert.throws(
        () => provider(server, { kind: 'certificate', privateKeyPem: one.privateKeyPem, certificatePem: other.certificatePem }),
        (error: unknown) => error instanceof AuthError && error.kind === 'config' && /does not belong to the certificate/.test(error.message),
      );
      assert.equal(requests.length, 0);
    } finally {
      await server.close();
    }
  });
});

describe('authentication failures', () => {
  const cases: Array<{ name: string; answer: Answer; kind: AuthError['kind']; aadsts: number; mentions: RegExp }> = [
    {
      name: 'wrong secret',
      answer: aadError(401, 'invalid_client', 7000215, `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT}'.`),
      kind: 'wrong-secret',
      aadsts: 7000215,
      mentions: /client secret is wrong \(AADSTS7000215\) — create a new secret .* set tenants\[0\]\.auth/,
    },
    {
      name: 'expired secret',
      answer: aadError(401, 'invalid_client', 7000222, `The provided client secret keys for app '${CLIENT}' are expired.`),
      kind: 'expired-secret',
      aadsts: 7000222,
      mentions: /secret has expired .* create a new secret/,
    },
    {
      name: 'unknown certificate',
      answer: aadError(401, 'invalid_client', 700027, 'Client assertion failed signature validation.'),
      kind: 'certificate',
      aadsts: 700027,
      mentions: /not registered on app .* upload the certificate/,
    },
    {
      name: 'assertion outside its time range',
      answer: aadError(401, 'invalid_client', 700024, 'Client assertion is not within its valid time range.'),
      kind: 'assertion-time',
      aadsts: 700024,
      mentions: /clock/,
    },
    {
      name: 'app not found',
      answer: aadError(400, 'unauthorized_client', 700016, `Application with identifier '${CLIENT}' was not found in the directory '${TENANT}'.`),
      kind: 'app-not-found',
      aadsts: 700016,
      mentions: /not found in the tenant .* tenants\[0\]\.client_id .* consent/,
    },
    {
      name: 'app disabled',
      answer: aadError(400, 'unauthorized_client', 7000112, `Application '${CLIENT}' is disabled.`),
      kind: 'app-disabled',
      aadsts: 7000112,
      mentions: /disabled .* enable/,
    },
    {
      name: 'consent missing',
      answer: aadError(400, 'invalid_grant', 65001, 'The user or administrator has not consented to use the application.'),
      kind: 'consent-missing',
      aadsts: 65001,
      mentions: /admin consent/,
    },
    {
      name: 'unknown tenant',
      answer: aadError(400, 'invalid_tenant', 90002, `Tenant '${TENANT}' not found.`),
      kind: 'unknown-tenant',
      aadsts: 90002,
      mentions: /tenant was not found .* tenants\[0\]\.tenant_id/,
    },
    {
      name: 'malformed tenant',
      answer: aadError(400, 'invalid_request', 900023, "Specified tenant identifier 'x' is neither a valid DNS name, nor a valid external domain."),
      kind: 'unknown-tenant',
      aadsts: 900023,
      mentions: /neither a GUID nor a verified domain/,
    },
  ];

  for (const { name, answer, kind, aadsts, mentions } of cases) {
    test(`${name} gives one line naming the fix, without the secret`, async () => {
      const { server } = await startTokenEndpoint(() => answer);
      const { logger, lines } = captureLogger();
      const tokens = provider(server, { kind: 'secret', secret: SECRET }, logger);
      try {
        const error = await tokens.getToken(API).then(
          () => assert.fail('expected an AuthError'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof AuthError, String(error));
        assert.equal(error.kind, kind);
        assert.equal(error.aadsts, aadsts);
        assert.match(error.message, new RegExp(`^authentication failed for tenant ${TENANT}: `));
        assert.match(error.message, mentions);
        assert.doesNotMatch(error.message, /\n/);
        assert.ok(!error.message.includes(SECRET));
        assert.ok(lines().length > 0);
        assert.ok(lines().every((line) => !line.includes(SECRET)));
      } finally {
        await tokens.close();
        await server.close();
      }
    });
  }

  test('Entra ID unavailable is a transient failure naming the status and AADSTS code, and the next request asks Entra ID again', async () => {
    const { server, requests } = await startTokenEndpoint((_request, count) =>
      count <= 2
        ? aadError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.')
        : tokenAnswer()(_request, count),
    );
    const tokens = provider(server);
    try {
      for (let i = 0; i < 2; i++) {
        await assert.rejects(tokens.getToken(API), (error: unknown) => {
          assert.ok(error instanceof AuthError);
          assert.equal(error.kind, 'throttled');
          assert.ok(error.transient);
          assert.equal(error.answer.status, 503);
          assert.equal(error.aadsts, 90033);
          assert.match(error.message, /unavailable or throttling token requests \(HTTP 503, AADSTS90033\) — .* tried again after a pause$/);
          return true;
        });
      }
      // No minute-long replay of the failure from MSAL's throttling cache: the pause is the caller's backoff.
      assert.equal(await tokens.getToken(API), 'token-3');
      assert.equal(requests.length, 3);
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test("a token request without an answer: the caller's signal ends the wait, and close() ends the request", { timeout: 60_000 }, async () => {
    const held: Promise<void>[] = [];
    const server = await startHttpsServer((req) => {
      held.push(new Promise((resolve) => req.socket.once('close', () => resolve())));
    });
    // Far longer than the test may take: only aborting the request can end it in time.
    const tokens = createTokenProvider(
      { tenantId: TENANT, clientId: CLIENT, credential: { kind: 'secret', secret: SECRET }, loginUrl: server.url, ca: [server.ca], rejectUnauthorized: true, requestTimeoutMs: 600_000 },
      { logger: captureLogger().logger },
    );
    try {
      const stop = new AbortController();
      const waiting = tokens.getToken(API, { signal: stop.signal });
      while (held.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      stop.abort(new Error('stopping'));
      await assert.rejects(waiting, /stopping/);
    } finally {
      await tokens.close();
    }
    try {
      await held[0];
    } finally {
      await server.close();
    }
  });

  test('an unreachable login host is a network error naming the host', async () => {
    const closed = await startHttpsServer(() => undefined);
    await closed.close();
    const tokens = provider(closed);
    try {
      await assert.rejects(tokens.getToken(API), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.kind, 'network');
        assert.ok(error.transient);
        assert.match(error.message, new RegExp(`cannot reach ${closed.url.replace(/[.]/g, '\\.')} \\(ECONNREFUSED\\)`));
        return true;
      });
    } finally {
      await tokens.close();
    }
  });

  test('an untrusted login certificate is a TLS error that says which setting to change', async () => {
    const { server } = await startTokenEndpoint(tokenAnswer());
    const tokens = createTokenProvider(
      { tenantId: TENANT, clientId: CLIENT, credential: { kind: 'secret', secret: SECRET }, loginUrl: server.url, rejectUnauthorized: true },
      { logger: captureLogger().logger, configPath: 'tenants[2]' },
    );
    try {
      await assert.rejects(tokens.getToken(API), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.kind, 'tls');
        assert.match(error.message, /tenants\[2\]\.ssl\.certificate_authorities/);
        return true;
      });
    } finally {
      await tokens.close();
      await server.close();
    }
  });

  test('a login URL that is not HTTPS is refused clearly', async () => {
    const plain = await startHttpServer(() => undefined);
    try {
      const tokens = createTokenProvider(
        { tenantId: TENANT, clientId: CLIENT, credential: { kind: 'secret', secret: SECRET }, loginUrl: plain.url, rejectUnauthorized: true },
        { logger: captureLogger().logger, configPath: 'tenants[0]' },
      );
      await assert.rejects(tokens.getToken(API), (error: unknown) => {
        assert.ok(error instanceof AuthError);
        assert.equal(error.kind, 'config');
        assert.match(error.message, /login_url http:\/\/127\.0\.0\.1:\d+ is not a usable https:\/\/ URL/);
        return true;
      });
      await tokens.close();
    } finally {
      await plain.close();
    }
  });
});
