//! The search index: a chunked inverted index written as small script
//! files, so a query downloads a few shards and a few document chunks,
//! whatever the size of the book, and search works from `file://` too
//! (scripts load there; `fetch` does not).
//!
//! A result lands where the words are: each page is indexed as passages
//! (the page top, each heading's section, each step), each with its anchor
//! and its text as the page shows it (a bare `[[id]]` reads as the
//! target's title, not as `id#anchor`). Postings name a page and one of its
//! passages; the client ranks passages and shows the one that matched,
//! around the match, linked to `page.html#anchor`.
//!
//! Words are cut from text by [`tokens`] and indexed under their stem
//! (the book's language's Snowball stemmer), so "approved" finds the page
//! that says "approving". The browser has no stemmer: each shard also
//! lists the words of the book that its stems stand for (`"approving":
//! 6`, the stem being its first six letters), and search.js looks a typed
//! word up there.
//!
//! Terms are split into shards by their first letters: a shard that would
//! hold more than [`shards`]' limit of postings is split by one more letter
//! (up to three). The client loads the shard of each query word's prefix,
//! matches words and stems that start with the word or are one edit away
//! from it (typo tolerance), ranks passages, then loads only the document
//! chunks of the top results. (Pagefind, fed plain records, took 17.7 s for the
//! 10,000-SOP book on this kind of machine; this index is built in about
//! half a second from text the build already holds. See docs/reading.md.)
//!
//! The index is streamed: pages are indexed a batch at a time, each
//! page's passages go out in a document chunk as soon as the chunk is
//! full, and only its words stay, as compact postings ([`postings`]);
//! the shards go out once every page is in. No page's text is held
//! beyond its batch (docs/BENCHMARKS.md, "Search index memory").

mod passages;
mod postings;
mod shards;
mod tokens;
mod weight;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::BookConfig;
use crate::failure::Failure;
use crate::model::{Doc, DocId, Handbook, Kind};
use postings::{PageWords, Place, Posting, Store};
use shards::{Entry, Keyed, Shard};
use tokens::Language;
use weight::TITLE;

/// A document chunk is closed once it holds this many bytes: chunks of
/// about the same size whatever the length of the pages in them.
const CHUNK_BYTES: usize = 8 * 1024;
/// Pages indexed at once: enough to keep every core busy, few enough that
/// their text and words are a small part of a big book's memory.
const BATCH: usize = 256;

#[derive(Serialize)]
struct Meta<'a> {
    /// Shard key (1–3 letters) → file name (without `.js`).
    shards: BTreeMap<String, String>,
    /// Documents in each chunk file `d-0`, `d-1`…, in order.
    chunks: Vec<usize>,
    docs: usize,
    title: u8,
    /// What the client needs to cut a query as the index cut the book:
    /// the book's language, its Snowball stemmer (`null`: none, so no
    /// word stands for another), its stop-words and the CJK ranges.
    lang: &'a str,
    stem: Option<&'static str>,
    stop: &'static [&'static str],
    cjk: &'static [(u32, u32)],
}

/// `(title, process or kind, url from the site root, passages)`.
type DocEntry<'a> = (&'a str, &'a str, String, Vec<(String, String, String)>);

/// One page indexed: its chunk entry (JSON) and its postings.
struct Indexed {
    entry: String,
    words: postings::Page,
}

/// Where [`write`] hands each file of the index, by path under the site
/// root, as it is made.
pub(crate) type Put<'a> = dyn Fn(String, String) -> Result<(), Failure> + Sync + 'a;

/// The search files, by path under the site root, in the book's language
/// (`[book] language`: its UI words, stop-words and stemmer), sorted by
/// path: [`write`]'s files held together, for `serve` and the in-memory
/// build.
pub(crate) fn files(hb: &Handbook, book: &BookConfig) -> Vec<(String, String)> {
    let out = std::sync::Mutex::new(Vec::new());
    let collected = write(hb, book, &|path, text| {
        out.lock()
            .map_err(|_| Failure::new("the search index's files were lost"))?
            .push((path, text));
        Ok(())
    });
    let mut out = out.into_inner().unwrap_or_default();
    if collected.is_err() {
        out.clear();
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Makes the search files and hands each to `put` as soon as it is
/// complete: the document chunks while the pages are read, the shards
/// and `meta.js` at the end.
pub(crate) fn write(hb: &Handbook, book: &BookConfig, put: &Put<'_>) -> Result<(), Failure> {
    let words = &book.strings;
    let lang = Language::of(&book.language);
    // Superseded and retired documents are not searched.
    let docs: Vec<DocId> = hb
        .own_pages()
        .filter(|(id, _)| hb.is_current(*id))
        .map(|(id, _)| id)
        .collect();
    let mut store = Store::default();
    let mut chunks = Chunks::default();
    for (b, batch) in docs.chunks(BATCH).enumerate() {
        let indexed: Vec<Indexed> = batch
            .par_iter()
            .map(|&id| index(hb, hb.doc(id), words, lang, &store))
            .collect();
        for (i, page) in indexed.into_iter().enumerate() {
            let n = b * BATCH + i;
            store.add(n as u32, page.words);
            chunks.push(&page.entry, n + 1 == docs.len(), put)?;
        }
    }
    let shards = write_shards(store, lang, put)?;
    let meta = Meta {
        shards,
        chunks: chunks.sizes,
        docs: docs.len(),
        title: TITLE,
        lang: &book.language,
        stem: lang.stem_name(),
        stop: lang.stop(),
        cjk: tokens::CJK,
    };
    put("search/meta.js".to_owned(), wrap("meta", &meta))
}

/// The document chunks `d-0.js`, `d-1.js`…, each written when full.
#[derive(Default)]
struct Chunks {
    json: String,
    count: usize,
    /// Documents in each chunk written.
    sizes: Vec<usize>,
}

impl Chunks {
    fn push(&mut self, entry: &str, last: bool, put: &Put<'_>) -> Result<(), Failure> {
        self.json.push(if self.count == 0 { '[' } else { ',' });
        self.json.push_str(entry);
        self.count += 1;
        if self.json.len() >= CHUNK_BYTES || last {
            self.json.push(']');
            let name = format!("d-{}", self.sizes.len());
            put(format!("search/{name}.js"), wrap_json(&name, &self.json))?;
            self.sizes.push(self.count);
            self.json.clear();
            self.count = 0;
        }
        Ok(())
    }
}

/// A page's chunk entry and words.
fn index(
    hb: &Handbook,
    doc: &Doc,
    words: &crate::i18n::Strings,
    lang: Language,
    store: &Store,
) -> Indexed {
    let (context, owner): (Cow<str>, Option<&str>) = match &doc.kind {
        Kind::Sop(s) => (
            Cow::Borrowed(hb.doc(s.process).title.as_str()),
            s.owner.as_deref(),
        ),
        Kind::Process(p) => (
            Cow::Borrowed(words.text("search.process")),
            p.owner.as_deref(),
        ),
        Kind::Page => (Cow::Borrowed(words.text("search.page")), None),
    };
    let passages = passages::passages(hb, doc, words);
    let mut met = PageWords::new(store);
    let mut buf = String::new();
    let mut add = |text: &str, s: u16, place: Place| {
        lang.each_token(text, &mut buf, &mut |t| met.add(t, s, place));
    };
    add(&doc.title, 0, Place::Title);
    add(&context, 0, Place::Label);
    if let Some(owner) = owner {
        add(owner, 0, Place::Label);
    }
    // Who performs it: "payroll clerk" finds the SOPs of that role.
    for role in &doc.control.roles {
        add(&role.value, 0, Place::Label);
    }
    if let Kind::Process(p) = &doc.kind {
        add(&p.outcome, 0, Place::Label);
    }
    for (s, p) in passages.iter().enumerate() {
        // Postings name a passage in 16 bits: a page with more passages
        // than that is found by its first ones.
        let Ok(s) = u16::try_from(s) else { break };
        add(&p.label, s, Place::Label);
        add(&p.text, s, if p.step { Place::Step } else { Place::Text });
    }
    let entry: DocEntry = (
        &doc.title,
        &context,
        // Percent-encoded: search.js puts it in an href as it is.
        crate::render::body::relative("", &doc.url),
        passages
            .into_iter()
            .map(|p| (fragment(doc, p.anchor), p.label, p.text))
            .collect(),
    );
    Indexed {
        // Serialising strings cannot fail.
        entry: serde_json::to_string(&entry).unwrap_or_default(),
        words: met.finish(),
    }
}

/// Each word of the book is stemmed once, here, rather than at each of
/// its places; the postings of the words of one stem become one list,
/// and the shards are written from them. Returns the shards by key.
fn write_shards(
    store: Store,
    lang: Language,
    put: &Put<'_>,
) -> Result<BTreeMap<String, String>, Failure> {
    let (words, lists) = store.into_words();
    let stems: Vec<Cow<str>> = words.par_iter().map(|w| lang.stem(w)).collect();
    let mut order: Vec<usize> = (0..words.len()).collect();
    order.sort_unstable_by(|&a, &b| stems[a].cmp(&stems[b]).then(words[a].cmp(&words[b])));
    // Each stem with the words that stand for it (a run of `order`).
    let mut groups: Vec<(&str, &[usize])> = Vec::new();
    let mut aliases: Vec<(&str, &str)> = Vec::new();
    let mut start = 0;
    for (k, &i) in order.iter().enumerate() {
        let stem: &str = &stems[i];
        if *words[i] != *stem {
            aliases.push((&words[i], stem));
        }
        if order.get(k + 1).is_none_or(|&next| *stems[next] != *stem) {
            groups.push((stem, &order[start..=k]));
            start = k + 1;
        }
    }
    let merged: Vec<(&str, Vec<Posting>)> = groups
        .par_iter()
        .map(|&(stem, of)| {
            let mut list = Vec::new();
            for &i in of {
                postings::decode(&lists[i], &mut list);
            }
            postings::merge(&mut list);
            (stem, list)
        })
        .collect();
    drop(lists);
    let mut keys: Vec<Keyed> = merged
        .iter()
        .map(|(t, l)| (*t, Entry::Stem(l.as_slice())))
        .chain(aliases.iter().map(|&(w, s)| (w, Entry::Word(s))))
        .collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut split: Vec<(String, Vec<Keyed>)> = Vec::new();
    shards::split(&keys, 1, &mut |key, group| {
        split.push((key.to_owned(), group.to_vec()));
    });
    split.par_iter().try_for_each(|(key, group)| {
        let name = shards::name(key);
        put(format!("search/{name}.js"), wrap(&name, &Shard::of(group)))
    })?;
    Ok(split
        .into_iter()
        .map(|(key, _)| {
            let name = shards::name(&key);
            (key, name)
        })
        .collect())
}

/// The fragment of a passage's anchor, percent-encoded (`""` for the page
/// top): search.js puts it after `#` as it is.
fn fragment(doc: &Doc, anchor: Option<u32>) -> String {
    let mut out = String::new();
    if let Some(a) = anchor.and_then(|a| doc.body.anchors.get(a as usize)) {
        crate::html::encode_url_part(&mut out, &a.id);
    }
    out
}

/// A script that hands `data` to the page's search: `sopbookSearch.load(…)`.
fn wrap<T: Serialize + ?Sized>(name: &str, data: &T) -> String {
    // Serialising plain strings and numbers cannot fail.
    wrap_json(name, &serde_json::to_string(data).unwrap_or_default())
}

fn wrap_json(name: &str, json: &str) -> String {
    let mut out = String::with_capacity(json.len() + name.len() + 32);
    out.push_str("sopbookSearch.load(\"");
    out.push_str(name);
    out.push_str("\",");
    // `</` could end an inline script; `<\/` means the same in JSON. The
    // chunks are most of the index's bytes: one scan for `<`, one copy.
    let mut from = 0;
    for (i, _) in json.match_indices('<') {
        if json[i + 1..].starts_with('/') {
            out.push_str(&json[from..=i]);
            out.push('\\');
            from = i + 1;
        }
    }
    out.push_str(&json[from..]);
    out.push_str(");\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cannot_close_a_script() {
        assert_eq!(
            wrap_json("d-0", "[\"</script>\"]"),
            "sopbookSearch.load(\"d-0\",[\"<\\/script>\"]);\n"
        );
        assert_eq!(
            wrap_json("d-1", "[\"a<b</</\",\"<\"]"),
            "sopbookSearch.load(\"d-1\",[\"a<b<\\/<\\/\",\"<\"]);\n"
        );
    }
}
