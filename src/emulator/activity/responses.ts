// Writes answers with the headers manage.office.com sends. `Date` comes from the emulator's clock, so a
// skewed clock shows in it as it would on the real service (clients use it to detect skew).
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock, Faults } from '../types.js';
import { ActivityApiError, BearerChallenge } from './errors.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface Responder {
  /** The service's standard headers, with `Date` from the virtual clock. */
  standardHeaders(): Record<string, string>;
  /** Delay for `bytes` of body, per the `latency_per_kib_ms` fault. */
  bodyLatency(bytes: number): Promise<void>;
  json(res: ServerResponse, status: number, body: unknown, headers?: Record<string, string>): Promise<void>;
  empty(res: ServerResponse, status: number, headers?: Record<string, string>): void;
  error(res: ServerResponse, error: ActivityApiError | BearerChallenge): Promise<void>;
}

export function createResponder(options: { clock: Clock; faults: Faults }): Responder {
  const { clock, faults } = options;

  const standardHeaders = (): Record<string, string> => ({
    'Cache-Control': 'no-cache',
    Pragma: 'no-cache',
    Expires: '-1',
    Server: 'Microsoft-IIS/10.0',
    'X-AspNet-Version': '4.0.30319',
    'X-Powered-By': 'ASP.NET',
    Date: new Date(clock.now()).toUTCString(),
  });

  // Timers have millisecond resolution while a KiB may cost a fraction of one: the fractions add up
  // across answers and are paid once they make a whole millisecond.
  let owedMs = 0;
  const bodyLatency = async (bytes: number): Promise<void> => {
    owedMs += (faults.latencyPerKibMs * bytes) / 1024;
    if (owedMs < 1) return;
    const delay = Math.floor(owedMs);
    owedMs -= delay;
    await sleep(delay);
  };

  const json = async (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const payload = Buffer.from(JSON.stringify(body), 'utf8');
    await bodyLatency(payload.length);
    res.writeHead(status, {
      ...standardHeaders(),
      'Content-Type': JSON_CONTENT_TYPE,
      'Content-Length': String(payload.length),
      ...headers,
    });
    res.end(payload);
  };

  const empty = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    res.writeHead(status, { ...standardHeaders(), 'Content-Length': '0', ...headers });
    res.end();
  };

  const error = async (res: ServerResponse, failure: ActivityApiError | BearerChallenge) => {
    if (failure instanceof BearerChallenge) {
      empty(res, 401, { 'WWW-Authenticate': bearerChallenge(failure.reason) });
      return;
    }
    await json(res, failure.status, { error: { code: failure.code, message: failure.message } }, failure.headers);
  };

  return { standardHeaders, bodyLatency, json, empty, error };
}

function bearerChallenge(reason: BearerChallenge['reason']): string {
  // RFC 6750 §3.1: a request without credentials gets the bare challenge, a bad token gets an error code.
  if (reason === 'missing') return 'Bearer';
  const description = reason === 'expired' ? 'The access token has expired.' : `The access token is invalid (${reason}).`;
  return `Bearer error="invalid_token", error_description="${description}"`;
}
