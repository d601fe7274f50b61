// Application names for the application ids in audit records. The enricher is synchronous: it writes a
// name it already knows (Microsoft's first-party table, the record itself, names learnt earlier and kept
// on disk) and hands an unknown id to the tenant's Graph lookup queue, so later records get the name.
// A slow, throttled or refusing Graph therefore never holds up a record.
//
//   o365.application.{id,name}         the app that acted: ApplicationId (Entra ID, SharePoint) or AppId (Exchange)
//   o365.client_application.{id,name} the client it acted through: ClientAppId or AppAccessContext.ClientAppId
import { put, read, text } from '../fields.js';
import type { Enricher } from '../index.js';
import type { Logger } from '../../util/logger.js';
import { AppLookupQueue, type AppLookupStats } from './app-lookup-queue.js';
import type { AppNameStore } from './app-name-store.js';
import { firstPartyAppName } from './first-party-apps.js';
import type { GraphTenant } from './graph-app-lookup.js';

export interface AppNameDirectoryOptions {
  /** Tenants whose Graph may be asked; ids seen in other tenants' records get table and cache names only. */
  graphTenants: readonly GraphTenant[];
  /** Where learnt names persist; without one they last as long as the process. */
  store?: AppNameStore;
  /** Age after which a learnt name is looked up again (it is still used meanwhile). */
  ttlMs: number;
  logger: Logger;
}

export interface AppNameDirectory {
  /** The name known for the id now; an unknown or stale one is queued for lookup. Never waits. */
  nameOf(tenantId: string | undefined, appId: string): string | undefined;
  /** A name a record carries itself (SharePoint's ApplicationDisplayName), for records that do not. */
  learn(tenantId: string | undefined, appId: string, name: string): void;
  /** Per tenant, for logs and metrics. */
  stats(): Record<string, AppLookupStats>;
  /** Stops lookups, after giving those queued up to `waitMs` to finish (default: none), and closes the cache. */
  close(options?: { waitMs?: number }): Promise<void>;
}

interface Known {
  name: string | null;
  learntAt: number;
}

// "No such application" is asked again sooner than a name: apps get consented to every day.
const NEGATIVE_TTL_MS = 86_400_000;

export function createAppNameDirectory(options: AppNameDirectoryOptions): AppNameDirectory {
  const known = new Map<string, Known>();
  for (const entry of options.store?.all() ?? []) known.set(keyOf(entry.tenantId, entry.appId), entry);
  let storeFailed = false;

  const remember = (tenantId: string, appId: string, name: string | null): void => {
    const entry = { name, learntAt: Date.now() };
    known.set(keyOf(tenantId, appId), entry);
    try {
      options.store?.save({ tenantId, appId, ...entry });
    } catch (error) {
      // The name still serves this process; only its survival across a restart is lost.
      if (!storeFailed) options.logger.warn(`cannot save application names to the cache: ${(error as Error).message}`);
      storeFailed = true;
    }
  };

  const queues = new Map(
    options.graphTenants.map((tenant) => {
      const tenantId = tenant.tenantId.toLowerCase();
      const onAnswer = (appId: string, name: string | null) => remember(tenantId, appId, name);
      return [tenantId, new AppLookupQueue({ tenant, logger: options.logger, onAnswer })];
    }),
  );

  const isStale = (entry: Known): boolean => Date.now() - entry.learntAt > (entry.name === null ? Math.min(options.ttlMs, NEGATIVE_TTL_MS) : options.ttlMs);

  return {
    nameOf(tenantId, appId) {
      const firstParty = firstPartyAppName(appId);
      if (firstParty !== undefined || tenantId === undefined) return firstParty;
      const entry = known.get(keyOf(tenantId, appId));
      if (entry === undefined || isStale(entry)) queues.get(tenantId)?.enqueue(appId);
      return entry?.name ?? undefined;
    },
    learn(tenantId, appId, name) {
      if (tenantId === undefined) return;
      const key = keyOf(tenantId, appId);
      if (typeof known.get(key)?.name !== 'string') known.set(key, { name, learntAt: Date.now() });
    },
    stats: () => Object.fromEntries([...queues].map(([tenantId, queue]) => [tenantId, { ...queue.stats }])),
    async close({ waitMs = 0 } = {}) {
      await Promise.all([...queues.values()].map((queue) => queue.close(waitMs)));
      options.store?.close();
    },
  };
}

function keyOf(tenantId: string, appId: string): string {
  return `${tenantId}/${appId}`;
}

/** Where a record keeps an application id, and the name it may carry beside it. */
interface IdSource {
  id: string;
  name?: string;
}

const APPLICATION_FIELDS: ReadonlyArray<{ target: string; sources: IdSource[] }> = [
  { target: 'o365.application', sources: [{ id: 'ApplicationId', name: 'ApplicationDisplayName' }, { id: 'AppId' }] },
  {
    target: 'o365.client_application',
    sources: [{ id: 'ClientAppId' }, { id: 'AppAccessContext.ClientAppId', name: 'AppAccessContext.ClientAppName' }],
  },
];

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NIL_GUID = '00000000-0000-0000-0000-000000000000';

export function createAppNameEnricher(directory: AppNameDirectory): Enricher {
  return {
    enrich(doc, record) {
      const tenantId = text(read(doc, 'organization.id'));
      for (const { target, sources } of APPLICATION_FIELDS) {
        for (const source of sources) {
          const appId = applicationId(read(record, source.id));
          if (appId === undefined) continue;
          const carried = source.name === undefined ? undefined : text(read(record, source.name));
          if (carried !== undefined) directory.learn(tenantId, appId, carried);
          put(doc, `${target}.id`, appId);
          put(doc, `${target}.name`, carried ?? directory.nameOf(tenantId, appId));
          break;
        }
      }
    },
  };
}

function applicationId(value: unknown): string | undefined {
  const id = text(value)?.toLowerCase();
  return id !== undefined && GUID.test(id) && id !== NIL_GUID ? id : undefined;
}
