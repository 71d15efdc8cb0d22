// Service points from the vector tiles, drawn on canvas tiles: a small Leaflet GridLayer.
//
// Each tile is fetched as a Mapbox Vector Tile (layer "servicepoints", extent 4096), decoded
// with pbf + @mapbox/vector-tile, and drawn: single points (count 1) as their kind's shape in
// their level's colour, server-side groups (count > 1, low zooms) as a ring of level shares
// with the count inside. Each tile keeps its decoded features so that a click or a hover finds
// the point under the pointer without asking the server. New filters re-request the tiles.
// Canvas drawing keeps the national view fluid at 100,000 points: the browser never holds
// more than a few thousand features per screen, and no DOM element per point.

import * as L from "leaflet";
import Pbf from "pbf";
import { VectorTile } from "@mapbox/vector-tile";
import { getBytes, urlWith } from "./api.js";
import { formatCompact } from "./i18n.js";
import { clusterRadius, drawCluster, drawPoint } from "./symbols.js";

const LAYER = "servicepoints";
const LEVELS = ["federal", "provincial", "territorial", "municipal"];

/** The radius of a single point's symbol, in CSS pixels, at a zoom level. */
export function pointRadius(zoom) {
  if (zoom < 7) return 4;
  if (zoom < 10) return 5;
  if (zoom < 13) return 6.5;
  return 8;
}

/** Decode a tile into features in tile pixels: {x, y, count, radius, properties}. */
export function decodeTile(buffer, tileSize, zoom) {
  const tile = new VectorTile(new Pbf(buffer));
  const layer = tile.layers[LAYER];
  if (!layer) return [];
  const scale = tileSize / layer.extent;
  const features = [];
  for (let i = 0; i < layer.length; i += 1) {
    const feature = layer.feature(i);
    const properties = feature.properties;
    const count = Number(properties.count) || 1;
    for (const ring of feature.loadGeometry()) {
      for (const point of ring) {
        features.push({
          x: point.x * scale,
          y: point.y * scale,
          count,
          radius: count > 1 ? clusterRadius(count) : pointRadius(zoom),
          properties,
        });
      }
    }
  }
  // Groups above single points and larger groups above smaller ones; open points above the
  // others.
  features.sort(
    (a, b) =>
      a.count - b.count || (a.properties.status === "open") - (b.properties.status === "open"),
  );
  return features;
}

function drawTile(canvas, features, ratio) {
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (const feature of features) {
    const { properties } = feature;
    if (feature.count > 1) {
      const levels = Object.fromEntries(LEVELS.map((level) => [level, properties[level] || 0]));
      levels.level = properties.level;
      drawCluster(ctx, {
        x: feature.x,
        y: feature.y,
        count: feature.count,
        levels,
        label: formatCompact(feature.count),
      });
    } else {
      drawPoint(ctx, {
        x: feature.x,
        y: feature.y,
        radius: feature.radius,
        level: properties.level,
        kind: properties.kind,
        muted: properties.status && properties.status !== "open",
      });
    }
  }
}

export const PointTiles = L.GridLayer.extend({
  options: {
    pane: "points",
    updateWhenZooming: false,
    keepBuffer: 1,
    minZoom: 0,
    maxZoom: 19,
  },

  initialize(template, options) {
    this._template = template;
    this._query = "";
    this._features = new Map();
    L.GridLayer.prototype.initialize.call(this, options);
    this.on("tileunload", (event) => {
      if (event.tile._abort) event.tile._abort.abort();
      this._features.delete(this._tileCoordsToKey(event.coords));
    });
  },

  /** Filter parameters (a URLSearchParams, or null to draw nothing); redraws when they change. */
  setQuery(query) {
    const text = query === null ? null : query.toString();
    if (text === this._query) return this;
    this._query = text;
    if (this._map) this.redraw();
    return this;
  },

  createTile(coords, done) {
    const tile = document.createElement("canvas");
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    tile.width = size.x * ratio;
    tile.height = size.y * ratio;
    tile.setAttribute("aria-hidden", "true");
    const key = this._tileCoordsToKey(coords);
    if (this._query === null) {
      this._features.set(key, []);
      window.setTimeout(() => done(null, tile), 0);
      return tile;
    }
    const abort = new AbortController();
    tile._abort = abort;
    const wrapped = this._wrapCoords(coords);
    const url = urlWith(
      this._template,
      { z: wrapped.z, x: wrapped.x, y: wrapped.y },
      new URLSearchParams(this._query),
    );
    getBytes(url, { signal: abort.signal })
      .then((buffer) => {
        const features = buffer ? decodeTile(buffer, size.x, coords.z) : [];
        this._features.set(key, features);
        drawTile(tile, features, ratio);
        done(null, tile);
      })
      .catch((error) => {
        if (error.name === "AbortError") return;
        this._features.set(key, []);
        done(error, tile);
      });
    return tile;
  },

  /** Features of the tiles at the current zoom, in that zoom's global pixels. */
  *_visibleFeatures() {
    const zoom = this._tileZoom;
    const size = this.getTileSize();
    for (const [key, features] of this._features) {
      const [x, y, z] = key.split(":").map(Number);
      if (z !== zoom) continue;
      for (const feature of features) {
        // A tile also holds the neighbours' points near its edges (the tile buffer): each
        // point counts in the one tile that contains it.
        const inside =
          feature.x >= 0 && feature.y >= 0 && feature.x < size.x && feature.y < size.y;
        yield { feature, gx: x * size.x + feature.x, gy: y * size.y + feature.y, inside };
      }
    }
  },

  /** The point or group under a map position, or null: {properties, count, latlng}. */
  hitTest(latlng, tolerance = 3) {
    if (!this._map || this._tileZoom === undefined) return null;
    const zoom = this._tileZoom;
    const target = this._map.project(latlng, zoom);
    let best = null;
    for (const { feature, gx, gy } of this._visibleFeatures()) {
      const distance = Math.hypot(gx - target.x, gy - target.y);
      if (distance > feature.radius + tolerance) continue;
      // Single points win over the group they sit beside.
      const score = distance - (feature.count === 1 ? 100 : 0);
      if (!best || score < best.score) best = { score, feature, gx, gy };
    }
    if (!best) return null;
    return {
      properties: best.feature.properties,
      count: best.feature.count,
      latlng: this._map.unproject([best.gx, best.gy], zoom),
    };
  },

  /** How many points the loaded tiles draw inside the map's view (groups count their points). */
  drawnInView() {
    if (!this._map || this._tileZoom === undefined) return { points: 0, features: 0 };
    const bounds = this._map.getPixelBounds(this._map.getCenter(), this._tileZoom);
    let points = 0;
    let features = 0;
    for (const { feature, gx, gy, inside } of this._visibleFeatures()) {
      if (!inside || !bounds.contains([gx, gy])) continue;
      points += feature.count;
      features += 1;
    }
    return { points, features };
  },
});
