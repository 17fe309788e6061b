// Browser checks of the reader features on a large built book (the 10,000-SOP
// benchmark, see scripts/browser-tests-big.sh): SOP page and sidebar nav
// (nav.js's size, a process's SOPs loaded when it is opened), search and its
// typo tolerance, what one search query downloads, checklist mode, the home
// page load, and the reviews' pages. Prints PASS/FAIL lines and INFO figures;
// exits non-zero when a check fails.
//
// Usage: node tests/browser/big.mjs <built site dir>
import fs from "node:fs";
import path from "node:path";
import { startServerAndBrowser, PREFIX, checkSuite, fail, assert } from "./lib.mjs";

const siteArg = process.argv[2];
if (!siteArg || !fs.existsSync(path.join(siteArg, "graph.json"))) {
  console.error("usage: node tests/browser/big.mjs <built site dir>   (the dir must contain graph.json)");
  process.exit(2);
}
const SITE = fs.realpathSync(path.resolve(siteArg));
const graph = JSON.parse(fs.readFileSync(path.join(SITE, "graph.json"), "utf8"));

const MAX_SOP_HTML = 60 * 1024; // bytes of the SOP page document
// nav.js lists the processes only (about 120 bytes each); reviews and
// roles run on over pages; the home page lists 1,000 processes one line each.
const MAX_NAV_JS = 200 * 1024;
const MAX_LIST_PAGE = 250 * 1024;
const MAX_QUERY_BYTES = 500 * 1024; // bytes under search/ for one query
const DESKTOP = { width: 1280, height: 900 };

const SOP = graph.sops[0];
const SEARCH_SOP = graph.sops[123];

// The most distinctive word (fewest SOP titles containing it) of at least 5
// letters in sops[123].title; ties go to the earlier word.
function distinctiveWord(title) {
  const wordsOf = (t) => t.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const df = new Map();
  for (const s of graph.sops) for (const w of new Set(wordsOf(s.title))) df.set(w, (df.get(w) || 0) + 1);
  const cands = wordsOf(title).filter((w) => w.length >= 5 && /^\p{L}+$/u.test(w));
  if (!cands.length) return null;
  return cands.reduce((best, w) => (df.get(w) < df.get(best) ? w : best));
}
const WORD = distinctiveWord(SEARCH_SOP.title);
// One-letter typo: replace the 3rd letter.
const TYPO = WORD ? WORD.slice(0, 2) + (WORD[2] === "x" ? "z" : "x") + WORD.slice(3) : null;

// ---------------------------------------------------------------- harness ---

const { server, browser } = await startServerAndBrowser(SITE);
const BASE = server.url; // http://127.0.0.1:PORT/handbook/
console.log(`# site ${SITE} (${graph.sops.length} SOPs, ${graph.processes.length} processes)`);
console.log(`# served at ${BASE}  (Chromium ${browser.version()})`);
console.log(`# SOP page: ${SOP.url}`);
console.log(`# search word "${WORD}" from sops[123].title "${SEARCH_SOP.title}", typo "${TYPO}"`);

const suite = checkSuite({ idWidth: 3, timeout: 120_000 });
const { check } = suite;
const info = (m) => console.log(`INFO  ${m}`);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

/** A fresh context and page; errors and off-server requests are recorded on page.errors. */
async function newPage() {
  const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
  suite.track(ctx);
  const errors = [];
  ctx.setDefaultTimeout(15_000);
  ctx.setDefaultNavigationTimeout(30_000);
  await ctx.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(server.origin + "/") || /^(data|blob|about):/.test(u)) return route.continue();
    errors.push(`request to another host: ${u}`);
    return route.abort("blockedbyclient");
  });
  const page = await ctx.newPage();
  page.errors = errors;
  page.on("console", (msg) => {
    if (msg.type() === "error") {
      const loc = msg.location();
      errors.push(msg.text() + (loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : ""));
    }
  });
  page.on("pageerror", (err) => errors.push(`uncaught ${err.name}: ${err.message}`));
  page.on("requestfailed", (req) => {
    if (req.failure()?.errorText !== "net::ERR_BLOCKED_BY_CLIENT") errors.push(`request failed: ${req.url()} ${req.failure()?.errorText}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.url()}`);
  });
  return page;
}

async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: "load" });
  assert(resp && resp.ok(), `GET ${url}: status ${resp && resp.status()}`);
  return resp;
}

const noErrors = (page, where) => {
  const errs = [...new Set(page.errors)];
  assert(errs.length === 0, `${where}: ${errs.length} console/page/request error(s):\n${errs.slice(0, 8).join("\n")}`);
};

/** Type `query` into the search box; resolve the list of result titles (fails if none). */
async function search(page, query, how = "type") {
  const input = page.locator("#search-input");
  await input.waitFor({ state: "visible" });
  await input.click();
  await input.fill("");
  if (how === "fill") await input.fill(query);
  else await page.keyboard.type(query, { delay: 20 });
  try {
    await page.locator("#search-results a.search-result").first().waitFor({ state: "visible", timeout: 10_000 });
  } catch {
    const state = await page.evaluate(() => {
      const r = document.getElementById("search-results");
      return r ? `${r.querySelectorAll("a.search-result").length} a.search-result, hidden=${r.hidden}, text ${JSON.stringify(r.textContent.trim().slice(0, 100))}` : "no #search-results";
    });
    fail(`query "${query}": no visible a.search-result (${state})`);
  }
  // Results are replaced as a whole; make sure they belong to this query.
  await page.waitForFunction((q) => document.getElementById("search-input").value === q, query);
  return page.locator("#search-results a.search-result .search-title").allTextContents();
}

// ------------------------------------------------------------------ checks ---

await check("a", `SOP page ${SOP.url}: no console errors, nav link aria-current="page" to it, HTML < ${kb(MAX_SOP_HTML)}`, async () => {
  const page = await newPage();
  const bytes = new Map();
  page.on("response", async (r) => {
    try {
      bytes.set(r.url(), (await r.body()).length);
    } catch {}
  });
  const resp = await goto(page, BASE + SOP.url);
  const html = (await resp.body()).length;
  info(`SOP page HTML: ${html} bytes (${kb(html)})`);
  await page.locator("#site-nav a[data-nav-url]").first().waitFor({ state: "attached" });
  const cur = await page.locator('#site-nav a[aria-current="page"]').evaluateAll((as) => as.map((a) => a.href));
  await page.waitForLoadState("networkidle");
  const total = [...bytes.values()].reduce((a, b) => a + b, 0);
  const big = [...bytes.entries()].sort((x, y) => y[1] - x[1]).slice(0, 3).map(([u, n]) => `${u.replace(server.origin, "")} ${kb(n)}`);
  info(`SOP page load: ${bytes.size} responses, ${total} bytes (${kb(total)}) in all; largest: ${big.join(", ")}`);
  noErrors(page, SOP.url);
  assert(cur.length === 1 && cur[0] === BASE + SOP.url, `#site-nav a[aria-current="page"]: ${JSON.stringify(cur)}, expected exactly ${BASE + SOP.url}`);
  assert(html < MAX_SOP_HTML, `SOP page HTML is ${html} bytes, limit ${MAX_SOP_HTML}`);
});

await check("b", `search: "${WORD}" finds SOPs with it in the title; typo "${TYPO}" still finds results`, async () => {
  assert(WORD, `no word of 5+ letters in sops[123].title "${SEARCH_SOP.title}"`);
  const page = await newPage();
  await goto(page, BASE + SOP.url);
  const titles = await search(page, WORD);
  info(`"${WORD}": ${titles.length} results, first: ${JSON.stringify(titles.slice(0, 3))}`);
  const first = titles.slice(0, 3);
  const bad = first.filter((t) => !t.toLowerCase().includes(WORD));
  assert(bad.length === 0, `first results without "${WORD}" in the title: ${JSON.stringify(bad)} (of ${JSON.stringify(first)})`);
  const typo = await search(page, TYPO);
  info(`"${TYPO}": ${typo.length} results, first: ${JSON.stringify(typo.slice(0, 3))}`);
  assert(typo.length > 0, `typo "${TYPO}" returned no results`);
  // Words whose index shard is keyed by three letters: a third-letter typo
  // must still find them (the client then loads the sibling shards).
  for (const [word, typoed] of [["standard", "stxndard"], ["compliance", "coxpliance"], ["request", "rexuest"]]) {
    const hits = await search(page, typoed);
    info(`"${typoed}" (for ${word}): ${hits.length} results`);
    assert(hits.length > 0, `typo "${typoed}" returned no results`);
  }
  noErrors(page, "search");
});

/** Bytes and requests under /handbook/search/ while one query runs on a freshly loaded SOP page. */
async function measureQuery(query, how) {
  const page = await newPage();
  await goto(page, BASE + SOP.url);
  await page.waitForLoadState("networkidle");
  const rows = [];
  const pending = [];
  page.on("response", (r) => {
    const p = new URL(r.url()).pathname;
    if (!p.startsWith(PREFIX + "search/")) return;
    pending.push(
      r.body().then(
        (b) => rows.push({ file: p.slice(PREFIX.length), bytes: b.length, cl: Number(r.headers()["content-length"] || 0) }),
        () => rows.push({ file: p.slice(PREFIX.length), bytes: Number(r.headers()["content-length"] || 0), cl: Number(r.headers()["content-length"] || 0) }),
      ),
    );
  });
  await search(page, query, how);
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
  await Promise.all(pending);
  noErrors(page, `query "${query}"`);
  const bytes = rows.reduce((a, r) => a + r.bytes, 0);
  return { bytes, count: rows.length, rows };
}

await check("c", `one query downloads < ${kb(MAX_QUERY_BYTES)} under ${PREFIX}search/`, async () => {
  const one = await measureQuery(WORD, "fill");
  const list = one.rows.sort((x, y) => y.bytes - x.bytes).map((r) => `${r.file} ${r.bytes}`);
  info(`query "${WORD}" (one input event): ${one.count} requests, ${one.bytes} bytes (${kb(one.bytes)}): ${list.join(", ")}`);
  const typed = await measureQuery(WORD, "type");
  info(`query "${WORD}" typed key by key (20 ms apart): ${typed.count} requests, ${typed.bytes} bytes (${kb(typed.bytes)})`);
  const typo = await measureQuery(TYPO, "fill");
  info(`query "${TYPO}" (one input event): ${typo.count} requests, ${typo.bytes} bytes (${kb(typo.bytes)})`);
  assert(one.count > 0, "no request under search/ during the query");
  assert(one.bytes < MAX_QUERY_BYTES, `one query downloaded ${one.bytes} bytes, limit ${MAX_QUERY_BYTES}`);
});

await check("d", "checklist: tick the first step of the SOP, reload, still ticked", async () => {
  const page = await newPage();
  await goto(page, BASE + SOP.url);
  const boxes = page.locator(".sop-body > ol.steps > li.step > input.step-check");
  await boxes.first().waitFor({ state: "attached" });
  const n = await boxes.count();
  assert(n > 0, "no input.step-check");
  const progress = () => page.locator(".checklist-progress").first().textContent();
  assert((await progress()).includes(`0 of ${n}`), `progress before ticking: "${await progress()}"`);
  await boxes.first().click();
  assert(await boxes.first().isChecked(), "first step not ticked after the click");
  assert((await progress()).includes(`1 of ${n}`), `progress after ticking: "${await progress()}"`);
  await page.reload({ waitUntil: "load" });
  await boxes.first().waitFor({ state: "attached" });
  const checked = await boxes.evaluateAll((bs) => bs.map((b) => b.checked));
  assert(checked[0] && checked.filter(Boolean).length === 1, `after reload, ticked: ${JSON.stringify(checked)} (expected only the first)`);
  assert((await progress()).includes(`1 of ${n}`), `progress after reload: "${await progress()}"`);
  noErrors(page, "checklist");
});

await check("e", `home page: no console errors, HTML < ${kb(MAX_LIST_PAGE)}; time to the load event`, async () => {
  const page = await newPage();
  const resp = await goto(page, BASE + "index.html");
  const html = (await resp.body()).length;
  await page.waitForLoadState("networkidle");
  const t = await page.evaluate(() => {
    const n = performance.getEntriesByType("navigation")[0];
    return { load: n.loadEventStart, dcl: n.domContentLoadedEventEnd, nodes: document.getElementsByTagName("*").length };
  });
  info(`home: navigation start → load event ${t.load.toFixed(0)} ms (DOMContentLoaded ${t.dcl.toFixed(0)} ms), HTML ${html} bytes (${kb(html)}), ${t.nodes} elements`);
  noErrors(page, "index.html");
  assert(html < MAX_LIST_PAGE, `index.html is ${html} bytes, limit ${MAX_LIST_PAGE}`);
});

await check("f", `nav.js < ${kb(MAX_NAV_JS)}; the SOP page loads its own process's part of the nav and no other`, async () => {
  const nav = fs.statSync(path.join(SITE, "nav.js")).size;
  info(`nav.js: ${nav} bytes (${kb(nav)}) for ${graph.processes.length} processes`);
  assert(nav < MAX_NAV_JS, `nav.js is ${nav} bytes, limit ${MAX_NAV_JS}`);
  const page = await newPage();
  const parts = [];
  page.on("request", (r) => {
    if (r.url().startsWith(BASE + "nav/")) parts.push(r.url().slice(BASE.length));
  });
  await goto(page, BASE + SOP.url);
  await page.locator('#site-nav a[aria-current="page"]').waitFor({ state: "attached" });
  const process = graph.processes.find((p) => p.id === SOP.process);
  assert(parts.length === 1 && parts[0] === `nav/${process.id}.js`, `scripts under nav/: ${JSON.stringify(parts)}`);
  noErrors(page, SOP.url);
});

await check("g", "sidebar: opening another process loads its SOPs (one small script)", async () => {
  const page = await newPage();
  await goto(page, BASE + SOP.url);
  await page.locator("#site-nav a[data-nav-url]").first().waitFor({ state: "attached" });
  const other = graph.processes.find((p) => p.id !== SOP.process && p.branches.length);
  const sop = graph.sops.find((s) => s.process === other.id);
  const button = page.locator("#site-nav li.nav-process").filter({ has: page.locator(`a[data-nav-url="${other.url}"]`) }).locator("button.nav-expand");
  const t0 = Date.now();
  await button.click();
  await page.locator(`#site-nav a[data-nav-url="${sop.url}"]`).waitFor({ state: "attached" });
  const part = fs.statSync(path.join(SITE, `nav/${other.id}.js`)).size;
  info(`opened ${other.url} in the sidebar: its SOPs in ${Date.now() - t0} ms (nav/${other.id}.js ${part} bytes)`);
  noErrors(page, "sidebar");
});

await check("h", `reviews: pages of < ${kb(MAX_LIST_PAGE)} linked by next/previous; owners lead to their lists`, async () => {
  const page = await newPage();
  const resp = await goto(page, BASE + "reviews.html");
  const html = (await resp.body()).length;
  const pages = fs.readdirSync(path.join(SITE, "reviews")).length + 1;
  info(`reviews.html: ${html} bytes (${kb(html)}), ${pages} pages`);
  assert(html < MAX_LIST_PAGE, `reviews.html is ${html} bytes, limit ${MAX_LIST_PAGE}`);
  await page.locator('.pagination a[rel="next"]').first().click();
  await page.waitForLoadState("load");
  assert(page.url() === BASE + "reviews/2.html", `next from reviews.html went to ${page.url()}`);
  await page.locator('.pagination a[rel="prev"]').first().click();
  await page.waitForLoadState("load");
  assert(page.url() === BASE + "reviews.html", `previous from reviews/2.html went to ${page.url()}`);
  const owners = await page.locator(".review-owners a").evaluateAll((as) => as.map((a) => a.href));
  assert(owners.length > 0, "no owners listed on the first page");
  const last = owners[owners.length - 1];
  await goto(page, last);
  const id = decodeURIComponent(new URL(last).hash.slice(1));
  assert(await page.locator(`h2[id="${id}"]`).count() === 1, `${last}: no heading #${id}`);
  noErrors(page, "reviews");
});

await browser.close();
await server.close();
suite.finish();
