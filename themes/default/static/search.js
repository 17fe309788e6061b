// sopbook search: loads the index in pieces (search/*.js) as a query needs
// them, so a search downloads a few small files whatever the size of the
// book. Script tags, not fetch, so it also works from file://.
// Results are passages (the page top, a heading's section, a step): each
// links to its anchor and shows the words around the match, marked.
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
  const LIMIT = 10; // results shown
  const PER_PAGE = 3; // results from one page at most, so others get a place
  const SNIPPET = 160; // characters of a passage shown around the match

  // ---- words, cut as the index cut them (src/render/search/tokens.rs,
  // with the stop-words and CJK ranges meta.js carries; the two are tied
  // by tests/search-tokens.json): split at what is not a letter or digit;
  // a run of CJK characters gives overlapping pairs ("日本語": "日本",
  // "本語"), a lone one itself; other runs are lowercased character by
  // character, cut at 30 characters, kept from two on, stop-words dropped.
  // Lengths count code points, as Rust's chars do.
  const MAX_CHARS = 30;
  const wordsFor = (meta) => {
    const stop = new Set(meta.stop);
    const ranges = meta.cjk;
    const isCjk = (cp) => {
      let lo = 0, hi = ranges.length - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (ranges[mid][1] < cp) lo = mid + 1;
        else if (ranges[mid][0] > cp) hi = mid - 1;
        else return true;
      }
      return false;
    };
    // Each search word of `text`, with where it stands (UTF-16 offsets).
    const cut = (text) => {
      const out = [];
      for (const m of text.matchAll(/[\p{Alphabetic}\p{N}]+/gu)) {
        const end = m.index + m[0].length;
        for (let i = m.index; i < end;) {
          const cjk = isCjk(text.codePointAt(i));
          const starts = [];
          let j = i;
          for (let cp; j < end && isCjk((cp = text.codePointAt(j))) === cjk; j += cp > 0xffff ? 2 : 1) starts.push(j);
          if (cjk) {
            if (starts.length === 1) out.push({ at: i, end: j, word: text.slice(i, j) });
            for (let k = 1; k < starts.length; k++) {
              const to = k + 1 < starts.length ? starts[k + 1] : j;
              out.push({ at: starts[k - 1], end: to, word: text.slice(starts[k - 1], to) });
            }
          } else {
            const part = text.slice(i, j);
            const chars = Array.from(/^[\x00-\x7f]*$/.test(part) ? part.toLowerCase() : Array.from(part, (c) => c.toLowerCase()).join(""));
            const word = chars.slice(0, MAX_CHARS).join("");
            if (chars.length >= 2 && !stop.has(word)) out.push({ at: i, end: j, word });
          }
          i = j;
        }
      }
      return out;
    };
    return { cut, cjk: (word) => isCjk(word.codePointAt(0)) };
  };
  let words = null;
  const queryWords = (text) => Array.from(new Set(words.cut(text).map((t) => t.word))).slice(0, 8);

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
  // How well an index term (or a word of a passage) answers a query
  // word: 3 the same, 2 begins with it, 1 a typo away, 0 not at all. A
  // lone CJK character begins the pairs that start with it.
  const factor = (term, word) => {
    if (term === word) return 3;
    if ((word.length >= 3 || words.cjk(word)) && term.startsWith(word)) return 2;
    if (word.length >= 4 && oneEdit(term.slice(0, 30), word)) return 1;
    return 0;
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

  // Which chunk file holds a document: meta lists how many each holds.
  let starts = null;
  const chunkOf = (meta, doc) => {
    if (!starts) {
      starts = [];
      let n = 0;
      for (const count of meta.chunks) starts.push((n += count) - count);
    }
    let lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= doc) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };

  // The stem of a word of the book: a shard's `w` gives it (a number:
  // the stem is the word's first characters); a stem stands for itself.
  const stemOf = (word, alias) => (typeof alias === "number" ? Array.from(word).slice(0, alias).join("") : alias);
  // The shard that holds a stem's postings: the longest key it begins with.
  const shardOf = (stem, meta) => {
    let best = "";
    for (const k of Object.keys(meta.shards)) if (stem.startsWith(k) && k.length > best.length) best = k;
    return best ? meta.shards[best] : null;
  };
  // What a query word stands for, looked up in the words and stems of its
  // shards (the browser has no stemmer): the stems of the words it is,
  // begins or is a typo of, each with the best `factor`; and those words,
  // to mark them. A word of a stemmed book that is none of these ("approves"
  // when the book says "approving") takes the stem of the longest word it
  // begins with ("approv"), if that has 3 characters or more and leaves at
  // most 4 ("approves" → "approv", "cats" → "cat", not "category" → "cat").
  const lookup = (word, shards, meta) => {
    const stems = new Map();
    const put = (stem, f) => { if (f > (stems.get(stem) || 0)) stems.set(stem, f); };
    let exact = false, longest = "", longestStem = "";
    const known = [];
    for (const shard of shards) {
      for (const key of Object.keys(shard.t)) known.push([key, key]);
      for (const [key, alias] of Object.entries(shard.w)) known.push([key, stemOf(key, alias)]);
    }
    for (const [key, stem] of known) {
      const f = factor(key, word);
      if (f) {
        put(stem, f);
        exact = exact || f === 3;
      } else if (word.startsWith(key) && key.length > longest.length) {
        [longest, longestStem] = [key, stem];
      }
    }
    const n = Array.from(word).length, m = Array.from(longest).length;
    if (!exact && meta.stem && !words.cjk(word) && m >= 3 && n - m <= 4) put(longestStem, 2);
    const forms = new Set(known.filter(([key, stem]) => stems.has(stem)).map(([key]) => key));
    return { stems, forms };
  };

  // Where the query words stand one after the other in `text` (stopwords
  // between them allowed; the last word may be half typed): the offset of
  // the first, or -1.
  const phraseIn = (text, q) => {
    const { terms, forms } = q;
    if (terms.length < 2) return -1;
    const ws = words.cut(text);
    const last = terms.length - 1;
    const at = (w, j) => w === terms[j] || forms[j].has(w) || (j === last && terms[j].length >= 3 && w.startsWith(terms[j]));
    for (let i = 0; i + last < ws.length; i++) {
      let j = 0;
      while (j <= last && at(ws[i + j].word, j)) j++;
      if (j > last) return ws[i].at;
    }
    return -1;
  };
  // Whether a word of a passage answers the query: it is, begins with or
  // is a typo of a query word, or is a form of a stem the query found.
  const answers = (word, q) => q.terms.some((w) => factor(word, w)) || q.forms.some((f) => f.has(word));

  const search = async (query) => {
    const meta = await get("meta");
    words = words || wordsFor(meta);
    const terms = queryWords(query);
    if (!terms.length) return [];
    const shards = await Promise.all(terms.map((word) => Promise.all(shardsFor(word, meta).map(get))));
    const found = terms.map((word, i) => lookup(word, shards[i], meta));
    // A stem's postings are in its own shard, which a word whose stem
    // differs from its beginning did not load ("größe" → "gross").
    const stemShard = new Map();
    await Promise.all(found.flatMap(({ stems }) => Array.from(stems.keys(), (stem) => {
      const name = shardOf(stem, meta);
      return name ? get(name).then((shard) => stemShard.set(stem, shard)) : null;
    })));
    // Per passage (document × 65536 + passage): the best score of each
    // query word in it, and how closely it matched (`factor`). Per
    // document: the query words in its title, and in any of its passages.
    const hits = new Map();
    const inTitle = new Map();
    const inDoc = new Map();
    terms.forEach((word, i) => {
      for (const [stem, f] of found[i].stems) {
        const shard = stemShard.get(stem);
        if (!shard || !Object.hasOwn(shard.t, stem)) continue;
        const postings = shard.t[stem];
        let doc = 0;
        for (let k = 0; k < postings.length; k += 3) {
          doc += postings[k];
          const passage = postings[k + 1], weight = postings[k + 2];
          const key = doc * 65536 + passage;
          let hit = hits.get(key);
          if (!hit) hits.set(key, (hit = { doc, passage, scores: new Array(terms.length).fill(0), factors: new Array(terms.length).fill(0) }));
          hit.scores[i] = Math.max(hit.scores[i], weight * f);
          hit.factors[i] = Math.max(hit.factors[i], f);
          inDoc.set(doc, (inDoc.get(doc) || 0) | (1 << i));
          if (passage === 0 && weight >= meta.title) inTitle.set(doc, (inTitle.get(doc) || 0) | (1 << i));
        }
      }
    });
    // Pages that hold every word first, wherever on the page. Then
    // passages that hold every word: a passage with words of its own
    // beyond its page's title counts the title's words too (the
    // "offboard" page's step that says "revoke" answers "offboard
    // revoke"); one that only repeats title words does not, so the page
    // top, not each of its steps, answers a title. Then the passages
    // whose own words match the query most closely (the same word, then
    // a beginning, then a typo), then by weight: the title, then a label
    // (process, owner, heading), then a step's text, then other text.
    const bits = (m) => { let n = 0; for (; m; m &= m - 1) n++; return n; };
    const ranked = [];
    for (const hit of hits.values()) {
      let own = 0, close = 0, score = 0;
      hit.scores.forEach((s, i) => { if (s) { own |= 1 << i; close += hit.factors[i]; score += s; } });
      const title = inTitle.get(hit.doc) || 0;
      ranked.push({ doc: hit.doc, passage: hit.passage, page: bits(inDoc.get(hit.doc)), all: bits(own & ~title ? own | title : own), close, score });
    }
    ranked.sort((a, b) => b.page - a.page || b.all - a.all || b.close - a.close || b.score - a.score || a.doc - b.doc || a.passage - b.passage);
    const top = [];
    const perPage = new Map();
    for (const hit of ranked) {
      const n = perPage.get(hit.doc) || 0;
      if (n >= PER_PAGE) continue;
      perPage.set(hit.doc, n + 1);
      top.push(hit);
      if (top.length === LIMIT) break;
    }
    const q = { terms, forms: found.map((f) => f.forms) };
    const chunks = new Map(await Promise.all(Array.from(new Set(top.map((h) => chunkOf(meta, h.doc))), (c) => get("d-" + c).then((d) => [c, d]))));
    const list = [];
    for (const hit of top) {
      const c = chunkOf(meta, hit.doc);
      const entry = chunks.get(c)[hit.doc - starts[c]];
      const passage = entry && entry[3][hit.passage];
      if (!passage) continue;
      const [title, context, url, passages] = entry;
      const [anchor, label] = passage;
      // A page top with no text of its own (the page starts with a
      // heading) shows the first text of the page.
      const text = passage[2] || (passages.find((p) => p[2]) || ["", "", ""])[2];
      const heading = label ? title + " › " + label : title;
      const phrase = phraseIn(heading + " " + text, q) >= 0;
      list.push({ title: heading, context, href: root + url + (anchor ? "#" + anchor : ""), text, phrase });
    }
    // The exact phrase first; otherwise the order above (a stable sort).
    list.sort((a, b) => b.phrase - a.phrase);
    return list.map((r) => ({ ...r, q }));
  };
  // For tests (tests/browser/search.mjs): a query as the box runs it, and
  // the tokenizer for a meta.js.
  Object.assign(window.sopbookSearch, { search, tokenizer: (meta) => wordsFor(meta).cut });

  // ---- results

  // `text` as nodes with the words that answer the query in <mark>: text
  // nodes only, so nothing in the content can become markup. CJK pairs
  // overlap: one mark covers a run of them.
  const marked = (text, q, from = 0, to = text.length) => {
    const spans = [];
    for (const t of words.cut(text.slice(from, to))) {
      if (!answers(t.word, q)) continue;
      const last = spans[spans.length - 1];
      if (last && t.at + from <= last[1]) last[1] = Math.max(last[1], t.end + from);
      else spans.push([t.at + from, t.end + from]);
    }
    const out = [];
    let at = from;
    for (const [a, b] of spans) {
      if (a > at) out.push(document.createTextNode(text.slice(at, a)));
      out.push(Object.assign(document.createElement("mark"), { textContent: text.slice(a, b) }));
      at = b;
    }
    if (to > at) out.push(document.createTextNode(text.slice(at, to)));
    return out;
  };

  // The part of a passage to show: about SNIPPET characters around the
  // phrase, or else where most query words stand close together, cut at
  // word boundaries.
  const excerpt = (text, q) => {
    if (text.length <= SNIPPET) return [0, text.length];
    const ws = words.cut(text);
    let focus = phraseIn(text, q);
    if (focus < 0) {
      const hits = ws.filter((t) => answers(t.word, q)).slice(0, 200);
      const which = (word) => q.terms.flatMap((w, i) => (factor(word, w) || q.forms[i].has(word) ? [i] : []));
      let best = 0;
      focus = hits.length ? hits[0].at : 0;
      for (const h of hits) {
        const near = new Set();
        for (const o of hits) if (o.at >= h.at && o.at < h.at + SNIPPET - 40) which(o.word).forEach((i) => near.add(i));
        if (near.size > best) [best, focus] = [near.size, h.at];
      }
    }
    let from = Math.max(0, Math.min(focus - 40, text.length - SNIPPET));
    if (from > 0) from = (ws.find((t) => t.at >= from) || { at: from }).at;
    let to = Math.min(text.length, from + SNIPPET);
    if (to < text.length) {
      const inside = ws.filter((t) => t.end <= to && t.at > from);
      if (inside.length) to = inside[inside.length - 1].end;
    }
    return [from, to];
  };

  let generation = 0;
  const show = (list, query) => {
    results.replaceChildren();
    if (!query.trim()) {
      results.hidden = true;
      return;
    }
    if (!list.length) {
      results.append(Object.assign(document.createElement("p"), { className: "search-empty", textContent: (window.SOPBOOK_NAV && window.SOPBOOK_NAV.text && window.SOPBOOK_NAV.text.no_matches) || "" }));
    }
    for (const r of list) {
      const a = document.createElement("a");
      a.className = "search-result";
      a.href = r.href;
      const title = Object.assign(document.createElement("span"), { className: "search-title" });
      title.append(...marked(r.title, r.q));
      const context = Object.assign(document.createElement("span"), { className: "search-process", textContent: r.context });
      const snippet = Object.assign(document.createElement("span"), { className: "search-snippet" });
      const [from, to] = excerpt(r.text, r.q);
      if (from > 0) snippet.append("… ");
      snippet.append(...marked(r.text, r.q, from, to));
      if (to < r.text.length) snippet.append(" …");
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
  // A result on this page only moves to its anchor: close the list so
  // the step or section is not hidden under it.
  results.addEventListener("click", (e) => {
    if (e.target instanceof Element && e.target.closest("a.search-result")) results.hidden = true;
  });
  input.addEventListener("focus", () => { if (results.children.length && input.value.trim()) results.hidden = false; });
})();
