// Builds the one enabled output from its configuration.
import type { OutputConfig } from '../config/index.js';
import { createConsoleSink } from '../sinks/console.js';
import { createFileSink } from '../sinks/file.js';
import type { Sink } from '../sinks/types.js';
import type { Logger } from '../util/logger.js';

export interface OutputContext {
  /** Where the dead-letter file goes when the output names none: beside the ledger. */
  deadLetterDir: string;
  logger: Logger;
}

export function createOutputSink(output: OutputConfig, _context: OutputContext): Sink {
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
    default:
      throw new Error(`output.${output.type} is not available in this build yet — use output.file or output.console`);
  }
}
