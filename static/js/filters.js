// The filter and layer controls of the side panel, kept in step with the page's state.
//
// Level, kind, organization and status are groups of check boxes that act as layer toggles:
// all ticked means no restriction (the parameter is left out), some ticked sends those codes.
// Jurisdiction, service and language are single choices; "bilingual only" and "open now" are
// switches; the base map style is a radio group. Every change is a discrete one: it gets its own history entry.

import { gettext, interpolate } from "./i18n.js";
import { FLAG_FILTERS, LIST_FILTERS } from "./state.js";
import { clusterSvg, symbolSvg } from "./symbols.js";

const GROUPS = ["level", "kind", "organization", "status"];
const SINGLE = ["jurisdiction", "service", "language"];

export class Filters {
  constructor(store, form) {
    this.store = store;
    this.form = form;
    drawLegend(form.ownerDocument);
    form.addEventListener("submit", (event) => event.preventDefault());
    form.addEventListener("change", () => this.apply());
    form.querySelectorAll("[data-check-all], [data-check-none]").forEach((button) => {
      button.addEventListener("click", () => {
        const name = button.dataset.checkAll || button.dataset.checkNone;
        const checked = Boolean(button.dataset.checkAll);
        this.boxes(name).forEach((box) => {
          box.checked = checked;
        });
        this.apply();
      });
    });
    document.getElementById("reset-filters").addEventListener("click", () => {
      const filters = Object.fromEntries(
        [...LIST_FILTERS, ...FLAG_FILTERS].map((name) => [name, null]),
      );
      store.update({ filters });
    });
    store.subscribe((state, changed) => {
      if (changed.has("filters") || changed.has("layers") || changed.has("base")) this.render(state);
    });
    this.render(store.state);
  }

  boxes(name) {
    return [...this.form.querySelectorAll(`input[type="checkbox"][name="${name}"]`)];
  }

  /** Read the controls into the state. */
  apply() {
    const filters = {};
    for (const name of GROUPS) {
      const boxes = this.boxes(name);
      const ticked = boxes.filter((box) => box.checked).map((box) => box.value);
      filters[name] = ticked.length === boxes.length ? null : ticked;
    }
    for (const name of SINGLE) {
      const value = this.form.elements[name].value;
      filters[name] = value ? [value] : null;
    }
    for (const name of FLAG_FILTERS) {
      filters[name] = this.form.elements[name].checked ? true : null;
    }
    const layers = this.boxes("layer")
      .filter((box) => box.checked)
      .map((box) => box.value);
    const base = this.form.querySelector('input[type="radio"][name="base"]:checked');
    this.store.update({ filters, layers, ...(base ? { base: base.value } : {}) });
  }

  /** Show a state in the controls (first load, Back/Forward, reset). */
  render(state) {
    for (const name of GROUPS) {
      const codes = state.filters[name];
      this.boxes(name).forEach((box) => {
        box.checked = codes === null || codes.includes(box.value);
      });
    }
    for (const name of SINGLE) {
      const select = this.form.elements[name];
      const codes = state.filters[name];
      // Several codes (a hand-made link) cannot show in a single choice: show the first.
      select.value = codes && codes.length ? codes[0] : "";
    }
    for (const name of FLAG_FILTERS) {
      this.form.elements[name].checked = Boolean(state.filters[name]);
    }
    this.boxes("layer").forEach((box) => {
      box.checked = state.layers.includes(box.value);
    });
    this.form.querySelectorAll('input[type="radio"][name="base"]').forEach((radio) => {
      radio.checked = radio.value === state.base;
    });
    const organizations = this.boxes("organization");
    const ticked = organizations.filter((box) => box.checked).length;
    document.getElementById("organization-count").textContent =
      ticked === organizations.length
        ? interpolate(gettext("(all %(total)s)"), { total: organizations.length })
        : interpolate(gettext("(%(count)s of %(total)s)"), {
            count: ticked,
            total: organizations.length,
          });
  }
}

/** Fill the legend's swatches with the symbols the map draws. */
function drawLegend(doc) {
  doc.querySelectorAll(".legend-symbol").forEach((slot) => {
    if (slot.firstChild) return;
    let svg;
    if ("cluster" in slot.dataset) svg = clusterSvg(20);
    else if ("muted" in slot.dataset) {
      svg = symbolSvg({ level: "provincial", kind: "centre" });
      svg.style.opacity = "0.45";
    } else if (slot.dataset.kind) svg = symbolSvg({ kind: slot.dataset.kind });
    else svg = symbolSvg({ level: slot.dataset.level, kind: "centre" });
    slot.append(svg);
  });
}
