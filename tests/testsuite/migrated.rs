//! A handbook as teams bring it from MkDocs, Jekyll or a wiki: setext
//! headings, reference links to other files, HTML blocks, `<details>`,
//! footnotes, a 50,000-character line, tables, task lists, MkDocs
//! admonitions and Liquid/ERB tags. It builds, loses no text, and names
//! the template tags it shows as written.

use crate::harness::{Book, main_of};

/// The text of a page's `<main>`, tags removed.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in main_of(html).chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[test]
fn migrated_markdown_builds_and_keeps_every_sentence() {
    let book = Book::fixture("real-world");
    let long = format!(
        "Sentence long-line-start {}sentence long-line-end.\n\n|{}|\n",
        "word ".repeat(10_000),
        "x".repeat(50_000)
    );
    book.write("content/policies/long-lines.md", &long);
    book.build()
        .success()
        .stderr_has("warning[template-syntax]: `{% link travel/portal.md %}`")
        .stderr_has("(1 more in this file)")
        .stderr_has("--> content/travel/book-trip.md:16:36")
        .stderr_has("warning[template-syntax]: `{{ page.author }}`");
    let xs = "x".repeat(50_000);
    let pages = [
        (
            "site/travel/index.html",
            &["process-setext-body", "process-setext-h2"][..],
        ),
        (
            "site/travel/book-trip.html",
            &[
                "admonition-body-one",
                "collapsible-tip-body",
                "untitled-note-body",
                "details-summary",
                "details-body with bold Markdown",
                "html-block-body",
                "2nd class, sentence table-cell",
                "Hi &lt;%= current_user.name %&gt;, sentence erb-line",
                "{% link travel/portal.md %} (Liquid)",
                "footnote-body: limits are per night",
                "Train booked",
            ][..],
        ),
        (
            "site/expenses.html",
            &["expenses-body", "{{ page.author }}", "expenses-sub"][..],
        ),
        (
            "site/long-lines.html",
            &["long-line-start", "long-line-end", xs.as_str()][..],
        ),
    ];
    for (page, sentences) in pages {
        let text = text_of(&book.read(page));
        for s in sentences {
            assert!(text.contains(s), "{page} lost {:.60}", s);
        }
    }
    let trip = book.read("site/travel/book-trip.html");
    for markup in [
        // Setext headings get anchors; reference links to files resolve.
        "<h2 id=\"before-you-book\">Before You Book</h2>",
        "<a href=\"../expenses.html\" title=\"Expenses policy\">expenses policy</a>",
        // Footnotes link both ways.
        "<a href=\"#fn-limits\" id=\"fnref-limits\">1</a>",
        "<div class=\"footnote\" id=\"fn-limits\">",
        // Admonitions are callouts; `???` ones open and close.
        "<div class=\"callout callout-warning admonition admonition-warning\" role=\"note\">\n<p class=\"callout-title\">Check the policy first</p>",
        "<details class=\"callout callout-tip admonition admonition-tip\">\n<summary class=\"callout-title\">Saving money</summary>",
        "<p class=\"callout-title\">Note</p>",
        "<details>\n<summary>Sentence details-summary</summary>",
        "<input type=\"checkbox\" disabled checked aria-label=\"Done\"> Train booked",
    ] {
        assert!(
            trip.contains(markup),
            "missing {markup}\n{}",
            main_of(&trip)
        );
    }
    // A list inside a note is not a step: the SOP has its three.
    assert!(trip.contains("<li id=\"step-3\""));
    assert!(!trip.contains("<li id=\"step-4\""));
    assert!(
        book.read("site/expenses.html")
            .contains("<a href=\"travel/book-trip.html#before-you-book\">booking</a>")
    );
    assert_eq!(
        crate::site::link_problems(&book.site()),
        Vec::<String>::new()
    );
}
