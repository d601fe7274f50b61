// The HTTP side of webhooks (contract §4.1, §4.2): the validation request sent during `/start` and the
// notification POSTs. Only a 200 counts as success; a network error or timeout is a failure.
import { Agent, request } from 'undici';
import type { WebhookSettings } from './subscriptions.js';

const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookDelivery {
  /** Sends the validation request; true when the listener answered 200. */
  validate(webhook: WebhookSettings, validationCode: string): Promise<boolean>;
  /** Sends one notification (an array of content objects); true when the listener answered 200. */
  notify(webhook: WebhookSettings, notification: readonly object[]): Promise<boolean>;
  close(): Promise<void>;
}

/** With `acceptAnyCertificate`, self-signed listener certificates are accepted (test mode). */
export function createWebhookDelivery(options: { acceptAnyCertificate: boolean }): WebhookDelivery {
  const dispatcher = new Agent({
    connect: { rejectUnauthorized: !options.acceptAnyCertificate },
    headersTimeout: WEBHOOK_TIMEOUT_MS,
    bodyTimeout: WEBHOOK_TIMEOUT_MS,
  });
  const closing = new AbortController();

  const post = async (address: string, headers: Record<string, string>, body: unknown): Promise<boolean> => {
    try {
      const response = await request(address, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        dispatcher,
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(WEBHOOK_TIMEOUT_MS)]),
      });
      await response.body.dump();
      return response.statusCode === 200;
    } catch {
      return false;
    }
  };

  const authHeader = (webhook: WebhookSettings): Record<string, string> =>
    webhook.authId === null ? {} : { 'Webhook-AuthID': webhook.authId };

  return {
    validate: (webhook, validationCode) =>
      post(
        webhook.address,
        { 'Content-Type': 'application/json; charset=utf-8', 'Webhook-ValidationCode': validationCode, ...authHeader(webhook) },
        { validationCode },
      ),
    // The documented notification header really is `application/json; utf-8`.
    notify: (webhook, notification) =>
      post(webhook.address, { 'Content-Type': 'application/json; utf-8', ...authHeader(webhook) }, notification),
    async close() {
      closing.abort();
      await dispatcher.destroy();
    },
  };
}
