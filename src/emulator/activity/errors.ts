// The Management Activity API's errors: an AF code, its documented message and the HTTP status the
// service answers with (observed where evidence exists, otherwise the contract's default, §3.2).
import type { TokenCheck } from '../identity/index.js';
import type { ApiBehaviour, ContentType } from '../types.js';

/** An answer of the form `{"error":{"code":"AF…","message":"…"}}`. */
export class ActivityApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A bearer token the service does not accept: 401 with a `WWW-Authenticate` challenge and no AF body. */
export class BearerChallenge extends Error {
  constructor(readonly reason: Extract<TokenCheck, { ok: false }>['reason']) {
    super(`bearer token rejected: ${reason}`);
  }
}

const WINDOW_MESSAGES: Record<ApiBehaviour['windowErrorCode'], string> = {
  AF20030:
    'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time no more than 7 days in the past.',
  AF20055:
    'Start time and end time must both be specified (or both omitted) and must be less than or equal to 24 hours apart, with the start time prior to end time and start time no more than 7 days in the past.',
};

export const afErrors = {
  missingPermission: (roles: readonly string[]) =>
    new ActivityApiError(
      401,
      'AF10001',
      `The permission set (${roles.join(',')}) sent in the request did not include the expected permission ActivityFeed.Read.`,
    ),
  // Not a documented code: the emulator's way to deny one content type while the others keep working.
  contentTypeForbidden: (roles: readonly string[], contentType: ContentType) =>
    new ActivityApiError(
      403,
      'AF10001',
      `The permission set (${roles.join(',')}) sent in the request did not include the expected permission to read ${contentType}.`,
    ),
  missingParameter: (name: string) => new ActivityApiError(400, 'AF20001', `Missing parameter: ${name}.`),
  invalidParameterType: (name: string, expected: string) =>
    new ActivityApiError(400, 'AF20002', `Invalid parameter type: ${name}. Expected type: ${expected}.`),
  expirationInPast: (expiration: string) =>
    new ActivityApiError(400, 'AF20003', `Expiration ${expiration} provided is set to past date and time.`),
  tenantMismatch: (urlTenant: string, tokenTenant: string) =>
    new ActivityApiError(
      401,
      'AF20010',
      `The tenant ID passed in the URL (${urlTenant}) does not match the tenant ID passed in the access token (${tokenTenant}).`,
    ),
  unknownTenant: (tenant: string) =>
    new ActivityApiError(400, 'AF20011', `Specified tenant ID (${tenant}) does not exist in the system or has been deleted.`),
  tenantNotGuid: (tenant: string) =>
    new ActivityApiError(400, 'AF20013', `The tenant ID passed in the URL (${tenant}) is not a valid GUID.`),
  invalidContentType: () => new ActivityApiError(400, 'AF20020', 'The specified content type is not valid.'),
  webhookNotValidated: (address: string, reason: 'not-https' | 'no-200') =>
    new ActivityApiError(
      400,
      'AF20021',
      `The webhook endpoint ${address} could not be validated. ${reason === 'not-https' ? 'The address must begin with HTTPS.' : 'The endpoint did not return HTTP 200.'}`,
    ),
  noSubscription: () => new ActivityApiError(400, 'AF20022', 'No subscription found for the specified content type.'),
  // The observed text; the documented one names who disabled it.
  subscriptionDisabled: () => new ActivityApiError(400, 'AF20023', 'The subscription was disabled.'),
  alreadyEnabled: () => new ActivityApiError(400, 'AF20024', 'The subscription is already enabled. No property change.'),
  invalidWindow: (code: ApiBehaviour['windowErrorCode']) => new ActivityApiError(400, code, WINDOW_MESSAGES[code]),
  invalidNextPage: (value: string) => new ActivityApiError(400, 'AF20031', `Invalid nextPage Input: ${value}.`),
  contentNotFound: (contentId: string, status: number) =>
    new ActivityApiError(status, 'AF20050', `The specified content (${contentId}) does not exist.`),
  contentExpired: (contentId: string, status: number) =>
    new ActivityApiError(
      status,
      'AF20051',
      `Content requested with the key ${contentId} has already expired. Content older than 7 days cannot be retrieved.`,
    ),
  invalidContentId: (contentId: string) =>
    new ActivityApiError(400, 'AF20052', `Content ID ${contentId} in the URL is invalid.`),
  severalLanguages: () =>
    new ActivityApiError(400, 'AF20053', 'Only one language may be present in the Accept-Language header.'),
  invalidLanguage: () => new ActivityApiError(400, 'AF20054', 'Invalid syntax in Accept-Language header.'),
  throttled: (method: string, publisherId: string, status: number, retryAfterSeconds: number) =>
    new ActivityApiError(
      status,
      'AF429',
      `Too many requests. Method=${method}, PublisherId=${publisherId}`,
      retryAfterSeconds > 0 ? { 'Retry-After': String(retryAfterSeconds) } : {},
    ),
  internal: () => new ActivityApiError(500, 'AF50000', 'An internal error occurred. Retry the request.'),
  // Undocumented: the service's own answer for an unknown route is not an AF body; the emulator keeps
  // one error shape so clients need only one parser.
  unknownOperation: (path: string) =>
    new ActivityApiError(404, 'AF404', `No operation of the Management Activity API matches ${path}.`),
  methodNotAllowed: (method: string, allowed: string) =>
    new ActivityApiError(405, 'AF405', `The operation does not support ${method}; use ${allowed}.`, { Allow: allowed }),
  invalidBody: () =>
    new ActivityApiError(400, 'AF20002', 'Invalid parameter type: request body. Expected type: JSON object.'),
};
