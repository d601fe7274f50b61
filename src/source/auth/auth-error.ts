// Turns whatever token acquisition threw into one line that says what is wrong and how to fix it.
// Entra ID's own descriptions are not repeated beyond their first sentence, and credentials never are.
import { AuthError as MsalAuthError, ServerError } from '@azure/msal-node';
import type { TransportFailure } from '../transport-errors.js';

export type AuthErrorKind =
  | 'wrong-secret'
  | 'expired-secret'
  | 'certificate'
  | 'assertion-time'
  | 'app-not-found'
  | 'app-disabled'
  | 'consent-missing'
  | 'unknown-tenant'
  | 'invalid-scope'
  | 'throttled'
  | 'network'
  | 'tls'
  | 'config'
  | 'rejected';

/** What an answer of Entra ID said beyond its error code, for the retry that follows. */
export interface AuthAnswer {
  /** HTTP status of the token endpoint's answer. */
  status?: number;
  /** What Retry-After asked for, ms. */
  retryAfterMs?: number;
}

export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly kind: AuthErrorKind,
    message: string,
    /** The AADSTS number, when Entra ID gave one. */
    readonly aadsts?: number,
    readonly answer: AuthAnswer = {},
  ) {
    super(message);
  }

  /** True for failures that may pass by themselves (network, throttling); the rest need a config change. */
  get transient(): boolean {
    return this.kind === 'network' || this.kind === 'throttled';
  }
}

/** What the messages need to know about the tenant; never a credential. */
export interface AuthContext {
  tenantId: string;
  clientId: string;
  loginUrl: string;
  /** Where the tenant sits in the config, e.g. `tenants[0]`. */
  configPath: string;
  /** Hex thumbprint of the certificate in use, to help find it among the app's credentials. */
  certificateThumbprint?: string;
}

/** Thrown by the MSAL network module so that the classifier still knows why no answer came. */
export class TokenEndpointUnreachable extends MsalAuthError {
  constructor(readonly failure: TransportFailure) {
    super('network_error', '', `token endpoint unreachable: ${failure.reason}`);
    Object.setPrototypeOf(this, TokenEndpointUnreachable.prototype);
  }
}

/**
 * Thrown by the MSAL network module for a 429 or 5xx answer. MSAL would otherwise remember such an
 * answer and replay it for 60 seconds without asking Entra ID again, so one passing fault would fail
 * every retry in that minute; the connector's own backoff paces the retries instead.
 */
export class TokenEndpointUnavailable extends MsalAuthError {
  constructor(
    readonly status: number,
    readonly aadsts: number | undefined,
    readonly retryAfterMs: number | undefined,
  ) {
    super('temporarily_unavailable', '', `token endpoint answered HTTP ${status}`);
    Object.setPrototypeOf(this, TokenEndpointUnavailable.prototype);
  }
}

const INVALID_AUTHORITY = new Set(['authority_uri_insecure', 'url_parse_error', 'empty_url_error']);

export function classifyAuthFailure(error: unknown, context: AuthContext): AuthError {
  if (error instanceof AuthError) return error;
  const prefix = `authentication failed for tenant ${context.tenantId}`;
  const auth = `${context.configPath}.auth`;
  if (error instanceof TokenEndpointUnreachable) {
    if (error.failure.kind === 'tls') {
      return new AuthError(
        'tls',
        `${prefix}: the TLS certificate of ${context.loginUrl} is not trusted (${error.failure.reason}) — add its CA to ${context.configPath}.ssl.certificate_authorities`,
      );
    }
    return new AuthError(
      'network',
      `${prefix}: cannot reach ${context.loginUrl} (${error.failure.reason}) — check login_url and that this host can connect to it`,
    );
  }
  if (error instanceof TokenEndpointUnavailable) {
    const code = error.aadsts === undefined ? '' : `, AADSTS${error.aadsts}`;
    return new AuthError(
      'throttled',
      `${prefix}: Entra ID is unavailable or throttling token requests (HTTP ${error.status}${code}) — nothing to change; it is tried again after a pause`,
      error.aadsts,
      { status: error.status, ...(error.retryAfterMs === undefined ? {} : { retryAfterMs: error.retryAfterMs }) },
    );
  }
  if (error instanceof ServerError && isUnavailable(error)) {
    const status = error.status === undefined ? '' : ` (HTTP ${error.status})`;
    return new AuthError(
      'throttled',
      `${prefix}: Entra ID is unavailable or throttling token requests${status} — nothing to change; it is tried again after a pause`,
      undefined,
      error.status === undefined ? {} : { status: error.status },
    );
  }
  const aadsts = aadstsNumber(error);
  const known = aadsts === undefined ? undefined : explainAadsts(aadsts, context, auth);
  if (known) return new AuthError(known.kind, `${prefix}: ${known.problem} (AADSTS${aadsts}) — ${known.fix}`, aadsts);
  if (error instanceof ServerError) {
    const detail = firstSentence(error.errorMessage);
    const code = aadsts === undefined ? error.errorCode : `AADSTS${aadsts}`;
    return new AuthError(
      'rejected',
      `${prefix}: Entra ID refused the token request (${code}${detail ? `: ${detail}` : ''}) — check ${context.configPath}.client_id and ${auth}`,
      aadsts,
    );
  }
  if (error instanceof MsalAuthError && error.errorCode === 'network_error') {
    return new AuthError('network', `${prefix}: cannot reach ${context.loginUrl} — check login_url and that this host can connect to it`);
  }
  if (error instanceof MsalAuthError && INVALID_AUTHORITY.has(error.errorCode)) {
    return new AuthError(
      'config',
      `${prefix}: login_url ${context.loginUrl} is not a usable https:// URL — set it to the cloud's login host, e.g. https://login.microsoftonline.com`,
    );
  }
  const reason = error instanceof MsalAuthError ? error.errorCode : error instanceof Error ? error.name : 'unknown error';
  return new AuthError('config', `${prefix}: the token request could not be made (${reason}) — check ${auth} and login_url`);
}

interface Explanation {
  kind: AuthErrorKind;
  problem: string;
  fix: string;
}

function explainAadsts(code: number, context: AuthContext, auth: string): Explanation | undefined {
  const newSecret = `create a new secret under Certificates & secrets of app ${context.clientId} and set ${auth}`;
  const thumbprint = context.certificateThumbprint ? ` (thumbprint ${context.certificateThumbprint})` : '';
  switch (code) {
    case 7000215:
      return { kind: 'wrong-secret', problem: 'the client secret is wrong', fix: `${newSecret} (use the secret's value, not its ID)` };
    case 7000222:
      return { kind: 'expired-secret', problem: 'the client secret has expired', fix: newSecret };
    case 700027:
    case 70002:
    case 50012:
      return {
        kind: 'certificate',
        problem: `the certificate${thumbprint} is not registered on app ${context.clientId} or does not match the private key`,
        fix: `upload the certificate under Certificates & secrets, or fix certificate_file/certificate_key_file in ${auth}`,
      };
    case 700024:
      return { kind: 'assertion-time', problem: 'the client assertion is outside its valid time range', fix: "synchronise this host's clock (NTP)" };
    case 700016:
      return {
        kind: 'app-not-found',
        problem: `application ${context.clientId} was not found in the tenant`,
        fix: `check ${context.configPath}.client_id and tenant_id, and have an admin of the tenant consent to the app`,
      };
    case 7000112:
      return {
        kind: 'app-disabled',
        problem: `application ${context.clientId} is disabled in the tenant`,
        fix: 'enable its enterprise application (Properties → Enabled for users to sign in)',
      };
    case 65001:
    case 7000229:
      return {
        kind: 'consent-missing',
        problem: `application ${context.clientId} has no admin consent in the tenant`,
        fix: 'grant admin consent for its API permissions (Office 365 Management APIs → ActivityFeed.Read)',
      };
    case 90002:
      return {
        kind: 'unknown-tenant',
        problem: 'the tenant was not found',
        fix: `check ${context.configPath}.tenant_id and that cloud/login_url match the tenant's cloud`,
      };
    case 900023:
      return {
        kind: 'unknown-tenant',
        problem: 'the tenant ID is neither a GUID nor a verified domain',
        fix: `set ${context.configPath}.tenant_id to the Directory (tenant) ID shown in Entra ID`,
      };
    case 70011:
    case 700022:
    case 700023:
    case 1002012:
    case 500011:
      return {
        kind: 'invalid-scope',
        problem: 'the requested API is not known to this cloud',
        fix: `check ${context.configPath}.cloud, api_url and graph_url`,
      };
    default:
      return undefined;
  }
}

/**
 * Entra ID answered 429 or 5xx — or MSAL replays such an answer from its throttling cache, which it
 * does as a ServerError without status whose code is the bare AADSTS numbers.
 */
function isUnavailable(error: ServerError): boolean {
  if (error.status !== undefined) return error.status === 429 || error.status >= 500;
  return error.errorCode === 'temporarily_unavailable' || /^[\d ]*$/.test(error.errorCode);
}

function aadstsNumber(error: unknown): number | undefined {
  if (error instanceof ServerError && error.errorNo !== undefined && /^\d+$/.test(String(error.errorNo))) {
    return Number(error.errorNo);
  }
  const message = error instanceof Error ? error.message : '';
  const match = /AADSTS(\d+)/.exec(message);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The first sentence of Entra ID's description: enough to recognise the problem, without trace noise. */
function firstSentence(message: string): string {
  const description = /Description: (?:AADSTS\d+: )?([^\r\n]*)/.exec(message)?.[1] ?? '';
  const sentence = /^[^.]*\.?/.exec(description)?.[0] ?? '';
  return sentence.trim().slice(0, 200);
}
