#!/usr/bin/env node
// Run records (SPEC §8, docs/reading.md "Run records"): in checklist mode an
// SOP page saves a JSON file of the run through a download, with no server.
//
// Usage: node tests/browser/record.mjs <built site dir of the example handbook>
//   (scripts/browser-tests.sh builds the example handbook and runs this)
// Env:   BROWSER_TESTS_ONLY=<regex>   run only the checks whose "id name" matches
//        RECORD_SHOTS=<dir>           also write screenshots of the control
//                                     (390 and 1280 px, light and dark)
//
// Opens the normal payroll SOP served under /handbook/ and from disk
// (file://), types an operator's name into the in-page form, ticks a step,
// presses "Save run record", catches the download and checks every field of
// the JSON: the SOP's id, title, revision and last commit (null outside
// git), the URL without its hash, the name, start
// and finish, and one entry per step of the page with its number, a SHA-256
// of its text (the same over reloads, from Web Crypto and from the script's
// own digest, and from file://) and a tick time on the ticked step only.
import fs from "node:fs";
import path from "node:path";
import crypto from "node:crypto";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { startServerAndBrowser, checkSuite, assert, fail } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const siteArg = process.argv[2];
if (!siteArg || !fs.existsSync(path.join(siteArg, "index.html"))) {
  console.error("usage: node tests/browser/record.mjs <built site dir>   (the dir must contain index.html)");
  process.exit(2);
}
const SITE = fs.realpathSync(path.resolve(siteArg));
const ONLY = process.env.BROWSER_TESTS_ONLY ? new RegExp(process.env.BROWSER_TESTS_ONLY, "i") : null;
const SHOTS = process.env.RECORD_SHOTS ? path.resolve(process.env.RECORD_SHOTS) : null;

const SOP = "submit-payroll/run-payroll.html";
const SOP_ID = "run-payroll";
const SOP_TITLE = "How to run the normal payroll";
const SOP_STEPS = 11;
// Its revision (front matter) and last commit (the repository's history,
// when the site was built inside it) as the page states them.
const SOP_HTML = fs.readFileSync(path.join(SITE, SOP), "utf8");
const SOP_REVISION = "4";
const SOP_COMMIT = (SOP_HTML.match(/data-commit="([0-9a-f]+)"/) || [])[1] || null;
const SOP_TASKS = 3;
// An SOP that embeds another: its embedded steps are entries too.
const EMBEDS = "submit-payroll/off-cycle-payroll.html";
const EMBEDDED_TITLE = "How to get a manager's approval";
const NAME = "Ada O'Neil <ops>";
// A zone with an offset in November, so times carry "+01:00".
const ZONE = "Europe/Paris";
const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

const { server, browser } = await startServerAndBrowser(SITE);
const BASE = server.url;
const FILE_BASE = pathToFileURL(SITE).href + "/";
console.log(`# site ${SITE}`);
console.log(`# served at ${BASE}  (Chromium ${browser.version()})`);
const suite = checkSuite({ only: ONLY, idWidth: 6 });
const { check } = suite;
const problems = [];

/** A fresh context (own storage) in ZONE whose console errors are kept. */
async function newPage(opts = {}) {
  const ctx = suite.track(await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: "light", timezoneId: ZONE, acceptDownloads: true, ...opts }));
  ctx.setDefaultTimeout(5000);
  const page = await ctx.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`${suite.current}: console: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`${suite.current}: page error: ${e.message} (${page.url()})`));
  page.on("dialog", (d) => {
    problems.push(`${suite.current}: a ${d.type()} dialog opened: ${d.message()}`);
    d.dismiss().catch(() => {});
  });
  return page;
}

async function open(page, url) {
  await page.goto(url, { waitUntil: "load" });
  try {
    await page.locator("section.run-record").waitFor({ state: "attached", timeout: 3000 });
  } catch {
    fail(`no run record control (section.run-record) on ${page.url()}`);
  }
}

/** Type a name into the form and submit it with Enter. */
async function enterName(page, name) {
  const input = page.getByLabel("Your name, for the record");
  assert(await input.isVisible(), "the name field (labelled \"Your name, for the record\") is not shown to a first-time operator");
  await input.fill(name);
  await input.press("Enter");
  const shown = (await page.locator(".run-record-operator-name").textContent()) || "";
  assert(shown === name.trim(), `after entering the name the control shows "${shown}", not "${name}"`);
  assert(!(await input.isVisible()), "the name field is still shown after the name was entered");
}

/** Press "Save run record"; the downloaded file's name and parsed JSON. */
async function save(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download", { timeout: 5000 }).catch(() => fail(`pressing "Save run record" downloaded nothing on ${page.url()}`)),
    page.getByRole("button", { name: "Save run record" }).click(),
  ]);
  const file = download.suggestedFilename();
  const text = fs.readFileSync(await download.path(), "utf8");
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    fail(`the run record ${file} is not JSON: ${e.message}\n${text.slice(0, 200)}`);
  }
  return { file, json, text };
}

/** Each step's and task's text by the documented rule, hashed here with Node's SHA-256. */
async function expectedHashes(page) {
  const texts = await page.evaluate(() => {
    const text = (li) => {
      const c = li.cloneNode(true);
      for (const n of c.querySelectorAll("input, .anchor-link, .embed")) n.remove();
      return c.textContent.normalize("NFC").replace(/\s+/g, " ").trim();
    };
    return {
      steps: [...document.querySelectorAll(".sop-body ol.steps > li.step[id]")].map((li) => ({ id: li.id, text: text(li) })),
      tasks: [...document.querySelectorAll(".sop-body li.task")].map(text),
    };
  });
  const h = (s) => crypto.createHash("sha256").update(s, "utf8").digest("hex");
  return { steps: texts.steps.map((s) => ({ id: s.id, hash: h(s.text), text: s.text })), tasks: texts.tasks.map(h) };
}

const eq = (a, b, what) => assert(JSON.stringify(a) === JSON.stringify(b), `${what}: ${JSON.stringify(a)} (expected ${JSON.stringify(b)})`);

/**
 * Every field of a record of the normal payroll SOP: `ticked` maps the step
 * ids ticked in it to [earliest, latest] bounds of their tick time (null:
 * ticked with no time known); `tasks` lists the task numbers ticked.
 */
function checkRecord(rec, { file, url, expected, ticked, operator, startBounds, tasks = [] }) {
  const { json } = rec;
  eq(Object.keys(json), ["format", "sop", "url", "operator", "started", "finished", "text_hash", "steps", "tasks"], "the record's fields");
  eq(json.format, "sopbook-run-record/1", "format");
  eq(json.sop, { id: SOP_ID, title: SOP_TITLE, revision: SOP_REVISION, last_commit: SOP_COMMIT }, "sop");
  eq(json.url, url, "url (the page's, without its #hash)");
  eq(json.operator, operator, "operator");
  eq(json.text_hash, "SHA-256", "text_hash (the algorithm)");
  assert(STAMP.test(json.finished), `finished is not a local time with its offset: ${json.finished}`);
  assert(json.finished.endsWith("+01:00"), `finished is not in the browser's zone (${ZONE}, +01:00 in November): ${json.finished}`);
  const finished = Date.parse(json.finished);
  assert(Math.abs(finished - Date.now()) < 60_000, `finished ${json.finished} is not now`);
  eq(rec.file, `${SOP_ID}-${json.finished.slice(0, 10)}.json`, "the file name (<sop-id>-<date it was saved>.json)");
  if (file) eq(rec.file, file, "the file name");
  if (startBounds) {
    assert(STAMP.test(json.started || ""), `started is not a local time: ${json.started}`);
    const s = Date.parse(json.started);
    assert(s >= startBounds[0] - 1000 && s <= startBounds[1] + 1000, `started ${json.started} is not when the run started`);
    assert(s <= finished, `started ${json.started} is after finished ${json.finished}`);
  } else {
    eq(json.started, null, "started (no tick, no start)");
  }
  // Steps: one per step of the page, in order, numbered as shown.
  eq(json.steps.length, expected.steps.length, "the number of steps in the record (the page's li.step count)");
  eq(json.steps.length, SOP_STEPS, "the number of steps in the record (the SOP's steps)");
  json.steps.forEach((s, i) => {
    const want = expected.steps[i];
    eq(Object.keys(s), ["number", "id", "embedded_from", "text_hash", "ticked", "ticked_at"], `step ${i + 1}'s fields`);
    eq(s.number, i + 1, `step ${i + 1}'s number`);
    eq(s.id, want.id, `step ${i + 1}'s id`);
    eq(s.embedded_from, null, `step ${i + 1}'s embedded_from`);
    assert(/^[0-9a-f]{64}$/.test(s.text_hash), `step ${i + 1}'s text_hash is not a SHA-256 in hex: ${s.text_hash}`);
    eq(s.text_hash, want.hash, `step ${i + 1}'s text_hash (SHA-256 of "${want.text.slice(0, 50)}…")`);
    // A step ticked before tick times were kept: ticked, no time (null bounds).
    const bounds = ticked[s.id];
    eq(s.ticked, s.id in ticked, `step ${i + 1} ticked`);
    if (bounds === null) {
      eq(s.ticked_at, null, `step ${i + 1}'s ticked_at (ticked before tick times were kept)`);
    } else if (bounds) {
      assert(STAMP.test(s.ticked_at || ""), `step ${i + 1} is ticked but its ticked_at is ${s.ticked_at}`);
      const t = Date.parse(s.ticked_at);
      assert(t >= bounds[0] - 1000 && t <= bounds[1] + 1000, `step ${i + 1}'s ticked_at ${s.ticked_at} is not when it was ticked`);
    } else {
      eq(s.ticked_at, null, `step ${i + 1}'s ticked_at (not ticked)`);
    }
  });
  eq(new Set(json.steps.map((s) => s.text_hash)).size, SOP_STEPS, "distinct hashes for the distinct steps");
  eq(json.tasks.length, SOP_TASKS, "the number of task-list items");
  json.tasks.forEach((t, i) => {
    eq(Object.keys(t), ["number", "text_hash", "ticked", "ticked_at"], `task ${i + 1}'s fields`);
    eq(t.number, i + 1, `task ${i + 1}'s number`);
    eq(t.text_hash, expected.tasks[i], `task ${i + 1}'s text_hash`);
    eq(t.ticked, tasks.includes(i + 1), `task ${i + 1} ticked`);
    if (!t.ticked) eq(t.ticked_at, null, `task ${i + 1}'s ticked_at (not ticked)`);
  });
  // Pretty-printed, one final newline: a file a person can read.
  assert(rec.text.endsWith("}\n") && rec.text.includes('\n  "sop": {'), "the file is not indented JSON ending in a newline");
}

const tick = async (page, id) => {
  const t0 = Date.now();
  await page.locator(`li.step[id="${id}"] input.step-check`).first().check();
  return [t0, Date.now()];
};

// ------------------------------------------------------------------ checks --

let served = null; // the hashes of the served page's first record

await check("R1", "served: a first-time operator enters a name, ticks step 3, saves: every field of the JSON", async () => {
  const page = await newPage();
  await open(page, BASE + SOP + "#step-3");
  const expected = await expectedHashes(page);
  eq(expected.steps.length, SOP_STEPS, "the page's li.step count");
  // No name yet: saving asks for it in the page (no prompt), nothing downloads.
  let downloaded = false;
  page.once("download", () => (downloaded = true));
  await page.getByRole("button", { name: "Save run record" }).click();
  await page.waitForTimeout(300);
  assert(!downloaded, "saving without a name downloaded a record");
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  eq(focused, "run-operator", "focus after saving without a name (the name field)");
  eq(await page.locator("#run-operator").getAttribute("aria-invalid"), "true", "aria-invalid on the empty name field");
  const hint = await page.locator("#run-operator").evaluate((i) => document.getElementById(i.getAttribute("aria-describedby")).textContent);
  assert(/name/i.test(hint), `the name field's description does not say what is missing: "${hint}"`);
  await enterName(page, "  " + NAME + " ");
  const bounds = await tick(page, "step-3");
  const rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: { "step-3": bounds }, operator: NAME, startBounds: bounds });
  eq(rec.json.started, rec.json.steps[2].ticked_at, "started (the first tick)");
  const status = await page.locator(".run-record-status").textContent();
  assert(status.includes(rec.file), `the status line does not name the saved file: "${status}"`);
  served = rec.json;

  // Reload: the name is remembered, the tick and its time kept, the hashes the same.
  await page.reload({ waitUntil: "load" });
  await page.locator("section.run-record").waitFor({ state: "attached" });
  assert(!(await page.locator("#run-operator").isVisible()), "after a reload the name is asked again");
  eq(await page.locator(".run-record-operator-name").textContent(), NAME, "the name shown after a reload");
  const again = await save(page);
  checkRecord(again, { url: BASE + SOP, expected, ticked: { "step-3": bounds }, operator: NAME, startBounds: bounds });
  eq(again.json.steps, served.steps, "the steps (hashes, tick times) after a reload");
  eq(again.json.started, served.started, "started after a reload");

  // Another wording of a step is another hash; the others stay.
  await page.evaluate(() => {
    const p = document.querySelector("li.step#step-5 > p");
    p.append(" Also check the contract.");
  });
  const changed = await save(page);
  assert(changed.json.steps[4].text_hash !== served.steps[4].text_hash, "changing step 5's wording kept its hash");
  eq(changed.json.steps.filter((s, i) => i !== 4), served.steps.filter((s, i) => i !== 4), "the other steps after step 5 changed");
});

await check("R2", "no crypto.subtle (plain http from another host): the script's own SHA-256 gives the same hashes", async () => {
  assert(served, "needs R1");
  const page = await newPage();
  await page.addInitScript(() => {
    Object.defineProperty(Crypto.prototype, "subtle", { get: () => undefined, configurable: true });
  });
  await open(page, BASE + SOP);
  assert(await page.evaluate(() => !window.crypto.subtle), "crypto.subtle is still there");
  const expected = await expectedHashes(page);
  await enterName(page, NAME);
  const rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: {}, operator: NAME, startBounds: null });
  eq(rec.json.steps.map((s) => s.text_hash), served.steps.map((s) => s.text_hash), "hashes without Web Crypto");
  eq(rec.json.tasks.map((s) => s.text_hash), served.tasks.map((s) => s.text_hash), "task hashes without Web Crypto");
  // The digest itself, against Node's, on texts of every length class and outside ASCII.
  const samples = ["", "abc", "a".repeat(55), "a".repeat(56), "a".repeat(64), "é→✓ 𝄞 " + "x".repeat(200), "Step 9 · Close the month"];
  await page.getByRole("button", { name: "Change the operator's name" }).click();
  for (const s of samples) {
    await page.locator("#run-operator").fill("n");
    await page.locator("#run-operator").press("Enter");
    // Hash a sample by making it a task's text.
    await page.evaluate((s) => {
      const li = document.querySelector("li.task");
      for (const n of [...li.childNodes]) if (!(n.nodeType === 1 && n.matches("input"))) n.remove();
      li.append(s);
    }, s);
    const r = await save(page);
    const want = crypto.createHash("sha256").update(s.normalize("NFC").replace(/\s+/g, " ").trim(), "utf8").digest("hex");
    eq(r.json.tasks[0].text_hash, want, `the fallback SHA-256 of a ${s.length}-character text`);
    await page.getByRole("button", { name: "Change the operator's name" }).click();
  }
});

await check("R3", "file://: name, tick, save: the record downloads with the file: URL and the same hashes; the name is remembered", async () => {
  assert(served, "needs R1");
  const page = await newPage();
  const url = FILE_BASE + SOP;
  await open(page, url + "#steps");
  const secure = await page.evaluate(() => ({ secure: window.isSecureContext, subtle: !!(window.crypto && window.crypto.subtle) }));
  console.log(`      file:// isSecureContext=${secure.secure}, crypto.subtle=${secure.subtle}`);
  const expected = await expectedHashes(page);
  await enterName(page, NAME);
  const b1 = await tick(page, "step-1");
  const b11 = await tick(page, "step-11");
  const rec = await save(page);
  checkRecord(rec, { url, expected, ticked: { "step-1": b1, "step-11": b11 }, operator: NAME, startBounds: b1 });
  assert(rec.json.url.startsWith("file:///"), `url from disk: ${rec.json.url}`);
  eq(rec.json.steps.map((s) => s.text_hash), served.steps.map((s) => s.text_hash), "hashes from file:// (against the served page's)");
  await page.reload({ waitUntil: "load" });
  await page.locator("section.run-record").waitFor({ state: "attached" });
  eq(await page.locator(".run-record-operator-name").textContent(), NAME, "the name shown after a reload from disk");
  const again = await save(page);
  eq(again.json.steps, rec.json.steps, "the steps after a reload from disk");
});

await check("R4", "ticks stored before tick times (a plain list) still load: ticked, tick time null; 'Start the run now' sets started; Reset clears the run", async () => {
  const page = await newPage();
  await open(page, BASE + SOP);
  await page.evaluate((key) => {
    localStorage.setItem(key, JSON.stringify(["step-2", "task-1"]));
    localStorage.setItem("sopbook-operator", "Grace");
  }, "sopbook-checklist:" + SOP);
  await page.reload({ waitUntil: "load" });
  await page.locator("section.run-record").waitFor({ state: "attached" });
  eq(await page.locator(".checklist-progress").textContent(), `2 of ${SOP_STEPS + SOP_TASKS}`, "progress from the old list");
  const expected = await expectedHashes(page);
  let rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: { "step-2": null }, tasks: [1], operator: "Grace", startBounds: null });
  eq(rec.json.tasks[0].ticked_at, null, "task 1's ticked_at (ticked before tick times were kept)");
  // The old key keeps its shape: a list of ticked ids.
  eq(await page.evaluate((key) => JSON.parse(localStorage.getItem(key)), "sopbook-checklist:" + SOP), ["step-2", "task-1"], "the stored ticks");
  // Starting the run by hand, by keyboard.
  const start = page.getByRole("button", { name: "Start the run now" });
  await start.focus();
  const t0 = Date.now();
  await page.keyboard.press("Enter");
  const t1 = Date.now();
  assert(!(await start.isVisible()), "the start button is still shown once the run started");
  const shown = await page.locator(".run-record-started time").getAttribute("datetime");
  assert(STAMP.test(shown || ""), `the start is not shown as <time datetime>: ${shown}`);
  rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: { "step-2": null }, tasks: [1], operator: "Grace", startBounds: [t0, t1] });
  // A tick now has a time, and the started time stays the one set by hand.
  const b = await tick(page, "step-4");
  rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: { "step-2": null, "step-4": b }, tasks: [1], operator: "Grace", startBounds: [t0, t1] });
  eq(await page.evaluate((key) => JSON.parse(localStorage.getItem(key)).sort(), "sopbook-checklist:" + SOP), ["step-2", "step-4", "task-1"], "the stored ticks after a tick");
  // Unticked: no tick time, in the record or in the browser.
  await page.locator('li.step[id="step-4"] input.step-check').uncheck();
  rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: { "step-2": null }, tasks: [1], operator: "Grace", startBounds: [t0, t1] });
  eq(await page.evaluate((key) => Object.keys(JSON.parse(localStorage.getItem(key)).ticked), "sopbook-run:" + SOP), [], "tick times stored after unticking");
  await tick(page, "step-4");
  // Reset: no tick, no start.
  await page.locator("button.checklist-reset").click();
  rec = await save(page);
  checkRecord(rec, { url: BASE + SOP, expected, ticked: {}, operator: "Grace", startBounds: null });
  assert(await page.getByRole("button", { name: "Start the run now" }).isVisible(), "the start button is not back after a reset");
  eq(await page.evaluate((key) => localStorage.getItem(key), "sopbook-run:" + SOP), null, "the stored run after a reset");
});

await check("R5", "keyboard: Change → the form with the name selected; Escape keeps the old name; a new name is used from then on", async () => {
  const page = await newPage();
  await page.addInitScript(() => localStorage.setItem("sopbook-operator", "Grace"));
  await open(page, BASE + SOP);
  const change = page.getByRole("button", { name: "Change the operator's name" });
  await change.focus();
  await page.keyboard.press("Enter");
  eq(await page.evaluate(() => document.activeElement.id), "run-operator", "focus after Change");
  eq(await page.locator("#run-operator").inputValue(), "Grace", "the field holds the name");
  await page.keyboard.type("Linus");
  await page.keyboard.press("Escape");
  eq(await page.locator(".run-record-operator-name").textContent(), "Grace", "the name after Escape");
  eq(await page.evaluate(() => document.activeElement.getAttribute("aria-label")), "Change the operator's name", "focus after Escape");
  await page.keyboard.press("Enter");
  await page.keyboard.type("Linus");
  await page.keyboard.press("Enter");
  eq(await page.locator(".run-record-operator-name").textContent(), "Linus", "the new name");
  // Empty: refused, the old name kept.
  await page.keyboard.press("Enter");
  await page.locator("#run-operator").fill("   ");
  await page.keyboard.press("Enter");
  eq(await page.locator("#run-operator").getAttribute("aria-invalid"), "true", "aria-invalid on an empty name");
  await page.keyboard.press("Escape");
  const rec = await save(page);
  eq(rec.json.operator, "Linus", "the operator in the record");
  // Another SOP: the same operator, asked nowhere.
  await open(page, BASE + EMBEDS);
  assert(!(await page.locator("#run-operator").isVisible()), "the name is asked again on another SOP");
});

await check("R6", "an SOP with an embed: one entry per step of the page, embedded ones numbered in their SOP and named", async () => {
  const page = await newPage();
  await page.addInitScript(() => localStorage.setItem("sopbook-operator", "Grace"));
  await open(page, BASE + EMBEDS);
  const expected = await expectedHashes(page);
  const b = await tick(page, "e1.step-2");
  const rec = await save(page);
  const steps = rec.json.steps;
  eq(steps.length, expected.steps.length, "steps in the record (li.step on the page)");
  eq(steps.map((s) => s.id), expected.steps.map((s) => s.id), "step ids");
  eq(steps.map((s) => s.text_hash), expected.steps.map((s) => s.hash), "step hashes");
  const embedded = steps.filter((s) => s.id.startsWith("e1."));
  assert(embedded.length > 0, "no embedded step in the record");
  for (const s of embedded) {
    eq(s.embedded_from, EMBEDDED_TITLE, `${s.id}'s embedded_from`);
    eq(s.number, Number(s.id.split("step-")[1]), `${s.id}'s number`);
  }
  for (const s of steps.filter((s) => !s.id.startsWith("e1."))) eq(s.embedded_from, null, `${s.id}'s embedded_from`);
  eq(steps.filter((s) => s.ticked).map((s) => s.id), ["e1.step-2"], "ticked steps");
  const t = Date.parse(steps.find((s) => s.ticked).ticked_at);
  assert(t >= b[0] - 1000 && t <= b[1] + 1000, "the embedded step's tick time");
  eq(rec.file, `off-cycle-payroll-${rec.json.finished.slice(0, 10)}.json`, "the file name");
});

await check("R7", "the control at 390 and 1280 px, light and dark: in view, no sideways scroll, labelled, axe-clean; hidden in print", async () => {
  for (const width of [390, 1280]) {
    for (const scheme of ["light", "dark"]) {
      const page = await newPage({ viewport: { width, height: 844 }, colorScheme: scheme });
      await open(page, BASE + SOP);
      const section = page.locator("section.run-record");
      await section.scrollIntoViewIfNeeded();
      const box = await section.boundingBox();
      assert(box && box.x >= 0 && box.x + box.width <= width + 0.5, `${width}px ${scheme}: the control sticks out of the screen: ${JSON.stringify(box)}`);
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert(sideways <= 0, `${width}px ${scheme}: the page scrolls sideways by ${sideways}px`);
      eq(await page.getByRole("region", { name: "Run record" }).count(), 1, `${width}px ${scheme}: a region named "Run record"`);
      const dark = await section.evaluate((s) => {
        const c = getComputedStyle(s).backgroundColor.match(/\d+/g).map(Number);
        return c[0] + c[1] + c[2] < 3 * 128;
      });
      eq(dark, scheme === "dark", `${width}px ${scheme}: the control's background is dark`);
      await page.addScriptTag({ path: AXE_PATH });
      for (const state of ["name form", "name given"]) {
        if (state === "name given") await enterName(page, "Grace Hopper-Montgomery-Featherstonehaugh");
        const violations = await page.evaluate(async () => {
          const r = await window.axe.run({ include: [["section.run-record"]] }, { resultTypes: ["violations"] });
          return r.violations.map((v) => `[${v.impact}] ${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        });
        assert(!violations.length, `${width}px ${scheme} (${state}): axe: ${violations.join("; ")}`);
        if (SHOTS) {
          fs.mkdirSync(SHOTS, { recursive: true });
          await section.scrollIntoViewIfNeeded();
          await page.screenshot({ path: path.join(SHOTS, `run-record-${width}-${scheme}-${state.replace(" ", "-")}.png`) });
        }
      }
      await page.emulateMedia({ media: "print" });
      eq(await section.evaluate((s) => getComputedStyle(s).display), "none", `${width}px ${scheme}: the control in print`);
    }
  }
});

await check("R8", "no console error, page error or dialog (window.prompt) in any check", async () => {
  assert(!problems.length, problems.join("\n"));
});

await server.close();
await browser.close();
suite.finish();
