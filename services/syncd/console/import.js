// The statistician's import page: a file is sent as a dry run (syncd checks it and previews what it would change,
// applying nothing), its problems or its preview are shown, and only "Apply" sends it to be applied; the history
// lists every import, each undoable while nothing later changed its figures. Data from the network reaches the
// page only as text (textContent), never as markup; every number is syncd's, formatted here for the language.
import { t, reason, number, dateTime, applyLanguage, toggleLanguage, onLanguage } from "/import/i18n.js";

const TOKEN_KEY = "chiso.import.token";
const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const element = document.createElement(tag);
  if (className) element.className = className;
  if (text !== undefined && text !== null) element.textContent = String(text);
  return element;
}

const session = {
  token: sessionStorage.getItem(TOKEN_KEY) || "",
  signIn(token) { this.token = token; sessionStorage.setItem(TOKEN_KEY, token); },
  signOut() { this.token = ""; sessionStorage.removeItem(TOKEN_KEY); },
};

// What the page shows now, drawn again when the language changes.
const shown = { checked: null, file: null, kind: "", history: null, revision: 0, message: null, error: null };

// One request with the token: resolves to {status, body} (the JSON answer), whatever the status; a file is sent
// by XMLHttpRequest, whose upload reports its progress.
function request(method, path, { file, onProgress } = {}) {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    xhr.setRequestHeader("Authorization", "Bearer " + session.token);
    xhr.responseType = "json";
    if (onProgress) xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
    xhr.onload = () => resolve({ status: xhr.status, body: xhr.response || {} });
    xhr.onerror = () => resolve({ status: 0, body: {} });
    xhr.send(file || null);
  });
}

// A refusal that is not the file's: the token, the network, the size.
function failure(answer) {
  const why = answer.body && answer.body.error ? answer.body.error : "";
  if (answer.status === 0) return t("error.network");
  if (answer.status === 401) return t("error.401", why);
  if (answer.status === 403) return t("error.403", why);
  if (answer.status === 413) return t("error.too_large");
  return t("error.http", answer.status, why);
}

function showError(words) {
  shown.error = words;
  $("error").hidden = !words;
  $("error").textContent = words ? words() : "";
}

function showLogin(visible) {
  $("login").hidden = !visible;
  $("work").hidden = visible;
  $("forget").hidden = visible;
  if (visible) $("token").focus();
}

// ---- the history --------------------------------------------------------------------------------------------------

async function loadHistory() {
  const answer = await request("GET", "/api/v1/imports");
  if (answer.status !== 200) {
    showError(() => failure(answer));
    if (answer.status === 401 || answer.status === 403) showLogin(true);
    return false;
  }
  shown.history = answer.body.imports;
  shown.revision = answer.body.revision;
  drawHistory();
  return true;
}

const undoable = (kind) => kind === "values" || kind === "targets" || kind === "undo";

function drawHistory() {
  $("revision").textContent = shown.revision ? t("meta.revision", number(shown.revision)) : "";
  const body = $("history-table").tBodies[0];
  body.replaceChildren();
  if (!shown.history || shown.history.length === 0) {
    const row = body.insertRow();
    const cell = row.insertCell();
    cell.colSpan = 8;
    cell.className = "none";
    cell.textContent = t("history.empty");
    return;
  }
  for (const item of shown.history) {
    const row = body.insertRow();
    row.dataset.revision = item.revision;
    row.insertCell().append(el("span", "num", number(item.revision)));
    row.insertCell().textContent = dateTime(item.applied_at);
    const kind = row.insertCell();
    kind.textContent = t("kind." + item.kind);
    if (item.undoes) kind.append(el("span", "sub", t("history.undoes", number(item.undoes))));
    row.insertCell().textContent = item.file;
    const rows = row.insertCell();
    rows.className = "num";
    rows.textContent = number(item.rows);
    row.insertCell().textContent = item.who;
    const checksum = row.insertCell();
    checksum.className = "checksum";
    checksum.textContent = item.checksum ? item.checksum.slice(0, 12) + "…" : "";
    checksum.title = item.checksum;
    const action = row.insertCell();
    if (undoable(item.kind)) {
      const button = el("button", "danger", t(item.kind === "undo" ? "history.redo" : "history.undo"));
      button.type = "button";
      button.addEventListener("click", () => undo(item));
      action.append(button);
    }
  }
}

async function undo(item) {
  if (!window.confirm(t("history.confirm", number(item.revision), item.file))) return;
  const answer = await request("POST", "/api/v1/import?undo=" + encodeURIComponent(item.revision));
  const message = $("undo-message");
  if (answer.status === 200) {
    message.hidden = true;
    say(() => t("undone", number(item.revision), number(answer.body.rows), number(answer.body.revision)));
  } else {
    message.hidden = false;
    message.className = "form-error";
    message.textContent = answer.body.error || failure(answer);
  }
  await loadHistory();
}

// ---- checking and applying a file ---------------------------------------------------------------------------------

function say(words) {
  shown.message = words;
  $("applied").hidden = !words;
  $("applied").textContent = words ? words() : "";
}

function progress(text) {
  $("progress").textContent = text;
}

// Sends the file; while the server works, says how long it has been at it.
async function send(file, kind, dryRun) {
  const query = new URLSearchParams({ kind, name: file.name });
  if (dryRun) query.set("dry_run", "1");
  const started = performance.now();
  let timer = 0;
  const working = () => progress(t(dryRun ? "progress.checking" : "progress.applying", file.name));
  const answer = await request("POST", "/api/v1/import?" + query, {
    file,
    onProgress: (share) => {
      if (share < 1) return progress(t("progress.sending", Math.floor(share * 100)));
      working();
      timer = timer || setInterval(working, 1000);
    },
  });
  clearInterval(timer);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  progress(answer.status === 200 || answer.status === 422 ? t("progress.checked", file.name, seconds) : "");
  return answer;
}

async function check(event) {
  event.preventDefault();
  const file = $("file").files[0];
  if (!file) return;
  const kind = $("kind").value;
  for (const id of ["problems", "preview"]) $(id).hidden = true;
  say(null);
  showError(null);
  $("check").disabled = true;
  const answer = await send(file, kind, true);
  $("check").disabled = false;
  if (answer.status !== 200 && answer.status !== 422) {
    showError(() => failure(answer));
    if (answer.status === 401 || answer.status === 403) showLogin(true);
    return;
  }
  shown.checked = answer.body;
  shown.file = file;
  shown.kind = kind;
  drawChecked();
  (answer.status === 200 ? $("apply") : $("problem-table")).focus?.();
}

function drawChecked() {
  const checked = shown.checked;
  if (!checked) return;
  const failed = checked.errors && checked.errors.length > 0;
  $("problems").hidden = !failed;
  $("preview").hidden = failed;
  if (failed) drawProblems(checked);
  else drawPreview(checked);
}

function letters(column) {
  let name = "";
  for (let c = column; c > 0; c = Math.floor((c - 1) / 26)) name = String.fromCharCode(65 + ((c - 1) % 26)) + name;
  return name;
}

function drawProblems(checked) {
  const count = checked.errors.length + (checked.errors_not_listed || 0);
  $("problems-title").textContent = t("problems.title", shown.file.name, number(count));
  const body = $("problem-table").tBodies[0];
  body.replaceChildren();
  for (const error of checked.errors) {
    const row = body.insertRow();
    row.insertCell().textContent = error.sheet || "—";
    row.insertCell().textContent = error.line > 0 ? String(error.line) : t("problems.whole");
    row.insertCell().textContent = error.column > 0 ? (error.sheet ? letters(error.column) : String(error.column)) : "—";
    const content = row.insertCell();
    content.className = "content";
    content.textContent = error.content || "";
    row.insertCell().textContent = reason(error.reason);
  }
  $("problems-more").hidden = !checked.errors_not_listed;
  $("problems-more").textContent = t("problems.more", number(checked.errors_not_listed || 0));
}

function figureValue(value) {
  return value === null || value === undefined ? "—" : number(value);
}

function change(before, after) {
  if (before === null || before === undefined) return after === null ? "" : "+" + number(after);
  if (after === null || after === undefined) return "−" + number(before);
  const difference = after - before;
  return difference === 0 ? "=" : (difference > 0 ? "+" : "−") + number(Math.abs(difference));
}

function drawPreview(checked) {
  const preview = checked.preview;
  const english = document.documentElement.lang === "en";
  const structure = shown.kind === "organisations" || shown.kind === "catalogue";
  $("preview-counts").textContent = structure
    ? t("preview.structure", number(checked.rows), t("kind." + shown.kind).toLowerCase())
    : t("preview.counts", number(checked.rows), number(preview.new), number(preview.changed),
        number(preview.unchanged), number(preview.organisations_touched));
  const notes = $("notes");
  notes.replaceChildren(...(checked.notes || []).map((note) => el("li", "", reason(note))));
  const holder = $("preview-organisations");
  holder.replaceChildren();
  for (const org of preview.organisations) {
    const block = el("section", org.root ? "organisation root" : "organisation");
    const heading = el("h3", "", org.org + " · " + org.name);
    if (org.root) heading.append(el("span", "sub", t("preview.root")));
    block.append(heading);
    const table = el("table", "figures");
    const head = table.createTHead().insertRow();
    for (const key of ["preview.indicator", "preview.period", "preview.before", "preview.after", "preview.change"]) {
      const th = el("th", key === "preview.indicator" || key === "preview.period" ? "" : "num", t(key));
      head.append(th);
    }
    const body = table.createTBody();
    for (const f of org.figures) {
      const row = body.insertRow();
      let label = english ? f.label_en : f.label_vi;
      if (f.category) label += " · " + (english ? f.category_en : f.category_vi);
      if (f.target) label += " (" + t("preview.target") + ")";
      row.insertCell().textContent = label;
      row.insertCell().textContent = f.period;
      for (const [text, cls] of [[figureValue(f.before), "num before"], [figureValue(f.after), "num after"],
                                 [change(f.before, f.after), "num change"]]) {
        const cell = row.insertCell();
        cell.className = cls;
        cell.textContent = text;
      }
    }
    block.append(table);
    if (org.figures_not_listed > 0) block.append(el("p", "hint", t("preview.more_figures", number(org.figures_not_listed))));
    holder.append(block);
  }
  if (preview.organisations_not_listed > 0)
    holder.append(el("p", "hint", t("preview.more_organisations", number(preview.organisations_not_listed))));
}

async function apply() {
  const file = shown.file;
  if (!file) return;
  $("apply").disabled = true;
  const answer = await send(file, shown.kind, false);
  $("apply").disabled = false;
  if (answer.status !== 200) {
    if (answer.status === 422) {
      shown.checked = answer.body;  // changed since the dry run: its problems now
      drawChecked();
    } else {
      showError(() => failure(answer));
    }
    return;
  }
  $("preview").hidden = true;
  shown.checked = null;
  progress("");
  say(() => t("applied", file.name, number(answer.body.rows), number(answer.body.revision)));
  await loadHistory();
}

function discard() {
  shown.checked = null;
  $("preview").hidden = true;
  $("upload").reset();
  $("check").disabled = true;
  progress("");
}

// ---- start --------------------------------------------------------------------------------------------------------

function wire() {
  $("language").addEventListener("click", toggleLanguage);
  $("forget").addEventListener("click", () => {
    session.signOut();
    showLogin(true);
  });
  $("login").addEventListener("submit", async (event) => {
    event.preventDefault();
    session.signIn($("token").value.trim());
    $("token").value = "";
    showError(null);
    if (await loadHistory()) showLogin(false);
  });
  $("file").addEventListener("change", () => { $("check").disabled = !$("file").files.length; });
  const drop = $("drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    if (!event.dataTransfer.files.length) return;
    $("file").files = event.dataTransfer.files;
    $("check").disabled = false;
  });
  $("upload").addEventListener("submit", check);
  $("apply").addEventListener("click", apply);
  $("cancel").addEventListener("click", discard);
  onLanguage(() => {
    drawHistory();
    drawChecked();
    if (shown.message) say(shown.message);
    if (shown.error) showError(shown.error);
  });
}

wire();
applyLanguage();
if (session.token) loadHistory().then((good) => showLogin(!good));
else showLogin(true);
