// The populated-places layer: GeoNames cities, towns and villages as circles sized by
// population (about 3,250 of them), drawn on one canvas below the service points.

import * as L from "leaflet";
import { getJSON, urlWith } from "./api.js";
import { formatNumber, gettext, interpolate } from "./i18n.js";

// Everything Canada covers, so one request loads the whole layer once.
const CANADA_BBOX = "-141.1,41.6,-52.5,83.2";

/** Area proportional to population: Toronto about 24 px across, a village 2 px. */
export const placeRadius = (population) =>
  Math.max(2, Math.min(24, Math.sqrt(population || 0) / 65));

export class PlacesLayer {
  constructor(map, template, { onError }) {
    this.map = map;
    this.template = template;
    this.onError = onError;
    this.group = null;
    this.loading = null;
    this.visible = false;
    this.renderer = L.canvas({ pane: "places", padding: 0.3 });
  }

  async load() {
    if (this.group) return this.group;
    if (!this.loading) {
      const url = urlWith(this.template, {}, new URLSearchParams({ bbox: CANADA_BBOX }));
      this.loading = getJSON(url)
        .then((data) => {
          const features = [...(data.features || [])].sort(
            (a, b) => (b.properties.population || 0) - (a.properties.population || 0),
          );
          this.group = L.geoJSON(
            { type: "FeatureCollection", features },
            {
              pointToLayer: (feature, latlng) =>
                L.circleMarker(latlng, {
                  renderer: this.renderer,
                  radius: placeRadius(feature.properties.population),
                  color: "#4a4a4a",
                  weight: 1,
                  opacity: 0.7,
                  fillColor: "#8c8c8c",
                  fillOpacity: 0.25,
                  bubblingMouseEvents: true,
                }),
              onEachFeature: (feature, layer) => {
                const { name, province, population } = feature.properties;
                layer.bindTooltip(
                  interpolate(gettext("%(name)s (%(province)s): population %(population)s"), {
                    name,
                    province: province || "",
                    population: formatNumber(population || 0),
                  }),
                );
              },
            },
          );
          return this.group;
        })
        .catch((error) => {
          this.loading = null;
          throw error;
        });
    }
    return this.loading;
  }

  async setVisible(visible) {
    this.visible = visible;
    if (!visible) {
      if (this.group) this.group.remove();
      return;
    }
    try {
      const group = await this.load();
      if (this.visible) group.addTo(this.map);
    } catch (error) {
      this.onError(error);
    }
  }

  get count() {
    return this.group ? this.group.getLayers().length : 0;
  }
}
