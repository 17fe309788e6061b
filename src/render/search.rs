//! The search index: a chunked inverted index written as small script
//! files, so a query downloads a few shards and a few document chunks,
//! whatever the size of the book, and search works from `file://` too
//! (scripts load there; `fetch` does not).
//!
//! Terms are split into shards by their first letters: a shard that would
//! hold more than [`SHARD_POSTINGS`] postings is split by one more letter
//! (up to three). The client loads the shard of each query word's prefix,
//! matches terms that start with the word or are one edit away from it
//! (typo tolerance), ranks documents, then loads only the document chunks of
//! the top results. (Pagefind, fed plain records, took 17.7 s for the
//! 10,000-SOP book on this kind of machine; this index is built in about
//! half a second from text the build already holds. See docs/reading.md.)

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{DocId, Handbook, Kind};

/// Documents per chunk file.
pub const CHUNK: usize = 32;
/// Postings a shard may hold before it is split by one more letter.
const SHARD_POSTINGS: usize = 4000;
/// Postings kept per term (the best-weighted): a word in every document
/// does not help anyone find one.
const MAX_POSTINGS: usize = 500;
const SNIPPET_CHARS: usize = 160;

/// Words too common to search for (the client skips the same list).
fn is_stopword(word: &str) -> bool {
    matches!(
        word,
        "an" | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "then"
            | "there"
            | "this"
            | "to"
            | "was"
            | "were"
            | "will"
            | "with"
            | "you"
            | "your"
    )
}

#[derive(Serialize)]
struct Meta {
    /// Shard key (1–3 letters) → file name (without `.js`).
    shards: BTreeMap<String, String>,
    chunk: usize,
    docs: usize,
}

/// `(title, process or kind, url from the site root, snippet)`.
type DocEntry = (String, String, String, String);

/// A term and its postings `(document, weight)`.
type TermPostings<'a> = (&'a String, &'a Vec<(u32, u16)>);

/// Calls `each` with every search word of `text`: lowercased, at most 30
/// characters, two or more, not a stopword. One buffer, no allocation per
/// word.
fn each_token(text: &str, buf: &mut String, each: &mut dyn FnMut(&str)) {
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if word.len() < 2 {
            continue;
        }
        buf.clear();
        if word.is_ascii() {
            buf.extend(
                word.bytes()
                    .take(30)
                    .map(|b| b.to_ascii_lowercase() as char),
            );
        } else {
            buf.extend(word.chars().flat_map(char::to_lowercase).take(30));
            if buf.chars().count() < 2 {
                continue;
            }
        }
        if !is_stopword(buf) {
            each(buf);
        }
    }
}

#[cfg(test)]
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_token(text, &mut String::new(), &mut |t| out.push(t.to_owned()));
    out
}

fn snippet(plain: &str) -> String {
    let text: String = plain.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= SNIPPET_CHARS {
        return text;
    }
    let cut: String = text.chars().take(SNIPPET_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > SNIPPET_CHARS / 2 => &cut[..i],
        _ => &cut,
    };
    format!("{cut}…")
}

/// The search files, by path under the site root.
pub fn files(hb: &Handbook) -> Vec<(String, String)> {
    let docs: Vec<DocId> = (0..hb.docs.len())
        .map(|i| DocId(i as u32))
        .filter(|id| Some(*id) != hb.home && !hb.unplaced.contains(id))
        .collect();
    // Per document: its entry and its weighted terms.
    let per_doc: Vec<(DocEntry, Vec<(String, u16)>)> = docs
        .par_iter()
        .map(|&id| {
            let doc = hb.doc(id);
            let (context, owner) = match &doc.kind {
                Kind::Sop(s) => (hb.doc(s.process).title.clone(), s.owner.clone()),
                Kind::Process(p) => ("Process".to_owned(), p.owner.clone()),
                Kind::Page => ("Page".to_owned(), None),
            };
            let mut weights: foldhash::HashMap<String, u16> = foldhash::HashMap::default();
            let mut buf = String::new();
            let mut add = |text: &str, weight: u16, cap: u16| {
                each_token(text, &mut buf, &mut |t| match weights.get_mut(t) {
                    Some(w) => *w = (*w + weight).min(cap.max(*w)),
                    None => {
                        weights.insert(t.to_owned(), weight);
                    }
                });
            };
            add(&doc.title, 10, 30);
            add(&context, 3, 30);
            if let Some(owner) = &owner {
                add(owner, 3, 30);
            }
            if let Kind::Process(p) = &doc.kind {
                add(&p.outcome, 3, 30);
            }
            for a in &doc.body.anchors {
                add(&a.text, 3, 30);
            }
            add(&doc.body.plain, 1, 30);
            let entry = (
                doc.title.clone(),
                context,
                // Percent-encoded: search.js puts it in an href as it is.
                super::body::relative("", &doc.url),
                snippet(&doc.body.plain),
            );
            (entry, weights.into_iter().collect())
        })
        .collect();

    // Terms are interned: one string per term, not one per document.
    let mut ids: foldhash::HashMap<&str, usize> = foldhash::HashMap::default();
    let mut lists: Vec<(&str, Vec<(u32, u16)>)> = Vec::new();
    for (n, (_, terms)) in per_doc.iter().enumerate() {
        for (term, weight) in terms {
            let id = *ids.entry(term.as_str()).or_insert_with(|| {
                lists.push((term.as_str(), Vec::new()));
                lists.len() - 1
            });
            lists[id].1.push((n as u32, *weight));
        }
    }
    lists.par_iter_mut().for_each(|(_, list)| {
        list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(MAX_POSTINGS);
    });
    lists.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let owned: Vec<(String, Vec<(u32, u16)>)> =
        lists.into_iter().map(|(t, l)| (t.to_owned(), l)).collect();
    let mut out = Vec::new();
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    let terms: Vec<TermPostings> = owned.iter().map(|(t, l)| (t, l)).collect();
    split(&terms, 1, &mut |key, group| {
        let name = format!("s-{}", hex(key));
        let body: BTreeMap<&str, &Vec<(u32, u16)>> =
            group.iter().map(|(t, p)| (t.as_str(), *p)).collect();
        out.push((format!("search/{name}.js"), wrap(&name, &body)));
        shards.insert(key.to_owned(), name);
    });
    let entries: Vec<&DocEntry> = per_doc.iter().map(|(e, _)| e).collect();
    for (i, chunk) in entries.chunks(CHUNK).enumerate() {
        let name = format!("d-{i}");
        out.push((format!("search/{name}.js"), wrap(&name, &chunk)));
    }
    let meta = Meta {
        shards,
        chunk: CHUNK,
        docs: entries.len(),
    };
    out.push(("search/meta.js".to_owned(), wrap("meta", &meta)));
    out
}

/// Groups sorted terms by their first `len` characters; a group too big is
/// split by one more character (terms no longer than the prefix stay).
fn split<'a>(
    terms: &[TermPostings<'a>],
    len: usize,
    emit: &mut dyn FnMut(&str, &[TermPostings<'a>]),
) {
    let mut i = 0;
    while i < terms.len() {
        let key: String = terms[i].0.chars().take(len).collect();
        let mut j = i;
        while j < terms.len() && terms[j].0.starts_with(key.as_str()) {
            j += 1;
        }
        let group = &terms[i..j];
        let size: usize = group.iter().map(|(_, p)| p.len()).sum();
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
    let json = serde_json::to_string(data)
        .unwrap_or_default()
        .replace("</", "<\\/");
    format!("sopbookSearch.load(\"{name}\",{json});\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_drop_stopwords_and_short_words() {
        let t = tokens("How to run the Payroll, step 3 — Größe!");
        assert_eq!(t, ["how", "run", "payroll", "step", "größe"]);
    }

    #[test]
    fn big_groups_split_by_one_more_letter() {
        let big: Vec<(u32, u16)> = (0..3000).map(|i| (i, 1)).collect();
        let small = vec![(1, 1)];
        let (a, b, c, d) = (
            "pay".to_owned(),
            "payroll".to_owned(),
            "pen".to_owned(),
            "p".to_owned(),
        );
        let terms = vec![(&d, &small), (&a, &big), (&b, &big), (&c, &small)];
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
    fn snippets_end_at_a_word() {
        let long = "word ".repeat(100);
        let s = snippet(&long);
        assert!(s.ends_with('…') && s.chars().count() <= SNIPPET_CHARS + 1);
    }
}
