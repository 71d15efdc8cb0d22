// The "Areas" panel: a sortable, paged table of the census areas in view with the value of one
// indicator, and links to the whole table as CSV or Excel with the same parameters.
//
// The layer state is the choropleth's (state.js: `layer`, `layer_year`, `layer_level`).
// Without a `layer_level` the level follows the zoom: the finest level whose `min_zoom` is at
// or below the map's zoom, among the levels that have areas. Without a `layer` the panel's own
// choice of indicator (`areas_indicator`) is used, the first of the catalogue by default.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { formatNumber, gettext, interpolate, language, ngettext } from "./i18n.js";

const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const FORMATS = {
  dollars: new Intl.NumberFormat(locale, { style: "currency", currency: "CAD", maximumFractionDigits: 0 }),
  // Percentages are stored as such (12.3 for 12.3 %); Intl's percent style multiplies by 100.
  percent: new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 1 }),
  other: new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }),
};

/** A value as the table shows it, in the page's language. */
export function formatValue(value, unit) {
  if (unit === "dollars") return FORMATS.dollars.format(value);
  if (unit === "percent") return FORMATS.percent.format(value / 100);
  return FORMATS.other.format(value);
}

/** The level the table shows: the state's, or the finest drawn at `zoom` (levels coarse to fine). */
export function levelFor(state, levels, zoom) {
  if (!levels.length) return null;
  const chosen = levels.find((level) => level.code === state.choropleth?.level);
  if (chosen) return chosen;
  const drawn = levels.filter((level) => level.min_zoom <= zoom);
  return drawn.length ? drawn[drawn.length - 1] : levels[0];
}

export class AreaTable {
  constructor(store, config, { onError }) {
    this.store = store;
    this.config = config.areas_table;
    this.pageSize = config.limits.page_size;
    this.onError = onError;
    this.select = document.getElementById("areas-indicator");
    this.table = document.getElementById("areas-table");
    this.body = this.table.tBodies[0];
    this.valueHeading = document.getElementById("areas-value-heading");
    this.about = document.getElementById("areas-about");
    this.count = document.getElementById("areas-count");
    this.position = document.getElementById("areas-page-position");
    this.previous = document.getElementById("areas-page-previous");
    this.next = document.getElementById("areas-page-next");
    this.csv = document.getElementById("areas-export-csv");
    this.xlsx = document.getElementById("areas-export-xlsx");
    this.signal = latestOnly();

    this.select.addEventListener("change", () => {
      const code = this.select.value;
      const areas = { ...this.store.state.areas, page: 1 };
      // A chosen layer follows the table's choice (the bivariate view becomes that indicator's
      // choropleth); otherwise the table keeps its own.
      const { choropleth } = this.store.state;
      if (choropleth.indicator) this.store.update({ choropleth: { ...choropleth, indicator: code, year: null, view: "choropleth" }, areas });
      else this.store.update({ areas: { ...areas, indicator: code } });
    });
    this.table.querySelectorAll("th[data-sort] button").forEach((button) => {
      button.addEventListener("click", () => {
        const column = button.parentElement.dataset.sort;
        const current = this.store.state.areas.sort;
        // A second press on the sorted column reverses the order.
        const sort = current === column ? `-${column}` : column;
        this.store.update({ areas: { ...this.store.state.areas, sort, page: 1 } });
      });
    });
    this.previous.addEventListener("click", () => this.goTo(this.store.state.areas.page - 1));
    this.next.addEventListener("click", () => this.goTo(this.store.state.areas.page + 1));
  }

  goTo(page, history = "push") {
    this.store.update({ areas: { ...this.store.state.areas, page: Math.max(1, page) } }, { history });
  }

  indicatorOf(state) {
    const codes = this.config.indicators.map((item) => item.code);
    if (codes.includes(state.choropleth?.indicator)) return state.choropleth.indicator;
    if (codes.includes(state.areas.indicator)) return state.areas.indicator;
    return codes[0] || null;
  }

  /** The API's query for a state and a box (without paging), or null without any level. */
  query(state, bbox) {
    const level = levelFor(state, this.config.levels, state.view ? state.view.zoom : 0);
    if (!level) return null;
    const params = new URLSearchParams({ level: level.code, bbox });
    if (state.choropleth?.year) params.set("year", String(state.choropleth.year));
    const indicator = this.indicatorOf(state);
    if (indicator) params.set("indicator", indicator);
    // Without an indicator there is no value column to sort by.
    const sort = indicator || !state.areas.sort.endsWith("value") ? state.areas.sort : "name";
    params.set("sort", sort);
    return params;
  }

  /** Load the page of areas in `bbox` for the state; the export links follow. */
  async refresh(state, bbox) {
    const indicator = this.indicatorOf(state);
    if (indicator) this.select.value = indicator;
    const query = this.query(state, bbox);
    this.renderSort(query ? query.get("sort") : "name");
    this.updateExports(query);
    if (!query) {
      this.renderEmpty(gettext("No census areas are loaded."));
      return 0;
    }
    const page = new URLSearchParams(query);
    page.set("page", String(state.areas.page));
    page.set("page_size", String(this.pageSize));
    this.table.setAttribute("aria-busy", "true");
    try {
      const data = await getJSON(urlWith(this.config.urls.list, {}, page), { signal: this.signal() });
      const pages = Math.max(1, Math.ceil(data.total / this.pageSize));
      if (state.areas.page > pages) {
        // The view shrank the table: go to its last page.
        this.goTo(pages, "replace");
        return data.total;
      }
      this.render(data, state);
      return data.total;
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
      return null;
    } finally {
      this.table.removeAttribute("aria-busy");
    }
  }

  updateExports(query) {
    for (const [link, url] of [
      [this.csv, this.config.urls.export_csv],
      [this.xlsx, this.config.urls.export_xlsx],
    ]) {
      if (query) {
        link.href = urlWith(url, {}, query);
        link.removeAttribute("aria-disabled");
      } else {
        link.removeAttribute("href");
        link.setAttribute("aria-disabled", "true");
      }
    }
  }

  renderSort(sort) {
    const column = sort.replace(/^-/, "");
    this.table.querySelectorAll("th[data-sort]").forEach((th) => {
      if (th.dataset.sort === column) {
        th.setAttribute("aria-sort", sort.startsWith("-") ? "descending" : "ascending");
      } else {
        th.removeAttribute("aria-sort");
      }
    });
  }

  renderEmpty(message) {
    this.body.replaceChildren(h("tr", {}, h("td", { colspan: 3, class: "empty" }, message)));
    this.about.textContent = "";
    this.count.textContent = "";
    this.position.textContent = "";
    this.previous.disabled = true;
    this.next.disabled = true;
  }

  render(data, state) {
    const focused = document.activeElement;
    const column = data.indicators[0] || null;
    this.valueHeading.textContent = column
      ? interpolate(gettext("%(indicator)s (%(year)s)"), {
          indicator: column.name,
          year: column.year ?? "—",
        })
      : gettext("Value");
    this.about.textContent = data.year
      ? interpolate(gettext("%(level)s, census of %(year)s"), { level: data.level.name, year: data.year })
      : data.level.name;
    const rows = data.areas.map((area) => this.row(area, column));
    this.body.replaceChildren(...rows);
    if (!rows.length) {
      this.body.append(h("tr", {}, h("td", { colspan: 3, class: "empty" }, gettext("No census area in view."))));
    }
    const total = data.total;
    const pages = Math.max(1, Math.ceil(total / this.pageSize));
    const first = total ? (state.areas.page - 1) * this.pageSize + 1 : 0;
    const last = Math.min(total, state.areas.page * this.pageSize);
    this.count.textContent = total
      ? interpolate(
          ngettext(
            "%(first)s–%(last)s of %(total)s area in view",
            "%(first)s–%(last)s of %(total)s areas in view",
            total,
          ),
          { first: formatNumber(first), last: formatNumber(last), total: formatNumber(total) },
        )
      : "";
    this.position.textContent = interpolate(gettext("Page %(page)s of %(pages)s"), {
      page: formatNumber(state.areas.page),
      pages: formatNumber(pages),
    });
    this.previous.disabled = state.areas.page <= 1;
    this.next.disabled = state.areas.page >= pages;
    // A disabled pager button loses the focus: keep it in the pager.
    if (focused && focused.disabled) (focused === this.next ? this.previous : this.next).focus();
  }

  row(area, column) {
    const value = column ? area.values[column.code] : null;
    let cell;
    if (!value) cell = h("td", { class: "num" });
    else if (value.value === null) cell = h("td", { class: "num not-available" }, value.status_label);
    else cell = h("td", { class: "num" }, formatValue(value.value, column.unit));
    return h("tr", { dataset: { id: area.id } }, h("th", { scope: "row" }, area.name), h("td", {}, area.code), cell);
  }
}
