// The details of one service point: names, address, hours of the week with today marked,
// "open now", languages, services, accessibility, photo, last verification, data source and,
// for those who may change it, a link to edit it.

import { getJSON, isAbort, latestOnly, urlWith } from "./api.js";
import { h, term } from "./dom.js";
import { capfirst, formatDate, gettext, interpolate, language } from "./i18n.js";
import { symbolSvg } from "./symbols.js";

export class PointDetails {
  constructor(config, { onLoaded, onError, onClose, onNear, onShow, onWhatIfClose = null }) {
    this.config = config;
    this.root = document.getElementById("details");
    this.onLoaded = onLoaded;
    this.onError = onError;
    this.onClose = onClose;
    this.onNear = onNear;
    this.onShow = onShow;
    this.onWhatIfClose = onWhatIfClose;
    this.signal = latestOnly();
    this.point = null;
  }

  /** Show point `id` (null clears); `focus` moves the keyboard focus to its name. */
  async show(id, { focus = false } = {}) {
    if (!id) {
      this.signal();
      this.point = null;
      this.root.replaceChildren(
        h("p", { class: "empty" }, gettext("Select a point on the map or in the list to see its details.")),
      );
      return null;
    }
    if (this.point && this.point.id === id) {
      if (focus) this.focus();
      return this.point;
    }
    this.root.setAttribute("aria-busy", "true");
    try {
      const point = await getJSON(urlWith(this.config.urls.point, { id }), {
        signal: this.signal(),
      });
      this.point = point;
      this.root.replaceChildren(this.render(point));
      this.onLoaded(point);
      if (focus) this.focus();
      return point;
    } catch (error) {
      if (isAbort(error)) return null;
      this.point = null;
      this.root.replaceChildren(h("p", { class: "empty" }, error.message));
      this.onError(error);
      return null;
    } finally {
      this.root.removeAttribute("aria-busy");
    }
  }

  focus() {
    const title = document.getElementById("details-title");
    if (title) title.focus();
  }

  render(p) {
    const otherName = language.startsWith("fr") ? p.name_en : p.name_fr;
    const otherLanguage = language.startsWith("fr") ? "en" : "fr";
    const level = p.jurisdiction?.level;
    const hours = p.opening_hours;
    const closeButton = h("button", { type: "button", class: "small" }, gettext("Close details"));
    closeButton.addEventListener("click", () => this.onClose());
    const nearButton = h("button", { type: "button", class: "small" }, gettext("Nearest points from here"));
    nearButton.addEventListener("click", () => this.onNear(p));
    const showButton = h("button", { type: "button", class: "small" }, gettext("Show on the map"));
    showButton.addEventListener("click", () => this.onShow(p));
    // The what-if panel (issue 13): the point closed in the scenario only, never in the registry.
    const whatIfButton = this.onWhatIfClose
      ? h("button", { type: "button", class: "small" }, gettext("Close in the what-if"))
      : null;
    if (whatIfButton) whatIfButton.addEventListener("click", () => this.onWhatIfClose(p));

    return h(
      "article",
      { class: "point-details", "aria-labelledby": "details-title" },
      h("h3", { id: "details-title", tabindex: "-1" }, p.name),
      otherName && otherName !== p.name ? h("p", { class: "other-name", lang: otherLanguage }, otherName) : null,
      h(
        "p",
        { class: "badges" },
        symbolSvg({ level, kind: p.kind?.code, size: 16 }),
        h("span", {}, capfirst(p.kind?.label || "")),
        h("span", { class: `badge status-${p.status?.code}` }, capfirst(p.status?.label || "")),
        hours && hours.open_now === true ? h("span", { class: "badge open" }, gettext("Open now")) : null,
        hours && hours.open_now === false ? h("span", { class: "badge closed" }, gettext("Closed now")) : null,
        p.data_source?.is_demonstration
          ? h("span", { class: "badge demo" }, gettext("Demonstration data"))
          : null,
      ),
      h(
        "dl",
        { class: "facts" },
        term(gettext("Organization"), p.organization?.name),
        term(
          gettext("Jurisdiction"),
          p.jurisdiction ? `${p.jurisdiction.name} (${capfirst(levelLabel(this.config, level))})` : "",
        ),
        term(gettext("Address"), address(p.address)),
        term(gettext("Phone"), p.phone ? h("a", { href: `tel:${p.phone.replace(/[^\d+]/g, "")}` }, p.phone) : ""),
        term(gettext("Website"), p.website ? h("a", { href: p.website, rel: "noopener" }, p.website) : ""),
        term(
          gettext("Service languages"),
          (p.languages || []).map((item) => item.name).join(", "),
          p.bilingual ? h("span", { class: "badge" }, gettext("Bilingual")) : null,
        ),
        term(
          gettext("Services"),
          p.services?.length ? h("ul", {}, p.services.map((service) => h("li", {}, service.name))) : "",
        ),
        term(
          gettext("Accessibility"),
          p.accessibility?.length
            ? h("ul", {}, p.accessibility.map((item) => h("li", {}, capfirst(item.label))))
            : "",
        ),
        term(gettext("Last verified"), p.last_verified ? formatDate(p.last_verified) : gettext("Never")),
        term(
          gettext("Data source"),
          p.data_source ? p.data_source.title || p.data_source.name : "",
          p.data_source?.is_demonstration
            ? h("span", { class: "note" }, gettext("Generated for demonstrations: not a real service point."))
            : null,
        ),
      ),
      this.hours(hours),
      p.photo?.url
        ? h(
            "figure",
            { class: "photo" },
            h("img", { src: p.photo.url, alt: p.photo.description || "", loading: "lazy" }),
            p.photo.description ? h("figcaption", {}, p.photo.description) : null,
          )
        : null,
      h(
        "p",
        { class: "details-actions" },
        p.can_edit && p.edit_url ? h("a", { href: p.edit_url, class: "button-link" }, gettext("Edit this point")) : null,
        streetViewLink(this.config, p),
        showButton,
        nearButton,
        whatIfButton,
        closeButton,
      ),
    );
  }

  hours(hours) {
    if (!hours || (!hours.text && !hours.week?.length)) {
      return h("section", { class: "hours" }, h("h4", {}, gettext("Opening hours")), h("p", {}, gettext("No opening hours recorded.")));
    }
    const state =
      hours.open_now === true
        ? gettext("Open now")
        : hours.open_now === false
          ? gettext("Closed now")
          : "";
    const localTime = hours.local_time
      ? interpolate(gettext("Local time %(time)s (%(zone)s)"), {
          time: hours.local_time.slice(11, 16) || hours.local_time,
          zone: hours.timezone || "",
        })
      : "";
    const rows = (hours.week || []).map((day) => {
      const intervals = (day.intervals || []).map(([from, to]) => `${from}–${to}`).join(", ");
      return h(
        "tr",
        { class: day.today ? "today" : null, "aria-current": day.today ? "date" : null },
        h(
          "th",
          { scope: "row" },
          capfirst(day.weekday),
          " ",
          h("span", { class: "date" }, formatDate(day.date)),
          day.today ? h("strong", { class: "today-label" }, ` ${gettext("(today)")}`) : null,
        ),
        h("td", {}, intervals || gettext("Closed")),
      );
    });
    return h(
      "section",
      { class: "hours", "aria-labelledby": "hours-title" },
      h("h4", { id: "hours-title" }, gettext("Opening hours")),
      state || localTime ? h("p", { class: "hours-now" }, state ? h("strong", {}, state) : null, state && localTime ? " · " : "", localTime) : null,
      rows.length
        ? h(
            "table",
            { class: "hours-table" },
            h("caption", { class: "visually-hidden" }, gettext("Opening hours this week")),
            h("tbody", {}, rows),
          )
        : null,
      hours.text ? h("p", { class: "hours-text" }, h("code", {}, hours.text)) : null,
    );
  }
}

/**
 * A link to a street-level view of the point (settings.STREET_VIEW_URL), in a new tab. None when
 * the setting is empty, or when the point is placed only at community precision: its position is
 * then the community's centre, and a street-level view there would show a street that is not the
 * service point's while looking like it is.
 */
function streetViewLink(config, p) {
  const template = config.street_view_url;
  const location = p.location;
  if (!template || !location || location.precision === "community") return null;
  const href = template
    .replaceAll("{lat}", String(location.lat))
    .replaceAll("{lon}", String(location.lon));
  return h(
    "a",
    { href, target: "_blank", rel: "noopener noreferrer", class: "button-link street-view" },
    gettext("Street-level view (opens another site in a new tab)"),
  );
}

function address(value) {
  if (!value) return "";
  const line2 = [value.community, value.province].filter(Boolean).join(", ");
  const lines = [value.street, [line2, value.postal_code].filter(Boolean).join("  ")].filter(Boolean);
  return lines.flatMap((line, index) => (index ? [h("br"), line] : [line]));
}

function levelLabel(config, code) {
  const level = config.choices.levels.find((item) => item.code === code);
  return level ? level.label : code || "";
}
