// The `ssl` sections: extra CAs must be readable PEM certificates; turning verification off is allowed
// (lab setups) but never silently.
import { X509Certificate } from 'node:crypto';
import type { Findings, KeyPath } from './findings.js';
import { readSettingFile } from './files.js';

export interface TlsConfig {
  /** Absolute paths of PEM files with CA certificates to trust besides the system ones. */
  certificate_authorities: string[];
  verification_mode: 'full' | 'none';
}

export function checkTls(tls: TlsConfig, path: KeyPath, findings: Findings): void {
  tls.certificate_authorities.forEach((file, i) => {
    const key = [...path, 'certificate_authorities', i];
    const pem = readSettingFile(file, key, findings, { holds: 'the PEM CA certificate' });
    if (pem === undefined) return;
    try {
      new X509Certificate(pem);
    } catch {
      findings.error(key, `${file} is not a PEM certificate — point it at the CA certificate (-----BEGIN CERTIFICATE-----), e.g. the emulator's ca.pem`);
    }
  });
  if (tls.verification_mode === 'none') {
    findings.warn([...path, 'verification_mode'], 'is none, so TLS certificates are not checked and the connection can be intercepted — trust the server\'s CA with certificate_authorities instead');
  }
}
