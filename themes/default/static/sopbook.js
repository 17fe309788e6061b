// sopbook default theme: navigation, dark mode, checklist mode and copy
// links. Plain script, no dependencies, nothing loaded from another host.
// Every page works without it; this adds what a reader mid-task needs.
(() => {
  "use strict";
  const body = document.body;
  const root = body.dataset.root || "";
  const page = body.dataset.page || "";
  // The words of the book's language, from nav.js: this file holds none.
  const words = (window.SOPBOOK_NAV && window.SOPBOOK_NAV.text) || {};
  // A word with its {name} places filled; parts may be nodes.
  const parts = (key, args) => {
    const out = [];
    const text = words[key] === undefined ? key : words[key];
    let last = 0;
    for (const m of text.matchAll(/\{([a-z_]+)\}/g)) {
      if (!args || !(m[1] in args)) continue;
      out.push(text.slice(last, m.index), args[m[1]]);
      last = m.index + m[0].length;
    }
    out.push(text.slice(last));
    return out.filter((p) => p !== "");
  };
  const tr = (key, args) => parts(key, args).join("");
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
    toggle.title = isDark() ? tr("light_mode") : tr("dark_mode");
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

  // ---- navigation: built from the one shared nav.js, which lists the
  // processes; each process's branches and SOPs are a script of their own
  // (nav/<process>.js), loaded with the pages of that process and when a
  // reader opens it here.
  const nav = document.getElementById("site-nav");
  const navToggle = document.getElementById("nav-toggle");
  const data = window.SOPBOOK_NAV;
  // Nav URLs are percent-encoded; data-page is the plain path.
  const here = (url) => decodeURIComponent(url) === page;
  const link = (item, extra) => el("a", Object.assign({ href: root + item.url, "data-nav-url": item.url, "aria-current": here(item.url) ? "page" : null }, extra || {}), item.title);
  if (nav && data) {
    const pageOfNav = page.split("#")[0];
    const known = (p) => (window.SOPBOOK_NAV_PROCESSES || {})[p.url];
    const loading = {};
    // A process's branches and SOPs: at hand when its script came with the
    // page, else its script is added once and resolves when it has run.
    const load = (p) => {
      if (known(p)) return Promise.resolve(known(p));
      if (!loading[p.url]) {
        loading[p.url] = new Promise((resolve, reject) => {
          const script = el("script", { src: root + p.nav });
          script.addEventListener("load", () => (known(p) ? resolve(known(p)) : reject(new Error(p.nav))));
          script.addEventListener("error", () => {
            delete loading[p.url];
            script.remove();
            reject(new Error(p.nav));
          });
          document.head.append(script);
        });
      }
      return loading[p.url];
    };
    const holds = (d) => d.sops.some((s) => here(s.url)) || d.branches.some((b) => b.sops.some((s) => here(s.url)));
    const fill = (box, d) => {
      const list = el("ul", { class: "nav-branches" });
      for (const b of d.branches) {
        // A branch named like its one SOP (an imported book's) is that SOP.
        if (b.sops.length === 1 && b.sops[0].title === b.when) {
          list.append(el("li", {}, link(b.sops[0])));
          continue;
        }
        const sops = el("ul", { class: "nav-sops" });
        for (const s of b.sops) sops.append(el("li", {}, link(s)));
        list.append(el("li", { class: "nav-branch" }, el("a", { href: root + b.url, "data-nav-url": b.url, class: "nav-when" }, b.when), sops));
      }
      for (const s of d.sops) list.append(el("li", {}, link(s)));
      box.replaceChildren(list);
    };
    const tree = el("div", { class: "nav-tree" });
    tree.append(el("p", { class: "nav-home" }, link({ title: tr("home"), url: "index.html" })));
    let n = 0;
    for (const g of data.groups) {
      const group = el("div", { class: "nav-group" });
      group.append(el("p", { class: "nav-group-name", text: g.name || (data.groups.length === 1 ? tr("processes") : tr("other_processes")) }));
      const processes = el("ul", { class: "nav-processes" });
      for (const p of g.processes) {
        // An automated process (or one with no SOP yet) has nothing to show.
        if (!p.nav) {
          processes.append(el("li", { class: "nav-process" }, el("span", { class: "nav-expand-none", "aria-hidden": "true" }), link(p)));
          continue;
        }
        const open = here(p.url) || !!(known(p) && holds(known(p)));
        const id = "nav-p-" + n++;
        const inner = el("div", { id, class: "nav-inner", hidden: !open });
        const button = el("button", { type: "button", class: "nav-expand", "aria-expanded": String(open), "aria-controls": id, "aria-label": tr("expand", { title: p.title }) });
        const setOpen = (show) => {
          inner.hidden = !show;
          button.setAttribute("aria-expanded", String(show));
        };
        // Lists of thousands of SOPs are built when a reader opens them.
        const show = () => {
          setOpen(true);
          if (inner.children.length) return;
          if (known(p)) return fill(inner, known(p));
          inner.setAttribute("aria-busy", "true");
          load(p).then(
            (d) => {
              if (!inner.children.length) fill(inner, d);
              const current = inner.querySelector('[aria-current="page"]');
              if (current && current.scrollIntoView) current.scrollIntoView({ block: "nearest" });
            },
            () => setOpen(false),
          ).finally(() => inner.removeAttribute("aria-busy"));
        };
        if (open) show();
        button.addEventListener("click", () => (inner.hidden ? show() : setOpen(false)));
        processes.append(el("li", { class: "nav-process" }, button, link(p), inner));
      }
      group.append(processes);
      tree.append(group);
    }
    if (data.pages.length) {
      const pages = el("ul", { class: "nav-pages" });
      for (const p of data.pages) pages.append(el("li", {}, link(p)));
      tree.append(el("div", { class: "nav-group" }, el("p", { class: "nav-group-name", text: tr("pages") }), pages));
    }
    tree.append(el("p", { class: "nav-reviews" }, link({ title: tr("reviews"), url: data.reviews })));
    if (data.roles) tree.append(el("p", { class: "nav-roles" }, link({ title: tr("roles"), url: data.roles })));
    if (data.changes) tree.append(el("p", { class: "nav-changes" }, link({ title: tr("changes"), url: data.changes })));
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
        const current = nav.querySelector('[aria-current="page"]');
        const first = current || nav.querySelector("a, button");
        if (first) first.focus({ preventScroll: true });
        // In a list of a thousand processes the reader's place is far down.
        if (current && current.scrollIntoView) current.scrollIntoView({ block: "center" });
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
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", box.matches("pre") ? tr("scroll_code") : box.matches(".table-wrap") ? tr("scroll_table") : tr("scroll_map"));
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
    const label = step ? tr("link_step") : tr("link_section");
    const a = el("a", { class: "anchor-link", href: "#" + target.id, "aria-label": label, title: label }, "#");
    a.addEventListener("click", () => {
      const url = location.href.split("#")[0] + "#" + target.id;
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(url).catch(() => {});
    });
    if (step) lead(target).prepend(a);
    else target.append(a);
  }

  // ---- the page's contents nav: folded on narrow screens (open without this
  // script); the link of the section being read is marked.
  const contents = document.querySelector(".page-contents");
  if (contents) {
    const box = contents.querySelector("details");
    const wideContents = window.matchMedia ? window.matchMedia("(min-width: 75rem)") : null;
    if (box && wideContents && !wideContents.matches) box.open = false;
    const marks = [];
    for (const a of contents.querySelectorAll('a[href^="#"]')) {
      const target = document.getElementById(decodeURIComponent(a.getAttribute("href").slice(1)));
      if (target) marks.push([a, target]);
    }
    let pending = false;
    const mark = () => {
      pending = false;
      // The last section whose heading has passed the top fifth of the window.
      const line = window.innerHeight / 5;
      let current = null;
      for (const [a, target] of marks) if (target.getBoundingClientRect().top <= line) current = a;
      if (!current && marks.length) current = marks[0][0];
      for (const [a] of marks) {
        if (a === current) a.setAttribute("aria-current", "location");
        else a.removeAttribute("aria-current");
      }
    };
    const later = () => {
      if (!pending) {
        pending = true;
        requestAnimationFrame(mark);
      }
    };
    window.addEventListener("scroll", later, { passive: true });
    window.addEventListener("resize", later);
    mark();
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
        task += 1;
        items.push({ li, key: "task-" + task, task, label: tr("done_item", { text: li.textContent.trim().slice(0, 60) }), checked: item.checked });
      } else {
        const n = item.id.split(".").pop().replace("step-", "");
        const embed = item.closest(".embed");
        const label = embed ? tr("embedded_step_done", { n }) : tr("step_done", { n });
        items.push({ li: item, key: item.id, step: Number(n), embed, label, checked: false });
      }
    }
    if (items.length) {
      const key = "sopbook-checklist:" + page;
      let done = new Set();
      const saved = store.get(key);
      try { done = new Set(JSON.parse(saved || "[]")); } catch (e) { done = new Set(); }
      // A task the author wrote as "- [x]" starts ticked until the reader decides.
      if (saved === null) for (const it of items) if (it.checked) done.add(it.key);
      // The run: when it started and when each item was ticked, kept beside
      // the ticks (whose key and shape stay as they were: ticks saved before
      // tick times were have none).
      const runKey = "sopbook-run:" + page;
      const run = { started: null, ticked: {} };
      try {
        const r = JSON.parse(store.get(runKey) || "null");
        if (r && typeof r.started === "string") run.started = r.started;
        if (r && r.ticked && typeof r.ticked === "object") {
          for (const [k, v] of Object.entries(r.ticked)) if (typeof v === "string") run.ticked[k] = v;
        }
      } catch (e) { /* an unreadable run starts afresh */ }
      const saveRun = () => store.set(runKey, run.started || Object.keys(run.ticked).length ? JSON.stringify(run) : null);
      const progress = el("span", { class: "checklist-progress", "aria-live": "polite" });
      const reset = el("button", { class: "checklist-reset", type: "button" }, tr("reset"));
      const bar = el("div", { class: "checklist-bar" }, el("span", { class: "checklist-label", text: tr("checklist") }), progress, reset);
      const boxes = [];
      let showRun = () => {};
      // Saved only once the reader ticks or resets: until then an author's
      // "- [x]" stays ticked, and after a reset it stays unticked.
      const update = (save) => {
        const ticked = boxes.filter((b) => b.checked).length;
        progress.textContent = tr("progress", { ticked, total: boxes.length });
        for (const b of boxes) b.closest("li").classList.toggle("done", b.checked);
        if (save) {
          store.set(key, JSON.stringify(Array.from(done)));
          saveRun();
        }
        showRun();
      };
      for (const it of items) {
        const box = el("input", { type: "checkbox", class: "step-check", "aria-label": it.label });
        box.checked = done.has(it.key);
        box.addEventListener("change", () => {
          if (box.checked) {
            done.add(it.key);
            const now = stamp(new Date());
            run.ticked[it.key] = now;
            if (!run.started) run.started = now;
          } else {
            done.delete(it.key);
            delete run.ticked[it.key];
          }
          update(true);
        });
        place(it.li, box);
        boxes.push(box);
        it.box = box;
      }
      reset.addEventListener("click", () => {
        done.clear();
        run.started = null;
        run.ticked = {};
        for (const b of boxes) b.checked = false;
        update(true);
      });
      // Above the first list that holds a box, at the body's top level.
      let first = items[0].li.parentElement;
      while (first.parentElement && first.parentElement !== sopBody) first = first.parentElement;
      if (first.parentElement === sopBody) sopBody.insertBefore(bar, first);
      else sopBody.prepend(bar);
      const sop = document.querySelector("article.sop[data-sop-id]");
      if (sop) showRun = runRecord(sop, items, run, saveRun);
      update();
    }
  }

  // ---- run records: the save button downloads a JSON file of the run
  // (docs/reading.md). Made in the page and saved through a link to a
  // Blob: no server, works offline and from file://.
  function runRecord(sop, items, run, saveRun) {
    const operatorKey = "sopbook-operator";
    // No id on the heading: every heading with an id gets a copy link.
    const title = el("h2", { text: tr("run_record") });
    const intro = el("p", { class: "run-record-intro", text: tr("run_intro") });
    // The operator's name: asked once in this form, kept in this browser.
    const nameInput = el("input", { id: "run-operator", type: "text", autocomplete: "name", maxlength: "200", "aria-describedby": "run-operator-hint" });
    const nameHint = el("p", { id: "run-operator-hint", class: "run-record-hint", text: tr("name_hint") });
    const nameSave = el("button", { type: "submit", class: "run-record-button" }, tr("save_name"));
    const nameCancel = el("button", { type: "button", class: "run-record-button run-record-secondary" }, tr("cancel"));
    const nameForm = el("form", { class: "run-record-name", novalidate: true },
      el("label", { for: "run-operator", text: tr("your_name") }),
      el("span", { class: "run-record-field" }, nameInput, nameSave, nameCancel),
      nameHint);
    const nameShown = el("strong", { class: "run-record-operator-name" });
    const nameChange = el("button", { type: "button", class: "run-record-button run-record-secondary", "aria-label": tr("change_name") }, tr("change"));
    const operatorLine = el("p", { class: "run-record-operator" }, el("span", { text: tr("operator") + " " }), nameShown, " ", nameChange);
    const startedLine = el("span", { class: "run-record-started-text" });
    const startButton = el("button", { type: "button", class: "run-record-button run-record-secondary" }, tr("start_now"));
    const started = el("p", { class: "run-record-started" }, startedLine, " ", startButton);
    const saveButton = el("button", { type: "button", class: "run-record-button run-record-save" }, tr("save_record"));
    const status = el("p", { class: "run-record-status", role: "status" });
    const section = el("section", { class: "run-record", "aria-label": tr("run_record") }, title, intro, nameForm, operatorLine, started, saveButton, status);
    sopBody.append(section);

    const getName = () => (store.get(operatorKey) || "").trim();
    const showName = (editing) => {
      const name = getName();
      const edit = editing || !name;
      nameForm.hidden = !edit;
      operatorLine.hidden = edit;
      nameCancel.hidden = !name;
      nameShown.textContent = name;
      if (!edit) {
        nameInput.removeAttribute("aria-invalid");
        nameHint.textContent = tr("name_hint");
      }
    };
    const nameError = (text) => {
      nameInput.setAttribute("aria-invalid", "true");
      nameHint.textContent = text;
      nameInput.focus();
    };
    nameForm.addEventListener("submit", (e) => {
      e.preventDefault();
      const name = nameInput.value.trim().replace(/\s+/g, " ");
      if (!name) return nameError(tr("name_needed"));
      store.set(operatorKey, name);
      showName(false);
      status.textContent = tr("name_saved");
      nameChange.focus();
    });
    nameCancel.addEventListener("click", () => {
      showName(false);
      nameChange.focus();
    });
    nameChange.addEventListener("click", () => {
      nameInput.value = getName();
      showName(true);
      nameInput.focus();
      nameInput.select();
    });
    nameInput.addEventListener("keydown", (e) => {
      if (e.key === "Escape" && getName()) {
        e.preventDefault();
        nameCancel.click();
      }
    });

    const show = () => {
      if (run.started) {
        const d = new Date(run.started);
        const time = el("time", { datetime: run.started, text: isNaN(d) ? run.started : d.toLocaleString(document.documentElement.lang || undefined) });
        startedLine.replaceChildren(...parts("started", { time }));
      } else {
        startedLine.textContent = tr("not_started");
      }
      startButton.hidden = !!run.started;
    };
    startButton.addEventListener("click", () => {
      run.started = stamp(new Date());
      saveRun();
      show();
      saveButton.focus();
      status.textContent = tr("run_started");
    });

    saveButton.addEventListener("click", async () => {
      const operator = getName();
      if (!operator) {
        showName(true);
        return nameError(tr("name_before_save"));
      }
      const finished = new Date();
      const steps = [];
      const tasks = [];
      for (const it of items) {
        const entry = {
          number: it.task || it.step,
          id: it.task ? undefined : it.key,
          embedded_from: it.task ? undefined : it.embed ? embedTitle(it.embed) : null,
          text_hash: await sha256(itemText(it.li)),
          ticked: it.box.checked,
          ticked_at: it.box.checked ? run.ticked[it.key] || null : null,
        };
        (it.task ? tasks : steps).push(entry);
      }
      const record = {
        format: "sopbook-run-record/1",
        sop: {
          id: sop.dataset.sopId,
          title: sop.dataset.title || "",
          revision: sop.dataset.revision || null,
          last_commit: sop.dataset.commit || null,
        },
        url: location.href.split("#")[0],
        operator,
        started: run.started,
        finished: stamp(finished),
        text_hash: "SHA-256",
        steps,
        tasks,
      };
      const file = (sop.dataset.sopId || "sop").replace(/[^A-Za-z0-9._-]+/g, "-") + "-" + stamp(finished).slice(0, 10) + ".json";
      const blob = new Blob([JSON.stringify(record, null, 2) + "\n"], { type: "application/json" });
      const url = URL.createObjectURL(blob);
      const a = el("a", { href: url, download: file, hidden: true });
      body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      status.textContent = tr("saved", { file });
    });
    showName(false);
    return show;
  }

  // The wording of a step or task as the reader sees it, without the boxes
  // and links this script adds or the SOPs embedded in it (their steps are
  // entries of their own): text only, spaces collapsed, Unicode NFC.
  function itemText(li) {
    const copy = li.cloneNode(true);
    for (const n of copy.querySelectorAll(".step-check, .anchor-link, .embed")) n.remove();
    return copy.textContent.normalize("NFC").replace(/\s+/g, " ").trim();
  }
  function embedTitle(embed) {
    const summary = embed.querySelector(":scope > summary");
    if (!summary) return "";
    const copy = summary.cloneNode(true);
    for (const n of copy.querySelectorAll(".embed-kind")) n.remove();
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  // A local time with its offset from UTC: 2026-11-30T14:05:09+01:00.
  function stamp(d) {
    const p = (n) => String(n).padStart(2, "0");
    const off = -d.getTimezoneOffset();
    const zone = off === 0 ? "Z" : (off > 0 ? "+" : "-") + p(Math.floor(Math.abs(off) / 60)) + ":" + p(Math.abs(off) % 60);
    return d.getFullYear() + "-" + p(d.getMonth() + 1) + "-" + p(d.getDate()) + "T" + p(d.getHours()) + ":" + p(d.getMinutes()) + ":" + p(d.getSeconds()) + zone;
  }

  // SHA-256 of a text's UTF-8 bytes, in hex: the browser's Web Crypto where
  // the page has it (https, localhost and file://), else the same digest
  // computed here (a page served over plain http from another host has no
  // crypto.subtle), so every record hashes a wording the same way.
  async function sha256(text) {
    const bytes = new TextEncoder().encode(text);
    const subtle = window.crypto && window.crypto.subtle;
    if (subtle && subtle.digest) {
      try {
        return hex(new Uint8Array(await subtle.digest("SHA-256", bytes)));
      } catch (e) { /* fall through */ }
    }
    return hex(sha256Bytes(bytes));
  }
  function hex(bytes) {
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function sha256Bytes(data) {
    const K = [
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ];
    const H = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    const len = data.length;
    const size = Math.ceil((len + 9) / 64) * 64;
    const m = new Uint8Array(size);
    m.set(data);
    m[len] = 0x80;
    const view = new DataView(m.buffer);
    view.setUint32(size - 8, Math.floor(len / 0x20000000));
    view.setUint32(size - 4, (len * 8) >>> 0);
    const w = new Uint32Array(64);
    const ror = (x, n) => (x >>> n) | (x << (32 - n));
    for (let at = 0; at < size; at += 64) {
      for (let t = 0; t < 16; t++) w[t] = view.getUint32(at + t * 4);
      for (let t = 16; t < 64; t++) {
        const s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >>> 3);
        const s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      let [a, b, c, d, e, f, g, h] = H;
      for (let t = 0; t < 64; t++) {
        const t1 = (h + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t]) | 0;
        const t2 = ((ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0;
        d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      H[0] = (H[0] + a) | 0; H[1] = (H[1] + b) | 0; H[2] = (H[2] + c) | 0; H[3] = (H[3] + d) | 0;
      H[4] = (H[4] + e) | 0; H[5] = (H[5] + f) | 0; H[6] = (H[6] + g) | 0; H[7] = (H[7] + h) | 0;
    }
    const out = new Uint8Array(32);
    const outView = new DataView(out.buffer);
    H.forEach((v, i) => outView.setUint32(i * 4, v >>> 0));
    return out;
  }
})();
