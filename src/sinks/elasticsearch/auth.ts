// The Authorization header for the configured credentials, as Filebeat sends them.
export interface EngineCredentials {
  username?: string;
  password?: string;
  /** `id:key` as Elasticsearch shows it at creation, or the base64 `encoded` form. */
  api_key?: string;
  bearer_token?: string;
}

export function authorizationHeader(credentials: EngineCredentials): string | undefined {
  if (credentials.api_key !== undefined) {
    const key = credentials.api_key;
    return `ApiKey ${key.includes(':') ? Buffer.from(key).toString('base64') : key}`;
  }
  if (credentials.bearer_token !== undefined) return `Bearer ${credentials.bearer_token}`;
  if (credentials.username !== undefined) {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password ?? ''}`).toString('base64')}`;
  }
  return undefined;
}
