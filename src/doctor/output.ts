// The enabled output, in the spirit of `filebeat test output`: can it be reached, what answers, and may
// o365-elk do there what it needs to.
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { connect as connectTcp, isIP, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { connect as connectTls } from 'node:tls';
import type { ElasticsearchOutputConfig, LogstashOutputConfig, OutputConfig } from '../config/index.js';
import { authorizationHeader } from '../sinks/elasticsearch/auth.js';
import { createEngineConnection, EngineUnreachableError, engineErrorText, type EngineConnection } from '../sinks/elasticsearch/connection.js';
import { describeEngine, detectEngine, type Engine } from '../sinks/elasticsearch/engine.js';
import { parseIndexTarget } from '../sinks/elasticsearch/index-target.js';
import { readTlsOptions } from '../sinks/elasticsearch/tls.js';
import { parseAddress } from '../sinks/logstash/endpoint.js';
import { fail, messageOf, pass, problemAndFix, warn, type CheckResult } from './checks.js';

const CONNECT_TIMEOUT_MS = 10_000;

export async function checkOutput(output: OutputConfig): Promise<CheckResult[]> {
  switch (output.type) {
    case 'file':
      return [checkDirectory(output.file.path)];
    case 'console':
      return [pass('output console', 'documents go to standard output')];
    case 'elasticsearch':
      return checkElasticsearch(output.elasticsearch);
    case 'logstash':
      return Promise.all(output.logstash.hosts.map((host) => checkLogstashHost(host, output.logstash)));
  }
}

/** Writable is proven by writing: permissions alone do not tell (root, read-only mounts, ACLs). */
function checkDirectory(path: string): CheckResult {
  const check = 'output file';
  if (existsSync(path) && !statSync(path).isDirectory()) {
    return fail(check, `${path} is a file, not a directory`, 'set output.file.path to a directory (it is created when missing)');
  }
  let existing = path;
  while (!existsSync(existing)) existing = dirname(existing);
  try {
    rmSync(mkdtempSync(`${existing}/.o365-elk-doctor-`), { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? messageOf(error);
    return fail(check, `${existing} is not writable (${code})`, `let the user running o365-elk write to ${existing}, or set output.file.path elsewhere`);
  }
  return pass(check, existing === path ? `${path} is writable` : `${path} will be created in ${existing}, which is writable`);
}

async function checkElasticsearch(config: ElasticsearchOutputConfig): Promise<CheckResult[]> {
  let connection: EngineConnection;
  try {
    connection = createEngineConnection({
      hosts: config.hosts,
      authorization: authorizationHeader(config),
      tls: readTlsOptions(config.ssl, 'output.elasticsearch.ssl'),
      connections: 1,
      requestTimeoutMs: CONNECT_TIMEOUT_MS,
      compressionLevel: 0,
    });
  } catch (error) {
    const { problem, fix } = problemAndFix(messageOf(error));
    return [fail('output elasticsearch', problem, fix)];
  }
  try {
    const found = await reachEngine(connection);
    if ('failure' in found) return [found.failure];
    return [pass('output elasticsearch', `${describeEngine(found.engine)} at ${found.host}`), await checkPrivileges(connection, found.engine, config)];
  } finally {
    await connection.close();
  }
}

async function reachEngine(connection: EngineConnection): Promise<{ engine: Engine; host: string } | { failure: CheckResult }> {
  const check = 'output elasticsearch';
  const credentialsFix = 'check output.elasticsearch.username and password, api_key or bearer_token';
  try {
    const { status, body, host } = await connection.request({ method: 'GET', path: '/' });
    if (status === 401) return { failure: fail(check, `${host} refused the credentials (401)`, credentialsFix) };
    if (status === 403) return { failure: fail(check, `${host} does not let these credentials read the engine's version (403)`, 'grant them the monitor cluster privilege') };
    if (status !== 200) {
      return { failure: fail(check, `${host} answered GET / with ${status} (${engineErrorText(body) ?? 'no reason given'})`, "check output.elasticsearch.hosts and the engine's health") };
    }
    return { engine: detectEngine(body, host), host };
  } catch (error) {
    if (error instanceof EngineUnreachableError) {
      const tls = error.failures.find(({ failure }) => failure.kind === 'tls');
      const fix = tls
        ? "trust the engine's CA with output.elasticsearch.ssl.certificate_authorities, or check that the host name matches its certificate"
        : 'check output.elasticsearch.hosts and that the engine is running';
      return { failure: fail(check, `cannot reach ${error.failures.map(({ host, failure }) => `${host} (${failure.reason})`).join(', ')}`, fix) };
    }
    const { problem, fix } = problemAndFix(messageOf(error));
    return { failure: fail(check, problem, fix) };
  }
}

// What the output does: install index templates, create the data stream or dated indices, and index
// documents with op_type create.
const CLUSTER_PRIVILEGES = ['monitor', 'manage_index_templates'];
const INDEX_PRIVILEGES = ['create_doc', 'create_index', 'auto_configure'];

async function checkPrivileges(connection: EngineConnection, engine: Engine, config: ElasticsearchOutputConfig): Promise<CheckResult> {
  const check = 'output privileges';
  const pattern = parseIndexTarget(config.index).templatePattern;
  if (engine.kind === 'opensearch') {
    const { status } = await connection.request({ method: 'GET', path: '/_plugins/_security/api/account' });
    if (status !== 200) return pass(check, 'no security plugin answers, so every request is allowed');
    return warn(
      check,
      'the OpenSearch security plugin is on; o365-elk cannot ask it which actions these credentials may run',
      `make sure their roles allow indices:admin/index_template/put, indices:admin/create and indices:data/write/bulk* on ${pattern}`,
    );
  }
  const body = JSON.stringify({ cluster: CLUSTER_PRIVILEGES, index: [{ names: [pattern], privileges: INDEX_PRIVILEGES }] });
  const response = await connection.request({ method: 'POST', path: '/_security/user/_has_privileges', body });
  if (response.status !== 200) {
    const reason = engineErrorText(response.body) ?? `HTTP ${response.status}`;
    // Security off: a basic licence without it says so; a node without the security module at all (an
    // OSS build, or one whose x-pack plugins are not installed) has no such endpoint and answers 400.
    // Either way nothing is checked, so everything is allowed.
    if (/security.*(not enabled|disabled|explicitly enabled)/i.test(reason)) return pass(check, 'security is off, so every request is allowed');
    if (response.status === 400 && /no handler found/i.test(reason)) return pass(check, 'no security API answers, so every request is allowed');
    return warn(check, `cannot check the privileges (${reason})`, 'grant the credentials the manage_security or monitor privilege, or check them by hand');
  }
  const answer = response.body as { has_all_requested?: boolean; cluster?: Record<string, boolean>; index?: Record<string, Record<string, boolean>> };
  if (answer.has_all_requested) return pass(check, `${CLUSTER_PRIVILEGES.join(', ')} on the cluster; ${INDEX_PRIVILEGES.join(', ')} on ${pattern}`);
  const missing = [
    ...Object.entries(answer.cluster ?? {}).filter(([, granted]) => !granted).map(([name]) => `${name} (cluster)`),
    ...Object.entries(answer.index?.[pattern] ?? {}).filter(([, granted]) => !granted).map(([name]) => `${name} on ${pattern}`),
  ];
  return fail(check, `the credentials lack ${missing.join(', ')}`, 'grant them to the user or API key in output.elasticsearch');
}

async function checkLogstashHost(host: string, config: LogstashOutputConfig): Promise<CheckResult> {
  const check = `output logstash ${host}`;
  try {
    const address = parseAddress(host);
    const tls = config.ssl.enabled ? readTlsOptions(config.ssl, 'output.logstash.ssl') : undefined;
    await new Promise<void>((resolve, reject) => {
      const socket: Socket = tls
        ? connectTls({ host: address.host, port: address.port, ...tls, ...(isIP(address.host) ? {} : { servername: address.host }) }, () => resolve())
        : connectTcp({ host: address.host, port: address.port }, () => resolve());
      socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`)));
      socket.once('error', reject);
      socket.once('connect', () => socket.setTimeout(0));
      // Connecting is the whole test: leave before sending anything.
      socket.once(tls ? 'secureConnect' : 'connect', () => socket.end());
    });
    return pass(check, `${tls ? 'TLS' : 'TCP'} connection accepted`);
  } catch (error) {
    return fail(check, `cannot connect: ${messageOf(error)}`, 'check output.logstash.hosts, that Logstash runs with a beats or tcp input there, and any firewall between');
  }
}
