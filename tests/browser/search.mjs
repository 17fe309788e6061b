// Search as the reader's browser runs it, in Node: the built site's
// _theme/search.js runs in a vm with a stub page whose <script> tags read
// the site's search/*.js from disk, and queries go through
// sopbookSearch.search, the function the search box calls. Checks:
//   t  search.js cuts the strings of tests/search-tokens.json into the
//      words the index cut (src/render/search/tokens.rs writes them there);
//   on sites built from tests/fixtures/search-rank, search-de, search-cjk:
//      stems (a form the book does not use finds the one it does), the
//      ranking (title over step over other text; a page with every word
//      first), German stop-words, CJK pairs inside a longer run.
//
// Usage: node tests/browser/search.mjs SITES_DIR
//   SITES_DIR holds search-rank/, search-de/ and search-cjk/ (built sites).
//   Without SITES_DIR only the tokenizer check runs.
import fs from "node:fs";
import path from "node:path";
import vm from "node:vm";

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");
const sites = process.argv[2];
let failed = 0;
let passed = 0;

async function check(id, name, fn) {
  try {
    await fn();
    passed++;
    console.log(`ok   ${id} ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${id} ${name}\n     ${e.message}`);
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

/** sopbookSearch of `scriptFile`, with `site`'s search files on "disk". */
function engine(scriptFile, site) {
  const element = () => ({ hidden: true, addEventListener() {}, contains: () => false, querySelectorAll: () => [] });
  const ctx = { console, setTimeout, clearTimeout };
  ctx.window = ctx;
  ctx.document = {
    querySelector: element,
    getElementById: element,
    addEventListener() {},
    body: { dataset: { root: "" } },
    createElement: () => ({}),
    head: {
      // A <script src=…> runs at once: the file's sopbookSearch.load(…)
      // resolves what search.js waits for.
      append(script) {
        const file = site && path.join(site, script.src);
        if (!file || !fs.existsSync(file)) return script.onerror && script.onerror();
        vm.runInContext(fs.readFileSync(file, "utf8"), ctx, { filename: file });
      },
    },
  };
  vm.createContext(ctx);
  vm.runInContext(fs.readFileSync(scriptFile, "utf8"), ctx, { filename: scriptFile });
  return ctx.sopbookSearch;
}

// ------------------------------------------------------------- tokens ---
const shared = JSON.parse(fs.readFileSync(path.join(repo, "tests/search-tokens.json"), "utf8"));
await check("t", "search.js cuts the strings of tests/search-tokens.json as the index does", () => {
  const search = engine(path.join(repo, "themes/default/static/search.js"), null);
  const bad = [];
  for (const c of shared.cases) {
    const got = search.tokenizer(shared.languages[c.lang])(c.text).map((t) => t.word);
    if (JSON.stringify(got) !== JSON.stringify(c.tokens)) bad.push(`${c.lang} ${JSON.stringify(c.text)}:\n       index  ${JSON.stringify(c.tokens)}\n       search ${JSON.stringify(got)}`);
  }
  assert(shared.cases.length >= 10, `only ${shared.cases.length} cases`);
  assert(bad.length === 0, bad.join("\n     "));
});

// ------------------------------------------------------------ queries ---
if (sites) {
  const run = async (name, query) => {
    const site = path.join(sites, name);
    const s = engine(path.join(site, "_theme/search.js"), site);
    return (await s.search(query)).map((r) => r.href);
  };
  const pageOf = (href) => href.split("#")[0];
  const pages = (hrefs) => Array.from(new Set(hrefs.map(pageOf)));

  await check("s1", 'stems: "approved" finds the step that says "approving"', async () => {
    const got = await run("search-rank", "approved");
    assert(got[0] === "office/sign-off.html#step-2", `results: ${JSON.stringify(got)}`);
  });
  await check("s2", 'stems: "approves" (no form of the book begins with it) falls back to "approv"; "approvi" is a beginning', async () => {
    for (const q of ["approves", "approvi", "APPROVAL"]) {
      const got = await run("search-rank", q);
      assert(got[0] === "office/sign-off.html#step-2", `${q}: ${JSON.stringify(got)}`);
    }
  });
  await check("s3", 'ranking: "invoice" in a title, then in a step, then in other text', async () => {
    const got = pages(await run("search-rank", "invoice"));
    const want = ["office/archive-invoices.html", "office/sort-post.html", "office/filing.html"];
    assert(JSON.stringify(got) === JSON.stringify(want), `pages in order: ${JSON.stringify(got)}`);
  });
  await check("s4", 'ranking: a page with every word ("invoice" step 1, "shredder" step 3) above pages with one in the title', async () => {
    const got = await run("search-rank", "invoice shredder");
    assert(pageOf(got[0] || "") === "office/sort-post.html", `results: ${JSON.stringify(got)}`);
    const archive = got.findIndex((h) => pageOf(h) === "office/archive-invoices.html");
    assert(archive > 0, `archive-invoices should follow: ${JSON.stringify(got)}`);
  });
  await check("s5", 'German: "Rechnung" finds "Rechnungen" (title) and step 1; the stop-word "die" finds nothing', async () => {
    const got = await run("search-de", "Rechnung");
    assert(got[0] === "buchhaltung/rechnungen.html", `results: ${JSON.stringify(got)}`);
    assert(got.includes("buchhaltung/rechnungen.html#step-1"), `no step 1: ${JSON.stringify(got)}`);
    const stop = await run("search-de", "die und");
    assert(stop.length === 0, `stop-words found ${JSON.stringify(stop)}`);
    const umlaut = await run("search-de", "Prüfung");
    assert(umlaut[0] === "buchhaltung/rechnungen.html", `Prüfung: ${JSON.stringify(umlaut)}`);
  });
  await check("s6", 'CJK: "本語" and "学校" inside "日本語学校" find the page; "照" begins "照合" in step 1', async () => {
    for (const q of ["本語", "学校", "日本語学校"]) {
      const got = await run("search-cjk", q);
      assert(got[0] === "keiri/seikyu.html", `${q}: ${JSON.stringify(got)}`);
    }
    const one = await run("search-cjk", "照");
    assert(one[0] === "keiri/seikyu.html#step-1", `照: ${JSON.stringify(one)}`);
    const none = await run("search-cjk", "本学");
    assert(none.length === 0, `本学 is not in the text: ${JSON.stringify(none)}`);
  });
}

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
