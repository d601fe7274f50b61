// Filebeat's output rule: a section that is present counts as enabled unless it says `enabled: false`,
// and exactly one output must be enabled. The enabled one then has to be complete.
import type { Findings } from './findings.js';
import { OUTPUT_TYPES, type OutputType, type ParsedOutputs } from './schema.js';
import { checkTls, type TlsConfig } from './tls.js';
import { isSection, type Tree } from './tree.js';

type Section<T extends OutputType> = NonNullable<ParsedOutputs[T]>;

export type FileOutputConfig = Omit<Section<'file'>, 'enabled' | 'path'> & { path: string };
export type ConsoleOutputConfig = Omit<Section<'console'>, 'enabled'>;
export type ElasticsearchOutputConfig = Omit<Section<'elasticsearch'>, 'enabled' | 'hosts'> & {
  /** From `hosts`, or derived from `cloud_id`. */
  hosts: string[];
};
export interface LogstashOutputConfig {
  hosts: string[];
  /** TLS is used when the `ssl` section is present and not `enabled: false`. */
  ssl: TlsConfig & { enabled: boolean };
}

export type OutputConfig =
  | { type: 'file'; file: FileOutputConfig }
  | { type: 'console'; console: ConsoleOutputConfig }
  | { type: 'elasticsearch'; elasticsearch: ElasticsearchOutputConfig }
  | { type: 'logstash'; logstash: LogstashOutputConfig };

/** `output.console:` with nothing under it is a present, hence enabled, section with default settings. */
export function fillEmptyOutputSections(root: Tree): void {
  const output = root.output;
  if (!isSection(output)) return;
  for (const type of OUTPUT_TYPES) if (output[type] === null) output[type] = {};
}

/** The one enabled output, or undefined after reporting why there is not exactly one. */
export function selectOutput(rawOutput: unknown, findings: Findings): OutputType | undefined {
  // A malformed `output` is the schema's to report.
  if (rawOutput !== undefined && !isSection(rawOutput)) return undefined;
  const output = rawOutput ?? {};
  const enabled = OUTPUT_TYPES.filter((type) => type in output && !(isSection(output[type]) && output[type].enabled === false));
  if (enabled.length === 1) return enabled[0];
  if (enabled.length === 0) {
    findings.error(['output'], 'no output is enabled — configure exactly one of output.file, output.console, output.elasticsearch or output.logstash');
  } else {
    const names = enabled.map((type) => `output.${type}`);
    const which = names.length === 2 ? `${names[0]} and ${names[1]} are both enabled` : `${names.slice(0, -1).join(', ')} and ${names.at(-1)} are all enabled`;
    findings.error(['output'], `${which}, but exactly one output may be — keep one and disable the others, e.g. set ${names[0]}.enabled=false`);
  }
  return undefined;
}

export function resolveOutput(outputs: ParsedOutputs, type: OutputType, findings: Findings): OutputConfig | undefined {
  switch (type) {
    case 'file': {
      if (!outputs.file) return undefined;
      const { enabled: _enabled, path, ...file } = outputs.file;
      if (path === undefined) {
        findings.error(['output', 'file', 'path'], 'is required when output.file is enabled — set it to the directory the output files are written to');
        return undefined;
      }
      return { type, file: { ...file, path } };
    }
    case 'console': {
      if (!outputs.console) return undefined;
      const { enabled: _enabled, ...console } = outputs.console;
      return { type, console };
    }
    case 'elasticsearch':
      return outputs.elasticsearch && resolveElasticsearch(outputs.elasticsearch, findings);
    case 'logstash': {
      const logstash = outputs.logstash;
      if (!logstash) return undefined;
      if (logstash.hosts === undefined || logstash.hosts.length === 0) {
        findings.error(['output', 'logstash', 'hosts'], 'is required when output.logstash is enabled — list the Logstash Beats inputs as host:port, e.g. ["logstash.example.com:5044"]');
        return undefined;
      }
      const ssl = logstash.ssl ?? { enabled: false, certificate_authorities: [], verification_mode: 'full' as const };
      if (ssl.enabled) checkTls(ssl, ['output', 'logstash', 'ssl'], findings);
      return { type, logstash: { hosts: logstash.hosts, ssl } };
    }
  }
}

function resolveElasticsearch(section: Section<'elasticsearch'>, findings: Findings): OutputConfig | undefined {
  const { enabled: _enabled, hosts, ...elasticsearch } = section;
  const path = ['output', 'elasticsearch'];
  const before = findings.errors.length;
  checkTls(elasticsearch.ssl, [...path, 'ssl'], findings);

  if (elasticsearch.username !== undefined && elasticsearch.password === undefined) {
    findings.error([...path, 'password'], 'is required with username — set it, e.g. password: ${ES_PASSWORD}');
  }
  if (elasticsearch.password !== undefined && elasticsearch.username === undefined) {
    findings.error([...path, 'username'], 'is required with password — set the user the password belongs to');
  }
  const methods = (['username', 'api_key', 'bearer_token'] as const).filter((key) => elasticsearch[key] !== undefined);
  if (methods.length > 1) findings.error(path, `${methods.join(' and ')} are all set — authenticate one way only`);

  let resolvedHosts = hosts;
  if (hosts !== undefined && elasticsearch.cloud_id !== undefined) {
    findings.error(path, 'hosts and cloud_id are both set — keep one (cloud_id already names the deployment\'s endpoint)');
  } else if (elasticsearch.cloud_id !== undefined) {
    const host = hostFromCloudId(elasticsearch.cloud_id);
    if (host) resolvedHosts = [host];
    else findings.error([...path, 'cloud_id'], 'is not an Elastic Cloud ID — copy the Cloud ID from the deployment\'s page in Elastic Cloud');
  } else if (hosts === undefined || hosts.length === 0) {
    findings.error([...path, 'hosts'], 'is required when output.elasticsearch is enabled — list the Elasticsearch URLs, e.g. ["https://localhost:9200"], or set cloud_id');
  }
  if (findings.errors.length > before || resolvedHosts === undefined) return undefined;
  return { type: 'elasticsearch', elasticsearch: { ...elasticsearch, hosts: resolvedHosts } };
}

/** Elastic Cloud IDs are `name:base64(host[:port]$elasticsearch-id$kibana-id)`. */
function hostFromCloudId(cloudId: string): string | undefined {
  const decoded = Buffer.from(cloudId.slice(cloudId.indexOf(':') + 1), 'base64').toString('utf8');
  const [address, elasticsearchId] = decoded.split('$');
  if (!address || !elasticsearchId || !/^[a-z0-9.-]+(?::\d+)?$/i.test(address) || !/^[a-z0-9-]+$/i.test(elasticsearchId)) return undefined;
  const [host, port = '443'] = address.split(':');
  return `https://${elasticsearchId}.${host}:${port}`;
}
