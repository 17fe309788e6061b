//! Links in raw HTML (`<a href>`, `<img src>`, media `src`, `<iframe src>`)
//! are links like `[text](target)`: resolved, checked at their value and
//! written relative (issue #15).

use crate::harness::{Book, main_of};
use crate::site::link_problems;

/// The `href`s and `src`s of raw HTML on the fixture's SOP page, as written.
const WRITTEN: &[&str] = &[
    "<a href=\"run-payroll.html\">rooted</a>",
    "<a href=\"index.html\">folder</a>",
    "<a href=\"run-payroll.html#step-2\">unquoted</a>",
    "<img src=\"../payroll/img/chart.png\" alt=\"chart\">",
    "<a href=\"run-payroll.html#totals\" title=\"t\">totals</a>",
    "<a href=\"mailto:ops@example.com\">ops</a>",
    "<a href=\"https://example.com/x\">the guide</a>",
    "<a href=\"#step-1\">first step</a>",
];

#[test]
fn raw_html_links_resolve_and_are_written_relative() {
    let book = Book::fixture("raw-links");
    book.build().success().stderr_lacks("warning");
    let raw = book.read("site/pay/raw.html");
    let main = main_of(&raw);
    for written in WRITTEN {
        assert!(main.contains(written), "{written} missing from\n{main}");
    }
    let home = book.read("site/home.html");
    assert!(home.contains("<a href=\"pay/raw.html\">raw links</a>"));
    assert!(home.contains("<img src=\"payroll/img/chart.png\" alt=\"chart\">"));
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
}

#[cfg(feature = "sanitize")]
#[test]
fn raw_html_links_survive_sanitize_html() {
    let book = Book::fixture("raw-links");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Raw links\"\n[build]\nsanitize-html = true\n",
    );
    book.build().success();
    let raw = book.read("site/pay/raw.html");
    let main = main_of(&raw);
    for written in WRITTEN {
        assert!(main.contains(written), "{written} missing from\n{main}");
    }
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
}

const BROKEN: &str = "+++
title = \"Bad\"
process = \"pay\"
+++
<table>
<tr>
<td>x</td>
<td><a href=\"/payroll/run-payrol\">a</a></td>
</tr>
</table>

1. See <img src=\"img/missing.png\" alt=\"m\">.
2. And <a href=nowhere.md>n</a> and <a href='run-payroll.md#step-9'>s</a>.
";

#[test]
fn broken_raw_html_links_are_found_at_their_values() {
    let book = Book::fixture("raw-links");
    book.write("content/payroll/bad.md", BROKEN);
    book.build()
        .code(1)
        .stderr_has("error[broken-link]: no page at `/payroll/run-payrol`")
        .stderr_has("--> content/payroll/bad.md:8:14")
        .stderr_has("did you mean `payroll/run-payroll.md`?")
        .stderr_has("error[missing-asset]: no file at `img/missing.png`")
        .stderr_has("--> content/payroll/bad.md:12:18")
        .stderr_has("error[broken-link]: no page at `nowhere.md`")
        .stderr_has("--> content/payroll/bad.md:13:16")
        .stderr_has("`run-payroll` has no anchor `#step-9`")
        .stderr_has("--> content/payroll/bad.md:13:46")
        .stderr_has("Nothing written");
}

#[test]
fn ids_in_raw_html_are_anchors_a_link_may_reach() {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Ids\"\n")
        .write(
            "content/naming.md",
            "+++\ntitle = \"Naming\"\n+++\n<a id=\"c-free\"></a>\n## C free\n\nText.\n\n<p>See <a name=\"top\">the top</a>.</p>\n",
        )
        .write(
            "content/checklist.md",
            "+++\ntitle = \"Checklist\"\n+++\n- [free](naming.md#c-free), [top](naming.md#top), [heading](naming.md#c-free-1), [none](naming.md#c-fre)\n",
        );
    let run = book.run(&["check"]);
    run.code(1)
        .stderr_has("`naming` has no anchor `#c-fre`")
        .stderr_lacks("anchor `#c-free`")
        .stderr_lacks("anchor `#top`")
        .stderr_lacks("anchor `#c-free-1`");
    book.write(
        "content/checklist.md",
        "+++\ntitle = \"Checklist\"\n+++\n- [free](naming.md#c-free), [top](naming.md#top), [heading](naming.md#c-free-1)\n",
    );
    book.build().success();
    // The raw id is written as it is; the heading that would take it moves.
    let naming = book.read("site/naming.html");
    assert!(naming.contains("<a id=\"c-free\"></a>"), "{naming}");
    assert!(naming.contains("id=\"c-free-1\""), "{naming}");
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
}
