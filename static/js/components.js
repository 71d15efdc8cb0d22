// Each component of the digital vulnerability index, for the area hovered, focused (the
// "Areas in view" list) or clicked: the box under the layer panel's legend, shown in the
// bivariate view and in the choropleth of the index.
//
// /api/layers/vulnerability/?level&year&area=CODE gives the area's index (computed or
// imported, the share of the weight present) and each component's raw value, score and
// weight; answers are kept per area, and the hover waits for the pointer to rest.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { formatNumber, gettext, interpolate, language } from "./i18n.js";
import { formatIndex } from "./bivariate.js";

const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const PERCENT = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
const SCORE = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2, signDisplay: "exceptZero" });
const HOVER_DELAY = 250;

function statusText(status) {
  if (status === "x") return gettext("suppressed (confidentiality)");
  if (status === "F") return gettext("too unreliable to be published");
  return gettext("not available");
}

export class IndexComponents {
  /** `formatValue(value, unit)`: the choropleth's formatting of a value in its unit. */
  constructor(config, { formatValue, onError }) {
    this.url = config.urls.layer_vulnerability;
    this.formatValue = formatValue;
    this.onError = onError;
    this.box = document.getElementById("layer-components");
    this.signal = latestOnly();
    this.cache = new Map();
    this.shown = null;
    this.timer = null;
  }

  /** Show the components of `area` ({code}) of `level` and `year`; `wait`: a hover. */
  show(level, year, area, { wait = false } = {}) {
    window.clearTimeout(this.timer);
    if (!area || !area.code) return;
    const query = new URLSearchParams({ level, year: String(year), area: area.code });
    const url = urlWith(this.url, {}, query);
    if (url === this.shown) return;
    if (wait) this.timer = window.setTimeout(() => this.load(url), HOVER_DELAY);
    else this.load(url);
  }

  async load(url) {
    this.shown = url;
    let detail = this.cache.get(url);
    if (!detail) {
      try {
        detail = await getJSON(url, { signal: this.signal() });
      } catch (error) {
        if (!isAbort(error)) this.onError(error);
        return;
      }
      if (this.cache.size > 200) this.cache.clear();
      this.cache.set(url, detail);
    }
    if (this.shown === url) this.render(detail);
  }

  hide() {
    window.clearTimeout(this.timer);
    this.signal();
    this.shown = null;
    this.box.hidden = true;
    this.box.replaceChildren();
  }

  origin(detail) {
    const { index, definition } = detail;
    const name = definition ? definition.name : "";
    if (index.origin === "imported") {
      return definition
        ? interpolate(gettext("Imported as it was published, not computed here. The components of the definition “%(name)s” are shown for reference: they are not what the imported value is made of."), { name })
        : gettext("Imported as it was published, not computed here.");
    }
    if (index.origin === "none") return gettext("No index was computed or imported for this area.");
    const share = definition.weight_share === null ? "" : PERCENT.format(definition.weight_share);
    if (index.value === null) {
      return interpolate(gettext("Computed by the definition “%(name)s” (%(method)s), but not available: the components present carry %(share)s of the weight, and %(needed)s is needed."), {
        name, method: definition.method_label, share, needed: PERCENT.format(definition.min_weight_share),
      });
    }
    return interpolate(gettext("Computed by the definition “%(name)s” (%(method)s): the weighted mean of the scores present, which carry %(share)s of the weight."), {
      name, method: definition.method_label, share,
    });
  }

  render(detail) {
    const { index } = detail;
    const value = index.value === null ? statusText(index.status) : formatIndex(index.value);
    const total = detail.components.reduce((sum, item) => sum + item.weight, 0) || 1;
    const rows = detail.components.map((item) =>
      h("tr", { dataset: { component: item.code } },
        h("th", { scope: "row" }, item.name,
          item.direction === -1 ? h("span", { class: "help" }, ` ${gettext("(lower values are more vulnerable)")}`) : null),
        h("td", { class: "number" }, item.value === null ? statusText(item.status) : this.formatValue(item.value, item.unit)),
        h("td", { class: "number" }, item.score === null ? gettext("none") : SCORE.format(item.score)),
        h("td", { class: "number" }, interpolate(gettext("%(weight)s (%(share)s)"), {
          weight: formatNumber(item.weight), share: PERCENT.format(item.weight / total),
        }))));
    this.box.replaceChildren(
      h("h2", { id: "layer-components-title" }, interpolate(gettext("Vulnerability index of %(name)s: %(value)s"), { name: detail.area.name, value })),
      h("p", { class: "help", id: "layer-components-origin" }, this.origin(detail)),
      rows.length
        ? h("table", { class: "choropleth-legend components-table" },
          h("caption", {}, interpolate(gettext("Components of the index, %(year)s"), { year: detail.year })),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, gettext("Component")),
            h("th", { scope: "col", class: "number" }, gettext("Value")),
            h("th", { scope: "col", class: "number" }, gettext("Score")),
            h("th", { scope: "col", class: "number" }, gettext("Weight")))),
          h("tbody", {}, rows))
        : null,
      rows.length ? h("p", { class: "help" }, gettext("Score: the component normalised over the level's areas (z-score: standard deviations from the mean; min-max: 0 to 1), oriented so that higher is more vulnerable. A component without a value is left out of the mean, never read as 0.")) : null,
    );
    this.box.hidden = false;
  }
}
