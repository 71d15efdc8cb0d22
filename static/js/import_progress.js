// The progress of an import run while it waits or works: polls the run's JSON endpoint about
// once a second, moves the <progress> bar and the status line (an aria-live region), and
// reloads the page once the status changes, so the report, the preview or the result show.

const config = JSON.parse(document.getElementById("import-progress-config").textContent);
const bar = document.getElementById("import-progress-bar");
const message = document.getElementById("import-progress-message");
const INTERVAL_MS = 1000;

async function poll() {
  try {
    const response = await fetch(config.url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
      cache: "no-store",
    });
    if (response.ok) {
      const state = await response.json();
      if (state.status !== config.status) {
        window.location.reload();
        return;
      }
      bar.value = state.progress;
      bar.textContent = `${state.progress} %`;
      const text = state.message || state.status_label;
      // Only a changed text is announced again by screen readers.
      if (message.textContent !== text) message.textContent = text;
    }
  } catch {
    // A network hiccup: the next poll tries again.
  }
  window.setTimeout(poll, INTERVAL_MS);
}

window.setTimeout(poll, INTERVAL_MS);
