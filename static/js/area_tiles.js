// Census areas from the area vector tiles, filled by class colour on canvas tiles: a small
// Leaflet GridLayer like the point layer (tiles.js), with the same vendored pbf/vector-tile.
//
// Each tile (layer "areas", extent 4096, feature id = area id) is decoded once into a Path2D
// per area, in tile pixels, and kept: a new palette or new classes repaint the kept paths
// without fetching anything; hover finds the area under the pointer with isPointInPath. The
// fill comes from `fillOf(id)`: a colour, or null for "not available", painted with grey
// hatching (never a class colour).

import * as L from "leaflet";
import Pbf from "pbf";
import { VectorTile } from "@mapbox/vector-tile";
import { getBytes, urlWith } from "./api.js";
import { hatchPattern } from "./palettes.js";

const LAYER = "areas";

/** Decode a tile into [{id, properties, path}] in tile pixels of a `tileSize` tile. */
export function decodeAreas(buffer, tileSize) {
  const tile = new VectorTile(new Pbf(buffer));
  const layer = tile.layers[LAYER];
  if (!layer) return [];
  const scale = tileSize / layer.extent;
  const areas = [];
  for (let i = 0; i < layer.length; i += 1) {
    const feature = layer.feature(i);
    const path = new Path2D();
    for (const ring of feature.loadGeometry()) {
      ring.forEach((point, index) => {
        if (index === 0) path.moveTo(point.x * scale, point.y * scale);
        else path.lineTo(point.x * scale, point.y * scale);
      });
      path.closePath();
    }
    areas.push({ id: Number(feature.id), properties: feature.properties, path });
  }
  return areas;
}

// One context for hit tests, with no transform: paths are in tile pixels.
let probe = null;
function probeContext() {
  if (!probe) probe = document.createElement("canvas").getContext("2d");
  return probe;
}

export const AreaTiles = L.GridLayer.extend({
  options: {
    pane: "areas",
    updateWhenZooming: false,
    keepBuffer: 1,
    minZoom: 0,
    maxZoom: 19,
  },

  /** `template`: the tile address with {level}/{z}/{x}/{y}; `fillOf(id)`: colour or null. */
  initialize(template, fillOf, options) {
    this._template = template;
    this._fillOf = fillOf;
    this._source = null;
    this._areas = new Map();
    this._canvases = new Map();
    this.highlighted = null;
    L.GridLayer.prototype.initialize.call(this, options);
    this.on("tileunload", (event) => {
      if (event.tile._abort) event.tile._abort.abort();
      const key = this._tileCoordsToKey(event.coords);
      this._areas.delete(key);
      this._canvases.delete(key);
    });
  },

  /** Which areas: {level, year, overview}; refetches the tiles when it changes. */
  setSource(source) {
    const text = JSON.stringify(source);
    if (text === JSON.stringify(this._source)) return this;
    this._source = source;
    if (this._map) this.redraw();
    return this;
  },

  /** Repaint every loaded tile with the current fills (new values, classes or palette). */
  repaint() {
    for (const [key, canvas] of this._canvases) this._paint(canvas, this._areas.get(key) || []);
    return this;
  },

  /** Outline one area (id or null) on top of its fill. */
  highlight(id) {
    if (this.highlighted === id) return;
    this.highlighted = id;
    this.repaint();
  },

  createTile(coords, done) {
    const tile = document.createElement("canvas");
    const size = this.getTileSize();
    const ratio = window.devicePixelRatio || 1;
    tile.width = size.x * ratio;
    tile.height = size.y * ratio;
    tile.setAttribute("aria-hidden", "true");
    const key = this._tileCoordsToKey(coords);
    this._canvases.set(key, tile);
    if (!this._source) {
      this._areas.set(key, []);
      window.setTimeout(() => done(null, tile), 0);
      return tile;
    }
    const abort = new AbortController();
    tile._abort = abort;
    const wrapped = this._wrapCoords(coords);
    const query = new URLSearchParams({ year: String(this._source.year) });
    if (this._source.overview) query.set("overview", "true");
    const url = urlWith(
      this._template,
      { level: this._source.level, z: wrapped.z, x: wrapped.x, y: wrapped.y },
      query,
    );
    getBytes(url, { signal: abort.signal })
      .then((buffer) => {
        const areas = buffer ? decodeAreas(buffer, size.x) : [];
        this._areas.set(key, areas);
        this._paint(tile, areas);
        done(null, tile);
      })
      .catch((error) => {
        if (error.name === "AbortError") return;
        this._areas.set(key, []);
        done(error, tile);
      });
    return tile;
  },

  _paint(canvas, areas) {
    const ctx = canvas.getContext("2d");
    const ratio = canvas.width / this.getTileSize().x;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (!canvas._hatch) canvas._hatch = hatchPattern(ctx, ratio);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.lineJoin = "round";
    for (const area of areas) {
      const fill = this._fillOf(area.id);
      ctx.fillStyle = fill || canvas._hatch;
      ctx.fill(area.path, "evenodd");
      ctx.strokeStyle = "rgba(255, 255, 255, 0.8)";
      ctx.lineWidth = 0.6;
      ctx.stroke(area.path);
    }
    const chosen = areas.find((area) => area.id === this.highlighted);
    if (chosen) {
      ctx.strokeStyle = "#ffffff";
      ctx.lineWidth = 5;
      ctx.stroke(chosen.path);
      ctx.strokeStyle = "#1b1b1b";
      ctx.lineWidth = 2.5;
      ctx.stroke(chosen.path);
    }
  },

  /** The area under a map position, or null: {id, properties}. */
  hitTest(latlng) {
    if (!this._map || this._tileZoom === undefined) return null;
    const size = this.getTileSize();
    const point = this._map.project(latlng, this._tileZoom);
    const coords = L.point(Math.floor(point.x / size.x), Math.floor(point.y / size.y));
    coords.z = this._tileZoom;
    const areas = this._areas.get(this._tileCoordsToKey(coords)) || [];
    const x = point.x - coords.x * size.x;
    const y = point.y - coords.y * size.y;
    const ctx = probeContext();
    const found = areas.find((area) => ctx.isPointInPath(area.path, x, y, "evenodd"));
    return found ? { id: found.id, properties: found.properties } : null;
  },

  /** The areas of the loaded tiles that meet the view, once each: [{id, properties}]. */
  areasInView() {
    if (!this._map || this._tileZoom === undefined) return [];
    const bounds = this._map.getPixelBounds(this._map.getCenter(), this._tileZoom);
    const size = this.getTileSize();
    const seen = new Map();
    for (const [key, areas] of this._areas) {
      const [x, y, z] = key.split(":").map(Number);
      if (z !== this._tileZoom) continue;
      const tileBounds = L.bounds([x * size.x, y * size.y], [(x + 1) * size.x, (y + 1) * size.y]);
      if (!bounds.intersects(tileBounds)) continue;
      for (const area of areas) if (!seen.has(area.id)) seen.set(area.id, area);
    }
    return [...seen.values()].map(({ id, properties }) => ({ id, properties }));
  },
});
