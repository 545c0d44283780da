// The display settings editor: pick a layer (the defaults, a group, a screen), edit it as a form and save the whole
// layer (PUT /api/v1/settings); a screen's groups (PUT /api/v1/groups); and the enrolment of a new screen by the code
// it shows (POST /api/v1/enrolment/claim). chiso-syncd checks every value with the kiosk's own rules, so the form
// sends what was typed and shows the server's reason when it refuses: one set of rules, not two.
import { t, onLanguage, clock, PAGES, pageTitle, settingText } from "/fleet/i18n.js";
import { $, el, api, state, on, emit, missingRoute, say, showProblem } from "/fleet/core.js";

// The form's fields in the order of the effective table; pages has its own list.
const KEYS = ["pages", "dwell_seconds", "language", "theme", "rotation", "pin_page", "review", "stale_minutes",
              "schedule", "pixel_shift"];
const SELECTS = {  // field → [option value, stored value]; "" is "not set in this layer"
  "f-language": { key: "language", options: [["vi", "vi"], ["en", "en"]] },
  "f-theme": { key: "theme", options: [["dark", "dark"], ["light", "light"]] },
  "f-rotation": { key: "rotation", options: [0, 90, 180, 270].map((n) => [String(n), n]) },
  "f-pin": { key: "pin_page", options: [["none", ""], ...PAGES.map((p) => [p, p])] },
  "f-shift": { key: "pixel_shift", options: [["true", true], ["false", false]] },
};
const TEXTS = { "f-dwell": "dwell_seconds", "f-review": "review", "f-stale": "stale_minutes", "f-schedule": "schedule" };

let layer = { kind: "defaults", name: "" };
let pageOrder = [...PAGES];
let pagesOn = new Set();
let filledWith = null;  // the stored layer the form was filled with, as JSON
let edited = false;     // typed in since: a new answer leaves the form alone

// ---- the layers -----------------------------------------------------------------------------------------------

const layerKey = (l) => (l.kind === "defaults" ? "defaults" : l.kind + ":" + l.name);
const devicesOf = () => (state.settings ? state.settings.devices : {});
// A revoked token's screen is retired: nobody sets anything for it.
const retired = (name) => (state.devices ? state.devices.devices : []).some((d) => d.name === name && d.revoked);
const screens = () => Object.keys(devicesOf()).filter((d) => !retired(d)).sort();
const groupsOf = () => (state.settings ? state.settings.groups : {});

function storedLayer(l = layer) {
  if (!state.settings) return {};
  if (l.kind === "group") return (groupsOf()[l.name] || {}).settings || {};
  if (l.kind === "device") return (devicesOf()[l.name] || {}).settings || {};
  return state.settings.defaults || {};
}

// The layers beneath `l`, lowest first, each as [its name for a person, its settings].
function beneath(l, device) {
  const stack = [[t("layer.defaults"), state.settings.defaults || {}]];
  if (l.kind !== "device" || !device) return l.kind === "defaults" ? [] : stack;
  for (const group of (devicesOf()[device] || {}).groups || [])
    stack.push([t("layer.group", group), (groupsOf()[group] || {}).settings || {}]);
  return stack;
}

const merged = (stack) => Object.assign({}, ...stack.map(([, settings]) => settings));

function drawLayers() {
  const list = $("layer-list");
  const button = (l, label, detail) => {
    const b = el("button", "layer", [el("span", "", label), detail ? el("span", "sub", detail) : ""]);
    b.type = "button";
    b.dataset.layer = layerKey(l);
    if (Object.keys(storedLayer(l)).length) b.classList.add("has-values");
    b.setAttribute("aria-current", String(layerKey(l) === layerKey(layer)));
    b.addEventListener("click", () => select(l));
    return b;
  };
  const groups = Object.keys(groupsOf()).sort();
  const devices = screens();
  const focused = list.contains(document.activeElement) ? document.activeElement.dataset.layer : null;
  list.replaceChildren(
    button({ kind: "defaults", name: "" }, t("layer.defaults"), t("layer.defaults_detail")),
    el("h3", "", t("layers.groups")),
    ...(groups.length ? groups.map((g) => {
      const n = groupsOf()[g].devices.length;
      return button({ kind: "group", name: g }, g, n === 1 ? t("layer.member") : t("layer.members", n));
    })
                      : [el("p", "hint", t("layers.no_groups"))]),
    el("h3", "", t("layers.devices")),
    ...devices.map((d) => button({ kind: "device", name: d }, d, (devicesOf()[d].groups || []).join(", "))));
  if (focused) [...list.querySelectorAll("button")].find((b) => b.dataset.layer === focused)?.focus();
}

function select(next) {
  layer = next;
  fillForm();
  draw();
}

// ---- the form -------------------------------------------------------------------------------------------------

function fillForm() {
  const values = storedLayer();
  filledWith = JSON.stringify(values);
  edited = false;
  pagesOn = new Set(values.pages || []);
  pageOrder = [...(values.pages || []), ...PAGES.filter((p) => !(values.pages || []).includes(p))];
  for (const [id, { key, options }] of Object.entries(SELECTS)) {
    const found = options.find(([, stored]) => stored === values[key]);
    $(id).value = key in values && found ? found[0] : "";
  }
  for (const [id, key] of Object.entries(TEXTS)) {
    const value = values[key];
    $(id).value = value === undefined ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
  }
  showProblem($("settings-error"), null);
  say($("settings-saved"), null);
  $("groups-input").value = layer.kind === "device" ? ((devicesOf()[layer.name] || {}).groups || []).join(", ") : "";
  showProblem($("groups-error"), null);
  say($("groups-saved"), null);
  drawPages();
}

// What the form says, as the layer's whole object. Numbers and the schedule go as typed when they are not what
// they should be, so that the server names the rule they break.
function formLayer() {
  const out = {};
  for (const [key, value] of Object.entries(storedLayer())) if (!KEYS.includes(key)) out[key] = value;
  const pages = pageOrder.filter((p) => pagesOn.has(p));
  if (pages.length) out.pages = pages;
  for (const [id, { key, options }] of Object.entries(SELECTS)) {
    const found = options.find(([value]) => value === $(id).value);
    if (found) out[key] = found[1];
  }
  for (const [id, key] of Object.entries(TEXTS)) {
    const text = $(id).value.trim();
    if (!text) continue;
    if (key === "schedule") {
      try { out[key] = JSON.parse(text); } catch { out[key] = text; }
    } else if (key === "review") {
      out[key] = text;  // a period is a text, even "2019"
    } else {
      out[key] = /^-?\d+$/.test(text) ? Number(text) : text;
    }
  }
  return out;
}

function drawPages() {
  const list = $("page-list");
  list.replaceChildren(...pageOrder.map((page, i) => {
    const box = el("input");
    box.type = "checkbox";
    box.id = "page-" + page;
    box.checked = pagesOn.has(page);
    box.addEventListener("change", () => { box.checked ? pagesOn.add(page) : pagesOn.delete(page); });
    const move = (step, label, symbol) => {
      const b = el("button", "move", symbol);
      b.type = "button";
      b.setAttribute("aria-label", t(label, pageTitle(page)));
      b.disabled = i + step < 0 || i + step >= pageOrder.length;
      b.addEventListener("click", () => {
        [pageOrder[i], pageOrder[i + step]] = [pageOrder[i + step], pageOrder[i]];
        edited = true;
        drawPages();
        list.querySelectorAll("button.move")[2 * (i + step) + (step < 0 ? 0 : 1)].focus();
      });
      return b;
    };
    const label = el("label", "", [el("span", "", pageTitle(page)), el("code", "", page)]);
    label.htmlFor = box.id;
    const item = el("li", "", [box, label, move(-1, "pages.up", "↑"), move(1, "pages.down", "↓")]);
    item.dataset.page = page;
    return item;
  }));
}

// Each empty field says what the screen gets instead: the value of the layers beneath, or the kiosk's own.
function drawInherited() {
  const inherited = merged(beneath(layer, layer.kind === "device" ? layer.name : ""));
  const word = (key) => (key in inherited ? settingText(key, inherited[key]) : t("inherit.kiosk"));
  for (const [id, { key, options }] of Object.entries(SELECTS)) {
    const labels = [t("inherit.option", word(key)), ...options.map(([, stored]) => settingText(key, stored))];
    // Only the words change, so a list someone has open stays open.
    [...$(id).options].forEach((option, i) => { if (option.textContent !== labels[i]) option.textContent = labels[i]; });
  }
  for (const [id, key] of Object.entries(TEXTS)) $(id).placeholder = t("inherit.placeholder", word(key));
  $("pages-inherited").textContent = t("pages.inherited", word("pages"));
}

// The saved result for one screen: each setting, its value and the layer it comes from.
function drawEffective() {
  const choices = layer.kind === "device" ? [layer.name]
                : layer.kind === "group" ? (groupsOf()[layer.name] || { devices: [] }).devices
                : screens();
  const menu = $("effective-device");
  const chosen = choices.includes(menu.value) ? menu.value : choices[0] || "";
  menu.replaceChildren(...choices.map((d) => el("option", "", d)));
  menu.value = chosen;
  menu.disabled = choices.length < 2;
  const device = devicesOf()[chosen];
  $("effective-table").tBodies[0].replaceChildren(...(!device ? [] : KEYS.map((key) => {
    const stack = [...beneath({ kind: "device" }, chosen), [t("layer.device"), device.settings || {}]];
    const from = stack.filter(([, settings]) => key in settings).pop();
    const tr = el("tr", from ? "" : "unset", [el("th", "", t("field." + key)),
                                              el("td", "", key in device.effective
                                                ? settingText(key, device.effective[key]) : "—"),
                                              el("td", "from", from ? from[0] : t("inherit.kiosk"))]);
    tr.dataset.key = key;
    return tr;
  })));
}

function draw() {
  if (!state.settings) return;
  if (layer.kind === "group" && !groupsOf()[layer.name]) select({ kind: "defaults", name: "" });
  if (layer.kind === "device" && !devicesOf()[layer.name]) select({ kind: "defaults", name: "" });
  $("layer-title").textContent = layer.kind === "defaults" ? t("layer.defaults_title")
                               : t(layer.kind === "group" ? "layer.group_title" : "layer.device_title", layer.name);
  drawLayers();
  drawInherited();
  drawEffective();
  $("groups-form").hidden = layer.kind !== "device";
  $("group-members").hidden = layer.kind !== "group";
  if (layer.kind === "group") {
    $("members-list").replaceChildren(...(groupsOf()[layer.name] || { devices: [] }).devices.map((d) => {
      const b = el("button", "chip", d);
      b.type = "button";
      b.addEventListener("click", () => select({ kind: "device", name: d }));
      return el("li", "", b);
    }));
  }
}

const query = () => (layer.kind === "defaults" ? "" : "?" + layer.kind + "=" + encodeURIComponent(layer.name));

async function reloadSettings() {
  try { state.settings = await api("GET", "/api/v1/settings"); } catch { /* the next refresh brings it */ }
  emit("changed");
}

async function save(event) {
  event.preventDefault();
  const button = event.submitter || $("settings-form").querySelector("[type=submit]");
  button.disabled = true;
  showProblem($("settings-error"), null);
  say($("settings-saved"), null);
  try {
    await api("PUT", "/api/v1/settings" + query(), { body: formLayer() });
    const at = Date.now() / 1000;
    await reloadSettings();
    fillForm();
    draw();
    say($("settings-saved"), () => t("settings.saved", clock(at)));
  } catch (e) {
    if (!e.superseded) showProblem($("settings-error"), () => t("settings.refused", e.status || "—"), e);
  } finally {
    button.disabled = false;
  }
}

async function saveGroups(event) {
  event.preventDefault();
  const groups = $("groups-input").value.split(",").map((g) => g.trim()).filter(Boolean);
  showProblem($("groups-error"), null);
  say($("groups-saved"), null);
  try {
    await api("PUT", "/api/v1/groups?device=" + encodeURIComponent(layer.name), { body: groups });
    await reloadSettings();
    draw();
    $("groups-input").value = ((devicesOf()[layer.name] || {}).groups || []).join(", ");
    const at = Date.now() / 1000;
    say($("groups-saved"), () => t("groups.saved", clock(at)));
  } catch (e) {
    if (!e.superseded) showProblem($("groups-error"), () => t("groups.refused", e.status || "—"), e);
  }
}

// ---- enrolment ------------------------------------------------------------------------------------------------

async function enrol(event) {
  event.preventDefault();
  const value = (id) => $(id).value.trim();
  const claim = { code: value("enrol-code").toUpperCase(), name: value("enrol-name"), org: value("enrol-org"),
                  groups: value("enrol-groups").split(",").map((g) => g.trim()).filter(Boolean) };
  showProblem($("enrol-error"), null);
  say($("enrol-done"), null);
  const button = $("enrol-form").querySelector("[type=submit]");
  button.disabled = true;
  try {
    const answer = await api("POST", "/api/v1/enrolment/claim", { body: claim });
    $("enrol-form").reset();
    say($("enrol-done"), () => t("enrol.done", answer.name, answer.scope));
    emit("changed");
  } catch (e) {
    if (e.superseded) return;
    // A 404 is a code no screen waits with, or an organisation that does not exist: the server's words tell which.
    const key = missingRoute(e) ? "enrol.unsupported"
              : e.status === 404 && /organisation/.test(e.reason) ? "enrol.unknown_org"
              : [400, 404, 409, 429].includes(e.status) ? "enrol." + e.status : "enrol.failed";
    const summary = () => t(key, e.status || "—");
    showProblem($("enrol-error"), summary, e);
  } finally {
    button.disabled = false;
  }
}

// ---- wiring ---------------------------------------------------------------------------------------------------

export function initSettings() {
  for (const [id, { options }] of Object.entries(SELECTS)) {  // their words come with the first answer
    $(id).replaceChildren(...["", ...options.map(([value]) => value)].map((value) => {
      const option = el("option");
      option.value = value;
      return option;
    }));
  }
  // A new answer fills the form with the layer as stored now, unless something was typed: that stays until it is
  // saved, or undone with "Bỏ thay đổi", or another layer is chosen.
  on("refreshed", () => {
    if (state.settings && !edited && JSON.stringify(storedLayer()) !== filledWith) fillForm();
    draw();
  });
  for (const event of ["input", "change"]) $("settings-form").addEventListener(event, () => { edited = true; });
  on("signout", () => { layer = { kind: "defaults", name: "" }; filledWith = null; });
  onLanguage(() => { drawPages(); draw(); });
  $("settings-form").addEventListener("submit", save);
  $("settings-reset").addEventListener("click", () => { fillForm(); draw(); });
  $("settings-clear").addEventListener("click", () => {
    pagesOn.clear();
    edited = true;
    for (const id of [...Object.keys(SELECTS), ...Object.keys(TEXTS)]) $(id).value = "";
    drawPages();
  });
  $("effective-device").addEventListener("change", drawEffective);
  $("groups-form").addEventListener("submit", saveGroups);
  $("enrol-form").addEventListener("submit", enrol);
}
