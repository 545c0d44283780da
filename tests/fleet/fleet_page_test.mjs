// fleet_page_test: the fleet page (GET /fleet) of a real chiso-syncd, in Debian's headless Chromium driven by
// playwright-core. Six kiosks made with the CLI: two beat every second (one of them holds five-hour-old data),
// one beat once and then went quiet past silent_after_seconds, one never beat, one is revoked. The page must show
// each as the server judged it, the problems first, sort by a clicked header, refuse a wrong or a device token
// with an error line, say so when the server is gone, and load nothing from anywhere else. A screenshot goes to
// <build>/screenshots/fleet.png.
//
// node fleet_page_test.mjs --syncd BIN --data tests/data --screenshots DIR [--chromium /usr/bin/chromium]
// Exit status 0 when every check holds, 1 otherwise (with the failed check, and syncd's log).
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

const SILENT_AFTER_S = 4;
const started = Date.now();

// A timing limit in ms, stretched by CHISO_TEST_TIME_SCALE (1 to 100) as tests/support/time_scale.hpp stretches the
// C++ tests' limits: the asan preset sets it, for a sanitized chiso-syncd is slower.
const TIME_SCALE = (() => {
  const text = process.env.CHISO_TEST_TIME_SCALE;
  if (!text) return 1;
  const value = Number(text);
  if (!(value >= 1 && value <= 100)) {
    console.error(`CHISO_TEST_TIME_SCALE must be a number from 1 to 100, not '${text}'`);
    process.exit(2);
  }
  return value;
})();
const scaled = (ms) => Math.round(ms * TIME_SCALE);
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

function parseArguments(argv) {
  const out = { chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!["syncd", "data", "screenshots", "chromium"].includes(key) || argv[i + 1] === undefined)
      throw new Error(`unknown or incomplete argument '${argv[i]}'`);
    out[key] = argv[i + 1];
  }
  for (const key of ["syncd", "data", "screenshots"])
    if (!out[key]) throw new Error(`--${key} is required`);
  return out;
}

async function loadPlaywright() {
  try {
    return await import("playwright-core");
  } catch (e) {
    throw new Error(`playwright-core is not installed next to this script (${e.message}); ` +
                    `run: npm ci --prefix ${path.dirname(new URL(import.meta.url).pathname)}`);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// ---- chiso-syncd, for real --------------------------------------------------------------------------------------

class Syncd {
  constructor(binary, folder) {
    this.binary = binary;
    this.folder = folder;
    this.database = path.join(folder, "chiso.db");
    this.logFile = path.join(folder, "syncd.log");
  }

  cli(...args) {
    const out = execFileSync(this.binary, [...args, "--db", this.database], { encoding: "utf8" });
    return out.trim().split("\n").pop();
  }

  async start(config) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const logFd = fs.openSync(this.logFile, "a");
    this.process = spawn(this.binary, ["serve", "--db", this.database, "--config", config, "--listen", "127.0.0.1",
                                       "--port", String(this.port)], { stdio: ["ignore", logFd, logFd] });
    this.exited = new Promise((resolve) => this.process.once("exit", (code, signal) => resolve({ code, signal })));
    const deadline = Date.now() + scaled(30000);
    while (Date.now() < deadline) {
      if (this.process.exitCode !== null) throw new Error("chiso-syncd exited at start");
      try {
        if ((await fetch(`${this.base}/api/v1/health`)).ok) return;
      } catch { /* not listening yet */ }
      await sleep(50);
    }
    throw new Error(`chiso-syncd did not answer its health check within ${scaled(30000)} ms`);
  }

  async stop() {
    if (!this.process || this.process.exitCode !== null || this.process.signalCode !== null) return;
    this.process.kill("SIGTERM");
    // An unref'd timer: once syncd has ended, it must not keep this process alive for the rest of the 10 s.
    const ended = await Promise.race([this.exited, sleep(scaled(10000), null, { ref: false })]);
    if (!ended) {
      this.process.kill("SIGKILL");
      throw new Error(`chiso-syncd did not stop within ${scaled(10000)} ms of SIGTERM`);
    }
    assert.equal(ended.code, 0, "chiso-syncd stops cleanly on SIGTERM");
  }

  async heartbeat(token, dataAgeS, page, screenOn = true) {
    const response = await fetch(`${this.base}/api/v1/heartbeat`, {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ version: "0.1.0", revision: 4, data_age_s: dataAgeS, page, screen_on: screenOn }),
    });
    assert.equal(response.status, 204, `heartbeat answered ${response.status}: ${await response.text()}`);
  }

  // The status the server gives `device` now.
  async statusOf(device, admin) {
    const response = await fetch(`${this.base}/api/v1/devices`, { headers: { Authorization: `Bearer ${admin}` } });
    assert.equal(response.status, 200, `the device list answered ${response.status}`);
    return (await response.json()).devices.find((d) => d.name === device)?.status;
  }
}

// ---- reading the page -------------------------------------------------------------------------------------------

// Each row as shown: device, the data-status the row carries, the badge's words and the reason under it.
async function rows(page) {
  return page.$$eval("#devices tbody tr", (trs) =>
    trs.map((tr) => ({
      device: tr.dataset.device,
      status: tr.dataset.status,
      badge: tr.querySelector(".badge").textContent,
      reason: tr.querySelector(".reason").textContent,
      heartbeat: tr.querySelector("td.heartbeat").textContent,
      data: tr.querySelector("td.data").textContent,
      screen: tr.querySelector("td.screen").textContent,
    })));
}

const order = async (page) => (await rows(page)).map((row) => row.device);

async function sortBy(page, header) {
  await page.getByRole("button", { name: header, exact: true }).click();
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
  const admin = syncd.cli("device", "add", "it-staff", "--role", "it");  // IT's role: the fleet, not imports
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

  // sanh-khoi-b beats once and goes quiet; the three others keep beating, as kiosks do, but every second, so that
  // they stay well within the test's short silent_after_seconds. phong-doc-thu-vien never beats.
  await syncd.heartbeat(token["sanh-khoi-b"], 40, "members");
  const quietSince = Date.now();
  const beating = async () => {
    await syncd.heartbeat(token["hoi-truong-tinh-uy"], 95, "overview");
    await syncd.heartbeat(token["phong-hop-khoi-a"], 1500, "admission", false);
    await syncd.heartbeat(token["phong-hop-so-tai-chinh"], 5 * 3600 + 12 * 60, "discipline");
  };
  await beating();
  let beatFailure = null;
  const beater = setInterval(() => beating().catch((e) => { beatFailure ??= e; }), 1000);
  cleanups.push(() => clearInterval(beater));

  const browser = await chromium.launch({ executablePath: options.chromium, headless: true });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1440, height: 760 }, locale: "en-GB" });
  const page = await context.newPage();
  page.setDefaultTimeout(scaled(15000));
  const pageErrors = [], foreign = [], policy = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) policy.push(message.text());
  });
  page.on("request", (request) => {
    if (!request.url().startsWith(syncd.base + "/")) foreign.push(request.url());
  });

  // Without a token the page asks for one; it holds no data of its own.
  await page.goto(`${syncd.base}/fleet`);
  await page.locator("#login").waitFor({ state: "visible" });
  assert.equal(await page.locator("#fleet").isVisible(), false, "no table before a token is given");

  // A wrong token: an error line, and the form again.
  await page.fill("#token", "not-a-token");
  await page.click("#login button[type=submit]");
  await page.locator("#error").waitFor({ state: "visible" });
  assert.match(await page.textContent("#error"), /refused this token \(401/, "a wrong token says so");
  assert.equal(await page.locator("#login").isVisible(), true, "the form is back after a wrong token");
  assert.equal(await page.locator("#fleet").isVisible(), false, "no table for a wrong token");
  fs.mkdirSync(options.screenshots, { recursive: true });
  await page.screenshot({ path: path.join(options.screenshots, "fleet-refused.png") });
  log("a wrong token: 401 shown");

  // A device's token is a real token, but not a person's with the right to the fleet.
  await page.fill("#token", token["hoi-truong-tinh-uy"]);
  await page.click("#login button[type=submit]");
  await page.waitForFunction(() => /not an IT or admin token \(403/.test(document.getElementById("error").textContent));
  assert.equal(await page.evaluate(() => sessionStorage.getItem("chiso.fleet.token")), null,
               "a refused token is not kept");
  log("a device token: 403 shown");

  // Let the quiet kiosk pass silent_after_seconds, which the server says when it is: asked every 200 ms, well
  // within the admin token's request budget.
  const silentBy = Date.now() + scaled((SILENT_AFTER_S + 6) * 1000);
  while ((await syncd.statusOf("sanh-khoi-b", admin)) !== "silent") {
    assert.ok(Date.now() < silentBy, `sanh-khoi-b is not silent ${Date.now() - quietSince} ms after its heartbeat`);
    await sleep(200);
  }

  await page.fill("#token", admin);
  await page.click("#login button[type=submit]");
  await page.locator("#devices tbody tr").nth(5).waitFor();
  assert.equal(await page.locator("#error").isVisible(), false, "the error line goes once the token is good");

  // Problems first: silent, never seen, stale, then online (by name), revoked last.
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
  assert.deepEqual(shown.map((row) => row.badge), ["Silent", "Never seen", "Stale", "Online", "Online", "Revoked"]);
  assert.match(shown[0].reason, new RegExp(`^no heartbeat for \\d+ s \\(silent after ${SILENT_AFTER_S} s\\)$`));
  assert.match(shown[0].heartbeat, /^\d+ s ago$/);
  assert.equal(shown[1].reason, "no heartbeat since its token was made");
  assert.equal(shown[1].heartbeat, "never");
  assert.equal(shown[2].reason, "data 5 h 12 min old (stale after 2 h)");
  assert.equal(shown[2].data, "5 h 12 min");
  assert.equal(shown[4].data, "25 min");
  assert.deepEqual(shown.slice(2, 5).map((row) => row.screen), ["on", "on", "off"]);
  assert.match(await page.textContent("#counts"), /1silent.*1never seen.*1stale.*2online.*1revoked/);
  // The page shows the server's verdicts and does not judge for itself: they agree with the API's, row for row.
  const api = await (await fetch(`${syncd.base}/api/v1/devices`, { headers: { Authorization: `Bearer ${admin}` } }))
                .json();
  assert.deepEqual(api.devices.map((d) => d.status), shown.map((row) => row.status));

  // Sorting: by name, both ways, and back to the problems first.
  await sortBy(page, "Device");
  assert.deepEqual(await order(page), ["hoi-truong-tinh-uy", "man-hinh-cu", "phong-doc-thu-vien", "phong-hop-khoi-a",
                                       "phong-hop-so-tai-chinh", "sanh-khoi-b"]);
  assert.equal(await page.getAttribute("th[data-key=name]", "aria-sort"), "ascending");
  await sortBy(page, "Device");
  assert.equal((await order(page))[0], "sanh-khoi-b", "a second click reverses");
  assert.equal(await page.getAttribute("th[data-key=name]", "aria-sort"), "descending");
  await sortBy(page, "Data age");  // freshest first; no data at all (never seen, revoked) last
  assert.deepEqual((await order(page)).slice(0, 4),
                   ["sanh-khoi-b", "hoi-truong-tinh-uy", "phong-hop-khoi-a", "phong-hop-so-tai-chinh"]);
  await sortBy(page, "Status");
  assert.equal(await page.getAttribute("th[data-key=status]", "aria-sort"), "ascending");
  assert.deepEqual(await order(page), shown.map((row) => row.device));
  log("sorting by Device, Data age and Status works");

  // The refresh every 10 s keeps the table: wait for one, and for the page to have drawn it (its age, 10 s by then,
  // starts again), and look again.
  await page.waitForResponse((r) => r.url().endsWith("/api/v1/devices") && r.status() === 200,
                             { timeout: scaled(12000) });
  await page.waitForFunction(() => document.getElementById("updated").textContent === "updated just now");
  assert.deepEqual(await order(page), shown.map((row) => row.device), "the order holds across a refresh");

  fs.mkdirSync(options.screenshots, { recursive: true });
  const screenshot = path.join(options.screenshots, "fleet.png");
  await page.mouse.move(1, 700);  // no header left in its hover colour
  await page.screenshot({ path: screenshot, fullPage: true });
  log(`screenshot: ${screenshot}`);

  // The token lives in the tab: a reload shows the fleet without asking again.
  await page.reload();
  await page.locator("#devices tbody tr").nth(5).waitFor();
  assert.equal(await page.locator("#login").isVisible(), false, "the token survives a reload of the tab");

  // The server gone: an error line, and the last answer stays on screen.
  clearInterval(beater);
  await syncd.stop();
  await page.evaluate(() => load());
  await page.waitForFunction(() => /Cannot reach chiso-syncd/.test(document.getElementById("error").textContent));
  assert.equal(await page.locator("#devices tbody tr").count(), 6, "the last answer stays when the server is gone");
  log("server gone: error shown, table kept");

  if (beatFailure) throw beatFailure;
  assert.deepEqual(pageErrors, [], "no script errors on the page");
  assert.deepEqual(policy, [], "nothing the Content-Security-Policy had to block");
  assert.deepEqual(foreign, [], "the page loads nothing from anywhere but this server");
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
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch (error) {
      failed = true;
      console.error(`cleanup: ${error.message}`);
    }
  }
  if (failed) {
    console.error(`files kept in ${folder}`);
    process.exit(1);
  }
  fs.rmSync(folder, { recursive: true, force: true });
  log("fleet page: every check passed");
}

await main();
