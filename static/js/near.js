// "Near here": the nearest points to a clicked spot, the middle of the map, a postal code or a
// community, with straight-line distances, optionally only of one kind or one service.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { capfirst, formatDistance, gettext, interpolate, ngettext } from "./i18n.js";
import { filterQuery } from "./state.js";
import { search } from "./search.js";
import { symbolSvg } from "./symbols.js";

export class NearHere {
  constructor(store, config, { getCentre, onResults, onSelect, onMessage, onError }) {
    this.store = store;
    this.config = config;
    this.getCentre = getCentre;
    this.onResults = onResults;
    this.onSelect = onSelect;
    this.onMessage = onMessage;
    this.onError = onError;
    this.form = document.getElementById("near-form");
    this.results = document.getElementById("near-results");
    this.clear = document.getElementById("near-clear");
    this.signal = latestOnly();
    this.features = [];

    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.fromPlace();
    });
    document.getElementById("near-centre").addEventListener("click", () => {
      const centre = this.getCentre();
      this.setOrigin(centre.lng, centre.lat);
    });
    for (const name of ["n", "kind", "service"]) {
      this.form.elements[name].addEventListener("change", () => {
        if (this.store.state.near) this.setOrigin(this.store.state.near.lon, this.store.state.near.lat);
      });
    }
    this.clear.addEventListener("click", () => {
      this.store.update({ near: null });
      this.form.elements.place.focus();
    });
    this.results.addEventListener("click", (event) => {
      const button = event.target.closest("button[data-index]");
      if (button) this.onSelect(this.features[Number(button.dataset.index)]);
    });
  }

  /** Look up the typed postal code or community, then search from there. */
  async fromPlace() {
    const text = this.form.elements.place.value.trim();
    if (!text) {
      this.onMessage(gettext("Enter a postal code or a community."));
      return;
    }
    try {
      const results = await search(this.config, text, this.signal());
      const place = results.find((r) => r.type !== "service_point") || results[0];
      if (!place) {
        this.onMessage(interpolate(gettext("Nothing found for “%(text)s”."), { text }));
        return;
      }
      this.setOrigin(place.lon, place.lat);
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  /** A new starting point (or new options): a discrete change of the page's state. */
  setOrigin(lon, lat) {
    const form = this.form.elements;
    this.store.update({
      near: { lon, lat, n: Number(form.n.value) || 10, kind: form.kind.value, service: form.service.value },
      panel: "near",
    });
  }

  /** Show the state's "near here" search in the form and load its results. */
  async refresh(state) {
    const near = state.near;
    const form = this.form.elements;
    this.clear.hidden = !near;
    if (!near) {
      this.features = [];
      this.results.replaceChildren();
      this.onResults(null, []);
      return;
    }
    form.n.value = String(near.n);
    form.kind.value = near.kind || "";
    form.service.value = near.service || "";
    const query = filterQuery(state);
    if (query === null) {
      this.render(near, []);
      return;
    }
    query.set("lon", String(near.lon));
    query.set("lat", String(near.lat));
    query.set("n", String(near.n));
    if (near.kind) query.set("kind", near.kind);
    if (near.service) query.set("service", near.service);
    this.results.setAttribute("aria-busy", "true");
    try {
      const data = await getJSON(urlWith(this.config.urls.nearest, {}, query), { signal: this.signal() });
      this.render(near, data.features || []);
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    } finally {
      this.results.removeAttribute("aria-busy");
    }
  }

  render(near, features) {
    this.features = features;
    this.onResults(near, features);
    if (!features.length) {
      this.results.replaceChildren(h("p", { class: "empty" }, gettext("No point matches near there.")));
      return;
    }
    const heading = interpolate(
      ngettext("The nearest point", "The %(count)s nearest points", features.length),
      { count: features.length },
    );
    this.results.replaceChildren(
      h("h3", { id: "near-title" }, heading),
      h(
        "ol",
        { class: "near-list", "aria-labelledby": "near-title" },
        features.map((feature, index) => {
          const p = feature.properties;
          return h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "point-link", dataset: { index, id: p.id } },
              symbolSvg({ level: p.level, kind: p.kind, size: 14 }),
              p.name,
            ),
            h("span", { class: "distance" }, formatDistance(p.distance_m)),
            h(
              "span",
              { class: "meta" },
              [p.organization_name, capfirst(p.kind_label), p.community].filter(Boolean).join(" · "),
            ),
          );
        }),
      ),
    );
    this.onMessage(heading);
  }
}
