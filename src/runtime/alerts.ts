// Alert conditions (authentication failure, retention gap, …): each is logged at error level, counted
// in a metric, and optionally sent to a webhook (JSON POST) and/or a command (JSON on stdin).
import { spawn } from 'node:child_process';
import { request } from 'undici';
import type { Logger } from '../util/logger.js';
import type { Metrics } from './metrics.js';

export type AlertKind = 'authentication_failure' | 'retention_gap' | 'stalled_stream' | 'dead_letters';

export interface Alert {
  kind: AlertKind;
  message: string;
  tenantId?: string;
  contentType?: string;
  details?: Record<string, unknown>;
}

export interface Alerter {
  raise(alert: Alert): void;
  /** Resolves once every hook started so far has finished. */
  flush(): Promise<void>;
}

export function createAlerter(options: { webhookUrl?: string; command?: string; logger: Logger; metrics: Metrics }): Alerter {
  const pending = new Set<Promise<void>>();
  const track = (work: Promise<void>): void => {
    pending.add(work);
    void work.finally(() => pending.delete(work));
  };
  return {
    raise(alert) {
      options.metrics.alerts.inc({ kind: alert.kind });
      options.logger.error({ alert: alert.kind, tenant: alert.tenantId, contentType: alert.contentType, ...alert.details }, alert.message);
      const payload = JSON.stringify({ '@timestamp': new Date().toISOString(), service: 'o365-elk', ...alert });
      if (options.webhookUrl) track(postWebhook(options.webhookUrl, payload, options.logger));
      if (options.command) track(runCommand(options.command, payload, alert.kind, options.logger));
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

function runCommand(command: string, payload: string, kind: AlertKind, logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['pipe', 'ignore', 'ignore'], env: { ...process.env, O365_ELK_ALERT_KIND: kind } });
    child.on('error', (error) => {
      logger.warn({ err: error.message }, 'alert command could not start; check alerts.command');
      resolve();
    });
    child.on('close', (code) => {
      if (code !== 0) logger.warn({ code }, 'alert command exited with an error; check alerts.command');
      resolve();
    });
    child.stdin.end(payload);
  });
}
