#!/usr/bin/env node
// Redirects for moved pages (issue #19), followed in the machine's Chromium:
// every old path of the built site (graph.json's `aliases`: front-matter
// aliases and addresses from the git history) lands on its page, served
// under the sub-path /handbook/ and opened from disk (file://), with a
// `#step-n` of the old link kept, and without JavaScript too (the refresh
// alone). Nothing is requested from another host.
//
// Usage: node tests/browser/redirects.mjs <built site dir>
//   (scripts/browser-tests.sh builds the example handbook and runs this)
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startServerAndBrowser, checkSuite, assert } from "./lib.mjs";

const siteArg = process.argv[2];
if (!siteArg || !fs.existsSync(path.join(siteArg, "graph.json"))) {
  console.error("usage: node tests/browser/redirects.mjs <built site dir>   (the dir must contain graph.json)");
  process.exit(2);
}
const SITE = fs.realpathSync(path.resolve(siteArg));
const ONLY = process.env.BROWSER_TESTS_ONLY ? new RegExp(process.env.BROWSER_TESTS_ONLY, "i") : null;

const graph = JSON.parse(fs.readFileSync(path.join(SITE, "graph.json"), "utf8"));
/** Every old path and the page it leads to: { from, to, steps }. */
const moves = [];
for (const [kind, nodes] of [["process", graph.processes], ["sop", graph.sops], ["page", graph.pages]]) {
  for (const n of nodes) {
    for (const from of n.aliases || []) moves.push({ from, to: n.url, steps: kind === "sop" ? n.steps : 0 });
  }
}

const { server, browser } = await startServerAndBrowser(SITE);
const BASE = server.url;
const FILE_BASE = pathToFileURL(SITE).href + "/";
console.log(`# site ${SITE}: ${moves.length} old paths, served at ${BASE}`);

const suite = checkSuite({ only: ONLY, idWidth: 4 });
const { check } = suite;

/** A fresh context that lets no request leave the site. */
async function newPage(opts = {}) {
  const ctx = suite.track(await browser.newContext(opts));
  ctx.setDefaultTimeout(5000);
  ctx.setDefaultNavigationTimeout(15000);
  const outside = [];
  await ctx.route("**/*", (route) => {
    const u = route.request().url();
    if (u.startsWith(server.origin) || u.startsWith("file:") || u.startsWith("data:")) return route.continue();
    outside.push(u);
    return route.abort();
  });
  const page = await ctx.newPage();
  page.outside = outside;
  return page;
}

/** Opens `from` and waits until the browser shows `to`; returns the URL. */
async function follow(page, from, to) {
  // The old page hands on while it loads: its own navigation may be cut
  // short by the next one, which is what is waited for.
  await page.goto(from, { waitUntil: "commit" }).catch(() => {});
  await page.waitForURL(to, { timeout: 10_000 }).catch(() => {});
  return page.url();
}

await check("R0", "the site has old paths to follow", async () => {
  assert(moves.length > 0, "graph.json lists no aliases");
  for (const m of moves) {
    assert(fs.existsSync(path.join(SITE, m.from)), `${m.from} is listed but not written`);
  }
});

for (const [id, where, base] of [["R1", "served under /handbook/", BASE], ["R2", "from file://", FILE_BASE]]) {
  await check(id, `${where}: every old path lands on its page, and #step-2 of an old link is kept`, async () => {
    const page = await newPage();
    const problems = [];
    for (const m of moves) {
      const landed = await follow(page, base + m.from, base + m.to);
      if (landed !== base + m.to) problems.push(`${m.from}: ended at ${landed}, not ${base + m.to}`);
      else if (!(await page.locator("header.site-header").count())) problems.push(`${m.from}: ${m.to} is not a page of the site`);
      if (m.steps >= 2) {
        const want = `${base}${m.to}#step-2`;
        const landed = await follow(page, `${base}${m.from}#step-2`, want);
        if (landed !== want) problems.push(`${m.from}#step-2: ended at ${landed}, not ${want}`);
        else if (!(await page.locator("#step-2").count())) problems.push(`${m.to} has no #step-2`);
      }
    }
    assert(!page.outside.length, `requests left the site: ${page.outside.join(", ")}`);
    assert(!problems.length, problems.join("\n"));
  });
}

await check("R3", "without JavaScript: the refresh alone takes the reader there, served and from file://", async () => {
  const page = await newPage({ javaScriptEnabled: false });
  const problems = [];
  for (const base of [BASE, FILE_BASE]) {
    for (const m of moves) {
      const landed = await follow(page, base + m.from, base + m.to);
      if (landed !== base + m.to) problems.push(`${base + m.from}: ended at ${landed}`);
    }
  }
  assert(!problems.length, problems.join("\n"));
});

await check("R4", "the old page itself: a link to the page with its title, noindex, the book's language", async () => {
  // Read as the browser parses it, with nothing run: no script, no refresh.
  const page = await newPage({ javaScriptEnabled: false });
  const problems = [];
  for (const m of moves) {
    const html = fs.readFileSync(path.join(SITE, m.from), "utf8");
    await page.setContent(html.replace(/<meta http-equiv="refresh"[^>]*>/, ""));
    const seen = await page.evaluate(() => ({
      lang: document.documentElement.lang,
      robots: document.querySelector('meta[name="robots"]')?.content,
      href: document.querySelector("body a")?.getAttribute("href"),
      text: document.querySelector("body a")?.textContent,
      title: document.title,
    }));
    const want = path.posix.relative(path.posix.dirname(m.from), m.to);
    if (seen.href !== want) problems.push(`${m.from}: link ${seen.href}, not ${want}`);
    if (seen.robots !== "noindex") problems.push(`${m.from}: robots ${seen.robots}`);
    if (seen.lang !== "en") problems.push(`${m.from}: lang ${seen.lang}`);
    if (!seen.text || !seen.title.includes(seen.text)) problems.push(`${m.from}: title "${seen.title}", link text "${seen.text}"`);
  }
  assert(!problems.length, problems.join("\n"));
});

await browser.close();
await server.close();
suite.finish();
