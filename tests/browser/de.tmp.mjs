import { startServerAndBrowser, PREFIX } from "./lib.mjs";
const root = process.argv[2];
const { server, browser } = await startServerAndBrowser(root);
const shots = [["lohn/monat.html", 390, "dark"], ["lohn/monat.html", 1280, "light"], ["lohn/index.html", 1280, "dark"], ["index.html", 390, "light"]];
for (const [path, width, scheme] of shots) {
  const page = await browser.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(server.url + path);
  await page.waitForTimeout(300);
  const name = `/tmp/de-${path.replace(/\W+/g, "_")}-${width}-${scheme}.png`;
  await page.screenshot({ path: name, fullPage: width > 1000 });
  console.log(name);
  await page.close();
}
await browser.close();
await server.close();
