// Verifies a certificate credential (contract §6.3) in Entra's order: parse, algorithm, registered
// certificate by thumbprint, signature, iss = sub = client_id, audience, time range, jti. Each failure is
// the AADSTS error Entra answers with.
import { createHash, X509Certificate } from 'node:crypto';
import { compactVerify, decodeProtectedHeader, errors, importX509, type ProtectedHeaderParameters } from 'jose';
import { certificateThumbprints } from '../pki.js';
import type { EmulatedApp, EmulatedTenant, RegisteredCertificate } from '../types.js';
import { AADSTS } from './aadsts.js';
import { LOGIN_HOSTS } from './clouds.js';

export const JWT_BEARER_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const SKEW_SECONDS = 300;
const ALGORITHMS = ['RS256', 'PS256'];

export interface AssertionContext {
  tenant: EmulatedTenant;
  app: EmulatedApp;
  /** The emulator's origin as the client reached it; the assertion may name it as its audience. */
  origin: string;
  /** Virtual time, epoch milliseconds. */
  now: number;
  replayGuard: AssertionReplayGuard;
}

export async function verifyClientAssertion(assertion: string, context: AssertionContext): Promise<void> {
  const header = decodeHeader(assertion);
  const alg = typeof header.alg === 'string' ? header.alg : '';
  if (!ALGORITHMS.includes(alg)) throw AADSTS.assertionAlgorithm(alg);

  const { certificate, thumbprintHex } = findCertificate(header, context.app);
  if (!certificate) throw AADSTS.assertionKeyNotFound(thumbprintHex, context.app.clientId);
  let payloadBytes: Uint8Array;
  try {
    ({ payload: payloadBytes } = await compactVerify(assertion, await importX509(certificate.pem, alg), { algorithms: [alg] }));
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) throw AADSTS.assertionSignature(thumbprintHex);
    throw AADSTS.malformedAssertion();
  }
  const claims = parseClaims(payloadBytes);

  const clientId = context.app.clientId;
  const names = (claim: unknown) => typeof claim === 'string' && claim.toLowerCase() === clientId;
  if (!names(claims.iss) || !names(claims.sub)) throw AADSTS.assertionIssuer();

  const accepted = acceptedAudiences(context.tenant, context.origin);
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.some((aud) => typeof aud === 'string' && accepted.has(normalizeAudience(aud)))) {
    throw AADSTS.assertionAudience();
  }

  const nowSeconds = context.now / 1000;
  const notBefore = typeof claims.nbf === 'number' ? claims.nbf : 0;
  const expiry = typeof claims.exp === 'number' ? claims.exp : 0;
  if (nowSeconds < notBefore - SKEW_SECONDS || nowSeconds >= expiry + SKEW_SECONDS) {
    throw AADSTS.assertionTimeRange(context.now, notBefore * 1000, expiry * 1000);
  }

  if (typeof claims.jti === 'string') {
    const forgetAt = (expiry + SKEW_SECONDS) * 1000;
    if (!context.replayGuard.admit(clientId, claims.jti, assertion, forgetAt, context.now)) {
      throw AADSTS.assertionReplayed(claims.jti);
    }
  }
}

/**
 * Remembers the jti of every accepted assertion until it expires. A jti sent again inside a different
 * assertion is always a replay. The very same assertion sent again is what MSAL does — it reuses its
 * assertion for up to ten minutes across token requests — so it passes unless `rejectIdenticalReuse`.
 */
export interface AssertionReplayGuard {
  admit(clientId: string, jti: string, assertion: string, forgetAt: number, now: number): boolean;
}

const REPLAY_MEMORY_LIMIT = 100_000;

export function createAssertionReplayGuard(options: { rejectIdenticalReuse: boolean }): AssertionReplayGuard {
  const seen = new Map<string, { digest: string; forgetAt: number }>();
  return {
    admit(clientId, jti, assertion, forgetAt, now) {
      const key = `${clientId}\u0000${jti}`;
      const digest = createHash('sha256').update(assertion).digest('base64');
      const previous = seen.get(key);
      if (previous && previous.forgetAt > now) {
        return !options.rejectIdenticalReuse && previous.digest === digest;
      }
      if (seen.size >= REPLAY_MEMORY_LIMIT) forgetExpired(seen, now);
      // Still full of live entries: drop the oldest rather than grow without bound.
      if (seen.size >= REPLAY_MEMORY_LIMIT) seen.delete(seen.keys().next().value ?? '');
      seen.set(key, { digest, forgetAt });
      return true;
    },
  };
}

function forgetExpired(seen: Map<string, { forgetAt: number }>, now: number): void {
  for (const [key, entry] of seen) {
    if (entry.forgetAt <= now) seen.delete(key);
  }
}

function decodeHeader(assertion: string): ProtectedHeaderParameters {
  if (assertion.split('.').length !== 3) throw AADSTS.malformedAssertion();
  try {
    return decodeProtectedHeader(assertion);
  } catch {
    throw AADSTS.malformedAssertion();
  }
}

/** The registered certificate the header names (`x5t#S256`, else `x5t`, else the `x5c` leaf), and its thumbprint as hex for messages. */
function findCertificate(
  header: ProtectedHeaderParameters,
  app: EmulatedApp,
): { certificate: RegisteredCertificate | undefined; thumbprintHex: string } {
  const x5tS256 = header['x5t#S256'];
  const leaf = Array.isArray(header.x5c) && typeof header.x5c[0] === 'string' ? leafThumbprints(header.x5c[0]) : undefined;
  let wanted: { field: 'x5t' | 'x5tS256'; value: string } | undefined;
  if (typeof x5tS256 === 'string') wanted = { field: 'x5tS256', value: x5tS256 };
  else if (typeof header.x5t === 'string') wanted = { field: 'x5t', value: header.x5t };
  else if (leaf) wanted = { field: 'x5t', value: leaf.x5t };
  if (!wanted) return { certificate: undefined, thumbprintHex: '' };
  const { field, value } = wanted;
  const thumbprintHex = Buffer.from(value, 'base64url').toString('hex').toUpperCase();
  const certificate = app.certificates.find((c) => c[field] === value.replace(/=+$/, ''));
  // An `x5c` chain must lead with the certificate the thumbprint names; anything else is an unknown key.
  if (certificate && leaf && leaf[field] !== certificate[field]) {
    return { certificate: undefined, thumbprintHex: Buffer.from(leaf.x5t, 'base64url').toString('hex').toUpperCase() };
  }
  return { certificate, thumbprintHex };
}

function leafThumbprints(x5c: string): { x5t: string; x5tS256: string } | undefined {
  try {
    return certificateThumbprints(new X509Certificate(Buffer.from(x5c, 'base64')).raw);
  } catch {
    return undefined;
  }
}

function parseClaims(payload: Uint8Array): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(payload).toString('utf8'));
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Falls through to the malformed-token answer.
  }
  throw AADSTS.malformedAssertion();
}

/** Token endpoint URLs (v2 and v1) and the v2 issuer of this tenant, at the emulator's origin or any Microsoft login host. */
function acceptedAudiences(tenant: EmulatedTenant, origin: string): Set<string> {
  const origins = [origin, ...LOGIN_HOSTS.map((host) => `https://${host}`)];
  const accepted = new Set<string>();
  for (const base of origins) {
    for (const id of [tenant.tenantId, tenant.domain]) {
      for (const path of ['oauth2/v2.0/token', 'oauth2/token', 'v2.0']) accepted.add(normalizeAudience(`${base}/${id}/${path}`));
    }
  }
  return accepted;
}

function normalizeAudience(audience: string): string {
  return audience.toLowerCase().replace(/\/+$/, '');
}
