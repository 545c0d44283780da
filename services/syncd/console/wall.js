// The wall: one card per screen with its latest screenshot, the data revision and page it showed and when it was
// drawn. A click opens the screenshot at its natural size, with a button that asks the screen for a new one.
// Images are fetched with the token (GET /api/v1/screenshot?id=N) and shown through blob: URLs, each fetched once
// per id and revoked when a newer one replaces it.
import { t, onLanguage, clock, dateTime, number, pageTitle, statusLabel, reasonText } from "/fleet/i18n.js";
import { $, el, api, state, on, describe, missingRoute } from "/fleet/core.js";

const POLL_MS = 2000;         // while a screenshot asked for is awaited
const WAIT_LIMIT_MS = 90000;  // past this the dialog says the screen has not answered
const PARALLEL = 3;           // image downloads at once, well inside a token's request budget

let currentView = () => "table";
let shots = new Map();    // device → its latest screenshot's description, from GET /api/v1/screenshots
let pending = new Set();  // devices asked for a screenshot they have not sent yet
let listError = null;
let lists = 0;            // answers drawn, on #wall's data-lists: a test waits for the next one
const images = new Map(); // device → { id, url } of the image fetched for it
const cards = new Map();  // device → its card, kept across refreshes so images do not flicker
const queue = [];         // [{device, id}] images to fetch
let inFlight = 0;
let paused = false;       // after a 429, until its Retry-After
let open = null;          // the device whose dialog is open
let waiting = null;       // { device, before, since, timer, error, arrived } while "Chụp ngay" is awaited

// ---- fetching -------------------------------------------------------------------------------------------------

async function loadList() {
  try {
    const answer = await api("GET", "/api/v1/screenshots");
    shots = new Map(answer.screenshots.map((shot) => [shot.device, shot]));
    pending = new Set(answer.pending || []);
    listError = null;
  } catch (e) {
    if (e.superseded) return;
    listError = e;
  }
  for (const [device, shot] of shots)
    if ((images.get(device) || {}).id !== shot.id && !queue.some((q) => q.id === shot.id))
      queue.push({ device, id: shot.id });
  pump();
  draw();
  $("wall").dataset.lists = ++lists;
}

function pump() {
  while (!paused && inFlight < PARALLEL && queue.length) {
    const { device, id } = queue.shift();
    if ((shots.get(device) || {}).id !== id) continue;  // a newer one came meanwhile
    inFlight++;
    api("GET", "/api/v1/screenshot?id=" + encodeURIComponent(id), { expect: "blob" })
      .then((blob) => {
        if ((shots.get(device) || {}).id !== id) return;
        const old = images.get(device);
        images.set(device, { id, url: URL.createObjectURL(blob), shot: shots.get(device) });
        if (old) URL.revokeObjectURL(old.url);
        draw();
      })
      .catch((e) => {
        if (e.status !== 429) return;  // any other failure: tried again at the next list
        queue.unshift({ device, id });
        paused = true;
        setTimeout(() => { paused = false; pump(); }, e.retryAfter * 1000);
      })
      .finally(() => { inFlight--; pump(); });
  }
}

function forgetAll() {
  for (const { url } of images.values()) URL.revokeObjectURL(url);
  images.clear();
  shots = new Map();
  pending = new Set();
  queue.length = 0;
  cards.clear();
  $("wall").replaceChildren();
  stopWaiting();
  if ($("shot-dialog").open) $("shot-dialog").close();
}

// ---- the cards ------------------------------------------------------------------------------------------------

// "Bản 12 · Tổng quan · 14:03": what the screen showed, from which data, when it was drawn.
const caption = (shot) => [t("wall.revision", number(shot.revision)), pageTitle(shot.page), clock(shot.drawn_at)]
  .join(" · ");

function card(device) {
  let article = cards.get(device.name);
  if (!article) {
    article = el("article", "card");
    const thumb = el("button", "thumb", [el("img"), el("span", "placeholder")]);
    thumb.type = "button";
    thumb.querySelector("img").alt = "";
    article.append(thumb, el("div", "card-body", [el("div", "card-head", [el("h3", "name", device.name),
                                                                          el("span", "badge")]),
                                                  el("p", "caption"), el("p", "card-note")]));
    article.addEventListener("click", () => openDialog(device.name));
    cards.set(device.name, article);
  }
  // The caption and the data attributes describe the image on the card: while a newer one loads, the older one's.
  const image = images.get(device.name);
  const shot = image ? image.shot : shots.get(device.name);
  article.className = "card " + device.status;
  Object.assign(article.dataset, {
    device: device.name, status: device.status, shot: shot ? shot.id : "",
    revision: shot ? shot.revision : device.revision !== undefined ? device.revision : "",
    page: shot ? shot.page : device.page || "",
  });
  const img = article.querySelector("img");
  img.hidden = !image;
  if (image && img.getAttribute("src") !== image.url) img.src = image.url;
  if (!image) img.removeAttribute("src");
  const placeholder = article.querySelector(".placeholder");
  placeholder.hidden = Boolean(image);
  placeholder.textContent = shot ? t("wall.loading") : t("wall.no_shot");
  article.querySelector(".thumb").setAttribute("aria-label", t("wall.open", device.name));
  const badge = article.querySelector(".badge");
  badge.className = "badge " + device.status;
  badge.textContent = statusLabel(device.status);
  article.querySelector(".caption").textContent = shot ? caption(shot)
    : device.last_heartbeat !== undefined ? t("wall.heartbeat", number(device.revision), pageTitle(device.page))
    : "—";
  const note = article.querySelector(".card-note");
  note.textContent = pending.has(device.name) ? t("wall.pending") : reasonText(device, state.devices.thresholds || {});
  note.classList.toggle("pending", pending.has(device.name));
  return article;
}

function draw() {
  if (!state.devices) return;
  const devices = state.devices.devices.filter((d) => d.status !== "revoked");  // retired: nothing to look at
  const names = new Set(devices.map((d) => d.name));
  for (const name of [...cards.keys()]) if (!names.has(name)) cards.delete(name);
  for (const [name, image] of [...images]) {
    if (names.has(name)) continue;
    URL.revokeObjectURL(image.url);
    images.delete(name);
  }
  $("wall").replaceChildren(...devices.map(card));
  $("wall-empty").hidden = devices.length > 0;
  $("wall-empty").textContent = listError
    ? (missingRoute(listError) ? t("wall.unsupported") : t("wall.list_failed", describe(listError)))
    : t("wall.empty");
  if (listError) $("wall-empty").hidden = false;
  drawDialog();
}

// ---- the dialog -----------------------------------------------------------------------------------------------

function openDialog(device) {
  if (waiting && waiting.device !== device) stopWaiting();
  open = device;
  drawDialog();
  $("shot-dialog").showModal();
}

function drawDialog() {
  if (!open) return;
  const device = (state.devices.devices.find((d) => d.name === open)) || { name: open, status: "revoked" };
  const image = images.get(open);
  const shot = image ? image.shot : shots.get(open);  // the image shown's, as on its card
  $("shot-title").textContent = open;
  $("shot-status").className = "badge " + device.status;
  $("shot-status").textContent = statusLabel(device.status);
  const img = $("shot-image");
  img.hidden = !image;
  if (image && img.getAttribute("src") !== image.url) img.src = image.url;
  if (shot) [img.width, img.height] = [shot.width, shot.height];
  $("shot-none").hidden = Boolean(image);
  $("shot-none").textContent = shot ? t("wall.loading") : t("wall.no_shot");
  $("shot-caption").textContent = shot
    ? t("shot.caption", number(shot.revision), pageTitle(shot.page), dateTime(shot.drawn_at),
        clock(shot.received_at), shot.width + " × " + shot.height)
    : "";
  const progress = $("shot-progress");
  progress.className = "";
  progress.textContent = "";
  if (waiting && waiting.device === open) {
    if (waiting.error) {
      progress.className = "problem";
      progress.textContent = missingRoute(waiting.error) ? t("wall.unsupported")
                                                         : t("shot.refused", describe(waiting.error));
    } else if (waiting.arrived) {
      progress.className = "done";
      progress.textContent = t("shot.arrived", clock(shot.received_at));
    } else if (waiting.late) {
      progress.className = "problem";
      progress.textContent = t("shot.late", WAIT_LIMIT_MS / 1000);
    } else {
      progress.textContent = t("shot.waiting");
    }
  } else if (pending.has(open)) {
    progress.textContent = t("wall.pending");
  }
  $("shot-request").disabled = Boolean(waiting && waiting.device === open && !waiting.arrived && !waiting.error &&
                                       !waiting.late);
}

function stopWaiting() {
  if (waiting) clearInterval(waiting.timer);
  waiting = null;
}

async function requestShot() {
  const device = open;
  stopWaiting();
  const mine = { device, before: (shots.get(device) || {}).id, since: performance.now() };
  waiting = mine;
  drawDialog();
  try {
    await api("POST", "/api/v1/screenshot-request?device=" + encodeURIComponent(device));
  } catch (e) {
    if (waiting === mine) mine.error = e;
    drawDialog();
    return;
  }
  if (waiting !== mine) return;  // the dialog was closed, or another request made, meanwhile
  mine.timer = setInterval(async () => {
    await loadList();
    if (waiting !== mine) return clearInterval(mine.timer);
    const image = images.get(device);
    mine.arrived = Boolean(image) && image.id !== mine.before;
    mine.late = performance.now() - mine.since > WAIT_LIMIT_MS;
    if (mine.arrived || mine.late) clearInterval(mine.timer);
    drawDialog();
  }, POLL_MS);
}

// ---- wiring ---------------------------------------------------------------------------------------------------

export function initWall(view) {
  currentView = view;
  on("refreshed", () => {
    if (currentView() === "wall" || $("shot-dialog").open) loadList();
    else draw();
  });
  on("view", (name) => { if (name === "wall") loadList(); });
  on("signout", forgetAll);
  onLanguage(draw);
  $("shot-close").addEventListener("click", () => $("shot-dialog").close());
  $("shot-dialog").addEventListener("close", () => { open = null; stopWaiting(); });
  $("shot-request").addEventListener("click", requestShot);
  // Closed by a click on the backdrop too, as people expect of a picture viewer.
  $("shot-dialog").addEventListener("click", (event) => {
    if (event.target === $("shot-dialog")) $("shot-dialog").close();
  });
}
