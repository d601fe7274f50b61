// The key the emulated Entra ID signs access tokens with, and minting and checking those tokens. Tokens are
// RS256 JWTs with `x5t`/`kid` naming the signing certificate, as Entra's are, so clients that inspect them
// or fetch the JWKS see what they would see from Microsoft. Checking is synchronous on purpose: the
// Activity API and Graph call it on every request.
import { createPrivateKey, createPublicKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { certificateThumbprints, createSelfSignedCertificate } from '../pki.js';

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  certificateDer: Buffer;
}

export interface JsonWebKey {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  x5t: string;
  n: string;
  e: string;
  x5c: string[];
}

export type TokenSignatureCheck =
  | { ok: true; claims: Record<string, unknown> }
  | { ok: false; reason: 'malformed' | 'signature' };

export interface TokenSigner {
  sign(claims: Record<string, unknown>): Promise<string>;
  verify(token: string): TokenSignatureCheck;
  jwks(): Promise<JsonWebKey[]>;
}

/** A signer with a new key; the key is ready once the first `sign` or `jwks` call resolves. */
export function createTokenSigner(): TokenSigner {
  let key: SigningKey | undefined;
  // Entra's token-signing certificates carry this subject.
  const ready = createSelfSignedCertificate('accounts.accesscontrol.windows.net', 365).then((pem) => {
    const certificateDer = new X509Certificate(pem.certificatePem).raw;
    key = {
      kid: certificateThumbprints(certificateDer).x5t,
      privateKey: createPrivateKey(pem.privateKeyPem),
      publicKey: createPublicKey(pem.certificatePem),
      certificateDer,
    };
    return key;
  });

  return {
    async sign(claims) {
      const { kid, privateKey } = await ready;
      const header = { typ: 'JWT', alg: 'RS256', x5t: kid, kid };
      const signingInput = `${base64UrlJson(header)}.${base64UrlJson(claims)}`;
      return `${signingInput}.${sign('sha256', Buffer.from(signingInput), privateKey).toString('base64url')}`;
    },

    verify(token) {
      const parts = token.split('.');
      const header = parts.length === 3 ? parseJsonObject(parts[0] ?? '') : undefined;
      const claims = parts.length === 3 ? parseJsonObject(parts[1] ?? '') : undefined;
      if (!header || !claims) return { ok: false, reason: 'malformed' };
      // No key yet means no token was ever minted, so nothing can carry a valid signature.
      if (!key || header.alg !== 'RS256' || header.kid !== key.kid) return { ok: false, reason: 'signature' };
      const signed = verify(
        'sha256',
        Buffer.from(`${parts[0]}.${parts[1]}`),
        key.publicKey,
        Buffer.from(parts[2] ?? '', 'base64url'),
      );
      return signed ? { ok: true, claims } : { ok: false, reason: 'signature' };
    },

    async jwks() {
      const { kid, publicKey, certificateDer } = await ready;
      const { n = '', e = '' } = publicKey.export({ format: 'jwk' });
      return [{ kty: 'RSA', use: 'sig', kid, x5t: kid, n, e, x5c: [certificateDer.toString('base64')] }];
    },
  };
}

function base64UrlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function parseJsonObject(segment: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
