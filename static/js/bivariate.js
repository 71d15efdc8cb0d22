// The bivariate view of the layer panel: digital vulnerability × distance to the nearest
// in-person service point (state.js: `layer_view=bivariate`), drawn by the choropleth's own
// canvas area layer (layers.js owns the tiles, the hover and the list of areas in view).
//
// The classes come from /api/layers/bivariate/ (terciles of each among the areas that have
// both an index and a distance; docs/digital-vulnerability.md), asked with the map's point
// filters, so a change of filters redraws it. The level and year are the choropleth's (fixed,
// or by zoom). The legend is one real table (rows: vulnerability low to high; columns:
// distance near to far; each cell its class code and number of areas, the axes their tercile
// limits), the "vulnerable and far" corner (C3) said in words, and the level's summary of the
// index from /api/layers/vulnerability/: how many areas have one, and why the others do not.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { formatNumber, gettext, interpolate, language, ngettext } from "./i18n.js";
import { BIVARIATE } from "./palettes.js";
import { filterQuery } from "./state.js";

const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const INDEX_FORMAT = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const KM_FORMAT = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
const PERCENT = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
const LETTERS = ["A", "B", "C"];

export const formatIndex = (value) => INDEX_FORMAT.format(value);
const formatKm = (value) => interpolate(gettext("%(distance)s km"), { distance: KM_FORMAT.format(value) });

/** The API's query for a state and a resolved layer, or null when the filters match nothing. */
export function bivariateQuery(state, resolved) {
  const filters = filterQuery(state);
  if (!filters) return null;
  const query = new URLSearchParams({ level: resolved.level.code, year: String(resolved.year) });
  // `level` is the area level here: the points' level of government is `point_level`.
  for (const [name, value] of filters) query.set(name === "level" ? "point_level" : name, value);
  return query;
}

function vulnerabilityMeaning(letter) {
  return [gettext("low vulnerability"), gettext("middle vulnerability"), gettext("high vulnerability")][LETTERS.indexOf(letter)];
}

function distanceMeaning(digit) {
  return [gettext("near"), gettext("middle distance"), gettext("far")][Number(digit) - 1];
}

/** "C3 (high vulnerability, far)". */
export function classLabel(code) {
  return interpolate(gettext("%(code)s (%(vulnerability)s, %(distance)s)"), {
    code,
    vulnerability: vulnerabilityMeaning(code[0]),
    distance: distanceMeaning(code[1]),
  });
}

/** The axis headings: [low, middle, high] with their limits (`format` for the values). */
function terciles(breaks, names, format) {
  const [first, second] = breaks || [];
  if (first === null || first === undefined || second === null || second === undefined) return names;
  return [
    interpolate(gettext("%(name)s: up to %(limit)s"), { name: names[0], limit: format(first) }),
    interpolate(gettext("%(name)s: %(lower)s to %(upper)s"), { name: names[1], lower: format(first), upper: format(second) }),
    interpolate(gettext("%(name)s: over %(limit)s"), { name: names[2], limit: format(second) }),
  ];
}

export class BivariateView {
  /** `owner`: the Choropleth (its store, map, area layer, fills and list). */
  constructor(owner, config) {
    this.owner = owner;
    this.urls = config.urls;
    this.signal = latestOnly();
    this.cache = new Map();
    this.payload = null;
    this.summary = null;
    this.byId = new Map();
  }

  async fetchCached(url, signal) {
    if (!this.cache.has(url)) {
      const data = await getJSON(url, { signal });
      if (this.cache.size > 40) this.cache.clear();
      this.cache.set(url, data);
    }
    return this.cache.get(url);
  }

  /** Fetch and draw the view for a resolved choice (see Choropleth.resolve). */
  async refresh(choice, resolved) {
    const o = this.owner;
    const query = bivariateQuery(o.store.state, resolved);
    const key = `bivariate|${resolved.level.code}|${resolved.year}|${query ? query.toString() : "nothing"}`;
    const source = { level: resolved.level.code, year: resolved.areaYear, overview: resolved.overview };
    if (key === o.key && JSON.stringify(source) === JSON.stringify(o.source) && o.map.hasLayer(o.layer)) {
      o.scheduleList();
      return;
    }
    const signal = this.signal();
    const about = new URLSearchParams({ level: resolved.level.code, year: String(resolved.year) });
    let payload = null;
    let summary = null;
    try {
      [payload, summary] = await Promise.all([
        query ? this.fetchCached(urlWith(this.urls.layer_bivariate, {}, query), signal) : null,
        this.fetchCached(urlWith(this.urls.layer_vulnerability, {}, about), signal),
      ]);
    } catch (error) {
      if (!isAbort(error)) o.onError(error);
      return;
    }
    if (signal.aborted) return; // a newer choice or filter is on its way
    this.payload = payload;
    this.summary = summary;
    this.resolved = resolved;
    this.byId = new Map((payload?.areas || []).map((area) => [area.id, area]));
    o.fills = new Map((payload?.areas || []).filter((area) => area.class).map((area) => [area.id, BIVARIATE[area.class]]));
    o.byId = new Map([...this.byId].map(([id, area]) => [id, { ...area, name: this.nameOf(area) }]));
    o.values = payload || { areas: [] };
    o.key = key;
    o.source = source;
    this.renderLegend(resolved);
    o.layer.setSource(source);
    if (!o.map.hasLayer(o.layer)) o.layer.addTo(o.map);
    o.layer.repaint();
    if (!o.layer.isLoading()) o.drawn();
  }

  clear() {
    this.signal(); // abort what is under way
    this.payload = null;
    this.summary = null;
    this.byId = new Map();
    const box = document.getElementById("bivariate-legend");
    box.replaceChildren();
    box.hidden = true;
  }

  nameOf(area) {
    return (language.startsWith("fr") ? area.name_fr || area.name_en : area.name_en || area.name_fr) || area.code;
  }

  /** What hover and keyboard focus say about an area: name, index, distance, class. */
  describe(id) {
    const area = this.byId.get(id);
    if (!area) {
      const name = this.owner.byId?.get(id)?.name;
      if (!this.payload && name) return interpolate(gettext("%(name)s: not available (no service point matches the filters)"), { name });
      return name || "";
    }
    const name = this.nameOf(area);
    const index = area.dvi === null ? gettext("no index") : interpolate(gettext("index %(value)s"), { value: formatIndex(area.dvi) });
    const distance = area.distance_km === null
      ? gettext("no in-person point matches the filters")
      : interpolate(gettext("%(distance)s to the nearest in-person point"), { distance: formatKm(area.distance_km) });
    const klass = area.class ? interpolate(gettext("class %(class)s"), { class: classLabel(area.class) }) : gettext("not available");
    return interpolate(gettext("%(name)s: %(index)s, %(distance)s, %(class)s"), { name, index, distance, class: klass });
  }

  // The legend.

  renderLegend(resolved) {
    const box = document.getElementById("bivariate-legend");
    box.hidden = false;
    const payload = this.payload;
    const caption = interpolate(gettext("Digital vulnerability × distance to the nearest in-person point, %(level)s, %(year)s"), {
      level: resolved.level.name,
      year: resolved.year,
    });
    const children = [];
    if (!payload) {
      children.push(h("p", { class: "bivariate-caption" }, caption));
      children.push(h("p", { class: "help", id: "bivariate-nothing" }, gettext("No service point matches the filters: there is no distance to measure, and every area is drawn hatched as not available.")));
    } else {
      children.push(this.table(payload, caption));
      children.push(this.corner(payload));
      children.push(this.notAvailable(payload));
    }
    children.push(...this.indexSummary());
    children.push(h("p", { class: "help" }, gettext("Terciles among the areas that have both an index and a distance. Distance: in a straight line, from a point inside each area to the nearest open in-person point that matches the filters (counters, outreach, mobile, passport, postal, business, training and partner sites; not kiosks, call or processing centres).")));
    box.replaceChildren(...children);
  }

  table(payload, caption) {
    const vulnerability = terciles(payload.breaks.dvi, [gettext("Low"), gettext("Middle"), gettext("High")], formatIndex);
    const distance = terciles(payload.breaks.distance_km, [gettext("Near"), gettext("Middle"), gettext("Far")], formatKm);
    const cell = (code) => {
      const count = payload.counts[code];
      return h("td", { dataset: { class: code }, class: code === "C3" ? "corner" : null },
        h("span", { class: "choropleth-swatch", style: null, dataset: { colour: BIVARIATE[code] } }),
        h("span", { class: "bivariate-code" }, code), " ",
        h("span", { class: "bivariate-count" }, formatNumber(count)),
        h("span", { class: "visually-hidden" }, ` ${ngettext("area", "areas", count)}`));
    };
    const rows = LETTERS.map((letter, row) =>
      h("tr", {},
        h("th", { scope: "row" }, vulnerability[row]),
        ...["1", "2", "3"].map((digit) => cell(letter + digit))));
    const table = h("table", { class: "bivariate-legend", id: "bivariate-table" },
      h("caption", {}, caption),
      h("thead", {},
        h("tr", {},
          h("td", {}),
          h("th", { scope: "colgroup", colspan: "3" }, gettext("Distance to the nearest in-person point (near to far)"))),
        h("tr", {},
          h("th", { scope: "col" }, gettext("Vulnerability index (low to high)")),
          ...distance.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, rows));
    // Colours set after creation: the page's CSP allows no inline style attribute.
    for (const swatch of table.querySelectorAll("[data-colour]")) swatch.style.backgroundColor = swatch.dataset.colour;
    return table;
  }

  corner(payload) {
    const count = payload.counts.C3;
    return h("p", { class: "bivariate-corner", id: "bivariate-corner" },
      h("strong", {}, gettext("C3, vulnerable and far:")), " ",
      interpolate(ngettext(
        "%(count)s area is in both the most vulnerable third and the third farthest from an in-person point (outlined in the table).",
        "%(count)s areas are in both the most vulnerable third and the third farthest from an in-person point (outlined in the table).",
        count), { count: formatNumber(count) }));
  }

  notAvailable(payload) {
    const text = interpolate(ngettext(
      "Not available (hatched): %(count)s area, never coloured as a class",
      "Not available (hatched): %(count)s areas, never coloured as a class",
      payload.unclassified), { count: formatNumber(payload.unclassified) });
    const reasons = [];
    if (payload.without_index) reasons.push(interpolate(ngettext("%(count)s without an index", "%(count)s without an index", payload.without_index), { count: formatNumber(payload.without_index) }));
    if (payload.without_point) reasons.push(interpolate(ngettext("%(count)s without an in-person point that matches the filters", "%(count)s without an in-person point that matches the filters", payload.without_point), { count: formatNumber(payload.without_point) }));
    return h("p", { class: "bivariate-na", id: "bivariate-na" },
      h("span", { class: "choropleth-swatch not-available" }), " ",
      reasons.length ? interpolate(gettext("%(text)s: %(reasons)s."), { text, reasons: reasons.join(gettext("; ")) }) : `${text}.`);
  }

  /** How many areas of the level have an index, and why the others do not, in words. */
  indexSummary() {
    const s = this.summary;
    if (!s) return [];
    const lines = [
      interpolate(ngettext(
        "%(with)s of %(count)s area has a vulnerability index (%(computed)s computed, %(imported)s imported).",
        "%(with)s of %(count)s areas have a vulnerability index (%(computed)s computed, %(imported)s imported).",
        s.areas), { with: formatNumber(s.with_index), count: formatNumber(s.areas), computed: formatNumber(s.computed), imported: formatNumber(s.imported) }),
    ];
    const na = s.not_available;
    const definition = s.definition;
    if (na.too_few_components && definition) {
      const present = definition.components.filter((item) => item.areas_with_value > 0);
      const share = present.reduce((sum, item) => sum + item.weight, 0) / (definition.total_weight || 1);
      lines.push(interpolate(ngettext(
        "%(count)s area has too few components: an index needs components carrying %(needed)s of the weight, and at this level only %(present)s (%(share)s of the weight at most) have values.",
        "%(count)s areas have too few components: an index needs components carrying %(needed)s of the weight, and at this level only %(present)s (%(share)s of the weight at most) have values.",
        na.too_few_components), {
        count: formatNumber(na.too_few_components),
        needed: PERCENT.format(definition.min_weight_share),
        present: present.length ? present.map((item) => item.name).join(gettext(", ")) : gettext("none of them"),
        share: PERCENT.format(share),
      }));
    }
    if (na.not_computed) lines.push(interpolate(ngettext("%(count)s area has no index computed or imported.", "%(count)s areas have no index computed or imported.", na.not_computed), { count: formatNumber(na.not_computed) }));
    if (na.imported_not_available) lines.push(interpolate(ngettext("%(count)s area has an index imported as not available.", "%(count)s areas have an index imported as not available.", na.imported_not_available), { count: formatNumber(na.imported_not_available) }));
    const items = definition
      ? definition.components.map((item) => h("li", {}, interpolate(ngettext(
        "%(name)s: weight %(weight)s, %(count)s area with a value",
        "%(name)s: weight %(weight)s, %(count)s areas with a value",
        item.areas_with_value), { name: item.name, weight: formatNumber(item.weight), count: formatNumber(item.areas_with_value) })))
      : [];
    return [
      h("div", { class: "bivariate-summary", id: "bivariate-summary" },
        ...lines.map((line) => h("p", {}, line)),
        items.length ? h("p", {}, interpolate(gettext("Components of the index (definition “%(name)s”, %(method)s):"), { name: definition.name, method: definition.method_label })) : null,
        items.length ? h("ul", { class: "bivariate-components" }, items) : null),
    ];
  }
}
