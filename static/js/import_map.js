// The preview map of an import run: new, changed and missing points, each kind with its own
// shape and symbol as well as its colour (the legend beside the map says which). The points
// come with the page (json_script "import-map-config"); the tables list the same points.

import * as L from "leaflet";
import { h } from "./dom.js";
import { gettext } from "./i18n.js";

const config = JSON.parse(document.getElementById("import-map-config").textContent);
const element = document.getElementById("import-map");

const map = L.map(element, { zoomControl: false, maxZoom: 18 });
L.control.zoom({ zoomInTitle: gettext("Zoom in"), zoomOutTitle: gettext("Zoom out") }).addTo(map);
map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');

const basemap = L.tileLayer(config.basemap.url, { attribution: config.basemap.attribution, maxZoom: 19 });
// Without a network the base map's tiles fail: hide them, the points still draw.
basemap.on("tileerror", (event) => {
  event.tile.style.visibility = "hidden";
});
basemap.addTo(map);

const icons = {};
for (const action of ["new", "changed", "missing"]) {
  // The symbol is an inner element: Leaflet positions the outer one with a transform.
  icons[action] = L.divIcon({
    className: "import-marker",
    html: `<span class="import-symbol import-symbol-${action}"></span>`,
    iconSize: [18, 18],
    iconAnchor: [9, 9],
    popupAnchor: [0, -9],
  });
}

const markers = config.points.map((point) =>
  L.marker([point.lat, point.lon], { icon: icons[point.action], keyboard: false }).bindPopup(() =>
    h("p", {}, h("strong", {}, point.name), h("br"), `${config.labels[point.action]} · ${point.external_id}`),
  ),
);
// The file's points above the missing ones (often many more), changed ones on top.
const order = { missing: 0, new: 1, changed: 2 };
markers.forEach((marker, index) => marker.setZIndexOffset(order[config.points[index].action] * 1000));

if (markers.length) {
  const group = L.featureGroup(markers).addTo(map);
  map.fitBounds(group.getBounds(), { padding: [24, 24], maxZoom: 13, animate: false });
} else {
  map.fitBounds(config.bounds, { animate: false });
}
