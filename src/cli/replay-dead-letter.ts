// `o365-elk replay-dead-letter FILE`: sends the documents the engine refused once more, after the
// cause (a mapping, the document itself) has been fixed. Lines that are indexed now, or turn out to be
// there already, leave the file; the others stay, with the engine's new reason.
import { Command } from 'commander';
import { loadConfig } from '../config/index.js';
import { readDeadLetterFile, rewriteDeadLetterFile, type DeadLetterEntry, type DeadLetterWriter } from '../sinks/dead-letter.js';
import { createElasticsearchSink, type BackoffPolicy } from '../sinks/elasticsearch/index.js';
import type { OutputDocument } from '../sinks/types.js';
import { createLogger, type Logger } from '../util/logger.js';
import { EXIT_OK, EXIT_PARTIAL } from './fatal.js';

export interface ReplayOptions {
  file: string;
  /** `-c`: the configuration file. */
  configFile?: string;
  /** `-E key=value` overrides. */
  overrides?: string[];
  env?: NodeJS.ProcessEnv;
  logger?: Logger;
  backoff?: Partial<BackoffPolicy>;
}

export interface ReplaySummary {
  indexed: number;
  duplicates: number;
  /** Refused again, or not a readable entry: these lines stay in the file. */
  failed: number;
}

export function replayDeadLetterCommand(): Command {
  return new Command('replay-dead-letter')
    .description('send the documents of a dead-letter file to the configured elasticsearch output again; those indexed leave the file')
    .argument('<file>', 'the dead-letter file (output.elasticsearch.dead_letter_path; by default dead-letter.ndjson beside the state database)')
    .option('-c, --config <file>', 'configuration file')
    .option('-E, --setting <key=value>', 'override a setting (repeatable)', (value: string, previous: string[]) => [...previous, value], [])
    .action(async (file: string, options: { config?: string; setting: string[] }) => {
      const summary = await replayDeadLetter({ file, configFile: options.config, overrides: options.setting });
      process.stdout.write(`${summarize(file, summary)}\n`);
      process.exitCode = summary.failed === 0 ? EXIT_OK : EXIT_PARTIAL;
    });
}

export function summarize(file: string, { indexed, duplicates, failed }: ReplaySummary): string {
  const total = indexed + duplicates + failed;
  const kept = failed === 0 ? `${file} is now empty` : `${failed} still failing, kept in ${file} with the new reason`;
  return `replay-dead-letter: ${total} lines: ${indexed} indexed, ${duplicates} already present, ${kept}`;
}

export async function replayDeadLetter(options: ReplayOptions): Promise<ReplaySummary> {
  const contents = await readOrExplain(options.file);
  const config = loadConfig({ file: options.configFile, overrides: options.overrides, env: options.env });
  const logger = options.logger ?? createLogger({ level: config.logging.level, json: config.logging.json });
  for (const warning of config.warnings) logger.warn(warning);
  if (config.output.type !== 'elasticsearch') {
    throw new Error(`replay-dead-letter sends to output.elasticsearch, but output.${config.output.type} is the enabled output — enable output.elasticsearch (e.g. -E output.elasticsearch.hosts='["https://localhost:9200"]')`);
  }

  const refusedAgain = new Map<Record<string, unknown>, DeadLetterEntry>();
  const collector: DeadLetterWriter = {
    async append(entries) {
      for (const entry of entries) refusedAgain.set(entry.document, entry);
    },
  };
  const kept: string[] = [];
  const documents: OutputDocument[] = [];
  for (const line of contents.lines) {
    if (line.entry === undefined) {
      logger.warn({ file: options.file, problem: line.problem }, 'a dead-letter line is not an entry; it stays in the file');
      kept.push(line.text);
      continue;
    }
    const timestamp = Date.parse(String(line.entry.document['@timestamp']));
    if (Number.isNaN(timestamp)) {
      kept.push(JSON.stringify({ ...line.entry, reason: 'the document has no valid @timestamp — set it to the record\'s CreationTime, then replay again' }));
      continue;
    }
    documents.push({ id: line.entry.id, timestamp, source: line.entry.document });
  }

  let indexed = 0;
  let duplicates = 0;
  if (documents.length > 0) {
    const sink = createElasticsearchSink(config.output.elasticsearch, { logger, deadLetter: collector, backoff: options.backoff });
    await sink.open();
    try {
      const result = await sink.write(documents);
      indexed = result.acknowledged;
      duplicates = result.duplicates;
    } finally {
      await sink.close();
    }
    for (const entry of refusedAgain.values()) kept.push(JSON.stringify(entry));
  }
  await rewriteDeadLetterFile(options.file, kept, contents.size);
  return { indexed, duplicates, failed: kept.length };
}

async function readOrExplain(file: string): ReturnType<typeof readDeadLetterFile> {
  try {
    return await readDeadLetterFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file} does not exist — pass the dead-letter file (output.elasticsearch.dead_letter_path)`, { cause: error });
    throw new Error(`${file} cannot be read (${code ?? (error as Error).message}) — check the path and its permissions`, { cause: error });
  }
}
