//! The words of the search index (issue #17): stems of the book's
//! language, its stop-words left out, CJK text as character pairs, and
//! weights that put a title over a step over other text. What a query
//! finds with them is checked in the browser's own code by
//! tests/browser/search.mjs, on the same fixtures.

use crate::harness::Book;
use crate::search::{Index, index};
use crate::site::script_json;

fn built(fixture: &str) -> (Book, Index) {
    let book = Book::fixture(fixture);
    book.build().success();
    let index = index(&book);
    (book, index)
}

/// Every key of every shard, stems (`t`) and words (`w`).
fn keys(book: &Book, index: &Index) -> Vec<String> {
    let mut out = Vec::new();
    for name in index.meta["shards"]
        .as_object()
        .expect("meta.shards")
        .values()
    {
        let name = name.as_str().expect("shard name");
        let shard = script_json(&book.read(&format!("site/search/{name}.js")));
        for part in ["t", "w"] {
            out.extend(shard[part].as_object().expect(part).keys().cloned());
        }
    }
    out
}

#[test]
fn forms_of_a_word_share_one_stem_and_the_words_of_the_book_name_it() {
    let (book, index) = built("search-rank");
    assert_eq!(index.meta["lang"], "en");
    assert_eq!(index.meta["stem"], "english");
    // "approving" is listed under its stem, whose postings name step 2 of
    // the sign-off page: the browser finds "approved" through "approv".
    assert_eq!(index.stem(&book, "approving"), "approv");
    let (n, _) = index.doc("office/sign-off.html");
    assert!(
        index
            .postings(&book, "approving")
            .iter()
            .any(|&(d, p, _)| d == n as u64 && p == 2),
        "{:?}",
        index.postings(&book, "approving")
    );
    // "invoices" (a title) and "invoice" (steps, text) are one list.
    assert_eq!(index.stem(&book, "invoices"), "invoic");
    assert_eq!(
        index.postings(&book, "invoices"),
        index.postings(&book, "invoice")
    );
    assert!(
        !keys(&book, &index).iter().any(|k| k == "the" || k == "and"),
        "English stop-words are left out"
    );
}

#[test]
fn a_title_outweighs_a_step_which_outweighs_other_text() {
    let (book, index) = built("search-rank");
    let title = index.meta["title"].as_u64().expect("meta.title");
    let weight = |url: &str, passage: u64| {
        let (n, _) = index.doc(url);
        index
            .postings(&book, "invoice")
            .iter()
            .find(|&&(d, p, _)| d == n as u64 && p == passage)
            .map(|&(_, _, w)| w)
            .unwrap_or_else(|| panic!("no posting of invoice on {url} #{passage}"))
    };
    let in_title = weight("office/archive-invoices.html", 0);
    let in_step = weight("office/sort-post.html", 1);
    let in_text = weight("office/filing.html", 0);
    assert!(in_title >= title, "{in_title}");
    assert!(
        in_text < in_step && in_step < title,
        "text {in_text}, step {in_step}"
    );
}

#[test]
fn a_german_book_drops_german_stop_words_and_stems_german() {
    let (book, index) = built("search-de");
    assert_eq!(index.meta["stem"], "german");
    let stop: Vec<&str> = index.meta["stop"]
        .as_array()
        .expect("meta.stop")
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    for w in ["die", "und", "den", "für", "das"] {
        assert!(stop.contains(&w), "{w} not in {stop:?}");
    }
    assert!(
        !stop.contains(&"the"),
        "a German book has German stop-words"
    );
    let keys = keys(&book, &index);
    for w in ["die", "und", "den", "für", "das", "der", "in"] {
        assert!(!keys.iter().any(|k| k == w), "{w} is indexed: {keys:?}");
    }
    // "Rechnungen" (title) and "Rechnung" (step 1): one stem.
    let (n, _) = index.doc("buchhaltung/rechnungen.html");
    let postings = index.postings(&book, "rechnungen");
    assert_eq!(postings, index.postings(&book, "rechnung"));
    assert!(postings.contains(&(n as u64, 1, 4)), "{postings:?}");
    // An umlaut the stem drops: the word names its stem in full.
    assert_eq!(index.stem(&book, "prüfen"), "pruf");
}

#[test]
fn cjk_text_is_indexed_as_character_pairs() {
    let (book, index) = built("search-cjk");
    assert_eq!(index.meta["lang"], "ja");
    assert!(index.meta["stem"].is_null(), "no stemmer for Japanese");
    assert_eq!(index.meta["stop"], serde_json::json!([]));
    let keys = keys(&book, &index);
    // (The English words are the UI's: "Process", "Step n".)
    let long: Vec<&String> = keys
        .iter()
        .filter(|k| k.chars().count() > 2 && !k.is_ascii())
        .collect();
    assert!(long.is_empty(), "CJK runs longer than a pair: {long:?}");
    // "日本語学校" gives "本語", which names the page top.
    let (n, _) = index.doc("keiri/seikyu.html");
    for pair in ["日本", "本語", "語学", "学校"] {
        assert!(
            index
                .postings(&book, pair)
                .iter()
                .any(|&(d, p, _)| d == n as u64 && p == 0),
            "{pair}"
        );
    }
}
