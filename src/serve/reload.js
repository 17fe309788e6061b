// sopbook serve: live reload. Injected only by `sopbook serve`; a built site
// never contains it. Reloads on every rebuild, keeps the scroll position,
// and shows the book's errors over the last good page until they are fixed.
(() => {
  const me = document.currentScript;
  const generation = me ? me.dataset.generation : "";
  const key = "sopbook-scroll:" + location.pathname;
  const saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    const restore = () => window.scrollTo(0, Number(saved));
    if (document.readyState === "complete") restore();
    else window.addEventListener("load", restore);
  }
  let overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sopbook-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,23,29,.94);color:#f5f5f5;" +
        "padding:2rem;font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace";
      const title = document.createElement("p");
      // In the book's language when the page has loaded nav.js.
      const words = (window.SOPBOOK_NAV && window.SOPBOOK_NAV.text) || {};
      title.textContent = words.serve_errors || "The handbook has errors. This page is the last good build; save a fix to reload.";
      title.style.cssText = "font:600 16px system-ui,sans-serif;color:#ff8a80;margin:0 0 1rem";
      const pre = document.createElement("pre");
      // Set whole: the page's own `pre` colours (a light code box in light
      // mode) must not show through under the overlay's light text.
      pre.style.cssText = "white-space:pre-wrap;margin:0;padding:0;background:transparent;color:#f5f5f5;border:0;font:inherit";
      overlay.append(title, pre);
      document.body.append(overlay);
    }
    overlay.querySelector("pre").textContent = text;
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function connect() {
    const ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/__sopbook/ws");
    ws.onmessage = (event) => {
      const msg = JSON.parse(event.data);
      if (msg.type === "reload") reload();
      else if (msg.type === "error") show(msg.text);
      else if (msg.type === "hello" && String(msg.generation) !== generation) reload();
    };
    ws.onclose = () => setTimeout(connect, 500);
  }
  connect();
})();
