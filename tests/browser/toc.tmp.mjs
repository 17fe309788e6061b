import { startServerAndBrowser } from "./lib.mjs";
const root = process.argv[2];
const { server, browser } = await startServerAndBrowser(root);
const shots = [["submit-payroll/run-payroll.html", 390, "dark", false], ["submit-payroll/run-payroll.html", 1280, "light", false], ["submit-payroll/run-payroll.html", 1920, "dark", true]];
for (const [path, width, scheme, scroll] of shots) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(server.url + path);
  if (scroll) { await page.evaluate(() => window.scrollTo(0, 1400)); }
  await page.waitForTimeout(300);
  const name = `/tmp/toc-${width}-${scheme}.png`;
  await page.screenshot({ path: name });
  const info = await page.evaluate(() => { const n = document.querySelector(".page-contents"); const r = n.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height, sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth, cur: (document.querySelector('.page-contents a[aria-current]') || {}).textContent }; });
  console.log(name, JSON.stringify(info));
  await page.close();
}
await browser.close();
await server.close();
