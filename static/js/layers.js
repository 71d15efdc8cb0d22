// The choropleth of a census indicator: the "Census indicator" controls of the side panel, the
// area layer (area_tiles.js) filled by class, its legend, and the areas in view for the
// keyboard.
//
// The panel's "View" switches to the bivariate view (bivariate.js: vulnerability × distance to
// the nearest in-person point, `layer_view=bivariate`), drawn on the same area layer; in it,
// and in the choropleth of the vulnerability index, the area hovered, focused or clicked shows
// each component of its index (components.js).
//
// The choice lives in the page's state (state.js: layer, layer_year, layer_level, layer_class,
// layer_k, layer_palette), so links and Back/Forward restore it. The catalogue
// (/api/layers/indicators/) says which years and levels have values; the values API gives
// each area's class (computed on the server over the available values only), the class
// bounds and counts. The level is fixed, or chosen by zoom: the finest level with values whose
// minimum zoom the map has reached, else the coarsest, drawn as an overview.
//
// Keyboard and screen readers: every control is a native select; the "Areas in view" list
// holds one button per area of the tiles in view (by name, the first 100): focusing one, or
// hovering an area on the map, outlines it and writes its name and value in a polite live
// region.

import * as L from "leaflet";
import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { formatNumber, gettext, interpolate, language, ngettext } from "./i18n.js";
import { AreaTiles } from "./area_tiles.js";
import { BivariateView } from "./bivariate.js";
import { IndexComponents } from "./components.js";
import { coloursOf } from "./palettes.js";
import { BIVARIATE_INDICATOR, DEFAULT_CHOROPLETH } from "./state.js";

const MAX_LISTED = 100;
const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const FORMATS = {
  count: new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }),
  percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }),
  dollars: new Intl.NumberFormat(locale, { style: "currency", currency: "CAD", maximumFractionDigits: 0 }),
  other: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }),
};

/** A value in the indicator's unit, in the page's language. */
export function formatValue(value, unit) {
  if (value === null || value === undefined) return gettext("not available");
  if (unit === "percent") return FORMATS.percent.format(value / 100);
  if (unit === "density") return interpolate(gettext("%(value)s per km²"), { value: FORMATS.other.format(value) });
  return (FORMATS[unit] || FORMATS.other).format(value);
}

function statusLabel(status) {
  if (status === "x") return gettext("suppressed (confidentiality)");
  if (status === "F") return gettext("too unreliable to be published");
  return gettext("not available");
}

export class Choropleth {
  /** `pointHit(latlng)`: whether a service point is under the pointer (it wins the hover). */
  constructor(store, config, map, { onError, pointHit }) {
    this.store = store;
    this.config = config;
    this.map = map;
    this.onError = onError;
    this.pointHit = pointHit;
    this.form = document.getElementById("choropleth-form");
    this.controls = this.form.elements;
    this.info = document.getElementById("layer-info");
    this.catalogue = null;
    this.values = null; // the values payload drawn
    this.fills = new Map();
    this.cache = new Map();
    this.signal = latestOnly();
    this.key = "";
    this.source = null;
    map.createPane("areas").style.zIndex = "300";
    this.layer = new AreaTiles(config.urls.area_tiles, (id) => this.fills.get(id) ?? null);
    this.layer.on("load", () => this.drawn());
    this.layer.on("tileerror", (event) => onError(event.error || new Error(gettext("Some areas could not be drawn."))));
    this.bivariate = new BivariateView(this, config);
    this.components = new IndexComponents(config, { formatValue, onError });
    this.form.addEventListener("submit", (event) => event.preventDefault());
    this.form.addEventListener("change", (event) => this.apply(event.target));
    this.bindHover();
    this.bindList();
    this.bindClick();
    store.subscribe((state, changed) => {
      if (changed.has("choropleth")) this.refresh();
      // The bivariate view's distances are to the points the filters select.
      else if (changed.has("filters") && state.choropleth.view === "bivariate") this.refresh();
      else if (changed.has("view") && state.choropleth.indicator) {
        if (!state.choropleth.level) this.refresh();
        else this.scheduleList();
      }
    });
    getJSON(config.urls.indicators)
      .then((catalogue) => {
        this.catalogue = catalogue;
        this.fillIndicators();
        this.refresh();
      })
      .catch((error) => onError(error));
  }

  // Reading and showing the controls.

  apply(target) {
    const c = this.controls;
    const previous = this.store.state.choropleth;
    const next = {
      indicator: c.layer.value || null,
      year: Number.parseInt(c.layer_year.value, 10) || null,
      level: c.layer_level.value || null,
      classification: c.layer_class.value,
      k: Number.parseInt(c.layer_k.value, 10) || DEFAULT_CHOROPLETH.k,
      palette: c.layer_palette.value,
      view: c.layer_view.value === "bivariate" ? "bivariate" : "choropleth",
    };
    // Another indicator starts from its latest year and the automatic level.
    if (target === c.layer) Object.assign(next, { year: null, level: null });
    // The bivariate view is the vulnerability index's: its latest year, the level kept.
    if (target === c.layer_view && next.view === "bivariate") Object.assign(next, { indicator: BIVARIATE_INDICATOR, year: null });
    if (!next.indicator) Object.assign(next, { ...DEFAULT_CHOROPLETH, classification: previous.classification, k: previous.k, palette: previous.palette });
    this.store.update({ choropleth: next });
  }

  fillIndicators() {
    const select = this.controls.layer;
    select.replaceChildren(h("option", { value: "" }, gettext("None")));
    for (const indicator of this.catalogue.indicators) {
      const empty = indicator.years.length === 0;
      const label = empty ? interpolate(gettext("%(name)s (no values loaded)"), { name: indicator.name }) : indicator.name;
      select.append(h("option", { value: indicator.code, disabled: empty }, label));
    }
  }

  indicator(code) {
    return this.catalogue?.indicators.find((item) => item.code === code) || null;
  }

  levelOf(code) {
    return this.catalogue?.levels.find((level) => level.code === code) || null;
  }

  /** What to draw for a state: {indicator, year, levels, level, areaYear, overview} or null. */
  resolve(choice) {
    const indicator = this.indicator(choice.indicator);
    if (!indicator || !indicator.years.length) return null;
    const entry = indicator.years.find((item) => item.year === choice.year) || indicator.years[0];
    const levels = entry.levels
      .map((item) => ({ ...item, ...this.levelOf(item.code) }))
      .sort((a, b) => a.rank - b.rank);
    const zoom = this.map.getZoom();
    let level = levels.find((item) => item.code === choice.level);
    if (!level) level = [...levels].reverse().find((item) => item.min_zoom <= zoom) || levels[0];
    return { indicator, year: entry.year, levels, level, areaYear: level.area_year, overview: zoom < level.min_zoom };
  }

  renderControls(choice, resolved) {
    const c = this.controls;
    const bivariate = choice.view === "bivariate";
    c.layer_view.value = bivariate ? "bivariate" : "choropleth";
    const index = this.indicator(BIVARIATE_INDICATOR);
    const option = c.layer_view.querySelector('option[value="bivariate"]');
    option.disabled = !bivariate && !index?.years.length;
    for (const element of this.form.querySelectorAll(".choropleth-only")) element.hidden = bivariate;
    c.layer.value = resolved ? resolved.indicator.code : "";
    const years = resolved ? resolved.indicator.years.map((item) => item.year) : [];
    c.layer_year.replaceChildren(...years.map((year) => h("option", { value: year }, String(year))));
    if (resolved) c.layer_year.value = String(resolved.year);
    const automatic = resolved && !choice.level ? interpolate(gettext("Automatic, by zoom (now: %(level)s)"), { level: resolved.level.name }) : gettext("Automatic, by zoom");
    c.layer_level.replaceChildren(
      h("option", { value: "" }, automatic),
      ...(resolved ? resolved.levels : []).map((level) => h("option", { value: level.code }, level.name)),
    );
    c.layer_level.value = resolved && choice.level === resolved.level.code ? choice.level : "";
    c.layer_class.value = choice.classification;
    c.layer_k.value = String(choice.k);
    c.layer_palette.value = choice.palette;
    for (const name of ["layer_year", "layer_level", "layer_class", "layer_k", "layer_palette"]) c[name].disabled = !resolved;
    if (bivariate && !resolved) {
      c.layer_year.replaceChildren(h("option", { value: "" }, gettext("No vulnerability index loaded")));
    }
  }

  // Fetching and drawing.

  async refresh() {
    if (!this.catalogue) return;
    const choice = this.store.state.choropleth;
    const bivariate = choice.view === "bivariate";
    const resolved = this.resolve(bivariate ? { ...choice, indicator: BIVARIATE_INDICATOR } : choice);
    this.renderControls(choice, resolved);
    this.mode = bivariate && resolved ? "bivariate" : "choropleth";
    if (!bivariate) this.bivariate.clear();
    if (resolved?.indicator.code !== BIVARIATE_INDICATOR) this.components.hide();
    if (bivariate && resolved) {
      this.renderLegend(null);
      return this.bivariate.refresh(choice, resolved);
    }
    if (!resolved) {
      this.bivariate.clear();
      this.layer.remove();
      this.values = null;
      this.renderLegend(null);
      this.renderList();
      this.key = "";
      delete this.map.getContainer().dataset.choropleth;
      return;
    }
    const query = new URLSearchParams({
      indicator: resolved.indicator.code,
      year: String(resolved.year),
      level: resolved.level.code,
      classification: choice.classification,
      classes: String(choice.k),
    });
    this.exportLinks(query);
    const key = [query.toString(), choice.palette].join("|");
    const source = { level: resolved.level.code, year: resolved.areaYear, overview: resolved.overview };
    if (key === this.key && JSON.stringify(source) === JSON.stringify(this.source) && this.map.hasLayer(this.layer)) {
      this.scheduleList(); // a move that changes nothing drawn
      return;
    }
    let values = this.cache.get(query.toString());
    if (!values) {
      try {
        values = await getJSON(urlWith(this.config.urls.indicator_values, {}, query), { signal: this.signal() });
      } catch (error) {
        if (!isAbort(error)) this.onError(error);
        return;
      }
      this.cache.set(query.toString(), values);
    }
    if (this.store.state.choropleth !== choice) return; // a newer choice is on its way
    const colours = coloursOf(choice.palette, values.classes.length);
    this.fills = new Map(values.areas.filter((area) => area.class !== null).map((area) => [area.id, colours[area.class]]));
    this.byId = new Map(values.areas.map((area) => [area.id, area]));
    this.values = values;
    this.resolvedShown = resolved;
    this.colours = colours;
    this.key = key;
    this.source = source;
    this.renderLegend(values, resolved);
    this.layer.setSource(source);
    if (!this.map.hasLayer(this.layer)) this.layer.addTo(this.map);
    this.layer.repaint();
    if (!this.layer.isLoading()) this.drawn();
  }

  /** Everything in view is painted with the current values: tell the page (tests, benchmark). */
  drawn() {
    if (!this.values || this.layer.isLoading()) return;
    const element = this.map.getContainer();
    element.dataset.choropleth = this.key;
    element.dataset.choroplethDraws = String(Number(element.dataset.choroplethDraws || 0) + 1);
    this.scheduleList();
  }

  exportLinks(query) {
    for (const format of ["csv", "xlsx"]) {
      const link = document.getElementById(`layer-export-${format}`);
      const params = new URLSearchParams(query);
      params.delete("classification");
      params.set("format", format);
      link.href = urlWith(this.config.urls.indicator_values, {}, params);
    }
  }

  // The legend.

  renderLegend(values, resolved) {
    const legend = document.getElementById("layer-legend");
    const source = document.getElementById("layer-source");
    document.getElementById("layer-exports").hidden = !values;
    if (!values) {
      legend.replaceChildren();
      source.replaceChildren();
      return;
    }
    const unit = values.indicator.unit;
    const rows = values.classes.map((entry, index) =>
      h("tr", { dataset: { class: String(index) } },
        h("td", {}, swatch(this.colours[index])),
        h("td", {}, interpolate(gettext("%(lower)s to %(upper)s"), { lower: formatValue(entry.lower, unit), upper: formatValue(entry.upper, unit) })),
        h("td", { class: "number" }, formatNumber(entry.count))),
    );
    rows.push(
      h("tr", { dataset: { class: "na" } },
        h("td", {}, swatch(null)),
        h("td", {}, gettext("Not available")),
        h("td", { class: "number" }, formatNumber(values.not_available))),
    );
    const caption = interpolate(gettext("%(indicator)s, %(year)s, by %(level)s"), {
      indicator: values.indicator.name, year: values.year, level: values.level.name,
    });
    legend.replaceChildren(
      h("table", { class: "choropleth-legend" },
        h("caption", {}, caption),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, gettext("Colour"))),
          h("th", { scope: "col" }, gettext("Values")),
          h("th", { scope: "col", class: "number" }, gettext("Areas")))),
        h("tbody", {}, rows)),
      h("p", { class: "help" }, gettext("Each class includes its upper bound. Not available: no value published (suppressed, unreliable or missing), drawn hatched.")),
    );
    const indicator = resolved.indicator;
    source.replaceChildren(
      gettext("Source:"), " ",
      indicator.source_url ? h("a", { href: indicator.source_url }, indicator.source) : indicator.source,
      indicator.licence ? ` (${indicator.licence})` : "",
    );
  }

  // Hover on the map and the keyboard list.

  describe(id) {
    if (this.mode === "bivariate") return this.bivariate.describe(id);
    const area = this.byId?.get(id);
    if (!area || !this.values) return "";
    const value = area.value === null ? statusLabel(area.status) : formatValue(area.value, this.values.indicator.unit);
    return interpolate(gettext("%(name)s: %(value)s"), { name: area.name, value });
  }

  bindHover() {
    const tooltip = L.tooltip({ direction: "top", offset: [0, -6], className: "area-tooltip" });
    let frame = null;
    this.map.on("mousemove", (event) => {
      if (frame || !this.map.hasLayer(this.layer)) return;
      frame = window.requestAnimationFrame(() => {
        frame = null;
        const hit = this.pointHit(event.latlng) ? null : this.layer.hitTest(event.latlng);
        const id = hit ? hit.id : null;
        if (id === null) this.map.closeTooltip(tooltip);
        else this.map.openTooltip(tooltip.setLatLng(event.latlng).setContent(this.describe(id)));
        if (id === this.layer.highlighted) return;
        this.layer.highlight(id);
        this.info.textContent = id === null ? "" : this.describe(id);
        if (id !== null) this.showComponents(id, { wait: true });
      });
    });
    this.map.on("mouseout", () => {
      this.map.closeTooltip(tooltip);
      this.layer.highlight(null);
      this.info.textContent = "";
    });
  }

  bindList() {
    const list = document.getElementById("layer-areas");
    const show = (event) => {
      const button = event.target.closest("button[data-area]");
      if (!button) return;
      const id = Number(button.dataset.area);
      this.layer.highlight(id);
      this.info.textContent = this.describe(id);
      this.showComponents(id, { wait: event.type === "mouseover" });
    };
    list.addEventListener("focusin", show);
    list.addEventListener("mouseover", show);
    list.addEventListener("focusout", () => this.layer.highlight(null));
    list.addEventListener("keydown", (event) => {
      const step = { ArrowDown: 1, ArrowUp: -1 }[event.key];
      if (!step) return;
      const buttons = [...list.querySelectorAll("button[data-area]")];
      const index = buttons.indexOf(document.activeElement);
      if (index < 0) return;
      event.preventDefault();
      buttons[Math.max(0, Math.min(buttons.length - 1, index + step))].focus();
    });
  }

  /** A click on an area (not on a point) shows its index's components at once. */
  bindClick() {
    this.map.on("click", (event) => {
      if (!this.map.hasLayer(this.layer) || this.pointHit(event.latlng)) return;
      const hit = this.layer.hitTest(event.latlng);
      if (hit) this.showComponents(hit.id);
    });
  }

  /** The components of the index of area `id`, when the layer shows the index. */
  showComponents(id, { wait = false } = {}) {
    const shown = this.mode === "bivariate" ? this.bivariate.resolved : this.resolvedShown;
    if (!shown || shown.indicator.code !== BIVARIATE_INDICATOR) return;
    const area = this.byId?.get(id);
    if (area) this.components.show(shown.level.code, shown.year, area, { wait });
  }

  scheduleList() {
    window.clearTimeout(this.listTimer);
    this.listTimer = window.setTimeout(() => this.renderList(), 150);
  }

  renderList() {
    const list = document.getElementById("layer-areas");
    const count = document.getElementById("layer-areas-count");
    const areas = this.values && this.map.hasLayer(this.layer) ? this.layer.areasInView() : [];
    const named = areas
      .map((area) => ({ id: area.id, name: this.byId.get(area.id)?.name || area.properties.name || "" }))
      .sort((a, b) => a.name.localeCompare(b.name, locale));
    // Keep the focused button if it is still listed (a list rebuilt under focus loses it).
    const focused = list.contains(document.activeElement) ? document.activeElement.dataset.area : null;
    list.replaceChildren(
      ...named.slice(0, MAX_LISTED).map((area) =>
        h("li", {}, h("button", { type: "button", class: "area-item", dataset: { area: String(area.id) } }, this.describe(area.id) || area.name))),
    );
    count.textContent = !this.values
      ? ""
      : named.length > MAX_LISTED
        ? interpolate(gettext("The first %(shown)s of %(count)s areas in view, by name: zoom in to list the others."), { shown: MAX_LISTED, count: formatNumber(named.length) })
        : interpolate(ngettext("%(count)s area in view.", "%(count)s areas in view.", named.length), { count: formatNumber(named.length) });
    if (focused) list.querySelector(`button[data-area="${focused}"]`)?.focus();
  }
}

function swatch(colour) {
  const element = h("span", { class: colour ? "choropleth-swatch" : "choropleth-swatch not-available" });
  if (colour) element.style.backgroundColor = colour;
  return element;
}
