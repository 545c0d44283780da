// fleet_page_test: IT's console (GET /fleet) of a real chiso-syncd, in Debian's headless Chromium driven by
// playwright-core. Six kiosks made with the CLI: three beat every second (one holds five-hour-old data, one has its
// screen off by its schedule), one beat once and then went quiet past silent_after_seconds, one never beat, one is
// revoked. The console must speak Vietnamese first and English at a click; show each screen as the server judged
// it, the problems first, and sort by a clicked header; show the screenshots kiosks sent, each fetched once, and a
// new one asked for with "Chụp ngay"; save a group's settings and show the server's reason, storing nothing, when it
// refuses a value; set a screen's groups; enrol a screen by the code it shows; refuse a wrong or a device token with
// an error line; say so when the server is gone; and load nothing from anywhere else, with nothing inline for its
// Content-Security-Policy to block. Screenshots of each view go to <build>/screenshots/console-*.png.
//
// node fleet_page_test.mjs --syncd BIN --data tests/data --screenshots DIR [--chromium /usr/bin/chromium]
// Exit status 0 when every check holds, 1 otherwise (with the failed check, and syncd's log).
import assert from "node:assert/strict";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { scaled, log, parseArguments, loadPlaywright, Syncd, kioskImage, finish } from "./support.mjs";

const SILENT_AFTER_S = 4;
const POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src blob: data:; " +
               "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
// Letters only Vietnamese writes: none may be left on the page in English.
const VIETNAMESE = /[àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ]/i;

// ---- reading the page -------------------------------------------------------------------------------------------

// Each row as shown: device, the data-status the row carries, the badge's words and the reason under it...
async function rows(page) {
  return page.$$eval("#devices tbody tr", (trs) =>
    trs.map((tr) => ({
      device: tr.dataset.device,
      status: tr.dataset.status,
      badge: tr.querySelector(".badge").textContent,
      reason: tr.querySelector(".reason").textContent,
      heartbeat: tr.querySelector("td.heartbeat").textContent,
      data: tr.querySelector("td.data").textContent,
      screen: tr.querySelector("td.display").dataset.screen ?? "",
      groups: [...tr.querySelectorAll("td.groups .chip")].map((chip) => chip.textContent),
    })));
}

const order = async (page) => (await rows(page)).map((row) => row.device);
const sortBy = (page, header) => page.locator("#devices thead").getByRole("button", { name: header, exact: true })
  .click();

// Each card of the wall as its data attributes and words say.
async function cards(page) {
  return page.$$eval("#wall .card", (articles) => articles.map((card) => ({
    ...card.dataset,
    badge: card.querySelector(".badge").textContent,
    caption: card.querySelector(".caption").textContent,
    placeholder: card.querySelector(".placeholder").hidden ? "" : card.querySelector(".placeholder").textContent,
    image: card.querySelector("img").hidden ? "" : card.querySelector("img").src,
  })));
}

async function shoot(page, options, name) {
  fs.mkdirSync(options.screenshots, { recursive: true });
  const file = path.join(options.screenshots, name);
  await page.mouse.move(1, 990);  // no button left in its hover colour
  await page.screenshot({ path: file });
  log(`screenshot: ${file}`);
}

// ---- the test ---------------------------------------------------------------------------------------------------

async function run(options, folder, cleanups) {
  const { chromium } = await loadPlaywright();
  if (!fs.existsSync(options.chromium))
    throw new Error(`no Chromium at ${options.chromium}; install Debian's: apt-get install chromium`);

  const syncd = new Syncd(options.syncd, folder);
  cleanups.push(() => syncd.stop());
  syncd.cli("import", "--kind", "catalogue", path.join(options.data, "catalogue.json"));
  syncd.cli("import", "--kind", "organisations", path.join(options.data, "tree.csv"));
  const it = syncd.cli("device", "add", "it-staff", "--role", "it");  // the console's: the fleet, not imports
  const check = syncd.cli("device", "add", "it-check", "--role", "it");  // this test's own look at the API
  const token = {};
  for (const [name, scope] of [["hoi-truong-tinh-uy", "R"], ["phong-hop-khoi-a", "U1"],
                               ["phong-hop-so-tai-chinh", "B1"], ["sanh-khoi-b", "U2"],
                               ["phong-doc-thu-vien", "B2"], ["man-hinh-cu", "U1"]])
    token[name] = syncd.cli("device", "add", name, "--scope", scope);
  syncd.cli("device", "revoke", "man-hinh-cu");
  const config = path.join(folder, "chiso-syncd.toml");
  fs.writeFileSync(config, `[fleet]\nsilent_after_seconds = ${SILENT_AFTER_S}\nstale_after_seconds = 7200\n`);
  await syncd.start(config);
  log(`chiso-syncd on ${syncd.base}`);

  const browser = await chromium.launch({ executablePath: options.chromium, headless: true });
  cleanups.push(() => browser.close());
  const image = {
    hall: await kioskImage(browser, { title: "Hội trường Tỉnh ủy", subtitle: "Tổng quan", width: 960, height: 540,
                                      colour: "#f4c04e" }),
    hallAgain: await kioskImage(browser, { title: "Hội trường Tỉnh ủy", subtitle: "Kết nạp", width: 960,
                                           height: 540, colour: "#58d68d" }),
    finance: await kioskImage(browser, { title: "Sở Tài chính", subtitle: "Kiểm tra, kỷ luật", width: 540,
                                         height: 960, colour: "#f4c04e" }),
  };

  // sanh-khoi-b beats once and goes quiet; the three others keep beating, as kiosks do, but every second, so that
  // they stay well within the test's short silent_after_seconds. phong-doc-thu-vien never beats. Like kiosks, they
  // take on the settings an answer names, and the hall's kiosk answers a screenshot request it learns of so.
  await syncd.heartbeat(token["sanh-khoi-b"], { dataAgeS: 40, page: "membership" });
  const quietSince = Date.now();
  const answeredRequests = [];
  const running = {};  // device → the tag of the settings it runs
  const beat = async (device, beat) => {
    const told = await syncd.heartbeat(token[device], { ...beat, settings: running[device] });
    running[device] = told.settings;
    return told.capture;
  };
  const beating = async () => {
    const capture = await beat("hoi-truong-tinh-uy", { dataAgeS: 95, page: "overview" });
    await beat("phong-hop-khoi-a", { dataAgeS: 1500, page: "admission", screenOn: false });
    await beat("phong-hop-so-tai-chinh", { dataAgeS: 5 * 3600 + 12 * 60, page: "discipline" });
    if (capture && !answeredRequests.includes(capture)) {
      answeredRequests.push(capture);
      await syncd.screenshot(token["hoi-truong-tinh-uy"], image.hallAgain,
                             { revision: 4, page: "admission", request: capture });
    }
  };
  await beating();
  let beatFailure = null;
  const beater = setInterval(() => beating().catch((e) => { beatFailure ??= e; }), 1000);
  cleanups.push(() => clearInterval(beater));

  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, locale: "en-GB" });
  const page = await context.newPage();
  page.setDefaultTimeout(scaled(15000));
  const pageErrors = [], foreign = [], policy = [], imageFetches = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) policy.push(message.text());
  });
  page.on("request", (request) => {
    // blob: URLs of this origin are the screenshots it fetched, held in memory.
    if (!request.url().startsWith(syncd.base + "/") && !request.url().startsWith(`blob:${syncd.base}/`))
      foreign.push(request.url());
    if (request.url().includes("/api/v1/screenshot?id=")) imageFetches.push(new URL(request.url()).search);
  });

  // ---- the files: served from the binary, with a policy that allows nothing inline and nothing from elsewhere --
  for (const [route, type] of [["/fleet", "text/html"], ["/fleet/console.css", "text/css"],
                               ["/fleet/console.js", "text/javascript"], ["/fleet/wall.js", "text/javascript"],
                               ["/fleet/settings.js", "text/javascript"], ["/fleet/i18n.js", "text/javascript"],
                               ["/fleet/core.js", "text/javascript"]]) {
    const answer = await syncd.request("GET", route);
    assert.equal(answer.status, 200, `${route} is served`);
    assert.ok(answer.headers.get("content-type").startsWith(type), `${route} is ${type}`);
    assert.equal(answer.headers.get("content-security-policy"), POLICY, `${route} carries the policy`);
  }
  const html = (await syncd.request("GET", "/fleet")).body;
  assert.doesNotMatch(html, /<script>|<style>| style=| on[a-z]+=/, "no inline script, style or handler");

  // ---- signing in ---------------------------------------------------------------------------------------------
  // Without a token the console asks for one, in Vietnamese; it holds no data of its own.
  await page.goto(`${syncd.base}/fleet`);
  await page.locator("#login").waitFor({ state: "visible" });
  assert.equal(await page.getAttribute("html", "lang"), "vi", "Vietnamese first, whatever the browser's language");
  assert.equal(await page.textContent("#login h2"), "Mã truy cập của IT");
  assert.equal(await page.locator("#tabs").isVisible(), false, "no tabs before a token is given");

  // A wrong token: an error line, and the form again.
  await page.fill("#token", "not-a-token");
  await page.click("#login button[type=submit]");
  await page.locator("#error").waitFor({ state: "visible" });
  assert.match(await page.textContent("#error"), /^Máy chủ từ chối mã này \(401: unknown or revoked token\)/);
  assert.equal(await page.locator("#login").isVisible(), true, "the form is back after a wrong token");
  await page.screenshot({ path: path.join(options.screenshots, "console-refused.png") });
  log("a wrong token: 401 shown");

  // A device's token is a real token, but not a person's with the right to the fleet.
  await page.fill("#token", token["hoi-truong-tinh-uy"]);
  await page.click("#login button[type=submit]");
  await page.waitForFunction(() => /không phải của IT hoặc quản trị \(403/.test(document.getElementById("error")
    .textContent));
  assert.equal(await page.evaluate(() => sessionStorage.getItem("chiso.fleet.token")), null,
               "a refused token is not kept");
  log("a device token: 403 shown");

  // Let the quiet kiosk pass silent_after_seconds, which the server says when it is.
  const silentBy = Date.now() + scaled((SILENT_AFTER_S + 6) * 1000);
  while ((await syncd.statusOf("sanh-khoi-b", check)) !== "silent") {
    assert.ok(Date.now() < silentBy, `sanh-khoi-b is not silent ${Date.now() - quietSince} ms after its heartbeat`);
    await sleep(200);
  }

  await page.fill("#token", it);
  await page.click("#login button[type=submit]");
  await page.locator("#devices tbody tr").nth(5).waitFor();
  assert.equal(await page.locator("#error").isVisible(), false, "the error line goes once the token is good");

  // ---- the table ------------------------------------------------------------------------------------------------
  // Problems first: silent, never seen, stale, then online (by name), revoked last; in Vietnamese.
  const shown = await rows(page);
  log("rows: " + shown.map((row) => `${row.device}=${row.status}`).join(", "));
  assert.deepEqual(shown.map((row) => [row.device, row.status]), [
    ["sanh-khoi-b", "silent"],
    ["phong-doc-thu-vien", "never_seen"],
    ["phong-hop-so-tai-chinh", "stale"],
    ["hoi-truong-tinh-uy", "online"],
    ["phong-hop-khoi-a", "online"],
    ["man-hinh-cu", "revoked"],
  ]);
  assert.deepEqual(shown.map((row) => row.badge),
                   ["Im lặng", "Chưa từng kết nối", "Số liệu cũ", "Hoạt động", "Hoạt động", "Đã thu hồi"]);
  assert.match(shown[0].reason, new RegExp(`^không có tín hiệu \\d+ giây \\(im lặng sau ${SILENT_AFTER_S} giây\\)$`));
  assert.match(shown[0].heartbeat, /^\d+ giây trước$/);
  assert.equal(shown[1].reason, "chưa gửi tín hiệu nào kể từ khi được cấp mã");
  assert.equal(shown[1].heartbeat, "chưa bao giờ");
  assert.equal(shown[2].reason, "số liệu từ 5 giờ 12 phút trước (quá hạn sau 2 giờ)");
  assert.equal(shown[2].data, "5 giờ 12 phút");
  assert.equal(shown[4].data, "25 phút");
  assert.deepEqual(shown.slice(2, 5).map((row) => row.screen), ["on", "on", "off"]);
  assert.match(await page.textContent("#counts"), /1Im lặng.*1Chưa từng kết nối.*1Số liệu cũ.*2Hoạt động.*1Đã thu hồi/);
  // The page shows the server's verdicts and does not judge for itself: they agree with the API's, row for row.
  assert.deepEqual((await syncd.get("/api/v1/devices", check)).devices.map((d) => d.status),
                   shown.map((row) => row.status));

  // Sorting: by name, both ways, and back to the problems first.
  await sortBy(page, "Màn hình");
  assert.deepEqual(await order(page), ["hoi-truong-tinh-uy", "man-hinh-cu", "phong-doc-thu-vien", "phong-hop-khoi-a",
                                       "phong-hop-so-tai-chinh", "sanh-khoi-b"]);
  assert.equal(await page.getAttribute("th[data-key=name]", "aria-sort"), "ascending");
  await sortBy(page, "Màn hình");
  assert.equal((await order(page))[0], "sanh-khoi-b", "a second click reverses");
  assert.equal(await page.getAttribute("th[data-key=name]", "aria-sort"), "descending");
  await sortBy(page, "Tuổi số liệu");  // freshest first; no data at all (never seen, revoked) last
  assert.deepEqual((await order(page)).slice(0, 4),
                   ["sanh-khoi-b", "hoi-truong-tinh-uy", "phong-hop-khoi-a", "phong-hop-so-tai-chinh"]);
  await sortBy(page, "Trạng thái");
  assert.equal(await page.getAttribute("th[data-key=status]", "aria-sort"), "ascending");
  assert.deepEqual(await order(page), shown.map((row) => row.device));
  log("sorting by Màn hình, Tuổi số liệu and Trạng thái works");

  // The refresh every 10 s keeps the table: wait for one, and for the page to have drawn it.
  await page.waitForResponse((r) => r.url().endsWith("/api/v1/devices") && r.status() === 200,
                             { timeout: scaled(12000) });
  await page.waitForFunction(() => document.getElementById("updated").textContent === "cập nhật vừa xong");
  assert.deepEqual(await order(page), shown.map((row) => row.device), "the order holds across a refresh");
  // The beating kiosks run the settings the server gives them; the quiet one never heard of them.
  assert.deepEqual(await page.$$eval("#devices td.settings", (tds) => tds.map((td) => td.textContent)),
                   ["Chưa áp dụng", "—", "Đã áp dụng", "Đã áp dụng", "Đã áp dụng", "—"]);
  await shoot(page, options, "console-table.png");

  await checkWall(page, options, syncd, { token, image, check, imageFetches, answeredRequests });
  await checkSettings(page, options, syncd, check);
  await checkEnrolment(page, options, syncd, check);
  await checkEnglish(page, options);

  // The token lives in the tab, the language in the browser: a reload shows the fleet, in English, at once.
  await page.reload();
  await page.locator("#devices tbody tr").nth(6).waitFor();
  assert.equal(await page.locator("#login").isVisible(), false, "the token survives a reload of the tab");
  assert.equal(await page.getAttribute("html", "lang"), "en", "the language survives a reload");

  // The server gone: an error line, and the last answer stays on screen.
  clearInterval(beater);
  await syncd.stop();
  await page.click("#refresh");
  await page.waitForFunction(() => /Cannot reach chiso-syncd/.test(document.getElementById("error").textContent));
  assert.equal(await page.locator("#devices tbody tr").count(), 7, "the last answer stays when the server is gone");
  log("server gone: error shown, table kept");

  if (beatFailure) throw beatFailure;
  assert.deepEqual(pageErrors, [], "no script errors on the page");
  assert.deepEqual(policy, [], "nothing the Content-Security-Policy had to block");
  assert.deepEqual(foreign, [], "the page loads nothing from anywhere but this server");
}

// ---- the wall: each screen's latest screenshot, fetched once; a new one on request ------------------------------

async function checkWall(page, options, syncd, { token, image, check, imageFetches, answeredRequests }) {
  await syncd.screenshot(token["hoi-truong-tinh-uy"], image.hall, { revision: 4, page: "overview" });
  await syncd.screenshot(token["phong-hop-so-tai-chinh"], image.finance, { revision: 3, page: "discipline" });
  await page.click("#tab-wall");
  await page.waitForFunction(() => document.querySelectorAll("#wall .card img[src^='blob:']").length === 2);
  const wall = await cards(page);
  assert.deepEqual(wall.map((card) => card.device), ["sanh-khoi-b", "phong-doc-thu-vien", "phong-hop-so-tai-chinh",
                                                     "hoi-truong-tinh-uy", "phong-hop-khoi-a"],
                   "one card per screen, problems first, none for a revoked one");
  const hall = wall.find((card) => card.device === "hoi-truong-tinh-uy");
  assert.equal(hall.revision, "4");
  assert.equal(hall.page, "overview");
  assert.equal(hall.status, "online");
  assert.equal(hall.badge, "Hoạt động");
  assert.match(hall.caption, /^Bản 4 · Tổng quan · \d\d:\d\d$/, "revision, page and when it was drawn");
  const finance = wall.find((card) => card.device === "phong-hop-so-tai-chinh");
  assert.deepEqual([finance.revision, finance.page, finance.badge], ["3", "discipline", "Số liệu cũ"],
                   "the revision the screenshot shows, not the one the kiosk holds now");
  const never = wall.find((card) => card.device === "phong-doc-thu-vien");
  assert.deepEqual([never.placeholder, never.caption, never.image], ["Chưa có ảnh chụp", "—", ""]);
  assert.equal(wall.find((card) => card.device === "phong-hop-khoi-a").caption, "Theo tín hiệu: bản 4 · Kết nạp",
               "without a screenshot, what its heartbeat says it shows");
  await shoot(page, options, "console-wall.png");

  // The next list, at the next refresh, brings no new id: no image is fetched again.
  const lists = Number(await page.getAttribute("#wall", "data-lists"));
  await page.waitForFunction((n) => Number(document.getElementById("wall").dataset.lists) > n, lists,
                             { timeout: scaled(12000) });
  assert.equal(imageFetches.length, 2, `each image fetched once: ${imageFetches.join(" ")}`);

  // The dialog: the image at its natural size; "Chụp ngay" asks the kiosk, which answers at its next heartbeat.
  await page.click("#wall .card[data-device='hoi-truong-tinh-uy']");
  await page.locator("#shot-dialog").waitFor({ state: "visible" });
  assert.equal(await page.textContent("#shot-title"), "hoi-truong-tinh-uy");
  await page.waitForFunction(() => document.getElementById("shot-image").naturalWidth === 960);
  assert.equal(await page.$eval("#shot-image", (img) => img.clientWidth), 960, "the image at its natural size");
  assert.match(await page.textContent("#shot-caption"), /^Bản số liệu 4 · Tổng quan · vẽ lúc /);
  const before = await page.getAttribute("#shot-image", "src");
  const asked = page.waitForResponse((r) => r.url().includes("/api/v1/screenshot-request?device=hoi-truong-tinh-uy"));
  await page.click("#shot-request");
  assert.equal((await asked).status(), 202);
  await page.waitForFunction(() => /^Ảnh mới đã đến lúc \d\d:\d\d\.$/.test(document.getElementById("shot-progress")
    .textContent), null, { timeout: scaled(20000) });
  assert.equal(answeredRequests.length, 1, "the kiosk answered one request");
  assert.match(await page.textContent("#shot-caption"), /^Bản số liệu 4 · Kết nạp · /, "the new one is shown");
  assert.notEqual(await page.getAttribute("#shot-image", "src"), before);
  // The old image's URL is let go: a revoked blob: URL no longer loads.
  assert.equal(await page.evaluate((url) => new Promise((resolve) => {
    const probe = new Image();
    probe.onload = () => resolve("loaded");
    probe.onerror = () => resolve("revoked");
    probe.src = url;
  }), before), "revoked");
  await shoot(page, options, "console-shot.png");
  await page.click("#shot-close");
  assert.equal((await cards(page)).find((card) => card.device === "hoi-truong-tinh-uy").page, "admission",
               "the card shows the new screenshot too");
  const shots = (await syncd.get("/api/v1/screenshots", check)).screenshots;
  assert.equal(shots.find((s) => s.device === "hoi-truong-tinh-uy").page, "admission");
  log("wall: two screenshots, each fetched once; a third on request");
}

// ---- settings: a group's layer saved, a refused value explained and not stored, a screen's groups -----------------

async function checkSettings(page, options, syncd, check) {
  const settingsOf = () => syncd.get("/api/v1/settings", check);
  await page.click("#tab-settings");
  await page.locator("#layer-list button[data-layer=defaults]").waitFor();
  assert.equal(await page.textContent("#layer-title"), "Mặc định cho mọi màn hình");
  // Someone else sets a default: the form, untouched here, shows it at the next answer.
  assert.equal((await syncd.request("PUT", "/api/v1/settings", check, { theme: "dark" })).status, 200);
  await page.click("#refresh");
  await page.waitForFunction(() => document.getElementById("f-theme").value === "dark");
  assert.equal(await page.$eval("#f-theme", (s) => s.selectedOptions[0].textContent), "Tối");
  assert.equal(await page.$eval("#f-language", (s) => s.selectedOptions[0].textContent),
               "— lấy từ lớp dưới: cấu hình của máy —", "an empty field says what the screen gets instead");

  // A screen's groups; a name the server refuses is explained, and changes nothing.
  await page.click("#layer-list button[data-layer='device:hoi-truong-tinh-uy']");
  await page.fill("#groups-input", "Hội trường");
  await page.click("#groups-form button[type=submit]");
  await page.locator("#groups-error").waitFor({ state: "visible" });
  assert.match(await page.textContent("#groups-error"), /^Máy chủ không nhận các nhóm này \(400\):bad group name/);
  assert.deepEqual((await settingsOf()).devices["hoi-truong-tinh-uy"].groups, []);
  await page.fill("#groups-input", "hoi-truong, tang-1");
  await page.click("#groups-form button[type=submit]");
  await page.locator("#groups-saved").waitFor({ state: "visible" });
  assert.deepEqual((await settingsOf()).devices["hoi-truong-tinh-uy"].groups, ["hoi-truong", "tang-1"]);
  await page.locator("#layer-list button[data-layer='group:hoi-truong']").waitFor();
  log("groups: a refused name explained, then hoi-truong-tinh-uy put in hoi-truong and tang-1");

  // The group's layer: two pages in an order, a dwell, a language.
  await page.click("#layer-list button[data-layer='group:hoi-truong']");
  assert.equal(await page.textContent("#layer-title"), "Nhóm hoi-truong");
  await page.check("#page-overview");
  await page.check("#page-admission");
  await page.click("#page-list li[data-page=admission] button[aria-label='Đưa Kết nạp lên']");
  await page.click("#page-list li[data-page=admission] button[aria-label='Đưa Kết nạp lên']");
  await page.fill("#f-dwell", "45");
  await page.selectOption("#f-language", "en");
  await page.click("#settings-form button[type=submit]");
  await page.locator("#settings-saved").waitFor({ state: "visible" });
  const stored = { pages: ["admission", "overview"], dwell_seconds: 45, language: "en" };
  assert.deepEqual((await settingsOf()).groups["hoi-truong"].settings, stored);
  assert.equal((await settingsOf()).devices["hoi-truong-tinh-uy"].effective.dwell_seconds, 45);
  // What a screen of the group gets, and from which layer.
  const effective = await page.$$eval("#effective-table tbody tr", (trs) =>
    Object.fromEntries(trs.map((tr) => [tr.dataset.key, [...tr.cells].slice(1).map((td) => td.textContent)])));
  assert.deepEqual(effective.dwell_seconds, ["45 giây", "Nhóm hoi-truong"]);
  assert.deepEqual(effective.pages, ["Kết nạp, Tổng quan", "Nhóm hoi-truong"]);
  assert.deepEqual(effective.theme, ["Tối", "Mặc định"]);
  assert.deepEqual(effective.rotation, ["—", "cấu hình của máy"]);
  assert.equal(await page.getAttribute("#f-dwell", "placeholder"), "lấy từ lớp dưới: cấu hình của máy");
  assert.equal(await page.$eval("#f-theme", (s) => s.selectedOptions[0].textContent), "— lấy từ lớp dưới: Tối —");
  log("settings: group hoi-truong saved with two pages in order, 45 s and English");

  // A value the kiosk would refuse: the server's reason in the form, and the stored layer unchanged.
  await page.fill("#f-dwell", "2");
  await page.click("#settings-form button[type=submit]");
  await page.locator("#settings-error").waitFor({ state: "visible" });
  const refusal = await page.textContent("#settings-error .server-reason");
  assert.match(refusal, /dwell_seconds.*\(found 2\)/, `the server's reason: ${refusal}`);
  assert.match(await page.textContent("#settings-error"), /^Máy chủ không nhận lớp này \(400\); không có gì được lưu:/);
  assert.equal(await page.inputValue("#f-dwell"), "2", "what was typed stays, to be corrected");
  assert.deepEqual((await settingsOf()).groups["hoi-truong"].settings, stored, "nothing stored");
  await page.fill("#f-schedule", '{"on": "7 giờ"}');
  await page.fill("#f-dwell", "45");
  await page.click("#settings-form button[type=submit]");
  await page.waitForFunction(() => /schedule\.on/.test(document.getElementById("settings-error").textContent));
  assert.deepEqual((await settingsOf()).groups["hoi-truong"].settings, stored, "nothing stored");
  await page.fill("#f-schedule", "");
  await shoot(page, options, "console-settings.png");
  log(`settings: refused values explained (${refusal}), nothing stored`);
}

// ---- enrolment by the code a new screen shows --------------------------------------------------------------------

async function checkEnrolment(page, options, syncd, check) {
  const opened = await syncd.request("POST", "/api/v1/enrolment");  // what a kiosk without a token does
  assert.equal(opened.status, 201, JSON.stringify(opened.body));
  const { code, key } = opened.body;
  await page.click("#tab-enrol");
  const claim = async (typed, name, org, groups) => {
    await page.fill("#enrol-code", typed);
    await page.fill("#enrol-name", name);
    await page.fill("#enrol-org", org);
    await page.fill("#enrol-groups", groups);
    const done = page.waitForResponse((r) => r.url().endsWith("/api/v1/enrolment/claim"));
    await page.click("#enrol-form button[type=submit]");
    return (await done).status();
  };
  // The page writes its answer a moment after the response: wait for the text, then look at it.
  const enrolError = async (pattern) => {
    await page.waitForFunction((source) => new RegExp(source).test(document.getElementById("enrol-error").textContent),
                               pattern.source, { timeout: scaled(5000) }).catch(() => {});
    return page.textContent("#enrol-error");
  };
  assert.equal(await claim("ZZZZ-ZZZZ", "phong-hop-moi", "U1", "hoi-truong"), 404);
  const noScreen = /^Không có màn hình nào đang chờ với mã này/;
  assert.match(await enrolError(noScreen), noScreen);
  assert.equal(await claim(code.toLowerCase(), "sanh-khoi-b", "U1", ""), 409, "a name in use");
  const nameInUse = /^Tên này đã được dùng/;
  assert.match(await enrolError(nameInUse), nameInUse);
  assert.equal(await claim(code, "phong-hop-moi", "KHONG-CO", ""), 404, "an unknown organisation");
  const noOrganisation = /^Không có tổ chức nào mang mã này\.unknown organisation/;
  assert.match(await enrolError(noOrganisation), noOrganisation);
  assert.equal(await claim(code, "phong-hop-moi", "U1", "hoi-truong"), 201);
  await page.waitForFunction(() => document.getElementById("enrol-done").textContent !== "", null,
                             { timeout: scaled(5000) }).catch(() => {});
  assert.equal(await page.textContent("#enrol-done"),
               "Đã đăng ký phong-hop-moi (U1). Màn hình sẽ nhận mã truy cập và hiện số liệu trong giây lát.");
  await shoot(page, options, "console-enrol.png");
  // The kiosk, asking with its key, receives its token; the new screen is in its group and in the table.
  const poll = await syncd.request("POST", "/api/v1/enrolment/poll", "", { code, key });
  assert.equal(poll.body.status, "enrolled");
  assert.equal((await syncd.request("GET", "/api/v1/scope?org=U1&depth=0", poll.body.token)).status, 200);
  assert.deepEqual((await syncd.get("/api/v1/settings", check)).devices["phong-hop-moi"].groups, ["hoi-truong"]);
  await page.click("#tab-table");
  await page.locator("#devices tbody tr[data-device=phong-hop-moi]").waitFor();
  log("enrolment: wrong code, name in use and unknown organisation explained; phong-hop-moi enrolled");
}

// ---- English at a click, every label ---------------------------------------------------------------------------

async function checkEnglish(page, options) {
  const labels = () => page.$$eval("[data-i18n]", (elements) => elements.map((e) => [e.dataset.i18n, e.textContent]));
  const vietnamese = await labels();
  await page.click("#language");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  assert.equal(await page.evaluate(() => localStorage.getItem("chiso.console.language")), "en");
  const english = await labels();
  for (const [i, [key, text]] of english.entries()) {
    assert.notEqual(text, vietnamese[i][1], `'${key}' is switched`);
    assert.doesNotMatch(text, VIETNAMESE, `'${key}' is in English: ${text}`);
  }
  // Every view, drawn again in English: no Vietnamese left but the toggle back, which names its language in it.
  for (const view of ["settings", "enrol", "wall", "table"]) {
    await page.click(`#tab-${view}`);
    const text = await page.evaluate(() => {
      const copy = document.body.cloneNode(true);
      copy.querySelector("#language").remove();
      copy.querySelectorAll("[hidden], dialog:not([open])").forEach((e) => e.remove());
      return [copy.querySelector("header").textContent, copy.querySelector("#bar").textContent,
              document.getElementById("view-" + document.location.hash.slice(1)).innerText].join("\n");
    });
    assert.doesNotMatch(text, VIETNAMESE, `the ${view} view is in English: ${text.match(VIETNAMESE)}`);
  }
  const shown = await rows(page);
  assert.deepEqual(shown.slice(0, 4).map((row) => row.badge), ["Silent", "Never seen", "Never seen", "Stale"]);
  assert.match(shown[0].reason, new RegExp(`^no heartbeat for \\d+ s \\(silent after ${SILENT_AFTER_S} s\\)$`),
               "in English, the server's own reason");
  assert.equal(shown.find((row) => row.device === "phong-hop-so-tai-chinh").data, "5 h 12 min");
  await sortBy(page, "Screen");
  assert.equal((await order(page))[0], "hoi-truong-tinh-uy");
  await sortBy(page, "Status");
  assert.deepEqual(shown.find((row) => row.device === "hoi-truong-tinh-uy").groups, ["hoi-truong", "tang-1"]);
  await shoot(page, options, "console-english.png");
  log("English: every label switched, nothing Vietnamese left");
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "chiso-fleet-"));
  const cleanups = [];
  let failed = false;
  try {
    await run(options, folder, cleanups);
  } catch (error) {
    failed = true;
    console.error(`FAILED: ${error.stack || error}`);
    const logFile = path.join(folder, "syncd.log");
    if (fs.existsSync(logFile)) console.error(`--- chiso-syncd log (${logFile}) ---\n${fs.readFileSync(logFile, "utf8")}`);
  }
  await finish(cleanups, folder, failed, "console: every check passed");
}

await main();
