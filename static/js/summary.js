// The summary of the view: how many points match, by level, by organization and by kind.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { capfirst, formatNumber, gettext, pointsInView } from "./i18n.js";
import { filterQuery } from "./state.js";
import { symbolSvg } from "./symbols.js";

export class Summary {
  constructor(config, { onError, onCount }) {
    this.config = config;
    this.root = document.getElementById("summary");
    this.onError = onError;
    this.onCount = onCount;
    this.signal = latestOnly();
  }

  async refresh(state, bbox) {
    const filters = filterQuery(state);
    if (filters === null) {
      this.render({ total: 0, by_level: [], by_organization: [], by_kind: [] });
      return 0;
    }
    filters.set("bbox", bbox);
    this.root.setAttribute("aria-busy", "true");
    try {
      const data = await getJSON(urlWith(this.config.urls.summary, {}, filters), {
        signal: this.signal(),
      });
      this.render(data);
      this.onCount(data.total);
      return data.total;
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
      return null;
    } finally {
      this.root.removeAttribute("aria-busy");
    }
  }

  render(data) {
    const total = data.total || 0;
    const table = (id, caption, heading, rows, symbol) =>
      rows.length
        ? h(
            "table",
            { class: "summary-table", id },
            h("caption", {}, caption),
            h(
              "thead",
              {},
              h(
                "tr",
                {},
                h("th", { scope: "col" }, heading),
                h("th", { scope: "col", class: "number" }, gettext("Points")),
              ),
            ),
            h(
              "tbody",
              {},
              rows.map((row) =>
                h(
                  "tr",
                  {},
                  h("th", { scope: "row" }, symbol ? symbol(row) : null, capfirst(row.label || row.name || row.code)),
                  h(
                    "td",
                    { class: "number" },
                    h("span", {
                      class: "bar",
                      style: `width: ${total ? Math.round((100 * row.count) / total) : 0}%`,
                      "aria-hidden": "true",
                    }),
                    h("span", { class: "value" }, formatNumber(row.count)),
                  ),
                ),
              ),
            ),
          )
        : null;
    this.root.replaceChildren(
      h("p", { class: "summary-total", id: "summary-total" }, h("strong", {}, pointsInView(total))),
      table("summary-level", gettext("By level of government"), gettext("Level"), data.by_level || [], (row) =>
        symbolSvg({ level: row.code, kind: "centre", size: 14 }),
      ),
      table("summary-organization", gettext("By organization"), gettext("Organization"), data.by_organization || []),
      table("summary-kind", gettext("By kind"), gettext("Kind"), data.by_kind || [], (row) =>
        symbolSvg({ kind: row.code, size: 14 }),
      ),
    );
  }
}
