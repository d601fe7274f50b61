/* global document, fetch */
// The page's refresh loop: every few seconds, the sign-ins (only when they changed: the server answers
// 304 to the tag it gave) and the status. A failed refresh is shown and the next one tried as usual.
import { createSignInLayer, showLatest, showSummary } from './map.js';
import { showStatus, showStatusProblem } from './status.js';

const REFRESH_MS = 5000;

const layer = createSignInLayer(document.getElementById('map'));
const summary = document.getElementById('sign-in-summary');
const latest = document.getElementById('latest');
const status = document.getElementById('status');
const updated = document.getElementById('updated');
let signInsTag = null;

async function refreshSignIns() {
  const response = await fetch('/api/sign-ins', { cache: 'no-store', headers: signInsTag === null ? {} : { 'if-none-match': signInsTag } });
  if (response.status === 304) return;
  if (!response.ok) throw new Error(`/api/sign-ins answered HTTP ${response.status}`);
  const { signIns } = await response.json();
  layer.draw(signIns);
  showSummary(summary, signIns);
  showLatest(latest, signIns);
  signInsTag = response.headers.get('etag');
}

async function refreshStatus() {
  let response;
  try {
    response = await fetch('/api/status', { cache: 'no-store' });
  } catch (error) {
    showStatusProblem(status, error.message);
    throw error;
  }
  // The server answers 503 with a JSON reason while it is not ready: that is status too.
  const body = await response.json().catch(() => undefined);
  if (body === undefined) {
    showStatusProblem(status, `/api/status answered HTTP ${response.status} without JSON`);
    throw new Error(`/api/status answered HTTP ${response.status}`);
  }
  showStatus(status, body);
}

async function refresh() {
  const results = await Promise.allSettled([refreshSignIns(), refreshStatus()]);
  const problems = results.filter((result) => result.status === 'rejected').map((result) => result.reason.message);
  const time = new Date().toLocaleTimeString();
  updated.textContent = problems.length === 0 ? `updated ${time}` : `update failed at ${time}: ${problems.join('; ')}`;
  setTimeout(refresh, REFRESH_MS);
}

showStatus(status, JSON.parse(document.getElementById('initial-status').textContent));
refresh();
