// The "What-if" panel (issue 13): hypothetical sites added (a click on the map, coordinates,
// or a community found by name) and existing points closed (from their details); the coverage
// nationally and by province, the bands, the change by province and the underserved
// communities update at once (GET /api/analysis/whatif/: a delta on the cached network). The
// scenario lives in the address (state.whatif); "Save" stores it under a name
// (POST/PUT /api/analysis/scenarios/) and gives its share link. "Suggest sites" asks
// /api/analysis/suggest/ for the k best sites and lists them, each with "Add to scenario".
// Nothing here ever changes the registry.

import * as L from "leaflet";
import { ApiError, getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h } from "./dom.js";
import { formatNumber, gettext, interpolate, language } from "./i18n.js";
import { search } from "./search.js";
import { MAX_WHATIF_SITES, filterQuery } from "./state.js";

const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const SHARE = new Intl.NumberFormat(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 });
const SIGNED = new Intl.NumberFormat(locale, { maximumFractionDigits: 0, signDisplay: "exceptZero" });
const share = (value) => (value === null || value === undefined ? gettext("not available") : `${SHARE.format(value)} %`);
const people = (value) => formatNumber(Math.round(value));
const UNDERSERVED_SHOWN = 10;

function csrfToken() {
  const input = document.querySelector('#whatif-save-form input[name="csrfmiddlewaretoken"]');
  return input ? input.value : "";
}

/** POST or PUT a JSON body; errors as getJSON's (400s name the fields at fault). */
async function sendJSON(url, method, body) {
  const response = await fetch(url, {
    method,
    credentials: "same-origin",
    headers: { Accept: "application/json", "Content-Type": "application/json", "Accept-Language": language, "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    const details = Object.entries((data && data.parameters) || {})
      .map(([name, messages]) => `${name}: ${[].concat(messages).join(" ")}`)
      .join("; ");
    const message = data && data.error ? data.error : interpolate(gettext("The server could not answer (error %(status)s)."), { status: response.status });
    throw new ApiError(details ? `${message} (${details})` : message, { status: response.status });
  }
  return data;
}

export class WhatIf {
  constructor(store, config, map, { onMessage, onError }) {
    this.store = store;
    this.config = config;
    this.map = map;
    this.onMessage = onMessage;
    this.onError = onError;
    this.root = document.getElementById("panel-whatif");
    this.results = document.getElementById("whatif-results");
    this.sitesList = document.getElementById("whatif-sites");
    this.closedList = document.getElementById("whatif-closed");
    this.status = document.getElementById("whatif-status");
    this.signal = latestOnly();
    this.suggestSignal = latestOnly();
    this.pointNames = new Map();
    this.pointPlaces = new Map(); // closed points' {lon, lat}, to mark them on the map
    this.timer = null;
    this.layer = L.layerGroup().addTo(map);
    this.suggestLayer = L.layerGroup().addTo(map);
    // The underserved communities of the scenario, as a layer (its checkbox in the panel).
    this.underservedLayer = L.layerGroup();
    this.underservedToggle = document.getElementById("whatif-underserved-layer");
    this.saved = null; // the saved scenario shown, when it is the user's own
    this.wire();
    store.subscribe((state, changed) => {
      if (changed.has("whatif") || changed.has("filters")) this.refresh();
      if (changed.has("panel") && state.panel === "whatif") {
        this.refresh();
        this.loadMine();
      }
    });
    if (store.state.whatif.scenario) this.loadShared(store.state.whatif.scenario);
    this.refresh();
    if (store.state.panel === "whatif") this.loadMine();
  }

  /** The user's saved scenarios, each a link that opens it. */
  async loadMine() {
    const list = document.getElementById("whatif-mine");
    try {
      const { scenarios } = await getJSON(this.config.urls.scenarios);
      list.replaceChildren(
        ...(scenarios.length
          ? scenarios.map((scenario) => h("li", {}, h("a", { href: scenario.share_url }, scenario.name)))
          : [h("li", { class: "empty" }, gettext("None saved yet."))]),
      );
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  get state() {
    return this.store.state.whatif;
  }

  active() {
    const { sites, closed } = this.state;
    return this.store.state.panel === "whatif" || sites.length > 0 || closed.length > 0;
  }

  change(changes) {
    this.store.update({ whatif: { ...this.state, ...changes } });
  }

  wire() {
    const form = document.getElementById("whatif-site-form");
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const lon = Number.parseFloat(form.elements.lon.value);
      const lat = Number.parseFloat(form.elements.lat.value);
      if (!Number.isFinite(lon) || !Number.isFinite(lat)) {
        this.say(gettext("Enter a longitude and a latitude in degrees, such as -75.69 and 45.42."));
        form.elements.lon.focus();
        return;
      }
      this.addSite(lon, lat, form.elements.name.value.trim());
      form.reset();
    });
    document.getElementById("whatif-place-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.findPlace(event.target.elements.place.value.trim());
    });
    document.getElementById("whatif-km").addEventListener("change", (event) => {
      const km = Number.parseFloat(event.target.value);
      if (Number.isFinite(km) && km >= 0.1 && km <= 2000) this.change({ km });
      else this.say(gettext("Give a distance in kilometres, such as 50."));
    });
    document.getElementById("whatif-clear").addEventListener("click", () => {
      this.saved = null;
      this.change({ sites: [], closed: [], scenario: null });
      this.say(gettext("The scenario is empty: the current network."));
    });
    document.getElementById("whatif-save-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.save(event.target.elements.scenario_name.value.trim());
    });
    this.underservedToggle.addEventListener("change", () => {
      if (this.underservedToggle.checked) this.underservedLayer.addTo(this.map);
      else this.underservedLayer.remove();
    });
    document.getElementById("whatif-suggest-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.suggest(event.target.elements);
    });
  }

  say(text) {
    this.status.textContent = text;
    this.onMessage(text);
  }

  /** A click on the map while the panel is open. */
  addSite(lon, lat, name = "") {
    if (this.state.sites.length >= MAX_WHATIF_SITES) {
      this.say(interpolate(gettext("At most %(count)s sites."), { count: MAX_WHATIF_SITES }));
      return;
    }
    const label = name || interpolate(gettext("Site %(number)s"), { number: this.state.sites.length + 1 });
    this.change({ sites: [...this.state.sites, { lon, lat, name: label }] });
    this.say(interpolate(gettext("Site “%(name)s” added."), { name: label }));
  }

  closePoint(point) {
    this.pointNames.set(point.id, point.name);
    if (point.location) this.pointPlaces.set(point.id, point.location);
    if (!this.state.closed.includes(point.id)) this.change({ closed: [...this.state.closed, point.id] });
    this.store.update({ panel: "whatif" });
    this.say(interpolate(gettext("“%(name)s” closed in the scenario (not in the registry)."), { name: point.name }));
  }

  async findPlace(text) {
    if (!text) return;
    try {
      const results = await search(this.config, text);
      const place = results.find((result) => result.type === "place") || results[0];
      if (!place) {
        this.say(interpolate(gettext("No community matches “%(text)s”."), { text }));
        return;
      }
      this.addSite(place.lon, place.lat, place.label);
      this.map.setView([place.lat, place.lon], Math.max(this.map.getZoom(), 8));
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  query() {
    const filters = filterQuery(this.store.state);
    if (!filters) return null;
    const { km, sites, closed } = this.state;
    filters.set("within", String(km));
    for (const site of sites) filters.append("site", `${site.lon},${site.lat},${site.name}`);
    if (closed.length) filters.set("close", closed.join(","));
    return filters;
  }

  refresh() {
    this.drawSites();
    this.renderLists();
    document.getElementById("whatif-km").value = String(this.state.km);
    if (!this.active()) return;
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => this.evaluate(), 120);
  }

  async evaluate() {
    const query = this.query();
    if (!query) {
      this.results.replaceChildren(h("p", { class: "empty" }, gettext("No point matches the filters.")));
      return;
    }
    this.root.setAttribute("aria-busy", "true");
    try {
      const answer = await getJSON(urlWith(this.config.urls.whatif, {}, query), { signal: this.signal() });
      this.render(answer);
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    } finally {
      this.root.removeAttribute("aria-busy");
    }
  }

  drawSites() {
    this.layer.clearLayers();
    // Closed points: a red ring over their symbol (the registry still has them open).
    for (const id of this.state.closed) {
      const place = this.pointPlaces.get(id);
      if (!place) continue;
      L.circleMarker([place.lat, place.lon], { radius: 11, color: "#a30000", weight: 3, dashArray: "4 3", fill: false, interactive: false, className: "closed-marker" })
        .addTo(this.layer);
    }
    this.state.sites.forEach((site, index) => {
      L.circleMarker([site.lat, site.lon], { radius: 9, color: "#1b1b1b", weight: 3, fillColor: "#ffbf47", fillOpacity: 1, interactive: false })
        .bindTooltip(site.name || String(index + 1), { permanent: false })
        .addTo(this.layer);
    });
  }

  renderLists() {
    const { sites, closed } = this.state;
    this.sitesList.replaceChildren(
      ...(sites.length
        ? sites.map((site, index) => {
            const remove = h("button", { type: "button", class: "small" }, interpolate(gettext("Remove %(name)s"), { name: site.name }));
            remove.addEventListener("click", () => {
              this.change({ sites: sites.filter((_, other) => other !== index) });
              this.say(interpolate(gettext("Site “%(name)s” removed."), { name: site.name }));
            });
            return h("li", { dataset: { site: String(index) } }, `${site.name} (${site.lat.toFixed(4)}, ${site.lon.toFixed(4)}) `, remove);
          })
        : [h("li", { class: "empty" }, gettext("No site added. Click the map, or enter coordinates or a community below."))]),
    );
    this.closedList.replaceChildren(
      ...(closed.length
        ? closed.map((id) => {
            const name = this.pointNames.get(id) || interpolate(gettext("Point %(id)s"), { id });
            const reopen = h("button", { type: "button", class: "small" }, interpolate(gettext("Reopen %(name)s"), { name }));
            reopen.addEventListener("click", () => this.change({ closed: closed.filter((other) => other !== id) }));
            return h("li", { dataset: { closed: String(id) } }, `${name} `, reopen);
          })
        : [h("li", { class: "empty" }, gettext("No point closed. Open a point's details and choose “Close in the what-if”."))]),
    );
    for (const id of closed) if (!this.pointNames.has(id)) this.loadName(id);
  }

  async loadName(id) {
    this.pointNames.set(id, interpolate(gettext("Point %(id)s"), { id }));
    try {
      const point = await getJSON(urlWith(this.config.urls.point, { id }));
      this.pointNames.set(id, point.name);
      if (point.location) this.pointPlaces.set(id, point.location);
      this.renderLists();
      this.drawSites();
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  render(answer) {
    const coverage = answer.coverage;
    const national = coverage.national;
    const change = answer.national_change;
    if (!national) {
      this.results.replaceChildren(h("p", { class: "empty" }, gettext("No census areas with population are loaded.")));
      return;
    }
    const km = formatNumber(coverage.within_km);
    const bandRows = coverage.bands.map((band) => {
      const key = String(band);
      const covered = national.bands[key] ?? national.bands[String(Number(band))];
      return h("tr", {}, h("th", { scope: "row" }, interpolate(gettext("Within %(km)s km"), { km: formatNumber(band) })),
        h("td", { class: "number" }, people(covered)), h("td", { class: "number" }, share(national.population ? (100 * covered) / national.population : null)));
    });
    const provinceRows = answer.province_changes.map((item) =>
      h("tr", { dataset: { province: item.code } },
        h("th", { scope: "row" }, item.name || item.code),
        h("td", { class: "number" }, people(item.newly_covered)),
        h("td", { class: "number" }, people(item.no_longer_covered)),
        h("td", { class: "number" }, share(item.share_before)),
        h("td", { class: "number" }, share(item.share_after))));
    const communities = answer.underserved.communities.slice(0, UNDERSERVED_SHOWN).map((item) =>
      h("li", {}, interpolate(gettext("%(name)s (%(province)s): %(population)s people, %(distance)s"), {
        name: item.name,
        province: item.province,
        population: item.population === null ? gettext("population not available") : formatNumber(item.population),
        distance: item.distance_km === null ? gettext("no point") : interpolate(gettext("%(km)s km from %(point)s"), { km: formatNumber(item.distance_km), point: item.nearest_point }),
      })));
    this.drawUnderserved(answer.underserved.communities);
    const net = change.newly_covered - change.no_longer_covered;
    this.results.replaceChildren(
      h("h3", { id: "whatif-figures-title" }, gettext("Coverage of the scenario")),
      h("p", { id: "whatif-national" }, interpolate(gettext("%(covered)s of %(population)s people (%(share)s) live within %(km)s km of a point: %(before)s before the changes."), {
        covered: people(national.covered), population: people(national.population), share: share(national.share), km, before: share(change.share_before),
      })),
      h("p", { id: "whatif-change" }, interpolate(gettext("Newly covered: %(gained)s people; no longer covered: %(lost)s; net %(net)s."), {
        gained: people(change.newly_covered), lost: people(change.no_longer_covered), net: SIGNED.format(net),
      })),
      h("p", { class: "help" }, interpolate(gettext("%(points)s points counted (in person, open), straight-line distance on the sphere, population of the %(level)s areas of %(year)s. A standard measured by road is harder to meet."), {
        points: formatNumber(coverage.points), level: coverage.level || "", year: coverage.year || "",
      })),
      h("table", { class: "choropleth-legend", id: "whatif-bands" },
        h("caption", {}, gettext("People by distance to the nearest point")),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, gettext("Distance")), h("th", { scope: "col", class: "number" }, gettext("People")), h("th", { scope: "col", class: "number" }, gettext("Share")))),
        h("tbody", {}, bandRows)),
      h("table", { class: "choropleth-legend", id: "whatif-provinces" },
        h("caption", {}, interpolate(gettext("Change by province and territory, within %(km)s km"), { km })),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, gettext("Province or territory")),
          h("th", { scope: "col", class: "number" }, gettext("Newly covered")),
          h("th", { scope: "col", class: "number" }, gettext("No longer covered")),
          h("th", { scope: "col", class: "number" }, gettext("Share before")),
          h("th", { scope: "col", class: "number" }, gettext("Share after")))),
        h("tbody", {}, provinceRows)),
      h("h3", {}, interpolate(gettext("Underserved communities: %(count)s beyond %(km)s km"), { count: formatNumber(answer.underserved.total), km })),
      communities.length ? h("ol", { id: "whatif-underserved" }, communities) : h("p", { class: "empty" }, gettext("No community is beyond the distance.")),
    );
  }

  drawUnderserved(communities) {
    this.underservedLayer.clearLayers();
    for (const item of communities) {
      const text = interpolate(gettext("%(name)s: %(population)s people, %(distance)s"), {
        name: item.name,
        population: item.population === null ? gettext("population not available") : formatNumber(item.population),
        distance: item.distance_km === null ? gettext("no point") : interpolate(gettext("%(km)s km from %(point)s"), { km: formatNumber(item.distance_km), point: item.nearest_point }),
      });
      L.circleMarker([item.lat, item.lon], { radius: 6, color: "#a30000", weight: 2, fillColor: "#ffffff", fillOpacity: 0.9, className: "underserved-marker" })
        .bindTooltip(text)
        .addTo(this.underservedLayer);
    }
  }

  minimumText(answer) {
    if (!answer.reachable) {
      return interpolate(gettext("No choice of the candidates reaches %(target)s: %(best)s at best."), {
        target: share(answer.target_share), best: share(answer.best_share_reachable),
      });
    }
    return interpolate(gettext("The fewest sites reaching %(target)s: %(count)s (%(share)s covered)."), {
      target: share(answer.target_share), count: formatNumber(answer.sites), share: share(answer.national.share_after),
    });
  }

  async loadShared(token) {
    try {
      const scenario = await getJSON(urlWith(this.config.urls.scenario_shared, { token }));
      for (const point of scenario.closed) this.pointNames.set(point.id, point.name);
      this.saved = scenario.mine ? scenario : null;
      const filters = {};
      for (const name of ["jurisdiction", "level", "organization", "kind", "service", "language", "status"]) {
        const value = scenario.filters[name];
        filters[name] = value === undefined ? null : [].concat(value).flatMap((text) => String(text).split(","));
      }
      this.store.update(
        {
          filters,
          whatif: { km: scenario.within_km, sites: scenario.sites.map(({ lon, lat, name }) => ({ lon, lat, name })), closed: scenario.closed.map((point) => point.id), scenario: token },
          panel: "whatif",
        },
        { history: "replace" },
      );
      document.getElementById("whatif-scenario-name").value = scenario.name;
      this.showLink(scenario);
      this.say(interpolate(gettext("Scenario “%(name)s” opened."), { name: scenario.name }));
    } catch (error) {
      if (!isAbort(error)) this.onError(error);
    }
  }

  async save(name) {
    if (!name) {
      this.say(gettext("Give the scenario a name."));
      document.getElementById("whatif-scenario-name").focus();
      return;
    }
    const filters = {};
    const query = filterQuery(this.store.state) || new URLSearchParams();
    for (const [key, value] of query) filters[key] = value;
    const { km, sites, closed } = this.state;
    const body = { name, filters, within_km: km, sites, closed };
    try {
      const scenario = this.saved
        ? await sendJSON(urlWith(this.config.urls.scenario, { id: this.saved.id }), "PUT", body)
        : await sendJSON(this.config.urls.scenarios, "POST", body);
      this.saved = scenario;
      this.store.update({ whatif: { ...this.state, scenario: scenario.share_token } }, { history: "replace" });
      this.showLink(scenario);
      this.loadMine();
      this.say(interpolate(gettext("Scenario “%(name)s” saved."), { name: scenario.name }));
    } catch (error) {
      this.onError(error);
    }
  }

  showLink(scenario) {
    const link = document.getElementById("whatif-share");
    link.value = new URL(scenario.share_url, window.location.origin).href;
    link.closest(".whatif-share").hidden = false;
  }

  async suggest(form) {
    const query = filterQuery(this.store.state);
    if (!query) return;
    query.set("within", String(this.state.km));
    query.set("k", form.k.value);
    query.set("candidates", form.candidates.value);
    if (form.minimum.value) query.set("minimum", form.minimum.value);
    const box = document.getElementById("whatif-suggestions");
    box.replaceChildren(h("p", { role: "status" }, gettext("Solving… (large networks take up to a minute)")));
    try {
      const answer = await getJSON(urlWith(this.config.urls.suggest, {}, query), { signal: this.suggestSignal() });
      this.renderSuggestions(answer);
    } catch (error) {
      box.replaceChildren();
      if (!isAbort(error)) this.onError(error);
    }
  }

  renderSuggestions(answer) {
    const box = document.getElementById("whatif-suggestions");
    const best = answer.maximal_covering;
    this.suggestLayer.clearLayers();
    const items = best.picks.map((pick) => {
      const candidate = pick.candidate;
      const add = h("button", { type: "button", class: "small" }, interpolate(gettext("Add %(name)s to the scenario"), { name: candidate.name }));
      add.addEventListener("click", () => this.addSite(candidate.lon, candidate.lat, candidate.name));
      L.circleMarker([candidate.lat, candidate.lon], { radius: 8, color: "#1b1b1b", weight: 2, fillColor: "#4c2c92", fillOpacity: 0.9, interactive: false })
        .bindTooltip(`${pick.rank}. ${candidate.name}`)
        .addTo(this.suggestLayer);
      return h("li", {}, interpolate(gettext("%(name)s (%(province)s, %(kind)s): %(gain)s people newly covered"), {
        name: candidate.name, province: candidate.province, kind: candidate.kind === "place" ? gettext("community") : gettext("another organization's point"), gain: people(pick.gain),
      }), " ", add);
    });
    const gap = best.optimality_gap === null ? gettext("not known") : `${SHARE.format(100 * best.optimality_gap)} %`;
    box.replaceChildren(
      h("p", { id: "whatif-suggest-total" }, interpolate(gettext("%(count)s sites: %(gain)s people newly covered in all; optimality gap %(gap)s (%(status)s, %(solver)s)."), {
        count: formatNumber(best.picks.length), gain: people(best.total_gain), gap, status: best.status, solver: best.solver,
      })),
      items.length ? h("ol", { id: "whatif-suggest-list" }, items) : h("p", { class: "empty" }, gettext("No candidate covers anyone more.")),
      answer.minimum_sites ? h("p", { id: "whatif-minimum" }, this.minimumText(answer.minimum_sites)) : null,
    );
  }
}
