// The Elasticsearch/OpenSearch output. open() finds out which engine answers and installs the index
// templates; each write is encoded at once and queued, and the queue keeps `worker` `_bulk` requests of
// at most bulk_max_size documents and bulk_max_bytes bytes in flight. A write settles once each of its
// documents is stored, already present, or refused and dead-lettered.
import type { ElasticsearchOutputConfig } from '../../config/index.js';
import type { Logger } from '../../util/logger.js';
import { createDeadLetterFile, type DeadLetterEntry, type DeadLetterWriter } from '../dead-letter.js';
import type { OutputDocument, RejectedDocument, Sink, WriteResult } from '../types.js';
import { authorizationHeader } from './auth.js';
import { decodeItem, encodeItem } from './bulk.js';
import { createBulkQueue, type BulkQueue } from './bulk-queue.js';
import { sendUntilSettled, type BackoffPolicy, type RefusedItem } from './bulk-sender.js';
import { createEngineConnection, EngineUnreachableError, engineErrorText, type EngineConnection } from './connection.js';
import { describeEngine, detectEngine, type Engine } from './engine.js';
import { parseIndexTarget, type IndexTarget } from './index-target.js';
import { installTemplates } from './templates.js';
import { readTlsOptions } from './tls.js';

export const DEFAULT_BULK_MAX_BYTES = 10 * 1024 * 1024;
/** Filebeat's default: a large bulk request on a busy cluster can take a while. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 90_000;
export const DEFAULT_BACKOFF: BackoffPolicy = { baseDelayMs: 1000, maxDelayMs: 30_000 };

export interface ElasticsearchSinkOptions {
  logger: Logger;
  /** The dead-letter file when output.elasticsearch.dead_letter_path is unset: `<state dir>/dead-letter.ndjson`. */
  defaultDeadLetterPath?: string;
  /** Takes refused documents instead of the dead-letter file (replay-dead-letter collects them itself). */
  deadLetter?: DeadLetterWriter;
  requestTimeoutMs?: number;
  backoff?: Partial<BackoffPolicy>;
}

export interface ElasticsearchSink extends Sink {
  /** The engine found by open(). */
  readonly engine: Engine | undefined;
}

interface Opened {
  connection: EngineConnection;
  target: IndexTarget;
  queue: BulkQueue;
}

export function createElasticsearchSink(config: ElasticsearchOutputConfig, options: ElasticsearchSinkOptions): ElasticsearchSink {
  const { logger } = options;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const deadLetterPath = config.dead_letter_path ?? options.defaultDeadLetterPath;
  const deadLetter = options.deadLetter ?? createDeadLetterFile(requirePath(deadLetterPath));
  const closing = new AbortController();
  let opened: Opened | undefined;
  let engine: Engine | undefined;

  // Encodes at once and keeps nothing of `documents` past this call (see BulkItem).
  function write(documents: OutputDocument[]): Promise<WriteResult> {
    if (opened === undefined) return Promise.reject(new Error('the elasticsearch output was written to before open() or after close()'));
    const { target, queue } = opened;
    const count = documents.length;
    return queue.submit(documents.map((document) => encodeItem(document, target.indexFor(document.timestamp)))).then(async (settled) => {
      const rejected = await deadLetterRefused(settled.refused);
      return { acknowledged: count - settled.duplicates.length - rejected.length, duplicates: settled.duplicates.length, rejected };
    });
  }

  async function deadLetterRefused(refused: RefusedItem[]): Promise<RejectedDocument[]> {
    if (refused.length === 0) return [];
    const now = new Date().toISOString();
    const rejected: RejectedDocument[] = [];
    const entries: DeadLetterEntry[] = refused.map(({ item, status, reason }) => {
      const document = decodeItem(item);
      rejected.push({ document, reason });
      return { '@timestamp': now, reason, status, index: item.index, id: item.id, document: document.source };
    });
    await deadLetter.append(entries);
    for (const { item, status, reason } of refused) {
      logger.error({ id: item.id, index: item.index, status, reason, deadLetterPath }, 'document refused by the engine; kept in the dead-letter file — fix the cause, then run o365-elk replay-dead-letter');
    }
    return rejected;
  }

  return {
    name: 'elasticsearch',
    get engine() {
      return engine;
    },
    async open() {
      const target = parseIndexTarget(config.index);
      const connection = createEngineConnection({
        hosts: config.hosts,
        authorization: authorizationHeader(config),
        tls: readTlsOptions(config.ssl, 'output.elasticsearch.ssl'),
        connections: config.worker,
        requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
        compressionLevel: config.compression_level ?? 0,
      });
      try {
        engine = await detect(connection);
        await installTemplates(connection, engine, target, logger);
      } catch (error) {
        await connection.close();
        if (error instanceof EngineUnreachableError) throw new Error(unreachableMessage(error), { cause: error });
        throw error;
      }
      const queue = createBulkQueue((items) => sendUntilSettled(items, { connection, backoff, logger, signal: closing.signal }), {
        concurrency: config.worker,
        maxDocuments: config.bulk_max_size,
        maxBytes: config.bulk_max_bytes ?? DEFAULT_BULK_MAX_BYTES,
      });
      opened = { connection, target, queue };
      const kind = target.dataStream ? 'data stream' : 'index';
      logger.info({ hosts: connection.hosts, index: config.index }, `elasticsearch output: ${describeEngine(engine)}, writing to ${kind} ${config.index}`);
    },
    write(documents) {
      if (closing.signal.aborted) return Promise.reject(new Error('the elasticsearch output is closed'));
      return write(documents);
    },
    async close() {
      // Requests in flight finish; retries still waiting give up, so close() is not held up by an engine that is down.
      closing.abort();
      await opened?.queue.drain();
      await opened?.connection.close();
      opened = undefined;
    },
  };
}

function requirePath(path: string | undefined): string {
  if (path === undefined) throw new Error('the elasticsearch output needs a dead-letter file: pass defaultDeadLetterPath');
  return path;
}

async function detect(connection: EngineConnection): Promise<Engine> {
  const { status, body, host } = await connection.request({ method: 'GET', path: '/' });
  if (status === 401) {
    throw new Error(`${host} refused the credentials (401) — check output.elasticsearch.username and password, api_key or bearer_token`);
  }
  if (status === 403) {
    throw new Error(`${host} does not let these credentials read the engine's version (403) — grant them the monitor cluster privilege`);
  }
  if (status !== 200) {
    throw new Error(`${host} answered GET / with ${status} (${engineErrorText(body) ?? 'no reason given'}) — check output.elasticsearch.hosts and the engine's health`);
  }
  return detectEngine(body, host);
}

function unreachableMessage(error: EngineUnreachableError): string {
  const tls = error.failures.find(({ failure }) => failure.kind === 'tls');
  if (tls !== undefined) {
    return `TLS with ${tls.host} failed (${tls.failure.reason}) — trust the engine's CA with output.elasticsearch.ssl.certificate_authorities, or check that the host name matches its certificate`;
  }
  const hosts = error.failures.map(({ host, failure }) => `${host} (${failure.reason})`).join(', ');
  return `cannot reach the search engine at ${hosts} — check output.elasticsearch.hosts and that the engine is running`;
}
