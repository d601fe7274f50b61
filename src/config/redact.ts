// A copy of the configuration that is safe to log or print: no secret, password, key or token in it.

export const REDACTED = '[REDACTED]';

const SECRET_KEYS = new Set(['client_secret', 'secret', 'private_key', 'password', 'api_key', 'bearer_token']);

/** Alert webhooks (Slack, Teams, …) carry their token in the URL path; only the origin is kept. */
function redactWebhook(url: string): string {
  try {
    return `${new URL(url).origin}/${REDACTED}`;
  } catch {
    return REDACTED;
  }
}

/** A password embedded in a URL (`https://user:pass@host`) is hidden. */
function redactUserinfo(text: string): string {
  return text.replace(/(\/\/[^/:@\s]*):[^/@\s]*@/g, `$1:${REDACTED}@`);
}

function redact(value: unknown, key: string | undefined): unknown {
  if (value === undefined || value === null) return value;
  if (key !== undefined && SECRET_KEYS.has(key)) return REDACTED;
  if (key === 'webhook_url' && typeof value === 'string') return redactWebhook(value);
  if (typeof value === 'string') return redactUserinfo(value);
  if (Array.isArray(value)) return value.map((entry) => redact(entry, undefined));
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, entry]) => [name, redact(entry, name)]));
  }
  return value;
}

export function redactConfig<T>(config: T): T {
  return redact(config, undefined) as T;
}
