// IT's console, the shell: sign-in with a token, the refresh every 10 s, the tabs, the counts in the header, the
// language toggle and the table of screens. The wall (wall.js) and the settings and enrolment forms (settings.js)
// draw from the same answers.
import { t, onLanguage, toggleLanguage, applyLanguage, duration, ago, number, pageTitle, statusLabel, reasonText,
         STATUS_ORDER } from "/fleet/i18n.js";
import { $, el, api, session, state, elapsed, emit, on, describe, REFRESH_MS } from "/fleet/core.js";
import { initWall } from "/fleet/wall.js";
import { initSettings } from "/fleet/settings.js";

const VIEWS = ["table", "wall", "settings", "enrol"];
const rankOf = (status) => (STATUS_ORDER.includes(status) ? STATUS_ORDER.indexOf(status) : 99);
const collator = new Intl.Collator("vi", { numeric: true, sensitivity: "base" });

let view = VIEWS.includes(location.hash.slice(1)) ? location.hash.slice(1) : "table";
let sort = { key: "status", dir: 1 };
let error = null;  // a function giving the error line's text, so that it follows the language
let timer = 0;

// ---- the error line, sign-in and sign-out ---------------------------------------------------------------------

function showError(message) {
  error = message;
  $("error").textContent = message ? message() : "";
  $("error").hidden = !message;
}

function signOut(message) {
  session.signOut();
  state.devices = state.settings = null;
  clearInterval(timer);
  timer = 0;
  emit("signout");
  showError(message);
  draw();
  $("token").focus();
}

on("refused", (e) => signOut(() => t("error.401", e.reason)));

async function refresh() {
  if (!session.token) return;
  const [devices, settings] = await Promise.allSettled([api("GET", "/api/v1/devices"),
                                                       api("GET", "/api/v1/settings")]);
  if (devices.status === "rejected") {
    const e = devices.reason;
    if (e.superseded || e.status === 401) return;  // 401: already signed out
    if (e.status === 403) return signOut(() => t("error.403", e.reason));
    const every = REFRESH_MS / 1000;
    showError(() => (e.status ? t("error.http", e.status, e.reason, every)
                              : t("error.unreachable", describe(e), every) + (state.devices ? t("error.kept") : "")));
    return;
  }
  state.devices = devices.value;
  state.devicesAt = performance.now();
  if (settings.status === "fulfilled") state.settings = settings.value;  // else the groups wait for the next one
  showError(null);
  draw();
  emit("refreshed");
}

function start() {
  clearInterval(timer);
  timer = setInterval(refresh, REFRESH_MS);
  draw();
  refresh();
}

// ---- tabs -----------------------------------------------------------------------------------------------------

function showView(next) {
  view = next;
  history.replaceState(null, "", "#" + next);
  draw();
  emit("view", next);
}

// ---- the header -----------------------------------------------------------------------------------------------

function drawCounts() {
  const counts = $("counts");
  counts.replaceChildren();
  if (!state.devices) return;
  for (const status of STATUS_ORDER) {
    const n = (state.devices.counts && state.devices.counts[status]) || 0;
    if (status === "revoked" && !n) continue;
    const chip = el("span", "count " + status + (n ? " some" : ""), [el("b", "", number(n)), statusLabel(status)]);
    chip.dataset.status = status;
    counts.append(chip);
  }
}

// Between answers the ages keep counting.
function tick() {
  if (!state.devices) return;
  for (const cell of document.querySelectorAll("td.heartbeat[data-silent-s]"))
    cell.textContent = ago(Number(cell.dataset.silentS) + elapsed());
  $("updated").textContent = t("meta.updated", ago(elapsed()));
}

// ---- the table ------------------------------------------------------------------------------------------------

const groupsOf = (name) => (state.settings && state.settings.devices[name] && state.settings.devices[name].groups) || [];
const seen = (d) => d.last_heartbeat !== undefined;

// The value each column sorts by; "nothing known" sorts as the worst (last heartbeat: never; data: none).
const sortValue = {
  name: (d) => d.name,
  scope: (d) => d.scope || "",
  groups: (d) => groupsOf(d.name).join(" "),
  status: (d) => rankOf(d.status),
  heartbeat: (d) => (seen(d) ? d.silent_s : Infinity),
  revision: (d) => (d.revision === undefined ? -1 : d.revision),
  data_age: (d) => (d.data_age_s === undefined || d.data_age_s < 0 ? Infinity : d.data_age_s),
  page: (d) => d.page || "",
  display: (d) => (!seen(d) ? 3 : d.display_connected === false ? 0 : d.display_power === "standby" ? 1 : 2),
  settings: (d) => (d.settings_current === undefined ? 2 : d.settings_current ? 1 : 0),
};

function compare(a, b) {
  const x = sortValue[sort.key](a), y = sortValue[sort.key](b);
  const primary = typeof x === "string" ? collator.compare(x, y) : x === y ? 0 : x < y ? -1 : 1;
  if (primary) return primary * sort.dir;
  return rankOf(a.status) - rankOf(b.status) || collator.compare(a.name, b.name);
}

const none = (className) => el("td", className, el("span", "none", "—"));

// What the room sees: no display plugged in, the display in standby, off by its schedule, or on; with the
// connector and what HDMI-CEC says beneath.
function displayCell(d) {
  if (!seen(d)) return none("display");
  const [word, lamp] = d.display_connected === false ? [t("display.none"), "off"]
                     : d.screen_on && d.display_power === "standby" ? [t("display.standby"), "off"]
                     : !d.screen_on ? [t("display.schedule_off"), "off"] : [t("display.on"), "on"];
  const cell = el("td", "display", el("span", "lamp " + lamp, word));
  cell.dataset.screen = d.screen_on ? "on" : "off";
  const detail = [d.display_connector, d.display_power && t("display.cec", t("power." + d.display_power))];
  if (detail.some(Boolean)) cell.append(el("span", "sub", detail.filter(Boolean).join(" · ")));
  return cell;
}

function row(d) {
  const tr = el("tr", d.status);
  tr.dataset.device = d.name;
  tr.dataset.status = d.status;
  const name = el("td", "device", d.name);
  if (seen(d) && d.version) name.append(el("span", "sub", "v" + d.version));
  const groups = el("td", "groups", el("span", "chips", groupsOf(d.name).map((g) => el("span", "chip", g))));
  const status = el("td", "status", [el("span", "badge " + d.status, statusLabel(d.status)),
                                     el("span", "reason", reasonText(d, state.devices.thresholds || {}))]);
  const heartbeat = seen(d) ? el("td", "age heartbeat") : el("td", "age heartbeat", el("span", "none", t("never")));
  if (seen(d)) {
    heartbeat.textContent = ago(d.silent_s + elapsed());  // and on, every second, by tick()
    heartbeat.dataset.silentS = d.silent_s;
    heartbeat.title = d.last_heartbeat.replace("T", " ").replace("Z", " UTC");
  }
  const data = !seen(d) ? none("age data")
             : d.data_age_s < 0 ? el("td", "age data", el("span", "none", t("no_data")))
             : el("td", "age data", duration(d.data_age_s));
  const settings = !seen(d) ? none("settings")
                 : el("td", "settings " + (d.settings_current ? "current" : "pending"),
                      t(d.settings_current ? "settings.current" : "settings.pending"));
  if (seen(d) && !d.settings_current) settings.title = t("settings.pending_title");
  tr.append(name, el("td", "scope", d.scope || "—"), groups, status, heartbeat,
            seen(d) ? el("td", "num revision", number(d.revision)) : none("num revision"), data,
            seen(d) && d.page ? el("td", "page", pageTitle(d.page)) : none("page"), displayCell(d), settings);
  return tr;
}

function drawTable() {
  const devices = [...state.devices.devices].sort(compare);
  $("devices").tBodies[0].replaceChildren(...devices.map(row));
  $("empty").hidden = devices.length > 0;
  $("devices").hidden = devices.length === 0;
  for (const th of $("devices").tHead.rows[0].cells) {
    if (th.dataset.key === sort.key) th.setAttribute("aria-sort", sort.dir > 0 ? "ascending" : "descending");
    else th.removeAttribute("aria-sort");
  }
  const limits = state.devices.thresholds || {};
  $("thresholds").textContent = t("thresholds", duration(limits.silent_after_s), duration(limits.stale_after_s),
                                  REFRESH_MS / 1000);
}

// ---- drawing it all -------------------------------------------------------------------------------------------

function draw() {
  const signedIn = Boolean(session.token);
  $("login").hidden = signedIn;
  $("forget").hidden = $("bar").hidden = !signedIn;
  $("tabs").hidden = !state.devices;
  for (const name of VIEWS) {
    $("view-" + name).hidden = !signedIn || !state.devices || name !== view;
    $("tab-" + name).setAttribute("aria-selected", String(name === view));
    $("tab-" + name).tabIndex = name === view ? 0 : -1;
  }
  drawCounts();
  if (!state.devices) {
    $("updated").textContent = signedIn ? t("meta.loading") : "";
    return;
  }
  drawTable();
  tick();
}

// ---- wiring ---------------------------------------------------------------------------------------------------

$("login").addEventListener("submit", (event) => {
  event.preventDefault();
  const typed = $("token").value.trim();
  if (!typed) return;
  session.signIn(typed);
  $("token").value = "";
  showError(null);
  start();
});

$("forget").addEventListener("click", () => signOut(null));
$("refresh").addEventListener("click", refresh);
$("language").addEventListener("click", toggleLanguage);

for (const tab of document.querySelectorAll("#tabs [role=tab]")) {
  tab.addEventListener("click", () => showView(tab.dataset.view));
  tab.addEventListener("keydown", (event) => {  // arrows move between tabs, as in any tab list
    const step = { ArrowRight: 1, ArrowLeft: -1 }[event.key];
    if (!step) return;
    const next = VIEWS[(VIEWS.indexOf(view) + step + VIEWS.length) % VIEWS.length];
    showView(next);
    $("tab-" + next).focus();
  });
}

for (const th of document.querySelectorAll("#devices th")) {
  th.querySelector("button").addEventListener("click", () => {
    const key = th.dataset.key;
    sort = { key, dir: sort.key === key ? -sort.dir : 1 };
    if (state.devices) drawTable();
  });
}

onLanguage(() => {
  if (error) $("error").textContent = error();
  draw();
});
on("changed", refresh);  // a form saved something: show it now, not in 10 s

initWall(() => view);
initSettings();
applyLanguage();
setInterval(tick, 1000);
if (session.token) start(); else draw();
