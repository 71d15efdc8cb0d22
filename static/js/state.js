// The whole state of the map page, kept in the address bar.
//
// view (z, lat, lon), filters, layers, the selected point, the open panel, the list's sort and
// page, and the "near here" search are query parameters, so a copied link opens the same view.
// Moving the map replaces the history entry; every other change pushes one, so Back and
// Forward step through filters, selections and panels.

import { PALETTES } from "./palettes.js";

export const LIST_FILTERS = [
  "jurisdiction",
  "level",
  "organization",
  "kind",
  "service",
  "language",
  "status",
];
export const FLAG_FILTERS = ["bilingual", "open_now"];
export const LAYERS = ["points", "places", "partnerships", "basemap"];
export const DEFAULT_LAYERS = ["points", "basemap"];
export const PANELS = ["list", "details", "summary", "near", "areas", "whatif"];
export const SORT_COLUMNS = ["name", "organization", "kind", "community", "province", "status"];
export const SORTS = SORT_COLUMNS.flatMap((column) => [column, `-${column}`]);
export const NEAR_COUNTS = [5, 10, 25, 50];
// The choropleth of a census indicator: layer (indicator code), layer_year (absent: the
// latest), layer_level (absent: chosen by zoom), layer_class, layer_k, layer_palette.
export const CLASSIFICATIONS = ["quantiles", "fisher_jenks", "equal_interval", "std_mean"];
export const CLASS_COUNTS = [3, 4, 5, 6, 7, 8, 9];
export const DEFAULT_CHOROPLETH = {
  indicator: null,
  year: null,
  level: null,
  classification: "quantiles",
  k: 5,
  palette: "blues",
  view: "choropleth", // or "bivariate": see the bivariate view's block below
};
const CODE = /^[a-z0-9][a-z0-9_-]{0,59}$/;

const round = (value, digits) => Number(value.toFixed(digits));

/** The codes each list filter accepts, from the page's configuration. */
function knownCodes(choices) {
  const codes = (items) => new Set(items.map((item) => item.code));
  return {
    jurisdiction: codes(choices.jurisdictions),
    level: codes(choices.levels),
    organization: codes(choices.organizations),
    kind: codes(choices.kinds),
    service: codes(choices.services),
    language: codes(choices.languages),
    status: codes(choices.statuses),
  };
}

export function defaultState(config) {
  return {
    // null until the map is placed: the first view fits Canada in the window.
    view: null,
    // null: no restriction; an array: only these codes (an empty array matches nothing).
    filters: Object.fromEntries([
      ...LIST_FILTERS.map((name) => [name, null]),
      ...FLAG_FILTERS.map((name) => [name, null]),
    ]),
    layers: [...DEFAULT_LAYERS],
    // The key of the base map shown (the first configured is the default).
    base: config.basemaps?.[0]?.key ?? null,
    point: null,
    panel: "list",
    sort: "name",
    page: 1,
    near: null,
    choropleth: { ...DEFAULT_CHOROPLETH },
    ...defaultAreaState(),
    whatif: { ...DEFAULT_WHATIF },
    partnership: { ...DEFAULT_PARTNERSHIP },
  };
}

function number(value, fallback, { min = -Infinity, max = Infinity } = {}) {
  const parsed = Number.parseFloat(value);
  return Number.isFinite(parsed) && parsed >= min && parsed <= max ? parsed : fallback;
}

/** A link to a point opens its details; any other link opens the list. */
const defaultPanel = (state) => (state.point ? "details" : "list");

/** Read a state from a query string; anything unknown or malformed falls back to the default. */
export function parse(search, config) {
  const params = new URLSearchParams(search);
  const state = defaultState(config);
  const known = knownCodes(config.choices);
  const { min_zoom: minZoom, max_zoom: maxZoom } = config.limits;

  const lat = number(params.get("lat"), null, { min: -85, max: 85 });
  const lon = number(params.get("lon"), null, { min: -180, max: 180 });
  const zoom = number(params.get("z"), null, { min: minZoom, max: maxZoom });
  if (lat !== null && lon !== null && zoom !== null) state.view = { lat, lon, zoom: Math.round(zoom) };
  for (const name of LIST_FILTERS) {
    if (!params.has(name)) continue;
    const codes = params
      .getAll(name)
      .flatMap((value) => value.split(","))
      .map((code) => code.trim())
      .filter((code) => code && known[name].has(code));
    state.filters[name] = [...new Set(codes)];
  }
  for (const name of FLAG_FILTERS) {
    if (params.get(name) === "true") state.filters[name] = true;
  }
  if (params.has("layers")) {
    state.layers = params
      .get("layers")
      .split(",")
      .filter((layer) => LAYERS.includes(layer));
  }
  const base = params.get("base");
  if ((config.basemaps || []).some((item) => item.key === base)) state.base = base;
  const point = Number.parseInt(params.get("point"), 10);
  state.point = Number.isInteger(point) && point > 0 ? point : null;
  state.panel = PANELS.includes(params.get("panel")) ? params.get("panel") : defaultPanel(state);
  if (SORTS.includes(params.get("sort"))) state.sort = params.get("sort");
  state.page = Math.max(1, Number.parseInt(params.get("page"), 10) || 1);

  const [nearLon, nearLat] = (params.get("near") || "").split(",").map(Number.parseFloat);
  if (Number.isFinite(nearLon) && Number.isFinite(nearLat)) {
    const n = Number.parseInt(params.get("near_n"), 10);
    state.near = {
      lon: nearLon,
      lat: nearLat,
      n: NEAR_COUNTS.includes(n) ? n : 10,
      kind: known.kind.has(params.get("near_kind")) ? params.get("near_kind") : "",
      service: known.service.has(params.get("near_service")) ? params.get("near_service") : "",
    };
  }
  state.choropleth = withLayerView(parseChoropleth(bivariateParams(params)), params);
  Object.assign(state, parseAreaState(params, config));
  state.whatif = parseWhatIf(params);
  state.partnership = parsePartnership(params);
  return state;
}

function parseChoropleth(params) {
  const choropleth = { ...DEFAULT_CHOROPLETH };
  const code = (name) => (CODE.test(params.get(name) || "") ? params.get(name) : null);
  choropleth.indicator = code("layer");
  if (!choropleth.indicator) return choropleth;
  const year = Number.parseInt(params.get("layer_year"), 10);
  choropleth.year = Number.isInteger(year) && year >= 1800 && year <= 2200 ? year : null;
  choropleth.level = code("layer_level");
  if (CLASSIFICATIONS.includes(params.get("layer_class"))) {
    choropleth.classification = params.get("layer_class");
  }
  const k = Number.parseInt(params.get("layer_k"), 10);
  if (CLASS_COUNTS.includes(k)) choropleth.k = k;
  if (Object.hasOwn(PALETTES, params.get("layer_palette") || "")) choropleth.palette = params.get("layer_palette");
  return choropleth;
}

/** The query string of a state; defaults (of `config`, the page's) are left out so links stay short. */
export function serialize(state, config = null) {
  const params = new URLSearchParams();
  if (state.view) {
    params.set("z", String(state.view.zoom));
    params.set("lat", String(round(state.view.lat, 5)));
    params.set("lon", String(round(state.view.lon, 5)));
  }
  for (const name of LIST_FILTERS) {
    if (state.filters[name] !== null) params.set(name, state.filters[name].join(","));
  }
  for (const name of FLAG_FILTERS) {
    if (state.filters[name]) params.set(name, "true");
  }
  const layers = LAYERS.filter((layer) => state.layers.includes(layer));
  if (layers.join(",") !== DEFAULT_LAYERS.join(",")) params.set("layers", layers.join(","));
  // Without the configuration (no list of base maps), the base map is always written.
  if (state.base && state.base !== config?.basemaps?.[0]?.key) params.set("base", state.base);
  if (state.point) params.set("point", String(state.point));
  if (state.panel !== defaultPanel(state)) params.set("panel", state.panel);
  if (state.sort !== "name") params.set("sort", state.sort);
  if (state.page > 1) params.set("page", String(state.page));
  if (state.near) {
    params.set("near", `${round(state.near.lon, 5)},${round(state.near.lat, 5)}`);
    if (state.near.n !== 10) params.set("near_n", String(state.near.n));
    if (state.near.kind) params.set("near_kind", state.near.kind);
    if (state.near.service) params.set("near_service", state.near.service);
  }
  const choropleth = state.choropleth || DEFAULT_CHOROPLETH;
  if (choropleth.indicator) {
    params.set("layer", choropleth.indicator);
    if (choropleth.year) params.set("layer_year", String(choropleth.year));
    if (choropleth.level) params.set("layer_level", choropleth.level);
    if (choropleth.classification !== DEFAULT_CHOROPLETH.classification) {
      params.set("layer_class", choropleth.classification);
    }
    if (choropleth.k !== DEFAULT_CHOROPLETH.k) params.set("layer_k", String(choropleth.k));
    if (choropleth.palette !== DEFAULT_CHOROPLETH.palette) params.set("layer_palette", choropleth.palette);
  }
  serializeLayerView(choropleth, params);
  serializeAreaState(state, params);
  serializeWhatIf(state.whatif, params);
  serializePartnership(state.partnership, params);
  return params;
}

// --- The bivariate view (issue 12) ----------------------------------------------------------
// `layer_view=bivariate`: the layer panel shows digital vulnerability × distance to the nearest
// in-person point instead of a choropleth. The view's indicator is the vulnerability index
// (`layer` is then left out of the address), `layer_year` and `layer_level` keep their
// meaning; `layer_class`, `layer_k` and `layer_palette` stay for the choropleth. Links without
// `layer_view` are choropleths, as before.

export const LAYER_VIEWS = ["choropleth", "bivariate"];
export const BIVARIATE_INDICATOR = "digital_vulnerability_index";

/** The address's parameters as the choropleth reads them: the bivariate view's indicator. */
function bivariateParams(params) {
  if (params.get("layer_view") !== "bivariate") return params;
  const copy = new URLSearchParams(params);
  copy.set("layer", BIVARIATE_INDICATOR);
  return copy;
}

function withLayerView(choropleth, params) {
  return { ...choropleth, view: params.get("layer_view") === "bivariate" ? "bivariate" : "choropleth" };
}

function serializeLayerView(choropleth, params) {
  if (choropleth.view !== "bivariate") return;
  params.delete("layer");
  params.set("layer_view", "bivariate");
}
// --- end of the bivariate view --------------------------------------------------------------

// --- The "Areas" panel (issue 12) ----------------------------------------------------------
// The census layer (indicator, year, level) is the choropleth's (`state.choropleth`, above).
// The table's own keys: `areas_indicator` (its indicator when no layer is chosen),
// `areas_sort`, `areas_page`.

export const AREA_SORTS = ["name", "code", "value"].flatMap((column) => [column, `-${column}`]);

function defaultAreaState() {
  return { areas: { indicator: null, sort: "name", page: 1 } };
}

function parseAreaState(params, config) {
  const table = config.areas_table || { levels: [], indicators: [] };
  const indicators = new Set(table.indicators.map((item) => item.code));
  const indicator = params.get("areas_indicator");
  return {
    areas: {
      indicator: indicators.has(indicator) ? indicator : null,
      sort: AREA_SORTS.includes(params.get("areas_sort")) ? params.get("areas_sort") : "name",
      page: Math.max(1, Number.parseInt(params.get("areas_page"), 10) || 1),
    },
  };
}

function serializeAreaState(state, params) {
  if (!state.areas) return;
  if (state.areas.indicator) params.set("areas_indicator", state.areas.indicator);
  if (state.areas.sort !== "name") params.set("areas_sort", state.areas.sort);
  if (state.areas.page > 1) params.set("areas_page", String(state.areas.page));
}
// --- end of the layer state and the "Areas" panel ------------------------------------------

// --- The what-if panel (issue 13) -----------------------------------------------------------
// `wi_km` (the distance, default 50), `wi_site=LON,LAT,NAME` (repeated: hypothetical sites),
// `wi_close=ID,ID` (points closed in the scenario), `scenario=TOKEN` (a saved scenario, read
// by its share link). The registry is never changed: these only live in the address.

export const DEFAULT_WHATIF = { km: 50, sites: [], closed: [], scenario: null };
export const MAX_WHATIF_SITES = 200;

function parseWhatIf(params) {
  const km = number(params.get("wi_km"), 50, { min: 0.1, max: 2000 });
  const sites = params
    .getAll("wi_site")
    .map((text) => {
      const [lon, lat, ...name] = text.split(",");
      return { lon: number(lon, null, { min: -180, max: 180 }), lat: number(lat, null, { min: -90, max: 90 }), name: name.join(",").trim() };
    })
    .filter((site) => site.lon !== null && site.lat !== null)
    .slice(0, MAX_WHATIF_SITES);
  const closed = [...new Set((params.get("wi_close") || "").split(",").map((id) => Number.parseInt(id, 10)).filter((id) => id > 0))];
  const token = params.get("scenario");
  return { km, sites, closed, scenario: token && /^[A-Za-z0-9_-]{8,40}$/.test(token) ? token : null };
}

function serializeWhatIf(whatif, params) {
  if (!whatif) return;
  if (whatif.km !== 50) params.set("wi_km", String(whatif.km));
  for (const site of whatif.sites) params.append("wi_site", `${round(site.lon, 5)},${round(site.lat, 5)},${site.name || ""}`);
  if (whatif.closed.length) params.set("wi_close", whatif.closed.join(","));
  if (whatif.scenario) params.set("scenario", whatif.scenario);
}
// --- end of the what-if panel ---------------------------------------------------------------

// --- The partnerships layer's filters (issue 15): `pa_type` and `pa_status`, a code each (the
// server checks it against its tables; a code it does not know is refused there, and said).
export const DEFAULT_PARTNERSHIP = { type: "", status: "" };
const PARTNERSHIP_CODE = /^[a-z0-9_-]{1,60}$/;

function parsePartnership(params) {
  const code = (name) => (PARTNERSHIP_CODE.test(params.get(name) || "") ? params.get(name) : "");
  return { type: code("pa_type"), status: code("pa_status") };
}

function serializePartnership(partnership, params) {
  if (partnership?.type) params.set("pa_type", partnership.type);
  if (partnership?.status) params.set("pa_status", partnership.status);
}

/**
 * The API's filter parameters for a state (no bbox), or null when a toggle group has every
 * box unticked: nothing can match, and nothing is requested.
 */
export function filterQuery(state) {
  const params = new URLSearchParams();
  for (const name of LIST_FILTERS) {
    const codes = state.filters[name];
    if (codes === null) continue;
    if (codes.length === 0) return null;
    params.set(name, codes.join(","));
  }
  for (const name of FLAG_FILTERS) {
    if (state.filters[name]) params.set(name, "true");
  }
  return params;
}

/** `west,south,east,north` of a Leaflet bounds, clamped to the world, six decimals. */
export function bboxOf(bounds) {
  const clamp = (value, limit) => Math.max(-limit, Math.min(limit, value));
  const west = clamp(bounds.getWest(), 180);
  const east = clamp(bounds.getEast(), 180);
  const south = clamp(bounds.getSouth(), 90);
  const north = clamp(bounds.getNorth(), 90);
  return [west, south, east, north].map((value) => round(value, 6)).join(",");
}

/**
 * The page's state and its subscribers. `update()` merges changes, writes the address bar
 * (push or replace) and tells subscribers which parts changed; Back/Forward re-read the address.
 */
export class Store {
  constructor(config) {
    this.config = config;
    this.state = parse(window.location.search, config);
    this.listeners = [];
    window.addEventListener("popstate", () => {
      const previous = this.state;
      this.state = parse(window.location.search, config);
      this.notify(changedParts(previous, this.state), "history");
    });
  }

  subscribe(listener) {
    this.listeners.push(listener);
  }

  notify(changed, source) {
    if (changed.size === 0) return;
    for (const listener of this.listeners) listener(this.state, changed, source);
  }

  /** Merge `changes`; `history` is "push" (a discrete change), "replace" (panning) or "none". */
  update(changes, { history = "push" } = {}) {
    const previous = this.state;
    const next = { ...previous, ...changes };
    if (changes.filters) next.filters = { ...previous.filters, ...changes.filters };
    // Another selection of points starts the list again at its first page.
    if (changes.filters && !("page" in changes)) next.page = 1;
    this.state = next;
    const changed = changedParts(previous, next);
    if (history !== "none" && changed.size) {
      const url = `${window.location.pathname}?${serialize(next, this.config)}`;
      if (history === "replace") window.history.replaceState(null, "", url);
      else window.history.pushState(null, "", url);
    }
    this.notify(changed, "user");
  }

  /** Write the current state into the address bar without a new entry (first load). */
  replaceUrl() {
    window.history.replaceState(null, "", `${window.location.pathname}?${serialize(this.state, this.config)}`);
  }
}

function changedParts(previous, next) {
  const changed = new Set();
  for (const key of Object.keys(next)) {
    if (JSON.stringify(previous[key]) !== JSON.stringify(next[key])) changed.add(key);
  }
  return changed;
}
