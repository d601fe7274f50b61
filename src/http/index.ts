// The HTTP endpoints as `run` and `demo` start them: metrics, probes, the status JSON and the web page.
import type { Config } from '../config/index.js';
import { createMetrics, type Metrics } from '../runtime/metrics.js';
import { createRecentSignIns, type RecentSignIns } from '../runtime/recent-sign-ins.js';
import type { Logger } from '../util/logger.js';
import { isBeyondLoopback } from './allowed-hosts.js';
import { readBearerToken } from './bearer-token.js';
import { HttpListenError, startHttpServer, type HttpServer } from './server.js';
import { readStatusReport } from './stream-status.js';
import { createUiRoutes } from './ui/index.js';

export { HttpListenError, startHttpServer, type HttpRoute, type HttpServer, type HttpServerOptions } from './server.js';
export { LedgerMissingError, readStatusReport, type RetentionGapStatus, type StatusReport, type StreamStatus } from './stream-status.js';

export interface DaemonEndpoints {
  server: HttpServer;
  /** The registry the endpoints serve: give it to the collector (CollectorOptions.metrics). */
  metrics: Metrics;
  /** What the web page's map draws: the collector fills it. */
  signIns: RecentSignIns;
}

/**
 * Starts the endpoints when http.enabled is set; undefined otherwise. `anyPortIfTaken` (the demo) listens
 * on any free port when http.port is taken, instead of failing.
 */
export async function serveDaemonEndpoints(config: Config, logger: Logger, options: { anyPortIfTaken?: boolean } = {}): Promise<DaemonEndpoints | undefined> {
  if (!config.http.enabled) return undefined;
  const { token, warnings } = readBearerToken(config.http);
  for (const warning of warnings) logger.warn(warning);
  const metrics = createMetrics({ processMetrics: true });
  const signIns = createRecentSignIns();
  const status = () => readStatusReport(config);
  const serverOptions = {
    host: config.http.host,
    port: config.http.port,
    metrics,
    status,
    routes: [createUiRoutes({ signIns, status: () => statusOrProblem(status) })],
    logger,
    ...(config.http.allowed_hosts ? { allowedHosts: config.http.allowed_hosts } : {}),
    ...(token === undefined ? {} : { bearerToken: token }),
  };
  let server: HttpServer;
  try {
    server = await startHttpServer(serverOptions);
  } catch (error) {
    if (!(options.anyPortIfTaken && error instanceof HttpListenError && error.code === 'EADDRINUSE')) throw error;
    server = await startHttpServer({ ...serverOptions, port: 0 });
  }
  logger.info({ url: server.url }, `status page at ${server.url}/ — also /metrics, /healthz, /readyz and /api/status`);
  if (token === undefined && isBeyondLoopback(config.http.host)) {
    logger.warn(
      { url: server.url },
      `http: ${config.http.host} is reachable from other machines and the endpoints have no token, so anyone who reaches it sees who signs in from where — set http.auth.bearer_token_file, or http.host: 127.0.0.1`,
    );
  }
  return { server, metrics, signIns };
}

/** The page shows the status, or why there is none yet, rather than failing to load. */
function statusOrProblem(status: () => unknown): unknown {
  try {
    return status();
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}
