// The analyst map page: wires the map, its layers and the panels to the state in the URL.
//
// Configuration comes from the page (`map-config`, set by the view); data from the API. Each
// module owns one behaviour (state.js, tiles.js, places.js, layers.js, filters.js, list.js,
// details.js, summary.js, near.js, search.js, exports.js, panels.js, areas.js); this one
// connects them.

import * as L from "leaflet";
import { AreaTable } from "./areas.js";
import { h } from "./dom.js";
import { Exports } from "./exports.js";
import { Filters } from "./filters.js";
import { PointDetails } from "./details.js";
import { formatNumber, gettext, interpolate, pointsInView } from "./i18n.js";
import { Choropleth } from "./layers.js";
import { PointList } from "./list.js";
import { NearHere } from "./near.js";
import { Panels } from "./panels.js";
import { PartnershipLayer } from "./partnerships.js";
import { PlacesLayer } from "./places.js";
import { SearchBox, resultZoom } from "./search.js";
import { FLAG_FILTERS, LIST_FILTERS, Store, bboxOf, filterQuery, serialize } from "./state.js";
import { Summary } from "./summary.js";
import { WhatIf } from "./whatif.js";
import { PointTiles } from "./tiles.js";

const config = JSON.parse(document.getElementById("map-config").textContent);
const store = new Store(config);
const mapElement = document.getElementById("map");
const statusElement = document.getElementById("map-status");
const errorElement = document.getElementById("map-error");

// Messages: counts and moves in a polite status line, errors in an alert.

function announce(text) {
  statusElement.textContent = text;
}

function showError(error) {
  const dismiss = h("button", { type: "button", class: "small" }, gettext("Dismiss"));
  dismiss.addEventListener("click", clearError);
  errorElement.replaceChildren(h("p", {}, error.message || String(error)), dismiss);
}

function clearError() {
  errorElement.replaceChildren();
}

// The map and its layers.

const map = L.map(mapElement, {
  minZoom: config.limits.min_zoom,
  maxZoom: config.limits.max_zoom,
  // Canada and its surroundings: the view never drifts to an empty hemisphere.
  maxBounds: [
    [20, -179],
    [86, -20],
  ],
  maxBoundsViscosity: 0.7,
  zoomControl: false,
});
L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
function placeMap(view) {
  if (view) map.setView([view.lat, view.lon], view.zoom, { animate: false });
  else map.fitBounds(config.view.bounds, { animate: false });
}
placeMap(store.state.view);
map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
map.createPane("places").style.zIndex = "350";
map.createPane("points").style.zIndex = "450";
map.createPane("highlight").style.zIndex = "460";

// One tile layer per configured base map (settings.BASE_MAPS); `base` in the state says which
// one the "Base map" layer shows.
const basemaps = new Map(
  (config.basemaps?.length ? config.basemaps : [{ key: null, ...config.basemap, max_zoom: 19 }]).map(
    (item) => {
      const layer = L.tileLayer(item.url, {
        attribution: item.attribution,
        maxZoom: item.max_zoom,
        maxNativeZoom: item.max_zoom,
      });
      // Without a network the base map's tiles fail: hide them, leaving the plain background,
      // on which the points still draw.
      layer.on("tileerror", (event) => {
        event.tile.style.visibility = "hidden";
      });
      return [item.key, layer];
    },
  ),
);
const basemapOf = (state) => basemaps.get(state.base) || basemaps.values().next().value;

const points = new PointTiles(config.urls.tiles);
points.setQuery(filterQuery(store.state));
let pointErrorShown = false;
points.on("tileerror", (event) => {
  if (pointErrorShown) return;
  pointErrorShown = true;
  showError(event.error || new Error(gettext("Some service points could not be drawn.")));
});
points.on("load", () => {
  pointErrorShown = false;
  updateDrawn();
});

const places = new PlacesLayer(map, config.urls.places, { onError: showError });
// Only for those who may read partnerships (the page then has the checkbox and the panel).
const partnerships = config.partnerships
  ? new PartnershipLayer(map, config.partnerships, document.getElementById("partnership-layer"), {
      onError: showError,
      store,
    })
  : null;
const choropleth = new Choropleth(store, config, map, {
  onError: showError,
  pointHit: (latlng) => map.hasLayer(points) && Boolean(points.hitTest(latlng)),
});
const highlights = L.layerGroup().addTo(map);
const nearLayer = L.layerGroup().addTo(map);
let selectionMarker = null;
let hoverMarker = null;

function updateDrawn() {
  const drawn = points.drawnInView();
  mapElement.dataset.drawnPoints = String(drawn.points);
  mapElement.dataset.drawnFeatures = String(drawn.features);
  mapElement.dataset.tileLoads = String(Number(mapElement.dataset.tileLoads || 0) + 1);
}

function applyLayers(layers, base) {
  const toggle = (layer, on) => {
    if (on && !map.hasLayer(layer)) layer.addTo(map);
    if (!on && map.hasLayer(layer)) layer.remove();
  };
  for (const layer of basemaps.values()) toggle(layer, layers.includes("basemap") && layer === base);
  mapElement.dataset.base = [...basemaps].find(([, layer]) => layer === base)?.[0] || "";
  toggle(points, layers.includes("points"));
  places.setVisible(layers.includes("places"));
  if (partnerships) partnerships.setVisible(layers.includes("partnerships"));
  mapElement.classList.toggle("without-basemap", !layers.includes("basemap"));
}

function ring(latlng, { radius = 13, colour = "#1b1b1b" } = {}) {
  return L.layerGroup([
    L.circleMarker(latlng, { pane: "highlight", radius, color: "#ffffff", weight: 7, fill: false, interactive: false }),
    L.circleMarker(latlng, { pane: "highlight", radius, color: colour, weight: 3, fill: false, interactive: false }),
  ]);
}

function showSelection(point) {
  if (selectionMarker) selectionMarker.remove();
  selectionMarker = null;
  if (point && point.location) {
    selectionMarker = ring([point.location.lat, point.location.lon], { radius: 14 });
    selectionMarker.addTo(highlights);
  }
}

function showHover(feature) {
  if (hoverMarker) hoverMarker.remove();
  hoverMarker = null;
  if (feature && feature.geometry) {
    const [lon, lat] = feature.geometry.coordinates;
    hoverMarker = ring([lat, lon], { radius: 11, colour: "#0b5394" }).addTo(highlights);
  }
}

function showNear(near, features) {
  nearLayer.clearLayers();
  if (!near) return;
  const origin = [near.lat, near.lon];
  for (const feature of features) {
    const [lon, lat] = feature.geometry.coordinates;
    L.polyline([origin, [lat, lon]], {
      pane: "highlight",
      color: "#1b1b1b",
      weight: 1.5,
      dashArray: "4 4",
      interactive: false,
    }).addTo(nearLayer);
  }
  L.circleMarker(origin, {
    pane: "highlight",
    radius: 7,
    color: "#ffffff",
    weight: 3,
    fillColor: "#1b1b1b",
    fillOpacity: 1,
    interactive: false,
  }).addTo(nearLayer);
}

// Selecting a point: from the map, the list, the search or "near here".

let focusDetails = false;

function selectPoint(id, { latlng = null, focus = false } = {}) {
  if (latlng) map.panTo(latlng);
  if (store.state.point === id) {
    if (store.state.panel !== "details") store.update({ panel: "details" });
    if (focus) details.show(id, { focus });
    return;
  }
  focusDetails = focus;
  store.update({ point: id, panel: "details" });
}

function featureLatLng(feature) {
  if (!feature || !feature.geometry) return null;
  const [lon, lat] = feature.geometry.coordinates;
  return L.latLng(lat, lon);
}

// The panels.

const panels = new Panels(store);
new Filters(store, document.getElementById("filters-form"));
const exportsLinks = new Exports(config);
const list = new PointList(store, config, {
  onSelect: (feature) => {
    if (feature) selectPoint(feature.properties.id, { latlng: featureLatLng(feature), focus: true });
  },
  onHighlight: showHover,
  onError: showError,
  onCount: (total) => announce(pointsInView(total)),
});
const details = new PointDetails(config, {
  onLoaded: (point) => {
    showSelection(point);
    announce(interpolate(gettext("Details of %(name)s."), { name: point.name }));
  },
  onError: showError,
  onClose: () => {
    store.update({ point: null, panel: "list" });
    document.getElementById("tab-list").focus();
  },
  onShow: (point) => {
    map.setView([point.location.lat, point.location.lon], Math.max(map.getZoom(), 14));
  },
  onWhatIfClose: (point) => whatIf.closePoint(point),
  onNear: (point) => {
    const form = document.getElementById("near-form").elements;
    store.update({
      panel: "near",
      near: {
        lon: point.location.lon,
        lat: point.location.lat,
        n: Number(form.n.value) || 10,
        kind: form.kind.value,
        service: form.service.value,
      },
    });
  },
});
const whatIf = new WhatIf(store, config, map, { onMessage: announce, onError: showError });
const summary = new Summary(config, { onError: showError, onCount: () => {} });
const areaTable = new AreaTable(store, config, { onError: showError });
// What the "Areas" panel shows depends on these parts of the state (and on the view).
const AREA_KEYS = ["panel", "areas", "choropleth"];
const near = new NearHere(store, config, {
  getCentre: () => map.getCenter(),
  onResults: showNear,
  onSelect: (feature) => {
    if (feature) selectPoint(feature.properties.id, { latlng: featureLatLng(feature), focus: true });
  },
  onMessage: announce,
  onError: showError,
});
new SearchBox(config, {
  onGo: (result) => {
    if (result.bbox && result.bbox.length === 4) {
      const [west, south, east, north] = result.bbox;
      map.fitBounds(
        [
          [south, west],
          [north, east],
        ],
        { maxZoom: 14 },
      );
    } else {
      map.setView([result.lat, result.lon], Math.max(map.getZoom(), resultZoom(result)));
    }
    if (result.type === "service_point" && result.id) selectPoint(result.id);
  },
  onMessage: announce,
  onError: showError,
});

// The skip link goes to the list, opening its tab when another one is open.
document.querySelector('.skip-inline[href="#panel-list"]').addEventListener("click", (event) => {
  event.preventDefault();
  panels.open("list", { focus: true });
});

// Map events: moves go into the address bar (replacing the entry); clicks select.

function recordView() {
  const centre = map.getCenter();
  store.update(
    { view: { lat: centre.lat, lon: centre.lng, zoom: map.getZoom() } },
    { history: "replace" },
  );
}
map.on("moveend", () => {
  recordView();
  updateDrawn();
});

map.on("click", (event) => {
  const hit = map.hasLayer(points) ? points.hitTest(event.latlng) : null;
  if (hit && hit.count > 1) {
    map.setView(hit.latlng, Math.min(map.getZoom() + 2, config.limits.max_zoom));
  } else if (hit) {
    selectPoint(hit.properties.id);
  } else if (store.state.panel === "near") {
    near.setOrigin(event.latlng.lng, event.latlng.lat);
  } else if (store.state.panel === "whatif") {
    whatIf.addSite(event.latlng.lng, event.latlng.lat);
  }
});

const tooltip = L.tooltip({ direction: "top", offset: [0, -8], className: "point-tooltip" });
let hoverFrame = null;
map.on("mousemove", (event) => {
  if (hoverFrame) return;
  hoverFrame = window.requestAnimationFrame(() => {
    hoverFrame = null;
    const hit = map.hasLayer(points) ? points.hitTest(event.latlng) : null;
    mapElement.classList.toggle("over-point", Boolean(hit));
    if (!hit) {
      map.closeTooltip(tooltip);
      return;
    }
    tooltip
      .setLatLng(hit.latlng)
      .setContent(
        hit.count > 1
          ? interpolate(gettext("%(count)s points: select to zoom in"), {
              count: formatNumber(hit.count),
            })
          : hit.properties.name || "",
      );
    map.openTooltip(tooltip);
  });
});
map.on("mouseout", () => map.closeTooltip(tooltip));

// Loading what the view shows: the list (its count is announced), the summary when open, the
// export links. Moves come in bursts: wait for the map to settle.

let refreshTimer = null;
function refreshView({ delay = 200 } = {}) {
  window.clearTimeout(refreshTimer);
  refreshTimer = window.setTimeout(async () => {
    const state = store.state;
    const bbox = bboxOf(map.getBounds());
    exportsLinks.update(state, bbox);
    const tasks = [list.refresh(state, bbox)];
    if (state.panel === "summary") tasks.push(summary.refresh(state, bbox));
    if (state.panel === "areas") tasks.push(areaTable.refresh(state, bbox));
    const results = await Promise.all(tasks);
    if (results.every((result) => result !== null)) clearError();
  }, delay);
}

function updateLanguageSwitch(state) {
  const next = document.querySelector('.language-switch input[name="next"]');
  if (next) next.value = `${config.urls.other_language_page}?${serialize(state, config)}`;
}

/** The header's link to the dashboard carries the map's filters (an emptied group too: the
 * dashboard then counts nothing, as the map draws nothing). */
function updateDashboardLink(state) {
  const link = document.querySelector("a[data-keeps-filters]");
  if (!link) return;
  const params = new URLSearchParams();
  for (const name of LIST_FILTERS) {
    if (state.filters[name] !== null) params.set(name, state.filters[name].join(","));
  }
  for (const name of FLAG_FILTERS) {
    if (state.filters[name]) params.set(name, "true");
  }
  const query = params.toString();
  link.href = `${link.pathname}${query ? `?${query}` : ""}`;
}

store.subscribe((state, changed, source) => {
  if (changed.has("view") && source === "history") placeMap(state.view);
  if (changed.has("filters")) points.setQuery(filterQuery(state));
  if (changed.has("layers") || changed.has("base")) applyLayers(state.layers, basemapOf(state));
  if (changed.has("point")) {
    list.markSelected(state.point);
    if (!state.point) showSelection(null);
    details.show(state.point, { focus: focusDetails });
    focusDetails = false;
  }
  if (changed.has("filters") || changed.has("near")) near.refresh(state);
  if (["view", "filters", "sort", "page"].some((key) => changed.has(key))) {
    refreshView({ delay: changed.has("view") ? 250 : 0 });
  } else if (changed.has("panel") && state.panel === "summary") {
    summary.refresh(state, bboxOf(map.getBounds()));
  } else if (state.panel === "areas" && AREA_KEYS.some((key) => changed.has(key))) {
    areaTable.refresh(state, bboxOf(map.getBounds()));
  }
  updateLanguageSwitch(state);
  updateDashboardLink(state);
});

// First draw, from the address; the view it opened on goes into the address at once, so a
// link copied before any move opens the same place.
recordView();

applyLayers(store.state.layers, basemapOf(store.state));
if (store.state.point) details.show(store.state.point);
near.refresh(store.state);
refreshView({ delay: 0 });
updateLanguageSwitch(store.state);
updateDashboardLink(store.state);

// For the browser tests and for measuring: the map, its point layer and the state.
window.serviceNetworkMap = { map, points, store, choropleth, whatIf };
