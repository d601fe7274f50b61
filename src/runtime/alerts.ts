// Alert conditions (authentication failure, retention gap, stalled stream, dead letters, expired
// content): each is logged at error level, counted in a metric, and optionally sent to a webhook (JSON
// POST) and/or a command (JSON on stdin). The last three are judged per poll of a stream, from what the
// collector reports.
import { spawn } from 'node:child_process';
import { request } from 'undici';
import type { Logger } from '../util/logger.js';
import type { Metrics } from './metrics.js';

export type AlertKind = 'authentication_failure' | 'retention_gap' | 'stalled_stream' | 'dead_letters' | 'content_expired';

export interface Alert {
  kind: AlertKind;
  message: string;
  tenantId?: string;
  contentType?: string;
  details?: Record<string, unknown>;
}

export interface StreamRef {
  tenantId: string;
  contentType: string;
}

export interface Alerter {
  raise(alert: Alert): void;
  /** Documents of the stream refused by the output and dead-lettered; alerted on when its poll ends. */
  noteDeadLetters(stream: StreamRef, count: number): void;
  /** A blob of the stream expired before it could be fetched; alerted on when its poll ends. */
  noteExpired(stream: StreamRef, contentExpiration: number): void;
  /**
   * Ends a poll of the stream. `progressed`: its cursor moved or a blob was delivered. Raises dead_letters
   * and content_expired for what was noted during the poll, and stalled_stream once `stalledAfterPolls`
   * polls in a row made no progress (again only after the stream has progressed in between).
   */
  endPoll(stream: StreamRef, poll: { progressed: boolean }): void;
  /** Resolves once every hook started so far has finished. */
  flush(): Promise<void>;
}

export interface AlerterOptions {
  webhookUrl?: string;
  command?: string;
  /** How long the command may run before it is killed, ms; default 10 s. */
  commandTimeoutMs?: number;
  /** Polls in a row without progress before stalled_stream; default 3. */
  stalledAfterPolls?: number;
  logger: Logger;
  metrics: Metrics;
}

export function createAlerter(options: AlerterOptions): Alerter {
  const stalledAfterPolls = options.stalledAfterPolls ?? 3;
  const pending = new Set<Promise<void>>();
  const commandTimeoutMs = options.commandTimeoutMs ?? 10_000;
  const deadLetters = new Map<string, number>();
  const expired = new Map<string, { blobs: number; earliest: number; latest: number }>();
  const pollsWithoutProgress = new Map<string, number>();
  const track = (work: Promise<void>): void => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  const raise = (alert: Alert): void => {
    options.metrics.alerts.inc({ kind: alert.kind });
    options.logger.error({ alert: alert.kind, tenant: alert.tenantId, contentType: alert.contentType, ...alert.details }, alert.message);
    const payload = JSON.stringify({ '@timestamp': new Date().toISOString(), service: 'o365-elk', ...alert });
    if (options.webhookUrl) track(postWebhook(options.webhookUrl, payload, options.logger));
    if (options.command) track(runCommand(options.command, payload, alert, commandTimeoutMs, options.logger));
  };
  const keyOf = (stream: StreamRef): string => `${stream.tenantId}/${stream.contentType}`;
  return {
    raise,
    noteDeadLetters(stream, count) {
      if (count > 0) deadLetters.set(keyOf(stream), (deadLetters.get(keyOf(stream)) ?? 0) + count);
    },
    noteExpired(stream, contentExpiration) {
      const key = keyOf(stream);
      const noted = expired.get(key);
      if (!noted) expired.set(key, { blobs: 1, earliest: contentExpiration, latest: contentExpiration });
      else expired.set(key, { blobs: noted.blobs + 1, earliest: Math.min(noted.earliest, contentExpiration), latest: Math.max(noted.latest, contentExpiration) });
    },
    endPoll(stream, poll) {
      const key = keyOf(stream);
      const lost = expired.get(key);
      expired.delete(key);
      if (lost) raise(contentExpiredAlert(stream, lost));
      const refused = deadLetters.get(key) ?? 0;
      deadLetters.delete(key);
      if (refused > 0) {
        raise({
          kind: 'dead_letters',
          ...stream,
          message: `${refused} document${refused === 1 ? '' : 's'} of ${stream.contentType} (tenant ${stream.tenantId}) refused by the output and written to the dead-letter file — fix the cause in the output, then run o365-elk replay-dead-letter`,
          details: { documents: refused },
        });
      }
      const polls = poll.progressed ? 0 : (pollsWithoutProgress.get(key) ?? 0) + 1;
      pollsWithoutProgress.set(key, polls);
      if (polls === stalledAfterPolls) {
        raise({
          kind: 'stalled_stream',
          ...stream,
          message: `stream ${stream.contentType} of tenant ${stream.tenantId} made no progress in ${polls} polls in a row (cursor unmoved, no blob delivered) — see its last error with o365-elk status`,
          details: { polls },
        });
      }
    },
    async flush() {
      await Promise.all(pending);
    },
  };
}

async function postWebhook(url: string, payload: string, logger: Logger): Promise<void> {
  try {
    const response = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: payload,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    await response.body.dump();
    if (response.statusCode >= 300) logger.warn({ status: response.statusCode }, 'alert webhook answered with an error status; check alerts.webhook_url');
  } catch (error) {
    logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'alert webhook unreachable; check alerts.webhook_url');
  }
}

function contentExpiredAlert(stream: StreamRef, lost: { blobs: number; earliest: number; latest: number }): Alert {
  const earliest = new Date(lost.earliest).toISOString();
  const latest = new Date(lost.latest).toISOString();
  const expiration = lost.blobs === 1 ? earliest : `${earliest} to ${latest}`;
  return {
    kind: 'content_expired',
    ...stream,
    message: `${lost.blobs} content blob${lost.blobs === 1 ? '' : 's'} of ${stream.contentType} (tenant ${stream.tenantId}) expired before ${lost.blobs === 1 ? 'it was' : 'they were'} fetched (contentExpiration ${expiration}); their records are lost — poll more often or shorten downtime`,
    details: { contentIds: lost.blobs, earliestExpiration: earliest, latestExpiration: latest },
  };
}

// Only what a shell needs and what describes the alert: the connector's own environment holds client
// secrets and output passwords, which a notification script has no business seeing.
const INHERITED_VARIABLES = ['PATH', 'HOME', 'LANG', 'TZ'];

function commandEnvironment(alert: Alert): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const name of INHERITED_VARIABLES) {
    if (process.env[name] !== undefined) env[name] = process.env[name];
  }
  env.O365_ELK_ALERT_KIND = alert.kind;
  if (alert.tenantId) env.O365_ELK_ALERT_TENANT = alert.tenantId;
  if (alert.contentType) env.O365_ELK_ALERT_CONTENT_TYPE = alert.contentType;
  return env;
}

function runCommand(command: string, payload: string, alert: Alert, timeoutMs: number, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    // Its own process group, so that a timeout ends the shell and whatever it started.
    const child = spawn(command, { shell: true, detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: commandEnvironment(alert) });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      logger.warn({ alert: alert.kind, timeoutMs }, `alert command still running after ${timeoutMs / 1000} s and was killed; check alerts.command or raise alerts.command_timeout`);
      killGroup(child.pid);
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      logger.warn({ err: error.message }, 'alert command could not start; check alerts.command');
      resolve();
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0 && !timedOut) logger.warn({ code }, 'alert command exited with an error; check alerts.command');
      resolve();
    });
    // A command that does not read its input closes the pipe early; that is its choice, not an error.
    child.stdin.on('error', () => {});
    child.stdin.end(payload);
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}
