// Shared shapes of the emulator: the emulated directory (tenants, apps, credentials), the content
// catalog, fault knobs and the request-handler signature every service implements.
import type { IncomingMessage, ServerResponse } from 'node:http';

import type { ContentType } from '../source/content-types.js';

export { CONTENT_TYPES, type ContentType } from '../source/content-types.js';

export const ROLE_ACTIVITY_FEED_READ = 'ActivityFeed.Read';
export const ROLE_ACTIVITY_FEED_READ_DLP = 'ActivityFeed.ReadDlp';
export const ROLE_APPLICATION_READ_ALL = 'Application.Read.All';

/** An application registered in an emulated tenant. */
export interface EmulatedApp {
  clientId: string;
  displayName: string;
  /** Client secrets accepted for this app (client_secret_post and client_secret_basic). */
  secrets: string[];
  /** Registered certificates (PEM), for client assertions. */
  certificates: RegisteredCertificate[];
  /** Application roles granted by admin consent, per emulated resource. */
  roles: { management: string[]; graph: string[] };
}

export interface RegisteredCertificate {
  pem: string;
  /** base64url SHA-1 of the DER certificate, as the assertion's `x5t` header carries it. */
  x5t: string;
  /** base64url SHA-256 of the DER certificate, as `x5t#S256` carries it. */
  x5tS256: string;
  notAfter: Date;
}

export interface EmulatedTenant {
  tenantId: string;
  /** Verified domain, e.g. `contoso.onmicrosoft.com`; accepted in place of the GUID at the token endpoint. */
  domain: string;
  displayName: string;
  apps: EmulatedApp[];
  /** Content types the tenant's subscriptions start with (enabled since the start of the data timeline). */
  presubscribed: ContentType[];
}

/** One content blob as listed by `/subscriptions/content`. Times are epoch milliseconds. */
export interface BlobRef {
  tenantId: string;
  contentType: ContentType;
  /** Position of the blob in its stream's timeline; stable for a given seed. */
  index: number;
  contentId: string;
  contentCreated: number;
  contentExpiration: number;
  /** When the blob first shows up in listings; later than contentCreated for late-listed blobs. */
  visibleAt: number;
}

/** An audit record as the Management Activity API serves it (loosely typed on purpose: the wire is loose). */
export type AuditRecord = Record<string, unknown> & { Id: string; CreationTime: string };

/** The deterministic store of everything the emulated tenants publish. */
export interface Catalog {
  readonly tenants: readonly EmulatedTenant[];
  /** Blobs with `start <= contentCreated < end` and `visibleAt <= now`, in order of visibleAt. */
  listBlobs(tenantId: string, contentType: ContentType, start: number, end: number, now: number): BlobRef[];
  /** The blob with this contentId, whether or not it is visible yet. */
  findBlob(tenantId: string, contentId: string): BlobRef | undefined;
  /** The records inside a blob, generated on demand; duplicates included as served. */
  records(blob: BlobRef): AuditRecord[];
  /** True when a fault made this blob permanently unretrievable (served as expired). */
  isLostByFault(blob: BlobRef): boolean;
}

/** Fault knobs; every one is off (0/false) in the `none` preset. Rates are probabilities in [0, 1]. */
export interface Faults {
  /** Added latency for every request, milliseconds. */
  latencyMs: number;
  /** Added latency per KiB of response body, milliseconds. */
  latencyPerKibMs: number;
  /** Share of Management API requests answered 500 AF50000. */
  errorRate: number;
  /** Share of Management API requests answered AF429 at random, on top of the rate limit. */
  throttleRate: number;
  /** Per-tenant, per-publisher request budget per minute; 0 disables the limit. */
  rateLimitPerMinute: number;
  /** HTTP status of an AF429 answer: 403 as documented, 429 as an option. */
  throttleStatus: 403 | 429;
  /** `Retry-After` seconds on AF429 answers; 0 sends none (the documented behaviour). */
  retryAfterSeconds: number;
  /** Share of blob bodies cut short mid-stream. */
  truncateRate: number;
  /** Share of records repeated inside their blob. */
  duplicateRate: number;
  /** Share of records repeated in a later blob of the same stream. */
  crossDuplicateRate: number;
  /** Share of listing entries repeated on a later page of the same listing. */
  listingDuplicateRate: number;
  /** Shuffle the order of listing entries across a listing's pages. */
  listingShuffle: boolean;
  /** Share of next-page links that have gone stale (AF20031) when followed. */
  staleNextPageRate: number;
  /** Share of blobs that answer AF20051 before their contentExpiration: content lost for good. */
  expiredRate: number;
  /** Share of blobs listed with a malformed contentUri (encoded `$`, stray whitespace, wrong case). */
  malformedUriRate: number;
  /** Share of blobs listed late: visible only some time after their contentCreated. */
  lateRate: number;
  /** Longest delay of a late-listed blob, milliseconds. */
  lateMaxMs: number;
  /** Content types the emulated apps may not read (403 on listing). */
  unauthorizedContentTypes: ContentType[];
  /** Offset of the emulator's clock from real time, seconds (positive: emulator runs ahead). */
  clockSkewSeconds: number;
  /** Share of Graph requests answered 429 with Retry-After. */
  graphThrottleRate: number;
  /** App roles left out of every token, as when admin consent was never granted for them. */
  withheldRoles: string[];
  /** The first this many token requests of each faulted tenant are answered 500 AADSTS50000. */
  tokenErrorCount: number;
  /** Share of token requests answered 500 AADSTS50000 after those (1: every one). */
  tokenErrorRate: number;
  /** Token requests are never answered (the connection stays open until the client gives up). */
  tokenHang: boolean;
  /** The tenant (1-based, as `tenant-N` in connector.yml) the token faults apply to; 0: every tenant. */
  tokenFaultTenant: number;
}

/** Listing behaviour where Microsoft's contract is unknown or has changed; see the README. */
export interface ApiBehaviour {
  /** Entries per listing page. */
  pageSize: number;
  /** Send next-page links with lower-cased parameter names, as the service does since 2025. */
  lowercaseNextPage: boolean;
  /** Enforce the documented 15 minutes between `/start` requests of one tenant. */
  startThrottle: boolean;
  /** Error code for bad time windows: AF20055 (current) or AF20030 (older). */
  windowErrorCode: 'AF20055' | 'AF20030';
  /** HTTP status for AF20050/AF20051 on a blob (undocumented; 404 by default). */
  missingBlobStatus: number;
}

/** The emulator's clock: virtual time that can run faster than real time and be moved forward. */
export interface Clock {
  now(): number;
  advance(ms: number): void;
}

/**
 * A service mounted on the emulator's one HTTP server. It answers the request and returns true, or
 * returns false when the path is not its own.
 */
export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<boolean>;
