// The tabs beside the map (list, details, summary, near here): the ARIA tabs pattern, with
// the open tab kept in the page's state.

const KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };

export class Panels {
  constructor(store, root = document) {
    this.store = store;
    this.tabs = [...root.querySelectorAll('[role="tab"]')];
    this.names = this.tabs.map((tab) => tab.id.replace(/^tab-/, ""));
    this.tabs.forEach((tab, index) => {
      tab.addEventListener("click", () => this.open(this.names[index]));
      tab.addEventListener("keydown", (event) => this.onKey(event, index));
    });
    store.subscribe((state, changed) => {
      if (changed.has("panel")) this.show(state.panel);
    });
    this.show(store.state.panel);
  }

  onKey(event, index) {
    let next = null;
    if (event.key in KEYS) next = (index + KEYS[event.key] + this.tabs.length) % this.tabs.length;
    else if (event.key === "Home") next = 0;
    else if (event.key === "End") next = this.tabs.length - 1;
    if (next === null) return;
    event.preventDefault();
    this.open(this.names[next]);
    this.tabs[next].focus();
  }

  /** Open a panel: a discrete change, so it gets its own history entry. */
  open(name, { focus = false } = {}) {
    if (this.store.state.panel !== name) this.store.update({ panel: name });
    if (focus) this.panel(name).focus();
  }

  panel(name) {
    return document.getElementById(`panel-${name}`);
  }

  show(name) {
    this.tabs.forEach((tab, index) => {
      const selected = this.names[index] === name;
      tab.setAttribute("aria-selected", String(selected));
      tab.tabIndex = selected ? 0 : -1;
      this.panel(this.names[index]).hidden = !selected;
    });
  }
}
