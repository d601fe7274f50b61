// The shape of the configuration file: every key, its type, its default. Checks that need more than one
// key or the filesystem (credentials, the one-output rule, readable files) live in the resolve step.
import { z } from 'zod';
import { CLOUD_NAMES } from './clouds.js';
import {
  duration,
  environmentVariableName,
  filePath,
  guid,
  hostPort,
  httpUrl,
  jsonMode,
  oneOf,
  secret,
  text,
  thumbprint,
  whenMissing,
  wholeNumber,
} from './fields.js';

import { CONTENT_TYPES } from '../source/content-types.js';

export { CONTENT_TYPES, type ContentType } from '../source/content-types.js';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const OUTPUT_TYPES = ['file', 'console', 'elasticsearch', 'logstash'] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export const TENANT_ID_FIX = 'set it to your Directory (tenant) ID from Entra ID > Overview';
export const CLIENT_ID_FIX = 'set it to the Application (client) ID from Entra ID > App registrations > your app > Overview';
const PUBLISHER_FIX = 'set it to the tenant GUID whose API quota to use (normally your own tenant ID), or remove it';
const TENANTS_FIX = 'add at least one tenant, each with tenant_id, client_id and auth';

/** The configuration schema; relative paths are resolved against `baseDir` (the config file's directory). */
export function createConfigSchema(baseDir: string) {
  const file = (fix?: string) => filePath(baseDir, fix);

  const ssl = z
    .strictObject({
      certificate_authorities: z.array(file('set it to a PEM file of CA certificates to trust')).default([]),
      verification_mode: oneOf(['full', 'none']).default('full'),
    })
    .prefault({});

  // Outputs may also present a client certificate (mutual TLS), as Filebeat's ssl.certificate and ssl.key.
  const clientCertificate = {
    certificate: file('set it to the PEM client certificate to present').optional(),
    key: file('set it to the PEM private key of ssl.certificate').optional(),
  };

  const serviceUrl = (example: string) => httpUrl({ example, base: true, httpsUnlessLoopback: true }).optional();

  const tenant = z.strictObject({
    tenant_id: guid(TENANT_ID_FIX),
    name: text().optional(),
    client_id: guid(CLIENT_ID_FIX),
    auth: z.strictObject(
      {
        client_secret: secret().optional(),
        client_secret_env: environmentVariableName().optional(),
        client_secret_file: file('set it to the file that holds the client secret').optional(),
        certificate_key_file: file('set it to the PEM private key of the certificate registered on the app').optional(),
        certificate_file: file('set it to the PEM certificate registered on the app').optional(),
        certificate_thumbprint: thumbprint().optional(),
      },
      { error: whenMissing('add auth with one of client_secret_env, client_secret_file or certificate_key_file') },
    ),
    cloud: oneOf(CLOUD_NAMES).default('commercial'),
    login_url: serviceUrl('https://login.microsoftonline.com'),
    api_url: serviceUrl('https://manage.office.com'),
    graph_url: serviceUrl('https://graph.microsoft.com'),
    content_types: z
      .array(oneOf(CONTENT_TYPES, `use ${CONTENT_TYPES.join(', ')} (spelled exactly so)`))
      .min(1, { error: 'is empty — remove it to collect all five content types, or list the ones to collect' })
      .transform((types) => [...new Set(types)])
      .default([...CONTENT_TYPES]),
    publisher_identifier: guid(PUBLISHER_FIX).optional(),
    ssl,
  });

  // Output sections accept every key with defaults; which keys are required depends on whether the
  // section is the enabled one, which the resolve step decides.
  const enabled = z.boolean().optional();
  const output = z
    .strictObject({
      file: z
        .strictObject({
          enabled,
          path: file('set it to the directory the output files are written to').optional(),
          rotate_every_bytes: wholeNumber({ min: 1 }).default(104_857_600),
          number_of_files: wholeNumber({ min: 2, max: 1024 }).default(7),
        })
        .optional(),
      console: z.strictObject({ enabled, pretty: z.boolean().default(false) }).optional(),
      elasticsearch: z
        .strictObject({
          enabled,
          hosts: z.array(httpUrl({ example: 'https://localhost:9200', base: true })).optional(),
          username: text().optional(),
          password: secret().optional(),
          api_key: secret().optional(),
          bearer_token: secret().optional(),
          cloud_id: text().optional(),
          index: text().default('logs-o365.audit-default'),
          ssl: z.strictObject({ ...ssl.unwrap().shape, ...clientCertificate }).prefault({}),
          compression_level: wholeNumber({ min: 0, max: 9 }).optional(),
          bulk_max_size: wholeNumber({ min: 1 }).default(1000),
          bulk_max_bytes: wholeNumber({ min: 1 }).optional(),
          worker: wholeNumber({ min: 1 }).default(2),
          dead_letter_path: file().optional(),
        })
        .optional(),
      logstash: z
        .strictObject({
          enabled,
          hosts: z.array(hostPort()).optional(),
          ssl: z
            .strictObject({
              enabled: z.boolean().default(true),
              certificate_authorities: z.array(file('set it to a PEM file of CA certificates to trust')).default([]),
              verification_mode: oneOf(['full', 'none']).default('full'),
              ...clientCertificate,
            })
            .optional(),
        })
        .optional(),
    })
    .prefault({});

  return z.strictObject({
    tenants: z
      .array(tenant, { error: whenMissing(TENANTS_FIX) })
      .min(1, { error: `is empty — ${TENANTS_FIX}` }),
    api: z
      .strictObject({
        requests_per_minute: wholeNumber({ min: 1 }).default(2000),
        max_concurrency: wholeNumber({ min: 1 }).default(16),
        request_timeout: duration().prefault('60s'),
      })
      .prefault({}),
    poll: z
      .strictObject({
        interval: duration().prefault('3m'),
        lookback: duration().prefault('24h'),
        since: duration().prefault('7d'),
      })
      .prefault({}),
    // Filebeat's name for the bound between inputs and the output: documents handed to the output and not yet acknowledged.
    queue: z
      .strictObject({ mem: z.strictObject({ events: wholeNumber({ min: 1 }).default(1600) }).prefault({}) })
      .prefault({}),
    state: z.strictObject({ path: file().prefault('./data/o365-elk.db') }).prefault({}),
    output,
    logging: z
      .strictObject({ level: oneOf(LOG_LEVELS).default('info'), json: jsonMode().prefault('auto') })
      .prefault({}),
    http: z
      .strictObject({
        enabled: z.boolean().default(false),
        host: text().default('127.0.0.1'),
        port: wholeNumber({ min: 0, max: 65535 }).default(5066),
        // Host names the endpoints answer to besides http.host (and, on loopback, 127.0.0.1, localhost and [::1]).
        allowed_hosts: z.array(text()).optional(),
        // Every endpoint but /healthz then wants `Authorization: Bearer <token>`, as Prometheus' bearer_token_file sends it.
        auth: z
          .strictObject({
            bearer_token: secret().optional(),
            bearer_token_file: file('set it to the file holding the bearer token').optional(),
          })
          .optional(),
      })
      .prefault({}),
    enrich: z
      .strictObject({
        geoip: z
          .strictObject({
            enabled: z.boolean().default(true),
            city_database: file('set it to a MaxMind or DB-IP city .mmdb file, or remove it to use the packaged database').optional(),
            asn_database: file('set it to a MaxMind or DB-IP ASN .mmdb file, or remove it to use the packaged data').optional(),
          })
          .prefault({}),
        user_agent: z.strictObject({ enabled: z.boolean().default(true) }).prefault({}),
        app_names: z
          .strictObject({
            enabled: z.boolean().default(true),
            cache_path: file().optional(),
            ttl: duration().prefault('7d'),
          })
          .prefault({}),
        tenant_names: z.record(guid(TENANT_ID_FIX), text()).default({}),
      })
      .prefault({}),
    alerts: z
      .strictObject({
        webhook_url: httpUrl({ example: 'https://alerts.example.com/hook' }).optional(),
        command: text().optional(),
        // Longest run of alerts.command; past it the command is killed and the connector goes on.
        command_timeout: duration().prefault('10s'),
        // Polls in a row in which a stream's cursor did not move and no blob was delivered before stalled_stream is raised.
        stalled_after_polls: wholeNumber({ min: 1 }).default(3),
      })
      .prefault({}),
  });
}

export type ConfigSchema = ReturnType<typeof createConfigSchema>;
export type ParsedConfig = z.output<ConfigSchema>;
export type ParsedTenant = ParsedConfig['tenants'][number];
export type ParsedOutputs = ParsedConfig['output'];
