// Application names: the built-in table, names records carry, Microsoft Graph lookups through the
// emulator over HTTPS (403, 429), the on-disk cache across restarts, and a pipeline that never waits
// for Graph. Graph requests are counted on the client's connection pool.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { Agent, type Dispatcher } from 'undici';
import { FAULT_PRESETS } from '../../src/emulator/faults.js';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { Faults } from '../../src/emulator/types.js';
import { createTokenProvider, type TokenProvider } from '../../src/source/index.js';
import { createEnrichment, type Enrichment, type GraphTenant } from '../../src/transform/enrich/index.js';
import { read } from '../../src/transform/fields.js';
import { createTransformer } from '../../src/transform/index.js';
import type { Logger } from '../../src/util/logger.js';
import { captureLogger } from '../source/support/servers.js';
import { startLocalEmulator } from '../support/emulator.js';

const APP_NAMES_ONLY = { geoip: { enabled: false }, userAgent: { enabled: false }, tenantNames: {} };
const DAY_MS = 86_400_000;

async function emulator(faults: Faults = { ...FAULT_PRESETS.none }): Promise<RunningEmulator> {
  return startLocalEmulator({
    seed: 5,
    events: 10,
    days: 1,
    tenants: 1,
    faults,
  });
}

interface CountedGraph {
  tenant: GraphTenant;
  /** Graph requests sent so far. */
  requests(): number;
  close(): Promise<void>;
}

/** Graph access for one tenant, whose connection pool counts the requests it sends. */
function countedGraph(options: { tenantId: string; graphUrl: string; ca?: string; tokenProvider: TokenProvider }): CountedGraph {
  let requests = 0;
  const agent = new Agent(options.ca ? { connect: { ca: [...rootCertificates, options.ca] } } : {});
  const dispatcher = agent.compose((dispatch: Dispatcher['dispatch']) => (opts, handler) => {
    requests += 1;
    return dispatch(opts, handler);
  });
  return {
    tenant: { tenantId: options.tenantId, graphUrl: options.graphUrl, tokenProvider: options.tokenProvider, dispatcher },
    requests: () => requests,
    close: async () => {
      await options.tokenProvider.close();
      await agent.close();
    },
  };
}

function emulatedGraph(running: RunningEmulator, logger: Logger, app?: { clientId: string; secret: string }): CountedGraph {
  const tenant = running.credentials[0];
  assert.ok(tenant?.auth.kind === 'secret' && running.ca);
  const clientId = app?.clientId ?? tenant.clientId;
  const secret = app?.secret ?? tenant.auth.secret;
  const ca = running.ca.certificatePem;
  const tokenProvider = createTokenProvider(
    { tenantId: tenant.tenantId, clientId, credential: { kind: 'secret', secret }, loginUrl: running.url, ca: [ca], rejectUnauthorized: true },
    { logger },
  );
  return countedGraph({ tenantId: tenant.tenantId, graphUrl: running.url, ca, tokenProvider });
}

function signIn(tenantId: string, applicationId: string): Record<string, unknown> {
  return { Id: randomUUID(), CreationTime: '2026-03-01T10:00:00', RecordType: 15, Operation: 'UserLoggedIn', OrganizationId: tenantId, ApplicationId: applicationId };
}

function transformWith(enrichment: Enrichment) {
  const transformer = createTransformer({ enrichers: enrichment.enrichers });
  return (record: Record<string, unknown>) => transformer.transform(record, { tenantId: String(record.OrganizationId), contentType: 'Audit.AzureActiveDirectory' }).source;
}

/** Waits for something the background lookups bring about; fails after a generous while, never on speed. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1500; i++) {
    if (condition()) return;
    await sleep(20);
  }
  assert.fail(`never happened: ${what}`);
}

describe('application names through the emulated Graph', () => {
  let running: RunningEmulator;
  let directory: string;
  before(async () => {
    running = await emulator();
    directory = mkdtempSync(join(tmpdir(), 'o365-elk-app-names-'));
  });
  after(async () => {
    await running.close();
    rmSync(directory, { recursive: true, force: true });
  });
  const tenantId = () => running.credentials[0]?.tenantId as string;
  const collectorApp = () => running.credentials[0]?.clientId as string;

  it('names first-party applications from the built-in table without asking Graph', async () => {
    const graph = emulatedGraph(running, captureLogger().logger);
    const enrichment = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, ttlMs: DAY_MS } }, { logger: captureLogger().logger, graphTenants: [graph.tenant] });
    try {
      const exchange = {
        ...signIn(tenantId(), ''),
        RecordType: 2,
        Operation: 'MailItemsAccessed',
        AppId: '00000002-0000-0FF1-CE00-000000000000',
        ClientAppId: 'D3590ED6-52B3-4102-AEFF-AAD2292AB01C',
      };
      const doc = transformWith(enrichment)(exchange);
      assert.deepEqual(read(doc, 'o365.application'), { id: '00000002-0000-0ff1-ce00-000000000000', name: 'Office 365 Exchange Online' });
      assert.deepEqual(read(doc, 'o365.client_application'), { id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c', name: 'Microsoft Office' });
      await sleep(50);
      assert.equal(graph.requests(), 0);
    } finally {
      await enrichment.close();
      await graph.close();
    }
  });

  it('uses the name a record carries, for later records of the same application too', async () => {
    const graph = emulatedGraph(running, captureLogger().logger);
    const enrichment = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, ttlMs: DAY_MS } }, { logger: captureLogger().logger, graphTenants: [graph.tenant] });
    try {
      const transform = transformWith(enrichment);
      const appId = randomUUID();
      const teams = { ...signIn(tenantId(), ''), AppAccessContext: { ClientAppId: appId, ClientAppName: 'Contoso Planner Sync' } };
      assert.deepEqual(read(transform(teams), 'o365.client_application'), { id: appId, name: 'Contoso Planner Sync' });
      assert.equal(read(transform({ ...signIn(tenantId(), ''), ClientAppId: appId }), 'o365.client_application.name'), 'Contoso Planner Sync');
      assert.equal(graph.requests(), 0);
    } finally {
      await enrichment.close();
      await graph.close();
    }
  });

  it('asks Graph once for an unknown application, names later records, and keeps the name across a restart', async () => {
    const cachePath = join(directory, 'state', 'app-names.db');
    const logger = captureLogger().logger;
    const graph = emulatedGraph(running, logger);
    const first = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, cachePath, ttlMs: DAY_MS } }, { logger, graphTenants: [graph.tenant] });
    const unknownToGraph = randomUUID();
    try {
      const transform = transformWith(first);
      // Not known yet: the record goes on without the name rather than wait for Graph.
      const early = transform(signIn(tenantId(), collectorApp()));
      assert.equal(read(early, 'o365.application.id'), collectorApp());
      assert.equal(read(early, 'o365.application.name'), undefined);
      for (let i = 0; i < 20; i++) transform(signIn(tenantId(), collectorApp()));
      transform(signIn(tenantId(), unknownToGraph));
      await until(() => first.appNames?.stats()[tenantId()]?.answered === 2, 'both lookups answered');
      assert.equal(graph.requests(), 2);
      assert.equal(read(transform(signIn(tenantId(), collectorApp())), 'o365.application.name'), 'o365-elk collector');
      // Graph has no such application: the record keeps its id, and Graph is not asked again.
      assert.equal(read(transform(signIn(tenantId(), unknownToGraph)), 'o365.application.name'), undefined);
      assert.equal(graph.requests(), 2);
    } finally {
      await first.close();
      await graph.close();
    }
    assert.equal(statSync(cachePath).mode & 0o777, 0o600);

    // After a restart, with no Graph access at all, the cache still names it.
    const second = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, cachePath, ttlMs: DAY_MS } }, { logger });
    try {
      assert.equal(read(transformWith(second)(signIn(tenantId(), collectorApp())), 'o365.application.name'), 'o365-elk collector');
    } finally {
      await second.close();
    }
  });

  it('serves a stale cached name while it asks Graph again', async () => {
    const cachePath = join(directory, 'stale', 'app-names.db');
    const logger = captureLogger().logger;
    const learn = emulatedGraph(running, logger);
    const first = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, cachePath, ttlMs: DAY_MS } }, { logger, graphTenants: [learn.tenant] });
    transformWith(first)(signIn(tenantId(), collectorApp()));
    await until(() => first.appNames?.stats()[tenantId()]?.answered === 1, 'the first lookup answered');
    await first.close();
    await learn.close();

    const refresh = emulatedGraph(running, logger);
    // A TTL of zero makes every cached name stale at once.
    const second = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, cachePath, ttlMs: 0 } }, { logger, graphTenants: [refresh.tenant] });
    try {
      assert.equal(read(transformWith(second)(signIn(tenantId(), collectorApp())), 'o365.application.name'), 'o365-elk collector');
      await until(() => second.appNames?.stats()[tenantId()]?.answered === 1, 'the refresh answered');
      assert.equal(refresh.requests(), 1);
    } finally {
      await second.close();
      await refresh.close();
    }
  });

  it('on 403 logs one warning with the fix and stops asking for that tenant', async () => {
    const tenant = running.tenants[0];
    assert.ok(tenant);
    const unprivileged = { clientId: randomUUID(), displayName: 'collector without Graph', secrets: ['s3cret-without-graph'], certificates: [], roles: { management: [], graph: [] } };
    tenant.apps.push(unprivileged);
    const capture = captureLogger();
    const graph = emulatedGraph(running, capture.logger, { clientId: unprivileged.clientId, secret: 's3cret-without-graph' });
    const enrichment = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, ttlMs: DAY_MS } }, { logger: capture.logger, graphTenants: [graph.tenant] });
    try {
      const transform = transformWith(enrichment);
      for (let i = 0; i < 5; i++) transform(signIn(tenantId(), randomUUID()));
      await until(() => enrichment.appNames?.stats()[tenantId()]?.refused === true, 'Graph refused');
      for (let i = 0; i < 5; i++) transform(signIn(tenantId(), randomUUID()));
      await sleep(50);
      assert.equal(graph.requests(), 1);
      const warnings = capture.lines().filter((line) => line.includes('Application.Read.All'));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0] ?? '', /"level":40/);
      assert.match(warnings[0] ?? '', /grant Application\.Read\.All \(application\) and admin consent, or set enrich\.app_names\.enabled=false/);
      assert.ok(!capture.lines().some((line) => line.includes('s3cret-without-graph')));
    } finally {
      await enrichment.close();
      await graph.close();
    }
  });
});

describe('application names when Graph throttles', () => {
  it('backs off on 429 with Retry-After and asks again later', async () => {
    const faults: Faults = { ...FAULT_PRESETS.none, graphThrottleRate: 1 };
    const running = await emulator(faults);
    const graph = emulatedGraph(running, captureLogger().logger);
    const enrichment = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, ttlMs: DAY_MS } }, { logger: captureLogger().logger, graphTenants: [graph.tenant] });
    const tenantId = running.credentials[0]?.tenantId as string;
    const appId = running.credentials[0]?.clientId as string;
    try {
      const transform = transformWith(enrichment);
      transform(signIn(tenantId, appId));
      await until(() => (enrichment.appNames?.stats()[tenantId]?.throttled ?? 0) >= 1, 'a 429');
      const throttledRequests = graph.requests();
      faults.graphThrottleRate = 0;
      await until(() => enrichment.appNames?.stats()[tenantId]?.answered === 1, 'the lookup answered after the throttle');
      assert.equal(graph.requests(), throttledRequests + 1);
      assert.equal(read(transform(signIn(tenantId, appId)), 'o365.application.name'), 'o365-elk collector');
    } finally {
      await enrichment.close();
      await graph.close();
      await running.close();
    }
  });
});

describe('application names when Graph hangs', () => {
  it('transforms every record while the lookup is unanswered, and names later ones once it is', async () => {
    const waiting: ServerResponse[] = [];
    const server = createServer((_req, res) => void waiting.push(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const graphUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const tenantId = randomUUID();
    const tokenProvider: TokenProvider = { getToken: async () => 'token-for-a-graph-that-hangs', close: async () => {} };
    const graph = countedGraph({ tenantId, graphUrl, tokenProvider });
    const enrichment = await createEnrichment({ ...APP_NAMES_ONLY, appNames: { enabled: true, ttlMs: DAY_MS } }, { logger: captureLogger().logger, graphTenants: [graph.tenant] });
    try {
      const transform = transformWith(enrichment);
      const appIds = Array.from({ length: 200 }, () => randomUUID());
      const docs = appIds.map((appId) => transform(signIn(tenantId, appId)));
      await until(() => waiting.length === 1, 'the first lookup reached Graph');
      // Every record was transformed while the one lookup in flight had no answer.
      assert.equal(docs.length, 200);
      assert.ok(docs.every((doc, i) => read(doc, 'o365.application.id') === appIds[i] && read(doc, 'o365.application.name') === undefined));
      assert.equal(enrichment.appNames?.stats()[tenantId]?.answered, 0);
      assert.equal(graph.requests(), 1);

      (waiting.shift() as ServerResponse).end(JSON.stringify({ value: [{ appId: appIds[0], displayName: 'Slow but sure' }] }));
      await until(() => enrichment.appNames?.stats()[tenantId]?.answered === 1, 'the first lookup answered');
      assert.equal(read(transform(signIn(tenantId, appIds[0] as string)), 'o365.application.name'), 'Slow but sure');
    } finally {
      await enrichment.close();
      await graph.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
