// A real HTTP(S) server carrying the emulated Entra ID and Graph, for the identity and Graph tests.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createClock } from '../../src/emulator/clock.js';
import { createDirectory, type TenantCredentials } from '../../src/emulator/directory.js';
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import { createGraphService } from '../../src/emulator/graph.js';
import { createIdentityService, type IdentityService } from '../../src/emulator/identity/index.js';
import { createCertificateAuthority, issueServerCertificate, type Pem } from '../../src/emulator/pki.js';
import type { Clock, EmulatedTenant, Faults, RouteHandler } from '../../src/emulator/types.js';

export interface IdentityHarness {
  url: string;
  ca: Pem | undefined;
  tenants: EmulatedTenant[];
  credentials: TenantCredentials[];
  clock: Clock;
  identity: IdentityService;
  close(): Promise<void>;
}

export async function startIdentityHarness(
  options: { https?: boolean; faults?: Partial<Faults>; rejectReusedAssertions?: boolean } = {},
): Promise<IdentityHarness> {
  const { tenants, credentials } = await createDirectory({ seed: 7 });
  const clock = createClock();
  const faults = { ...FAULT_PRESETS.none, ...options.faults };
  const identity = createIdentityService({
    tenants,
    clock,
    faults,
    rejectReusedAssertions: options.rejectReusedAssertions ?? false,
  });
  const routes: RouteHandler[] = [
    createGraphService({ tenants, faults, verifyAccessToken: identity.verifyAccessToken }),
    identity.routes,
  ];
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://placeholder');
      for (const route of routes) {
        if (await route(req, res, url)) return;
      }
      res.writeHead(404).end();
    })();
  };

  let ca: Pem | undefined;
  let server: Server;
  if (options.https) {
    ca = await createCertificateAuthority('identity test CA');
    const leaf = await issueServerCertificate(ca, { dns: ['localhost'], ips: ['127.0.0.1'] });
    server = createHttpsServer({ key: leaf.privateKeyPem, cert: leaf.certificatePem }, handle);
  } else {
    server = createHttpServer(handle);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${options.https ? 'https' : 'http'}://127.0.0.1:${port}`,
    ca,
    tenants,
    credentials,
    clock,
    identity,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The tenant whose app signs in with a secret, and the one whose app signs in with a certificate. */
export function credentialsOf(harness: IdentityHarness): {
  secretTenant: TenantCredentials & { auth: { kind: 'secret' } };
  certificateTenant: TenantCredentials & { auth: { kind: 'certificate' } };
} {
  const secretTenant = harness.credentials.find((c) => c.auth.kind === 'secret');
  const certificateTenant = harness.credentials.find((c) => c.auth.kind === 'certificate');
  if (secretTenant?.auth.kind !== 'secret' || certificateTenant?.auth.kind !== 'certificate') {
    throw new Error('the default directory must hold a secret tenant and a certificate tenant');
  }
  return {
    secretTenant: secretTenant as TenantCredentials & { auth: { kind: 'secret' } },
    certificateTenant: certificateTenant as TenantCredentials & { auth: { kind: 'certificate' } },
  };
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

export async function postForm(url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  const response = await fetch(url, { headers });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** The claims of a JWT, read without checking it. */
export function jwtClaims(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

export function jwtHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}
