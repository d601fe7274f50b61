// Test bench for the Activity API: a tiny fixed catalog, unsigned test tokens (base64url JSON claims),
// a manual clock, and the API mounted on a real HTTP server on 127.0.0.1.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { Agent, request } from 'undici';
import { createActivityApi } from '../../src/emulator/activity/index.js';
import type { TokenCheck } from '../../src/emulator/identity/index.js';
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import { DEFAULT_BEHAVIOUR } from '../../src/emulator/server.js';
import {
  CONTENT_TYPES,
  type ApiBehaviour,
  type AuditRecord,
  type BlobRef,
  type Catalog,
  type Clock,
  type ContentType,
  type EmulatedTenant,
  type Faults,
} from '../../src/emulator/types.js';

export const HOUR = 3600_000;
export const NOW = Date.UTC(2025, 0, 15, 12, 0, 0);

export const TENANT_A = '11111111-1111-4111-8111-111111111111';
export const TENANT_B = '22222222-2222-4222-8222-222222222222';
export const UNKNOWN_TENANT = '33333333-3333-4333-8333-333333333333';
export const CLIENT_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
export const PUBLISHER = '44444444-4444-4444-8444-444444444444';

function tenant(tenantId: string, presubscribed: ContentType[]): EmulatedTenant {
  return { tenantId, domain: `${tenantId.slice(0, 4)}.onmicrosoft.com`, displayName: tenantId, apps: [], presubscribed };
}

/** Tenant A never subscribed to Audit.General. */
export const TENANTS: EmulatedTenant[] = [
  tenant(TENANT_A, CONTENT_TYPES.filter((type) => type !== 'Audit.General')),
  tenant(TENANT_B, [...CONTENT_TYPES]),
];

export function contentIdFor(contentType: ContentType, index: number): string {
  const stamp = `20250115${String(index).padStart(15, '0')}`;
  return `${stamp}$${stamp}$${contentType.toLowerCase().replace('.', '_')}$${contentType.replace('.', '_')}$emea0036`;
}

interface FixtureBlob extends BlobRef {
  recordCount: number;
  lost: boolean;
}

/** Exchange: blobs 0..9, one every 2 h back from NOW (blob 0 newest), then blob 10, visible only at NOW + 1 h. */
export function exchangeBlobs(): FixtureBlob[] {
  const blobs: FixtureBlob[] = [];
  for (let index = 0; index < 10; index++) {
    const contentCreated = NOW - (index + 1) * 2 * HOUR + 60_000;
    blobs.push(fixtureBlob(TENANT_A, 'Audit.Exchange', index, contentCreated, contentCreated, 3));
  }
  blobs.push(fixtureBlob(TENANT_A, 'Audit.Exchange', 10, NOW - 30 * 60_000, NOW + HOUR, 2));
  return blobs;
}

function fixtureBlob(
  tenantId: string,
  contentType: ContentType,
  index: number,
  contentCreated: number,
  visibleAt: number,
  recordCount: number,
  lost = false,
): FixtureBlob {
  return {
    tenantId,
    contentType,
    index,
    contentId: contentIdFor(contentType, index),
    contentCreated,
    contentExpiration: contentCreated + 7 * 24 * HOUR,
    visibleAt,
    recordCount,
    lost,
  };
}

export function fixtureBlobs(): FixtureBlob[] {
  return [
    ...exchangeBlobs(),
    fixtureBlob(TENANT_A, 'DLP.All', 0, NOW - 3 * HOUR, NOW - 3 * HOUR, 2),
    // A big blob, to see the body streamed in several chunks.
    fixtureBlob(TENANT_A, 'Audit.SharePoint', 0, NOW - 5 * HOUR, NOW - 5 * HOUR, 2000),
    // Expired: created eight days ago.
    fixtureBlob(TENANT_A, 'Audit.SharePoint', 1, NOW - 8 * 24 * HOUR, NOW - 8 * 24 * HOUR, 1),
    fixtureBlob(TENANT_A, 'Audit.SharePoint', 2, NOW - 4 * HOUR, NOW - 4 * HOUR, 1, true),
    fixtureBlob(TENANT_A, 'Audit.AzureActiveDirectory', 0, NOW - 2 * HOUR, NOW - 2 * HOUR, 1),
    fixtureBlob(TENANT_B, 'Audit.Exchange', 0, NOW - 2 * HOUR, NOW - 2 * HOUR, 1),
  ];
}

export function recordsOf(blob: BlobRef, count: number): AuditRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const record: AuditRecord = {
      Id: `${blob.contentId}#${i}`,
      CreationTime: new Date(blob.contentCreated - HOUR).toISOString().slice(0, 19),
      Workload: blob.contentType,
      Padding: 'x'.repeat(200),
    };
    if (blob.contentType === 'DLP.All') {
      record.SensitiveInfoDetectionIsIncluded = true;
      record.PolicyDetails = [
        {
          PolicyName: 'PII',
          Rules: [
            {
              RuleName: 'Cards',
              ConditionsMatched: {
                SensitiveInformation: [
                  {
                    SensitiveType: '50842eb7-edc8-4019-85dd-5a5c1f2bb085',
                    SensitiveInformationDetections: { DetectedValues: [{ Name: 'Credit Card', Value: '4111111111111111' }] },
                  },
                ],
              },
            },
          ],
        },
      ];
    }
    return record;
  });
}

export class FixtureCatalog implements Catalog {
  readonly tenants = TENANTS;
  constructor(readonly blobs: FixtureBlob[] = fixtureBlobs()) {}
  listBlobs(tenantId: string, contentType: ContentType, start: number, end: number, now: number): BlobRef[] {
    return this.blobs
      .filter((b) => b.tenantId === tenantId && b.contentType === contentType)
      .filter((b) => start <= b.contentCreated && b.contentCreated < end && b.visibleAt <= now)
      .sort((x, y) => x.visibleAt - y.visibleAt);
  }
  findBlob(tenantId: string, contentId: string): BlobRef | undefined {
    return this.blobs.find((b) => b.tenantId === tenantId && b.contentId === contentId);
  }
  records(blob: BlobRef): AuditRecord[] {
    return recordsOf(blob, (blob as FixtureBlob).recordCount);
  }
  isLostByFault(blob: BlobRef): boolean {
    return (blob as FixtureBlob).lost;
  }
}

export interface TestClaims {
  tid: string;
  appid?: string;
  roles?: string[];
  /** Makes the test verifier reject the token for this reason. */
  reject?: 'signature' | 'expired' | 'audience';
}

/** An unsigned test token: base64url JSON claims. */
export function token(claims: TestClaims): string {
  return `Bearer ${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
}

export const TOKEN_A = token({ tid: TENANT_A, appid: CLIENT_A, roles: ['ActivityFeed.Read', 'ActivityFeed.ReadDlp'] });
export const TOKEN_B = token({ tid: TENANT_B, appid: CLIENT_A, roles: ['ActivityFeed.Read'] });

export function verifyTestToken(header: string | undefined): TokenCheck {
  if (header === undefined) return { ok: false, reason: 'missing' };
  const match = /^Bearer (\S+)$/.exec(header);
  if (!match?.[1]) return { ok: false, reason: 'malformed' };
  let claims: TestClaims;
  try {
    claims = JSON.parse(Buffer.from(match[1], 'base64url').toString('utf8')) as TestClaims;
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (claims.reject) return { ok: false, reason: claims.reject };
  return {
    ok: true,
    claims: { tid: claims.tid, aud: 'https://manage.office.com', appid: claims.appid ?? CLIENT_A, roles: claims.roles ?? [], exp: 0 },
  };
}

export function manualClock(start = NOW): Clock {
  let now = start;
  return { now: () => now, advance: (ms) => void (now += ms) };
}


export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export interface Bench {
  origin: string;
  clock: Clock;
  catalog: FixtureCatalog;
  /** A path on the emulator (or an absolute URL), with the tenant A token unless another is given. */
  call(
    method: string,
    target: string,
    options?: { token?: string | null; headers?: Record<string, string>; body?: string },
  ): Promise<Reply>;
  feed(operation: string, tenant?: string): string;
  close(): Promise<void>;
}

export async function startBench(
  options: {
    faults?: Partial<Faults>;
    behaviour?: Partial<ApiBehaviour>;
    catalog?: FixtureCatalog;
    clock?: Clock;
    allowInsecureWebhooks?: boolean;
  } = {},
): Promise<Bench> {
  const clock = options.clock ?? manualClock();
  const catalog = options.catalog ?? new FixtureCatalog();
  const api = createActivityApi({
    catalog,
    tenants: TENANTS,
    clock,
    // The fixture's late blob shows up an hour after creation, within lateMaxMs as the catalog promises.
    faults: { ...FAULT_PRESETS.none, rateLimitPerMinute: 0, lateMaxMs: 2 * HOUR, ...options.faults },
    behaviour: { ...DEFAULT_BEHAVIOUR, ...options.behaviour },
    verifyAccessToken: verifyTestToken,
    allowInsecureWebhooks: options.allowInsecureWebhooks,
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? 'localhost'}`);
    void api.routes(req, res, url).then((handled) => {
      if (!handled) res.writeHead(404).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dispatcher = new Agent();

  const call: Bench['call'] = async (method, target, callOptions = {}) => {
    const authorization = callOptions.token === undefined ? TOKEN_A : callOptions.token;
    const headers: Record<string, string> = { ...callOptions.headers };
    if (authorization !== null) headers.authorization = authorization;
    const response = await request(target.startsWith('http') ? target : origin + target, {
      method: method as 'GET',
      headers,
      body: callOptions.body,
      dispatcher,
    });
    const text = await response.body.text();
    let json: unknown;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json };
  };

  return {
    origin,
    clock,
    catalog,
    call,
    feed: (operation, tenantId = TENANT_A) => `/api/v1.0/${tenantId}/activity/feed/${operation}`,
    async close() {
      api.close();
      await dispatcher.close();
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** The AF code of an error answer. */
export function afCode(reply: Reply): string | undefined {
  return (reply.json as { error?: { code?: string } } | undefined)?.error?.code;
}

export function afMessage(reply: Reply): string | undefined {
  return (reply.json as { error?: { message?: string } } | undefined)?.error?.message;
}
