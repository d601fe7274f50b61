/* global document */
// Sign-ins on the world map the server drew. Its projection is linear in degrees and its three numbers
// are on the <svg> element, so placing a sign-in takes no map library. Text from audit records only ever
// goes in through textContent: user names and places are data, never markup.
import { formatTime } from './time.js';

const SVG_NS = 'http://www.w3.org/2000/svg';
const LATEST_ROWS = 10;
// Failures are drawn last and smaller: where a place has both, a red dot sits inside a green ring, so
// neither a crowd of successes hides a failure nor a failure hides that people also signed in there.
const DRAWING_ORDER = { success: 0, unknown: 1, failure: 2 };
const RADIUS = { success: 4.2, unknown: 4.2, failure: 2.8 };

export function createSignInLayer(svg) {
  const originX = Number(svg.dataset.originX);
  const originY = Number(svg.dataset.originY);
  const unitsPerDegree = Number(svg.dataset.unitsPerDegree);
  const layer = svg.querySelector('#sign-ins');
  return {
    draw(signIns) {
      const ordered = [...signIns].sort((a, b) => DRAWING_ORDER[a.outcome] - DRAWING_ORDER[b.outcome] || a.timestamp - b.timestamp);
      const dots = document.createDocumentFragment();
      for (const signIn of ordered) {
        const dot = document.createElementNS(SVG_NS, 'circle');
        dot.setAttribute('class', `sign-in ${signIn.outcome}`);
        dot.setAttribute('cx', (originX + signIn.lon * unitsPerDegree).toFixed(2));
        dot.setAttribute('cy', (originY - signIn.lat * unitsPerDegree).toFixed(2));
        dot.setAttribute('r', String(RADIUS[signIn.outcome]));
        const title = document.createElementNS(SVG_NS, 'title');
        title.textContent = describe(signIn);
        dot.append(title);
        dots.append(dot);
      }
      layer.replaceChildren(dots);
    },
  };
}

export function showSummary(element, signIns) {
  if (signIns.length === 0) {
    element.textContent = 'No located sign-in has been delivered yet.';
    return;
  }
  const count = (outcome) => signIns.filter((s) => s.outcome === outcome).length;
  const unknown = count('unknown');
  const newest = Math.max(...signIns.map((s) => s.timestamp));
  element.textContent =
    `${signIns.length} sign-ins on the map: ${count('success')} succeeded, ${count('failure')} failed` +
    `${unknown > 0 ? `, ${unknown} of unknown outcome` : ''}; the newest at ${formatTime(newest)}.`;
}

export function showLatest(table, signIns) {
  const rows = [...signIns].sort((a, b) => b.timestamp - a.timestamp).slice(0, LATEST_ROWS);
  table.tBodies[0].replaceChildren(
    ...rows.map((signIn) => {
      const row = document.createElement('tr');
      const cells = [formatTime(signIn.timestamp), signIn.user, place(signIn), signIn.ip, signIn.app, signIn.outcome];
      for (const value of cells) {
        const cell = document.createElement('td');
        cell.textContent = value ?? '—';
        row.append(cell);
      }
      row.lastElementChild.className = signIn.outcome;
      return row;
    }),
  );
}

function describe(signIn) {
  const who = signIn.user ?? 'unknown user';
  const from = [place(signIn), signIn.ip].filter(Boolean).join(', ');
  return `${who} — ${signIn.outcome} — ${formatTime(signIn.timestamp)}${from ? ` — ${from}` : ''}${signIn.app ? ` — ${signIn.app}` : ''}`;
}

function place(signIn) {
  return [signIn.city, signIn.country].filter(Boolean).join(', ') || undefined;
}
