#!/usr/bin/env node
// Browser test suite for the sopbook default theme.
//
// Usage: node tests/browser/run.mjs <built site dir>
//   (scripts/browser-tests.sh builds the example handbook and runs this)
// Env:   BROWSER_TESTS_ONLY=<regex>   run only the checks whose "id name" matches
//        CHROMIUM_PATH=/path          browser binary (default /usr/bin/chromium)
//
// The site is served by a tiny static server under the sub-path /handbook/ on
// 127.0.0.1 and a free port, and opened once from disk (file://). The machine's
// Chromium runs headless through playwright-core; no browser is downloaded.
// Prints one PASS/FAIL line per check, then "N passed, N failed"; exits 1 on
// any failure.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { PREFIX, startServerAndBrowser, httpGet, listHtml, checkSuite, fail, assert } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");

const siteArg = process.argv[2];
if (!siteArg || !fs.existsSync(path.join(siteArg, "index.html"))) {
  console.error("usage: node tests/browser/run.mjs <built site dir>   (the dir must contain index.html)");
  process.exit(2);
}
const SITE = fs.realpathSync(path.resolve(siteArg));
const ONLY = process.env.BROWSER_TESTS_ONLY ? new RegExp(process.env.BROWSER_TESTS_ONLY, "i") : null;

// The example handbook's pages used by the checks.
const PAGES = {
  home: "index.html",
  process: "submit-payroll/index.html",
  sop: "submit-payroll/run-payroll.html",
};
const SOP_TITLE = "How to run the normal payroll";
const SOP_STEPS = 11;
// Its "Before you start" task list: part of the checklist, counted with the steps.
const SOP_TASKS = 3;
const SOP_ITEMS = SOP_STEPS + SOP_TASKS;
const PROCESS_TITLE = "Submit payroll";
const DESKTOP = { width: 1280, height: 900 };
const PHONE = { width: 360, height: 740 };

const graph = JSON.parse(fs.readFileSync(path.join(SITE, "graph.json"), "utf8"));

// ---------------------------------------------------------------- harness ---

const { server, browser } = await startServerAndBrowser(SITE);
const BASE = server.url; // http://127.0.0.1:PORT/handbook/
const FILE_BASE = pathToFileURL(SITE).href + "/";
console.log(`# site ${SITE}`);
console.log(`# served at ${BASE}  (Chromium ${browser.version()}, axe-core ${require("axe-core/package.json").version})`);

const suite = checkSuite({ only: ONLY });
const { check } = suite;
const consoleErrors = []; // { check, url, text } from every tracked page
const requests = []; // { check, url } every request of every tracked page
let serverLogStart = 0;

function allowedUrl(u) {
  if (u.startsWith("file:") || u.startsWith("data:") || u.startsWith("blob:") || u.startsWith("about:")) return true;
  try {
    return new URL(u).origin === server.origin;
  } catch {
    return false;
  }
}

/**
 * A fresh browser context (own storage) whose pages are watched: console
 * errors, page errors and every request go to `sink` (the suite-wide lists
 * unless given), and requests to any other host are recorded, then aborted.
 */
async function newContext(opts = {}, sink = { consoleErrors, requests }) {
  const ctx = await browser.newContext({ viewport: DESKTOP, colorScheme: "light", ...opts });
  suite.track(ctx);
  ctx.setDefaultTimeout(5000);
  ctx.setDefaultNavigationTimeout(15000);
  const check = suite.current;
  ctx.on("page", (page) => {
    page.on("console", (msg) => {
      if (msg.type() === "error") {
        const loc = msg.location();
        const where = loc && loc.url ? ` (${loc.url}:${loc.lineNumber})` : "";
        sink.consoleErrors.push({ check, url: page.url(), text: msg.text() + where });
      }
    });
    page.on("pageerror", (err) => sink.consoleErrors.push({ check, url: page.url(), text: `uncaught ${err.name}: ${err.message}` }));
    page.on("dialog", (d) => d.dismiss().catch(() => {}));
  });
  ctx.on("request", (req) => sink.requests.push({ check, url: req.url() }));
  await ctx.route("**/*", (route) => (allowedUrl(route.request().url()) ? route.continue() : route.abort("blockedbyclient")));
  return ctx;
}

async function newPage(opts, sink) {
  const ctx = await newContext(opts, sink);
  return ctx.newPage();
}

// ---------------------------------------------------------------- helpers ---

async function goto(page, url) {
  const resp = await page.goto(url, { waitUntil: "load" });
  if (resp && !url.startsWith("file:")) assert(resp.status() === 200, `GET ${url} returned ${resp.status()}`);
  return resp;
}

/** Wait until `selector` is in the DOM; fail with a readable message if it never shows up. */
async function need(page, selector, what, timeout = 3000) {
  try {
    await page.locator(selector).first().waitFor({ state: "attached", timeout });
  } catch {
    fail(`missing ${what}: no element matches \`${selector}\` on ${page.url()}`);
  }
  return page.locator(selector);
}

async function settle(page) {
  // Let CSS transitions (e.g. a theme fade) finish before measuring colours.
  await page
    .waitForFunction(() => document.getAnimations().every((a) => a.playState !== "running"), null, { timeout: 3000 })
    .catch(() => {});
}

/** The page's effective background colour and whether it reads as dark. */
async function theme(page) {
  return page.evaluate(() => {
    const cv = document.createElement("canvas");
    cv.width = cv.height = 1;
    const g = cv.getContext("2d", { willReadFrequently: true });
    const root = document.documentElement;
    const rootScheme = getComputedStyle(root).colorScheme || "";
    const systemDark = matchMedia("(prefers-color-scheme: dark)").matches;
    // Canvas colour behind everything: dark only if the root opts into a dark scheme.
    const canvasDark = /\bdark\b/.test(rootScheme) && (!/\blight\b/.test(rootScheme) || systemDark);
    g.fillStyle = canvasDark ? "#121212" : "#ffffff";
    g.fillRect(0, 0, 1, 1);
    for (const el of [root, document.body]) {
      const c = getComputedStyle(el).backgroundColor;
      g.fillStyle = "#000000";
      g.fillStyle = c; // canvas parses any CSS colour syntax (rgb, oklch, color()…)
      g.fillRect(0, 0, 1, 1);
    }
    const [r, gg, b] = g.getImageData(0, 0, 1, 1).data;
    const lin = (v) => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const L = 0.2126 * lin(r) + 0.7152 * lin(gg) + 0.0722 * lin(b);
    return { attr: root.dataset.theme ?? null, rgb: `rgb(${r}, ${gg}, ${b})`, luminance: +L.toFixed(3), dark: L < 0.2 };
  });
}

/** Click #theme-toggle until data-theme is `want` (at most 3 clicks). */
async function toggleTo(page, want) {
  await need(page, "#theme-toggle", "theme toggle button");
  const seen = [];
  for (let i = 0; i < 3; i++) {
    const attr = await page.evaluate(() => document.documentElement.dataset.theme ?? null);
    if (attr === want) {
      await settle(page);
      return;
    }
    seen.push(String(attr));
    await page.locator("#theme-toggle").click();
  }
  const attr = await page.evaluate(() => document.documentElement.dataset.theme ?? null);
  if (attr === want) return settle(page);
  seen.push(String(attr));
  fail(`clicking #theme-toggle 3 times never set <html data-theme="${want}"> (values seen: ${seen.join(" → ")})`);
}

async function runAxe(page) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.addScriptTag({ path: AXE_PATH });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: (n.failureSummary || "").replace(/\s+/g, " ") })),
    }));
  });
}

function formatViolations(vs) {
  return vs
    .map((v) => {
      const nodes = v.nodes.slice(0, 3).map((n) => `${n.target} — ${n.summary.slice(0, 160)}`);
      const more = v.nodes.length > 3 ? ` (+${v.nodes.length - 3} more)` : "";
      return `[${v.impact}] ${v.id}: ${v.help}${more}\n        ${nodes.join("\n        ")}`;
    })
    .join("\n      ");
}

/** Type a query into the search box and wait for results. */
async function search(page, query) {
  const input = (await need(page, "#search-input", "search input #search-input")).first();
  await input.click();
  await input.fill("");
  await page.keyboard.type(query, { delay: 15 });
  try {
    await page.locator("#search-results a.search-result").first().waitFor({ state: "visible", timeout: 4000 });
  } catch {
    const state = await page.evaluate(() => {
      const r = document.getElementById("search-results");
      return r ? `#search-results exists, ${r.querySelectorAll("a.search-result").length} a.search-result, text: ${JSON.stringify(r.textContent.trim().slice(0, 120))}` : "no #search-results element";
    });
    fail(`typing "${query}" showed no visible a.search-result in #search-results (${state})`);
  }
  return page.locator("#search-results a.search-result");
}

async function clickAndWait(page, locator, urlPattern) {
  await Promise.all([page.waitForURL(urlPattern, { timeout: 10000 }), locator.click()]);
  await page.waitForLoadState("load");
}

async function firstExisting(page, selectors, what) {
  for (const s of selectors) {
    const l = page.locator(s).first();
    if ((await l.count()) > 0) return l;
  }
  fail(`missing ${what}: none of ${selectors.map((s) => `\`${s}\``).join(", ")} on ${page.url()}`);
}

// The walk home → process → SOP by clicking, used over http and file://.
async function walk(page, base) {
  await goto(page, base + PAGES.home);
  const card = await firstExisting(page, [`.card a[href$="${PAGES.process}"]`, `main a[href$="${PAGES.process}"]`], "process card link on home");
  await clickAndWait(page, card, base + PAGES.process);
  assert(page.url() === base + PAGES.process, `expected ${base + PAGES.process}, got ${page.url()}`);
  const t1 = await page.title();
  assert(t1.startsWith(PROCESS_TITLE), `process page title is "${t1}", expected it to start with "${PROCESS_TITLE}"`);
  const sopLink = await firstExisting(page, [`.sop-list a[href="run-payroll.html"]`, `main a[href="run-payroll.html"]`], "SOP link on the process page");
  await clickAndWait(page, sopLink, base + PAGES.sop);
  assert(page.url() === base + PAGES.sop, `expected ${base + PAGES.sop}, got ${page.url()}`);
  const t2 = await page.title();
  assert(t2.startsWith(SOP_TITLE), `SOP page title is "${t2}", expected it to start with "${SOP_TITLE}"`);
  const h1 = (await page.locator("h1").first().textContent()).trim();
  assert(h1 === SOP_TITLE, `SOP page <h1> is "${h1}"`);
}

// ------------------------------------------------- harness self-tests (0) ---

await check("0a", "harness: static server serves the site under /handbook/ with content types and 404s", async () => {
  const expect = async (p, status, type) => {
    const r = await httpGet(server.origin + p);
    assert(r.status === status, `GET ${p}: status ${r.status}, expected ${status}`);
    if (type) assert((r.headers["content-type"] || "").startsWith(type), `GET ${p}: content-type ${r.headers["content-type"]}, expected ${type}`);
    return r;
  };
  const home = await expect(PREFIX + "index.html", 200, "text/html");
  assert(home.body.includes("<title>"), "index.html body has no <title>");
  await expect(PREFIX, 200, "text/html");
  await expect(PREFIX + "submit-payroll/", 200, "text/html");
  await expect(PREFIX + "_theme/style.css", 200, "text/css");
  await expect(PREFIX + "graph.json", 200, "application/json");
  await expect("/index.html", 404); // not served outside the sub-path
  await expect(PREFIX + "no-such-page.html", 404);
  await expect(PREFIX + "..%2f..%2fetc%2fpasswd", 404);
  const redirect = await httpGet(server.origin + PREFIX.slice(0, -1));
  assert(redirect.status === 301 && redirect.headers.location === PREFIX, `GET ${PREFIX.slice(0, -1)} should redirect to ${PREFIX}`);
});

await check("0b", "harness: console errors, page errors, requests and axe are detected", async () => {
  const sink = { consoleErrors: [], requests: [] };
  const page = await newPage({}, sink);
  await goto(page, BASE + PAGES.home);
  await page.evaluate(() => {
    console.error("harness-probe-console");
    setTimeout(() => {
      throw new Error("harness-probe-throw");
    }, 0);
    // A request to another host: must be recorded and blocked.
    fetch("http://example.invalid/probe").catch(() => {});
  });
  await page.waitForTimeout(300);
  assert(sink.consoleErrors.some((e) => e.text.includes("harness-probe-console")), "console.error was not captured");
  assert(sink.consoleErrors.some((e) => e.text.includes("harness-probe-throw")), "uncaught page error was not captured");
  assert(sink.requests.some((r) => r.url === BASE + PAGES.home), "page request was not recorded");
  assert(sink.requests.some((r) => r.url.startsWith("http://example.invalid/")), "request to another host was not recorded");
  // A 404 for a subresource shows up as a console error.
  await page.evaluate(() => {
    const img = document.createElement("img");
    img.src = "no-such-image.png";
    img.alt = "";
    document.body.append(img);
  });
  await page.waitForTimeout(300);
  assert(sink.consoleErrors.some((e) => /404|Failed to load/i.test(e.text)), "a 404 subresource produced no console error");
  // axe finds a known critical violation.
  await page.evaluate(() => document.body.insertAdjacentHTML("beforeend", '<button id="axe-probe"></button>'));
  const v = await runAxe(page);
  assert(v.some((x) => x.id === "button-name" && x.nodes.some((n) => n.target.includes("axe-probe"))), "axe did not report an empty button");
  // file:// pages load.
  await goto(page, FILE_BASE + PAGES.home);
  assert((await page.title()).length > 0, "file:// home page has no title");
  // Dark-mode emulation reaches the page.
  await page.emulateMedia({ colorScheme: "dark" });
  assert(await page.evaluate(() => matchMedia("(prefers-color-scheme: dark)").matches), "emulateMedia dark did not apply");
});
serverLogStart = server.log.length;

// ------------------------------------------------ page structure (contract) ---

await check("C1", "every page: header.site-header with a.site-title home link, search form input#search-input[type=search], button#theme-toggle", async () => {
  const page = await newPage();
  const problems = [];
  const pages = listHtml(SITE);
  for (const rel of pages) {
    await goto(page, BASE + rel);
    const p = await page.evaluate((home) => {
      const out = [];
      const header = document.querySelector("header.site-header");
      if (!header) return ["no header.site-header"];
      const title = header.querySelector("a.site-title");
      if (!title) out.push("no a.site-title in the header");
      else if (title.href !== home && title.href !== home.replace(/index\.html$/, "")) out.push(`a.site-title goes to ${title.href}`);
      const input = document.getElementById("search-input");
      if (!input) out.push("no #search-input");
      else {
        if (input.tagName !== "INPUT" || input.type !== "search") out.push(`#search-input is <${input.tagName.toLowerCase()} type=${input.type}>`);
        if (!header.contains(input)) out.push("#search-input not in the header");
        if (!input.closest("form")) out.push("#search-input not in a form");
      }
      const toggle = document.getElementById("theme-toggle");
      if (!toggle) out.push("no #theme-toggle");
      else {
        if (toggle.tagName !== "BUTTON") out.push(`#theme-toggle is <${toggle.tagName.toLowerCase()}>`);
        if (!header.contains(toggle)) out.push("#theme-toggle not in the header");
      }
      return out;
    }, BASE + "index.html");
    if (p.length) problems.push(`${rel}: ${p.join("; ")}`);
  }
  assert(problems.length === 0, `${problems.length} of ${pages.length} pages break the header contract:\n${problems.join("\n")}`);
});

// ------------------------------------------------------------- 2. walking ---

await check("2", "walk home → process → SOP by clicking links (served under /handbook/)", async () => {
  const page = await newPage();
  await walk(page, BASE);
});

// -------------------------------------------------------------- 3. search ---

await check("3a", "search: pressing / focuses #search-input (home and SOP page)", async () => {
  const page = await newPage();
  for (const rel of [PAGES.home, PAGES.sop]) {
    await goto(page, BASE + rel);
    await need(page, "#search-input", "search input #search-input");
    await page.locator("h1").first().click(); // focus somewhere in the page, not in a field
    await page.keyboard.press("/");
    const active = await page.evaluate(() => document.activeElement && (document.activeElement.id || document.activeElement.tagName));
    assert(active === "search-input", `${rel}: after pressing "/", the focused element is ${active}, not #search-input`);
  }
});

await check("3b", 'search: the typo "payrol" shows results (title, process, snippet) including payroll SOPs', async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.home);
  const results = await search(page, "payrol");
  const rows = await results.evaluateAll((as) =>
    as.map((a) => ({
      href: a.href,
      title: a.querySelector(".search-title")?.textContent.trim() ?? null,
      process: a.querySelector(".search-process")?.textContent.trim() ?? null,
      snippet: a.querySelector(".search-snippet")?.textContent.trim() ?? null,
    })),
  );
  const bad = rows.filter((r) => r.title === null || r.process === null || r.snippet === null);
  assert(bad.length === 0, `${bad.length} of ${rows.length} results lack .search-title/.search-process/.search-snippet: ${JSON.stringify(bad.slice(0, 2))}`);
  const payroll = rows.filter((r) => /payroll/i.test(r.title));
  assert(payroll.length > 0, `no result title contains "payroll"; titles: ${rows.map((r) => r.title).join(" | ")}`);
  assert(
    rows.some((r) => r.href.startsWith(BASE + "submit-payroll/") && !r.href.includes("index.html")),
    `no result links to a payroll SOP; hrefs: ${rows.map((r) => r.href).join(" ")}`,
  );
  assert(rows.every((r) => r.href.startsWith(BASE)), `a result links outside ${BASE}: ${rows.map((r) => r.href).join(" ")}`);
});

await check("3c", 'search: "payrol", ArrowDown selects the first result, Enter opens it: an SOP page', async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.home);
  const results = await search(page, "payrol");
  const firstHref = await results.first().evaluate((a) => a.href);
  await page.keyboard.press("ArrowDown");
  const sel = await page.evaluate(() => {
    const first = document.querySelector("#search-results a.search-result");
    return {
      focused: document.activeElement === first,
      selected: first.getAttribute("aria-selected") === "true" || first.classList.contains("selected") || first.classList.contains("is-selected"),
      active: document.activeElement?.id || document.activeElement?.tagName,
    };
  });
  assert(sel.focused || sel.selected, `after ArrowDown the first result is neither focused nor aria-selected (focus is on ${sel.active})`);
  await Promise.all([page.waitForURL((u) => u.href !== BASE + PAGES.home, { timeout: 10000 }), page.keyboard.press("Enter")]);
  await page.waitForLoadState("load");
  assert(page.url().split("#")[0] === firstHref.split("#")[0], `Enter opened ${page.url()}, expected the first result ${firstHref}`);
  const isSop = await page.evaluate(() => document.body.classList.contains("kind-sop") || !!document.querySelector("article.sop"));
  assert(isSop, `Enter opened ${page.url()}, which is not an SOP page`);
  assert(/payroll/i.test(await page.title()), `the opened SOP "${await page.title()}" is not about payroll`);
});

/** Title, href, snippet text and snippet HTML of every result shown. */
async function resultRows(results) {
  return results.evaluateAll((as) =>
    as.map((a) => ({
      href: a.href,
      title: a.querySelector(".search-title")?.textContent.trim() ?? "",
      snippet: a.querySelector(".search-snippet")?.textContent.trim() ?? "",
      marks: Array.from(a.querySelectorAll(".search-snippet mark"), (m) => m.textContent),
    })),
  );
}

// A phrase only step 9 of the normal payroll SOP says ("In Payfit, click
// *Close the month*."): the result must be that step, not the page top.
const STEP_PHRASE = "Close the month";
const STEP_URL = "submit-payroll/run-payroll.html#step-9";

/** Wait (up to 4 s) until the first result links to `href`: results of a
 * query typed before, or half typed, may still be on show for a moment. */
async function waitFirst(page, href) {
  await page
    .waitForFunction((h) => document.querySelector("#search-results a.search-result")?.href === h, href, { timeout: 4000 })
    .catch(() => {});
}

async function stepLanding(page, base) {
  const results = await search(page, STEP_PHRASE);
  await waitFirst(page, base + STEP_URL);
  const rows = await resultRows(results);
  const first = rows[0];
  assert(first.href === base + STEP_URL, `typing "${STEP_PHRASE}": the first result links to ${first.href}, expected ${base + STEP_URL}; results: ${rows.map((r) => `${r.title} <${r.href}>`).join(" | ")}`);
  assert(/Step 9/.test(first.title), `the first result's title "${first.title}" does not name Step 9`);
  assert(/close the month/i.test(first.snippet), `the first result's snippet "${first.snippet}" does not show the step's words`);
  assert(first.marks.some((m) => /^close$/i.test(m)) && first.marks.some((m) => /^month$/i.test(m)), `the matched words are not in <mark> in the snippet: marks ${JSON.stringify(first.marks)}`);
  await clickAndWait(page, results.first(), base + STEP_URL);
  assert(new URL(page.url()).hash === "#step-9", `after the click the URL is ${page.url()}, expected the hash #step-9`);
  const view = await page.evaluate(() => {
    const el = document.getElementById("step-9");
    if (!el) return { missing: true };
    const r = el.getBoundingClientRect();
    const list = document.getElementById("search-results");
    return { top: r.top, bottom: r.bottom, height: innerHeight, listOpen: !!list && !list.hidden };
  });
  assert(!view.missing, "no element #step-9 on the page");
  assert(view.top >= 0 && view.top < view.height, `#step-9 is not in view after the click: its top is at ${view.top}px of a ${view.height}px viewport`);
  assert(!view.listOpen, "the result list is still open over the page after the click");
}

await check("3d", `search: typing the step phrase "${STEP_PHRASE}" offers ${STEP_URL} first (marked words); clicking it lands on the step, in view`, async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.home);
  await stepLanding(page, BASE);
});

await check("3e", "search: snippets read as the page does: a [[run-payroll#step-3]] link shows its title, no id#anchor or [[ in any snippet", async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.process);
  const seen = [];
  const want = BASE + "submit-payroll/fix-payroll-mistake.html#step-2";
  for (const query of ["wrong hours overtime", "calendar", "approval", "payroll", "step"]) {
    const results = await search(page, query);
    if (query === "wrong hours overtime") await waitFirst(page, want);
    const rows = await resultRows(results);
    seen.push(...rows);
    if (query === "wrong hours overtime") {
      const first = rows[0];
      assert(first.href === want, `"${query}": first result ${first.href}, expected the step of fix-payroll-mistake that says it (${want})`);
      assert(first.snippet.includes("leave: How to run the normal payroll, step 3 a missing"), `"${query}": the snippet does not show the link as the page does ("How to run the normal payroll, step 3"): "${first.snippet}"`);
    }
  }
  // The guide on writing SOPs shows link syntax in code, as its page does.
  const bad = seen.filter((r) => !r.href.includes("/writing-sops.html") && (/[\w-]#[\w-]/.test(r.snippet) || r.snippet.includes("[[") || /\s[.,;:)]/.test(r.snippet)));
  assert(bad.length === 0, `${bad.length} snippets show an id#anchor, [[ or a space before punctuation: ${JSON.stringify(bad.slice(0, 3))}`);
});

await check("3f", `search from file://: "${STEP_PHRASE}" offers the step first and lands on it`, async () => {
  const page = await newPage();
  await goto(page, FILE_BASE + PAGES.sop);
  await stepLanding(page, FILE_BASE);
});

await check("3g", 'search: "approving", a form the handbook never uses, finds its "approval", "approved"… and marks them', async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.home);
  const results = await search(page, "approving");
  const rows = await results.evaluateAll((as) =>
    as.map((a) => ({ href: a.href, marks: Array.from(a.querySelectorAll("mark"), (m) => m.textContent.toLowerCase()) })),
  );
  assert(rows.length >= 3, `only ${rows.length} results`);
  const unmarked = rows.filter((r) => !r.marks.some((m) => m.startsWith("approv")));
  assert(unmarked.length === 0, `results with no marked form of "approve": ${JSON.stringify(unmarked.slice(0, 3))}`);
  assert(rows.every((r) => !r.marks.includes("approving")), "the handbook has no \"approving\" to mark");
});

// ---------------------------------------------------------- 4. checklist ---

async function checklistState(page) {
  return page.evaluate(() => {
    const steps = [...document.querySelectorAll("ol.steps > li.step")].filter((li) => !li.parentElement.closest("li.step"));
    const boxes = steps.map((li) => [...li.querySelectorAll("input.step-check")].find((i) => i.closest("li.step") === li) || null);
    const prog = document.querySelector(".checklist-progress");
    return {
      steps: steps.length,
      boxes: boxes.filter(Boolean).length,
      badBoxes: boxes.filter((b) => b && b.type !== "checkbox").length,
      checked: boxes.map((b) => !!(b && b.checked)),
      progress: prog ? prog.textContent.replace(/\s+/g, " ").trim() : null,
    };
  });
}

await check("4", `checklist: tick a step and a task-list item, reload, still ticked with "2 of ${SOP_ITEMS}"; reset clears both`, async () => {
  const page = await newPage();
  await goto(page, BASE + PAGES.sop);
  let s = await checklistState(page);
  assert(s.steps === SOP_STEPS, `expected ${SOP_STEPS} top-level li.step in ol.steps, found ${s.steps}`);
  await need(page, "li.step input.step-check", "checklist checkboxes (li.step input.step-check)");
  s = await checklistState(page);
  assert(s.boxes === SOP_STEPS && s.badBoxes === 0, `expected an input.step-check[type=checkbox] in each of the ${SOP_STEPS} steps, found ${s.boxes} (${s.badBoxes} not checkboxes)`);
  await need(page, ".checklist-progress", "checklist progress .checklist-progress");
  assert(s.progress.includes(`0 of ${SOP_ITEMS}`), `progress before ticking is "${s.progress}", expected it to contain "0 of ${SOP_ITEMS}"`);
  const task = page.locator("li.task input.step-check").first();
  assert((await page.locator("li.task input.step-check").count()) === SOP_TASKS, `expected ${SOP_TASKS} tickable task-list boxes`);
  assert(!(await task.isDisabled()), "a task-list box is tickable, not disabled");
  await page.locator("#step-2 input.step-check").first().click();
  await task.click();
  s = await checklistState(page);
  assert(s.checked[1] && s.checked.filter(Boolean).length === 1, `after ticking step 2, ticked: ${JSON.stringify(s.checked)}`);
  assert(s.progress.includes(`2 of ${SOP_ITEMS}`), `progress after ticking is "${s.progress}", expected "2 of ${SOP_ITEMS}"`);
  await page.reload({ waitUntil: "load" });
  await need(page, "li.step input.step-check", "checklist checkboxes after reload");
  await page.waitForTimeout(100);
  s = await checklistState(page);
  assert(s.checked[1] && s.checked.filter(Boolean).length === 1, `after reload, ticked: ${JSON.stringify(s.checked)} (expected only step 2)`);
  assert(await task.isChecked(), "the task-list tick survives a reload");
  assert(s.progress && s.progress.includes(`2 of ${SOP_ITEMS}`), `progress after reload is "${s.progress}", expected "2 of ${SOP_ITEMS}"`);
  // Ticks are per SOP: another SOP is untouched.
  await goto(page, BASE + "submit-payroll/fix-payroll-mistake.html");
  await need(page, "li.step input.step-check", "checklist checkboxes on another SOP");
  const other = await checklistState(page);
  assert(other.checked.every((c) => !c), `ticks leaked into another SOP: ${JSON.stringify(other.checked)}`);
  await goto(page, BASE + PAGES.sop);
  await need(page, "button.checklist-reset", "reset button button.checklist-reset");
  await page.locator("button.checklist-reset").first().click();
  s = await checklistState(page);
  assert(s.checked.every((c) => !c), `after reset, ticked: ${JSON.stringify(s.checked)}`);
  assert(!(await task.isChecked()), "reset clears the task-list tick too");
  assert(s.progress.includes(`0 of ${SOP_ITEMS}`), `progress after reset is "${s.progress}"`);
  await page.reload({ waitUntil: "load" });
  await need(page, "li.step input.step-check", "checklist checkboxes after reload");
  await page.waitForTimeout(100);
  s = await checklistState(page);
  assert(s.checked.every((c) => !c), `after reset and reload, ticked: ${JSON.stringify(s.checked)}`);
});

// -------------------------------------------------------------- 5. theme ---

await check("5a", "theme: toggle to dark (system light), reload: still dark; another page: dark", async () => {
  const page = await newPage({ colorScheme: "light" });
  await goto(page, BASE + PAGES.home);
  await need(page, "#theme-toggle", "theme toggle button #theme-toggle");
  const before = await theme(page);
  assert(before.attr !== "dark" && !before.dark, `with a light system and nothing stored the page is already dark: ${JSON.stringify(before)}`);
  await toggleTo(page, "dark");
  let t = await theme(page);
  assert(t.dark, `data-theme=dark but the background is not dark: ${t.rgb} (luminance ${t.luminance})`);
  await page.reload({ waitUntil: "load" });
  await settle(page);
  t = await theme(page);
  assert(t.attr === "dark" && t.dark, `after reload: data-theme=${t.attr}, background ${t.rgb} (expected dark)`);
  await goto(page, BASE + PAGES.sop);
  await settle(page);
  t = await theme(page);
  assert(t.attr === "dark" && t.dark, `on the SOP page: data-theme=${t.attr}, background ${t.rgb} (expected dark)`);
});

await check("5b", "theme: follows a dark system preference when unset; toggle to light persists over reload", async () => {
  const page = await newPage({ colorScheme: "dark" });
  await goto(page, BASE + PAGES.home);
  await settle(page);
  let t = await theme(page);
  assert(t.attr === null || t.attr === "dark", `with a dark system and nothing stored, data-theme=${t.attr}`);
  assert(t.dark, `with a dark system preference the background is ${t.rgb} (luminance ${t.luminance}), not dark`);
  await toggleTo(page, "light");
  t = await theme(page);
  assert(!t.dark, `data-theme=light but the background is dark: ${t.rgb}`);
  await page.reload({ waitUntil: "load" });
  await settle(page);
  t = await theme(page);
  assert(t.attr === "light" && !t.dark, `after reload: data-theme=${t.attr}, background ${t.rgb} (expected light)`);
});

// ----------------------------------------------------------- 6. file:// ---

await check("6", "file://: open the built home page from disk and walk home → process → SOP by clicking", async () => {
  const page = await newPage();
  await walk(page, FILE_BASE);
});

await check("6b", "file://: the sidebar nav script fills #site-nav from disk too", async () => {
  const page = await newPage();
  await goto(page, FILE_BASE + PAGES.sop);
  await need(page, "#site-nav", "nav#site-nav");
  await need(page, "#site-nav a[data-nav-url]", "nav links #site-nav a[data-nav-url] (from file://)", 5000);
  const cur = await page.locator('#site-nav a[aria-current="page"]').evaluateAll((as) => as.map((a) => a.href));
  assert(cur.length === 1 && cur[0] === FILE_BASE + PAGES.sop, `aria-current="page" links: ${JSON.stringify(cur)}`);
});

await check("6c", "file://: opening another process in the sidebar loads its SOPs from disk", async () => {
  const page = await newPage();
  await goto(page, FILE_BASE + PAGES.sop);
  await need(page, "#site-nav a[data-nav-url]", "nav links from file://", 5000);
  const other = graph.processes.find((p) => p.url !== "submit-payroll/index.html" && p.branches.length);
  const item = page.locator("#site-nav li.nav-process").filter({ has: page.locator(`a[data-nav-url="${other.url}"]`) });
  await item.locator("button.nav-expand").click();
  const sop = graph.sops.find((s) => s.process === other.id && s.status === "current");
  await need(page, `#site-nav a[data-nav-url="${sop.url}"]`, `${sop.url} in the sidebar after opening ${other.url} from file://`, 5000);
});

await check("C2d", "nav: a page loads its own process's SOPs with it and another's once, when it is opened (click or keyboard)", async () => {
  const page = await newPage();
  const loaded = [];
  page.on("request", (r) => {
    const u = r.url();
    if (u.startsWith(BASE + "nav/")) loaded.push(u.slice(BASE.length));
  });
  await goto(page, BASE + PAGES.sop);
  await need(page, '#site-nav a[aria-current="page"]', "the SOP's own link in the sidebar, open at load");
  assert(JSON.stringify(loaded) === JSON.stringify(["nav/submit-payroll.js"]), `scripts under nav/ at load: ${JSON.stringify(loaded)}`);
  const other = graph.processes.find((p) => p.url !== "submit-payroll/index.html" && p.branches.length);
  const button = page.locator("#site-nav li.nav-process").filter({ has: page.locator(`a[data-nav-url="${other.url}"]`) }).locator("button.nav-expand");
  await button.focus();
  await page.keyboard.press("Enter");
  const sop = graph.sops.find((s) => s.process === other.id && s.status === "current");
  await need(page, `#site-nav a[data-nav-url="${sop.url}"]`, `${sop.url} after Enter on the expand button of ${other.url}`);
  assert((await button.getAttribute("aria-expanded")) === "true", "aria-expanded is not true after opening");
  await page.keyboard.press("Enter");
  assert((await button.getAttribute("aria-expanded")) === "false", "aria-expanded is not false after closing");
  await page.keyboard.press("Enter");
  await page.waitForLoadState("networkidle");
  const twice = loaded.filter((u) => u === `nav/${other.id}.js`).length;
  assert(twice === 1, `nav/${other.id}.js requested ${twice} times: ${JSON.stringify(loaded)}`);
});

// ---------------------------------------------------------------- 8. phone --

for (const [key, rel] of Object.entries(PAGES)) {
  await check(`8-${key}`, `phone 360×740: no horizontal scroll on ${key} (${rel})`, async () => {
    const page = await newPage({ viewport: PHONE, hasTouch: true });
    await goto(page, BASE + rel);
    await settle(page);
    const m = await page.evaluate((w) => {
      const wide = [];
      for (const el of document.body.querySelectorAll("*")) {
        const r = el.getBoundingClientRect();
        if (r.right > w + 0.5 && r.width > 0) {
          const id = el.id ? `#${el.id}` : "";
          const cls = typeof el.className === "string" && el.className.trim() ? "." + el.className.trim().split(/\s+/).join(".") : "";
          wide.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(r.right)}px)`);
        }
      }
      return { scrollWidth: document.documentElement.scrollWidth, wide: wide.slice(0, 5) };
    }, PHONE.width);
    assert(m.scrollWidth <= PHONE.width, `document scrollWidth is ${m.scrollWidth}px > ${PHONE.width}px; wide elements: ${m.wide.join(", ")}`);
  });
}

await check("8-nav", "phone 360×740: #nav-toggle visible, #site-nav hidden until the toggle is pressed (home, process, SOP)", async () => {
  const page = await newPage({ viewport: PHONE, hasTouch: true });
  for (const rel of Object.values(PAGES)) {
    await goto(page, BASE + rel);
    await need(page, "#nav-toggle", "nav toggle button #nav-toggle");
    const toggle = page.locator("#nav-toggle").first();
    assert(await toggle.isVisible(), `${rel}: #nav-toggle is not visible at ${PHONE.width}px`);
    assert((await toggle.evaluate((b) => b.tagName)) === "BUTTON", `${rel}: #nav-toggle is not a <button>`);
    await need(page, "#site-nav", "nav#site-nav");
    assert(!(await page.locator("#site-nav").isVisible()), `${rel}: #site-nav is visible before pressing #nav-toggle at ${PHONE.width}px`);
    await toggle.click();
    await settle(page);
    assert(await page.locator("#site-nav").isVisible(), `${rel}: #site-nav still hidden after pressing #nav-toggle`);
    const expanded = await toggle.getAttribute("aria-expanded");
    assert(expanded === "true", `${rel}: #nav-toggle aria-expanded is ${expanded} after opening`);
    const sw = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(sw <= PHONE.width, `${rel}: with the nav open the document scrollWidth is ${sw}px`);
  }
});

// -------------------------------------------------- sidebar nav (contract) --

await check("C2", "nav script: every page loads the shared nav.js (site root) by a relative path", async () => {
  const page = await newPage();
  const problems = [];
  for (const rel of Object.values(PAGES)) {
    await goto(page, BASE + rel);
    const srcs = await page.evaluate(() => [...document.scripts].map((s) => s.getAttribute("src")).filter(Boolean));
    const nav = srcs.filter((s) => /(^|\/)nav\.js(\?|$)/.test(s));
    const want = "../".repeat(rel.split("/").length - 1) + "nav.js";
    if (nav.length !== 1) problems.push(`${rel}: expected one <script src="${want}">; scripts: ${JSON.stringify(srcs)}`);
    else if (/^(\/|[a-z]+:)/i.test(nav[0])) problems.push(`${rel}: nav.js is not referenced by a relative path: ${nav[0]}`);
  }
  assert(problems.length === 0, problems.join("\n"));
});

async function navLinks(page) {
  await need(page, 'nav#site-nav[aria-label="Handbook"]', 'nav#site-nav[aria-label="Handbook"]');
  await need(page, "#site-nav a[data-nav-url]", "nav links #site-nav a[data-nav-url] (filled by nav.js)", 5000);
  return page.locator("#site-nav a[data-nav-url]").evaluateAll((as) => as.map((a) => ({ href: a.href, current: a.getAttribute("aria-current") })));
}

async function checkNav(rel, expectCurrent) {
  const page = await newPage();
  await goto(page, BASE + rel);
  const shown = await navLinks(page);
  const cur = shown.filter((l) => l.current === "page").map((l) => l.href);
  // Collapsed processes are filled in only when opened: press every
  // expand button that is not expanded yet.
  // in the nav (as a reader would) before collecting the links.
  await page.evaluate(() => document.querySelectorAll('#site-nav button.nav-expand[aria-expanded="false"]').forEach((b) => b.click()));
  // Each opened process's branches and SOPs come from nav/<process>.js.
  await page.waitForFunction(() => !document.querySelector("#site-nav [aria-busy]") && [...document.querySelectorAll("#site-nav .nav-inner")].every((d) => d.children.length));
  const links = await page.locator("#site-nav a[data-nav-url]").evaluateAll((as) => as.map((a) => ({ href: a.href, current: a.getAttribute("aria-current") })));
  const hrefs = new Set(links.map((l) => l.href));
  const missing = [];
  for (const p of graph.processes) {
    if (!hrefs.has(BASE + p.url)) missing.push(p.url);
    for (const b of p.branches) if (![...hrefs].some((h) => h === `${BASE}${p.url}#branch-${b.id}`)) missing.push(`${p.url}#branch-${b.id}`);
  }
  // Current SOPs only: superseded and retired ones are out of the nav.
  for (const s of graph.sops) if (s.status === "current" && !hrefs.has(BASE + s.url)) missing.push(s.url);
  const former = graph.sops.filter((s) => s.status !== "current" && hrefs.has(BASE + s.url));
  assert(former.length === 0, `nav links to superseded or retired SOPs: ${former.map((s) => s.url).join(", ")}`);
  assert(graph.sops.some((s) => s.status === "superseded"), "the example has a superseded SOP to leave out");
  assert(missing.length === 0, `nav (${links.length} links) lacks links to: ${missing.join(", ")}`);
  const outside = links.filter((l) => !l.href.startsWith(BASE));
  assert(outside.length === 0, `nav links resolve outside ${BASE}: ${outside.map((l) => l.href).join(", ")}`);
  const broken = [];
  for (const h of new Set(links.map((l) => l.href.split("#")[0]))) {
    const r = await httpGet(h, "HEAD");
    if (r.status !== 200) broken.push(`${h} (${r.status})`);
  }
  assert(broken.length === 0, `nav links to missing pages: ${broken.join(", ")}`);
  if (expectCurrent) assert(cur.length === 1 && cur[0] === BASE + rel, `aria-current="page" links: ${JSON.stringify(cur)}, expected exactly ${BASE + rel}`);
  // Desktop: the sidebar is shown.
  assert(await page.locator("#site-nav").isVisible(), `#site-nav is not visible at ${DESKTOP.width}px`);
}

await check("C2a", "nav on the SOP page: links to every process, branch and SOP (groups expanded); this SOP aria-current", () => checkNav(PAGES.sop, true));
await check("C2b", "nav on the process page: same links from another depth; the process aria-current", () => checkNav(PAGES.process, true));
await check("C2c", "nav on the home page: links resolve from the top level", () => checkNav(PAGES.home, false));

await check("C3", "nav with scripts off: #site-nav holds a plain link to the home page", async () => {
  const page = await newPage({ javaScriptEnabled: false });
  for (const rel of [PAGES.sop, PAGES.process]) {
    await goto(page, BASE + rel);
    await need(page, "nav#site-nav", "nav#site-nav");
    const hrefs = await page.locator("#site-nav a").evaluateAll((as) => as.map((a) => a.href));
    assert(hrefs.includes(BASE + "index.html") || hrefs.includes(BASE), `${rel}: #site-nav links without scripts: ${JSON.stringify(hrefs)}`);
  }
});

// ---------------------------------------------------- anchors (contract) ----

// Steps and headings in the written body (.prose) of the SOP and process
// pages, then the headings of the sections the theme adds around it.
async function anchorProblems(page, rel, scope) {
  await goto(page, BASE + rel);
  return page.evaluate((scope) => {
    const heads = [...document.querySelectorAll("main :is(h2, h3, h4, h5, h6)[id]")];
    const inBody = (el) => !!el.closest(".prose");
    const targets =
      scope === "body"
        ? [...[...document.querySelectorAll("ol.steps > li.step")].filter((li) => !li.parentElement.closest("li.step")), ...heads.filter(inBody)]
        : heads.filter((h) => !inBody(h));
    const out = [];
    for (const el of targets) {
      if (!el.id) out.push(`${el.tagName.toLowerCase()} without id`);
      else if (![...el.querySelectorAll("a.anchor-link")].some((x) => x.getAttribute("href") === `#${el.id}`)) out.push(`#${el.id}`);
    }
    return { n: targets.length, out };
  }, scope);
}

for (const [id, scope, what] of [
  ["C4a", "body", "every step and every heading in the page body"],
  ["C4b", "sections", "every other heading with an id (theme sections: branch map, used by…)"],
]) {
  await check(id, `copy-link anchors: ${what} has a.anchor-link href=#id (SOP and process pages)`, async () => {
    const page = await newPage();
    const problems = [];
    let total = 0;
    for (const rel of [PAGES.sop, PAGES.process]) {
      const p = await anchorProblems(page, rel, scope);
      total += p.n;
      if (p.out.length) problems.push(`${rel}: ${p.out.length} of ${p.n} lack one: ${p.out.slice(0, 8).join(", ")}${p.out.length > 8 ? "…" : ""}`);
    }
    if (scope === "body") assert(total > 0, "no steps or headings found");
    assert(problems.length === 0, problems.join("\n"));
  });
}

// ------------------------------------------------------------------ 1. axe --

const AXE_VIEWS = [
  ["home", async (page) => goto(page, BASE + PAGES.home)],
  ["process", async (page) => goto(page, BASE + PAGES.process)],
  ["sop", async (page) => goto(page, BASE + PAGES.sop)],
  [
    "search",
    async (page) => {
      await goto(page, BASE + PAGES.home);
      await search(page, "payroll");
    },
  ],
];
const AXE_MODES = [
  ["light", "light", { colorScheme: "light" }, null],
  ["dark (system)", "dark-sys", { colorScheme: "dark" }, null],
  ["dark (toggle)", "dark-btn", { colorScheme: "light" }, "dark"],
];

for (const [view, open] of AXE_VIEWS) {
  for (const [mode, tag, ctxOpts, toggle] of AXE_MODES) {
    await check(`1-${view}-${tag}`, `axe: no serious/critical violations on ${view}, ${mode}`, async () => {
      // bypassCSP only so that axe can be injected whatever CSP the theme sets.
      const page = await newPage({ ...ctxOpts, bypassCSP: true });
      const notes = [];
      await open(page);
      if (toggle) await toggleTo(page, toggle);
      await settle(page);
      if (mode.startsWith("dark")) {
        const t = await theme(page);
        if (!t.dark) notes.push(`the page is not dark in this mode (background ${t.rgb}, data-theme=${t.attr}), so dark colours were not tested`);
      }
      const v = (await runAxe(page)).filter((x) => x.impact === "serious" || x.impact === "critical");
      if (v.length) notes.push(`${v.length} serious/critical violation(s):\n      ${formatViolations(v)}`);
      assert(notes.length === 0, notes.join("\n      "));
    });
  }
}

// ------------------------------------------ 7 & 9. suite-wide observations --

await check("7", "no console errors or uncaught page errors on any page visited by the checks above", async () => {
  if (consoleErrors.length === 0) return;
  const lines = consoleErrors.slice(0, 15).map((e) => `[check ${e.check}] ${e.url.replace(BASE, "/handbook/").replace(FILE_BASE, "file:///…/")}: ${e.text}`);
  fail(`${consoleErrors.length} error(s):\n${lines.join("\n")}${consoleErrors.length > 15 ? `\n… and ${consoleErrors.length - 15} more` : ""}`);
});

await check("9", "no request leaves the local test server (or file://)", async () => {
  assert(requests.length > 0, "no requests were recorded at all (harness problem)");
  const outside = requests.filter((r) => !allowedUrl(r.url));
  if (outside.length === 0) return;
  const uniq = [...new Map(outside.map((r) => [r.url, r])).values()];
  fail(`${outside.length} request(s) to other hosts:\n${uniq.slice(0, 15).map((r) => `[check ${r.check}] ${r.url}`).join("\n")}`);
});

await check("9b", "sub-path hosting: every request to the server stays under /handbook/ and finds its file", async () => {
  const log = server.log.slice(serverLogStart).filter((r) => r.path !== "/favicon.ico"); // browsers probe /favicon.ico on their own
  assert(log.length > 0, "the server saw no requests (harness problem)");
  const bad = log.filter((r) => !r.path.startsWith(PREFIX) || r.status >= 400);
  const uniq = [...new Map(bad.map((r) => [r.path, r])).values()];
  assert(uniq.length === 0, `${bad.length} bad request(s):\n${uniq.slice(0, 15).map((r) => `${r.method} ${r.path} → ${r.status}`).join("\n")}`);
});

// ---------------------------------------------------------------- summary --

await browser.close();
await server.close();
suite.finish();
