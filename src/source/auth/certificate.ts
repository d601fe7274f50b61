// Prepares a certificate credential for MSAL: a PKCS#8 key and the thumbprint Entra ID looks the
// certificate up by. With the certificate at hand we send the SHA-256 thumbprint (PS256 assertions, the
// current recommendation); with only a SHA-1 thumbprint configured, RS256 as before.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { ClientCredential } from '../options.js';
import { AuthError } from './auth-error.js';

export interface MsalCertificate {
  privateKey: string;
  thumbprint?: string;
  thumbprintSha256?: string;
  /** Hex thumbprint shown in error messages (SHA-1 when known, as the Azure portal shows it). */
  displayThumbprint: string;
}

type CertificateCredential = Extract<ClientCredential, { kind: 'certificate' }>;

export function prepareCertificate(credential: CertificateCredential, configPath: string, now = Date.now()): MsalCertificate {
  const auth = `${configPath}.auth`;
  const key = readPrivateKey(credential.privateKeyPem, auth);
  const privateKey = key.export({ format: 'pem', type: 'pkcs8' }).toString();
  if (credential.certificatePem) {
    const certificate = readCertificate(credential.certificatePem, auth);
    if (!certificate.checkPrivateKey(key)) {
      throw new AuthError('config', `the private key in ${auth}.certificate_key_file does not belong to the certificate in ${auth}.certificate_file — configure the matching pair`);
    }
    const sha1 = hex(certificate.fingerprint);
    if (Date.parse(certificate.validTo) <= now) {
      throw new AuthError(
        'certificate',
        `the certificate in ${auth}.certificate_file (thumbprint ${sha1}) expired on ${new Date(certificate.validTo).toISOString()} — create a new one, upload it to the app and configure it`,
      );
    }
    return { privateKey, thumbprintSha256: hex(certificate.fingerprint256), displayThumbprint: sha1 };
  }
  const sha1 = credential.thumbprintSha1Hex?.replace(/[\s:]/g, '').toUpperCase();
  if (!sha1 || !/^[0-9A-F]{40}$/.test(sha1)) {
    throw new AuthError('config', `${auth} needs certificate_file or a 40-hex-digit certificate_thumbprint next to certificate_key_file`);
  }
  return { privateKey, thumbprint: sha1, displayThumbprint: sha1 };
}

function readPrivateKey(pem: string, auth: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new AuthError('config', `${auth}.certificate_key_file does not hold a readable private key — provide an unencrypted PEM key (BEGIN PRIVATE KEY)`);
  }
}

function readCertificate(pem: string, auth: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new AuthError('config', `${auth}.certificate_file does not hold a PEM certificate — provide the certificate uploaded to the app`);
  }
}

/** `AB:CD:…` → `ABCD…` */
function hex(fingerprint: string): string {
  return fingerprint.replace(/:/g, '').toUpperCase();
}
