// Turns a tenant's `auth` section into the credential the token client uses: exactly one source, and it
// must actually yield a secret or a usable RSA key, checked now rather than at the first token request.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Findings, KeyPath } from './findings.js';
import { readSettingFile } from './files.js';
import type { ParsedTenant } from './schema.js';

export type TenantCredential =
  | { method: 'client_secret'; secret: string }
  | {
      method: 'certificate';
      /** PEM private key. */
      private_key: string;
      /** PEM certificate, when configured with certificate_file (lets the client send x5c). */
      certificate?: string;
      /** Upper-case hex SHA-1 thumbprint (the assertion's `x5t`). */
      thumbprint_sha1: string;
      /** Upper-case hex SHA-256 thumbprint (`x5t#S256`), known only from a certificate_file. */
      thumbprint_sha256?: string;
    };

type Auth = ParsedTenant['auth'];

const SECRET_SOURCES = ['client_secret', 'client_secret_env', 'client_secret_file'] as const;
const CERTIFICATE_SOURCES = ['certificate_key_file', 'certificate_file', 'certificate_thumbprint'] as const;

export function resolveCredential(auth: Auth, path: KeyPath, env: NodeJS.ProcessEnv, findings: Findings): TenantCredential | undefined {
  const secrets = SECRET_SOURCES.filter((key) => auth[key] !== undefined);
  const certificates = CERTIFICATE_SOURCES.filter((key) => auth[key] !== undefined);
  if (secrets.length === 0 && certificates.length === 0) {
    findings.error(path, 'has no credential — set client_secret_env, client_secret_file, or certificate_key_file with certificate_file');
    return undefined;
  }
  if (secrets.length > 1) {
    findings.error(path, `${secrets.join(' and ')} are all set — keep only one source for the client secret`);
    return undefined;
  }
  if (secrets[0] !== undefined && certificates[0] !== undefined) {
    findings.error(path, `${secrets[0]} and ${certificates[0]} are both set — use either a client secret or a certificate, not both`);
    return undefined;
  }
  return secrets.length > 0 ? resolveSecret(auth, path, env, findings) : resolveCertificate(auth, path, findings);
}

function resolveSecret(auth: Auth, path: KeyPath, env: NodeJS.ProcessEnv, findings: Findings): TenantCredential | undefined {
  if (auth.client_secret !== undefined) {
    const origin = findings.origins.of([...path, 'client_secret'])?.kind;
    if (origin === undefined) {
      findings.warn([...path, 'client_secret'], 'the secret is written in the configuration file — move it to client_secret_env or client_secret_file, or write ${VARIABLE}');
    } else if (origin === 'command-line') {
      findings.warn([...path, 'client_secret'], 'the secret is on the command line, where other users can see it (ps) — use client_secret_env or client_secret_file');
    }
    return { method: 'client_secret', secret: auth.client_secret };
  }
  if (auth.client_secret_env !== undefined) {
    const name = auth.client_secret_env;
    const value = env[name]?.trim();
    if (value === undefined) {
      findings.error([...path, 'client_secret_env'], `environment variable ${name} is not set — export it, holding the client secret, before starting o365-elk`);
      return undefined;
    }
    if (value === '') {
      findings.error([...path, 'client_secret_env'], `environment variable ${name} is empty — put the client secret in it`);
      return undefined;
    }
    return { method: 'client_secret', secret: value };
  }
  const file = auth.client_secret_file as string;
  const key = [...path, 'client_secret_file'];
  const value = readSettingFile(file, key, findings, { holds: 'the client secret', private: true })?.trim();
  if (value === undefined) return undefined;
  if (value === '') {
    findings.error(key, `${file} is empty — write the client secret into it`);
    return undefined;
  }
  return { method: 'client_secret', secret: value };
}

function resolveCertificate(auth: Auth, path: KeyPath, findings: Findings): TenantCredential | undefined {
  if (auth.certificate_key_file === undefined) {
    const given = auth.certificate_file !== undefined ? 'certificate_file' : 'certificate_thumbprint';
    findings.error([...path, 'certificate_key_file'], `is required with ${given} — set it to the PEM private key of the certificate`);
    return undefined;
  }
  if (auth.certificate_file === undefined && auth.certificate_thumbprint === undefined) {
    findings.error(path, 'certificate_key_file needs certificate_file or certificate_thumbprint — set certificate_file to the PEM certificate registered on the app');
    return undefined;
  }
  if (auth.certificate_file !== undefined && auth.certificate_thumbprint !== undefined) {
    findings.error(path, 'certificate_file and certificate_thumbprint are both set — keep only certificate_file (the thumbprint is computed from it)');
    return undefined;
  }
  const keyPath = [...path, 'certificate_key_file'];
  const privateKeyPem = readSettingFile(auth.certificate_key_file, keyPath, findings, { holds: 'the PEM private key', private: true });
  const privateKey = privateKeyPem === undefined ? undefined : parsePrivateKey(privateKeyPem, auth.certificate_key_file, keyPath, findings);

  if (auth.certificate_thumbprint !== undefined) {
    return privateKeyPem !== undefined && privateKey
      ? { method: 'certificate', private_key: privateKeyPem, thumbprint_sha1: auth.certificate_thumbprint }
      : undefined;
  }
  const certificatePath = [...path, 'certificate_file'];
  const certificatePem = readSettingFile(auth.certificate_file as string, certificatePath, findings, { holds: 'the PEM certificate' });
  if (certificatePem === undefined) return undefined;
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(certificatePem);
  } catch {
    findings.error(certificatePath, `${auth.certificate_file} is not a PEM certificate — point it at the certificate (-----BEGIN CERTIFICATE-----) registered on the app`);
    return undefined;
  }
  if (Date.parse(certificate.validTo) < Date.now()) {
    findings.warn(certificatePath, `the certificate expired on ${new Date(certificate.validTo).toISOString()} — upload a new one to the app registration and point certificate_file at it`);
  }
  if (privateKeyPem === undefined || !privateKey) return undefined;
  if (!certificate.checkPrivateKey(privateKey)) {
    findings.error(certificatePath, 'does not match certificate_key_file — use the certificate created together with that key');
    return undefined;
  }
  return {
    method: 'certificate',
    private_key: privateKeyPem,
    certificate: certificatePem,
    thumbprint_sha1: certificate.fingerprint.replaceAll(':', ''),
    thumbprint_sha256: certificate.fingerprint256.replaceAll(':', ''),
  };
}

function parsePrivateKey(pem: string, file: string, path: KeyPath, findings: Findings): KeyObject | undefined {
  if (pem.includes('ENCRYPTED')) {
    findings.error(path, `${file} is protected by a passphrase — store it decrypted with: openssl pkey -in ${file} -out key.pem (and chmod 600 key.pem)`);
    return undefined;
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    findings.error(path, `${file} is not a PEM private key — point it at the key made with the certificate (-----BEGIN PRIVATE KEY-----)`);
    return undefined;
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (key.asymmetricKeyType !== 'rsa' || bits < 2048) {
    const kind = key.asymmetricKeyType === 'rsa' ? `a ${bits}-bit RSA key` : `a key of type ${key.asymmetricKeyType ?? 'unknown'}`;
    findings.error(path, `${file} holds ${kind} — Entra ID needs an RSA key of at least 2048 bits`);
    return undefined;
  }
  return key;
}
