// `sopbook serve` in a real browser: live reload and the error overlay over
// a WebSocket from Chromium, a page reached by DNS rebinding refused, and a
// WebSocket from another origin refused. DNS rebinding is played with
// Chromium's host resolver rules: `rebind.test` resolves to 127.0.0.1, as
// an attacker's name would after rebinding.
//
// Usage: node tests/browser/serve.mjs SOPBOOK_BINARY BOOK_DIR
//   BOOK_DIR is modified (its content is edited): pass a copy.
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import readline from "node:readline";
import { chromium } from "playwright-core";
import { createRequire } from "node:module";
import { CHROMIUM_ARGS, CHROMIUM_PATH, assert, checkSuite } from "./lib.mjs";

const AXE = fs.readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

const [bin, book] = process.argv.slice(2);
if (!bin || !book) {
  console.error("usage: node tests/browser/serve.mjs SOPBOOK_BINARY BOOK_DIR");
  process.exit(2);
}

const child = spawn(bin, ["serve", "--port", "0"], {
  cwd: book,
  env: { ...process.env, NO_COLOR: "1", SOPBOOK_TODAY: "2026-11-25" },
  stdio: ["ignore", "pipe", "inherit"],
});
const url = await new Promise((resolve, reject) => {
  const lines = readline.createInterface({ input: child.stdout });
  lines.on("line", (line) => {
    const m = line.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
    if (m) resolve(m[0]);
  });
  child.on("exit", (code) => reject(new Error(`sopbook serve exited with ${code}`)));
});
const port = new URL(url).port;
console.log(`# sopbook serve at ${url}`);

const browser = await chromium.launch({
  executablePath: CHROMIUM_PATH,
  headless: true,
  args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP rebind.test 127.0.0.1"],
  timeout: 60_000,
});

const suite = checkSuite({ idWidth: 4 });
const { check } = suite;
const newPage = async () => (await suite.track(await browser.newContext())).newPage();

const page = "submit-payroll/run-payroll.html";
const source = path.join(book, "content/payroll/run-payroll.md");
const original = fs.readFileSync(source, "utf8");

for (const host of ["127.0.0.1", "localhost"]) {
  await check(host === "localhost" ? "s1" : "s0", `live reload from http://${host}:PORT/`, async () => {
    const p = await newPage();
    const resp = await p.goto(`http://${host}:${port}/${page}`);
    assert(resp.status() === 200, `status ${resp.status()}`);
    await p.waitForFunction(() => document.querySelector("script[src='/__sopbook/reload.js']"));
    // The socket is open once the hello has been read; give it a moment.
    await p.waitForTimeout(500);
    const marker = `Reloaded via ${host} ${Date.now()}`;
    fs.writeFileSync(source, original.replace(/\n1\. /, `\n1. ${marker}. `));
    await p.waitForFunction((m) => document.body.textContent.includes(m), marker, { timeout: 20_000 });
    fs.writeFileSync(source, original);
  });
}

for (const scheme of ["light", "dark"]) {
  await check(`s2-${scheme}`, `a broken save shows the overlay, readable and axe-clean in ${scheme} mode; the fix clears it`, async () => {
    const p = await (await suite.track(await browser.newContext({ colorScheme: scheme }))).newPage();
    await p.goto(`${url}${page}`);
    await p.waitForTimeout(500);
    fs.writeFileSync(source, original.replace("title =", "title = [[broken"));
    const overlay = p.locator("#sopbook-overlay");
    await overlay.waitFor({ state: "visible", timeout: 20_000 });
    const text = await overlay.textContent();
    assert(text.includes("run-payroll.md"), `overlay names the file: ${text.slice(0, 200)}`);
    assert(!text.includes(path.resolve(book)), "overlay carries the book's absolute path");
    await p.addScriptTag({ content: AXE });
    const violations = await p.evaluate(async () => {
      const r = await window.axe.run("#sopbook-overlay", { resultTypes: ["violations"] });
      return r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.map((n) => n.failureSummary).join("; ")}`);
    });
    assert(!violations.length, violations.join("\n"));
    fs.writeFileSync(source, original);
    await p.waitForFunction(() => !document.querySelector("#sopbook-overlay"), null, { timeout: 20_000 });
  });
}

await check("s3", "a page reached by DNS rebinding gets 403 and no book", async () => {
  const p = await newPage();
  const resp = await p.goto(`http://rebind.test:${port}/${page}`);
  assert(resp.status() === 403, `status ${resp.status()}`);
  const body = await p.textContent("body");
  assert(!body.includes("payroll"), "the refusal shows nothing of the book");
});

await check("s4", "a WebSocket from another origin is refused", async () => {
  // Another site on this machine (another port: another origin, which the
  // browser itself does not stop) tries the live-reload socket.
  const other = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end("<!DOCTYPE html><title>another site</title>");
  });
  await new Promise((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    const p = await newPage();
    await p.goto(`http://127.0.0.1:${other.address().port}/`);
    const outcome = await p.evaluate(
      (port) =>
        new Promise((resolve) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/__sopbook/ws`);
          ws.onmessage = (e) => resolve(`message: ${e.data}`);
          ws.onerror = () => resolve("refused");
          setTimeout(() => resolve("timeout"), 10_000);
        }),
      port,
    );
    assert(outcome === "refused", `cross-origin socket: ${outcome}`);
  } finally {
    other.close();
  }
});

await check("s5", "another site's page cannot read the book through <script src> (nav.js, the search index)", async () => {
  const other = http.createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html" });
    res.end(
      "<!DOCTYPE html><title>another site</title><script>window.sopbookSearch={load:(n,d)=>{window.leaked=d}}</script>" +
        `<script src="http://127.0.0.1:${port}/nav.js"></script>` +
        `<script src="http://127.0.0.1:${port}/search/d-0.js"></script>`,
    );
  });
  await new Promise((resolve) => other.listen(0, "127.0.0.1", resolve));
  try {
    // Once as another port of this machine (same site), once as a public
    // name (cross-site).
    for (const host of ["127.0.0.1", "rebind.test"]) {
      const p = await newPage();
      await p.goto(`http://${host}:${other.address().port}/`);
      await p.waitForLoadState("load");
      const got = await p.evaluate(() => ({ nav: typeof window.SOPBOOK_NAV, search: typeof window.leaked }));
      assert(got.nav === "undefined" && got.search === "undefined", `from ${host}: ${JSON.stringify(got)}`);
    }
  } finally {
    other.close();
  }
});

await browser.close();
child.kill();
suite.finish();
