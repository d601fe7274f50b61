// The page's HTML: the world map with an empty layer for the sign-ins, and places for the stream status.
// The scripts in public/ fill both and refresh them; the status at the time of the request is embedded so
// the first paint already shows it.
import type { WorldMap } from './world-map.js';

export function renderPage(world: WorldMap, status: unknown): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>o365-elk</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/ui/style.css">
</head>
<body>
<header>
<h1>o365-elk</h1>
<p id="updated" class="muted"></p>
</header>
<main>
<section aria-labelledby="map-heading">
<h2 id="map-heading">Recent sign-ins</h2>
<p id="sign-in-summary" class="muted">Waiting for sign-ins…</p>
<svg id="map" viewBox="0 0 ${world.width} ${world.height}" role="img" aria-label="World map of recent sign-ins"
 data-origin-x="${world.originX}" data-origin-y="${world.originY}" data-units-per-degree="${world.unitsPerDegree}">
${world.background}
<g id="sign-ins"></g>
</svg>
<p class="legend"><span class="swatch success"></span>succeeded <span class="swatch failure"></span>failed <span class="swatch unknown"></span>outcome unknown</p>
<p class="muted">Locations: <a href="https://db-ip.com">IP Geolocation by DB-IP</a> (CC BY 4.0), unless your own GeoIP databases are configured.</p>
<table id="latest">
<caption>Latest sign-ins</caption>
<thead><tr><th>time</th><th>user</th><th>place</th><th>address</th><th>application</th><th>outcome</th></tr></thead>
<tbody></tbody>
</table>
</section>
<section aria-labelledby="status-heading">
<h2 id="status-heading">Status</h2>
<div id="status" class="muted">Waiting for the status…</div>
</section>
</main>
<script type="application/json" id="initial-status">${jsonForScriptElement(status)}</script>
<script type="module" src="/ui/app.js"></script>
</body>
</html>
`;
}

/** JSON that cannot end the script element early, whatever text the status holds. */
function jsonForScriptElement(value: unknown): string {
  return (JSON.stringify(value ?? null) ?? 'null').replace(/</g, '\\u003c');
}
