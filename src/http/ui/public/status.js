/* global document */
// The daemon's status as /api/status serves it, shown without knowing its exact shape: single values
// become a list of facts, and every list of objects (the streams, the retention gaps) a table whose
// columns are the objects' fields. A field the server adds later appears without a change here.

export function showStatus(container, status) {
  const parts = [];
  const facts = [];
  for (const [key, value] of Object.entries(isObject(status) ? status : { status })) {
    if (Array.isArray(value) && value.length > 0 && value.every(isObject)) parts.push(tableOf(key, value));
    else if (Array.isArray(value) && value.length === 0) facts.push([key, 'none']);
    else facts.push(...flatten(key, value));
  }
  if (facts.length > 0) parts.unshift(factsOf(facts));
  container.classList.remove('muted');
  container.replaceChildren(...parts);
}

export function showStatusProblem(container, problem) {
  container.classList.add('muted');
  container.textContent = `Status unavailable: ${problem}`;
}

function tableOf(name, rows) {
  const flatRows = rows.map((row) => new Map(Object.entries(row).flatMap(([key, value]) => flatten(key, value))));
  const columns = [...new Set(flatRows.flatMap((row) => [...row.keys()]))];
  const table = document.createElement('table');
  table.createCaption().textContent = label(name);
  const head = table.createTHead().insertRow();
  for (const column of columns) {
    const th = document.createElement('th');
    th.textContent = label(column);
    head.append(th);
  }
  const body = table.createTBody();
  for (const row of flatRows) {
    const tr = body.insertRow();
    for (const column of columns) {
      const value = row.get(column);
      const cell = tr.insertCell();
      cell.textContent = format(value);
      if (typeof value === 'number') cell.className = 'number';
    }
  }
  return table;
}

function factsOf(facts) {
  const list = document.createElement('dl');
  list.className = 'facts';
  for (const [key, value] of facts) {
    const term = document.createElement('dt');
    term.textContent = label(key);
    const description = document.createElement('dd');
    description.textContent = format(value);
    list.append(term, description);
  }
  return list;
}

/** [dotted key, value] pairs: nested objects are spread into their fields. */
function flatten(key, value) {
  if (!isObject(value)) return [[key, value]];
  const entries = Object.entries(value);
  if (entries.length === 0) return [[key, undefined]];
  return entries.flatMap(([inner, innerValue]) => flatten(`${key}.${inner}`, innerValue));
}

function format(value) {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'number') return value.toLocaleString();
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(value)) {
    const time = new Date(value);
    if (!Number.isNaN(time.getTime())) return time.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
  }
  if (Array.isArray(value)) return value.map(format).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** `lagSeconds` and `last_error` read as "lag seconds" and "last error". */
function label(key) {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.]+/g, ' ')
    .toLowerCase();
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
