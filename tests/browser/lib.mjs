// Shared helpers for the browser tests and the screenshot script:
// a tiny static file server that hosts a built site under a sub-path, and a
// launcher for the machine's own Chromium (playwright-core never downloads a
// browser of its own).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

export const PREFIX = "/handbook/";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".htm": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".xml": "application/xml; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".avif": "image/avif",
  ".ico": "image/x-icon",
  ".pdf": "application/pdf",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".ttf": "font/ttf",
  ".otf": "font/otf",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".vtt": "text/vtt; charset=utf-8",
  ".wasm": "application/wasm",
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
}

/**
 * Serve `root` under PREFIX on 127.0.0.1 and a free port.
 * Everything outside PREFIX, and every missing file, is a 404.
 * Returns { url, port, close(), log } where `url` ends with PREFIX and `log`
 * lists every request as { method, path, status }.
 */
export async function startServer(root) {
  const absRoot = fs.realpathSync(path.resolve(root));
  const log = [];
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      log.push({ method: req.method, path: req.url, status });
      res.writeHead(status, { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff", ...headers });
      res.end(req.method === "HEAD" ? undefined : body);
    };
    const notFound = () => send(404, { "Content-Type": "text/plain; charset=utf-8" }, "404 Not Found\n");
    if (req.method !== "GET" && req.method !== "HEAD") {
      return send(405, { "Content-Type": "text/plain; charset=utf-8", Allow: "GET, HEAD" }, "405\n");
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, "http://x").pathname);
    } catch {
      return notFound();
    }
    if (pathname === PREFIX.slice(0, -1)) return send(301, { Location: PREFIX }, "");
    if (!pathname.startsWith(PREFIX) || pathname.includes("\0")) return notFound();
    const rel = pathname.slice(PREFIX.length);
    let file = path.resolve(absRoot, "." + path.posix.sep + rel);
    if (file !== absRoot && !file.startsWith(absRoot + path.sep)) return notFound();
    try {
      let st = fs.statSync(file);
      if (st.isDirectory()) {
        if (!pathname.endsWith("/")) return send(301, { Location: pathname + "/" }, "");
        file = path.join(file, "index.html");
        st = fs.statSync(file);
      }
      if (!st.isFile()) return notFound();
      // Refuse symlinks that point out of the site.
      const real = fs.realpathSync(file);
      if (!real.startsWith(absRoot + path.sep)) return notFound();
      const body = fs.readFileSync(real);
      return send(200, { "Content-Type": contentType(real), "Content-Length": body.length }, body);
    } catch {
      return notFound();
    }
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", resolve);
  });
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${PREFIX}`,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** GET a URL with Node's http client; resolves { status, headers, body }. */
export function httpGet(url, method = "GET") {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString("utf8") }));
    });
    req.on("error", reject);
    req.end();
  });
}

export async function launchBrowser() {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH} (install it: apt-get install -y chromium, or set CHROMIUM_PATH)`);
  }
  // launch() runs the browser with a fresh temporary profile every time.
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
}

/** Every *.html page under dir, as paths relative to dir with "/" separators.
 *  The pages at old paths of moved pages (aliases) are left out: they only
 *  send the reader on (tests/browser/redirects.mjs follows them). */
export function listHtml(dir) {
  const out = [];
  const redirect = (file) => fs.readFileSync(file, "utf8").includes('<meta http-equiv="refresh"');
  const walk = (d, rel) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else if (e.isFile() && e.name.endsWith(".html") && !redirect(path.join(d, e.name))) out.push(r);
    }
  };
  walk(dir, "");
  return out;
}

/** Serves `root` under /handbook/ and launches Chromium; exits the process
 *  with a FAIL line when the browser cannot start. */
export async function startServerAndBrowser(root) {
  const server = await startServer(root);
  try {
    return { server, browser: await launchBrowser() };
  } catch (e) {
    console.error(`FAIL  cannot launch Chromium: ${e.message}`);
    await server.close();
    process.exit(1);
  }
}

// ------------------------------------------------------------ check runner --

/** A failed expectation: reported as its message alone, without a stack. */
export class CheckFailure extends Error {}
export const fail = (msg) => {
  throw new CheckFailure(msg);
};
export const assert = (cond, msg) => {
  if (!cond) fail(msg);
};

export async function withTimeout(promise, ms, what) {
  let t;
  const timeout = new Promise((_, rej) => {
    t = setTimeout(() => rej(new CheckFailure(`${what} timed out after ${ms / 1000}s`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(t);
  }
}

/**
 * A suite of named checks, run one at a time: each with a time limit, the
 * browser contexts it opened (`track`) closed after it, one PASS/FAIL line
 * each, and `finish()` printing the count and exiting 1 if any failed.
 * `only`: a regex over "id name" that selects checks to run.
 */
export function checkSuite({ only = null, idWidth = 16, timeout = 90_000 } = {}) {
  const results = [];
  let open = [];
  const suite = {
    /** The id of the check running now. */
    current: "",
    track(ctx) {
      open.push(ctx);
      return ctx;
    },
    async check(id, name, fn, limit = timeout) {
      if (only && !only.test(`${id} ${name}`)) return;
      suite.current = id;
      const t0 = Date.now();
      let ok = true;
      let detail = "";
      try {
        await withTimeout(Promise.resolve().then(fn), limit, "check");
      } catch (e) {
        ok = false;
        detail = e instanceof CheckFailure ? e.message : `${e.name || "Error"}: ${e.message}`;
      } finally {
        const ctxs = open;
        open = [];
        await Promise.all(ctxs.map((c) => c.close().catch(() => {})));
      }
      results.push({ id, name, ok, detail });
      console.log(`${ok ? "PASS" : "FAIL"}  ${id.padEnd(idWidth)} ${name}  (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
      if (!ok) console.log(`      ${short(detail)}`);
    },
    finish() {
      const failed = results.filter((r) => !r.ok);
      console.log("");
      if (failed.length) console.log(`failed: ${failed.map((r) => r.id).join(" ")}`);
      console.log(`${results.length - failed.length} passed, ${failed.length} failed`);
      process.exit(failed.length ? 1 : 0);
    },
  };
  return suite;
}

/** The first lines of a failure, indented under its check. */
function short(msg) {
  const lines = String(msg ?? "").split("\n").filter((l) => l.trim() && !l.includes("=========="));
  return lines.slice(0, 14).join("\n      ");
}
