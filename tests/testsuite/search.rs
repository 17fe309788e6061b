//! The search index holds what the reader sees, where they see it (issue
//! #13): passages (page top, heading sections, steps) with their anchors,
//! their text as rendered — a wikilink as its title, no `id#anchor`, no
//! space where markup was — so a result lands on the step that says the
//! words and shows them. Built from the `search` fixture.

use crate::harness::Book;
use crate::site::script_json;

/// One document of the index: title, context, url and its passages
/// `(anchor, label, text)`.
pub(crate) struct Doc {
    title: String,
    url: String,
    passages: Vec<(String, String, String)>,
}

pub(crate) struct Index {
    pub(crate) meta: serde_json::Value,
    docs: Vec<Doc>,
}

fn str_at(v: &serde_json::Value, i: usize) -> String {
    v[i].as_str()
        .unwrap_or_else(|| panic!("not a string at {i}: {v}"))
        .to_owned()
}

pub(crate) fn index(book: &Book) -> Index {
    let meta = script_json(&book.read("site/search/meta.js"));
    let counts = meta["chunks"].as_array().expect("meta.chunks").clone();
    let mut docs = Vec::new();
    for (c, count) in counts.iter().enumerate() {
        let chunk = script_json(&book.read(&format!("site/search/d-{c}.js")));
        let entries = chunk.as_array().expect("a chunk is a list");
        assert_eq!(Some(entries.len() as u64), count.as_u64(), "d-{c}.js");
        for e in entries {
            let passages = e[3]
                .as_array()
                .unwrap_or_else(|| panic!("no passages in {e}"))
                .iter()
                .map(|p| (str_at(p, 0), str_at(p, 1), str_at(p, 2)))
                .collect();
            docs.push(Doc {
                title: str_at(e, 0),
                url: str_at(e, 2),
                passages,
            });
        }
    }
    assert_eq!(meta["docs"].as_u64(), Some(docs.len() as u64));
    Index { meta, docs }
}

impl Index {
    pub(crate) fn doc(&self, url: &str) -> (usize, &Doc) {
        self.docs
            .iter()
            .enumerate()
            .find(|(_, d)| d.url == url)
            .unwrap_or_else(|| panic!("no {url} in the index"))
    }

    /// The shard that holds `key`: the one of the longest shard key it
    /// begins with.
    fn shard(&self, book: &Book, key: &str) -> serde_json::Value {
        let shards = self.meta["shards"].as_object().expect("meta.shards");
        let (_, name) = shards
            .iter()
            .filter(|(k, _)| key.starts_with(k.as_str()))
            .max_by_key(|(k, _)| k.len())
            .unwrap_or_else(|| panic!("no shard for {key}"));
        let name = name.as_str().expect("shard name");
        script_json(&book.read(&format!("site/search/{name}.js")))
    }

    /// The stem a word of the book is indexed under, as search.js finds
    /// it: the word's shard lists it under `w` (a number: the stem is the
    /// word's first characters), or the word is a stem itself.
    pub(crate) fn stem(&self, book: &Book, word: &str) -> String {
        match &self.shard(book, word)["w"][word] {
            serde_json::Value::Null => word.to_owned(),
            serde_json::Value::Number(n) => {
                let n = n.as_u64().expect("a length") as usize;
                word.chars().take(n).collect()
            }
            serde_json::Value::String(s) => s.clone(),
            other => panic!("{word}: {other} is not a stem"),
        }
    }

    /// The postings of the word `word` (of its stem): `(document, passage,
    /// weight)`.
    pub(crate) fn postings(&self, book: &Book, word: &str) -> Vec<(u64, u64, u64)> {
        let stem = self.stem(book, word);
        let shard = self.shard(book, &stem);
        let flat: Vec<u64> = shard["t"][stem.as_str()]
            .as_array()
            .unwrap_or_else(|| panic!("{word} (stem {stem}) not in its shard"))
            .iter()
            .map(|n| n.as_u64().expect("a number"))
            .collect();
        let mut doc = 0;
        flat.chunks(3)
            .map(|p| {
                doc += p[0];
                (doc, p[1], p[2])
            })
            .collect()
    }
}

fn built() -> Book {
    let book = Book::fixture("search");
    book.build().success();
    book
}

#[test]
fn a_wikilink_reads_as_the_page_shows_it_never_as_id_and_anchor() {
    let book = built();
    let index = index(&book);
    let (_, wipe) = index.doc("offboard/wipe-laptop.html");
    assert_eq!(
        wipe.passages[0].2,
        "Do this on the last day. Read Glossary › IdP and SSO first (see Glossary › IdP and SSO)."
    );
    assert_eq!(
        wipe.passages[3].2, "Wipe the disk, then check Step 2 again.",
        "a link to a step of the same page reads as on the page"
    );
    let (_, back) = index.doc("offboard/return-laptop.html");
    assert_eq!(
        back.passages[2].2,
        "Wipe it as in How to wipe a laptop, step 2."
    );
    for doc in &index.docs {
        for (_, label, text) in &doc.passages {
            for s in [label, text] {
                assert!(
                    !s.contains('#') && !s.contains("[[") && !s.contains("glossary"),
                    "{}: {s:?} shows an id, an anchor or link markup",
                    doc.title
                );
            }
        }
    }
}

#[test]
fn no_space_is_left_where_markup_ended() {
    let book = built();
    let index = index(&book);
    let (_, wipe) = index.doc("offboard/wipe-laptop.html");
    assert_eq!(
        wipe.passages[4].2,
        "Log it under procedures: other. Tell the team."
    );
    for doc in &index.docs {
        for (_, _, text) in &doc.passages {
            for p in [" .", " ,", " )", " :", " ;", "  "] {
                assert!(!text.contains(p), "{}: {text:?} has {p:?}", doc.title);
            }
        }
    }
}

#[test]
fn passages_carry_the_anchor_of_their_step_or_heading() {
    let book = built();
    let index = index(&book);
    let (n, wipe) = index.doc("offboard/wipe-laptop.html");
    let anchors: Vec<(&str, &str)> = wipe
        .passages
        .iter()
        .map(|(a, l, _)| (a.as_str(), l.as_str()))
        .collect();
    assert_eq!(
        anchors,
        [
            ("", ""),
            ("step-1", "Step 1"),
            ("step-2", "Step 2"),
            ("step-3", "Step 3"),
            ("afterwards", "Afterwards"),
        ]
    );
    assert_eq!(
        wipe.passages[2].2,
        "Revoke sessions in the IdP (see Glossary › IdP and SSO)."
    );
    // "Revoke sessions": both words point at step 2 of that page.
    for term in ["revoke", "sessions"] {
        let postings = index.postings(&book, term);
        assert!(
            postings.iter().any(|&(d, p, _)| d == n as u64 && p == 2),
            "{term}: {postings:?} does not name passage 2 (step-2) of document {n}"
        );
        assert!(
            postings.iter().all(|&(_, p, _)| p != 0),
            "{term}: {postings:?} lands on a page top"
        );
    }
    // A heading's words land on its section; the title on the page top.
    let (g, glossary) = index.doc("glossary.html");
    assert_eq!(glossary.passages[1].0, "idp-and-sso");
    assert!(
        index
            .postings(&book, "identity")
            .contains(&(g as u64, 1, 1))
    );
    let title = index.meta["title"].as_u64().expect("meta.title");
    assert!(
        index
            .postings(&book, "wipe")
            .iter()
            .any(|&(d, p, w)| d == n as u64 && p == 0 && w >= title),
        "the title's words are on the page top with the title weight"
    );
}

#[test]
fn the_client_skips_the_stopwords_the_index_skips() {
    let book = built();
    let index = index(&book);
    let stop: Vec<&str> = index.meta["stop"]
        .as_array()
        .expect("meta.stop")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    assert!(stop.contains(&"the") && stop.contains(&"and"), "{stop:?}");
    let js = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/static/search.js"),
    )
    .expect("search.js");
    assert!(
        js.contains("new Set(meta.stop)") && !js.contains("\"with\", \"you\""),
        "search.js should take its stopwords from meta.js, not a copy"
    );
}

/// The index is made a batch of pages at a time and its chunks are
/// written as they fill (docs/BENCHMARKS.md, "Search index memory"): in a
/// book of several batches, every page's words still point at that page.
#[test]
fn every_page_of_a_book_of_many_batches_is_found_where_it_is() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Many pages\"\n");
    // Three letters from a number and a digit, which no stemmer removes
    // ("zqaby" would stand for "zqabi").
    let word = |i: usize| {
        let letter = |n: usize| char::from(b'a' + (n % 26) as u8);
        format!("zq{}{}{}9", letter(i / 676), letter(i / 26), letter(i))
    };
    let pages = 700;
    for i in 0..pages {
        book.write(
            &format!("content/p{i:03}.md"),
            format!(
                "+++\ntitle = \"Page {i}\"\n+++\nOnly this page says {}.\n\n## Section\n\nShared words here.\n",
                word(i)
            ),
        );
    }
    book.build().success();
    let index = index(&book);
    assert_eq!(index.meta["docs"].as_u64(), Some(pages as u64));
    for i in 0..pages {
        let (n, doc) = index.doc(&format!("p{i:03}.html"));
        assert_eq!(doc.title, format!("Page {i}"));
        assert_eq!(
            index.postings(&book, &word(i)),
            [(n as u64, 0, 1)],
            "{} is said once, on the top of page {i} (document {n})",
            word(i)
        );
    }
}
