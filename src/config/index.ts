// The configuration: loading and validating it, and printing it safely.
export { CLOUD_ENDPOINTS, CLOUD_NAMES, type CloudEndpoints, type CloudName } from './clouds.js';
export type { TenantCredential } from './credentials.js';
export { formatDuration, parseDuration } from './duration.js';
export { ConfigError } from './errors.js';
export { loadConfig, RETENTION_MS, type Config, type LoadConfigOptions } from './load.js';
export type { ConsoleOutputConfig, ElasticsearchOutputConfig, FileOutputConfig, LogstashOutputConfig, OutputConfig } from './outputs.js';
export { ENVIRONMENT_PREFIX } from './overrides.js';
export { REDACTED, redactConfig } from './redact.js';
export { CONTENT_TYPES, LOG_LEVELS, OUTPUT_TYPES, type ContentType, type LogLevel, type OutputType } from './schema.js';
export type { TenantConfig } from './tenants.js';
export type { TlsConfig } from './tls.js';
