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
//! hold more than [`SHARD_POSTINGS`] postings is split by one more letter
//! (up to three). The client loads the shard of each query word's prefix,
//! matches words and stems that start with the word or are one edit away
//! from it (typo tolerance), ranks passages, then loads only the document
//! chunks of the top results. (Pagefind, fed plain records, took 17.7 s for the
//! 10,000-SOP book on this kind of machine; this index is built in about
//! half a second from text the build already holds. See docs/reading.md.)

mod tokens;
mod weight;

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::config::BookConfig;
use crate::model::{AnchorKind, Mark};
use crate::model::{Doc, DocId, Handbook, Kind};
use tokens::Language;
use weight::{Found, TITLE};

/// A document chunk is closed once it holds this many bytes: chunks of
/// about the same size whatever the length of the pages in them.
const CHUNK_BYTES: usize = 8 * 1024;
/// Postings a shard may hold before it is split by one more letter.
const SHARD_POSTINGS: usize = 4000;
/// Postings kept per term (the best-weighted): a word in every passage
/// does not help anyone find one.
const MAX_POSTINGS: usize = 500;
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

/// A shard: stems with their postings (`t`), and the words of the book
/// whose stem differs from them (`w`), each with its stem: a number when
/// the stem is the word's first characters, else the stem.
#[derive(Serialize)]
struct Shard<'a> {
    t: BTreeMap<&'a str, Vec<u32>>,
    w: BTreeMap<&'a str, Alias<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Alias<'a> {
    Prefix(usize),
    Stem(&'a str),
}

/// `(title, process or kind, url from the site root, passages)`.
type DocEntry<'a> = (&'a str, &'a str, String, Vec<(String, String, String)>);

/// `(document, passage, weight)`; [`Found`] bits until the postings of
/// a stem are merged.
type Posting = (u32, u16, u8);

/// What a shard holds under a key: a stem's postings, or the stem of a
/// word of the book.
#[derive(Clone, Copy)]
enum Entry<'a> {
    Stem(&'a [Posting]),
    Word(&'a str),
}

/// A shard key and what it holds.
type Keyed<'a> = (&'a str, Entry<'a>);

/// A part of a page a result can land on.
#[derive(Debug, Default, PartialEq)]
struct Passage {
    /// `None`: the page top.
    anchor: Option<u32>,
    /// A heading's text, or "Step n".
    label: String,
    text: String,
    /// A step, whose words outrank the text around the steps.
    step: bool,
}

/// The passages of `doc`, the page top first (always there: the title and
/// the page's facts are indexed in it), then each heading's section and
/// each step with some text, in page order.
fn passages(hb: &Handbook, doc: &Doc, words: &crate::i18n::Strings) -> Vec<Passage> {
    let plain = &doc.body.plain;
    let mut out = vec![Passage::default()];
    let mut current = 0;
    // Between a heading mark and the text under it: the heading's words.
    let mut in_label = false;
    let mut pos = 0;
    let mut titles = plain.titles.iter().peekable();
    // Which passage holds an anchor's text (`None`: the page top).
    let mut by_anchor: foldhash::HashMap<Option<u32>, usize> = foldhash::HashMap::default();
    by_anchor.insert(None, 0);
    let put = |out: &mut Vec<Passage>, current: usize, in_label: bool, s: &str| {
        let p = &mut out[current];
        if in_label {
            p.label.push_str(s);
        } else {
            p.text.push_str(s);
        }
    };
    // Offsets were taken from the text as it grew: always in it.
    let text = |r: std::ops::Range<usize>| plain.text.get(r).unwrap_or_default();
    let ends = plain
        .marks
        .iter()
        .map(|&(at, m)| (at, Some(m)))
        .chain(std::iter::once((plain.text.len(), None)));
    for (at, mark) in ends {
        // A title at the mark's offset comes after it: `## [[x]]`.
        while let Some(&&(t_at, n)) = titles.peek()
            && (t_at < at || mark.is_none() && t_at == at)
        {
            put(&mut out, current, in_label, text(pos..t_at));
            put(
                &mut out,
                current,
                in_label,
                &super::body::link_label(hb, doc, n as usize, words),
            );
            pos = t_at;
            titles.next();
        }
        put(&mut out, current, in_label, text(pos..at));
        pos = at;
        match mark {
            Some(Mark::Heading(a)) => {
                out.push(Passage {
                    anchor: Some(a),
                    ..Passage::default()
                });
                current = out.len() - 1;
                by_anchor.insert(Some(a), current);
                in_label = true;
            }
            Some(Mark::Under(anchor)) => {
                in_label = false;
                // Text under a heading that steps interrupted goes on in
                // the heading's passage.
                current = *by_anchor.entry(anchor).or_insert_with(|| {
                    out.push(Passage {
                        anchor,
                        ..Passage::default()
                    });
                    out.len() - 1
                });
            }
            None => {}
        }
    }
    let anchors = &doc.body.anchors;
    for p in &mut out {
        p.text.truncate(p.text.trim_end().len());
        p.label.truncate(p.label.trim_end().len());
        let Some(a) = p.anchor.and_then(|a| anchors.get(a as usize)) else {
            continue;
        };
        match a.kind {
            AnchorKind::Step(n) => {
                p.label = words.fill("search.step", &[("n", &n.to_string())]);
                p.step = true;
            }
            _ if p.label.is_empty() => p.label.clone_from(&a.text),
            _ => {}
        }
    }
    let mut first = true;
    out.retain(|p| std::mem::take(&mut first) || !p.text.is_empty() || !p.label.is_empty());
    out
}

/// The search files, by path under the site root, in the book's language
/// (`[book] language`: its UI words, stop-words and stemmer).
pub(crate) fn files(hb: &Handbook, book: &BookConfig) -> Vec<(String, String)> {
    let words = &book.strings;
    let lang = Language::of(&book.language);
    // Superseded and retired documents are not searched.
    let docs: Vec<DocId> = hb
        .own_pages()
        .filter(|(id, _)| hb.is_current(*id))
        .map(|(id, _)| id)
        .collect();
    // Per document: its chunk entry (JSON) and its words with their
    // postings `(passage, Found bits)`.
    type Terms = Vec<(String, Vec<(u16, u8)>)>;
    let per_doc: Vec<(String, Terms)> = docs
        .par_iter()
        .map(|&id| {
            let doc = hb.doc(id);
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
            let passages = passages(hb, doc, words);
            // Term → its passages, each with what the word is in there.
            let mut weights: foldhash::HashMap<String, Vec<(u16, Found)>> =
                foldhash::HashMap::default();
            let mut buf = String::new();
            let mut add = |text: &str, s: u16, add: fn(&mut Found)| {
                lang.each_token(text, &mut buf, &mut |t| {
                    let list = match weights.get_mut(t) {
                        Some(list) => list,
                        None => weights.entry(t.to_owned()).or_default(),
                    };
                    match list.last_mut() {
                        Some((at, found)) if *at == s => add(found),
                        _ => {
                            let mut found = Found::default();
                            add(&mut found);
                            list.push((s, found));
                        }
                    }
                })
            };
            add(&doc.title, 0, Found::title);
            add(&context, 0, Found::label);
            if let Some(owner) = owner {
                add(owner, 0, Found::label);
            }
            // Who performs it: "payroll clerk" finds the SOPs of that role.
            for role in &doc.control.roles {
                add(&role.value, 0, Found::label);
            }
            if let Kind::Process(p) = &doc.kind {
                add(&p.outcome, 0, Found::label);
            }
            for (s, p) in passages.iter().enumerate() {
                // Postings name a passage in 16 bits: a page with more
                // passages than that is found by its first ones.
                let Ok(s) = u16::try_from(s) else { break };
                add(&p.label, s, Found::label);
                add(&p.text, s, if p.step { Found::step } else { Found::text });
            }
            let terms = weights
                .into_iter()
                .map(|(t, list)| (t, list.into_iter().map(|(s, f)| (s, f.0)).collect()))
                .collect();
            let entry: DocEntry = (
                &doc.title,
                &context,
                // Percent-encoded: search.js puts it in an href as it is.
                super::body::relative("", &doc.url),
                passages
                    .into_iter()
                    .map(|p| (fragment(doc, p.anchor), p.label, p.text))
                    .collect(),
            );
            // Serialising strings cannot fail.
            let json = serde_json::to_string(&entry).unwrap_or_default();
            (json, terms)
        })
        .collect();

    // Terms are interned: one string per term, not one per document.
    let mut ids: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut lists: Vec<(&str, Vec<Posting>)> = Vec::new();
    for (n, (_, terms)) in per_doc.iter().enumerate() {
        for (term, postings) in terms {
            let id = *ids.entry(term.as_str()).or_insert_with(|| {
                lists.push((term.as_str(), Vec::new()));
                lists.len() - 1
            });
            lists[id]
                .1
                .extend(postings.iter().map(|&(s, w)| (n as u32, s, w)));
        }
    }
    // Each word of the book is stemmed once, here, rather than at each of
    // its places; the postings of the words of one stem become one list.
    let stems: Vec<Cow<str>> = lists.par_iter().map(|(t, _)| lang.stem(t)).collect();
    let mut order: Vec<usize> = (0..lists.len()).collect();
    order.sort_unstable_by(|&a, &b| stems[a].cmp(&stems[b]));
    let mut merged: Vec<(&str, Vec<Posting>)> = Vec::new();
    let mut aliases: Vec<(&str, &str)> = Vec::new();
    for i in order {
        let stem: &str = &stems[i];
        let (word, postings) = (lists[i].0, std::mem::take(&mut lists[i].1));
        if word != stem {
            aliases.push((word, stem));
        }
        match merged.last_mut() {
            Some((s, list)) if *s == stem => list.extend(postings),
            _ => merged.push((stem, postings)),
        }
    }
    drop(lists);
    merged.par_iter_mut().for_each(|(_, list)| {
        // Two forms in one passage are one posting: what each found adds up.
        list.sort_unstable_by_key(|&(d, s, _)| (d, s));
        list.dedup_by(|later, kept| {
            let same = later.0 == kept.0 && later.1 == kept.1;
            if same {
                kept.2 = Found(kept.2).merge(Found(later.2)).0;
            }
            same
        });
        for p in list.iter_mut() {
            p.2 = Found(p.2).weight();
        }
        list.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        list.truncate(MAX_POSTINGS);
        // In page order for the delta encoding.
        list.sort_unstable();
    });
    let mut keys: Vec<Keyed> = merged
        .iter()
        .map(|(t, l)| (*t, Entry::Stem(l.as_slice())))
        .chain(aliases.iter().map(|&(w, s)| (w, Entry::Word(s))))
        .collect();
    keys.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    split(&keys, 1, &mut |key, group| {
        let name = format!("s-{}", hex(key));
        let mut shard = Shard {
            t: BTreeMap::new(),
            w: BTreeMap::new(),
        };
        for &(k, entry) in group {
            match entry {
                Entry::Stem(p) => {
                    shard.t.insert(k, encode(p));
                }
                Entry::Word(stem) => {
                    let alias = match k.strip_prefix(stem) {
                        Some(_) => Alias::Prefix(stem.chars().count()),
                        None => Alias::Stem(stem),
                    };
                    shard.w.insert(k, alias);
                }
            }
        }
        out.push((format!("search/{name}.js"), wrap(&name, &shard)));
        shards.insert(key.to_owned(), name);
    });
    let mut chunks = Vec::new();
    let mut json = String::from("[");
    let mut count = 0;
    let last = per_doc.len().saturating_sub(1);
    for (i, (entry, _)) in per_doc.iter().enumerate() {
        if count > 0 {
            json.push(',');
        }
        json.push_str(entry);
        count += 1;
        if json.len() >= CHUNK_BYTES || i == last {
            json.push(']');
            let name = format!("d-{}", chunks.len());
            out.push((format!("search/{name}.js"), wrap_json(&name, &json)));
            chunks.push(count);
            json = String::from("[");
            count = 0;
        }
    }
    let meta = Meta {
        shards,
        chunks,
        docs: per_doc.len(),
        title: TITLE,
        lang: &book.language,
        stem: lang.stem_name(),
        stop: lang.stop(),
        cjk: tokens::CJK,
    };
    out.push(("search/meta.js".to_owned(), wrap("meta", &meta)));
    out
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

/// Postings in page order as a flat list: document (the difference from
/// the previous posting's), passage, weight. Short numbers keep shards
/// small.
fn encode(postings: &[Posting]) -> Vec<u32> {
    let mut out = Vec::with_capacity(postings.len() * 3);
    let mut prev = 0;
    for &(d, s, w) in postings {
        out.extend([d - prev, u32::from(s), u32::from(w)]);
        prev = d;
    }
    out
}

/// Groups sorted keys by their first `len` characters; a group too big is
/// split by one more character (keys no longer than the prefix stay).
fn split<'a>(keys: &[Keyed<'a>], len: usize, emit: &mut dyn FnMut(&str, &[Keyed<'a>])) {
    let mut i = 0;
    while i < keys.len() {
        let key: String = keys[i].0.chars().take(len).collect();
        let mut j = i;
        while j < keys.len() && keys[j].0.starts_with(key.as_str()) {
            j += 1;
        }
        let group = &keys[i..j];
        // A word costs about what one posting does.
        let size: usize = group
            .iter()
            .map(|(_, e)| match e {
                Entry::Stem(p) => p.len(),
                Entry::Word(_) => 1,
            })
            .sum();
        if size <= SHARD_POSTINGS || len >= 3 {
            emit(&key, group);
        } else {
            let (short, long): (Vec<_>, Vec<_>) =
                group.iter().partition(|(t, _)| t.chars().count() <= len);
            if !short.is_empty() {
                emit(&key, &short);
            }
            split(&long, len + 1, emit);
        }
        i = j;
    }
}

fn hex(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

/// A script that hands `data` to the page's search: `sopbookSearch.load(…)`.
fn wrap<T: Serialize + ?Sized>(name: &str, data: &T) -> String {
    // Serialising plain strings and numbers cannot fail.
    wrap_json(name, &serde_json::to_string(data).unwrap_or_default())
}

fn wrap_json(name: &str, json: &str) -> String {
    // `</` could end an inline script; `<\/` means the same in JSON.
    let json = json.replace("</", "<\\/");
    format!("sopbookSearch.load(\"{name}\",{json});\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_groups_split_by_one_more_letter() {
        let big: Vec<Posting> = (0..3000).map(|i| (i, 0, 1)).collect();
        let small = vec![(1, 0, 1)];
        let terms: Vec<Keyed> = vec![
            ("p", Entry::Stem(&small)),
            ("pay", Entry::Stem(&big)),
            ("payroll", Entry::Stem(&big)),
            ("pen", Entry::Stem(&small)),
        ];
        let mut keys = Vec::new();
        split(&terms, 1, &mut |k, g| keys.push((k.to_owned(), g.len())));
        assert_eq!(
            keys,
            [
                ("p".to_owned(), 1),
                ("pay".to_owned(), 2),
                ("pe".to_owned(), 1)
            ]
        );
    }

    #[test]
    fn postings_are_delta_encoded() {
        assert_eq!(
            encode(&[(3, 0, 17), (3, 2, 1), (10, 1, 4)]),
            [3, 0, 17, 0, 2, 1, 7, 1, 4]
        );
    }

    #[test]
    fn chunks_cannot_close_a_script() {
        assert_eq!(
            wrap_json("d-0", "[\"</script>\"]"),
            "sopbookSearch.load(\"d-0\",[\"<\\/script>\"]);\n"
        );
    }
}
