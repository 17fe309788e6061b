//! Free keys: `[extra]` in front matter (TOML, or `extra:` in YAML) and in
//! book.toml holds any keys without a warning, and reaches templates as
//! `page.extra` and `site.extra` with the values' types kept.

use crate::harness::Book;

#[test]
fn extra_keys_reach_templates_without_warnings() {
    let book = Book::fixture("extra");
    book.run(&["check", "--deny-warnings"])
        .success()
        .stderr_lacks("unknown-key");
    book.build().success().stderr_lacks("warning");
    let book_line =
        "<p class=\"book-extra\">Ops|2019|0.5|false|2026-01-15|red;blue;|ops@example.com</p>";
    // Strings, integers, fractions, booleans, dates (as written), lists
    // and tables, from TOML and from YAML.
    let guide = book.read("site/guide.html");
    assert!(
        guide.contains("<p class=\"page-extra\">toml|3|1.5|true|2026-02-03|x;y;|down</p>"),
        "{guide}"
    );
    assert!(guide.contains(book_line), "{guide}");
    let notes = book.read("site/notes.html");
    assert!(
        notes.contains("<p class=\"page-extra\">yaml|4|2.25|false|2026-03-04|p;q;|below</p>"),
        "{notes}"
    );
    // Processes and SOPs carry theirs too; a key a page lacks is undefined,
    // so a template's `default` fills it.
    for (page, foo) in [
        ("site/ops/index.html", "process"),
        ("site/ops/restart.html", "sop"),
    ] {
        let html = book.read(page);
        assert!(
            html.contains(&format!(
                "<p class=\"page-extra\">{foo}|none</p><p class=\"book-extra\">Ops</p>"
            )),
            "{page}: {html}"
        );
    }
}

#[test]
fn extra_that_is_not_a_table_is_an_error_at_its_value() {
    let book = Book::fixture("extra");
    book.write(
        "content/bad.md",
        "+++\ntitle = \"Bad\"\nextra = \"x\"\n+++\nText.\n",
    );
    book.build()
        .code(1)
        .stderr_has("error[front-matter]: `extra` must be a table of your own keys, found a string\n --> content/bad.md:3:9");
}
