// `o365-elk status`: where every stream stands, read from the ledger without changing it, so it works
// while the daemon runs.
import { Command } from 'commander';
import { formatTable } from '../doctor/table.js';
import { LedgerMissingError, readStatusReport, type StatusReport, type StreamStatus } from '../http/index.js';
import { loadCommandConfig, withConfigOptions, type ConfigOptions } from './collect.js';
import { EXIT_CONFIG, EXIT_OK } from './fatal.js';

export function statusCommand(): Command {
  return withConfigOptions(new Command('status'))
    .description("show each stream's cursor, lag, recent deliveries, errors, next poll and retention gaps (safe while the daemon runs)")
    .option('--json', 'print the status as JSON, as GET /api/status serves it', false)
    .action((options: ConfigOptions & { json: boolean }) => process.exit(printStatus(options)));
}

function printStatus(options: ConfigOptions & { json: boolean }): number {
  const config = loadCommandConfig(options);
  let report: StatusReport;
  try {
    report = readStatusReport(config);
  } catch (error) {
    if (!(error instanceof LedgerMissingError)) throw error;
    process.stderr.write(`o365-elk: ${error.message}\n`);
    return EXIT_CONFIG;
  }
  process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : renderStatus(report, Date.parse(report.generatedAt)));
  return EXIT_OK;
}

function renderStatus(report: StatusReport, now: number): string {
  const rows = report.streams.map((stream) => [
    stream.tenant,
    stream.contentType,
    stream.cursor ? shortTime(stream.cursor) : 'not polled yet',
    stream.lagSeconds === null ? '—' : duration(stream.lagSeconds),
    `${count(stream.lastHour.blobs, 'blob')}, ${count(stream.lastHour.events, 'event')}`,
    nextPoll(stream, now),
    stream.lastErrorAt ? shortTime(stream.lastErrorAt) : '—',
  ]);
  const table = formatTable(['TENANT', 'CONTENT TYPE', 'CURSOR', 'LAG', 'DELIVERED (LAST HOUR)', 'NEXT POLL', 'LAST ERROR'], rows);
  const errors = report.streams
    .filter((stream) => stream.lastError !== null)
    .map((stream) => `  ${stream.tenant} ${stream.contentType} at ${shortTime(stream.lastErrorAt ?? '')}: ${stream.lastError}\n`);
  const gaps = report.retentionGaps.map(
    (gap) => `  ${gap.tenant} ${gap.contentType}: ${shortTime(gap.from)} to ${shortTime(gap.to)} lost (found ${shortTime(gap.detectedAt)})\n`,
  );
  return [
    `Ledger ${report.ledger}, as of ${shortTime(report.generatedAt)}\n\n`,
    table,
    ...(errors.length > 0 ? ['\nLast errors:\n', ...errors] : []),
    gaps.length > 0 ? '\nRetention gaps (content lost before it could be collected):\n' : '\nRetention gaps: none\n',
    ...gaps,
  ].join('');
}

function nextPoll(stream: StreamStatus, now: number): string {
  if (stream.nextPollAt === null) return stream.lastPollAt === null ? '—' : 'none scheduled';
  const wait = Math.round((Date.parse(stream.nextPollAt) - now) / 1000);
  return wait > 0 ? `in ${duration(wait)}` : 'due now';
}

const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** `2025-01-31T12:00:00.000Z` → `2025-01-31 12:00:00Z`. */
function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/** Seconds as the two largest units: `45s`, `3m 10s`, `2h 5m`, `1d 3h`. */
function duration(totalSeconds: number): string {
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = Math.max(0, Math.round(totalSeconds));
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size);
    rest -= count * size;
    if (count > 0 || (parts.length > 0 && parts.length < 2)) parts.push(`${count}${unit}`);
    if (parts.length === 2) break;
  }
  return parts.length > 0 ? parts.join(' ') : '0s';
}
