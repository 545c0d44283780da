// What fleet_page_test.mjs stands on: timing limits scaled like the C++ tests', its arguments, a real chiso-syncd
// started on a free port, and kiosks played by hand (heartbeats, screenshots) over the same HTTP a kiosk speaks.
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

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
export const scaled = (ms) => Math.round(ms * TIME_SCALE);
export const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${message}`);

// --key value pairs; `required` are the keys a test cannot run without (--chromium has a default).
export function parseArguments(argv, required = ["syncd", "data", "screenshots"]) {
  const out = { chromium: "/usr/bin/chromium" };
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i].replace(/^--/, "");
    if (!["syncd", "kiosk", "data", "screenshots", "chromium"].includes(key) || argv[i + 1] === undefined)
      throw new Error(`unknown or incomplete argument '${argv[i]}'`);
    out[key] = argv[i + 1];
  }
  for (const key of required)
    if (!out[key]) throw new Error(`--${key} is required`);
  return out;
}

export async function loadPlaywright() {
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

export class Syncd {
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

  // `extra`: more arguments of `serve`, such as --demo (the bundled demo data, organisation HT).
  async start(config, extra = []) {
    this.port = await freePort();
    this.base = `http://127.0.0.1:${this.port}`;
    const logFd = fs.openSync(this.logFile, "a");
    this.process = spawn(this.binary, ["serve", "--db", this.database, "--config", config, "--listen", "127.0.0.1",
                                       "--port", String(this.port), ...extra], { stdio: ["ignore", logFd, logFd] });
    fs.closeSync(logFd);  // the child holds its own copy
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

  async request(method, route, token, body, headers = {}) {
    const response = await fetch(`${this.base}${route}`, {
      method,
      headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
      body: body === undefined ? undefined : Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const type = response.headers.get("content-type") || "";
    return { status: response.status, headers: response.headers,
             body: type.startsWith("application/json") ? await response.json() : await response.text() };
  }

  async get(route, token) {
    const answer = await this.request("GET", route, token);
    assert.equal(answer.status, 200, `GET ${route} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body;
  }

  // A kiosk's heartbeat, naming the settings it runs (`settings`, a tag). Returns what the answer tells a kiosk:
  // the tag of the settings it should run (Chiso-Settings) and a screenshot request (Chiso-Capture, 0 for none).
  async heartbeat(token, { dataAgeS, page, screenOn = true, settings = "" }) {
    const answer = await this.request("POST", "/api/v1/heartbeat", token,
                                      { version: "0.1.0", revision: 4, data_age_s: dataAgeS, page, screen_on: screenOn,
                                        settings },
                                      { "Content-Type": "application/json" });
    assert.equal(answer.status, 204, `heartbeat answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return { settings: answer.headers.get("chiso-settings") || "",
             capture: Number(answer.headers.get("chiso-capture") || 0) };
  }

  // A kiosk's screenshot, as it posts one; returns its id.
  async screenshot(token, png, { revision, page, drawnAt = Math.floor(Date.now() / 1000), request = 0 }) {
    const query = `revision=${revision}&page=${page}&drawn_at=${drawnAt}` + (request ? `&request=${request}` : "");
    const answer = await this.request("POST", `/api/v1/screenshot?${query}`, token, png,
                                      { "Content-Type": "image/png" });
    assert.equal(answer.status, 201, `the screenshot answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.id;
  }

  // The status the server gives `device` now.
  async statusOf(device, token) {
    return (await this.get("/api/v1/devices", token)).devices.find((d) => d.name === device)?.status;
  }
}

// What a kiosk would show, drawn by Chromium in a page of its own (not the console's): a PNG of width × height.
export async function kioskImage(browser, { title, subtitle, width, height, colour }) {
  const context = await browser.newContext({ viewport: { width, height } });
  try {
    const page = await context.newPage();
    const unit = Math.min(width, height) / 540;  // the same picture, portrait or landscape
    await page.setContent(`<body style="margin:0;background:#0d1524;color:#fff;font:${48 * unit}px 'Noto Sans',sans-serif">
      <div style="background:linear-gradient(90deg,#a50e24,#7a0a1b);padding:${28 * unit}px ${40 * unit}px;
                  border-bottom:${6 * unit}px solid ${colour}">
        <b>${title}</b><div style="font-size:${30 * unit}px;color:${colour}">${subtitle}</div></div>
      <div style="display:flex;flex-wrap:wrap;gap:${24 * unit}px;padding:${40 * unit}px">${[7841, 126, 371].map((n) =>
        `<div style="flex:1;background:#16213a;border-radius:14px;padding:${24 * unit}px;font-size:${80 * unit}px;
                     font-weight:700">${n}</div>`).join("")}</div></body>`);
    return await page.screenshot({ type: "png" });
  } finally {
    await context.close();
  }
}

// The end of a test: every cleanup run (last registered first), the folder kept when anything failed, and the
// exit status. `failed` says whether the checks failed already.
export async function finish(cleanups, folder, failed, passed) {
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
  log(passed);
}
