// Composes the emulated services (Entra ID, Management Activity API, Graph) and the control routes on
// one HTTP or HTTPS server, so every client reaches Microsoft's three hosts at one base URL.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { createActivityApi } from './activity/index.js';
import { createCatalog } from './catalog/index.js';
import { createClock } from './clock.js';
import { createControlRoutes } from './control.js';
import { createDirectory, type TenantCredentials } from './directory.js';
import { createGraphService } from './graph.js';
import { createIdentityService } from './identity/index.js';
import { createCertificateAuthority, issueServerCertificate, MICROSOFT_HOST_NAMES, type Pem } from './pki.js';
import { sendJson } from './respond.js';
import type { ApiBehaviour, Catalog, Clock, EmulatedTenant, Faults, RouteHandler } from './types.js';

export interface EmulatorOptions {
  seed: number;
  events: number;
  days: number;
  tenants: number;
  faults: Faults;
  behaviour: ApiBehaviour;
  /** Serve plain HTTP instead of HTTPS. */
  plainHttp: boolean;
  /** Make the server certificate also cover Microsoft's host names (for use through a hosts file). */
  microsoftHostNames: boolean;
  host: string;
  port: number;
  /** New events per virtual minute after start; 0 publishes only the backlog. */
  liveEventsPerMinute: number;
  /** How much faster than real time the virtual clock runs. */
  clockSpeed: number;
  /**
   * End of the backlog (epoch ms), where live content starts; defaults to now. The same seed, settings
   * and start time give the same blobs and records, so a restarted emulator serves the history it
   * served before, with the time stopped in between filled by live content.
   */
  startTime?: number;
  meanBlobRecords?: number;
  /** Certificates (PEM) the certificate-auth apps accept besides the ones the emulator generates. */
  extraCertificates?: readonly string[];
}

export const DEFAULT_BEHAVIOUR: ApiBehaviour = {
  pageSize: 100,
  lowercaseNextPage: false,
  startThrottle: false,
  windowErrorCode: 'AF20055',
  missingBlobStatus: 404,
};

export interface RunningEmulator {
  url: string;
  ca: Pem | undefined;
  tenants: readonly EmulatedTenant[];
  credentials: TenantCredentials[];
  catalog: Catalog;
  clock: Clock;
  close(): Promise<void>;
}

export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const { tenants, credentials } = await createDirectory({
    seed: options.seed,
    tenants: options.tenants,
    extraCertificates: options.extraCertificates ?? [],
  });
  const clock = createClock({ skewSeconds: options.faults.clockSkewSeconds, speed: options.clockSpeed });
  // The catalog's timeline is anchored on real time so that ground truth does not depend on skew.
  const catalog = createCatalog({
    seed: options.seed,
    tenants,
    events: options.events,
    days: options.days,
    startTime: options.startTime ?? clock.now() - options.faults.clockSkewSeconds * 1000,
    faults: options.faults,
    liveEventsPerMinute: options.liveEventsPerMinute,
    ...(options.meanBlobRecords ? { meanBlobRecords: options.meanBlobRecords } : {}),
  });
  // Credentials live in real time (skew included): clients stamp assertions and cache tokens by their
  // own clocks, so moving the content clock forward must not expire them.
  const identityClock = createClock({ skewSeconds: options.faults.clockSkewSeconds });
  const identity = createIdentityService({ tenants, clock: identityClock, faults: options.faults });
  const activity = createActivityApi({
    catalog,
    tenants,
    clock,
    faults: options.faults,
    behaviour: options.behaviour,
    verifyAccessToken: identity.verifyAccessToken,
    allowInsecureWebhooks: true,
  });
  const routes: RouteHandler[] = [
    createControlRoutes({ catalog, clock }),
    activity.routes,
    createGraphService({ tenants, faults: options.faults, verifyAccessToken: identity.verifyAccessToken }),
    identity.routes,
  ];

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    void dispatch(routes, req, res);
  };
  let ca: Pem | undefined;
  let server: Server;
  if (options.plainHttp) {
    server = createHttpServer(handle);
  } else {
    ca = await createCertificateAuthority('o365-elk emulator CA');
    const dns = ['localhost', ...(options.microsoftHostNames ? MICROSOFT_HOST_NAMES : [])];
    const ips = ['127.0.0.1', '::1', ...(isIpAddress(options.host) && !['127.0.0.1', '::1'].includes(options.host) ? [options.host] : [])];
    const leaf = await issueServerCertificate(ca, { dns, ips });
    server = createHttpsServer({ key: leaf.privateKeyPem, cert: `${leaf.certificatePem}\n${ca.certificatePem}` }, handle);
  }
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const hostForUrl = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.plainHttp ? 'http' : 'https'}://${hostForUrl}:${port}`;

  return {
    url,
    ca,
    tenants,
    credentials,
    catalog,
    clock,
    close: async () => {
      activity.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function dispatch(routes: RouteHandler[], req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    // Services build absolute links (contentUri, NextPageUri, discovery) from the origin the client used.
    const scheme = (req.socket as TLSSocket).encrypted ? 'https' : 'http';
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? 'localhost'}`);
    for (const route of routes) {
      if (await route(req, res, url)) return;
    }
    sendJson(res, 404, { error: { code: 'NotFound', message: `No such endpoint: ${req.method} ${url.pathname}` } });
  } catch (error) {
    // A handler bug must never take the emulator down; answer like the service's internal error.
    if (!res.headersSent) {
      sendJson(res, 500, { error: { code: 'AF50000', message: 'An internal error occurred. Retry the request.' } });
    } else {
      res.destroy(error instanceof Error ? error : undefined);
    }
  }
}


function isIpAddress(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}
