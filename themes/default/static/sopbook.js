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
        // A branch named like its one SOP (an imported book's) is that SOP.
        if (b.sops.length === 1 && b.sops[0].title === b.when) {
          list.append(el("li", {}, link(b.sops[0])));
          continue;
        }
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
      group.append(el("p", { class: "nav-group-name", text: g.name || (data.groups.length === 1 ? "Processes" : "Other processes") }));
      const processes = el("ul", { class: "nav-processes" });
      for (const p of g.processes) {
        const open = inProcess(p);
        // An automated process (or one with no SOP yet) has nothing to show.
        if (!p.branches.length && !p.sops.length) {
          processes.append(el("li", { class: "nav-process" }, el("span", { class: "nav-expand-none", "aria-hidden": "true" }), link(p)));
          continue;
        }
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
    if (data.roles) tree.append(el("p", { class: "nav-roles" }, link({ title: "Roles", url: data.roles })));
    nav.replaceChildren(tree);
    const current = nav.querySelector('[aria-current="page"]');
    if (current && current.scrollIntoView && pageOfNav) current.scrollIntoView({ block: "nearest" });
  }
  // ---- the phone menu: a drawer below the header; its button, Escape
  // and a tap outside close it, and focus goes in and comes back.
  if (nav && navToggle) {
    navToggle.hidden = false;
    const header = document.querySelector(".site-header");
    const backdrop = el("div", { class: "nav-backdrop", hidden: true });
    body.append(backdrop);
    const isOpen = () => nav.classList.contains("open");
    const setOpen = (open, refocus) => {
      if (open) {
        // Below the header as it is on screen now (it scrolls away on phones).
        const top = header ? Math.max(0, header.getBoundingClientRect().bottom) : 0;
        document.documentElement.style.setProperty("--nav-top", top + "px");
      }
      nav.classList.toggle("open", open);
      document.documentElement.classList.toggle("nav-open", open);
      backdrop.hidden = !open;
      navToggle.setAttribute("aria-expanded", String(open));
      if (open) {
        const first = nav.querySelector('[aria-current="page"]') || nav.querySelector("a, button");
        if (first) first.focus({ preventScroll: true });
      } else if (refocus) {
        navToggle.focus();
      }
    };
    navToggle.addEventListener("click", () => setOpen(!isOpen(), true));
    backdrop.addEventListener("click", () => setOpen(false, true));
    document.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && isOpen()) {
        e.preventDefault();
        setOpen(false, true);
      }
    });
    // A wider window shows the sidebar in place: no drawer left open.
    const wide = window.matchMedia ? window.matchMedia("(min-width: 60.01rem)") : null;
    if (wide && wide.addEventListener) wide.addEventListener("change", () => wide.matches && setOpen(false, false));
  }

  // ---- wide code and tables scroll sideways: reachable by keyboard then
  const scrollables = () => {
    for (const box of document.querySelectorAll("main pre, main .table-wrap, main .branch-map-figure")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.tabIndex = 0;
        if (!box.hasAttribute("role")) box.setAttribute("role", "region");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", box.matches("pre") ? "Code, scrolls sideways" : box.matches(".table-wrap") ? "Table, scrolls sideways" : "Branch map, scrolls sideways");
        box.dataset.scrollable = "";
      } else if (!scrolls && box.dataset.scrollable !== undefined) {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
        delete box.dataset.scrollable;
      }
    }
  };
  scrollables();
  window.addEventListener("resize", scrollables);

  // ---- copy links on steps and headings
  // The first line of an item's text: its first paragraph when the item
  // is a loose list item (`<li><p>…`), else the item itself. Boxes and
  // copy links go there, so they sit on that line, not on one of their own.
  const lead = (li) => {
    let n = li.firstChild;
    while (n && n.nodeType === Node.TEXT_NODE && !n.textContent.trim()) n = n.nextSibling;
    return n && n.nodeType === Node.ELEMENT_NODE && n.tagName === "P" ? n : li;
  };
  // A box goes before the item's first words: an image that opens the
  // item is shown above them, as a block of its own.
  const place = (li, box) => {
    const host = lead(li);
    let n = host.firstChild;
    const skip = (node) =>
      (node.nodeType === Node.TEXT_NODE && !node.textContent.trim()) ||
      (node.nodeType === Node.ELEMENT_NODE && node.matches("img, picture, br, .anchor-link"));
    while (n && skip(n)) {
      if (n.nodeType === Node.ELEMENT_NODE && n.matches("img, picture")) n.classList.add("lead-media");
      n = n.nextSibling;
    }
    host.insertBefore(box, n);
  };
  const copyTargets = document.querySelectorAll("main h2[id], main h3[id], main h4[id], .sop-body ol.steps > li.step[id]");
  for (const target of copyTargets) {
    const step = target.matches("li");
    const label = step ? "Link to this step" : "Link to this section";
    const a = el("a", { class: "anchor-link", href: "#" + target.id, "aria-label": label, title: label }, "#");
    a.addEventListener("click", () => {
      const url = location.href.split("#")[0] + "#" + target.id;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).catch(() => {});
    });
    if (step) lead(target).prepend(a);
    else target.append(a);
  }

  // ---- a process's printable version: its Print button.
  for (const button of document.querySelectorAll("[data-print]")) {
    button.addEventListener("click", () => window.print());
    const holder = button.closest("[hidden]");
    if (holder) holder.hidden = false;
  }
  // ---- checklist mode on SOP pages: every step (embedded ones too) and
  // every task-list item ("- [ ] …", e.g. "Before you start") can be
  // ticked; ticks are kept per SOP and counted together.
  const sopBody = document.querySelector(".sop-body");
  if (body.classList.contains("kind-sop") && sopBody) {
    const items = [];
    let task = 0;
    for (const item of sopBody.querySelectorAll("ol.steps > li.step[id], li > input[type=checkbox], li > p:first-child > input[type=checkbox]")) {
      if (item.matches("input")) {
        const li = item.closest("li");
        item.remove();
        li.classList.add("task");
        items.push({ li, key: "task-" + ++task, label: "Done: " + li.textContent.trim().slice(0, 60), checked: item.checked });
      } else {
        const n = item.id.split(".").pop().replace("step-", "");
        const embed = item.closest(".embed");
        const label = embed ? "Embedded step " + n + " done" : "Step " + n + " done";
        items.push({ li: item, key: item.id, label, checked: false });
      }
    }
    if (items.length) {
      const key = "sopbook-checklist:" + page;
      let done = new Set();
      const saved = store.get(key);
      try { done = new Set(JSON.parse(saved || "[]")); } catch (e) { done = new Set(); }
      // A task the author wrote as "- [x]" starts ticked until the reader decides.
      if (saved === null) for (const it of items) if (it.checked) done.add(it.key);
      const progress = el("span", { class: "checklist-progress", "aria-live": "polite" });
      const reset = el("button", { class: "checklist-reset", type: "button" }, "Reset");
      const bar = el("div", { class: "checklist-bar" }, el("span", { class: "checklist-label", text: "Checklist" }), progress, reset);
      const boxes = [];
      // Saved only once the reader ticks or resets: until then an author's
      // "- [x]" stays ticked, and after a reset it stays unticked.
      const update = (save) => {
        const ticked = boxes.filter((b) => b.checked).length;
        progress.textContent = ticked + " of " + boxes.length;
        for (const b of boxes) b.closest("li").classList.toggle("done", b.checked);
        if (save) store.set(key, JSON.stringify(Array.from(done)));
      };
      for (const it of items) {
        const box = el("input", { type: "checkbox", class: "step-check", "aria-label": it.label });
        box.checked = done.has(it.key);
        box.addEventListener("change", () => {
          if (box.checked) done.add(it.key);
          else done.delete(it.key);
          update(true);
        });
        place(it.li, box);
        boxes.push(box);
      }
      reset.addEventListener("click", () => {
        done.clear();
        for (const b of boxes) b.checked = false;
        update(true);
      });
      // Above the first list that holds a box, at the body's top level.
      let first = items[0].li.parentElement;
      while (first.parentElement && first.parentElement !== sopBody) first = first.parentElement;
      if (first.parentElement === sopBody) sopBody.insertBefore(bar, first);
      else sopBody.prepend(bar);
      update();
    }
  }
})();
