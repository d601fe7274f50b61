// The plain options the source stage takes; the runtime maps the tenant config onto them.

/** How the app proves its identity to Entra ID. */
export type ClientCredential =
  | { kind: 'secret'; secret: string }
  | {
      kind: 'certificate';
      /** PEM private key (PKCS#8 or PKCS#1, unencrypted). */
      privateKeyPem: string;
      /** PEM certificate; when given, thumbprints are computed from it and PS256 (SHA-256) is used. */
      certificatePem?: string;
      /** Hex SHA-1 thumbprint of the registered certificate, used (RS256) when no certificate is given. */
      thumbprintSha1Hex?: string;
    };

/** Where and how to reach one cloud's endpoints; shared by the token provider and the API client. */
export interface ConnectionOptions {
  /** Trusted CA certificates (PEM), added to the system's roots. */
  ca?: string[];
  rejectUnauthorized: boolean;
  /** Time allowed for a response to start, and between two chunks of its body. */
  requestTimeoutMs?: number;
}

export interface TokenProviderOptions extends ConnectionOptions {
  tenantId: string;
  clientId: string;
  credential: ClientCredential;
  /** Login host, e.g. `https://login.microsoftonline.com`. */
  loginUrl: string;
}

export interface RetryPolicy {
  /** Attempts of one request, the first included. */
  maxAttempts: number;
  /** First backoff; it doubles with every attempt (with jitter) up to maxDelayMs. */
  baseDelayMs: number;
  /** Longest single wait, Retry-After included. */
  maxDelayMs: number;
}

export interface ManagementClientOptions extends TokenProviderOptions {
  /** Management Activity API root, e.g. `https://manage.office.com`. */
  apiUrl: string;
  /** Tenant GUID whose throttling quota the calls use; defaults to tenantId. */
  publisherIdentifier?: string;
  /** Requests per minute the tenant may send to the API (listing, blobs, subscriptions together). */
  requestsPerMinute?: number;
  retry?: Partial<RetryPolicy>;
}

export const DEFAULT_REQUESTS_PER_MINUTE = 2000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 1000, maxDelayMs: 60_000 };

/** `https://host/` → `https://host`, so paths can be appended. */
export function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
