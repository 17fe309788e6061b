// How long the book-wide pages take to load in Chromium, for
// docs/BENCHMARKS.md ("Pages that list the whole book"): each page's HTML
// size, the bytes it loads in all, DOMContentLoaded, the load event and
// when the sidebar is built, served over http and opened from disk, cold
// cache, median of a few runs. Not a test: it prints a Markdown table.
//
// Usage: node tests/browser/pageload.mjs <built site dir> [page ...]
//   pages default to index.html, reviews.html, changes.html, roles.html and
//   the first SOP of graph.json (those the site has).
// Env:   PAGELOAD_RUNS=N   runs per page and way (default 3)
//        PAGELOAD_CPU=N    slow the page's CPU down N times (Chromium's
//                          throttling; 4 is about a mid-range phone)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startServerAndBrowser } from "./lib.mjs";

const siteArg = process.argv[2];
if (!siteArg || !fs.existsSync(path.join(siteArg, "index.html"))) {
  console.error("usage: node tests/browser/pageload.mjs <built site dir> [page ...]");
  process.exit(2);
}
const SITE = fs.realpathSync(path.resolve(siteArg));
const RUNS = Number(process.env.PAGELOAD_RUNS || 3);
const CPU = Number(process.env.PAGELOAD_CPU || 1);
const graph = JSON.parse(fs.readFileSync(path.join(SITE, "graph.json"), "utf8"));
const pages = process.argv.length > 3
  ? process.argv.slice(3)
  : ["index.html", "reviews.html", "changes.html", "roles.html", graph.sops[0] && graph.sops[0].url].filter((p) => p && fs.existsSync(path.join(SITE, p)));

const { server, browser } = await startServerAndBrowser(SITE);
const FILE_BASE = pathToFileURL(SITE).href + "/";

// Records when the sidebar's tree is in the page (sopbook.js builds it).
const WATCH = () => {
  window.__navAt = null;
  new MutationObserver((_, obs) => {
    if (document.querySelector("#site-nav .nav-tree")) {
      window.__navAt = performance.now();
      obs.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

async function once(url) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(WATCH);
  const page = await ctx.newPage();
  if (CPU > 1) {
    const cdp = await ctx.newCDPSession(page);
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: CPU });
  }
  let bytes = 0;
  // The test server sends Content-Length with every file.
  page.on("response", (r) => {
    bytes += Number(r.headers()["content-length"] || 0);
  });
  await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  await page.waitForLoadState("networkidle");
  const t = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return { dcl: n.domContentLoadedEventEnd, load: n.loadEventStart, nav: window.__navAt, nodes: document.getElementsByTagName("*").length };
  });
  await ctx.close();
  return { ...t, bytes };
}

const median = (xs) => {
  const s = xs.filter((x) => x !== null).sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : null;
};
const ms = (x) => (x === null ? "–" : `${Math.round(x)} ms`);
const kb = (n) => `${(n / 1024).toFixed(0)} KB`;

console.log(`# ${SITE}: ${graph.sops.length} SOPs, ${graph.processes.length} processes; Chromium ${browser.version()}; median of ${RUNS}${CPU > 1 ? `; CPU ${CPU}× slower` : ""}`);
console.log("");
console.log("| page | HTML | loaded in all (http) | DOMContentLoaded http / file | load http / file | sidebar built http / file | elements |");
console.log("|---|---|---|---|---|---|---|");
for (const p of pages) {
  const html = fs.statSync(path.join(SITE, p)).size;
  const runs = { http: [], file: [] };
  for (let i = 0; i < RUNS; i++) {
    runs.http.push(await once(server.url + p));
    runs.file.push(await once(FILE_BASE + p));
  }
  const m = (way, k) => median(runs[way].map((r) => r[k]));
  console.log(
    `| ${p} | ${kb(html)} | ${kb(m("http", "bytes"))} | ${ms(m("http", "dcl"))} / ${ms(m("file", "dcl"))} | ${ms(m("http", "load"))} / ${ms(m("file", "load"))} | ${ms(m("http", "nav"))} / ${ms(m("file", "nav"))} | ${m("http", "nodes")} |`,
  );
}
await browser.close();
await server.close();
