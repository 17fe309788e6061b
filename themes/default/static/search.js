// sopbook search: loads the index in pieces (search/*.js) as a query needs
// them, so a search downloads a few small files whatever the size of the
// book. Script tags, not fetch, so it also works from file://.
(() => {
  "use strict";
  const form = document.querySelector("form.search");
  const input = document.getElementById("search-input");
  const results = document.getElementById("search-results");
  if (!form || !input || !results) return;
  const root = document.body.dataset.root || "";
  form.hidden = false;

  // ---- loading index files
  const waiting = new Map();
  const loaded = new Map();
  window.sopbookSearch = {
    load(name, data) {
      loaded.set(name, data);
      const resolve = waiting.get(name);
      if (resolve) resolve(data);
    },
  };
  const get = (name) => {
    if (loaded.has(name)) return Promise.resolve(loaded.get(name));
    if (waiting.has(name + "#promise")) return waiting.get(name + "#promise");
    const promise = new Promise((resolve, reject) => {
      waiting.set(name, resolve);
      const script = document.createElement("script");
      script.src = root + "search/" + name + ".js";
      script.async = true;
      script.onerror = () => reject(new Error("cannot load search/" + name + ".js"));
      document.head.append(script);
    });
    waiting.set(name + "#promise", promise);
    return promise;
  };

  // ---- query
  const STOP = new Set(["a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "into", "is", "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "this", "to", "was", "were", "will", "with", "you", "your"]);
  const words = (text) =>
    text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 2 && !STOP.has(w)).map((w) => w.slice(0, 30));

  // One edit (insert, delete, replace, or swap of neighbours) apart?
  const oneEdit = (a, b) => {
    if (a === b) return true;
    const la = a.length, lb = b.length;
    if (Math.abs(la - lb) > 1) return false;
    let i = 0;
    while (i < la && i < lb && a[i] === b[i]) i++;
    if (la === lb) {
      if (a.slice(i + 1) === b.slice(i + 1)) return true;
      return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
    }
    return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  };

  // The shards a word needs: the one its first letters point to; for a
  // short word, the shards of the longer words it begins; and when a typo
  // in the third letter points nowhere, its siblings (same first two).
  const shardsFor = (word, meta) => {
    const keys = Object.keys(meta.shards);
    let best = "";
    for (const k of keys) if (word.startsWith(k) && k.length > best.length) best = k;
    const wanted = new Set();
    if (best) wanted.add(best);
    for (const k of keys.filter((k) => k.length > word.length && k.startsWith(word)).slice(0, 6)) wanted.add(k);
    if (word.length >= 4 && best.length < 3) {
      const two = word.slice(0, 2);
      for (const k of keys.filter((k) => k.length === 3 && k.startsWith(two)).slice(0, 10)) wanted.add(k);
    }
    return Array.from(wanted, (k) => meta.shards[k]);
  };

  const search = async (query) => {
    const meta = await get("meta");
    const terms = words(query);
    if (!terms.length) return [];
    const perWord = [];
    for (const word of terms) {
      const shards = await Promise.all(shardsFor(word, meta).map(get));
      const scores = new Map();
      for (const shard of shards) {
        for (const [term, postings] of Object.entries(shard)) {
          let factor = 0;
          if (term === word) factor = 3;
          else if (term.startsWith(word)) factor = word.length >= 3 ? 2 : 0;
          else if (word.length >= 4 && oneEdit(term, word)) factor = 1;
          if (!factor) continue;
          for (const [doc, weight] of postings) scores.set(doc, (scores.get(doc) || 0) + weight * factor);
        }
      }
      perWord.push(scores);
    }
    // Documents that match every word first, then those that match most.
    const total = new Map();
    for (const scores of perWord) for (const [doc, s] of scores) total.set(doc, (total.get(doc) || [0, 0]).map((v, i) => v + (i === 0 ? 1 : s)));
    const ranked = Array.from(total.entries()).sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || a[0] - b[0]).slice(0, 10);
    const chunks = await Promise.all(Array.from(new Set(ranked.map(([doc]) => Math.floor(doc / meta.chunk)))).map((c) => get("d-" + c).then((d) => [c, d])));
    const byChunk = new Map(chunks);
    return ranked.map(([doc]) => {
      const [title, context, url, snippet] = byChunk.get(Math.floor(doc / meta.chunk))[doc % meta.chunk];
      return { title, context, url, snippet };
    });
  };

  // ---- results
  let generation = 0;
  const show = (list, query) => {
    results.replaceChildren();
    if (!query.trim()) {
      results.hidden = true;
      return;
    }
    if (!list.length) {
      results.append(Object.assign(document.createElement("p"), { className: "search-empty", textContent: "No matches." }));
    }
    for (const r of list) {
      const a = document.createElement("a");
      a.className = "search-result";
      a.href = root + r.url;
      const title = Object.assign(document.createElement("span"), { className: "search-title", textContent: r.title });
      const context = Object.assign(document.createElement("span"), { className: "search-process", textContent: r.context });
      const snippet = Object.assign(document.createElement("span"), { className: "search-snippet", textContent: r.snippet });
      a.append(title, context, snippet);
      results.append(a);
    }
    results.hidden = false;
  };
  let timer = 0;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    const query = input.value;
    const mine = ++generation;
    timer = setTimeout(() => {
      search(query).then((list) => { if (mine === generation) show(list, query); }).catch(() => {
        if (mine === generation) show([], query);
      });
    }, 60);
  });

  // ---- keyboard: "/" to search, arrows through results, Escape to close
  const items = () => Array.from(results.querySelectorAll("a.search-result"));
  document.addEventListener("keydown", (e) => {
    const typing = e.target instanceof HTMLElement && (e.target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName));
    if (e.key === "/" && !typing && !e.ctrlKey && !e.metaKey && !e.altKey) {
      e.preventDefault();
      input.focus();
      input.select();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const first = items()[0];
    if (first) first.click();
  });
  form.addEventListener("keydown", (e) => {
    const list = items();
    const at = list.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && list.length) {
      e.preventDefault();
      list[Math.min(at + 1, list.length - 1)].focus();
    } else if (e.key === "ArrowUp" && list.length) {
      e.preventDefault();
      if (at <= 0) input.focus();
      else list[at - 1].focus();
    } else if (e.key === "Escape") {
      results.hidden = true;
      input.focus();
    }
  });
  document.addEventListener("click", (e) => {
    if (!form.contains(e.target)) results.hidden = true;
  });
  input.addEventListener("focus", () => { if (results.children.length && input.value.trim()) results.hidden = false; });
})();
