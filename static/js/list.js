// The list of the points in view: a sortable, paged table that follows the map. It is also
// the accessible way to reach every point: each name is a button that opens its details
// and brings it to the middle of the map.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { capfirst, formatNumber, gettext, interpolate, ngettext } from "./i18n.js";
import { filterQuery } from "./state.js";
import { symbolSvg } from "./symbols.js";

export class PointList {
  constructor(store, config, { onSelect, onHighlight, onError, onCount }) {
    this.store = store;
    this.config = config;
    this.pageSize = config.limits.page_size;
    this.onSelect = onSelect;
    this.onHighlight = onHighlight;
    this.onError = onError;
    this.onCount = onCount;
    this.table = document.getElementById("list-table");
    this.body = this.table.tBodies[0];
    this.count = document.getElementById("list-count");
    this.position = document.getElementById("page-position");
    this.previous = document.getElementById("page-previous");
    this.next = document.getElementById("page-next");
    this.signal = latestOnly();
    this.features = new Map();
    this.total = null;

    this.table.querySelectorAll("th[data-sort] button").forEach((button) => {
      button.addEventListener("click", () => {
        const column = button.parentElement.dataset.sort;
        const current = this.store.state.sort;
        // A second press on the sorted column reverses the order.
        const sort = current === column ? `-${column}` : column;
        this.store.update({ sort, page: 1 });
      });
    });
    this.previous.addEventListener("click", () =>
      this.store.update({ page: Math.max(1, this.store.state.page - 1) }),
    );
    this.next.addEventListener("click", () => this.store.update({ page: this.store.state.page + 1 }));
    this.body.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-id]");
      if (button) this.onSelect(this.features.get(Number(button.dataset.id)));
    });
    for (const type of ["mouseover", "focusin"]) {
      this.body.addEventListener(type, (event) => {
        const row = event.target.closest("tr[data-id]");
        if (row) this.onHighlight(this.features.get(Number(row.dataset.id)));
      });
    }
    for (const type of ["mouseleave", "focusout"]) {
      this.body.addEventListener(type, () => this.onHighlight(null));
    }
  }

  /** Load the page of points in `bbox` for the state's filters, sort and page. */
  async refresh(state, bbox) {
    this.renderSort(state.sort);
    const filters = filterQuery(state);
    if (filters === null) {
      this.render({ features: [], total: 0 }, state);
      return 0;
    }
    filters.set("bbox", bbox);
    filters.set("limit", String(this.pageSize));
    filters.set("offset", String((state.page - 1) * this.pageSize));
    filters.set("sort", state.sort);
    this.table.setAttribute("aria-busy", "true");
    try {
      const data = await getJSON(urlWith(this.config.urls.points, {}, filters), {
        signal: this.signal(),
      });
      const total = data.total ?? data.features.length;
      const pages = Math.max(1, Math.ceil(total / this.pageSize));
      if (state.page > pages) {
        // The view or the filters shrank the list: go to its last page.
        this.store.update({ page: pages }, { history: "replace" });
        return total;
      }
      this.render({ features: data.features, total }, state);
      return total;
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
      return null;
    } finally {
      this.table.removeAttribute("aria-busy");
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

  render({ features, total }, state) {
    const focusedId = document.activeElement?.closest?.("#list-table button[data-id]")?.dataset.id;
    this.total = total;
    this.features = new Map(features.map((feature) => [feature.properties.id, feature]));
    const rows = features.map((feature) => this.row(feature, state.point));
    this.body.replaceChildren(...rows);
    if (!rows.length) {
      const row = document.createElement("tr");
      const cell = document.createElement("td");
      cell.colSpan = 4;
      cell.className = "empty";
      cell.textContent = gettext("No point in view matches the filters.");
      row.append(cell);
      this.body.append(row);
    }
    const pages = Math.max(1, Math.ceil(total / this.pageSize));
    const first = total ? (state.page - 1) * this.pageSize + 1 : 0;
    const last = Math.min(total, state.page * this.pageSize);
    this.count.textContent = total
      ? interpolate(
          ngettext(
            "%(first)s–%(last)s of %(total)s point in view",
            "%(first)s–%(last)s of %(total)s points in view",
            total,
          ),
          { first: formatNumber(first), last: formatNumber(last), total: formatNumber(total) },
        )
      : gettext("No point in view.");
    this.position.textContent = interpolate(gettext("Page %(page)s of %(pages)s"), {
      page: formatNumber(state.page),
      pages: formatNumber(pages),
    });
    this.previous.disabled = state.page <= 1;
    this.next.disabled = state.page >= pages;
    if (focusedId) {
      const again = this.body.querySelector(`button[data-id="${focusedId}"]`);
      (again || this.table).focus?.();
    }
    this.onCount(total);
  }

  row(feature, selectedId) {
    const p = feature.properties;
    const row = document.createElement("tr");
    row.dataset.id = p.id;
    if (p.id === selectedId) row.setAttribute("aria-current", "true");
    const name = document.createElement("td");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "point-link";
    button.dataset.id = p.id;
    button.append(symbolSvg({ level: p.level, kind: p.kind, size: 14 }), p.name);
    name.append(button);
    if (p.status && p.status !== "open") {
      // Only the exceptions are written out: most points are open.
      name.append(
        " ",
        h("span", { class: `badge status-${p.status}` }, capfirst(statusLabel(this.config, p.status))),
      );
    }
    const cells = [
      p.organization_name || p.organization,
      capfirst(p.kind_label || p.kind),
      [p.community, p.province].filter(Boolean).join(", "),
    ].map((text) => {
      const cell = document.createElement("td");
      cell.textContent = text;
      return cell;
    });
    row.append(name, ...cells);
    return row;
  }

  /** Mark the selected point's row. */
  markSelected(id) {
    this.body.querySelectorAll("tr[data-id]").forEach((row) => {
      if (Number(row.dataset.id) === id) row.setAttribute("aria-current", "true");
      else row.removeAttribute("aria-current");
    });
  }
}

function statusLabel(config, code) {
  const status = config.choices.statuses.find((item) => item.code === code);
  return status ? status.label : code || "";
}
