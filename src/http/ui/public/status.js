/* global document */
// Where each stream stands, from the report /api/status serves (src/http/stream-status.ts): one row per
// stream, and the retention gaps when there are any. Before the first poll there is no ledger yet, and the
// report is a problem to show instead.
import { formatDuration, formatTime } from './time.js';

const STREAM_COLUMNS = [
  ['tenant', (s) => s.tenant],
  ['content type', (s) => s.contentType],
  ['delivered up to', (s) => formatTime(s.cursor)],
  ['lag', (s) => formatDuration(s.lagSeconds)],
  ['last hour', (s) => `${count(s.lastHour?.blobs, 'blob')}, ${count(s.lastHour?.events, 'event')}`],
  ['events in all', (s) => number(s.total?.events)],
  ['expired blobs', (s) => number(s.total?.expiredBlobs)],
  ['next poll', (s) => formatTime(s.nextPollAt)],
];

const GAP_COLUMNS = [
  ['tenant', (g) => g.tenant],
  ['content type', (g) => g.contentType],
  ['lost from', (g) => formatTime(g.from)],
  ['lost to', (g) => formatTime(g.to)],
  ['noticed', (g) => formatTime(g.detectedAt)],
];

export function showStatus(container, report) {
  const problem = report?.problem ?? report?.error;
  if (!Array.isArray(report?.streams)) {
    showStatusProblem(container, problem ?? 'the report lists no streams');
    return;
  }
  const parts = [tableOf('Streams', STREAM_COLUMNS, report.streams, showLastError)];
  if (report.retentionGaps?.length > 0) parts.push(tableOf('Retention gaps: audit records lost for good', GAP_COLUMNS, report.retentionGaps));
  const note = document.createElement('p');
  note.className = 'muted';
  note.textContent = `As of ${formatTime(report.generatedAt)}, from the ledger ${report.ledger ?? ''}`;
  parts.push(note);
  container.classList.remove('muted');
  container.replaceChildren(...parts);
}

export function showStatusProblem(container, problem) {
  container.classList.add('muted');
  container.textContent = `Status unavailable: ${problem}`;
}

function tableOf(caption, columns, rows, decorate = () => {}) {
  const table = document.createElement('table');
  table.createCaption().textContent = caption;
  const head = table.createTHead().insertRow();
  for (const [name] of columns) {
    const th = document.createElement('th');
    th.textContent = name;
    head.append(th);
  }
  const body = table.createTBody();
  for (const item of rows) {
    const row = body.insertRow();
    for (const [, value] of columns) row.insertCell().textContent = value(item) ?? '—';
    decorate(row, item);
  }
  return table;
}

/** A stream's last error goes on a line of its own under the stream, across the whole table. */
function showLastError(row, stream) {
  if (!stream.lastError) return;
  const cell = row.parentElement.insertRow().insertCell();
  cell.colSpan = STREAM_COLUMNS.length;
  cell.className = 'error';
  cell.textContent = `${formatTime(stream.lastErrorAt)}: ${stream.lastError}`;
}

function number(value) {
  return typeof value === 'number' ? value.toLocaleString() : '—';
}

function count(value, noun) {
  return typeof value === 'number' ? `${value.toLocaleString()} ${noun}${value === 1 ? '' : 's'}` : '—';
}
