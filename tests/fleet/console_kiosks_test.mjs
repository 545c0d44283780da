// console_kiosks_test: IT's console (GET /fleet) in Debian's headless Chromium, against a real chiso-syncd with its
// demo data (organisation HT) and four real chiso-kiosk processes offscreen, each heartbeating every second:
//   hall-1, hall-2  in the group hoi-truong, a display connected;
//   office          in no group, its display reported disconnected (a fake DRM connector folder);
//   a new screen    with no token, showing an enrolment code.
// IT saves the group's pages (admission, then overview) and dwell (7 s) in the console: each kiosk of the group
// shows them within 5 s, by its --state-file; office's stay as they were. The table says office has no display.
// On the wall, "Chụp ngay" on each kiosk's card brings its screenshot, taken on request at the window's size, and the
// card shows the revision the kiosk holds and the page it had on screen. A wrong enrolment code is refused and enrols
// nothing; the code the new screen shows, typed in, makes it a screen of the group that shows data and takes the
// group's settings. Screenshots of the console go to <screenshots>/console-kiosks-*.png.
//
// node console_kiosks_test.mjs --syncd BIN --kiosk BIN --screenshots DIR [--chromium /usr/bin/chromium]
// Exit status 0 when every check holds, 1 otherwise (with the failed check, syncd's log and the failing kiosk's).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { scaled, log, parseArguments, loadPlaywright, Syncd, finish } from "./support.mjs";
import { Kiosk, until, pageKeys, currentKey } from "./kiosks.mjs";

const HALLS = ["hall-1", "hall-2"];
const GROUP_PAGES = ["admission", "overview"];
const GROUP_DWELL = 7;
const NEW_NAME = "phong-hop-moi";
const TITLES = { overview: "Tổng quan", membership: "Đảng viên", admission: "Kết nạp",
                 discipline: "Kiểm tra, kỷ luật", rating: "Xếp loại chất lượng" };
const OVERALL_LIMIT_MS = 220000;  // inside CTest's TIMEOUT 240, so that the kiosks are ended by this script

// ---- reading the page -------------------------------------------------------------------------------------------

async function rows(page) {
  return page.$$eval("#devices tbody tr", (trs) => trs.map((tr) => ({
    device: tr.dataset.device,
    status: tr.dataset.status,
    badge: tr.querySelector(".badge").textContent,
    reason: tr.querySelector(".reason").textContent,
    display: tr.querySelector("td.display").textContent,
    groups: [...tr.querySelectorAll("td.groups .chip")].map((chip) => chip.textContent),
  })));
}

async function card(page, device) {
  return page.$eval(`#wall .card[data-device='${device}']`, (article) => {
    const img = article.querySelector("img");
    return { ...article.dataset, badge: article.querySelector(".badge").textContent,
             caption: article.querySelector(".caption").textContent,
             imageWidth: img.hidden ? 0 : img.naturalWidth, imageHeight: img.hidden ? 0 : img.naturalHeight };
  });
}

async function shoot(page, options, name) {
  fs.mkdirSync(options.screenshots, { recursive: true });
  const file = path.join(options.screenshots, `console-kiosks-${name}.png`);
  await page.mouse.move(1, 990);  // no button left in its hover colour
  await page.screenshot({ path: file });
  log(`screenshot: ${file}`);
}

// ---- the test ---------------------------------------------------------------------------------------------------

async function run(options, folder, cleanups, kiosks) {
  const { chromium } = await loadPlaywright();
  if (!fs.existsSync(options.chromium))
    throw new Error(`no Chromium at ${options.chromium}; install Debian's: apt-get install chromium`);

  // ---- 1. chiso-syncd with the demo data; three screens with tokens, two of them in hoi-truong; a fourth without
  const syncd = new Syncd(options.syncd, folder);
  cleanups.push(() => syncd.stop());
  process.on("exit", () => syncd.process?.kill("SIGKILL"));  // a no-op once it has stopped
  const config = path.join(folder, "chiso-syncd.toml");
  fs.writeFileSync(config, "[fleet]\nsilent_after_seconds = 60\nstale_after_seconds = 7200\n");
  await syncd.start(config, ["--demo"]);
  const it = syncd.cli("device", "add", "it-staff", "--role", "it");  // the console's
  const check = syncd.cli("device", "add", "it-check", "--role", "it");  // this test's own look at the API
  for (const [name, display] of [["hall-1", "connected"], ["hall-2", "connected"], ["office", "disconnected"]]) {
    const tokenFile = path.join(folder, name, "token");
    fs.mkdirSync(path.dirname(tokenFile), { recursive: true });
    fs.writeFileSync(tokenFile, syncd.cli("device", "add", name, "--scope", "HT") + "\n", { mode: 0o600 });
    if (HALLS.includes(name)) {
      const put = await syncd.request("PUT", `/api/v1/groups?device=${name}`, check, ["hoi-truong"],
                                      { "Content-Type": "application/json" });
      assert.equal(put.status, 204, `${name} put in hoi-truong: ${JSON.stringify(put.body)}`);
    }
    kiosks[name] = new Kiosk(options.kiosk, path.join(folder, name), { name, server: syncd.base, tokenFile, display });
  }
  const fresh = new Kiosk(options.kiosk, path.join(folder, "new-screen"), {
    name: "new-screen", server: syncd.base, tokenFile: path.join(folder, "new-screen", "none"),  // no such file
  });
  kiosks["new-screen"] = fresh;
  fs.mkdirSync(fresh.folder, { recursive: true });
  for (const kiosk of Object.values(kiosks)) {
    cleanups.push(async () => {
      const ended = await kiosk.stop();
      if (ended?.code !== 0) throw new Error(`${kiosk.name} did not stop cleanly: ${JSON.stringify(ended)}`);
    });
    kiosk.start();
  }
  log(`chiso-syncd on ${syncd.base}; four kiosks started`);

  const shown = {};  // each kiosk with a token: its first state with data
  await Promise.all(["hall-1", "hall-2", "office"].map(async (name) => {
    const { state, ms } = await kiosks[name].waitFor((s) => s.hasDocument && s.connection === "Online",
                                                      scaled(15000), "data on the screen");
    shown[name] = state;
    log(`${name}: revision ${state.revision} shown ${ms} ms after the wait began`);
  }));
  const { state: waiting } = await fresh.waitFor((s) => s.enrolmentCode !== "", scaled(15000), "an enrolment code");
  assert.equal(waiting.hasDocument, false, "a screen waiting to be enrolled shows no data");
  log(`new-screen shows the code ${waiting.enrolmentCode}`);
  for (const [name, state] of Object.entries(shown)) {
    // The kiosks' own defaults, so that the group's change is something to see.
    assert.equal(state.settings.dwellSeconds, 20, `${name}'s dwell before`);
    assert.deepEqual(pageKeys(state), ["overview", "membership", "admission", "discipline", "rating", "cadres"]);
  }
  // The server has heard each one's heartbeat, with the display office reports.
  const expected = { "hall-1": "online", "hall-2": "online", office: "display_disconnected" };
  await until(async () => {
    const { devices } = await syncd.get("/api/v1/devices", check);
    return Object.entries(expected).every(([name, status]) => devices.find((d) => d.name === name)?.status === status);
  }, scaled(10000), `statuses ${JSON.stringify(expected)} in GET /api/v1/devices`, 100);

  // ---- the console, signed in with IT's token --------------------------------------------------------------------
  const browser = await chromium.launch({ executablePath: options.chromium, headless: true });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: "vi-VN" });
  const page = await context.newPage();
  page.setDefaultTimeout(scaled(15000));
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  await page.goto(`${syncd.base}/fleet`);
  await page.fill("#token", it);
  await page.click("#login button[type=submit]");
  await page.locator("#devices tbody tr[data-device=office]").waitFor();

  // ---- 2. settings: the group's pages and dwell, saved; its kiosks show them within 5 s, office stays ------------
  await page.click("#tab-settings");
  await page.click("#layer-list button[data-layer='group:hoi-truong']");
  await page.waitForFunction(() => document.getElementById("layer-title").textContent === "Nhóm hoi-truong");
  await page.check("#page-admission");
  await page.check("#page-overview");
  const up = page.locator("#page-list li[data-page=admission] button[aria-label='Đưa Kết nạp lên']");
  await up.click();  // third of five: two steps up
  await up.click();
  assert.deepEqual(await page.$$eval("#page-list li input:checked", (boxes) => boxes.map((b) => b.id)),
                   ["page-admission", "page-overview"], "the order shown in the form");
  await page.fill("#f-dwell", String(GROUP_DWELL));
  const officeBefore = kiosks.office.state();
  const savedAt = Date.now();
  await page.click("#settings-form button[type=submit]");
  const group = (s) => s.settings.dwellSeconds === GROUP_DWELL &&
                       JSON.stringify(pageKeys(s)) === JSON.stringify(GROUP_PAGES);
  await Promise.all(HALLS.map(async (name) => {
    await kiosks[name].waitFor(group, scaled(5000), `dwell ${GROUP_DWELL} and pages ${GROUP_PAGES}`);
    log(`settings: ${name} shows pages ${GROUP_PAGES.join(", ")} and dwell ${GROUP_DWELL} s, ` +
        `${Date.now() - savedAt} ms after the click on save (limit ${scaled(5000)} ms)`);
  }));
  await page.locator("#settings-saved").waitFor({ state: "visible" });
  const storedAt = Date.now();
  assert.deepEqual((await syncd.get("/api/v1/settings", check)).groups["hoi-truong"].settings,
                   { pages: GROUP_PAGES, dwell_seconds: GROUP_DWELL }, "what the server stored");
  // Office is not of the group: a heartbeat of its after the layer was stored finds it running the settings the server
  // wants for it (settings_current), and those are the ones it ran before. Then what it shows is read.
  const { value: officeBeat } = await until(async () => {
    const office = (await syncd.get("/api/v1/devices", check)).devices.find((d) => d.name === "office");
    return Date.parse(office.last_heartbeat) > storedAt ? office : null;  // its time is to the second, cut down
  }, scaled(5000), "a heartbeat of office after the save", 100);
  assert.deepEqual([officeBeat.settings_current, officeBeat.settings_tag], [true, officeBefore.settings.tag],
                   "office runs the settings it ran, and the server wants no others for it");
  const officeAfter = kiosks.office.state();  // read once both halls have changed, and office has beaten since
  assert.equal(officeAfter.settings.dwellSeconds, officeBefore.settings.dwellSeconds, "office's dwell unchanged");
  assert.deepEqual(pageKeys(officeAfter), pageKeys(officeBefore), "office's pages unchanged");
  assert.equal(officeAfter.settings.tag, officeBefore.settings.tag, "office was given no new settings");
  log(`settings: office unchanged (dwell ${officeAfter.settings.dwellSeconds} s, ${pageKeys(officeAfter).join(", ")})`);
  await shoot(page, options, "settings");

  // ---- 3. the table: office without a display, the halls online ---------------------------------------------------
  await page.click("#tab-table");
  const table = Object.fromEntries((await rows(page)).map((row) => [row.device, row]));
  assert.equal(table.office.status, "display_disconnected");
  assert.equal(table.office.badge, "Mất kết nối màn hình");
  assert.equal(table.office.reason, "không có màn hình nào được cắm (HDMI-A-1 ngắt kết nối)");
  assert.equal(table.office.display, "Không có màn hìnhHDMI-A-1");
  for (const name of HALLS) {
    assert.deepEqual([table[name].status, table[name].badge, table[name].display],
                     ["online", "Hoạt động", "BậtHDMI-A-1"], `${name}'s row`);
    assert.deepEqual(table[name].groups, ["hoi-truong"]);
  }
  assert.equal(await page.textContent("#counts .count[data-status=display_disconnected] b"), "1");
  // Each screen's heartbeat names the page it shows, from its first data on (not only after a page turn).
  for (const name of [...HALLS, "office"]) {
    const { value: beat } = await until(async () => {
      const device = (await syncd.get("/api/v1/devices", check)).devices.find((d) => d.name === name);
      const shown = currentKey(kiosks[name].state());
      return device.page === shown ? device : null;
    }, scaled(3000), `${name}'s heartbeat naming the page it shows`, 100);
    log(`table: ${name} shows ${beat.page}`);
  }
  log(`table: office "${table.office.badge}" (${table.office.reason}); hall-1, hall-2 "${table["hall-1"].badge}"`);

  // ---- 4. the wall: "Chụp ngay" on each card; the card shows the kiosk's revision and page, at the window's size --
  await page.click("#tab-wall");
  for (const name of ["hall-1", "hall-2", "office"]) {
    const kiosk = kiosks[name];
    const latestShot = async () => (await syncd.get("/api/v1/screenshots", check)).screenshots
      .find((shot) => shot.device === name);
    const previous = (await latestShot())?.id ?? 0;
    await page.click(`#wall .card[data-device='${name}'] .thumb`);
    await page.locator("#shot-dialog").waitFor({ state: "visible" });
    assert.equal(await page.textContent("#shot-title"), name);
    const pageBefore = currentKey(kiosk.state());
    const asked = page.waitForResponse((r) => r.url().endsWith(`/api/v1/screenshot-request?device=${name}`));
    const askedAt = Date.now();
    await page.click("#shot-request");
    assert.equal((await asked).status(), 202);
    const { value: shot } = await until(async () => {
      const latest = await latestShot();
      return latest && latest.id !== previous && latest.requested ? latest : null;
    }, scaled(5000), `${name}'s screenshot on request`);
    const answeredMs = Date.now() - askedAt;
    const state = kiosk.state();
    const pageAfter = currentKey(state);
    await page.waitForFunction(({ name, id }) => {
      const article = document.querySelector(`#wall .card[data-device='${name}']`);
      const img = article && article.querySelector("img");
      // Loaded: the new blob: URL is the one drawn (until then the old image stays current, complete).
      return article.dataset.shot === String(id) && !img.hidden && img.complete && img.currentSrc === img.src &&
             img.naturalWidth > 0;
    }, { name, id: shot.id }, { timeout: scaled(10000) });
    const shown = await card(page, name);
    log(`wall: ${name} answered in ${answeredMs} ms; on screen ${pageBefore} before the request, ${pageAfter} after; ` +
        `card: revision ${shown.revision}, page ${shown.page}, ${shown.imageWidth}×${shown.imageHeight}, ` +
        `"${shown.caption}" ${Date.now() - askedAt} ms after the click`);
    assert.equal(shown.revision, String(state.revision), `${name}'s card shows the revision the kiosk holds`);
    assert.ok([pageBefore, pageAfter].includes(shown.page),
              `${name}'s card shows ${shown.page}, the kiosk had ${pageBefore} then ${pageAfter}`);
    assert.match(shown.caption, new RegExp(`^Bản ${state.revision} · ${TITLES[shown.page]} · \\d\\d:\\d\\d$`));
    assert.equal(shown.status, expected[name]);
    assert.equal(shown.badge, name === "office" ? "Mất kết nối màn hình" : "Hoạt động");
    // Taken on request: the whole window, not the smaller periodic one.
    assert.deepEqual([shown.imageWidth, shown.imageHeight, shot.width, shot.height], [960, 540, 960, 540]);
    await page.waitForFunction(() => /^Ảnh mới đã đến lúc \d\d:\d\d\.$/.test(
      document.getElementById("shot-progress").textContent));
    await page.waitForFunction(() => {
      const img = document.getElementById("shot-image");
      return img.complete && img.currentSrc === img.src && img.naturalWidth > 0;
    });
    assert.equal(await page.$eval("#shot-image", (img) => img.naturalWidth), 960, "the dialog shows it too");
    await page.click("#shot-close");
    await page.locator("#shot-dialog").waitFor({ state: "hidden" });
  }

  // ---- 5, 6. enrolment: a wrong code refused, enrolling nothing; the code on the new screen makes it one ----------
  await page.click("#tab-enrol");
  const code = fresh.state().enrolmentCode;
  const wrong = code === "AAAA-AAAA" ? "BBBB-BBBB" : "AAAA-AAAA";
  const names = async () => (await syncd.get("/api/v1/devices", check)).devices.map((d) => d.name).sort();
  const before = await names();
  const claim = async (typed) => {
    await page.fill("#enrol-code", "");
    await page.locator("#enrol-code").pressSequentially(typed, { delay: 20 });  // as a person types it
    await page.fill("#enrol-name", NEW_NAME);
    await page.fill("#enrol-org", "HT");
    await page.fill("#enrol-groups", "hoi-truong");
    const answered = page.waitForResponse((r) => r.url().endsWith("/api/v1/enrolment/claim"));
    await page.click("#enrol-form button[type=submit]");
    return (await answered).status();
  };
  assert.equal(await claim(wrong), 404, `the wrong code ${wrong}`);
  await page.locator("#enrol-error").waitFor({ state: "visible" });
  assert.equal(await page.textContent("#enrol-error strong"),
               "Không có màn hình nào đang chờ với mã này (sai hoặc đã hết hạn).");
  assert.match(await page.textContent("#enrol-error .server-reason"), /no screen is waiting with this code/);
  assert.deepEqual(await names(), before, "a wrong code enrols nothing");
  assert.equal(fresh.state().enrolmentCode, code, "the new screen still waits with its code");
  log(`enrolment: the wrong code ${wrong} refused: "${await page.textContent("#enrol-error")}"`);

  const enteredAt = Date.now();
  assert.equal(await claim(code), 201, `the code ${code}`);
  // The page writes its answer a moment after the response.
  await page.waitForFunction(() => document.getElementById("enrol-done").textContent !== "", null,
                             { timeout: scaled(5000) }).catch(() => {});
  assert.equal(await page.textContent("#enrol-done"),
               `Đã đăng ký ${NEW_NAME} (HT). Màn hình sẽ nhận mã truy cập và hiện số liệu trong giây lát.`);
  assert.equal(await page.locator("#enrol-error").isVisible(), false, "the refusal's line is gone");
  await shoot(page, options, "enrol");
  const { state: enrolled } = await fresh.waitFor((s) => s.hasDocument && s.connection === "Online", scaled(15000),
                                                  "data on the screen after enrolment");
  log(`enrolment: ${code} entered → new-screen shows revision ${enrolled.revision} ` +
      `${Date.now() - enteredAt} ms after the click (limit ${scaled(15000)} ms)`);
  assert.deepEqual([enrolled.enrolmentCode, enrolled.org], ["", "Tỉnh ủy Hà Tĩnh"], "HT's data, no code any more");
  assert.ok(fs.existsSync(fresh.enrolledToken), "the token is kept beside the cache");
  assert.equal(fs.statSync(fresh.enrolledToken).mode & 0o777, 0o600);
  const { ms: groupMs } = await fresh.waitFor(group, scaled(5000), "the group's settings after enrolment");
  log(`enrolment: ${NEW_NAME} takes hoi-truong's settings (dwell ${GROUP_DWELL} s, ` +
      `${GROUP_PAGES.join(", ")}) ${groupMs} ms later`);
  assert.deepEqual((await syncd.get("/api/v1/settings", check)).devices[NEW_NAME].groups, ["hoi-truong"]);
  assert.deepEqual(await names(), [...before, NEW_NAME].sort(), "one screen more, and no other");

  // ---- 7. the table and the wall once more, with the new screen in them --------------------------------------------
  await page.click("#tab-table");
  const newRow = `#devices tbody tr[data-device=${NEW_NAME}][data-status=online]`;
  await until(async () => {
    await page.click("#refresh");
    return page.locator(newRow).waitFor({ timeout: 500 }).then(() => true, () => false);
  }, scaled(10000), `${NEW_NAME} online in the table`, 0);
  await shoot(page, options, "table");
  // Its first screenshot is sent once its first frame with data is drawn.
  const { value: firstShot } = await until(async () => (await syncd.get("/api/v1/screenshots", check)).screenshots
    .find((shot) => shot.device === NEW_NAME), scaled(10000), `${NEW_NAME}'s first screenshot`, 100);
  await page.click("#tab-wall");  // the wall asks for the list as it opens
  await page.waitForFunction(({ name, id }) => {
    const article = document.querySelector(`#wall .card[data-device='${name}']`);
    const img = article && article.querySelector("img");
    return article && article.dataset.shot === String(id) && img.complete && img.currentSrc === img.src &&
           img.naturalWidth > 0;
  }, { name: NEW_NAME, id: firstShot.id }, { timeout: scaled(10000) });
  const newCard = await card(page, NEW_NAME);
  assert.equal(newCard.revision, String(enrolled.revision));
  assert.ok(Object.keys(TITLES).includes(newCard.page), `a page of the kiosk: ${newCard.page}`);
  log(`wall: ${NEW_NAME}'s card: revision ${newCard.revision}, page ${newCard.page}, ` +
      `${newCard.imageWidth}×${newCard.imageHeight} (its first, periodic, screenshot)`);
  await shoot(page, options, "wall");
  assert.deepEqual(pageErrors, [], "no script errors on the page");
}

async function main() {
  const options = parseArguments(process.argv.slice(2), ["syncd", "kiosk", "screenshots"]);
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "chiso-console-kiosks-"));
  const cleanups = [];
  const kiosks = {};
  let failed = false;
  let guard;
  try {
    await Promise.race([run(options, folder, cleanups, kiosks), new Promise((_, reject) => {
      guard = setTimeout(() => reject(new Error(`the test took over ${OVERALL_LIMIT_MS} ms`)), OVERALL_LIMIT_MS);
    })]);
  } catch (error) {
    failed = true;
    console.error(`FAILED: ${error.stack || error}`);
    const logFile = path.join(folder, "syncd.log");
    if (fs.existsSync(logFile))
      console.error(`--- chiso-syncd log (${logFile}) ---\n${fs.readFileSync(logFile, "utf8")}`);
    // The kiosk the failure names; without one, every kiosk's (they are short).
    for (const kiosk of error.kiosk ? [error.kiosk] : Object.values(kiosks))
      console.error(`--- ${kiosk.name}'s log (${kiosk.logFile}) ---\n${kiosk.log()}`);
  } finally {
    clearTimeout(guard);
  }
  await finish(cleanups, folder, failed, "console and kiosks: every check passed");
}

await main();
