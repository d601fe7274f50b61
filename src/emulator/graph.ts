// The emulated Microsoft Graph, as far as the connector uses it (contract §7): `GET /v1.0/servicePrincipals`
// with `$filter=appId eq '…'` and `$select`, to turn application ids in audit records into names. Each tenant
// sees Microsoft's first-party service principals and its own apps.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { servicePrincipalObjectId } from './directory.js';
import { FIRST_PARTY_APPS } from '../transform/enrich/first-party-apps.js';
import type { TokenCheck } from './identity/index.js';
import { firstHeader, isGuid, requestOrigin } from './identity/http.js';
import { unitFloat } from './random.js';
import { sendJson } from './respond.js';
import type { EmulatedTenant, Faults, RouteHandler } from './types.js';

export interface GraphServiceOptions {
  tenants: readonly EmulatedTenant[];
  faults: Faults;
  verifyAccessToken: (authorizationHeader: string | undefined, resource: 'graph') => TokenCheck;
}

type ServicePrincipal = Record<string, unknown> & { id: string; appId: string; displayName: string };

// Any one of these application permissions lets an app list service principals.
const READ_ROLES = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
const MICROSOFT_SERVICES_TENANT = 'f8cdef31-a31e-4b4a-93e4-5f571e91255a';
const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const FILTERABLE: Record<string, string> = { appid: 'appId', displayname: 'displayName', id: 'id' };
// `property eq 'literal'`, where a quote inside the literal is doubled as OData writes it.
const EQUALS_FILTER = /^\s*([A-Za-z]+)\s+eq\s+'((?:[^']|'')*)'\s*$/;
const AUTH_FAILURES: Record<Exclude<TokenCheck, { ok: true }>['reason'], string> = {
  missing: 'Access token is empty.',
  malformed: 'Invalid JWT token. The token is malformed.',
  signature: 'Access token validation failure.',
  expired: 'Lifetime validation failed, the token is expired.',
  audience: 'Access token validation failure. Invalid audience.',
};

// Resource service principals whose names and roles matter to the connector; other apps only need a name.
const RESOURCE_DETAILS: Record<string, { servicePrincipalNames: string[]; appRoles: { id: string; value: string; displayName: string }[] }> = {
  'c5393580-f805-4401-95e8-94b7a6ef2fc2': {
    servicePrincipalNames: ['https://manage.office.com', 'https://manage-gcc.office.com', 'https://manage.office365.us', 'https://manage.protection.apps.mil'],
    appRoles: [
      { id: '594c1fb6-4f81-4475-ae41-0c394909246c', value: 'ActivityFeed.Read', displayName: 'Read activity data for your organization' },
      { id: '4807a72c-ad38-4250-94c9-4eabfe26cd55', value: 'ActivityFeed.ReadDlp', displayName: 'Read DLP policy events including detected sensitive data' },
      { id: 'e2cea78f-e743-4d8f-a16a-75b629a038ae', value: 'ServiceHealth.Read', displayName: 'Read service health information for your organization' },
    ],
  },
  '00000003-0000-0000-c000-000000000000': {
    servicePrincipalNames: ['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us'],
    appRoles: [
      { id: '9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30', value: 'Application.Read.All', displayName: 'Read all applications' },
      { id: '1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9', value: 'Application.ReadWrite.All', displayName: 'Read and write all applications' },
      { id: '7ab1d382-f21e-4acd-a863-ba3e13f7da61', value: 'Directory.Read.All', displayName: 'Read directory data' },
    ],
  },
};

export function createGraphService(options: GraphServiceOptions): RouteHandler {
  let requestNumber = 0;

  return async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    if (url.pathname.replace(/\/+$/, '').toLowerCase() !== '/v1.0/serviceprincipals') return false;
    const reply = graphReplier(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply.error(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.');
      return true;
    }
    const check = options.verifyAccessToken(firstHeader(req, 'authorization'), 'graph');
    if (!check.ok) {
      reply.error(401, 'InvalidAuthenticationToken', AUTH_FAILURES[check.reason], {
        'WWW-Authenticate': `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"`,
      });
      return true;
    }
    const { tid, appid, roles } = check.claims;
    requestNumber += 1;
    if (unitFloat('graph-throttle', requestNumber) < options.faults.graphThrottleRate) {
      reply.throttled(appid, tid, 1 + Math.floor(unitFloat('graph-retry-after', requestNumber) * 5));
      return true;
    }
    if (!roles.some((role) => READ_ROLES.includes(role))) {
      reply.error(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.');
      return true;
    }

    const query = queryOptions(url);
    const servicePrincipals = servicePrincipalsOf(options.tenants.find((tenant) => tenant.tenantId === tid));
    const matched = query.filter === undefined ? servicePrincipals : applyFilter(servicePrincipals, query.filter);
    if (typeof matched === 'string') {
      reply.error(400, 'Request_UnsupportedQuery', matched);
      return true;
    }
    const select = query.select === undefined ? undefined : parseSelect(query.select, servicePrincipals[0] ?? {});
    if (typeof select === 'string') {
      reply.error(400, 'BadRequest', select);
      return true;
    }
    const context = `${requestOrigin(req)}/v1.0/$metadata#servicePrincipals${select ? `(${select.join(',')})` : ''}`;
    const value = select ? matched.map((sp) => Object.fromEntries(select.map((name) => [name, sp[name]]))) : matched;
    reply.ok({ '@odata.context': context, value });
    return true;
  };
}

function servicePrincipalsOf(tenant: EmulatedTenant | undefined): ServicePrincipal[] {
  const tenantId = tenant?.tenantId ?? MICROSOFT_SERVICES_TENANT;
  const firstParty = FIRST_PARTY_APPS.map(({ appId, displayName }) =>
    servicePrincipal(tenantId, appId, displayName, MICROSOFT_SERVICES_TENANT, 'AzureADMultipleOrgs'),
  );
  const own = (tenant?.apps ?? []).map((app) =>
    servicePrincipal(tenantId, app.clientId, app.displayName, tenantId, 'AzureADMyOrg', ['WindowsAzureActiveDirectoryIntegratedApp']),
  );
  return [...firstParty, ...own];
}

/** The full v1.0 servicePrincipal shape, as Graph returns it without `$select`. */
function servicePrincipal(
  tenantId: string,
  appId: string,
  displayName: string,
  ownerTenantId: string,
  signInAudience: string,
  tags: string[] = [],
): ServicePrincipal {
  const details = RESOURCE_DETAILS[appId];
  return {
    id: servicePrincipalObjectId(tenantId, appId),
    deletedDateTime: null,
    accountEnabled: true,
    alternativeNames: [],
    appDisplayName: displayName,
    appDescription: null,
    appId,
    applicationTemplateId: null,
    appOwnerOrganizationId: ownerTenantId,
    appRoleAssignmentRequired: false,
    description: null,
    disabledByMicrosoftStatus: null,
    displayName,
    homepage: null,
    loginUrl: null,
    logoutUrl: null,
    notes: null,
    notificationEmailAddresses: [],
    preferredSingleSignOnMode: null,
    preferredTokenSigningKeyThumbprint: null,
    replyUrls: [],
    servicePrincipalNames: [appId, ...(details?.servicePrincipalNames ?? [])],
    servicePrincipalType: 'Application',
    signInAudience,
    tags,
    tokenEncryptionKeyId: null,
    info: null,
    samlSingleSignOnSettings: null,
    verifiedPublisher: { displayName: null, verifiedPublisherId: null, addedDateTime: null },
    addIns: [],
    appRoles: (details?.appRoles ?? []).map((role) => ({
      allowedMemberTypes: ['Application'],
      description: role.displayName,
      displayName: role.displayName,
      id: role.id,
      isEnabled: true,
      origin: 'Application',
      value: role.value,
    })),
    keyCredentials: [],
    oauth2PermissionScopes: [],
    passwordCredentials: [],
    resourceSpecificApplicationPermissions: [],
  };
}

/** `$filter` and `$select`, whose names Graph matches without regard to case; `%24` arrives decoded as `$`. */
function queryOptions(url: URL): { filter?: string; select?: string } {
  const options: { filter?: string; select?: string } = {};
  for (const [name, value] of url.searchParams) {
    const lower = name.toLowerCase();
    if (lower === '$filter') options.filter = value;
    else if (lower === '$select') options.select = value;
  }
  return options;
}

/** The service principals the filter selects, or the reason it cannot be evaluated. */
function applyFilter(servicePrincipals: ServicePrincipal[], filter: string): ServicePrincipal[] | string {
  const match = EQUALS_FILTER.exec(filter);
  if (!match) return `Invalid filter clause: the expression '${filter}' is not supported; use appId eq '{appId}'.`;
  const property = FILTERABLE[(match[1] ?? '').toLowerCase()];
  if (!property) return `Unsupported or invalid query filter clause specified for property '${match[1]}' of resource 'ServicePrincipal'.`;
  const wanted = (match[2] ?? '').replace(/''/g, "'");
  // Graph compares GUID-valued properties without regard to case.
  const same = property === 'displayName' ? (v: string) => v === wanted : (v: string) => v.toLowerCase() === wanted.toLowerCase();
  return servicePrincipals.filter((sp) => same(String(sp[property])));
}

/** The selected property names in request order and canonical case, or the reason the list is invalid. */
function parseSelect(select: string, example: Record<string, unknown>): string[] | undefined | string {
  const requested = select.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (requested.length === 0) return undefined;
  const names = Object.keys(example);
  const canonical: string[] = [];
  for (const name of requested) {
    const known = names.find((n) => n.toLowerCase() === name.toLowerCase());
    if (!known) return `Could not find a property named '${name}' on type 'microsoft.graph.servicePrincipal'.`;
    canonical.push(known);
  }
  return canonical;
}

/** Answers in Graph's shapes, with the diagnostic headers Graph puts on every response. */
function graphReplier(req: IncomingMessage, res: ServerResponse) {
  const requestId = randomUUID();
  const sent = firstHeader(req, 'client-request-id');
  const clientRequestId = sent && isGuid(sent) ? sent : requestId;
  const headers = {
    'Content-Type': ODATA_JSON,
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({ ServerInfo: { DataCenter: 'Emulated', Slice: 'E', Ring: '1', ScaleUnit: '000', RoleInstance: 'emulator' } }),
  };
  const innerError = () => ({ date: new Date().toISOString().slice(0, 19), 'request-id': requestId, 'client-request-id': clientRequestId });
  return {
    ok: (body: object) => sendJson(res, 200, body, { ...headers, 'x-ms-resource-unit': '1' }),
    error: (status: number, code: string, message: string, extra: Record<string, string> = {}) =>
      sendJson(res, status, { error: { code, message, innerError: innerError() } }, { ...headers, 'Content-Type': 'application/json', ...extra }),
    throttled: (appId: string, tenantId: string, retryAfterSeconds: number) =>
      sendJson(
        res,
        429,
        {
          error: {
            code: 'TooManyRequests',
            innerError: { code: '429', message: 'Please retry after', status: '429', ...innerError() },
            message: 'Please retry again later.',
          },
        },
        {
          ...headers,
          'Content-Type': 'application/json',
          'Retry-After': String(retryAfterSeconds),
          'x-ms-throttle-scope': `Tenant_Application/ReadWrite/${appId}/${tenantId}`,
          'x-ms-throttle-information': 'ResourceUnitLimitExceeded',
        },
      ),
  };
}
