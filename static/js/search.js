// The search box: a community, a postal code or forward sortation area, or a point's name;
// choosing a result moves the map there (and opens a service point's details).

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { gettext, interpolate, ngettext } from "./i18n.js";

const TYPE_LABELS = {
  place: () => gettext("community"),
  postal_code: () => gettext("postal code"),
  service_point: () => gettext("service point"),
};
const TYPE_ZOOM = { place: 11, postal_code: 13, service_point: 15 };

/** Ask the search endpoint; the results carry lon, lat and sometimes a bbox. */
export async function search(config, text, signal) {
  const query = new URLSearchParams({ q: text });
  const data = await getJSON(urlWith(config.urls.search, {}, query), { signal });
  return data.results || [];
}

export const resultZoom = (result) => TYPE_ZOOM[result.type] || 12;
export const typeLabel = (type) => (TYPE_LABELS[type] ? TYPE_LABELS[type]() : type);

export class SearchBox {
  constructor(config, { onGo, onMessage, onError }) {
    this.config = config;
    this.form = document.getElementById("search-form");
    this.input = document.getElementById("search-input");
    this.results = document.getElementById("search-results");
    this.onGo = onGo;
    this.onMessage = onMessage;
    this.onError = onError;
    this.signal = latestOnly();
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
  }

  async run() {
    const text = this.input.value.trim();
    if (!text) {
      this.results.replaceChildren();
      return;
    }
    let results;
    try {
      results = await search(this.config, text, this.signal());
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
      return;
    }
    if (!results.length) {
      this.results.replaceChildren(
        h("p", { class: "empty" }, interpolate(gettext("Nothing found for “%(text)s”."), { text })),
      );
      this.onMessage(interpolate(gettext("Nothing found for “%(text)s”."), { text }));
      return;
    }
    const items = results.map((result) => {
      const button = h(
        "button",
        { type: "button", class: "result" },
        result.label,
        h("span", { class: "result-type" }, ` (${typeLabel(result.type)})`),
      );
      button.addEventListener("click", () => this.go(result));
      return h("li", {}, button);
    });
    this.results.replaceChildren(
      h(
        "p",
        { class: "help", id: "search-count" },
        interpolate(ngettext("%(count)s result:", "%(count)s results:", results.length), {
          count: results.length,
        }),
      ),
      h("ul", { "aria-labelledby": "search-count" }, items),
    );
    // The first result is the best: go there at once; the others stay one click away.
    this.go(results[0]);
  }

  go(result) {
    this.onGo(result);
    this.onMessage(interpolate(gettext("Map moved to %(place)s."), { place: result.label }));
  }
}
