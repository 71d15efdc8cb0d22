// Requests to the JSON API and the tiles: same-origin cookies, the page's language, and errors
// turned into messages a person can read.

import { gettext, interpolate, language } from "./i18n.js";

export class ApiError extends Error {
  constructor(message, { status = 0, parameters = null } = {}) {
    super(message);
    this.status = status;
    this.parameters = parameters;
  }
}

const headers = { Accept: "application/json", "Accept-Language": language };

/** Parse a failed response into an ApiError: 400s name the parameters at fault. */
async function failure(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: an HTML error page or a proxy's; the status says enough.
  }
  if (body && body.error) {
    const details = Object.entries(body.parameters || {})
      .map(([name, messages]) => `${name}: ${[].concat(messages).join(" ")}`)
      .join("; ");
    return new ApiError(details ? `${body.error} (${details})` : body.error, {
      status: response.status,
      parameters: body.parameters || null,
    });
  }
  if (response.status === 403 || response.status === 401) {
    return new ApiError(gettext("Your session has ended: sign in again."), {
      status: response.status,
    });
  }
  if (response.status === 404) {
    return new ApiError(gettext("Not found, or not available to you."), { status: 404 });
  }
  return new ApiError(
    interpolate(gettext("The server could not answer (error %(status)s)."), {
      status: response.status,
    }),
    { status: response.status },
  );
}

/** GET a JSON document; `signal` cancels a request that a newer one replaces. */
export async function getJSON(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { headers, credentials: "same-origin", signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(gettext("The server cannot be reached. Check your connection."));
  }
  if (!response.ok) throw await failure(response);
  return response.json();
}

/** GET binary data (vector tiles); a 204 or 404 tile is simply empty. */
export async function getBytes(url, { signal } = {}) {
  let response;
  try {
    response = await fetch(url, { headers, credentials: "same-origin", signal });
  } catch (error) {
    if (error.name === "AbortError") throw error;
    throw new ApiError(gettext("The server cannot be reached. Check your connection."));
  }
  if (response.status === 204 || response.status === 404) return null;
  if (!response.ok) throw await failure(response);
  return response.arrayBuffer();
}

/** A URL with query parameters; `template` may hold {name} placeholders. */
export function urlWith(template, params = {}, query = null) {
  const path = template.replace(/\{(\w+)\}/g, (_, name) => encodeURIComponent(params[name]));
  const search = query ? query.toString() : "";
  return search ? `${path}?${search}` : path;
}

/** Keeps only the latest of a series of requests: each call aborts the previous one. */
export function latestOnly() {
  let controller = null;
  return () => {
    if (controller) controller.abort();
    controller = new AbortController();
    return controller.signal;
  };
}

export const isAbort = (error) => error && error.name === "AbortError";
