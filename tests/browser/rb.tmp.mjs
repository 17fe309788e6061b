import { startServerAndBrowser } from "./lib.mjs";
const root = process.argv[2];
const { server, browser } = await startServerAndBrowser(root);
for (const [path, width, scheme, y] of [["ch03-03-how-functions-work.html", 1280, "dark", 900], ["ch03-03-how-functions-work.html", 390, "light", 1600]]) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(server.url + path);
  await page.evaluate((y) => window.scrollTo(0, y), y);
  await page.waitForTimeout(300);
  await page.screenshot({ path: `/tmp/rb-${width}-${scheme}.png` });
  await page.close();
}
await browser.close(); await server.close();
