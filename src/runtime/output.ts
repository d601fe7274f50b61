// Builds the one enabled output from its configuration.
import { join } from 'node:path';
import type { OutputConfig } from '../config/index.js';
import { createConsoleSink } from '../sinks/console.js';
import { createElasticsearchSink } from '../sinks/elasticsearch/index.js';
import { createFileSink } from '../sinks/file.js';
import { createLogstashSink } from '../sinks/logstash/index.js';
import type { Sink } from '../sinks/types.js';
import type { Logger } from '../util/logger.js';

export interface OutputContext {
  /** Where the dead-letter file goes when the output names none: beside the ledger. */
  deadLetterDir: string;
  logger: Logger;
}

export function createOutputSink(output: OutputConfig, context: OutputContext): Sink {
  switch (output.type) {
    case 'file':
      return createFileSink({
        path: output.file.path,
        filename: 'o365-elk',
        rotateEveryBytes: output.file.rotate_every_bytes,
        numberOfFiles: output.file.number_of_files,
      });
    case 'console':
      return createConsoleSink({ pretty: output.console.pretty });
    case 'elasticsearch':
      return createElasticsearchSink(output.elasticsearch, {
        logger: context.logger,
        defaultDeadLetterPath: join(context.deadLetterDir, 'dead-letter.ndjson'),
      });
    case 'logstash':
      return createLogstashSink(output.logstash, { logger: context.logger });
  }
}
