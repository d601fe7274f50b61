// Per tenant: can the app get a token, does the token carry the roles the connector needs, is each
// configured content type subscribed, and can Graph name applications. The token itself is never shown.
import { decodeJwt } from 'jose';
import { request } from 'undici';
import type { Config, TenantConfig } from '../config/index.js';
import { managementClientOptions } from '../runtime/tenant-client.js';
import { AuthError, createManagementClient, createTokenProvider, type AuthErrorKind, type TokenProvider } from '../source/index.js';
import { createHttpAgent } from '../source/http-agent.js';
import type { ManagementClientOptions } from '../source/options.js';
import type { Logger } from '../util/logger.js';
import { fail, messageOf, pass, problemAndFix, warn, type CheckResult } from './checks.js';

const READ = 'ActivityFeed.Read';
const READ_DLP = 'ActivityFeed.ReadDlp';
const GRAPH_FIX = 'grant the app Application.Read.All (Microsoft Graph, application permission) with admin consent; without it audit records keep application ids instead of names';

/** Doctor answers in seconds: a few quick retries, not the collector's patient ones. */
const DOCTOR_RETRY = { maxAttempts: 2, baseDelayMs: 200, maxDelayMs: 1000 };
const DOCTOR_TIMEOUT_MS = 15_000;

export interface TenantCheckContext {
  config: Config;
  /** The -c file as the user gave it, for fixes that name a command. */
  configFile: string;
  logger: Logger;
}

export async function checkTenant(tenant: TenantConfig, index: number, ctx: TenantCheckContext): Promise<CheckResult[]> {
  const label = tenant.name ?? tenant.tenant_id;
  const options: ManagementClientOptions = {
    ...managementClientOptions(tenant, ctx.config.api),
    requestTimeoutMs: Math.min(ctx.config.api.request_timeout, DOCTOR_TIMEOUT_MS),
    retry: DOCTOR_RETRY,
  };
  const configPath = `tenants[${index}]`;
  let tokens: TokenProvider;
  try {
    tokens = createTokenProvider(options, { logger: ctx.logger, configPath });
  } catch (error) {
    return [tokenFailure(`${label}: token`, error)];
  }
  try {
    let token: string;
    try {
      token = await tokens.getToken(tenant.api_url);
    } catch (error) {
      return [tokenFailure(`${label}: token`, error)];
    }
    const credential = tenant.credential.method === 'client_secret' ? 'client secret' : 'certificate';
    const results = [pass(`${label}: token`, `obtained from ${tenant.login_url} with the ${credential}`)];
    results.push(...checkRoles(`${label}: roles`, token, tenant));
    results.push(...(await checkSubscriptions(label, tenant, options, tokens, configPath, ctx)));
    results.push(await checkGraph(`${label}: Microsoft Graph`, tenant, options, tokens));
    return results;
  } finally {
    await tokens.close();
  }
}

const TOKEN_FAILURE_CLASSES: Partial<Record<AuthErrorKind, string>> = {
  'wrong-secret': 'wrong client secret',
  'expired-secret': 'client secret expired',
  certificate: 'certificate problem',
  'assertion-time': 'certificate problem',
  'app-not-found': 'app unknown or not consented',
  'app-disabled': 'app disabled',
  'consent-missing': 'app unknown or not consented',
  'unknown-tenant': 'unknown tenant',
  network: 'Entra ID unreachable',
  tls: 'Entra ID not trusted',
  throttled: 'Entra ID unavailable',
};

function tokenFailure(check: string, error: unknown): CheckResult {
  const { problem, fix } = problemAndFix(messageOf(error));
  const kind = error instanceof AuthError ? TOKEN_FAILURE_CLASSES[error.kind] : undefined;
  return fail(check, kind ? `${kind}: ${problem}` : problem, fix);
}

function checkRoles(check: string, token: string, tenant: TenantConfig): CheckResult[] {
  let roles: string[];
  try {
    const claim = decodeJwt(token).roles;
    roles = Array.isArray(claim) ? claim.filter((role): role is string => typeof role === 'string') : [];
  } catch {
    return [warn(check, 'the access token is not a JWT, so its roles cannot be read', 'nothing to do unless the subscription checks below fail')];
  }
  const shown = roles.length > 0 ? roles.join(', ') : 'none';
  if (!roles.includes(READ)) {
    return [
      fail(
        check,
        `the token has no ${READ} role (roles: ${shown})`,
        `add ${READ} under the app's API permissions (Office 365 Management APIs, application permission) and grant admin consent`,
      ),
    ];
  }
  if (tenant.content_types.includes('DLP.All') && !roles.includes(READ_DLP)) {
    return [
      warn(
        check,
        `${READ} present but not ${READ_DLP} (roles: ${shown}); DLP.All records come without the sensitive data detected`,
        `add ${READ_DLP} (Office 365 Management APIs, application permission) and grant admin consent, or remove DLP.All from content_types`,
      ),
    ];
  }
  return [pass(check, shown)];
}

async function checkSubscriptions(
  label: string,
  tenant: TenantConfig,
  options: ManagementClientOptions,
  tokens: TokenProvider,
  configPath: string,
  ctx: TenantCheckContext,
): Promise<CheckResult[]> {
  const client = createManagementClient(options, { logger: ctx.logger, configPath, tokenProvider: tokens });
  try {
    const subscriptions = await client.listSubscriptions();
    return tenant.content_types.map((contentType) => {
      const check = `${label}: ${contentType}`;
      const found = subscriptions.find((subscription) => subscription.contentType === contentType);
      const startFix = `o365-elk subscriptions start -c ${ctx.configFile}`;
      if (!found) return fail(check, 'not subscribed', startFix);
      if (found.status.toLowerCase() !== 'enabled') return fail(check, `subscription ${found.status}`, startFix);
      return pass(check, 'subscription enabled');
    });
  } catch (error) {
    const { problem, fix } = problemAndFix(messageOf(error));
    return [fail(`${label}: subscriptions`, `cannot list them: ${problem}`, fix)];
  } finally {
    await client.close();
  }
}

async function checkGraph(check: string, tenant: TenantConfig, options: ManagementClientOptions, tokens: TokenProvider): Promise<CheckResult> {
  let token: string;
  try {
    token = await tokens.getToken(tenant.graph_url);
  } catch (error) {
    const { problem, fix } = problemAndFix(messageOf(error));
    return warn(check, `no token for ${tenant.graph_url}: ${problem}`, fix);
  }
  const dispatcher = createHttpAgent(options);
  const url = new URL('/v1.0/servicePrincipals', tenant.graph_url);
  url.searchParams.set('$filter', `appId eq '${tenant.client_id}'`);
  url.searchParams.set('$select', 'id,appId,displayName');
  try {
    const response = await request(url, { dispatcher, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
    const body = (await response.body.json().catch(() => undefined)) as { value?: { displayName?: string }[] } | undefined;
    if (response.statusCode === 200) {
      const name = body?.value?.[0]?.displayName;
      return pass(check, `service principal lookups work${name ? ` (this app is "${name}")` : ''}`);
    }
    if (response.statusCode === 403) return warn(check, 'Graph refused the service principal lookup (403)', GRAPH_FIX);
    if (response.statusCode === 429) return warn(check, 'Graph is throttling this app (429)', 'nothing to change; run doctor again later');
    return warn(check, `Graph answered the service principal lookup with HTTP ${response.statusCode}`, `check tenants[].graph_url (${tenant.graph_url})`);
  } catch (error) {
    return warn(check, `cannot reach ${tenant.graph_url}: ${messageOf(error)}`, 'check tenants[].graph_url and that this host can connect to it');
  } finally {
    await dispatcher.close();
  }
}
