//! The site's words in the book's language (`[book] language`, issue #17):
//! a German book whose pages and scripts carry no English word of
//! sopbook's, a book's own `i18n/<language>.toml`, and a language
//! sopbook has no words for.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use crate::harness::Book;

/// Every word (3 letters and more, lowercased) of a table's values.
fn words_of_table(path: &Path) -> BTreeSet<String> {
    let text = std::fs::read_to_string(path).expect("table");
    let table: toml::Table = text.parse().expect("a table");
    let mut out = BTreeSet::new();
    let mut add = |s: &str| {
        // Placeholders are not words.
        let mut rest = String::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ if depth == 0 => rest.push(c),
                _ => {}
            }
        }
        out.extend(words(&rest));
    };
    for section in table.values() {
        for value in section.as_table().expect("sections").values() {
            match value {
                toml::Value::String(s) => add(s),
                toml::Value::Table(forms) => {
                    forms.values().filter_map(|v| v.as_str()).for_each(&mut add)
                }
                toml::Value::Array(items) => {
                    items.iter().filter_map(|v| v.as_str()).for_each(&mut add)
                }
                _ => {}
            }
        }
    }
    out
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphabetic())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
}

/// What a reader sees of a page: its text and the attributes that are
/// read out or shown (labels, titles, placeholders, alt text); scripts
/// and styles left out.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        out.push(' ');
        let tag_end = rest[open..].find('>').map_or(rest.len(), |i| open + i + 1);
        let tag = &rest[open..tag_end];
        for attr in ["aria-label=\"", "title=\"", "placeholder=\"", "alt=\""] {
            for (i, _) in tag.match_indices(attr) {
                let value = &tag[i + attr.len()..];
                out.push_str(value.split('"').next().unwrap_or(""));
                out.push(' ');
            }
        }
        rest = &rest[tag_end..];
        for skipped in ["<script", "<style"] {
            if tag.starts_with(skipped) {
                let close = format!("</{}", &skipped[1..]);
                rest = rest.find(&close).map_or("", |i| &rest[i..]);
            }
        }
    }
    out.push_str(rest);
    out.replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
}

fn git(dir: &Path, args: &[&str], day: u32) {
    let date = format!("2025-03-{day:02}T10:00:00Z");
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_AUTHOR_NAME", "Ada Lovelace")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Lovelace")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .env("GIT_AUTHOR_DATE", &date)
        .env("GIT_COMMITTER_DATE", &date)
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A German book that uses every part of a page: branches, an automated
/// process, roles, review dates, approval, a superseded and a retired
/// SOP, an embedded step, a task list, callouts, a page, history.
fn german_book() -> Book {
    let book = Book::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"Betriebshandbuch\"\nlanguage = \"de\"\n\n[build]\nreview-every = \"12 months\"\ncommit-url = \"https://example.com/c/{hash}\"\nbase-url = \"https://handbuch.example.com/\"\n",
    )
    .write(
        "content/lohn/process.md",
        "+++\nkind = \"process\"\nid = \"lohn\"\ntitle = \"Lohnabrechnung\"\noutcome = \"Alle werden pünktlich bezahlt\"\nowner = \"Finanzleitung\"\n\n[[branches]]\nid = \"monat\"\nwhen = \"Der Monat endet\"\n\n[[branches]]\nid = \"fehler\"\nwhen = \"Ein Betrag war falsch\"\n\n[[branches]]\nid = \"sonder\"\nwhen = \"Eine Sonderzahlung steht an\"\n+++\nWie wir Löhne zahlen.\n",
    )
    .write(
        "content/lohn/monat.md",
        "+++\ntitle = \"Monatslohn zahlen\"\nprocess = \"lohn\"\nbranch = \"monat\"\nowner = \"Lohnbuchhaltung\"\nrevision = \"3\"\neffective = 2025-03-01\napproved-by = \"Finanzleitung\"\napproved = 2025-02-20\nroles = [\"Sachbearbeitung\"]\nreviewed = 2024-01-10\n+++\nVorab:\n\n- [ ] Zugang prüfen\n\n> [!NOTE]\n> Gilt für alle Standorte.\n\n> [!WARNING]\n> Fristen beachten.\n\n1. Daten exportieren.\n2. Summen prüfen, wie in [[korrektur#step-1]].\n\n![[korrektur#step-2]]\n",
    )
    .write(
        "content/lohn/korrektur.md",
        "+++\ntitle = \"Fehler korrigieren\"\nprocess = \"lohn\"\nbranch = \"fehler\"\n+++\n1. Fehler finden.\n2. Betrag anpassen.\n",
    )
    .write(
        "content/lohn/alt.md",
        "+++\ntitle = \"Monatslohn zahlen (alt)\"\nprocess = \"lohn\"\nbranch = \"monat\"\nsuperseded-by = \"monat\"\n+++\n1. Daten abtippen.\n",
    )
    .write(
        "content/lohn/fax.md",
        "+++\ntitle = \"Bank anfaxen\"\nprocess = \"lohn\"\nbranch = \"fehler\"\nretired = 2024-06-30\n+++\n1. Faxgerät suchen.\n",
    )
    .write(
        "content/it/process.md",
        "+++\nkind = \"process\"\nid = \"it\"\ntitle = \"Datensicherung\"\noutcome = \"Daten sind gesichert\"\nautomated = true\nequipment = [\"Sicherungsserver\"]\n+++\n",
    )
    .write(
        "content/leitfaden.md",
        "+++\ntitle = \"Leitfaden\"\n+++\nLesen Sie [[monat]].\n",
    );
    git(&book.root, &["init", "-q", "-b", "main"], 1);
    git(&book.root, &["add", "-A"], 1);
    git(&book.root, &["commit", "-q", "-m", "Handbuch angelegt"], 1);
    book.write(
        "content/lohn/korrektur.md",
        "+++\ntitle = \"Fehler korrigieren\"\nprocess = \"lohn\"\nbranch = \"fehler\"\n+++\n1. Fehler suchen.\n2. Betrag anpassen.\n3. Bestätigen.\n",
    );
    git(&book.root, &["add", "-A"], 2);
    git(&book.root, &["commit", "-q", "-m", "Korrektur ergänzt"], 2);
    book
}

#[test]
fn a_german_book_has_no_english_word_of_sopbooks_on_its_pages_or_in_its_scripts() {
    let book = german_book();
    book.run(&["build", "--today", "2026-11-25"]).success();
    let tables = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/i18n");
    let german = words_of_table(&tables.join("de.toml"));
    // English words German does not share, and the book's own words out.
    let mut book_words = BTreeSet::new();
    for entry in walk(&book.root.join("content")) {
        // The text and the front matter's quoted values, not its keys.
        let text = std::fs::read_to_string(entry).expect("read");
        let (front, body) = text
            .strip_prefix("+++\n")
            .and_then(|t| t.split_once("+++\n"))
            .unwrap_or(("", &text));
        book_words.extend(words(body));
        for quoted in front.split('"').skip(1).step_by(2) {
            book_words.extend(words(quoted));
        }
    }
    book_words.extend(words("Betriebshandbuch Ada Lovelace sopbook"));
    let english: BTreeSet<String> = words_of_table(&tables.join("en.toml"))
        .into_iter()
        .filter(|w| !german.contains(w) && !book_words.contains(w))
        .collect();
    assert!(
        english.contains("owner") && english.contains("review"),
        "{english:?}"
    );

    let site = book.site();
    let mut pages = 0;
    for path in walk(&site) {
        let rel = path
            .strip_prefix(&site)
            .expect("in site")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let shown = if rel.ends_with(".html") {
            pages += 1;
            visible(&text)
        } else if rel == "nav.js" {
            nav_strings(&text)
        } else {
            continue;
        };
        let found: Vec<String> = words(&shown).filter(|w| english.contains(w)).collect();
        assert!(found.is_empty(), "{rel} shows English words {found:?}");
    }
    // Every kind of page was looked at, the history ones too.
    for rel in [
        "index.html",
        "lohn/index.html",
        "lohn/monat.html",
        "lohn/print.html",
        "lohn/alt.html",
        "lohn/fax.html",
        "it/index.html",
        "leitfaden.html",
        "reviews.html",
        "roles.html",
        "changes.html",
        "404.html",
    ] {
        assert!(site.join(rel).is_file(), "{rel}");
    }
    assert!(pages >= 12, "{pages}");
    let monat = book.read("site/lohn/monat.html");
    for german_text in [
        "Verantwortlich",
        "1. März 2025",
        "Hinweis",
        "Warnung",
        "Eingebettet aus",
        "Fehler korrigieren, Schritt 1",
        "Verlauf",
        "Zuletzt geändert",
        "von Finanzleitung am <time datetime=\"2025-02-20\">20. Februar 2025</time>",
    ] {
        assert!(monat.contains(german_text), "{german_text}: {monat}");
    }
    assert!(book.read("site/reviews.html").contains("(alle 12 Monate)"));
    let feed = book.read("site/changes.xml");
    assert!(
        feed.contains("<title>Betriebshandbuch: Änderungen</title>")
            && feed.contains("Geänderte Seiten:"),
        "{feed}"
    );

    // The scripts: no English string literal of sopbook's words.
    let english_phrases = phrases(&tables.join("en.toml"));
    for script in ["_theme/sopbook.js", "_theme/search.js"] {
        let js = book.read(&format!("site/{script}"));
        for literal in string_literals(&js) {
            for phrase in &english_phrases {
                assert!(
                    !literal.contains(phrase.as_str()),
                    "{script}: \"{literal}\" holds \"{phrase}\""
                );
            }
        }
    }
    let nav = book.read("site/nav.js");
    assert!(
        nav.contains("\"step_done\":\"Schritt {n} erledigt\""),
        "{nav}"
    );
}

/// The strings of `nav.js` a reader sees: its values, not its keys, and
/// no URLs.
fn nav_strings(script: &str) -> String {
    let json = script
        .trim()
        .trim_start_matches("window.SOPBOOK_NAV=")
        .trim_end_matches(';');
    let value: serde_json::Value = serde_json::from_str(json).expect("nav.js holds JSON");
    let mut out = String::new();
    let mut stack = vec![&value];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) if !s.ends_with(".html") && !s.contains(".html#") => {
                // `{name}` places are filled by the scripts.
                for (i, piece) in s.split(['{', '}']).enumerate() {
                    if i % 2 == 0 {
                        out.push_str(piece);
                    }
                }
                out.push('\n');
            }
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.values()),
            _ => {}
        }
    }
    out
}

/// The multi-word pieces of a table's values (between placeholders).
fn phrases(path: &Path) -> Vec<String> {
    let table: toml::Table = std::fs::read_to_string(path)
        .expect("table")
        .parse()
        .expect("toml");
    let mut out = Vec::new();
    for section in table.values() {
        for value in section.as_table().expect("sections").values() {
            let texts: Vec<&str> = match value {
                toml::Value::String(s) => vec![s],
                toml::Value::Table(f) => f.values().filter_map(|v| v.as_str()).collect(),
                _ => Vec::new(),
            };
            for t in texts {
                for piece in t.split(['{', '}']).step_by(2) {
                    let piece = piece.trim();
                    if piece.contains(' ') && piece.len() >= 6 {
                        out.push(piece.to_owned());
                    }
                }
            }
        }
    }
    out
}

fn string_literals(js: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = js.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '"' {
            let mut s = String::new();
            while let Some(d) = chars.next() {
                match d {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    _ => s.push(d),
                }
            }
            out.push(s);
        }
    }
    out
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out.sort();
    out
}

#[test]
fn a_book_overrides_words_and_hears_of_unknown_keys_at_their_line() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Handbook\"\n")
        .write(
            "i18n/en.toml",
            "[facts]\nowner = \"Responsible\"\n\n[site]\nskp = \"x\"\n",
        )
        .write(
            "content/p/process.md",
            "+++\nkind = \"process\"\nid = \"p\"\ntitle = \"P\"\noutcome = \"Done\"\n+++\n",
        )
        .write(
            "content/p/s.md",
            "+++\ntitle = \"S\"\nprocess = \"p\"\nowner = \"Ann\"\n+++\n1. Do.\n",
        );
    book.run(&["build"])
        .success()
        .stderr_has("warning[unknown-key]: unknown key `site.skp`: sopbook writes no such words")
        .stderr_has(" --> i18n/en.toml:5:1")
        .stderr_has("help: did you mean `site.skip`?");
    assert!(
        book.read("site/p/s.html")
            .contains("<dt>Responsible</dt><dd>Ann</dd>")
    );
}

#[test]
fn a_language_without_words_builds_in_english_and_says_so() {
    let book = Book::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"Handbook\"\nlanguage = \"ja\"\n",
    )
    .write(
        "content/p/process.md",
        "+++\nkind = \"process\"\nid = \"p\"\ntitle = \"P\"\noutcome = \"Done\"\n+++\n",
    )
    .write(
        "content/p/s.md",
        "+++\ntitle = \"S\"\nprocess = \"p\"\n+++\n1. Do.\n",
    );
    book.run(&["build"])
        .success()
        .stderr_has("warning[ui-language]: sopbook has no words for the language `ja`: the pages' words are English")
        .stderr_has(" --> book.toml:3:12");
    let page = book.read("site/p/s.html");
    assert!(
        page.contains("<html lang=\"ja\">") && page.contains("Last review"),
        "{page}"
    );
    // A book's own table silences it, and its words are used.
    book.write("i18n/ja.toml", "[facts]\nlast_review = \"最終レビュー\"\n");
    book.run(&["build"]).success().stderr_lacks("ui-language");
    assert!(book.read("site/p/s.html").contains("最終レビュー"));
}
