// Building blocks for tests that talk to a scripted Management Activity API on a local server.
import type { IncomingMessage } from 'node:http';
import type { TokenProvider } from '../../../src/source/auth/token-provider.js';
import { createManagementClient, type ManagementClientDeps } from '../../../src/source/client.js';
import type { ManagementClientOptions } from '../../../src/source/options.js';
import type { ContentBlob, ContentType } from '../../../src/source/types.js';
import { captureLogger } from './servers.js';

export const TENANT = '0b9e1c6a-3f0e-4d4c-9a43-6f7ad3b1c2d4';
export const TOKEN = 'eyJ0eXAiOiJKV1QifQ.test-access-token.signature';
const DAY_MS = 86_400_000;

/** A token provider stand-in that counts what was asked of it. */
export function stubTokens(): TokenProvider & { calls: Array<{ resourceUrl: string; forceRefresh: boolean }> } {
  const calls: Array<{ resourceUrl: string; forceRefresh: boolean }> = [];
  return {
    calls,
    async getToken(resourceUrl, { forceRefresh = false } = {}) {
      calls.push({ resourceUrl, forceRefresh });
      return `${TOKEN}${calls.filter((c) => c.forceRefresh).length || ''}`;
    },
    async close() {},
  };
}

export function createTestClient(apiUrl: string, options: Partial<ManagementClientOptions> = {}, deps: Partial<ManagementClientDeps> = {}) {
  const capture = captureLogger();
  const tokens = stubTokens();
  const client = createManagementClient(
    {
      tenantId: TENANT,
      clientId: '5f1c6a9e-0000-4000-8000-000000000001',
      credential: { kind: 'secret', secret: 'unused' },
      loginUrl: 'https://login.invalid',
      apiUrl,
      rejectUnauthorized: true,
      requestTimeoutMs: 5000,
      retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 40 },
      ...options,
    },
    { logger: capture.logger, tokenProvider: tokens, configPath: 'tenants[0]', ...deps },
  );
  return { client, tokens, logLines: capture.lines };
}

export function contentId(index: number, contentType: ContentType = 'Audit.Exchange'): string {
  const stamp = `2024010100000000000${String(index).padStart(4, '0')}`;
  const workload = contentType.split('.')[1]?.toLowerCase() ?? 'general';
  return `${stamp}$${stamp}$audit_${workload}$${contentType.replace('.', '_')}$emea0036`;
}

export function listingEntry(apiUrl: string, id: string, contentType: ContentType = 'Audit.Exchange', created = Date.now() - 3600_000) {
  return {
    contentType,
    contentId: id,
    contentUri: `${apiUrl}/api/v1.0/${TENANT}/activity/feed/audit/${id}`,
    contentCreated: new Date(created).toISOString(),
    contentExpiration: new Date(created + 7 * DAY_MS).toISOString(),
  };
}

export function blobFor(apiUrl: string, id: string, contentType: ContentType = 'Audit.Exchange', overrides: Partial<ContentBlob> = {}): ContentBlob {
  const entry = listingEntry(apiUrl, id, contentType);
  return {
    contentType,
    contentId: id,
    contentUri: entry.contentUri,
    contentCreated: Date.parse(entry.contentCreated),
    contentExpiration: Date.parse(entry.contentExpiration),
    ...overrides,
  };
}

export function auditRecords(count: number, prefix = 'rec'): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => ({
    Id: `${prefix}-${i}`,
    CreationTime: '2024-01-01T00:00:00',
    Operation: 'MailItemsAccessed',
    Workload: 'Exchange',
    UserId: `user${i}@contoso.onmicrosoft.com`,
  }));
}

export function afError(code: string, message: string) {
  return { error: { code, message } };
}

/** Query parameters of a request, names lower-cased (the API treats them case-insensitively). */
export function queryOf(req: IncomingMessage): Map<string, string[]> {
  const params = new Map<string, string[]>();
  for (const [name, value] of new URL(req.url ?? '/', 'http://x').searchParams) {
    const key = name.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  return params;
}

export async function collect<T>(iterable: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const chunk of iterable) all.push(...chunk);
  return all;
}
