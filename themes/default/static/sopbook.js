// sopbook default theme: navigation, dark mode, checklist mode and copy
// links. Plain script, no dependencies, nothing loaded from another host.
// Every page works without it; this adds what a reader mid-task needs.
(() => {
  "use strict";
  const body = document.body;
  const root = body.dataset.root || "";
  const page = body.dataset.page || "";
  const store = {
    get(key) {
      try { return localStorage.getItem(key); } catch (e) { return null; }
    },
    set(key, value) {
      try {
        if (value === null) localStorage.removeItem(key);
        else localStorage.setItem(key, value);
      } catch (e) { /* private mode: ticks last for this visit only */ }
    },
  };
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "text") node.textContent = v;
      else node.setAttribute(k, v === true ? "" : v);
    }
    node.append(...children);
    return node;
  };

  // ---- dark mode: follows the system until the reader picks one
  const toggle = document.getElementById("theme-toggle");
  const systemDark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  const isDark = () => {
    const chosen = document.documentElement.dataset.theme;
    return chosen ? chosen === "dark" : !!(systemDark && systemDark.matches);
  };
  const showTheme = () => {
    if (!toggle) return;
    toggle.setAttribute("aria-pressed", String(isDark()));
    toggle.title = isDark() ? "Switch to light mode" : "Switch to dark mode";
  };
  if (toggle) {
    toggle.hidden = false;
    toggle.addEventListener("click", () => {
      const next = isDark() ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      store.set("sopbook-theme", next);
      showTheme();
    });
    if (systemDark && systemDark.addEventListener) systemDark.addEventListener("change", showTheme);
    showTheme();
  }

  // ---- navigation: built from the one shared nav.js
  const nav = document.getElementById("site-nav");
  const navToggle = document.getElementById("nav-toggle");
  const data = window.SOPBOOK_NAV;
  // Nav URLs are percent-encoded; data-page is the plain path.
  const here = (url) => decodeURIComponent(url) === page;
  const link = (item, extra) => el("a", Object.assign({ href: root + item.url, "data-nav-url": item.url, "aria-current": here(item.url) ? "page" : null }, extra || {}), item.title);
  if (nav && data) {
    const pageOfNav = page.split("#")[0];
    const inProcess = (p) => here(p.url) || p.sops.some((s) => here(s.url)) || p.branches.some((b) => b.sops.some((s) => here(s.url)));
    const fill = (box, p) => {
      const list = el("ul", { class: "nav-branches" });
      for (const b of p.branches) {
        const sops = el("ul", { class: "nav-sops" });
        for (const s of b.sops) sops.append(el("li", {}, link(s)));
        list.append(el("li", { class: "nav-branch" }, el("a", { href: root + b.url, "data-nav-url": b.url, class: "nav-when" }, b.when), sops));
      }
      for (const s of p.sops) list.append(el("li", {}, link(s)));
      box.append(list);
    };
    const tree = el("div", { class: "nav-tree" });
    tree.append(el("p", { class: "nav-home" }, link({ title: "Home", url: "index.html" })));
    let n = 0;
    for (const g of data.groups) {
      const group = el("div", { class: "nav-group" });
      group.append(el("p", { class: "nav-group-name", text: g.name || "Other processes" }));
      const processes = el("ul", { class: "nav-processes" });
      for (const p of g.processes) {
        const open = inProcess(p);
        const id = "nav-p-" + n++;
        const inner = el("div", { id, class: "nav-inner", hidden: !open });
        const button = el("button", { type: "button", class: "nav-expand", "aria-expanded": String(open), "aria-controls": id, "aria-label": "Show the branches and SOPs of " + p.title });
        // Lists of thousands of SOPs are built when a reader opens them.
        if (open) fill(inner, p);
        button.addEventListener("click", () => {
          const show = inner.hidden;
          if (show && !inner.children.length) fill(inner, p);
          inner.hidden = !show;
          button.setAttribute("aria-expanded", String(show));
        });
        processes.append(el("li", { class: "nav-process" }, button, link(p), inner));
      }
      group.append(processes);
      tree.append(group);
    }
    if (data.pages.length) {
      const pages = el("ul", { class: "nav-pages" });
      for (const p of data.pages) pages.append(el("li", {}, link(p)));
      tree.append(el("div", { class: "nav-group" }, el("p", { class: "nav-group-name", text: "Pages" }), pages));
    }
    tree.append(el("p", { class: "nav-reviews" }, link({ title: "Reviews", url: data.reviews })));
    nav.replaceChildren(tree);
    const current = nav.querySelector('[aria-current="page"]');
    if (current && current.scrollIntoView && pageOfNav) current.scrollIntoView({ block: "nearest" });
  }
  if (nav && navToggle) {
    navToggle.hidden = false;
    navToggle.addEventListener("click", () => {
      const open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      navToggle.setAttribute("aria-expanded", String(open));
    });
  }

  // ---- copy links on steps and headings
  const copyTargets = document.querySelectorAll("main h2[id], main h3[id], main h4[id], .sop-body > ol.steps > li.step[id]");
  for (const target of copyTargets) {
    const label = target.matches("li") ? "Link to this step" : "Link to this section";
    const a = el("a", { class: "anchor-link", href: "#" + target.id, "aria-label": label, title: label }, "#");
    a.addEventListener("click", () => {
      const url = location.href.split("#")[0] + "#" + target.id;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).catch(() => {});
    });
    if (target.matches("li")) target.prepend(a);
    else target.append(a);
  }

  // ---- checklist mode on SOP pages: tick steps, kept per SOP
  const steps = Array.from(document.querySelectorAll(".sop-body > ol.steps > li.step[id]"));
  if (body.classList.contains("kind-sop") && steps.length) {
    const key = "sopbook-checklist:" + page;
    let done = new Set();
    try { done = new Set(JSON.parse(store.get(key) || "[]")); } catch (e) { done = new Set(); }
    const progress = el("span", { class: "checklist-progress", "aria-live": "polite" });
    const reset = el("button", { class: "checklist-reset", type: "button" }, "Reset");
    const bar = el("div", { class: "checklist-bar" }, el("span", { class: "checklist-label", text: "Checklist" }), progress, reset);
    const boxes = [];
    const update = () => {
      const ticked = boxes.filter((b) => b.checked).length;
      progress.textContent = ticked + " of " + boxes.length;
      for (const b of boxes) b.closest("li").classList.toggle("done", b.checked);
      store.set(key, done.size ? JSON.stringify(Array.from(done)) : null);
    };
    steps.forEach((li, i) => {
      const box = el("input", { type: "checkbox", class: "step-check", "aria-label": "Step " + (i + 1) + " done" });
      box.checked = done.has(li.id);
      box.addEventListener("change", () => {
        if (box.checked) done.add(li.id);
        else done.delete(li.id);
        update();
      });
      li.prepend(box);
      boxes.push(box);
    });
    reset.addEventListener("click", () => {
      done.clear();
      for (const b of boxes) b.checked = false;
      update();
    });
    const list = steps[0].parentElement;
    list.parentElement.insertBefore(bar, list);
    update();
  }
})();
