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
//! Terms are split into shards by their first letters: a shard that would
//! hold more than [`SHARD_POSTINGS`] postings is split by one more letter
//! (up to three). The client loads the shard of each query word's prefix,
//! matches terms that start with the word or are one edit away from it
//! (typo tolerance), ranks passages, then loads only the document chunks of
//! the top results. (Pagefind, fed plain records, took 17.7 s for the
//! 10,000-SOP book on this kind of machine; this index is built in about
//! half a second from text the build already holds. See docs/reading.md.)

use std::borrow::Cow;
use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::model::{AnchorKind, Mark};
use crate::model::{Doc, DocId, Handbook, Kind};

/// A document chunk is closed once it holds this many bytes: chunks of
/// about the same size whatever the length of the pages in them.
const CHUNK_BYTES: usize = 8 * 1024;
/// Postings a shard may hold before it is split by one more letter.
const SHARD_POSTINGS: usize = 4000;
/// Postings kept per term (the best-weighted): a word in every passage
/// does not help anyone find one.
const MAX_POSTINGS: usize = 500;
/// The weight a word gets from being in the page title; every other
/// source adds up to less, so the client tells a title word by its weight
/// (`meta.title`).
const TITLE: u8 = 16;
/// Process, owner and outcome (page top) and a heading (its section), up
/// to [`LABEL_MAX`] for a word in several of them.
const LABEL: u8 = 4;
const LABEL_MAX: u8 = 8;
/// Each time the word is in the passage's text, up to this: a long
/// passage that repeats a word is not worth more than a step that says it
/// once or twice.
const TEXT_MAX: u8 = 3;

/// Words too common to search for, sorted; sent to the client in
/// `meta.js`, so both sides skip the same words.
const STOPWORDS: &[&str] = &[
    "an", "and", "are", "as", "at", "be", "by", "for", "from", "if", "in", "into", "is", "it",
    "its", "of", "on", "or", "that", "the", "their", "then", "there", "this", "to", "was", "were",
    "will", "with", "you", "your",
];

fn is_stopword(word: &str) -> bool {
    STOPWORDS.binary_search(&word).is_ok()
}

#[derive(Serialize)]
struct Meta {
    /// Shard key (1–3 letters) → file name (without `.js`).
    shards: BTreeMap<String, String>,
    /// Documents in each chunk file `d-0`, `d-1`…, in order.
    chunks: Vec<usize>,
    docs: usize,
    title: u8,
    stop: &'static [&'static str],
}

/// `(title, process or kind, url from the site root, passages)`.
type DocEntry<'a> = (&'a str, &'a str, String, Vec<(String, String, String)>);

/// `(document, passage, weight)`.
type Posting = (u32, u16, u8);

/// A term and its postings.
type TermPostings<'a> = (&'a str, &'a [Posting]);

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

/// A part of a page a result can land on.
#[derive(Debug, Default, PartialEq)]
struct Passage {
    /// `None`: the page top.
    anchor: Option<u32>,
    /// A heading's text, or "Step n".
    label: String,
    text: String,
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
            AnchorKind::Step(n) => p.label = words.fill("search.step", &[("n", &n.to_string())]),
            _ if p.label.is_empty() => p.label.clone_from(&a.text),
            _ => {}
        }
    }
    let mut first = true;
    out.retain(|p| std::mem::take(&mut first) || !p.text.is_empty() || !p.label.is_empty());
    out
}

/// The search files, by path under the site root.
pub(crate) fn files(hb: &Handbook, words: &crate::i18n::Strings) -> Vec<(String, String)> {
    // Superseded and retired documents are not searched.
    let docs: Vec<DocId> = hb
        .own_pages()
        .filter(|(id, _)| hb.is_current(*id))
        .map(|(id, _)| id)
        .collect();
    // Per document: its chunk entry (JSON) and its terms with their
    // postings `(passage, weight)`.
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
                each_token(text, &mut buf, &mut |t| {
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
            add(&doc.title, 0, |f| f.title = true);
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
                add(&p.text, s, |f| f.text = f.text.saturating_add(1));
            }
            let terms = weights
                .into_iter()
                .map(|(t, list)| (t, list.into_iter().map(|(s, f)| (s, f.weight())).collect()))
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
    lists.par_iter_mut().for_each(|(_, list)| {
        list.sort_unstable_by(|a, b| b.2.cmp(&a.2).then(a.0.cmp(&b.0)).then(a.1.cmp(&b.1)));
        list.truncate(MAX_POSTINGS);
        // In page order for the delta encoding.
        list.sort_unstable();
    });
    lists.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut out = Vec::new();
    let mut shards: BTreeMap<String, String> = BTreeMap::new();
    let terms: Vec<TermPostings> = lists.iter().map(|(t, l)| (*t, l.as_slice())).collect();
    split(&terms, 1, &mut |key, group| {
        let name = format!("s-{}", hex(key));
        let body: BTreeMap<&str, Vec<u32>> = group.iter().map(|(t, p)| (*t, encode(p))).collect();
        out.push((format!("search/{name}.js"), wrap(&name, &body)));
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
        stop: STOPWORDS,
    };
    out.push(("search/meta.js".to_owned(), wrap("meta", &meta)));
    out
}

/// Where a word is found in one passage.
#[derive(Default, Clone, Copy)]
struct Found {
    title: bool,
    label: u8,
    text: u8,
}

impl Found {
    fn label(&mut self) {
        self.label = self.label.saturating_add(LABEL);
    }

    /// [`TITLE`] when the word is in the title, plus the rest, which
    /// stays below it.
    fn weight(self) -> u8 {
        (if self.title { TITLE } else { 0 })
            + (self.label.min(LABEL_MAX) + self.text.min(TEXT_MAX)).min(TITLE - 1)
    }
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
    fn tokens_drop_stopwords_and_short_words() {
        let t = tokens("How to run the Payroll, step 3 — Größe!");
        assert_eq!(t, ["how", "run", "payroll", "step", "größe"]);
        let mut sorted = STOPWORDS.to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, STOPWORDS, "binary_search needs them sorted");
    }

    #[test]
    fn big_groups_split_by_one_more_letter() {
        let big: Vec<Posting> = (0..3000).map(|i| (i, 0, 1)).collect();
        let small = vec![(1, 0, 1)];
        let terms: Vec<TermPostings> = vec![
            ("p", &small),
            ("pay", &big),
            ("payroll", &big),
            ("pen", &small),
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
    fn postings_are_delta_encoded_and_title_weights_stand_out() {
        assert_eq!(
            encode(&[(3, 0, 17), (3, 2, 1), (10, 1, 4)]),
            [3, 0, 17, 0, 2, 1, 7, 1, 4]
        );
        let title = Found {
            title: true,
            ..Found::default()
        };
        assert_eq!(title.weight(), TITLE);
        let most = Found {
            title: false,
            label: 200,
            text: 200,
        };
        assert!(most.weight() < TITLE);
        let once = Found {
            text: 1,
            ..Found::default()
        };
        assert_eq!(once.weight(), 1);
    }

    #[test]
    fn chunks_cannot_close_a_script() {
        assert_eq!(
            wrap_json("d-0", "[\"</script>\"]"),
            "sopbookSearch.load(\"d-0\",[\"<\\/script>\"]);\n"
        );
    }
}
