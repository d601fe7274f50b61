// Errors the Management Activity API client throws. Each message is one line naming the problem and
// what to do; `kind` tells the runtime how far the failure reaches.
import { CONTENT_TYPES, type ContentType } from './types.js';

export type ManagementApiErrorKind =
  /** The tenant cannot be read until its configuration or permissions change. */
  | 'fatal'
  /** The server's TLS certificate is not trusted. */
  | 'tls'
  /** This content type may not be read; the other content types go on. */
  | 'forbidden'
  /** The subscription is missing or disabled and could not be started now. */
  | 'subscription'
  /** The listing window was refused even after adjusting to the server's clock. */
  | 'window'
  /** Retries ran out on throttling, server faults or network trouble; try again later. */
  | 'transient'
  /** One blob's content can no longer be retrieved. */
  | 'expired'
  /** One blob does not exist. */
  | 'missing';

export interface ApiErrorContext {
  tenantId: string;
  operation: string;
  contentType?: ContentType;
  status?: number;
  code?: string;
}

export class ManagementApiError extends Error {
  override readonly name: string = 'ManagementApiError';
  readonly tenantId: string;
  readonly operation: string;
  readonly contentType?: ContentType;
  readonly status?: number;
  readonly code?: string;

  constructor(
    readonly kind: ManagementApiErrorKind,
    message: string,
    context: ApiErrorContext,
  ) {
    super(message);
    this.tenantId = context.tenantId;
    this.operation = context.operation;
    if (context.contentType !== undefined) this.contentType = context.contentType;
    if (context.status !== undefined) this.status = context.status;
    if (context.code !== undefined) this.code = context.code;
  }
}

/** The app lacks the permission for one content type (e.g. ActivityFeed.ReadDlp for DLP.All). */
export class ForbiddenContentTypeError extends ManagementApiError {
  override readonly name = 'ForbiddenContentTypeError';
  declare readonly contentType: ContentType;

  constructor(context: ApiErrorContext & { contentType: ContentType }) {
    const roles = context.contentType === 'DLP.All' ? 'ActivityFeed.Read and ActivityFeed.ReadDlp' : 'ActivityFeed.Read';
    super(
      'forbidden',
      `tenant ${context.tenantId} does not allow reading ${context.contentType} (${statusText(context)}) — grant the app ${roles} (Office 365 Management APIs, application permission) with admin consent, or remove ${context.contentType} from content_types; the other content types continue`,
      context,
    );
  }
}

/** A blob past its contentExpiration: its records are lost unless another copy exists. */
export class ExpiredContentError extends ManagementApiError {
  override readonly name = 'ExpiredContentError';

  constructor(
    readonly contentId: string,
    readonly contentExpiration: number,
    context: ApiErrorContext,
  ) {
    super(
      'expired',
      `blob ${contentId} of ${context.contentType ?? 'unknown content type'} in tenant ${context.tenantId} expired at ${new Date(contentExpiration).toISOString()}${context.code ? ` (${context.code})` : ''} and cannot be retrieved — its records are lost; keep the connector running so blobs are fetched within their retention`,
      context,
    );
  }
}

/** A listed blob the API says does not exist. */
export class MissingContentError extends ManagementApiError {
  override readonly name = 'MissingContentError';

  constructor(
    readonly contentId: string,
    context: ApiErrorContext,
  ) {
    super(
      'missing',
      `blob ${contentId} of ${context.contentType ?? 'unknown content type'} in tenant ${context.tenantId} does not exist (${statusText(context)}) — skipped; nothing to fix unless this repeats for many blobs`,
      context,
    );
  }
}

/** The error for an answer the operation has no special handling for. */
export function errorForResponse(context: ApiErrorContext & { serverMessage?: string; configPath: string }): ManagementApiError {
  const where = `tenant ${context.tenantId}`;
  const status = statusText(context);
  const fatal = (message: string) => new ManagementApiError('fatal', message, context);
  switch (context.code) {
    case 'AF20010':
      return fatal(`the access token's tenant does not match ${where} (${status}) — check ${context.configPath}.tenant_id and that the app credentials belong to that tenant`);
    case 'AF20011':
      return fatal(`${where} is unknown to the Management Activity API or has audit logging off (${status}) — turn on auditing in Microsoft Purview (Audit → Start recording user and admin activity), then wait up to an hour`);
    case 'AF20012':
      return fatal(`${where} is not set up for the Management Activity API (${status}) — check that audit logging is on and the tenant has an eligible licence`);
    case 'AF20013':
      return fatal(`tenant id ${context.tenantId} is not a GUID (${status}) — set ${context.configPath}.tenant_id to the Directory (tenant) ID`);
    case 'AF20020':
      return fatal(`content type ${context.contentType ?? '?'} is not valid (${status}) — use ${CONTENT_TYPES.join(', ')}`);
    case 'AF10001':
      return fatal(`the app has no ActivityFeed.Read permission in ${where} (${status}) — grant it (Office 365 Management APIs, application permission) with admin consent`);
  }
  if (context.status === 401) {
    return fatal(`the Management Activity API refused the access token for ${where} (${status}) — check that api_url matches the app's cloud and that the app has ActivityFeed.Read with admin consent`);
  }
  if (context.status === 403) {
    return fatal(`the Management Activity API refused ${context.operation} for ${where} (${status}) — grant the app ActivityFeed.Read (application permission) with admin consent`);
  }
  const detail = context.serverMessage ? `${status}: ${context.serverMessage}` : status;
  return fatal(`the Management Activity API rejected ${context.operation} for ${where} (${detail}) — check ${context.configPath}.api_url; if it is right, report this as an o365-elk bug`);
}

function statusText(context: { status?: number; code?: string }): string {
  return [context.status === undefined ? undefined : `HTTP ${context.status}`, context.code].filter(Boolean).join(' ');
}
