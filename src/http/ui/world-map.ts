// The world drawn once, on the server, as SVG: Natural Earth's land and borders (world-atlas, bundled in
// node_modules, so the page needs no tile server and no network). The projection is equirectangular,
// which is linear in degrees: the page places each sign-in with three numbers instead of a map library.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { geoEquirectangular, geoPath, type GeoProjection } from 'd3-geo';
import { feature, mesh } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';

/** The world's width in SVG units; the page scales it to fit. */
const WIDTH = 1000;
const UNITS_PER_DEGREE = WIDTH / 360;
// Beyond these latitudes there is only ice and ocean: cropping them gives the inhabited world more room.
const NORTH = 84;
const SOUTH = -60;

export interface WorldMap {
  width: number;
  height: number;
  /** SVG elements of the background, to go inside an `<svg viewBox="0 0 width height">`. */
  background: string;
  /** The projection, linear: x = originX + lon × unitsPerDegree, y = originY − lat × unitsPerDegree. */
  originX: number;
  originY: number;
  unitsPerDegree: number;
}

type WorldTopology = Topology<{ countries: GeometryCollection; land: GeometryCollection }>;

export function worldProjection(): GeoProjection {
  return geoEquirectangular()
    .scale(UNITS_PER_DEGREE * (180 / Math.PI))
    .translate([WIDTH / 2, NORTH * UNITS_PER_DEGREE]);
}

export function renderWorldMap(): WorldMap {
  const projection = worldProjection();
  const [originX, originY] = projection([0, 0])!;
  const path = geoPath(projection).digits(1);
  const world = loadWorld();
  const land = path(feature(world, world.objects.land)) ?? '';
  // Shared arcs only: coastlines are drawn by the land, so only borders between two countries remain.
  const borders = path(mesh(world, world.objects.countries, (a, b) => a !== b)) ?? '';
  const height = (NORTH - SOUTH) * UNITS_PER_DEGREE;
  const background = [
    `<rect class="ocean" width="${WIDTH}" height="${height}"/>`,
    `<path class="land" d="${land}"/>`,
    `<path class="borders" d="${borders}"/>`,
  ].join('');
  return { width: WIDTH, height, background, originX, originY, unitsPerDegree: UNITS_PER_DEGREE };
}

function loadWorld(): WorldTopology {
  const file = createRequire(import.meta.url).resolve('world-atlas/countries-110m.json');
  return JSON.parse(readFileSync(file, 'utf8')) as WorldTopology;
}
