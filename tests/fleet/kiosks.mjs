// Real chiso-kiosk processes for the console's tests: each offscreen in a folder of its own (its cache, its log, its
// --state-file, a stand-in for /sys/class/drm with one HDMI connector), heartbeats every second; what it shows is read
// from its state file, which the kiosk replaces whole on every change. Every kiosk runs in a process group of its own,
// ended at stop() and, whatever happens to the test, when this Node process exits.
import fs from "node:fs";
import path from "node:path";
import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { scaled } from "./support.mjs";

const running = new Set();
process.on("exit", () => {
  for (const kiosk of running) kiosk.kill();
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => process.exit(1));

// The keys of the pages a state shows, in order, and the key of the one on screen.
export const pageKeys = (state) => state.pages.map((page) => page.key);
export const currentKey = (state) => state.pages[state.currentPage]?.key ?? "";

// Calls `probe` every `everyMs` until it gives something other than null/undefined/false; throws after `limitMs`,
// naming `what`. Returns { value, ms }.
export async function until(probe, limitMs, what, everyMs = 50) {
  const start = Date.now();
  for (;;) {
    const value = await probe();
    if (value !== null && value !== undefined && value !== false) return { value, ms: Date.now() - start };
    if (Date.now() - start > limitMs) throw new Error(`${what}: not within ${limitMs} ms`);
    await sleep(everyMs);
  }
}

export class Kiosk {
  // `display`: what the fake connector card0-HDMI-A-1 says, "connected" or "disconnected".
  constructor(binary, folder, { name, server, tokenFile, display = "connected", size = "960x540" }) {
    Object.assign(this, { binary: path.resolve(binary), folder, name, server, tokenFile, display, size });
    this.stateFile = path.join(folder, "state.json");
    this.logFile = path.join(folder, "kiosk.log");
    this.enrolledToken = path.join(folder, "enrolled.token");  // where a kiosk enrolled by code keeps its token
  }

  start() {
    const connector = path.join(this.folder, "drm", "card0-HDMI-A-1");
    fs.mkdirSync(connector, { recursive: true });
    fs.writeFileSync(path.join(connector, "status"), this.display + "\n");
    const runtime = path.join(this.folder, "runtime");  // Qt's XDG_RUNTIME_DIR, owner-only as it wants
    fs.mkdirSync(runtime, { recursive: true, mode: 0o700 });
    const logFd = fs.openSync(this.logFile, "a");
    this.process = spawn(this.binary, ["--windowed", "--size", this.size, "--state-file", this.stateFile,
                                       "--server", this.server, "--token-file", this.tokenFile,
                                       "--cache", path.join(this.folder, "cache.db")], {
      cwd: this.folder,
      detached: true,  // a process group of its own: ended whole
      stdio: ["ignore", logFd, logFd],
      env: { ...process.env, QT_QPA_PLATFORM: "offscreen", QT_QUICK_BACKEND: "software",
             XDG_RUNTIME_DIR: runtime, CHISO_KIOSK_HEARTBEAT: "1",
             CHISO_KIOSK_DRM_ROOT: path.join(this.folder, "drm") },
    });
    fs.closeSync(logFd);
    this.exited = new Promise((resolve) => {
      this.process.once("exit", (code, signal) => resolve({ code, signal }));
      this.process.once("error", (error) => resolve({ error: error.message }));  // e.g. no such binary
    });
    running.add(this);
  }

  get alive() {
    return Boolean(this.process?.pid) && this.process.exitCode === null && this.process.signalCode === null;
  }

  // The last state written, or null before the first.
  state() {
    try {
      return JSON.parse(fs.readFileSync(this.stateFile, "utf8"));
    } catch (e) {
      if (e.code === "ENOENT") return null;
      throw e;
    }
  }

  // Reads the state every 50 ms until `done(state)` holds; returns { state, ms }. Throws, naming this kiosk (the
  // error's `kiosk`, whose log the test prints), when `limitMs` passes or the kiosk exits.
  async waitFor(done, limitMs, what) {
    try {
      const { value, ms } = await until(() => {
        if (!this.alive) throw new Error(`exited (${this.process.exitCode ?? this.process.signalCode})`);
        const state = this.state();
        return state && done(state) ? state : null;
      }, limitMs, what);
      return { state: value, ms };
    } catch (error) {
      error.message = `${this.name}: ${error.message}; its last state: ${JSON.stringify(this.summary())}`;
      error.kiosk = this;
      throw error;
    }
  }

  // What a failure message needs of the state: no tiles.
  summary() {
    const state = this.state();
    if (!state) return null;
    const { hasDocument, revision, connection, currentPage, enrolmentCode, settings } = state;
    return { hasDocument, revision, connection, currentPage, pages: pageKeys(state), enrolmentCode,
             dwell: settings.dwellSeconds, tag: settings.tag };
  }

  log() {
    return fs.existsSync(this.logFile) ? fs.readFileSync(this.logFile, "utf8") : "";
  }

  kill() {
    if (!this.alive) return;
    try {
      process.kill(-this.process.pid, "SIGKILL");
    } catch { /* gone meanwhile */ }
    running.delete(this);
  }

  // SIGTERM to its group, SIGKILL when it has not ended within 10 s (scaled). Returns how it ended.
  async stop() {
    if (!this.process) return null;
    if (this.alive) {
      try {
        process.kill(-this.process.pid, "SIGTERM");
      } catch { /* gone meanwhile */ }
    }
    const ended = await Promise.race([this.exited, sleep(scaled(10000), null, { ref: false })]);
    if (!ended) this.kill();
    running.delete(this);
    return ended;
  }
}
