// Translated strings and locale-aware numbers for the map's modules.
//
// Strings come from Django's JavaScriptCatalog (the djangojs domain, loaded by a classic
// script before any module runs); `make messages` extracts every gettext/ngettext call below
// and in the other modules. Placeholders are named: interpolate("%(count)s points", {count}).

const catalog = window.django || {
  gettext: (text) => text,
  ngettext: (singular, plural, count) => (count === 1 ? singular : plural),
  interpolate: (format, values) => format.replace(/%\((\w+)\)s/g, (_, name) => values[name]),
};

export const gettext = (text) => catalog.gettext(text);
export const ngettext = (singular, plural, count) => catalog.ngettext(singular, plural, count);

/** Fill the named placeholders of a translated string. */
export function interpolate(format, values) {
  return catalog.interpolate(format, values, true);
}

export const language = document.documentElement.lang || "en";
const locale = language.startsWith("fr") ? "fr-CA" : "en-CA";
const numbers = new Intl.NumberFormat(locale);
const compact = new Intl.NumberFormat(locale, { notation: "compact", maximumFractionDigits: 1 });
const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });

export const formatNumber = (value) => numbers.format(value);
/** 1.2k / 1,2 k: cluster counts inside a small circle. */
export const formatCompact = (value) => compact.format(value);

/** A straight-line distance in metres, read as "850 m" or "12.4 km". */
export function formatDistance(metres) {
  if (metres < 1000) {
    return interpolate(gettext("%(distance)s m"), { distance: numbers.format(Math.round(metres)) });
  }
  return interpolate(gettext("%(distance)s km"), { distance: oneDecimal.format(metres / 1000) });
}

export function formatDate(isoDate) {
  if (!isoDate) return "";
  const [year, month, day] = isoDate.split("-").map(Number);
  return new Date(year, month - 1, day).toLocaleDateString(locale, {
    year: "numeric",
    month: "long",
    day: "numeric",
  });
}

/** The first letter in capitals: labels of choices are stored in lower case. */
export const capfirst = (text) => (text ? text.charAt(0).toLocaleUpperCase(locale) + text.slice(1) : "");

/** "2,341 points in view": what the status line says after each move. */
export function pointsInView(count) {
  return interpolate(ngettext("%(count)s point in view", "%(count)s points in view", count), {
    count: formatNumber(count),
  });
}
