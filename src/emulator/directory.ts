// The emulated Entra ID directory: tenants, the collector app registered in each, and the credentials a
// client needs to sign in as that app. Identifiers and secrets are pure functions of the seed; RSA keys
// cannot be derived from a seed with WebCrypto, so certificates are new on every start.
import { createHash, X509Certificate } from 'node:crypto';
import { certificateThumbprints, createSelfSignedCertificate } from './pki.js';
import { stableGuid } from './random.js';
import {
  CONTENT_TYPES,
  ROLE_ACTIVITY_FEED_READ,
  ROLE_ACTIVITY_FEED_READ_DLP,
  ROLE_APPLICATION_READ_ALL,
  type EmulatedApp,
  type EmulatedTenant,
  type RegisteredCertificate,
} from './types.js';

export interface TenantCredentials {
  tenantId: string;
  domain: string;
  displayName: string;
  clientId: string;
  auth:
    | { kind: 'secret'; secret: string }
    | { kind: 'certificate'; privateKeyPem: string; certificatePem: string; thumbprintSha1Hex: string };
}

// Microsoft's own fictitious company names, so emulated data reads like the documentation's samples.
const TENANT_NAMES = ['Contoso', 'Fabrikam', 'Northwind Traders', 'Tailspin Toys', 'Woodgrove Bank', 'Adatum', 'Litware', 'Proseware'];

export async function createDirectory(options: {
  seed: number;
  tenants?: number;
  /**
   * Certificates (PEM) made outside the emulator, e.g. with openssl, that the certificate-auth apps also
   * accept, so that a client can sign in with a key the emulator never saw.
   */
  extraCertificates?: readonly string[];
}): Promise<{ tenants: EmulatedTenant[]; credentials: TenantCredentials[] }> {
  const count = options.tenants ?? 2;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`the emulator needs at least one tenant, not ${count}: pass --tenants 1 or more`);
  }
  const extraCertificates = (options.extraCertificates ?? []).map(registeredCertificate);
  if (extraCertificates.length > 0 && count < 2) {
    throw new Error('extra certificates are registered on the certificate-auth tenants, and only even tenants use one: pass --tenants 2 or more');
  }
  const tenants: EmulatedTenant[] = [];
  const credentials: TenantCredentials[] = [];
  for (let number = 1; number <= count; number++) {
    const tenantId = stableGuid(options.seed, 'tenant', number);
    const domain = `tenant${number}.onmicrosoft.com`;
    const displayName = tenantDisplayName(number);
    const clientId = stableGuid(options.seed, 'tenant', number, 'collector app');
    const app: EmulatedApp = {
      clientId,
      displayName: 'o365-elk collector',
      secrets: [],
      certificates: [],
      roles: {
        management: [ROLE_ACTIVITY_FEED_READ, ROLE_ACTIVITY_FEED_READ_DLP],
        graph: [ROLE_APPLICATION_READ_ALL],
      },
    };
    let auth: TenantCredentials['auth'];
    // Odd tenants sign in with a secret, even ones with a certificate, so both paths are always exercised.
    if (number % 2 === 1) {
      const secret = clientSecret(options.seed, number);
      app.secrets.push(secret);
      auth = { kind: 'secret', secret };
    } else {
      const { certificatePem, privateKeyPem, notAfter } = await createSelfSignedCertificate(
        `o365-elk collector (${domain})`,
      );
      const thumbprints = certificateThumbprints(certificatePem);
      app.certificates.push({ pem: certificatePem, x5t: thumbprints.x5t, x5tS256: thumbprints.x5tS256, notAfter }, ...extraCertificates);
      auth = { kind: 'certificate', privateKeyPem, certificatePem, thumbprintSha1Hex: thumbprints.sha1Hex };
    }
    tenants.push({ tenantId, domain, displayName, apps: [app], presubscribed: [...CONTENT_TYPES] });
    credentials.push({ tenantId, domain, displayName, clientId, auth });
  }
  return { tenants, credentials };
}

function registeredCertificate(pem: string): RegisteredCertificate {
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    throw new Error('an extra certificate is not a PEM X.509 certificate: give the -out file of `openssl req -x509`, not the key');
  }
  const thumbprints = certificateThumbprints(certificate.raw);
  return { pem: certificate.toString(), x5t: thumbprints.x5t, x5tS256: thumbprints.x5tS256, notAfter: new Date(certificate.validTo) };
}

/** The object id of an app's service principal in a tenant: `oid`/`sub` of its tokens, `id` in Graph. */
export function servicePrincipalObjectId(tenantId: string, appId: string): string {
  return stableGuid(tenantId, appId, 'servicePrincipal');
}

/** The tenant named by a token-endpoint path segment: its GUID or its verified domain, in any case. */
export function findTenant(tenants: readonly EmulatedTenant[], idOrDomain: string): EmulatedTenant | undefined {
  const wanted = idOrDomain.toLowerCase();
  return tenants.find((t) => t.tenantId === wanted || t.domain.toLowerCase() === wanted);
}

function tenantDisplayName(number: number): string {
  const name = TENANT_NAMES[(number - 1) % TENANT_NAMES.length] ?? 'Tenant';
  const round = Math.floor((number - 1) / TENANT_NAMES.length);
  return round === 0 ? name : `${name} ${round + 1}`;
}

/** A secret shaped like the ones Entra generates: 40 characters with `8Q~` after the first three. */
function clientSecret(seed: number, tenantNumber: number): string {
  const chars = createHash('sha256').update(`${seed}\u0000tenant\u0000${tenantNumber}\u0000secret`).digest('base64url');
  return `${chars.slice(0, 3)}8Q~${chars.slice(3, 37)}`;
}
