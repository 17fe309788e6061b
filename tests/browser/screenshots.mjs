#!/usr/bin/env node
// Screenshots of the default theme for the docs.
//
// Usage: node tests/browser/screenshots.mjs <built site dir> [out dir]
//   (scripts/screenshots.sh builds the example handbook and runs this;
//    the out dir defaults to docs/screenshots/ in the repository)
//
// Writes <page>-<light|dark>-<desktop|phone>.png for the home, process and SOP
// pages: desktop 1280×900, phone 390×844, clipped to the viewport (not the
// full page) to keep the files small. Dark is the system preference
// (prefers-color-scheme: dark) with nothing stored, which the theme follows.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startServer, launchBrowser } from "./lib.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const site = process.argv[2];
const out = path.resolve(process.argv[3] || path.join(here, "..", "..", "docs", "screenshots"));
if (!site || !fs.existsSync(path.join(site, "index.html"))) {
  console.error("usage: node tests/browser/screenshots.mjs <built site dir> [out dir]");
  process.exit(2);
}

// [name, page, what to do before the shot]. SOP pages are shown in
// checklist mode: scrolled to the checklist, the first two items ticked.
const checklist = async (page, target) => {
  await page.evaluate((target) => {
    const boxes = document.querySelectorAll(".step-check");
    for (const b of [...boxes].slice(0, 2)) b.click();
    const at = document.querySelector(target);
    if (at) window.scrollTo(0, at.getBoundingClientRect().top + window.scrollY - 70);
  }, target);
};
const PAGES = [
  ["home", "index.html", null],
  ["process", "submit-payroll/index.html", (page) =>
    page.evaluate(() => {
      const map = document.querySelector("#branch-map");
      if (map) window.scrollTo(0, map.getBoundingClientRect().top + window.scrollY - 80);
    })],
  ["sop", "submit-payroll/run-payroll.html", (page) => checklist(page, "#before-you-start")],
  ["embed", "submit-payroll/off-cycle-payroll.html", (page) => checklist(page, ".checklist-bar")],
  ["menu", "submit-payroll/fix-payroll-mistake.html", async (page, vpName) => {
    if (vpName === "phone") await page.click("#nav-toggle");
    else await page.evaluate(() => window.scrollTo(0, document.querySelector("#step-1").getBoundingClientRect().top + window.scrollY - 120));
  }],
];
const VIEWPORTS = [
  ["desktop", { viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 }],
  ["phone", { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true }],
];
const SCHEMES = ["light", "dark"];

fs.mkdirSync(out, { recursive: true });
const server = await startServer(site);
const browser = await launchBrowser();
let problems = 0;
try {
  for (const [vpName, vp] of VIEWPORTS) {
    for (const scheme of SCHEMES) {
      const ctx = await browser.newContext({ ...vp, colorScheme: scheme, reducedMotion: "reduce" });
      // Nothing leaves the local server, as in the tests.
      await ctx.route("**/*", (r) => (r.request().url().startsWith(server.origin) ? r.continue() : r.abort()));
      const page = await ctx.newPage();
      // Ticks are kept per SOP in the browser: every shot starts unticked.
      await page.addInitScript(() => {
        try {
          localStorage.clear();
        } catch (e) {}
      });
      page.on("pageerror", (e) => {
        problems++;
        console.error(`page error on ${page.url()}: ${e.message}`);
      });
      for (const [name, rel, prepare] of PAGES) {
        const resp = await page.goto(server.url + rel, { waitUntil: "load" });
        if (!resp || resp.status() !== 200) throw new Error(`GET ${rel}: ${resp && resp.status()}`);
        await page.evaluate(() => document.fonts.ready);
        if (prepare) await prepare(page, vpName);
        const file = path.join(out, `${name}-${scheme}-${vpName}.png`);
        await page.screenshot({ path: file, fullPage: false, animations: "disabled", caret: "hide" });
        console.log(`wrote ${path.relative(process.cwd(), file) || file} (${Math.round(fs.statSync(file).size / 1024)} KiB)`);
      }
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(problems ? 1 : 0);
