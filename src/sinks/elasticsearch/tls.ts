// The TLS side of an output's `ssl` section, read into what node:tls and undici connect with. Shared
// by the Elasticsearch and Logstash outputs.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

export interface OutputTlsSettings {
  certificate_authorities: string[];
  verification_mode: 'full' | 'none';
  /** PEM client certificate to present (mutual TLS). */
  certificate?: string;
  /** PEM private key of `certificate`. */
  key?: string;
}

export interface TlsConnectOptions {
  rejectUnauthorized: boolean;
  ca?: string[];
  cert?: string;
  key?: string;
}

/** Reads the files `settings` names; `settingPath` (e.g. `output.elasticsearch.ssl`) words the errors. */
export function readTlsOptions(settings: OutputTlsSettings, settingPath: string): TlsConnectOptions {
  const options: TlsConnectOptions = { rejectUnauthorized: settings.verification_mode !== 'none' };
  if (settings.certificate_authorities.length > 0) {
    // Passing `ca` replaces Node's roots; keep them so a private CA adds trust instead of narrowing it.
    const extra = settings.certificate_authorities.map((file) => readPem(file, `${settingPath}.certificate_authorities`, 'the PEM CA certificate'));
    options.ca = [...rootCertificates, ...extra];
  }
  if ((settings.certificate === undefined) !== (settings.key === undefined)) {
    const missing = settings.certificate === undefined ? 'certificate' : 'key';
    throw new Error(`${settingPath}.${missing} is missing — a client certificate needs both ssl.certificate and ssl.key`);
  }
  if (settings.certificate !== undefined && settings.key !== undefined) {
    options.cert = readPem(settings.certificate, `${settingPath}.certificate`, 'the PEM client certificate');
    options.key = readPem(settings.key, `${settingPath}.key`, 'the PEM private key');
  }
  return options;
}

function readPem(file: string, setting: string, holds: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`${setting}: ${file} cannot be read (${code}) — point it at ${holds}`, { cause: error });
  }
}
