// Runs `o365-elk emulator` as a user would: a child process started through the CLI, ready once it prints
// `ready <url>`. Used by the tests that hold the command to its interface and by bench/emulator-server.ts.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { importPKCS8, SignJWT } from 'jose';
import { Agent, fetch, type RequestInit, type Response } from 'undici';
import { parse } from 'yaml';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface TenantEntry {
  tenant_id: string;
  client_id: string;
  auth: { client_secret_file?: string; certificate_key_file?: string; certificate_file?: string };
  login_url: string;
  api_url: string;
  ssl?: { certificate_authorities: string[] };
}

export interface EmulatorProcess {
  url: string;
  dir: string;
  child: ChildProcess;
  /** The tenants of the connector.yml the command wrote. */
  tenants: TenantEntry[];
  /** An HTTP(S) request that trusts the emulator's CA. */
  fetch(pathOrUrl: string, init?: RequestInit): Promise<Response>;
  /** Everything the command wrote to stderr so far. */
  stderr(): string;
  /** SIGTERM, then the exit; the exit it already made if it has stopped. */
  stop(): Promise<Exit>;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
// A test run that dies must not leave emulators listening behind it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function spawnEmulator(dir: string, args: readonly string[]): { child: ChildProcess; stderr: () => string; exited: Promise<Exit> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'emulator', '--dir', dir, ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
  });
  const exited = once(child, 'exit').then(([code, signal]) => {
    running.delete(child);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null };
  });
  return { child, stderr: () => stderr, exited };
}

/** Starts the command and resolves once it is ready; rejects with its stderr when it exits instead. */
export async function startEmulatorProcess(dir: string, args: readonly string[]): Promise<EmulatorProcess> {
  const { child, stderr, exited } = spawnEmulator(dir, args);
  const lines = createInterface({ input: child.stdout! });
  const ready = new Promise<string>((resolve) => {
    lines.on('line', (line) => {
      const match = /^ready (\S+)$/.exec(line);
      if (match?.[1]) resolve(match[1]);
    });
  });
  const url = await Promise.race([
    ready,
    exited.then((exit) => {
      throw new Error(`the emulator exited (${exit.code ?? exit.signal}) before it was ready: ${stderr().trim()}`);
    }),
  ]);
  const config = parse(readFileSync(join(dir, 'connector.yml'), 'utf8')) as { tenants: TenantEntry[] };
  const ca = url.startsWith('https:') ? readFileSync(join(dir, 'ca.pem'), 'utf8') : undefined;
  const dispatcher = new Agent({ connect: ca ? { ca } : {} });
  const stop = async (): Promise<Exit> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  return {
    url,
    dir,
    child,
    tenants: config.tenants,
    fetch: (pathOrUrl, init = {}) => fetch(new URL(pathOrUrl, url), { ...init, dispatcher }),
    stderr,
    stop,
    close: async () => {
      await stop();
      await dispatcher.close();
    },
  };
}

/** Runs the command expecting it to exit on its own (e.g. refused options), with what it printed. */
export async function runEmulatorToExit(dir: string, args: readonly string[]): Promise<Exit & { stdout: string; stderr: string }> {
  const { child, stderr, exited } = spawnEmulator(dir, args);
  let stdout = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
  });
  const exit = await exited;
  return { ...exit, stdout, stderr: stderr() };
}

/** The records of `GET /_emulator/records` (NDJSON); `lost` asks for the ones no client can obtain any more. */
export async function groundTruth(emulator: EmulatorProcess, options: { lost?: boolean } = {}): Promise<Array<Record<string, unknown> & { Id: string }>> {
  const response = await emulator.fetch(`/_emulator/records${options.lost ? '?lost=1' : ''}`);
  if (response.status !== 200) throw new Error(`/_emulator/records answered ${response.status}`);
  const text = await response.text();
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown> & { Id: string });
}

/** A client-credentials token for the Management Activity API, by client secret or by certificate. */
export async function managementToken(emulator: EmulatorProcess, tenant: TenantEntry): Promise<string> {
  const tokenUrl = `${tenant.login_url}/${tenant.tenant_id}/oauth2/v2.0/token`;
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: tenant.client_id,
    scope: 'https://manage.office.com/.default',
  });
  if (tenant.auth.client_secret_file) {
    form.set('client_secret', readFileSync(join(emulator.dir, tenant.auth.client_secret_file), 'utf8').trim());
  } else {
    const certificate = new X509Certificate(readFileSync(join(emulator.dir, tenant.auth.certificate_file ?? '')));
    const key = await importPKCS8(readFileSync(join(emulator.dir, tenant.auth.certificate_key_file ?? ''), 'utf8'), 'RS256');
    const x5t = createHash('sha1').update(certificate.raw).digest('base64url');
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', x5t })
      .setIssuer(tenant.client_id)
      .setSubject(tenant.client_id)
      .setAudience(tokenUrl)
      .setJti(randomUUID())
      .setNotBefore('0s')
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(key);
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', assertion);
  }
  const response = await emulator.fetch(tokenUrl, { method: 'POST', body: form });
  const body = (await response.json()) as { access_token?: string; error_description?: string };
  if (response.status !== 200 || !body.access_token) throw new Error(`token request failed: ${body.error_description}`);
  return body.access_token;
}
