// The sign-in map in a real browser: the emulator's sign-ins (real public addresses around the world),
// mapped and GeoIP-located as the collector does, are served by the UI routes and opened in headless
// Chromium. The dots must be in the DOM at the projected places, visible in the screenshot in both
// colours, and the page must pick up new sign-ins by itself.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { PNG } from 'pngjs';
import type { RunningEmulator } from '../../src/emulator/server.js';
import type { StatusReport, StreamStatus } from '../../src/http/stream-status.js';
import { worldProjection } from '../../src/http/ui/world-map.js';
import { createRecentSignIns, signInOf, type RecentSignIns } from '../../src/runtime/recent-sign-ins.js';
import type { OutputDocument } from '../../src/sinks/types.js';
import { createEnrichment, DEFAULT_APP_NAME_TTL_MS, type Enrichment } from '../../src/transform/enrich/index.js';
import { createTransformer } from '../../src/transform/index.js';
import { createLogger } from '../../src/util/logger.js';
import { startUiServer, type UiServer } from './support.js';
import { startLocalEmulator } from '../support/emulator.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Set to refresh the screenshot in the docs: O365_ELK_UPDATE_SCREENSHOT=1 node scripts/test.mjs test/ui/map.test.ts
const DOCS_SCREENSHOT = new URL('../../docs/images/sign-in-map.png', import.meta.url);

let emulator: RunningEmulator;
let enrichment: Enrichment | undefined;
let located: OutputDocument[];
let server: UiServer | undefined;
let browser: BrowserContext | undefined;
let profile: string | undefined;

before(async () => {
  emulator = await startLocalEmulator({
    seed: 1,
    events: 800,
    days: 2,
    tenants: 2,
    plainHttp: true,
  });
  const records = (await (await fetch(`${emulator.url}/_emulator/records`)).text())
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as { OrganizationId: string });
  // The collector's enrichment: GeoIP places the sign-ins, the built-in table names Microsoft's apps.
  enrichment = await createEnrichment(
    { geoip: { enabled: true }, userAgent: { enabled: false }, appNames: { enabled: true, ttlMs: DEFAULT_APP_NAME_TTL_MS }, tenantNames: {} },
    { logger: createLogger({ level: 'warn', json: true }) },
  );
  const transformer = createTransformer({ enrichers: enrichment.enrichers });
  located = records
    .map((record) => transformer.transform(record, { tenantId: record.OrganizationId, contentType: 'Audit.AzureActiveDirectory' }))
    .filter((document) => signInOf(document) !== undefined);
});

after(async () => {
  await browser?.close();
  await server?.close();
  await emulator?.close();
  await enrichment?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

test('the page draws the emulated sign-ins on the world map, green and red, and adds new ones as they arrive', async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium)`);
  const outcomes = new Set(located.map((document) => signInOf(document)?.outcome));
  assert.ok(located.length >= 100 && outcomes.has('success') && outcomes.has('failure'), `the emulator gave ${located.length} located sign-ins of ${[...outcomes].join(', ')}`);

  const signIns = createRecentSignIns(5000);
  const firstBatch = located.slice(0, Math.floor(located.length / 2));
  for (const document of firstBatch) signIns.observe(document);
  const status = statusReport();
  server = await startUiServer(signIns, () => status);
  profile = mkdtempSync(join(tmpdir(), 'o365-elk-chromium-'));
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1200, height: 900 },
  });
  const page = await browser.newPage();
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url);

  await waitForDots(page, firstBatch.length);
  assert.equal(await page.locator('circle.sign-in.success').count() + (await page.locator('circle.sign-in.failure').count()), firstBatch.length);
  assert.ok((await page.locator('circle.sign-in.success').count()) > 0, 'no green dot');
  assert.ok((await page.locator('circle.sign-in.failure').count()) > 0, 'no red dot');
  assert.deepEqual(misplaced(await dotPositions(page), signIns), [], 'sign-ins without a dot where d3-geo projects them');
  const streamRows = page.locator('#status tbody tr');
  // One row per stream, and one more under the stream that failed, with its error.
  assert.equal(await streamRows.count(), status.streams.length + 1);
  assert.match(await streamRows.first().innerText(), new RegExp(`^${status.streams[0]!.tenant}\\tAudit.AzureActiveDirectory\\t`));
  assert.match(await streamRows.last().innerText(), /AF20022: no subscription/);
  assert.equal(await page.locator('#latest tbody tr').count(), 10);

  for (const document of located.slice(firstBatch.length)) signIns.observe(document);
  await waitForDots(page, located.length);

  const screenshot = await page.screenshot({ fullPage: true });
  const colours = await Promise.all(
    ['success', 'failure'].map((outcome) => page.locator(`circle.sign-in.${outcome}`).first().evaluate((dot) => dot.ownerDocument.defaultView.getComputedStyle(dot).fill as string)),
  );
  const [green, red] = colours.map(parseRgb) as [Rgb, Rgb];
  assert.ok(green[1] > green[0] && green[1] > green[2], `success is drawn in ${colours[0]}, not green`);
  assert.ok(red[0] > red[1] && red[0] > red[2], `failure is drawn in ${colours[1]}, not red`);
  const map = await page.locator('#map').boundingBox();
  assert.ok(map);
  const pixels = countPixels(PNG.sync.read(screenshot), map, [green, red]);
  assert.ok(pixels[0]! > 50, `${pixels[0]} green pixels on the map`);
  assert.ok(pixels[1]! > 50, `${pixels[1]} red pixels on the map`);
  assert.deepEqual(pageErrors, []);
  if (process.env.O365_ELK_UPDATE_SCREENSHOT === '1') {
    assert.ok(screenshot.length < 300_000, `the screenshot is ${screenshot.length} bytes, too big for the docs`);
    writeFileSync(DOCS_SCREENSHOT, screenshot);
  }
});

/** What /api/status would say of the emulated tenants a while into a run. */
function statusReport(): StatusReport {
  const now = Date.now();
  const iso = (agoMs: number): string => new Date(now - agoMs).toISOString();
  const streams: StreamStatus[] = emulator.tenants.flatMap((tenant, index) =>
    (['Audit.AzureActiveDirectory'] as const).map((contentType) => ({
      tenantId: tenant.tenantId,
      tenant: tenant.displayName,
      contentType,
      cursor: iso(60_000),
      lagSeconds: 95 + index * 60,
      lastHour: { blobs: 12, events: 340 },
      total: { blobs: 410, events: 11_873, expiredBlobs: 0, rejectedBlobs: 0 },
      lastError: null,
      lastErrorAt: null,
      lastPollAt: iso(60_000),
      nextPollAt: iso(-120_000),
    })),
  );
  const last = streams[streams.length - 1]!;
  Object.assign(last, { lastError: 'AF20022: no subscription found for the content type — run o365-elk subscriptions start', lastErrorAt: iso(60_000) });
  return { generatedAt: iso(0), ledger: '/var/lib/o365-elk/state.db', streams, retentionGaps: [] };
}

async function waitForDots(page: Page, count: number): Promise<void> {
  // The page refreshes every 5 s; the timeout only bounds a broken page.
  await page.locator(`circle.sign-in >> nth=${count - 1}`).waitFor({ state: 'attached', timeout: 30_000 });
  assert.equal(await page.locator('circle.sign-in').count(), count);
}

async function dotPositions(page: Page): Promise<Point[]> {
  return page.locator('circle.sign-in').evaluateAll((dots) => dots.map((dot) => [Number(dot.getAttribute('cx')), Number(dot.getAttribute('cy'))] as Point));
}

type Point = [number, number];

/** The sign-ins that no dot stands for at their projected place (each dot stands for one sign-in). */
function misplaced(dots: Point[], signIns: RecentSignIns): string[] {
  const projection = worldProjection();
  const unused = [...dots];
  const missing: string[] = [];
  for (const signIn of signIns.snapshot()) {
    const [x, y] = projection([signIn.lon, signIn.lat])!;
    const index = unused.findIndex(([cx, cy]) => Math.abs(cx - x) < 0.01 && Math.abs(cy - y) < 0.01);
    if (index >= 0) unused.splice(index, 1);
    else missing.push(`${signIn.city ?? '?'} (${signIn.lat}, ${signIn.lon}) at ${x.toFixed(2)},${y.toFixed(2)}`);
  }
  return missing;
}

type Rgb = [number, number, number];

function parseRgb(css: string): Rgb {
  const match = /^rgb\((\d+), (\d+), (\d+)\)$/.exec(css);
  assert.ok(match, `unexpected colour ${css}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Pixels inside the box whose colour is within a small distance of each wanted colour. */
function countPixels(png: PNG, box: { x: number; y: number; width: number; height: number }, wanted: Rgb[]): number[] {
  const counts = wanted.map(() => 0);
  for (let y = Math.ceil(box.y); y < Math.floor(box.y + box.height); y += 1) {
    for (let x = Math.ceil(box.x); x < Math.floor(box.x + box.width); x += 1) {
      const at = (y * png.width + x) * 4;
      wanted.forEach(([r, g, b], index) => {
        if (Math.abs(png.data[at]! - r) + Math.abs(png.data[at + 1]! - g) + Math.abs(png.data[at + 2]! - b) <= 12) counts[index]! += 1;
      });
    }
  }
  return counts;
}
