// The optional body of `/subscriptions/start` (contract §2.1): absent, `{}`, or `{"webhook": {...}}`.
import type { IncomingMessage } from 'node:http';
import { afErrors } from './errors.js';
import type { WebhookSettings } from './subscriptions.js';
import { parseApiTime } from './time-window.js';

const MAX_BODY_BYTES = 64 * 1024;

/** The webhook the request asks for; null when it asks for none. */
export async function readStartRequest(
  req: IncomingMessage,
  options: { now: number; allowInsecureWebhooks: boolean },
): Promise<WebhookSettings | null> {
  const text = await readBody(req);
  if (text.trim() === '') return null;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw afErrors.invalidBody();
  }
  if (!isObject(body)) throw afErrors.invalidBody();
  const webhook = body.webhook;
  if (webhook === undefined || webhook === null) return null;
  if (!isObject(webhook)) throw afErrors.invalidParameterType('webhook', 'object');
  return {
    address: webhookAddress(webhook.address, options.allowInsecureWebhooks),
    authId: webhookAuthId(webhook.authId),
    expiration: webhookExpiration(webhook.expiration, options.now),
  };
}

function webhookAddress(address: unknown, allowInsecure: boolean): string {
  if (address === undefined || address === null || address === '') throw afErrors.missingParameter('webhook.address');
  if (typeof address !== 'string') throw afErrors.invalidParameterType('webhook.address', 'string');
  const scheme = allowInsecure ? /^https?:\/\//i : /^https:\/\//i;
  if (!scheme.test(address)) throw afErrors.webhookNotValidated(address, 'not-https');
  return address;
}

function webhookAuthId(authId: unknown): string | null {
  if (authId === undefined || authId === null || authId === '') return null;
  if (typeof authId !== 'string') throw afErrors.invalidParameterType('webhook.authId', 'string');
  return authId;
}

function webhookExpiration(expiration: unknown, now: number): number | null {
  if (expiration === undefined || expiration === null || expiration === '') return null;
  const time = typeof expiration === 'string' ? parseApiTime(expiration) : undefined;
  if (time === undefined) throw afErrors.invalidParameterType('webhook.expiration', 'datetime');
  if (time <= now) throw afErrors.expirationInPast(String(expiration));
  return time;
}

/** The body as text; an oversized one is still read to its end, so the answer reaches the client. */
async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw afErrors.invalidBody();
  return Buffer.concat(chunks).toString('utf8');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
