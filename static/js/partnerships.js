// The partnerships layer: each partnership's sites (registry points) and a line between them,
// filtered by type and status, with a keyboard-usable list of what is drawn (links to each
// partnership's page) in the layers panel. Data: GET /api/partnerships/ (GeoJSON).

import * as L from "leaflet";
import { getJSON, urlWith } from "./api.js";
import { h } from "./dom.js";
import { gettext, interpolate, language, ngettext } from "./i18n.js";

const COLOUR = "#7b3294";

export class PartnershipLayer {
  // `store`: the map's state; the type and status chosen live in the address (state.partnership).
  constructor(map, url, panel, { onError, store }) {
    this.map = map;
    this.url = url;
    this.panel = panel;
    this.onError = onError;
    this.store = store;
    this.group = L.layerGroup();
    this.visible = false;
    this.choices = null;
    this.count = 0;
    // Back and forward in the history change the filters too: draw what the address says.
    store.subscribe((state, changed) => {
      if (changed.has("partnership") && this.visible && this.choices !== null) this.reload();
    });
    if (!map.getPane("partnerships")) map.createPane("partnerships").style.zIndex = "440";
    this.renderer = L.canvas({ pane: "partnerships", padding: 0.3 });
  }

  async setVisible(visible) {
    this.visible = visible;
    if (this.panel) this.panel.hidden = !visible;
    if (!visible) {
      this.group.remove();
      return;
    }
    this.group.addTo(this.map);
    if (this.choices === null) await this.reload();
  }

  get filters() {
    return this.store.state.partnership;
  }

  async reload() {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(this.filters)) if (value) query.set(name, value);
    try {
      const data = await getJSON(urlWith(this.url, {}, query));
      this.choices = data.choices;
      this.draw(data);
      this.renderPanel(data);
      if (this.refocus) document.getElementById(this.refocus)?.focus();
      this.refocus = null;
    } catch (error) {
      this.onError(error);
    }
  }

  title(properties) {
    return (language.startsWith("fr") ? properties.title_fr : properties.title_en) || properties.title_en;
  }

  label(kind, code) {
    const found = (this.choices?.[kind] || []).find((choice) => choice.code === code);
    return found ? found.label : code;
  }

  describe(properties) {
    return interpolate(gettext("%(title)s — %(type)s, %(status)s — %(parties)s"), {
      title: this.title(properties),
      type: this.label("types", properties.type),
      status: this.label("statuses", properties.status),
      parties: properties.parties || "",
    });
  }

  draw(data) {
    this.group.clearLayers();
    const layer = L.geoJSON(data, {
      style: () => ({ color: COLOUR, weight: 3, dashArray: "6 4", opacity: 0.9 }),
      pointToLayer: (feature, latlng) =>
        L.circleMarker(latlng, {
          renderer: this.renderer,
          radius: 9,
          color: COLOUR,
          weight: 3,
          fill: false,
        }),
      onEachFeature: (feature, item) => {
        item.bindTooltip(this.describe(feature.properties));
        const link = h("a", { href: data.detail_url.replace("{id}", feature.properties.partnership) }, gettext("Open the partnership"));
        item.bindPopup(h("p", {}, this.describe(feature.properties), h("br"), link));
      },
    });
    layer.addTo(this.group);
    this.bounds = {};
    for (const feature of data.features) {
      const id = feature.properties.partnership;
      const coordinates = feature.geometry.type === "Point" ? [feature.geometry.coordinates] : feature.geometry.coordinates;
      this.bounds[id] = (this.bounds[id] || []).concat(coordinates.map(([lon, lat]) => [lat, lon]));
    }
    this.map.getContainer().dataset.partnershipFeatures = String(data.features.length);
  }

  select(kind, name, label) {
    const select = h("select", { id: `partnership-${name}`, name: `partnership-${name}` }, h("option", { value: "" }, gettext("any")));
    for (const choice of this.choices[kind]) {
      select.append(h("option", { value: choice.code, selected: choice.code === this.filters[name] }, choice.label));
    }
    select.addEventListener("change", () => {
      // The store's listener above reloads; the list is then drawn again, so focus comes back.
      this.refocus = `partnership-${name}`;
      this.store.update({ partnership: { ...this.filters, [name]: select.value } });
    });
    return h("p", {}, h("label", { for: `partnership-${name}` }, label), select);
  }

  renderPanel(data) {
    if (!this.panel) return;
    const partnerships = new Map();
    for (const feature of data.features) partnerships.set(feature.properties.partnership, feature.properties);
    this.count = partnerships.size;
    const items = [...partnerships.entries()].map(([id, properties]) => {
      const show = h("button", { type: "button", class: "small" }, gettext("Show on the map"));
      show.addEventListener("click", () => this.map.fitBounds(this.bounds[id], { maxZoom: 16, padding: [40, 40] }));
      return h(
        "li",
        {},
        h("a", { href: data.detail_url.replace("{id}", id) }, this.title(properties)),
        ` (${this.label("statuses", properties.status)}) `,
        show,
      );
    });
    this.panel.replaceChildren(
      h(
        "fieldset",
        {},
        h("legend", {}, gettext("Partnerships shown")),
        this.select("types", "type", gettext("Partnership type")),
        this.select("statuses", "status", gettext("Partnership status")),
        h(
          "p",
          { role: "status" },
          interpolate(ngettext("%(count)s partnership with sites", "%(count)s partnerships with sites", this.count), {
            count: this.count,
          }),
        ),
        h("ul", { class: "partnership-list" }, items),
      ),
    );
  }
}

/** The partnerships a point is a site of, as a section of its details (or nothing). */
export async function pointPartnerships(url, pointId) {
  const data = await getJSON(urlWith(url, {}, new URLSearchParams({ point: String(pointId) })));
  if (!data.partnerships.length) return null;
  return h(
    "section",
    { class: "point-partnerships", "aria-labelledby": "point-partnerships-title" },
    h("h4", { id: "point-partnerships-title" }, gettext("Partnerships")),
    h(
      "ul",
      {},
      data.partnerships.map((p) =>
        h("li", {}, h("a", { href: p.url }, p.title), ` — ${p.type}, ${p.status}: ${p.parties.join("; ")}`),
      ),
    ),
  );
}
