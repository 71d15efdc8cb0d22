// The export links: the filtered selection as CSV or GeoJSON, optionally only what is in view.

import { filterQuery } from "./state.js";
import { urlWith } from "./api.js";

export class Exports {
  constructor(config) {
    this.config = config;
    this.inView = document.getElementById("export-in-view");
    this.csv = document.getElementById("export-csv");
    this.geojson = document.getElementById("export-geojson");
    this.last = null;
    this.inView.addEventListener("change", () => this.last && this.update(...this.last));
  }

  update(state, bbox) {
    this.last = [state, bbox];
    const filters = filterQuery(state);
    const links = [
      [this.csv, this.config.urls.export_csv],
      [this.geojson, this.config.urls.export_geojson],
    ];
    for (const [link, template] of links) {
      if (filters === null) {
        // Nothing can match: no link to an empty file.
        link.removeAttribute("href");
        link.setAttribute("aria-disabled", "true");
        continue;
      }
      const query = new URLSearchParams(filters);
      if (this.inView.checked) query.set("bbox", bbox);
      link.href = urlWith(template, {}, query);
      link.removeAttribute("aria-disabled");
    }
  }
}
