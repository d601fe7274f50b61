// The `--faults` specification: a preset name, or `knob=value,...` pairs on top of the `none` preset
// (a preset may lead: `realistic,error_rate=0.1`).
import { CONTENT_TYPES, type ContentType, type Faults } from './types.js';

export const FAULT_PRESETS: Record<'none' | 'realistic' | 'hostile', Faults> = {
  none: {
    latencyMs: 0,
    latencyPerKibMs: 0,
    errorRate: 0,
    throttleRate: 0,
    rateLimitPerMinute: 2000,
    throttleStatus: 403,
    retryAfterSeconds: 0,
    truncateRate: 0,
    duplicateRate: 0,
    crossDuplicateRate: 0,
    listingDuplicateRate: 0,
    listingShuffle: false,
    staleNextPageRate: 0,
    expiredRate: 0,
    malformedUriRate: 0,
    lateRate: 0,
    lateMaxMs: 0,
    unauthorizedContentTypes: [],
    clockSkewSeconds: 0,
    graphThrottleRate: 0,
    withheldRoles: [],
    tokenErrorCount: 0,
    tokenErrorRate: 0,
    tokenHang: false,
    tokenFaultTenant: 0,
  },
  realistic: {
    latencyMs: 250,
    latencyPerKibMs: 0.01,
    errorRate: 0.005,
    throttleRate: 0,
    rateLimitPerMinute: 2000,
    throttleStatus: 403,
    retryAfterSeconds: 0,
    truncateRate: 0.001,
    duplicateRate: 0.01,
    crossDuplicateRate: 0.01,
    listingDuplicateRate: 0.01,
    listingShuffle: false,
    staleNextPageRate: 0,
    expiredRate: 0,
    malformedUriRate: 0,
    lateRate: 0.02,
    lateMaxMs: 6 * 3600_000,
    unauthorizedContentTypes: [],
    clockSkewSeconds: 0,
    graphThrottleRate: 0.01,
    withheldRoles: [],
    tokenErrorCount: 0,
    tokenErrorRate: 0,
    tokenHang: false,
    tokenFaultTenant: 0,
  },
  hostile: {
    latencyMs: 5,
    latencyPerKibMs: 0,
    errorRate: 0.08,
    throttleRate: 0.05,
    rateLimitPerMinute: 2000,
    throttleStatus: 403,
    retryAfterSeconds: 0,
    truncateRate: 0.05,
    duplicateRate: 0.05,
    crossDuplicateRate: 0.05,
    listingDuplicateRate: 0.1,
    listingShuffle: true,
    staleNextPageRate: 0.05,
    expiredRate: 0.01,
    malformedUriRate: 0.05,
    lateRate: 0.1,
    lateMaxMs: 12 * 3600_000,
    unauthorizedContentTypes: [],
    clockSkewSeconds: 90,
    graphThrottleRate: 0.2,
    withheldRoles: [],
    tokenErrorCount: 0,
    tokenErrorRate: 0,
    tokenHang: false,
    tokenFaultTenant: 0,
  },
};

type KnobKind = 'number' | 'rate' | 'boolean' | 'status' | 'contentTypes' | 'roles';
/** Knob names as users write them, mapped to their field and kind. Documented in the README. */
export const FAULT_KNOBS: Record<string, { field: keyof Faults; kind: KnobKind; help: string }> = {
  latency_ms: { field: 'latencyMs', kind: 'number', help: 'added latency per request, ms' },
  latency_per_kib_ms: { field: 'latencyPerKibMs', kind: 'number', help: 'added latency per KiB of body, ms' },
  error_rate: { field: 'errorRate', kind: 'rate', help: 'share of API requests answered 500 AF50000' },
  throttle_rate: { field: 'throttleRate', kind: 'rate', help: 'share of API requests answered AF429 at random' },
  rate_limit: { field: 'rateLimitPerMinute', kind: 'number', help: 'requests/minute per tenant and publisher (0: off)' },
  throttle_status: { field: 'throttleStatus', kind: 'status', help: 'HTTP status of AF429: 403 (documented) or 429' },
  retry_after: { field: 'retryAfterSeconds', kind: 'number', help: 'Retry-After seconds on AF429 (0: none)' },
  truncate_rate: { field: 'truncateRate', kind: 'rate', help: 'share of blob bodies cut short' },
  duplicate_rate: { field: 'duplicateRate', kind: 'rate', help: 'share of records repeated inside their blob' },
  cross_duplicate_rate: { field: 'crossDuplicateRate', kind: 'rate', help: 'share of records repeated in a later blob' },
  listing_duplicate_rate: { field: 'listingDuplicateRate', kind: 'rate', help: 'share of listing entries repeated on a later page' },
  listing_shuffle: { field: 'listingShuffle', kind: 'boolean', help: 'shuffle listing entries across pages' },
  stale_next_page_rate: { field: 'staleNextPageRate', kind: 'rate', help: 'share of next-page links that answer AF20031' },
  expired_rate: { field: 'expiredRate', kind: 'rate', help: 'share of blobs lost early (AF20051)' },
  malformed_uri_rate: { field: 'malformedUriRate', kind: 'rate', help: 'share of blobs listed with a malformed contentUri' },
  late_rate: { field: 'lateRate', kind: 'rate', help: 'share of blobs listed late' },
  late_max_ms: { field: 'lateMaxMs', kind: 'number', help: 'longest listing delay of a late blob, ms' },
  unauthorized: { field: 'unauthorizedContentTypes', kind: 'contentTypes', help: 'content types the apps may not read, separated by +' },
  clock_skew_s: { field: 'clockSkewSeconds', kind: 'number', help: "offset of the emulator's clock, seconds" },
  graph_throttle_rate: { field: 'graphThrottleRate', kind: 'rate', help: 'share of Graph requests answered 429' },
  withheld_roles: { field: 'withheldRoles', kind: 'roles', help: 'app roles without admin consent (left out of tokens), separated by +' },
  token_error_count: { field: 'tokenErrorCount', kind: 'number', help: 'first token requests of each faulted tenant answered 500 AADSTS50000' },
  token_error_rate: { field: 'tokenErrorRate', kind: 'rate', help: 'share of later token requests answered 500 AADSTS50000 (1: always)' },
  token_hang: { field: 'tokenHang', kind: 'boolean', help: 'token requests never answered' },
  token_fault_tenant: { field: 'tokenFaultTenant', kind: 'number', help: 'the one tenant (N of tenant-N) the token faults apply to; 0: all' },
};

export class FaultSpecError extends Error {}

export function parseFaults(spec: string | undefined): Faults {
  const parts = (spec ?? 'none').split(',').map((p) => p.trim()).filter((p) => p.length > 0);
  let faults: Faults = { ...FAULT_PRESETS.none };
  for (const [position, part] of parts.entries()) {
    if (!part.includes('=')) {
      if (position !== 0 || !(part in FAULT_PRESETS)) {
        throw new FaultSpecError(
          `unknown fault preset "${part}": use none, realistic or hostile, optionally first and followed by knob=value pairs`,
        );
      }
      faults = { ...FAULT_PRESETS[part as keyof typeof FAULT_PRESETS] };
      continue;
    }
    const [name = '', raw = ''] = part.split('=', 2).map((s) => s.trim());
    const knob = FAULT_KNOBS[name];
    if (!knob) {
      throw new FaultSpecError(`unknown fault knob "${name}": known knobs are ${Object.keys(FAULT_KNOBS).join(', ')}`);
    }
    (faults as unknown as Record<string, unknown>)[knob.field] = parseKnobValue(name, knob.kind, raw);
  }
  return faults;
}

function parseKnobValue(name: string, kind: KnobKind, raw: string): unknown {
  switch (kind) {
    case 'boolean':
      if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
      if (['0', 'false', 'no', 'off'].includes(raw)) return false;
      throw new FaultSpecError(`fault knob ${name} takes true or false, not "${raw}"`);
    case 'contentTypes': {
      const types = raw.split('+').filter((t) => t.length > 0);
      for (const t of types) {
        if (!(CONTENT_TYPES as readonly string[]).includes(t)) {
          throw new FaultSpecError(`fault knob ${name}: "${t}" is not a content type (${CONTENT_TYPES.join(', ')})`);
        }
      }
      return types as ContentType[];
    }
    case 'roles':
      return raw.split('+').filter((role) => role.length > 0);
    case 'status':
      if (raw === '403' || raw === '429') return Number(raw);
      throw new FaultSpecError(`fault knob ${name} takes 403 or 429, not "${raw}"`);
    default: {
      const value = Number(raw);
      if (raw === '' || !Number.isFinite(value) || value < 0 || (kind === 'rate' && value > 1)) {
        const range = kind === 'rate' ? 'a share between 0 and 1' : 'a number of at least 0';
        throw new FaultSpecError(`fault knob ${name} takes ${range}, not "${raw}"`);
      }
      return value;
    }
  }
}
