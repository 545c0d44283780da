// import_page_test: the statistician's import page (GET /import) in Debian's headless Chromium, against a real
// chiso-syncd with its demo data (organisation HT, 8.408 members at 30/6/2026) and a real chiso-kiosk offscreen
// showing HT. Report forms are written by a real spreadsheet writer (report_form.py, XlsxWriter):
//   - a workbook with two bad cells (a figure typed "1O5", an organisation the tree does not have) shows exactly
//     those two, with their sheet, row, column, content and reason in Vietnamese, and changes nothing;
//   - the corrected workbook (one organisation's members +12) shows the preview: HT's members 8.408 → 8.420; Apply
//     makes a revision, and the kiosk shows 8.420; the history lists the import (who, file, rows, checksum);
//   - Undo puts 8.408 back, and the kiosk shows it.
// Screenshots of the page go to <screenshots>/import-*.png.
//
// node import_page_test.mjs --syncd BIN --kiosk BIN --screenshots DIR [--chromium /usr/bin/chromium]
// Exit status 0 when every check holds, 1 otherwise (with the failed check, syncd's log and the kiosk's).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { scaled, log, parseArguments, loadPlaywright, Syncd, finish } from "./support.mjs";
import { Kiosk } from "./kiosks.mjs";

const ORG = "HT-KCQDN-001";
const PERIOD = "2026-H1";
const OVERALL_LIMIT_MS = 150000;  // inside CTest's TIMEOUT 180, so that the kiosk is ended by this script

const membersTile = (state) =>
  state.pages.find((p) => p.key === "overview")?.tiles.find((t) => t.indicator === "members_total")?.value;

async function shoot(page, options, name) {
  fs.mkdirSync(options.screenshots, { recursive: true });
  const file = path.join(options.screenshots, `import-${name}.png`);
  await page.mouse.move(1, 1);
  await page.screenshot({ path: file, fullPage: true });
  log(`screenshot: ${file}`);
}

function reportForm(folder, name, rows) {
  const file = path.join(folder, name);
  execFileSync("/usr/bin/python3", [path.join(path.dirname(new URL(import.meta.url).pathname), "report_form.py"),
                                    file, JSON.stringify(rows)]);
  return file;
}

async function run(options, folder, cleanups, kiosk) {
  const { chromium } = await loadPlaywright();
  if (!fs.existsSync(options.chromium))
    throw new Error(`no Chromium at ${options.chromium}; install Debian's: apt-get install chromium`);

  // ---- 1. chiso-syncd with the demo, a statistician's token, a kiosk showing HT --------------------------------
  const syncd = new Syncd(options.syncd, folder);
  cleanups.push(() => syncd.stop());
  process.on("exit", () => syncd.process?.kill("SIGKILL"));
  const config = path.join(folder, "chiso-syncd.toml");
  fs.writeFileSync(config, "");
  await syncd.start(config, ["--demo"]);
  const statistician = syncd.cli("device", "add", "thong-ke", "--role", "statistician");
  const tokenFile = path.join(folder, "kiosk", "token");
  fs.mkdirSync(path.dirname(tokenFile), { recursive: true });
  fs.writeFileSync(tokenFile, syncd.cli("device", "add", "phong-hop", "--scope", "HT") + "\n", { mode: 0o600 });
  kiosk.value = new Kiosk(options.kiosk, path.join(folder, "kiosk"), { name: "phong-hop", server: syncd.base, tokenFile });
  kiosk.value.start();
  cleanups.push(() => kiosk.value.stop());
  await kiosk.value.waitFor((s) => membersTile(s) === "8.408", scaled(30000), "the kiosk shows HT's 8.408 members");
  log("the kiosk shows 8.408 members");

  const held = (await syncd.get(`/api/v1/scope?org=${ORG}&depth=0`, statistician)).values[ORG].members_total[PERIOD];
  const revisionBefore = (await syncd.get("/api/v1/health")).revision;
  const bad = reportForm(folder, "bieu-1-loi.xlsx",
                         [[ORG, PERIOD, held], ["HT-KCQDN-002", PERIOD, "1O5"], ["HT-KCQDN-999", PERIOD, 40]]);
  const good = reportForm(folder, "bieu-1.xlsx", [[ORG, PERIOD, held + 12]]);

  // ---- 2. the page: sign in, check the workbook with two bad cells ---------------------------------------------
  const browser = await chromium.launch({ executablePath: options.chromium, args: ["--no-sandbox"] });
  cleanups.push(() => browser.close());
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on("pageerror", (error) => pageErrors.push(error.message));
  // Chromium logs every 4xx answer as an error; a refused file's 422 is the answer the page asks for.
  page.on("console", (message) => message.type() === "error" && !/status of 422/.test(message.text()) &&
                                   pageErrors.push(message.text()));
  await page.goto(`${syncd.base}/import`);
  assert.equal(await page.title(), "chiso · Nhập số liệu");
  await page.fill("#token", statistician);
  await page.keyboard.press("Enter");  // usable with a keyboard: the form submits
  await page.waitForSelector("#history-table tbody tr[data-revision]");

  await page.setInputFiles("#file", bad);
  await page.click("#check");
  await page.waitForSelector("#problems:not([hidden])", { timeout: scaled(15000) });
  const problems = await page.$$eval("#problem-table tbody tr",
                                     (trs) => trs.map((tr) => [...tr.cells].map((td) => td.textContent)));
  assert.deepEqual(problems, [
    ["Biểu 1", "6", "C", "1O5", "không phải số nguyên: '1O5'"],
    ["Biểu 1", "7", "A", "HT-KCQDN-999", "không có tổ chức 'HT-KCQDN-999'"],
  ]);
  assert.equal(await page.textContent("#problems-title"), "bieu-1-loi.xlsx: 2 lỗi, chưa áp dụng gì");
  assert.ok(await page.isHidden("#preview"), "no preview beside problems");
  assert.equal((await syncd.get("/api/v1/health")).revision, revisionBefore, "a refused file changes nothing");
  await shoot(page, options, "problems");
  log("the two bad cells are shown; nothing changed");

  // ---- 3. the corrected workbook: preview, apply, the kiosk follows ----------------------------------------------
  await page.setInputFiles("#file", good);
  await page.click("#check");
  await page.waitForSelector("#preview:not([hidden])", { timeout: scaled(15000) });
  assert.ok(await page.isHidden("#problems"));
  assert.equal(await page.textContent("#preview-counts"), "1 dòng: 0 số liệu mới, 1 thay đổi, 0 không đổi; 1 tổ chức.");
  const root = await page.$eval("#preview-organisations .organisation.root", (section) => ({
    heading: section.querySelector("h3").textContent,
    rows: [...section.querySelectorAll("tbody tr")].map((tr) => [...tr.cells].map((td) => td.textContent)),
  }));
  assert.match(root.heading, /^HT · Tỉnh ủy Hà Tĩnh/);
  assert.deepEqual(root.rows, [["Tổng số đảng viên", PERIOD, "8.408", "8.420", "+12"]]);
  assert.equal((await syncd.get("/api/v1/health")).revision, revisionBefore, "a dry run changes nothing");
  await shoot(page, options, "preview");
  log("the preview shows HT's members 8.408 → 8.420");

  const pressed = Date.now();
  await page.click("#apply");
  await page.waitForSelector("#applied:not([hidden])", { timeout: scaled(15000) });
  const applied = (await syncd.get("/api/v1/health")).revision;
  assert.equal(applied, revisionBefore + 1);
  assert.equal(await page.textContent("#applied"),
               `Đã áp dụng bieu-1.xlsx: 1 dòng, bản số liệu ${applied}. Các màn hình cập nhật trong ít phút.`);
  await kiosk.value.waitFor((s) => membersTile(s) === "8.420", scaled(20000), "the kiosk shows 8.420 members");
  log(`the kiosk shows 8.420 members ${Date.now() - pressed} ms after Apply was pressed`);
  const latest = await page.$eval("#history-table tbody tr", (tr) => ({
    revision: tr.dataset.revision, cells: [...tr.cells].map((td) => td.textContent), checksum: tr.cells[6].title,
  }));
  assert.equal(Number(latest.revision), applied);
  assert.deepEqual(latest.cells.slice(2, 6), ["Số liệu", "bieu-1.xlsx", "1", "thong-ke"]);
  const sha = (await import("node:crypto")).createHash("sha256").update(fs.readFileSync(good)).digest("hex");
  assert.equal(latest.checksum, sha, "the history keeps the file's SHA-256");
  await shoot(page, options, "applied");

  // ---- 4. undo: the figures it replaced come back, and the kiosk shows them --------------------------------------
  page.once("dialog", (dialog) => dialog.accept());
  const undoPressed = Date.now();
  await page.click(`#history-table tbody tr[data-revision='${applied}'] button`);
  await page.waitForSelector(`#history-table tbody tr[data-revision='${applied + 1}']`, { timeout: scaled(15000) });
  assert.equal(await page.textContent("#applied"),
               `Đã hoàn tác bản số liệu ${applied}: trả lại 1 số liệu, bản số liệu ${applied + 1}.`);
  await kiosk.value.waitFor((s) => membersTile(s) === "8.408", scaled(20000), "the kiosk shows 8.408 members again");
  log(`the kiosk shows 8.408 members ${Date.now() - undoPressed} ms after Undo was confirmed`);
  const undoRow = await page.$eval(`#history-table tbody tr[data-revision='${applied + 1}']`,
                                   (tr) => [...tr.cells].map((td) => td.textContent));
  assert.equal(undoRow[2], `Hoàn tác` + `hoàn tác bản ${applied}`);  // the kind, and beneath it what it undoes
  await shoot(page, options, "undone");

  // ---- 5. in English --------------------------------------------------------------------------------------------
  await page.click("#language");
  assert.equal(await page.textContent("#history-title"), "Imports");
  await shoot(page, options, "english");
  assert.deepEqual(pageErrors, [], "the page logged no error");
}

const options = parseArguments(process.argv.slice(2), ["syncd", "kiosk", "screenshots"]);
const folder = fs.mkdtempSync(path.join(os.tmpdir(), "chiso-import-page-"));
const cleanups = [];
const kiosk = { value: null };
let failed = false;
const overall = setTimeout(() => {
  console.error(`import_page_test: not done within ${OVERALL_LIMIT_MS} ms`);
  process.exit(1);
}, scaled(OVERALL_LIMIT_MS));
overall.unref();
try {
  await run(options, folder, cleanups, kiosk);
} catch (error) {
  failed = true;
  console.error(error.stack || error.message);
  const syncdLog = path.join(folder, "syncd.log");
  if (fs.existsSync(syncdLog)) console.error("--- syncd's log\n" + fs.readFileSync(syncdLog, "utf8").slice(-6000));
  if (kiosk.value) console.error("--- the kiosk's log\n" + kiosk.value.log().slice(-4000));
}
await finish(cleanups, folder, failed, "import_page_test: passed");
