// Entra ID's error answers (contract §6.5): the AADSTS catalogue the emulator uses and the JSON body shape
// `{error, error_description: "AADSTS<code>: …\r\nTrace ID: …", error_codes, timestamp, trace_id, …}`.
// HTTP status: 401 for `invalid_client`, 400 for every other class, as Entra answers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from '../respond.js';
import { estsHeaders, requestOrigin, type RequestContext } from './http.js';

const CERTIFICATE_DOCS = 'https://learn.microsoft.com/entra/identity-platform/certificate-credentials';

export class AadstsError extends Error {
  readonly status: number;

  constructor(
    readonly code: number,
    readonly error: string,
    readonly description: string,
    status?: number,
  ) {
    super(`AADSTS${code}: ${description}`);
    this.status = status ?? (error === 'invalid_client' ? 401 : 400);
  }
}

export const AADSTS = {
  methodNotAllowed: (allowed: string, method: string) =>
    new AadstsError(900561, 'invalid_request', `The endpoint only accepts ${allowed} requests. Received a ${method} request.`),
  bodyTooLarge: (limitBytes: number) =>
    new AadstsError(90004, 'invalid_request', `The request body is larger than ${limitBytes} bytes; it was not processed.`, 413),
  unknownTenant: (tenant: string) =>
    new AadstsError(
      90002,
      'invalid_tenant',
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  malformedTenant: (tenant: string) =>
    new AadstsError(900023, 'invalid_request', `Specified tenant identifier '${tenant}' is neither a valid DNS name, nor a valid external domain.`),
  tenantlessEndpoint: (tenant: string) =>
    new AadstsError(
      9001023,
      'invalid_request',
      `The grant type is not supported over the /${tenant} endpoint. Please use the tenant-specific endpoint, /{tenant ID or domain}.`,
    ),
  missingParameter: (name: string) =>
    new AadstsError(900144, 'invalid_request', `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grantType: string) =>
    new AadstsError(70003, 'unsupported_grant_type', `The app requested an unsupported grant type '${grantType}'.`),
  resourceOnV2Endpoint: () => new AadstsError(901002, 'invalid_request', "The 'resource' request parameter is not supported."),
  unknownApp: (clientId: string, tenantName: string) =>
    new AadstsError(
      700016,
      'unauthorized_client',
      `Application with identifier '${clientId}' was not found in the directory '${tenantName}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  noCredential: () =>
    new AadstsError(7000218, 'invalid_client', "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  twoCredentials: () =>
    new AadstsError(90023, 'invalid_request', "Send only one of the parameters 'client_assertion' and 'client_secret', not both."),
  wrongSecret: (clientId: string) =>
    new AadstsError(
      7000215,
      'invalid_client',
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
    ),
  wrongAssertionType: () =>
    new AadstsError(
      90023,
      'invalid_request',
      "The 'client_assertion_type' parameter must be 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'.",
    ),
  malformedAssertion: () => new AadstsError(50027, 'invalid_request', 'JWT token is invalid or malformed.'),
  assertionAlgorithm: (alg: string) =>
    new AadstsError(700027, 'invalid_client', `Client assertion failed signature validation. [Reason - The algorithm '${alg}' is not supported; sign with RS256 or PS256.]`),
  assertionKeyNotFound: (thumbprintHex: string, clientId: string) =>
    new AadstsError(
      700027,
      'invalid_client',
      `Client assertion failed signature validation. [Reason - The key was not found., Thumbprint of key used by client: '${thumbprintHex}', Please visit the Azure Portal, Graph Explorer or directly use MS Graph to see configured keys for app Id '${clientId}'. Review the documentation at https://docs.microsoft.com/en-us/graph/deployments if you are not using the global Graph endpoint.]`,
    ),
  assertionSignature: (thumbprintHex: string) =>
    new AadstsError(
      700027,
      'invalid_client',
      `Client assertion failed signature validation. [Reason - The provided signature value did not match the expected signature value., Thumbprint of key used by client: '${thumbprintHex}']`,
    ),
  assertionIssuer: () =>
    new AadstsError(
      700021,
      'invalid_client',
      `Client assertion application identifier doesn't match 'client_id' parameter. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  assertionAudience: () =>
    new AadstsError(700023, 'invalid_client', `Client assertion audience claim does not match Realm issuer. Review the documentation at ${CERTIFICATE_DOCS} .`),
  assertionTimeRange: (now: number, notBefore: number, expiry: number) =>
    new AadstsError(
      700024,
      'invalid_client',
      `Client assertion is not within its valid time range. Current time: ${preciseTime(now)}, assertion valid from ${preciseTime(notBefore)}, expiry time of assertion ${preciseTime(expiry)}. Review the documentation at ${CERTIFICATE_DOCS} .`,
    ),
  assertionReplayed: (jti: string) =>
    new AadstsError(50013, 'invalid_client', `Assertion is invalid: its jti '${jti}' was already used. Give every client assertion a new jti.`),
  invalidScope: (scope: string) =>
    new AadstsError(70011, 'invalid_scope', `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid.`),
  scopeWithoutDefault: (scope: string) =>
    new AadstsError(
      1002012,
      'invalid_scope',
      `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
    ),
  unknownResource: (resource: string, tenantName: string) =>
    new AadstsError(
      500011,
      'invalid_resource',
      `The resource principal named ${resource} was not found in the tenant named ${tenantName}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant.`,
    ),
  unknownInstance: () => new AadstsError(50049, 'invalid_instance', 'Unknown or invalid instance.'),
  serviceError: () =>
    new AadstsError(
      50000,
      'server_error',
      'There was an error issuing a token or an issue with our sign-in service. Please try again later.',
      500,
    ),
};

export function sendAadstsError(req: IncomingMessage, res: ServerResponse, failure: AadstsError, context: RequestContext): void {
  const timestamp = entraTimestamp(context.now);
  sendJson(
    res,
    failure.status,
    {
      error: failure.error,
      error_description: `AADSTS${failure.code}: ${failure.description}\r\nTrace ID: ${context.traceId}\r\nCorrelation ID: ${context.correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [failure.code],
      timestamp,
      trace_id: context.traceId,
      correlation_id: context.correlationId,
      error_uri: `${requestOrigin(req)}/error?code=${failure.code}`,
    },
    estsHeaders(req, context),
  );
}

/** `2023-05-06 06:03:00Z`, the format of Entra's `timestamp` field. */
function entraTimestamp(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}

/** `2024-10-02T22:05:03.6755165Z`, the seven-digit fractions Entra prints in AADSTS700024. */
function preciseTime(ms: number): string {
  const time = new Date(ms);
  // A client's `exp` can be any number; one beyond the Date range is shown as given.
  return Number.isNaN(time.getTime()) ? `${ms / 1000} (epoch seconds)` : `${time.toISOString().slice(0, 23)}0000Z`;
}
