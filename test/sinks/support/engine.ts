// The real search engine the sink tests write into (never a mock), and small reads of what it holds.
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { request } from 'undici';
import type { ElasticsearchOutputConfig } from '../../../src/config/index.js';
import { createLogger, type Logger } from '../../../src/util/logger.js';

export const ENGINE_URL_VARIABLE = 'O365_ELK_TEST_ENGINE_URL';

/** The engine's URL; a missing one fails the test rather than skipping it. */
export function testEngineUrl(): string {
  const url = process.env[ENGINE_URL_VARIABLE];
  if (url === undefined || url === '') {
    throw new Error(
      `${ENGINE_URL_VARIABLE} is not set — start the test engine (npm run test-engine -- --dir /tmp/engine) and export the URL it prints after "ready"`,
    );
  }
  return url.replace(/\/+$/, '');
}

/** A name no other test run uses, lower case as index names must be. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(4).toString('hex')}`;
}

export async function engineJson<T = unknown>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await request(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, body: (text === '' ? undefined : JSON.parse(text)) as T };
}

/** The documents of an index, data stream or pattern, as `_id` → source, after a refresh. */
export async function storedDocuments(engine: string, index: string): Promise<Map<string, Record<string, unknown>>> {
  await engineJson('POST', `${engine}/${index}/_refresh`);
  type Hits = { hits: { hits: { _id: string; _source: Record<string, unknown> }[] } };
  const { status, body } = await engineJson<Hits>('POST', `${engine}/${index}/_search`, { size: 10_000, query: { match_all: {} } });
  if (status !== 200) throw new Error(`searching ${index} answered ${status}: ${JSON.stringify(body)}`);
  return new Map(body.hits.hits.map((hit) => [hit._id, hit._source]));
}

/** Hits of an index, counted by the engine (a duplicate `_id` would count twice across indices). */
export async function countDocuments(engine: string, index: string): Promise<number> {
  await engineJson('POST', `${engine}/${index}/_refresh`);
  const { body } = await engineJson<{ count: number }>('GET', `${engine}/${index}/_count`);
  return body.count;
}

/** Removes what a test created: its data stream or indices and its index template. */
export async function removeTarget(engine: string, target: { index: string; templateName: string; dataStream: boolean }): Promise<void> {
  if (target.dataStream) await engineJson('DELETE', `${engine}/_data_stream/${target.index}`);
  else await engineJson('DELETE', `${engine}/${target.index}?expand_wildcards=all`);
  await engineJson('DELETE', `${engine}/_index_template/${target.templateName}`);
}

export interface CapturedLog {
  logger: Logger;
  /** Every log line, parsed. */
  lines: Record<string, unknown>[];
  /** Resolves with the first line, logged already or later, whose message is `message`. */
  waitForMessage(message: string): Promise<Record<string, unknown>>;
}

export function captureLog(): CapturedLog {
  const lines: Record<string, unknown>[] = [];
  const waiters: { message: string; resolve: (line: Record<string, unknown>) => void }[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const text of chunk.toString('utf8').split('\n')) {
        if (text === '') continue;
        const line = JSON.parse(text) as Record<string, unknown>;
        lines.push(line);
        for (const waiter of waiters.filter((w) => w.message === line.msg)) waiter.resolve(line);
      }
      done();
    },
  });
  return {
    logger: createLogger({ json: true, level: 'debug', destination }),
    lines,
    waitForMessage(message) {
      const logged = lines.find((line) => line.msg === message);
      return logged ? Promise.resolve(logged) : new Promise((resolve) => waiters.push({ message, resolve }));
    },
  };
}

/** output.elasticsearch as the configuration resolves it, with small batches. */
export function elasticsearchConfig(hosts: string[], index: string, settings: Partial<ElasticsearchOutputConfig> = {}): ElasticsearchOutputConfig {
  return { hosts, index, ssl: { certificate_authorities: [], verification_mode: 'full' }, bulk_max_size: 50, worker: 2, ...settings };
}
