// `o365-elk emulator`: starts the emulated Microsoft cloud and writes what a client needs to use it
// (the CA to trust, credentials, and a ready connector configuration) into one directory.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { stringify } from 'yaml';
import { writePrivateFile } from '../util/private-file.js';
import type { TenantCredentials } from './directory.js';
import { parseFaults } from './faults.js';
import { DEFAULT_BEHAVIOUR, startEmulator, type RunningEmulator } from './server.js';
import type { ApiBehaviour } from './types.js';

export interface EmulatorCommandOptions {
  dir: string;
  host: string;
  port: number;
  seed: number;
  events: number;
  days: number;
  tenants: number;
  faults?: string;
  http: boolean;
  microsoftHosts: boolean;
  liveRate: number;
  clockSpeed: number;
  pageSize: number;
  lowercaseNextPage: boolean;
  startThrottle: boolean;
  windowError: ApiBehaviour['windowErrorCode'];
  /** PEM files of certificates the certificate-auth tenants' app also accepts. */
  registerCertificate?: string[];
  /** End of the backlog (epoch ms); defaults to now. */
  startTime?: number;
}

export async function runEmulatorCommand(options: EmulatorCommandOptions): Promise<RunningEmulator> {
  const dir = resolve(options.dir);
  mkdirSync(dir, { recursive: true });
  const extraCertificates = (options.registerCertificate ?? []).map(readCertificateFile);
  const emulator = await startEmulator({
    seed: options.seed,
    events: options.events,
    days: options.days,
    tenants: options.tenants,
    faults: parseFaults(options.faults),
    behaviour: {
      ...DEFAULT_BEHAVIOUR,
      pageSize: options.pageSize,
      lowercaseNextPage: options.lowercaseNextPage,
      startThrottle: options.startThrottle,
      windowErrorCode: options.windowError,
    },
    plainHttp: options.http,
    microsoftHostNames: options.microsoftHosts,
    host: options.host,
    port: options.port,
    liveEventsPerMinute: options.liveRate,
    clockSpeed: options.clockSpeed,
    extraCertificates,
    ...(options.startTime === undefined ? {} : { startTime: options.startTime }),
  });
  writeClientFiles(dir, emulator);
  return emulator;
}

function readCertificateFile(path: string): string {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new Error(`--register-certificate ${path}: cannot read the file (${reason}); give the path of a PEM certificate`, {
      cause: error,
    });
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new Error(`--register-certificate ${path}: no PEM certificate in the file; give the -out file of \`openssl req -x509\`, not the key`);
  }
  return pem;
}

/** Writes ca.pem, each tenant's credentials (mode 0600) and connector.yml, all relative to `dir`. */
export function writeClientFiles(dir: string, emulator: RunningEmulator): void {
  if (emulator.ca) writeFileSync(join(dir, 'ca.pem'), emulator.ca.certificatePem);
  const tenants = emulator.credentials.map((credentials, index) =>
    tenantConfig(dir, `tenant-${index + 1}`, credentials, emulator),
  );
  const config = {
    tenants,
    state: { path: 'state.db' },
    output: { file: { path: 'output' } },
  };
  const header = [
    '# Written by `o365-elk emulator`: a connector configuration for the emulated tenants.',
    '# Run it with: o365-elk once -c connector.yml   (or: o365-elk run -c connector.yml)',
    '',
  ].join('\n');
  writePrivateFile(join(dir, 'connector.yml'), header + stringify(config));
}

function tenantConfig(dir: string, name: string, credentials: TenantCredentials, emulator: RunningEmulator): object {
  let auth: Record<string, string>;
  if (credentials.auth.kind === 'secret') {
    writePrivateFile(join(dir, `${name}.secret`), `${credentials.auth.secret}\n`);
    auth = { client_secret_file: `${name}.secret` };
  } else {
    writePrivateFile(join(dir, `${name}.key.pem`), credentials.auth.privateKeyPem);
    writeFileSync(join(dir, `${name}.cert.pem`), credentials.auth.certificatePem);
    auth = { certificate_key_file: `${name}.key.pem`, certificate_file: `${name}.cert.pem` };
  }
  return {
    tenant_id: credentials.tenantId,
    name: credentials.displayName,
    client_id: credentials.clientId,
    auth,
    cloud: 'custom',
    login_url: emulator.url,
    api_url: emulator.url,
    graph_url: emulator.url,
    ...(emulator.ca ? { ssl: { certificate_authorities: ['ca.pem'] } } : {}),
  };
}
