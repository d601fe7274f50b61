// The TLS side of an output's `ssl` section, read into what node:tls and undici connect with. Shared
// by the Elasticsearch and Logstash outputs.
import { readFileSync } from 'node:fs';
import type { SecureContext } from 'node:tls';
import { trustedContext, type ClientCertificate } from '../../util/trusted-context.js';

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
  /** Extra CAs and the client certificate, when configured; otherwise Node's default context. */
  secureContext?: SecureContext;
}

/** Reads the files `settings` names; `settingPath` (e.g. `output.elasticsearch.ssl`) words the errors. */
export function readTlsOptions(settings: OutputTlsSettings, settingPath: string): TlsConnectOptions {
  const options: TlsConnectOptions = { rejectUnauthorized: settings.verification_mode !== 'none' };
  const extraCa = settings.certificate_authorities.map((file) => readPem(file, `${settingPath}.certificate_authorities`, 'the PEM CA certificate'));
  if ((settings.certificate === undefined) !== (settings.key === undefined)) {
    const missing = settings.certificate === undefined ? 'certificate' : 'key';
    throw new Error(`${settingPath}.${missing} is missing — a client certificate needs both ssl.certificate and ssl.key`);
  }
  let client: ClientCertificate | undefined;
  if (settings.certificate !== undefined && settings.key !== undefined) {
    client = {
      cert: readPem(settings.certificate, `${settingPath}.certificate`, 'the PEM client certificate'),
      key: readPem(settings.key, `${settingPath}.key`, 'the PEM private key'),
    };
  }
  if (extraCa.length === 0 && client === undefined) return options;
  try {
    options.secureContext = trustedContext(extraCa, client);
  } catch (error) {
    // Built once here rather than at each connection, a bad PEM is reported at start, naming the settings.
    throw new Error(`${settingPath}: the CA certificates, client certificate or key cannot be used (${(error as Error).message}) — point them at PEM files`, { cause: error });
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
