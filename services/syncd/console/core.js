// What every part of IT's console shares: the token, the one way to ask chiso-syncd for anything, the answers last
// received, a few events between the parts, and DOM helpers. Data from the network reaches the page only as text
// (textContent, attributes), never as markup.
import { t, onLanguage } from "/fleet/i18n.js";

export const REFRESH_MS = 10000;
const REQUEST_TIMEOUT_MS = 8000;
const TOKEN_KEY = "chiso.fleet.token";

export const $ = (id) => document.getElementById(id);

// An element with a class and a text; `content` may be a node or a list of nodes and strings instead.
export function el(tag, className, content) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (Array.isArray(content)) element.append(...content);
  else if (content instanceof Node) element.append(content);
  else if (content !== undefined && content !== null) element.textContent = String(content);
  return element;
}

// The token lives in the tab (sessionStorage): closing it signs out.
export const session = {
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  signIn(token) {
    this.token = token;
    sessionStorage.setItem(TOKEN_KEY, token);
  },
  signOut() {
    this.token = "";
    sessionStorage.removeItem(TOKEN_KEY);
  },
};

// The last good answers. devicesAt is performance.now() when the devices came, so that ages keep counting from the
// server's own second counts between refreshes: the browser's clock is not trusted.
export const state = { devices: null, devicesAt: 0, settings: null };

export const elapsed = () => (performance.now() - state.devicesAt) / 1000;

// Events between the parts: "refreshed" (new answers in state), "view" (the tab shown), "signout".
const events = new EventTarget();
export const emit = (name, detail) => events.dispatchEvent(new CustomEvent(name, { detail }));
export const on = (name, listener) => events.addEventListener(name, (event) => listener(event.detail));

// A refused or failed request. status: the HTTP status, or 0 when no answer came (kind "network" or "timeout");
// reason: the server's {"error": ...} as it wrote it. superseded: the token changed while it was under way.
export class ApiError extends Error {
  constructor(status, reason, { kind = "http", retryAfter = 0, superseded = false } = {}) {
    super(reason);
    Object.assign(this, { status, reason, kind, retryAfter, superseded });
  }
}

async function reasonOf(response) {
  try {
    const body = await response.json();
    if (body && typeof body.error === "string") return body.error;
  } catch { /* not JSON: the status says enough */ }
  return response.statusText || String(response.status);
}

// One request with the token. Resolves to the JSON (null for 204), or a Blob with expect: "blob"; rejects with an
// ApiError. A 401 anywhere means the token is gone: "refused" is emitted and the shell signs out.
export async function api(method, path, { body, expect = "json" } = {}) {
  const sentWith = session.token;
  const abort = new AbortController();
  const deadline = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  const headers = { Authorization: "Bearer " + sentWith };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  try {
    const response = await fetch(path, {
      method, headers, cache: "no-store", signal: abort.signal,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (sentWith !== session.token) throw new ApiError(0, "", { superseded: true });
    if (!response.ok) {
      const error = new ApiError(response.status, await reasonOf(response),
                                 { retryAfter: Number(response.headers.get("Retry-After")) || 1 });
      if (response.status === 401) emit("refused", error);
      throw error;
    }
    if (response.status === 204) return null;
    return expect === "blob" ? await response.blob() : await response.json();
  } catch (e) {
    if (e instanceof ApiError) throw e;
    if (e.name === "AbortError") throw new ApiError(0, "", { kind: "timeout" });
    throw new ApiError(0, e.message, { kind: "network" });
  } finally {
    clearTimeout(deadline);
  }
}

// Why a request failed, in the language shown now.
export function describe(error) {
  if (error.kind === "timeout") return t("error.timeout", REQUEST_TIMEOUT_MS / 1000);
  if (error.kind === "network") return error.reason || t("error.network");
  return error.status + ": " + error.reason;
}

// A route this chiso-syncd does not have yet (an older binary): said as such, not as a refusal.
export const missingRoute = (error) => error.status === 404 && error.reason === "no such route";

// Messages that follow the language: each shown element with the function that draws it again.
const shown = new Map();
onLanguage(() => { for (const draw of shown.values()) draw(); });

// Shows a message made by `words()` in the language shown, or hides the element for null.
export function say(element, words) {
  showWith(element, words && (() => { element.textContent = words(); }));
}

// Shows or hides an error box: a line made by `summary()`, then the server's own words beneath it, as it wrote them.
export function showProblem(box, summary, error) {
  showWith(box, summary && (() => {
    box.replaceChildren(el("strong", "", summary()));
    if (error && error.reason) box.append(el("span", "server-reason", error.reason));
  }));
}

function showWith(element, draw) {
  element.hidden = !draw;
  if (!draw) {
    shown.delete(element);
    element.replaceChildren();
    return;
  }
  shown.set(element, draw);
  draw();
}
