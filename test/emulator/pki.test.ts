import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Agent, fetch } from 'undici';
import {
  certificateThumbprints,
  createCertificateAuthority,
  createSelfSignedCertificate,
  issueServerCertificate,
  MICROSOFT_HOST_NAMES,
  type Pem,
} from '../../src/emulator/pki.js';

describe('emulator PKI', () => {
  let ca: Pem;
  let leaf: Pem;

  before(async () => {
    ca = await createCertificateAuthority('o365-elk test CA');
    leaf = await issueServerCertificate(ca, { dns: ['localhost', ...MICROSOFT_HOST_NAMES], ips: ['127.0.0.1', '::1'] });
  });

  it('makes a CA whose key is PKCS#8 and matches its certificate', () => {
    const certificate = new X509Certificate(ca.certificatePem);
    assert.ok(certificate.ca);
    assert.equal(certificate.subject, 'CN=o365-elk test CA');
    assert.ok(ca.privateKeyPem.startsWith('-----BEGIN PRIVATE KEY-----'));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(ca.privateKeyPem)));
  });

  it('issues a server certificate signed by the CA for loopback and Microsoft host names', () => {
    const certificate = new X509Certificate(leaf.certificatePem);
    const authority = new X509Certificate(ca.certificatePem);
    assert.ok(!certificate.ca);
    assert.ok(certificate.checkIssued(authority));
    assert.ok(certificate.verify(authority.publicKey));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(leaf.privateKeyPem)));
    for (const host of ['localhost', 'manage.office.com', 'login.microsoftonline.com', 'graph.microsoft.us']) {
      assert.equal(certificate.checkHost(host), host);
    }
    assert.equal(certificate.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(certificate.checkIP('::1'), '::1');
    assert.equal(certificate.checkHost('example.com'), undefined);
  });

  describe('over TLS', () => {
    let url: string;
    const server = createServer((_req, res) => res.end('hello'));

    before(async () => {
      server.setSecureContext({ key: leaf.privateKeyPem, cert: leaf.certificatePem });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    });
    after(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('is trusted by a client that trusts the CA', async () => {
      const dispatcher = new Agent({ connect: { ca: ca.certificatePem } });
      try {
        assert.equal(await (await fetch(url, { dispatcher })).text(), 'hello');
      } finally {
        await dispatcher.close();
      }
    });

    it('is refused by a client that does not', async () => {
      const dispatcher = new Agent();
      try {
        await assert.rejects(fetch(url, { dispatcher }), (error: Error & { cause?: { code?: string } }) => {
          assert.match(String(error.cause?.code), /SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/);
          return true;
        });
      } finally {
        await dispatcher.close();
      }
    });
  });

  it('makes app certificates like openssl req -x509 -sha256 -newkey rsa:2048, with Entra thumbprints', async () => {
    const pem = await createSelfSignedCertificate('contoso collector');
    const certificate = new X509Certificate(pem.certificatePem);
    const publicKey = createPublicKey(pem.certificatePem);
    assert.equal(publicKey.asymmetricKeyType, 'rsa');
    assert.equal(publicKey.asymmetricKeyDetails?.modulusLength, 2048);
    assert.ok(certificate.verify(publicKey));
    assert.ok(certificate.checkPrivateKey(createPrivateKey(pem.privateKeyPem)));
    const days = (pem.notAfter.getTime() - Date.now()) / 86_400_000;
    assert.ok(days > 729 && days <= 730, `${days} days`);

    const thumbprints = certificateThumbprints(pem.certificatePem);
    // Node's fingerprint is the SHA-1 of the DER encoding, as `openssl x509 -outform der | openssl dgst -sha1`.
    assert.equal(thumbprints.sha1Hex, certificate.fingerprint.replace(/:/g, '').toLowerCase());
    assert.equal(thumbprints.x5t, Buffer.from(thumbprints.sha1Hex, 'hex').toString('base64url'));
    assert.equal(thumbprints.x5tS256, Buffer.from(certificate.fingerprint256.replace(/:/g, ''), 'hex').toString('base64url'));
    assert.doesNotMatch(thumbprints.x5t, /=/);
  });

  it('refuses to issue a server certificate for no names', async () => {
    await assert.rejects(issueServerCertificate(ca, { dns: [], ips: [] }), /at least one DNS name or IP address/);
  });
});
