// Structured logging: JSON lines (pino) for machines, readable lines in a terminal. Secrets are
// redacted by key wherever they appear in a logged object.
import pino, { type Logger } from 'pino';

export type { Logger };

export const REDACTED_KEYS = [
  'client_secret',
  'clientSecret',
  'secret',
  'password',
  'api_key',
  'apiKey',
  'bearer_token',
  'access_token',
  'accessToken',
  'token',
  'authorization',
  'Authorization',
  'private_key',
  'privateKey',
  'client_assertion',
];

export interface LoggerOptions {
  level?: string;
  /** true: JSON lines; false: pretty; 'auto': pretty when stderr is a terminal. */
  json?: boolean | 'auto';
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const pretty = options.json === false || (options.json !== true && process.stderr.isTTY === true);
  const redact = { paths: REDACTED_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]), censor: '[REDACTED]' };
  const base = { level: options.level ?? 'info', redact, base: { service: 'o365-elk' } };
  if (pretty && !options.destination) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true } } });
  }
  return pino(base, (options.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}
