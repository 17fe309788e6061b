#!/usr/bin/env node
// Layout invariants of the default theme on real screens: every page of
// each given site at 360, 390, 768, 1280 and 1920 px, light and dark.
//
// Usage: node tests/browser/layout.mjs SITE_DIR [SITE_DIR...]
//   (scripts/browser-tests.sh passes the example handbook, the
//   tests/fixtures/reader book, which has embeds and images under steps,
//   task lists, code in steps, long titles and words, and the
//   tests/fixtures/brand book: extra-css, extra-js, favicon and a wide logo.)
// Env:   BROWSER_TESTS_ONLY=<regex>   run only the checks whose "id name" matches
//
// Checked on every page, at every width and in both schemes: no horizontal
// scroll; every tick box (steps and task lists) on its step's first line of
// text; no console error or failed request (a missing favicon included).
// Then, per site: the search panel inside the viewport at every width; the
// phone menu (opens with focus inside, stays closable by its button, closes
// with Escape and with a tap outside, focus back on the button); "On this
// page" beside the text on wide screens, folded above it on narrow ones; a book's
// logo inside the header's first row at every width; the
// checklist counts task lists and embedded steps and resets them; axe
// (serious/critical) on every page in both schemes.
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { startServer, launchBrowser, listHtml, checkSuite, assert, fail } from "./lib.mjs";

const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve("axe-core/axe.min.js");
const AXE = fs.readFileSync(AXE_PATH, "utf8");

const sites = process.argv.slice(2).map((s) => fs.realpathSync(path.resolve(s)));
if (!sites.length || !sites.every((s) => fs.existsSync(path.join(s, "index.html")))) {
  console.error("usage: node tests/browser/layout.mjs SITE_DIR [SITE_DIR...]   (each must contain index.html)");
  process.exit(2);
}
const ONLY = process.env.BROWSER_TESTS_ONLY ? new RegExp(process.env.BROWSER_TESTS_ONLY, "i") : null;
const WIDTHS = [360, 390, 768, 1280, 1920];
const SCHEMES = ["light", "dark"];

const browser = await launchBrowser();
const suite = checkSuite({ only: ONLY, idWidth: 22, timeout: 300_000 });
const { check } = suite;

/** A context at `width` in `scheme` whose console errors and failed requests are collected. */
async function open(width, scheme, problems) {
  const ctx = suite.track(await browser.newContext({ viewport: { width, height: 800 }, colorScheme: scheme }));
  ctx.setDefaultTimeout(10_000);
  const page = await ctx.newPage();
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console: ${m.text()} (${page.url()})`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message} (${page.url()})`));
  page.on("response", (r) => {
    if (r.status() >= 400) problems.push(`${r.status()} for ${r.url()} (from ${page.url()})`);
  });
  return page;
}

/** Where each tick box sits against its step's first line of text; the misplaced ones. */
async function misplacedBoxes(page) {
  return page.evaluate(() => {
    const bad = [];
    for (const box of document.querySelectorAll("main input[type=checkbox]")) {
      const li = box.closest("li");
      if (!li || box.offsetParent === null) continue;
      // The first text of the item that is not the box's own label or a copy link.
      const walker = document.createTreeWalker(li, NodeFilter.SHOW_TEXT, {
        acceptNode: (n) =>
          n.textContent.trim() && !n.parentElement.closest(".anchor-link, .visually-hidden, summary .embed-kind")
            ? NodeFilter.FILTER_ACCEPT
            : NodeFilter.FILTER_REJECT,
      });
      const text = walker.nextNode();
      if (!text) continue;
      const range = document.createRange();
      range.setStart(text, 0);
      range.setEnd(text, Math.min(1, text.length));
      const line = range.getClientRects()[0];
      const b = box.getBoundingClientRect();
      const mid = b.top + b.height / 2;
      if (!line || mid < line.top - 2 || mid > line.bottom + 2) {
        bad.push(`${li.id || li.textContent.trim().slice(0, 30)}: box centre ${mid.toFixed(0)}, first line ${line ? `${line.top.toFixed(0)}–${line.bottom.toFixed(0)}` : "none"}`);
      }
    }
    return bad;
  });
}

for (const site of sites) {
  const name = path.basename(site);
  const server = await startServer(site);
  const pages = listHtml(site).filter((p) => p !== "404.html");
  const url = (rel) => server.url + rel;
  const sops = pages.filter((p) => {
    const html = fs.readFileSync(path.join(site, p), "utf8");
    return html.includes('class="kind-sop"');
  });
  console.log(`# ${site}: ${pages.length} pages (${sops.length} SOPs) at ${server.url}`);
  /** `probe(rel)` run inside every page in turn; the problems it returns. */
  const onEveryPage = async (page, probe) => {
    const problems = [];
    for (const rel of pages) {
      await page.goto(url(rel), { waitUntil: "load" });
      problems.push(...(await page.evaluate(probe, rel)));
    }
    return problems;
  };

  for (const width of WIDTHS) {
    for (const scheme of SCHEMES) {
      await check(`L-${name}-${width}-${scheme}`, `${name} at ${width}px ${scheme}: no sideways scroll, tick boxes on their first line, no console error`, async () => {
        const problems = [];
        const page = await open(width, scheme, problems);
        for (const rel of pages) {
          await page.goto(url(rel), { waitUntil: "load" });
          const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
          if (over > 1) {
            const culprit = await page.evaluate(() => {
              const w = window.innerWidth;
              const wide = [...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > w + 1 && !e.closest(".table-wrap, pre, .branch-map-figure"));
              return wide.slice(0, 3).map((e) => `${e.tagName.toLowerCase()}.${e.className}`).join(", ");
            });
            problems.push(`${rel}: scrolls ${over}px sideways (${culprit})`);
          }
          for (const bad of await misplacedBoxes(page)) problems.push(`${rel}: ${bad}`);
        }
        assert(!problems.length, problems.slice(0, 12).join("\n"));
      });
    }
  }

  await check(`S-${name}`, `${name}: the search panel stays inside the viewport at every width`, async () => {
    const problems = [];
    for (const width of [320, ...WIDTHS, 1100]) {
      const page = await open(width, "light", problems);
      await page.goto(url(sops[0] || "index.html"));
      const input = page.locator("#search-input");
      if (!(await input.isVisible())) {
        problems.push(`${width}px: no visible search input`);
        continue;
      }
      await input.fill("the");
      const panel = page.locator("#search-results");
      await panel.waitFor({ state: "visible" });
      const r = await panel.boundingBox();
      const vw = await page.evaluate(() => window.innerWidth);
      if (r.x < 0 || r.x + r.width > vw + 0.5) problems.push(`${width}px: panel spans ${r.x.toFixed(0)}–${(r.x + r.width).toFixed(0)} of ${vw}`);
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (over > 1) problems.push(`${width}px: the page scrolls ${over}px sideways with the panel open`);
    }
    assert(!problems.length, problems.join("\n"));
  });

  for (const width of [360, 390]) {
    await check(`M-${name}-${width}`, `${name} at ${width}px: the menu opens with focus inside, closes with its button, Escape and a tap outside`, async () => {
      const problems = [];
      const page = await open(width, "light", problems);
      await page.goto(url(sops[0] || "index.html"));
      const toggle = page.locator("#nav-toggle");
      const nav = page.locator("#site-nav");
      const reachable = () =>
        page.evaluate(() => {
          const t = document.getElementById("nav-toggle");
          const r = t.getBoundingClientRect();
          const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return !!hit && (hit === t || t.contains(hit));
        });
      assert(await toggle.isVisible(), "the Menu button is visible");
      assert(!(await nav.isVisible()), "the menu starts closed");
      // 1. Its own button closes it.
      await toggle.click();
      assert(await nav.isVisible(), "the menu opens");
      assert((await toggle.getAttribute("aria-expanded")) === "true", "aria-expanded=true when open");
      assert(await page.evaluate(() => document.getElementById("site-nav").contains(document.activeElement)), "focus moves into the menu");
      assert(await reachable(), "the Menu button stays visible and on top while the menu is open");
      await toggle.click();
      assert(!(await nav.isVisible()), "the button closes the menu");
      // 2. Escape.
      await toggle.click();
      await page.keyboard.press("Escape");
      assert(!(await nav.isVisible()), "Escape closes the menu");
      assert(await page.evaluate(() => document.activeElement === document.getElementById("nav-toggle")), "focus returns to the Menu button after Escape");
      assert((await toggle.getAttribute("aria-expanded")) === "false", "aria-expanded=false when closed");
      // 3. A tap outside the menu.
      await toggle.click();
      const box = await nav.boundingBox();
      const vw = await page.evaluate(() => window.innerWidth);
      const vh = await page.evaluate(() => window.innerHeight);
      const x = box.x + box.width < vw - 10 ? vw - 5 : null;
      const y = box.y + box.height < vh - 10 ? vh - 5 : null;
      if (x === null && y === null) fail(`the open menu covers the whole screen (${JSON.stringify(box)}): nothing to tap outside`);
      await page.mouse.click(x ?? vw / 2, y ?? vh / 2);
      assert(!(await nav.isVisible()), "a tap outside closes the menu");
      assert(!problems.length, problems.join("\n"));
    });
  }

  // "On this page" (pages with three headings or more): inside the
  // screen at every width; at 1200 px and wider beside the text (right of
  // it, not over it) and still in view after scrolling down, with the link
  // of the section being read marked; narrower, a folded block above the
  // text that opens.
  const withContents = pages.filter((rel) => fs.readFileSync(path.join(site, rel), "utf8").includes('class="page-contents"'));
  if (withContents.length) {
    await check(`C-${name}`, `${name}: "On this page" beside the text from 1200 px, a folded block above it on narrower screens`, async () => {
      const problems = [];
      for (const width of WIDTHS) {
        const page = await open(width, "dark", problems);
        for (const rel of [withContents[0], withContents[withContents.length - 1]]) {
          await page.goto(url(rel), { waitUntil: "load" });
          const found = await page.evaluate(async (wide) => {
            const out = [];
            const nav = document.querySelector(".page-contents");
            const box = nav.querySelector("details");
            const text = document.querySelector("main .prose") || document.querySelector("main article");
            const n = nav.getBoundingClientRect();
            if (n.left < 0 || n.right > window.innerWidth + 0.5) out.push(`contents span ${n.left.toFixed(0)}–${n.right.toFixed(0)} of ${window.innerWidth}`);
            if (document.documentElement.scrollWidth > window.innerWidth + 1) out.push("the page scrolls sideways");
            if (!nav.getAttribute("aria-label")) out.push("the contents nav has no name");
            if (wide) {
              const t = text.getBoundingClientRect();
              if (!box.open) out.push("folded on a wide screen");
              if (n.left < t.right) out.push(`contents (left ${n.left.toFixed(0)}) overlap the text (right ${t.right.toFixed(0)})`);
              const links = Array.from(nav.querySelectorAll("a"));
              const last = document.getElementById(decodeURIComponent(links[links.length - 1].getAttribute("href").slice(1)));
              last.scrollIntoView({ block: "start" });
              await new Promise((r) => setTimeout(r, 250));
              const after = nav.getBoundingClientRect();
              if (after.top < 0 || after.top > window.innerHeight) out.push(`out of view after scrolling (top ${after.top.toFixed(0)})`);
              const marked = nav.querySelectorAll('a[aria-current="location"]');
              if (marked.length !== 1) out.push(`${marked.length} links marked as the section being read`);
              window.scrollTo(0, 0);
            } else {
              if (box.open) out.push("open on a narrow screen");
              const t = text.getBoundingClientRect();
              if (n.top > t.top) out.push("below the text");
              box.querySelector("summary").click();
              if (!box.open) out.push("does not open");
            }
            return out;
          }, width >= 1200);
          for (const f of found) problems.push(`${rel} at ${width}px: ${f}`);
        }
      }
      assert(!problems.length, problems.slice(0, 12).join("\n"));
    });
  }

  // A book's logo ([build] logo; the brand fixture's is a wide SVG drawn
  // at 1200 px): it sits in the header's first row beside the Menu and
  // dark-mode buttons, no taller than they are, inside the screen.
  const withLogo = pages.filter((rel) => fs.readFileSync(path.join(site, rel), "utf8").includes('class="site-logo"'));
  if (withLogo.length) {
    await check(`H-${name}`, `${name}: the logo keeps the header on one row, inside the screen, at every width`, async () => {
      const problems = [];
      for (const width of WIDTHS) {
        const page = await open(width, "light", problems);
        for (const rel of [withLogo[0], withLogo[withLogo.length - 1]]) {
          await page.goto(url(rel), { waitUntil: "load" });
          const found = await page.evaluate(() => {
            const out = [];
            const box = (sel) => document.querySelector(sel)?.getBoundingClientRect();
            const logo = document.querySelector(".site-logo");
            const l = logo.getBoundingClientRect();
            const header = box(".site-header");
            const toggle = box("#theme-toggle");
            const menu = getComputedStyle(document.getElementById("nav-toggle")).display === "none" ? null : box("#nav-toggle");
            if (!logo.complete || logo.naturalWidth === 0) out.push("the logo did not load");
            if (l.left < 0 || l.right > window.innerWidth) out.push(`logo spans ${l.left.toFixed(0)}–${l.right.toFixed(0)} of ${window.innerWidth}`);
            if (l.top < header.top || l.bottom > header.bottom) out.push("logo outside the header");
            if (l.height > toggle.height + 0.5) out.push(`logo ${l.height.toFixed(0)} px tall, buttons ${toggle.height.toFixed(0)} px`);
            const mid = (r) => r.top + r.height / 2;
            for (const [what, r] of [["dark-mode button", toggle], ["Menu button", menu]]) {
              if (r && Math.abs(mid(r) - mid(l)) > r.height / 2) out.push(`the ${what} is not on the logo's row (${mid(r).toFixed(0)} vs ${mid(l).toFixed(0)})`);
            }
            return out;
          });
          for (const f of found) problems.push(`${rel} at ${width}px: ${f}`);
        }
      }
      assert(!problems.length, problems.slice(0, 12).join("\n"));
    });
  }

  await check(`P-${name}`, `${name}: print puts a box on each step's first line and writes a link's URL once`, async () => {
    const page = await open(1280, "light", []);
    await page.emulateMedia({ media: "print" });
    const problems = await onEveryPage(page, (rel) => {
      const bad = [];
      for (const a of document.querySelectorAll("main a[href^='http']")) {
        const after = getComputedStyle(a, "::after").content;
        const shown = after !== "none" && after !== "normal" && after !== "";
        const text = a.textContent.trim();
        // An autolink (`<https://x>`): its text is its URL already.
        const bare = text === a.getAttribute("href") || text === a.getAttribute("href").replace(/\/$/, "");
        if (bare && shown) bad.push(`${rel}: the link ${text} prints its URL twice`);
        if (!bare && a.closest(".prose") && !shown) bad.push(`${rel}: the link "${text}" prints without its URL`);
      }
      const glyph = (e) => /[☐☑]/.test(getComputedStyle(e, "::before").content);
      for (const li of document.querySelectorAll(".sop-body li.step, .sop-body li.task")) {
        // The box belongs on the line of the item's first words: on its
        // first paragraph when the item opens with one (a loose list).
        const first = [...li.childNodes].find(
          (n) => (n.nodeType === 3 && n.textContent.trim()) || (n.nodeType === 1 && !n.matches(".step-check, .anchor-link")),
        );
        const para = first && first.nodeType === 1 && first.tagName === "P" ? first : null;
        const name = li.id || li.textContent.trim().slice(0, 30);
        if (para ? !glyph(para) || glyph(li) : !glyph(li)) bad.push(`${rel}: ${name} prints its box ${para ? "apart from its first line" : "nowhere"}`);
      }
      return bad;
    });
    assert(!problems.length, problems.slice(0, 12).join("\n"));
  });

  await check(`N-${name}`, `${name}: branch maps keep readable text at 390 px; a process with nothing under it has no expander in the sidebar`, async () => {
    const page = await open(390, "light", []);
    const problems = await onEveryPage(page, (rel) => {
      const bad = [];
      for (const svg of document.querySelectorAll("svg.branch-map-svg")) {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        const px = parseFloat(getComputedStyle(svg).fontSize) * scale;
        if (px < 11) bad.push(`${rel}: branch map text is ${px.toFixed(1)} px`);
      }
      return bad;
    });
    // Every expander opens onto something.
    await page.goto(url("index.html"));
    await page.click("#nav-toggle");
    // A process's SOPs come from its own script (nav/<process>.js), once opened.
    await page.evaluate(() => {
      for (const b of document.querySelectorAll("#site-nav .nav-expand")) if (b.getAttribute("aria-expanded") !== "true") b.click();
    });
    await page.waitForFunction(() => !document.querySelector("#site-nav [aria-busy]"));
    const empty = await page.evaluate(() => {
      const out = [];
      for (const b of document.querySelectorAll("#site-nav .nav-expand")) {
        const inner = document.getElementById(b.getAttribute("aria-controls"));
        if (!inner || !inner.querySelector("a")) out.push(b.closest("li").querySelector("a").textContent);
      }
      return out;
    });
    for (const t of empty) problems.push(`sidebar: ${t} opens onto nothing`);
    assert(!problems.length, problems.slice(0, 12).join("\n"));
  });

  // A branch named like its one SOP (as `sopbook import` writes them) shows
  // the SOP alone in the navigation; other branches keep their label.
  const namedLikeSop = sops.find((rel) => rel.endsWith("handle-leaks/stop-leak.html"));
  if (namedLikeSop) {
    await check(`B-${name}`, `${name}: a branch named like its one SOP is not listed twice in the navigation`, async () => {
      const page = await open(1280, "light", []);
      await page.goto(url(namedLikeSop), { waitUntil: "load" });
      const nav = await page.evaluate(() => {
        const texts = (sel) => [...document.querySelectorAll(`#site-nav ${sel}`)].map((e) => e.textContent.trim());
        return { whens: texts(".nav-when"), links: texts("a") };
      });
      const title = "How to stop a water leak";
      assert(!nav.whens.includes(title), `the branch label is shown: ${nav.whens.join(" | ")}`);
      assert(nav.links.filter((t) => t === title).length === 1, `the SOP is linked ${nav.links.filter((t) => t === title).length} times`);
      const other = sops.find((rel) => rel.endsWith("offboard-employee/wipe-laptop.html"));
      await page.goto(url(other), { waitUntil: "load" });
      const whens = await page.evaluate(() => [...document.querySelectorAll("#site-nav .nav-when")].map((e) => e.textContent.trim()));
      assert(whens.includes("A planned departure with notice"), `other branches lost their label: ${whens.join(" | ")}`);
    });
  }

  // A process's printable version: printed, every SOP starts a new page,
  // and no control block, table or step is cut across pages.
  const prints = pages.filter((rel) => rel.endsWith("/print.html"));
  if (prints.length) {
    await check(`Q-${name}`, `${name}: print.html prints each SOP on a new page, tables and control blocks uncut, steps as boxes`, async () => {
      const page = await open(1280, "light", []);
      await page.emulateMedia({ media: "print" });
      const problems = [];
      for (const rel of prints) {
        await page.goto(url(rel), { waitUntil: "load" });
        const found = await page.evaluate(() => {
          const out = [];
          const css = (el, prop) => getComputedStyle(el).getPropertyValue(prop);
          for (const a of document.querySelectorAll("article.print-sop")) {
            if (css(a, "break-before") !== "page") out.push(`${a.id}: break-before ${css(a, "break-before")}`);
          }
          for (const t of document.querySelectorAll(".doc-control, .prose table, li.step")) {
            if (css(t, "break-inside") !== "avoid") out.push(`${t.className || t.tagName}: break-inside ${css(t, "break-inside")}`);
          }
          for (const li of document.querySelectorAll(".print-sop .sop-body ol.steps > li.step")) {
            const box = getComputedStyle(li.querySelector(":scope > p:first-child") || li, "::before").content;
            if (!box.includes("☐")) out.push(`${li.id}: no box (${box})`);
          }
          for (const hidden of document.querySelectorAll(".site-header, #site-nav, .print-action")) {
            if (css(hidden, "display") !== "none") out.push(`${hidden.className || hidden.id} printed`);
          }
          return out;
        });
        for (const f of found) problems.push(`${rel}: ${f}`);
      }
      assert(!problems.length, problems.slice(0, 12).join("\n"));
    });
  }

  // SOPs with a task the author wrote as "- [x]" (the reader book has one).
  const preTicked = sops.filter((rel) => /<input type="checkbox" disabled checked/.test(fs.readFileSync(path.join(site, rel), "utf8")));
  for (const rel of preTicked) {
    await check(`T-${name}-${path.basename(rel, ".html")}`, `${name}: ${rel}: an author's "- [x]" starts ticked, and a reset unticks it for good`, async () => {
      const page = await open(1280, "light", []);
      await page.goto(url(rel), { waitUntil: "load" });
      const ticked = () => page.evaluate(() => [...document.querySelectorAll(".step-check")].filter((b) => b.checked).length);
      assert((await ticked()) > 0, "the author's ticked task starts ticked");
      await page.click("button.checklist-reset");
      await page.reload({ waitUntil: "load" });
      const after = await ticked();
      assert(after === 0, `${after} boxes ticked again after a reset and a reload`);
    });
  }

  await check(`A-${name}`, `${name}: axe finds no serious or critical violation on any page, light and dark`, async () => {
    const found = [];
    for (const scheme of SCHEMES) {
      for (const width of [390, 1280]) {
        const page = await open(width, scheme, []);
        for (const rel of pages) {
          await page.goto(url(rel), { waitUntil: "load" });
          await page.addScriptTag({ content: AXE });
          const violations = await page.evaluate(async () => {
            const r = await window.axe.run(document, { resultTypes: ["violations"] });
            return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.slice(0, 2).map((n) => n.target.join(" ")).join("; ")}`);
          });
          for (const v of violations) found.push(`${rel} (${width}px ${scheme}) ${v}`);
        }
      }
    }
    assert(!found.length, found.slice(0, 12).join("\n"));
  });

  await server.close();
}

await browser.close();
suite.finish();
