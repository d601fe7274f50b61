// The Logstash output: documents as JSON lines (Logstash's tcp input with `codec => json_lines`), each
// flush to the next host in turn, failing over to the others and reconnecting with backoff.
//
// Acknowledgement is weaker here than with the Elasticsearch output: a write counts as done once its
// bytes are handed to the operating system, because a tcp input answers nothing. Bytes in flight when
// Logstash dies are lost unless Logstash's persistent queue had them; run Logstash with
// `queue.type: persisted` for durability. Documents carry their id in `@metadata._id`, so a pipeline
// using it as document_id with action `create` stores a resent document once.
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LogstashOutputConfig } from '../../config/index.js';
import { backoffDelay } from '../../source/backoff.js';
import { classifyTransportError } from '../../source/transport-errors.js';
import type { Logger } from '../../util/logger.js';
import { createWriteCoalescer, type FlushResult } from '../coalescer.js';
import { OutputClosedError, type BackoffPolicy } from '../elasticsearch/bulk-sender.js';
import { DEFAULT_BACKOFF } from '../elasticsearch/sink.js';
import { readTlsOptions, type OutputTlsSettings } from '../elasticsearch/tls.js';
import type { OutputDocument, Sink } from '../types.js';
import { createEndpoint, parseAddress, type Endpoint } from './endpoint.js';

export interface LogstashSinkOptions {
  logger: Logger;
  backoff?: Partial<BackoffPolicy>;
  connectTimeoutMs?: number;
}

export type LogstashSinkConfig = Omit<LogstashOutputConfig, 'ssl'> & { ssl: OutputTlsSettings & { enabled: boolean } };

export function createLogstashSink(config: LogstashSinkConfig, options: LogstashSinkOptions): Sink {
  const { logger } = options;
  const backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  const closing = new AbortController();
  let endpoints: Endpoint[] = [];
  let next = 0;

  async function flush(documents: OutputDocument[]): Promise<FlushResult> {
    const lines = documents.map((document) => `${JSON.stringify({ '@metadata': { _id: document.id }, ...document.source })}\n`);
    for (let failures = 0; ; failures += 1) {
      // A failed host hands over to the next at once; only when every host has failed in a row is there a wait.
      if (failures > 0 && failures % endpoints.length === 0) await pause(failures / endpoints.length, documents.length);
      const endpoint = endpoints[next] as Endpoint;
      next = (next + 1) % endpoints.length;
      try {
        await writeLines(await endpoint.connection(), lines);
        return { duplicates: [], rejected: [] };
      } catch (error) {
        endpoint.discard();
        if (classifyTransportError(error) === undefined && !(error instanceof ConnectionLostError)) throw error;
        logger.warn({ host: endpoint.address.display, documents: documents.length, error: describe(error) }, 'sending to Logstash failed; the documents will be sent again');
      }
    }
  }

  async function pause(round: number, pendingCount: number): Promise<void> {
    const closed = () => new OutputClosedError(`the logstash output closed before ${pendingCount} documents were sent`);
    if (closing.signal.aborted) throw closed();
    try {
      await sleep(backoffDelay(round, { maxAttempts: Infinity, ...backoff }), undefined, { signal: closing.signal });
    } catch (error) {
      if (closing.signal.aborted) throw closed();
      throw error;
    }
  }

  const coalescer = createWriteCoalescer(flush);

  return {
    name: 'logstash',
    async open() {
      const tls = config.ssl.enabled ? readTlsOptions(config.ssl, 'output.logstash.ssl') : undefined;
      endpoints = config.hosts.map((host) => createEndpoint(parseAddress(host), { tls, connectTimeoutMs: options.connectTimeoutMs ?? 10_000 }));
      const failures: string[] = [];
      for (const endpoint of endpoints) {
        try {
          await endpoint.connection();
          logger.info({ host: endpoint.address.display, tls: tls !== undefined }, `logstash output: connected to ${endpoint.address.display}`);
          return;
        } catch (error) {
          const failure = classifyTransportError(error);
          if (failure?.kind === 'tls') {
            throw new Error(`TLS with Logstash at ${endpoint.address.display} failed (${failure.reason}) — trust its CA with output.logstash.ssl.certificate_authorities, or check that the host name matches its certificate`, { cause: error });
          }
          failures.push(`${endpoint.address.display} (${describe(error)})`);
        }
      }
      throw new Error(`cannot connect to Logstash at ${failures.join(', ')} — check output.logstash.hosts and that a tcp input with codec json_lines listens there`);
    },
    write(documents) {
      if (closing.signal.aborted) return Promise.reject(new Error('the logstash output is closed'));
      return coalescer.write(documents);
    },
    async close() {
      closing.abort();
      await coalescer.drain();
      await Promise.all(endpoints.map((endpoint) => endpoint.close()));
    },
  };
}

class ConnectionLostError extends Error {
  override readonly name = 'ConnectionLostError';
}

/** Writes the lines, waiting for `drain` whenever the socket's buffer is full, until the last is handed to the OS. */
async function writeLines(socket: Socket, lines: string[]): Promise<void> {
  const done = new AbortController();
  const closed = once(socket, 'close', { signal: done.signal }).then(() => {
    throw new ConnectionLostError('Logstash closed the connection');
  });
  closed.catch(() => {});
  try {
    for (const [i, line] of lines.entries()) {
      if (i === lines.length - 1) {
        const flushed = new Promise<void>((resolve, reject) => socket.write(line, (error) => (error ? reject(error) : resolve())));
        await Promise.race([flushed, closed]);
      } else if (!socket.write(line)) {
        await Promise.race([once(socket, 'drain', { signal: done.signal }), closed]);
      }
    }
  } finally {
    done.abort();
  }
}

function describe(error: unknown): string {
  return classifyTransportError(error)?.reason ?? (error instanceof Error ? error.message : String(error));
}
