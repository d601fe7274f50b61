// The emulator's certificates: a CA that clients trust, the HTTPS server certificate it signs, and the
// self-signed certificates that certificate-auth apps register, made the way
// `openssl req -x509 -sha256 -nodes -days 730 -newkey rsa:2048` makes them.
// @peculiar/x509 resolves its services through tsyringe, which needs the Reflect metadata API loaded first.
import 'reflect-metadata';
import { createHash, webcrypto, X509Certificate as NodeX509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface Pem {
  certificatePem: string;
  /** PKCS#8 (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
}

/** Host names of Microsoft's login, Management Activity API and Graph endpoints, for use through a hosts file. */
export const MICROSOFT_HOST_NAMES: string[] = [
  'manage.office.com',
  'manage-gcc.office.com',
  'manage.office365.us',
  'manage.protection.apps.mil',
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.windows.net',
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
];

const RSA_KEY: webcrypto.RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const DAY_MS = 86_400_000;
// Certificates start an hour in the past so that a client whose clock is slightly behind still accepts them.
const BACKDATE_MS = 3_600_000;

export async function createCertificateAuthority(commonName = 'o365-elk emulator CA'): Promise<Pem> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${escapeDnValue(commonName)}`,
    keys,
    ...validity(5 * 365),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/** A TLS server certificate for the given DNS names and IP addresses, signed by `ca`. */
export async function issueServerCertificate(ca: Pem, names: { dns: string[]; ips: string[] }): Promise<Pem> {
  if (names.dns.length + names.ips.length === 0) {
    throw new Error('a server certificate needs at least one DNS name or IP address');
  }
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const caKey = await webcrypto.subtle.importKey(
    'pkcs8',
    x509.PemConverter.decodeFirst(ca.privateKeyPem),
    RSA_KEY,
    false,
    ['sign'],
  );
  const keys = await generateKeys();
  const subjectName = names.dns[0] ?? names.ips[0] ?? '';
  const certificate = await x509.X509CertificateGenerator.create({
    subject: `CN=${escapeDnValue(subjectName)}`,
    issuer: caCertificate.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    // Browsers and macOS refuse server certificates valid for more than 398 days.
    ...validity(397),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dns.map((value) => ({ type: 'dns' as const, value })),
        ...names.ips.map((value) => ({ type: 'ip' as const, value })),
      ]),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
    ],
  });
  return { certificatePem: certificate.toString('pem'), privateKeyPem: await exportPrivateKey(keys.privateKey) };
}

/** A self-signed RSA 2048 / SHA-256 certificate, as an app registers it for client assertions. */
export async function createSelfSignedCertificate(commonName: string, days = 730): Promise<Pem & { notAfter: Date }> {
  const keys = await generateKeys();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    name: `CN=${escapeDnValue(commonName)}`,
    keys,
    ...validity(days),
    extensions: [
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    certificatePem: certificate.toString('pem'),
    privateKeyPem: await exportPrivateKey(keys.privateKey),
    notAfter: certificate.notAfter,
  };
}

export interface CertificateThumbprints {
  /** `openssl x509 -outform der | openssl dgst -sha1`, lower-case hex: what Entra shows as the thumbprint. */
  sha1Hex: string;
  /** base64url SHA-1 of the DER certificate, unpadded: the `x5t` JWT header. */
  x5t: string;
  /** base64url SHA-256 of the DER certificate, unpadded: the `x5t#S256` JWT header. */
  x5tS256: string;
}

export function certificateThumbprints(certificate: string | Buffer): CertificateThumbprints {
  const der = typeof certificate === 'string' ? new NodeX509Certificate(certificate).raw : certificate;
  const sha1 = createHash('sha1').update(der).digest();
  return {
    sha1Hex: sha1.toString('hex'),
    x5t: sha1.toString('base64url'),
    x5tS256: createHash('sha256').update(der).digest('base64url'),
  };
}

async function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(RSA_KEY, true, ['sign', 'verify']);
}

async function exportPrivateKey(key: webcrypto.CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

function validity(days: number): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

/** Escapes the characters RFC 4514 reserves, so a name like "Contoso, Ltd" stays one RDN. */
function escapeDnValue(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`);
}
