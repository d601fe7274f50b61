// Microsoft's host names as Entra ID knows them (contract §1): the login authorities a client may address,
// and the resources it may ask tokens for. The emulator's own origin stands for every resource at once,
// because it serves the Management Activity API and Graph on one base URL.
import type { EmulatedApp } from '../types.js';

export type EmulatedResource = 'management' | 'graph';

/** Login hosts and their aliases in the commercial and US government clouds. */
export const LOGIN_HOSTS = [
  'login.microsoftonline.com',
  'login.windows.net',
  'login.microsoft.com',
  'sts.windows.net',
  'login.microsoftonline.us',
  'login.usgovcloudapi.net',
];

const RESOURCE_AUDIENCES: Record<EmulatedResource, readonly string[]> = {
  management: [
    'https://manage.office.com',
    'https://manage-gcc.office.com',
    'https://manage.office365.us',
    'https://manage.protection.apps.mil',
  ],
  graph: ['https://graph.microsoft.com', 'https://graph.microsoft.us', 'https://dod-graph.microsoft.us'],
};

export interface ResolvedResource {
  /** The token's `aud`: the resource's identifier URI. */
  audience: string;
  serves: readonly EmulatedResource[];
}

/**
 * The resource a client asked for (v2 scope without `/.default`, or v1 `resource`), or undefined when no
 * such resource principal exists. `origin` is the emulator's own origin as the client reached it.
 */
export function resolveResource(requested: string, origin: string): ResolvedResource | undefined {
  let url: URL;
  try {
    url = new URL(requested);
  } catch {
    return undefined;
  }
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') return undefined;
  const audience = url.origin;
  if (audience === origin) return { audience, serves: ['management', 'graph'] };
  for (const resource of ['management', 'graph'] as const) {
    if (RESOURCE_AUDIENCES[resource].includes(audience)) return { audience, serves: [resource] };
  }
  return undefined;
}

/** Whether a token with this `aud` is meant for `resource`; `originAudiences` are emulator origins tokens were minted for. */
export function audienceServes(audience: string, resource: EmulatedResource, originAudiences: ReadonlySet<string>): boolean {
  return RESOURCE_AUDIENCES[resource].includes(audience) || originAudiences.has(audience);
}

/** The app roles a token for these resources carries: what admin consent granted on each. */
export function rolesFor(app: EmulatedApp, serves: readonly EmulatedResource[]): string[] {
  return [...new Set(serves.flatMap((resource) => app.roles[resource]))];
}
