//! Fenced code is highlighted when the book is built (issue #17): a block
//! that names a language its grammars know gets token spans with the
//! theme's classes; one that names no language, or an unknown one, is
//! written plain as before, without a warning; `[build] highlight = false`
//! turns it off. Built from the `highlight` fixture.

use crate::harness::{Book, main_of};

const PAGE: &str = "site/ops/restart-export.html";

/// The code block of `lang` on the page: its `<pre>` element.
fn block<'a>(html: &'a str, lang: &str) -> &'a str {
    let open = format!("<pre><code class=\"language-{lang}\">");
    let start = html
        .find(&open)
        .unwrap_or_else(|| panic!("no {lang} block in\n{html}"));
    let end = html[start..].find("</pre>").expect("</pre>") + start + "</pre>".len();
    &html[start..end]
}

#[test]
fn code_with_a_known_language_gets_token_spans() {
    let book = Book::fixture("highlight");
    book.build()
        .success()
        .stderr_lacks("warning")
        .stderr_lacks("nosuchlanguage");
    let page = book.read(PAGE);
    let main = main_of(&page);

    let json = block(main, "json");
    assert!(
        json.contains("<span class=\"hl-key\">\"retries\"</span>"),
        "{json}"
    );
    assert!(
        json.contains("<span class=\"hl-constant\">3</span>"),
        "{json}"
    );
    assert!(
        json.contains("<span class=\"hl-constant\">true</span>"),
        "{json}"
    );
    assert!(
        json.contains("<span class=\"hl-string\">\"export\"</span>"),
        "{json}"
    );

    let bash = block(main, "bash");
    assert!(
        bash.contains("<span class=\"hl-keyword\">if</span>"),
        "{bash}"
    );
    assert!(
        bash.contains("<span class=\"hl-function\">systemctl</span>"),
        "{bash}"
    );
    // Special characters in code stay escaped inside the spans.
    assert!(
        bash.contains("<span class=\"hl-comment\"># wait &lt;1 minute&gt; &amp; check</span>"),
        "{bash}"
    );

    let rust = block(main, "rust");
    assert!(
        rust.contains("<span class=\"hl-keyword\">fn</span>"),
        "{rust}"
    );
    assert!(
        rust.contains("<span class=\"hl-function\">main</span>"),
        "{rust}"
    );
    assert!(
        rust.contains("<span class=\"hl-string\">\"a&lt;b&gt;&amp;c\"</span>"),
        "{rust}"
    );

    // No grammar for the language: plain escaped code, the class kept.
    assert_eq!(
        block(main, "nosuchlanguage"),
        "<pre><code class=\"language-nosuchlanguage\">if a &lt; b &amp;&amp; c &gt; d then &lt;ok&gt;\n</code></pre>"
    );
    // No language: plain, as before.
    assert!(
        main.contains("<pre><code>fn not_highlighted() {}\n</code></pre>"),
        "{main}"
    );
    assert!(!main.contains("<ok>") && !main.contains("<b>"), "{main}");

    // The theme colours the classes; no inline colour anywhere.
    assert!(!main.contains("style=\"color"), "{main}");
    let css = book.read("site/_theme/style.css");
    assert!(css.contains(".hl-keyword { color: var(--hl-keyword); }"));
}

/// The search index holds the code as written, not its markup.
#[test]
fn search_reads_the_code_text() {
    let book = Book::fixture("highlight");
    book.build().success();
    let mut index = String::new();
    for entry in std::fs::read_dir(book.site().join("search")).expect("site/search") {
        let path = entry.expect("entry").path();
        index.push_str(&std::fs::read_to_string(&path).expect("read index file"));
    }
    assert!(index.contains("systemctl restart export"), "{index}");
    assert!(!index.contains("hl-"), "{index}");
}

#[test]
fn highlight_false_writes_plain_code() {
    let book = Book::fixture("highlight");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Highlighting\"\n[build]\nhighlight = false\n[check]\nreview-overdue = \"allow\"\n",
    );
    book.build().success().stderr_lacks("warning");
    let page = book.read(PAGE);
    let main = main_of(&page);
    assert!(!main.contains("<span class=\"hl-"), "{main}");
    assert_eq!(
        block(main, "rust"),
        "<pre><code class=\"language-rust\">fn main() { let ok = check(\"a&lt;b&gt;&amp;c\"); }\n</code></pre>"
    );
}
