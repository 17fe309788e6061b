//! `sopbook import`: real sources of each tool (excerpts under
//! tests/fixtures/import/) become books that build, whose `check` reports
//! exactly the links IMPORT.md lists as reaching nothing; the source is
//! never written; each construct is converted as docs/import.md says.

use std::collections::BTreeMap;

use crate::harness::{Book, copy_dir, fixtures, tree};
use crate::site::link_problems;

/// A copy of `tests/fixtures/import/<name>` at `src` in a fresh folder.
fn source(name: &str) -> Book {
    let book = Book::empty();
    copy_dir(
        &fixtures().join("import").join(name),
        &book.root.join("src"),
    );
    book
}

/// A finding of `check --format json`: (file under content/, line, message).
fn link_findings(book: &Book, dest: &str) -> Vec<(String, u64, String)> {
    let run = book.run(&["check", dest, "--format", "json"]);
    run.success();
    run.stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("one JSON object per line"))
        .filter(|j| matches!(j["rule"].as_str(), Some("broken-link" | "missing-asset")))
        .map(|j| {
            let file = j["file"].as_str().unwrap_or_default();
            let file = file.split_once("content/").map_or(file, |(_, f)| f);
            (
                file.to_owned(),
                j["line"].as_u64().unwrap_or(0),
                j["message"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// The rows of IMPORT.md's "Links that reach nothing": (file, line, link).
fn dangling(report: &str) -> Vec<(String, u64, String)> {
    let Some(section) = report.split("## Links that reach nothing").nth(1) else {
        return Vec::new();
    };
    let section = section.split("\n## ").next().unwrap_or("");
    section
        .lines()
        .filter_map(|l| {
            let rest = l.strip_prefix("| `content/")?;
            let (place, rest) = rest.split_once("` | `")?;
            let (link, _) = rest.split_once("` |")?;
            let (file, line) = place.rsplit_once(':')?;
            Some((
                file.to_owned(),
                line.parse().ok()?,
                link.replace("\\|", "|"),
            ))
        })
        .collect()
}

/// Each finding of `check` is a link IMPORT.md lists, and each listed link
/// is a finding: nothing silent, nothing invented.
fn assert_same_links(book: &Book, dest: &str) {
    let report = book.read(&format!("{dest}/IMPORT.md"));
    let listed = dangling(&report);
    let found = link_findings(book, dest);
    let matches = |(file, line, message): &(String, u64, String),
                   (f, l, link): &(String, u64, String)| {
        let path = link.split('#').next().unwrap_or("");
        let anchor = link.rsplit('#').next().unwrap_or("");
        file == f
            && (line == l
                || (!path.is_empty() && message.contains(path))
                || message.contains(&format!("#{anchor}`")))
    };
    for finding in &found {
        assert!(
            listed.iter().any(|row| matches(finding, row)),
            "{dest}: check reports {finding:?}, which IMPORT.md does not list\n{report}"
        );
    }
    for row in &listed {
        assert!(
            found.iter().any(|finding| matches(finding, row)),
            "{dest}: IMPORT.md lists {row:?}, which check does not report: {found:#?}"
        );
    }
}

#[test]
fn each_real_source_becomes_a_book_whose_check_reports_what_import_listed() {
    let cases = [
        ("mdbook", "mdBook"),
        ("mkdocs", "MkDocs"),
        ("docusaurus", "Docusaurus"),
        ("hugo", "Hugo"),
        ("jekyll", "Jekyll"),
        ("eleventy", "Eleventy"),
        ("middleman", "Middleman"),
        ("wiki", "GitHub wiki"),
        ("plain", "plain Markdown"),
    ];
    for (name, flavor) in cases {
        let book = source(name);
        let before = tree(&book.root.join("src"));
        book.run(&["import", "src", "out"])
            .success()
            .stderr_has(&format!("Importing src ({flavor})"))
            .stderr_has("Next: sopbook check ");
        assert_eq!(
            before,
            tree(&book.root.join("src")),
            "{name}: import wrote inside SRC"
        );
        let pages_in = before
            .keys()
            .filter(|p| {
                let l = p.to_lowercase();
                (l.ends_with(".md") || l.ends_with(".erb") || l.ends_with(".mdx"))
                    && !l.ends_with("summary.md")
                    && !l.ends_with("source.md")
                    && !l.contains("_sidebar")
                    && !l.contains("_footer")
                    && !l.starts_with("license")
            })
            .count();
        let pages_out = tree(&book.root.join("out/content"))
            .keys()
            .filter(|p| p.ends_with(".md"))
            .count();
        assert!(
            pages_out * 10 >= pages_in * 9,
            "{name}: {pages_out} pages written of {pages_in}"
        );
        assert_same_links(&book, "out");
        book.run(&["build", "out"]).success();
        assert!(book.root.join("out/site/index.html").is_file());
        // Every broken link of the built site is one `check` reported
        // (written as it was written, so its target names it).
        let findings = link_findings(&book, "out");
        for problem in link_problems(&book.root.join("out/site")) {
            if problem.contains("duplicate id") {
                panic!("{name}: {problem}");
            }
            let url = problem.split('"').nth(1).unwrap_or_default();
            // A URL made by a template tag is a `template-syntax` warning.
            if ["<%", "{{", "{%"].iter().any(|t| url.contains(t)) {
                continue;
            }
            let (path, fragment) = url.split_once('#').unwrap_or((url, ""));
            // A process's printable version prefixes its SOPs' ids.
            let fragment = match fragment.split_once("--") {
                Some((_, own))
                    if problem.starts_with(&format!(
                        "{}/print.html",
                        problem.split('/').next().unwrap_or("")
                    )) =>
                {
                    own
                }
                _ => fragment,
            };
            let named = |m: &String| {
                (!path.is_empty() && m.contains(path))
                    || (!fragment.is_empty() && m.contains(&format!("#{fragment}`")))
            };
            assert!(
                findings.iter().any(|(_, _, m)| named(m)),
                "{name}: the built site has {problem}, which check did not report: {findings:#?}"
            );
        }
    }
}

#[test]
fn mdbook_order_sections_and_steps_come_from_summary() {
    let book = source("mdbook");
    book.run(&["import", "src", "out"]).success();
    // The chapter with children is a process; its numbered page an SOP.
    let process = book.read("out/content/arc-mutex/arc-and-mutex.md");
    assert!(
        process.starts_with("+++\nkind = \"process\"\n"),
        "{process}"
    );
    assert!(
        process.contains("[[branches]]\nid = \"arc-clone\""),
        "{process}"
    );
    let sop = book.read("out/content/arc-mutex/arc-clone.md");
    assert!(
        sop.contains("process = \"arc-and-mutex\"\nbranch = \"arc-clone\""),
        "{sop}"
    );
    // SUMMARY.md's order, not the file names'.
    let order = |rel: &str| -> i64 {
        let text = book.read(&format!("out/content/{rel}"));
        let line = text
            .lines()
            .find(|l| l.starts_with("order = "))
            .expect("order");
        line["order = ".len()..].parse().expect("a number")
    };
    // Processes in the order of their chapters; pages in reading order.
    assert!(order("meet-safe-and-unsafe.md") < order("arc-mutex/arc-and-mutex.md"));
    assert!(order("intro.md") < order("what-unsafe-does.md"));
    assert!(order("arc-mutex/arc.md") < order("arc-mutex/arc-layout.md"));
    assert!(order("arc-mutex/arc-layout.md") < order("arc-mutex/arc-clone.md"));
    // mdBook's `# Summary` is the file's title, not a section.
    assert!(!book.read("out/IMPORT.md").contains("| Summary |"));
    // An image next to a page is copied.
    assert!(
        book.root
            .join("out/content/img/safeandunsafe.svg")
            .is_file()
    );
    // The built book: no group, so the home page says "Processes"; a
    // branch named like its SOP is left out of the SOP's trail.
    book.run(&["build", "out"]).success();
    let home = book.read("out/site/index.html");
    assert!(
        home.contains("<h2>Processes</h2>") && !home.contains("Other processes"),
        "{home}"
    );
    let sop = book.read("out/site/arc-and-mutex/arc-clone.html");
    let trail = sop
        .split("class=\"breadcrumbs\"")
        .nth(1)
        .and_then(|t| t.split("</nav>").next())
        .expect("breadcrumbs");
    assert!(!trail.contains(">Cloning</a>"), "{trail}");
    assert!(
        sop.contains("<p class=\"kicker\">SOP · <a href=\"index.html\">"),
        "{sop}"
    );
    assert!(!sop.contains("branch-arc-clone\">Cloning</a></p>"), "{sop}");
}

/// Writes `files` under `src`, imports, and returns the book.
fn import_source(files: &[(&str, &str)]) -> Book {
    let book = Book::empty();
    for (rel, text) in files {
        book.write(&format!("src/{rel}"), text);
    }
    book.run(&["import", "src", "out"]).success();
    book
}

#[test]
fn mdbook_includes_and_admonish_blocks_are_converted_and_includes_stay_inside_src() {
    let book = Book::empty();
    book.write("secret.txt", "TOP SECRET\n");
    for (rel, text) in [
        ("src/book.toml", "[book]\ntitle = \"Ops\"\n"),
        (
            "src/src/SUMMARY.md",
            "# Summary\n\n- [Deploy](deploy/index.md)\n  - [Roll back](deploy/rollback.md)\n",
        ),
        ("src/src/deploy/index.md", "# Deploy\n\nHow we ship.\n"),
        (
            "src/src/deploy/rollback.md",
            "# Roll back\n\n```admonish warning title=\"Data loss\"\nBack up first.\n```\n\n1. Stop the service.\n2. Restore:\n\n```sh\n{{#include restore.sh:2:3}}\n```\n\n{{#include ../../../secret.txt}}\n",
        ),
        (
            "src/src/deploy/restore.sh",
            "#!/bin/sh\npg_restore db.dump\nsystemctl start app\nexit 0\n",
        ),
    ] {
        book.write(rel, text);
    }
    book.run(&["import", "src", "out"]).success();
    let sop = book.read("out/content/deploy/rollback.md");
    assert!(
        sop.contains("title = \"Roll back\"\nprocess = \"deploy\"\nbranch = \"rollback\""),
        "{sop}"
    );
    assert!(
        sop.contains("!!! warning \"Data loss\"\n    Back up first.\n"),
        "{sop}"
    );
    assert!(
        sop.contains("```sh\npg_restore db.dump\nsystemctl start app\n```"),
        "{sop}"
    );
    assert!(
        !sop.contains("TOP SECRET"),
        "an include read a file outside SRC:\n{sop}"
    );
    assert!(sop.contains("{{#include ../../../secret.txt}}"), "{sop}");
    // The `# Roll back` heading became the title, not a second heading.
    assert!(!sop.contains("# Roll back"), "{sop}");
    let report = book.read("out/IMPORT.md");
    assert!(
        report.contains("reaches no file in the source: left as written"),
        "{report}"
    );
}

#[test]
fn docusaurus_admonitions_site_paths_and_category_pages() {
    let book = import_source(&[
        (
            "docusaurus.config.js",
            "module.exports = { title: 'Ops', url: 'https://ops.example', baseUrl: '/handbook/' };\n",
        ),
        (
            "sidebars.js",
            "module.exports = { docs: ['intro', { type: 'category', label: 'Runbooks', link: { type: 'generated-index' }, items: ['runbooks/restart'] }] };\n",
        ),
        (
            "docs/intro.md",
            "---\ntitle: Introduction\n---\nSee [the runbooks](/docs/category/runbooks), [restart](/handbook/docs/runbooks/restart#check-it) and [again](@site/docs/runbooks/restart.md).\n",
        ),
        (
            "docs/runbooks/restart.mdx",
            "---\ntitle: Restart the app\n---\nimport Tabs from '@theme/Tabs';\n\n:::tip[Before you start]\nTell the team in [the intro](../intro).\n:::\n\n1. Drain traffic.\n2. Restart.\n\n## Check it\n\nLook at the graphs.\n",
        ),
    ]);
    let intro = book.read("out/content/intro.md");
    assert!(
        intro.contains("[the runbooks](runbooks/process.md)"),
        "{intro}"
    );
    assert!(
        intro.contains("[restart](runbooks/restart.md#check-it)"),
        "{intro}"
    );
    assert!(intro.contains("[again](runbooks/restart.md)"), "{intro}");
    let sop = book.read("out/content/runbooks/restart.md");
    assert!(
        sop.contains(
            "!!! tip \"Before you start\"\n    Tell the team in [the intro](../intro.md).\n"
        ),
        "{sop}"
    );
    assert!(!sop.contains("import Tabs"), "{sop}");
    assert!(
        book.read("out/IMPORT.md")
            .contains("MDX `import Tabs from '@theme/Tabs';` dropped")
    );
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn hugo_refs_callouts_and_pretty_urls() {
    let book = import_source(&[
        (
            "hugo.toml",
            "title = \"Ops\"\nbaseURL = \"https://ops.example/\"\n",
        ),
        (
            "content/_index.md",
            "---\ntitle: Home\n---\nStart with [billing](/billing/).\n",
        ),
        (
            "content/billing/_index.md",
            "---\ntitle: Billing\ndescription: Customers pay on time\nweight: 1\n---\nSee [the invoice]({{< ref \"invoice\" >}}).\n",
        ),
        (
            "content/billing/invoice.md",
            "---\ntitle: Send an invoice\nweight: 2\n---\n{{% notice warning %}}\nCheck the [VAT rules]({{< relref \"vat.md#rates\" >}}).\n{{% /notice %}}\n\n1. Open the ledger.\n2. Send it.\n",
        ),
        (
            "content/billing/vat.md",
            "---\ntitle: VAT\nweight: 3\n---\n## Rates\n\nTwenty percent. Back to [invoices](../invoice/).\n",
        ),
    ]);
    let process = book.read("out/content/billing/_index.md");
    assert!(process.contains("kind = \"process\""), "{process}");
    assert!(
        process.contains("outcome = \"Customers pay on time\""),
        "{process}"
    );
    assert!(
        process.contains("See [the invoice](invoice.md)."),
        "{process}"
    );
    let sop = book.read("out/content/billing/invoice.md");
    assert!(
        sop.contains("!!! warning\n    Check the [VAT rules](vat.md#rates).\n"),
        "{sop}"
    );
    assert!(
        book.read("out/content/billing/vat.md")
            .contains("[invoices](invoice.md)")
    );
    assert!(
        book.read("out/content/index.md")
            .contains("[billing](billing/_index.md)")
    );
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn jekyll_link_tags_highlight_raw_and_callouts() {
    let book = import_source(&[
        (
            "_config.yml",
            "title: Ops\nbaseurl: /ops\npermalink: pretty\n",
        ),
        (
            "index.md",
            "---\ntitle: Home\n---\nRead [the guide]({% link docs/guide.md %}#setup) or [this]({{ site.baseurl }}/docs/guide/).\n",
        ),
        ("docs/index.md", "---\ntitle: Docs\n---\nAll guides.\n"),
        (
            "docs/guide.md",
            "---\ntitle: Guide\nnav_order: 1\n---\n## Setup\n\n{: .note }\nSet up first.\n\n{% highlight ruby %}\nputs \"{{ hi }}\"\n{% endhighlight %}\n\n{% raw %}Write {{ name }} here.{% endraw %}\n\n1. Clone.\n2. Run.\n",
        ),
    ]);
    let home = book.read("out/content/index.md");
    assert!(home.contains("[the guide](docs/guide.md#setup)"), "{home}");
    assert!(home.contains("[this](docs/guide.md)"), "{home}");
    let guide = book.read("out/content/docs/guide.md");
    assert!(guide.contains("!!! note\n    Set up first.\n"), "{guide}");
    assert!(guide.contains("```ruby\nputs \"{{ hi }}\"\n```"), "{guide}");
    assert!(guide.contains("Write {{ name }} here."), "{guide}");
    assert!(!guide.contains("{% raw %}"), "{guide}");
    let run = book.run(&["check", "out"]);
    run.success().stderr_has("template-syntax");
    assert_same_links(&book, "out");
}

#[test]
fn wiki_links_and_images_point_at_files() {
    let book = import_source(&[
        (
            "Home.md",
            "Welcome. See [[Getting started|Getting-Started]] and [[Release Process]].\n",
        ),
        (
            "_Sidebar.md",
            "**Start**\n* [[Getting-Started]]\n* [[Release Process]]\n",
        ),
        (
            "Getting-Started.md",
            "[[images/setup.png|alt=The setup screen]]\n\nFirst read [[the process|release process#tag-it]].\n",
        ),
        ("Release-Process.md", "## Tag it\n\n1. Tag.\n2. Push.\n"),
        ("images/setup.png", "PNG"),
    ]);
    let home = book.read("out/content/index.md");
    assert!(
        home.contains("[Getting started](Getting-Started.md)"),
        "{home}"
    );
    assert!(
        home.contains("[Release Process](Release-Process.md)"),
        "{home}"
    );
    let start = book.read("out/content/Getting-Started.md");
    assert!(
        start.contains("![The setup screen](images/setup.png)"),
        "{start}"
    );
    assert!(
        start.contains("[the process](Release-Process.md#tag-it)"),
        "{start}"
    );
    assert!(book.root.join("out/content/images/setup.png").is_file());
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn mkdocs_anchors_written_for_python_markdown_reach_their_heading() {
    let book = import_source(&[
        (
            "mkdocs.yml",
            "site_name: Ops\nnav:\n  - Home: index.md\n  - Guides:\n    - guides/deploy.md\n",
        ),
        (
            "docs/index.md",
            "# Ops\n\nSee [step one](guides/deploy.md#step-1-build) and [Q&A](guides/deploy.md#q-a).\n",
        ),
        (
            "docs/guides/deploy.md",
            "# Deploy\n\n## Step 1 - Build\n\nBuild.\n\n## Q & A\n\nAsk.\n",
        ),
    ]);
    let home = book.read("out/content/index.md");
    assert!(home.contains("(guides/deploy.md#step-1---build)"), "{home}");
    assert!(home.contains("(guides/deploy.md#q--a)"), "{home}");
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn import_refuses_a_non_empty_dest_and_a_dest_inside_src() {
    let book = source("plain");
    book.write("out/keep.txt", "mine");
    book.run(&["import", "src", "out"])
        .code(2)
        .stderr_has("is not empty");
    assert_eq!(book.read("out/keep.txt"), "mine");
    assert_eq!(
        std::fs::read_dir(book.root.join("out"))
            .expect("out")
            .count(),
        1
    );
    let before = tree(&book.root.join("src"));
    book.run(&["import", "src", "src/book"])
        .code(2)
        .stderr_has("import never writes inside its source");
    assert_eq!(before, tree(&book.root.join("src")));
    book.run(&["import", "missing"])
        .code(2)
        .stderr_has("cannot read missing");
    // DEST defaults to SRC-sopbook beside SRC; an empty DEST is fine.
    book.run(&["import", "src"]).success();
    assert!(book.root.join("src-sopbook/book.toml").is_file());
    std::fs::create_dir(book.root.join("empty")).expect("mkdir");
    book.run(&["import", "src", "empty"]).success();
    let left: BTreeMap<String, Vec<u8>> = tree(&book.root)
        .into_iter()
        .filter(|(p, _)| p.contains(".import-"))
        .collect();
    assert!(left.is_empty(), "staging left behind: {:?}", left.keys());
}

#[cfg(unix)]
#[test]
fn a_symlink_out_of_src_is_neither_read_nor_copied() {
    let book = Book::empty();
    book.write("secret.png", "SECRET");
    book.write("src/a.md", "![x](img/leak.png) and ![y](../secret.png)\n");
    std::fs::create_dir_all(book.root.join("src/img")).expect("mkdir");
    std::os::unix::fs::symlink(
        book.root.join("secret.png"),
        book.root.join("src/img/leak.png"),
    )
    .expect("symlink");
    book.run(&["import", "src", "out"]).success();
    let copied = tree(&book.root.join("out"));
    assert!(
        !copied.values().any(|bytes| bytes == b"SECRET"),
        "{:?}",
        copied.keys()
    );
    let report = book.read("out/IMPORT.md");
    assert!(
        report.contains(
            "| `img/leak.png` | reaches a file outside the source, which is not copied |"
        ),
        "{report}"
    );
    assert!(
        report.contains("| `../secret.png` | reaches no page or file of the source |"),
        "{report}"
    );
    assert_same_links(&book, "out");
}

#[test]
fn a_page_whose_front_matter_is_broken_keeps_its_text() {
    let book = import_source(&[
        ("a.md", "---\ntitle: [unclosed\n---\nThe text stays.\n"),
        ("b.md", "Links to [a](a.md).\n"),
    ]);
    let a = book.read("out/content/a.md");
    assert!(a.contains("The text stays."), "{a}");
    assert!(
        book.read("out/IMPORT.md")
            .contains("the front matter could not be read")
    );
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn mkdocs_python_tags_tabs_and_code_inside_admonitions() {
    let book = import_source(&[
        (
            "mkdocs.yml",
            "site_name: Ops Guide\nnav:\n  - Home: index.md\n  - Runbooks:\n    - runbooks/deploy.md\nmarkdown_extensions:\n  - pymdownx.emoji:\n      emoji_index: !!python/name:material.extensions.emoji.twemoji\n  - pymdownx.slugs:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n        kwds:\n          case: lower\nextra:\n  analytics: !ENV GOOGLE_KEY\n",
        ),
        (
            "docs/index.md",
            "# Ops Guide\n\nStart with [deploying](runbooks/deploy.md) and [the upgrade](upgrade.md).\n",
        ),
        (
            "docs/upgrade.md",
            "# Upgrade\n\nUpgrade [by tag][tags], or read [the tags][tags] again.\n\n[tags]: missing.md\n",
        ),
        (
            "docs/runbooks/deploy.md",
            "# Deploy\n\n=== \"pip\"\n\n    Run this:\n\n    ```\n    pip install {{ version }}\n    ```\n\n=== \"docker\"\n\n    Pull the image.\n\n!!! example\n\n    ```yaml\n    key: {{ value }}\n    ```\n\n1. Build.\n2. Ship.\n",
        ),
        (
            "docs/runbooks/upgrade.md",
            "# Upgrade the runbooks\n\nText.\n",
        ),
    ]);
    // The config is read despite its Python tags: title and nav.
    assert!(book.read("out/book.toml").contains("title = \"Ops Guide\""));
    let sop = book.read("out/content/runbooks/deploy.md");
    assert!(
        sop.contains("**pip**\n\n\nRun this:\n\n```\npip install {{ version }}\n```"),
        "{sop}"
    );
    assert!(sop.contains("**docker**\n\n\nPull the image."), "{sop}");
    assert!(
        sop.contains("!!! example\n\n    ```yaml\n    key: {{ value }}\n    ```"),
        "{sop}"
    );
    let report = book.read("out/IMPORT.md");
    assert!(
        !report.contains("template syntax"),
        "code is no template:\n{report}"
    );
    // The page nearer the top keeps the plain id.
    assert!(!book.read("out/content/upgrade.md").contains("id = "));
    assert!(
        book.read("out/content/runbooks/upgrade.md")
            .contains("id = \"runbooks-upgrade\"")
    );
    // A definition that reaches nothing is listed where each link uses it.
    assert!(
        report.contains("| `content/upgrade.md:7` | `missing.md` |"),
        "{report}"
    );
    assert_eq!(report.matches("`missing.md`").count(), 2, "{report}");
    assert_same_links(&book, "out");
}

#[test]
fn hugo_includes_snippets_code_and_media_shortcodes() {
    let book = import_source(&[
        ("hugo.toml", "title = \"Ops\"\n"),
        (
            "content/_common/_index.md",
            "---\nbuild:\n  render: never\n  list: never\n---\n",
        ),
        (
            "content/_common/warn.md",
            "---\n---\nNever run this on a Friday.\n",
        ),
        (
            "content/ops/deploy.md",
            "---\ntitle: Deploy\n---\n{{% include \"/_common/warn.md\" %}}\n\n{{< highlight go >}}\nfmt.Println(1)\n{{< /highlight >}}\n\n{{< figure src=\"/img/flow.png\" alt=\"The flow\" >}}\n\n{{< new-in 0.120.0 >}} {{< youtube dQw4w9WgXcQ >}}\n\n1. Build.\n2. Ship.\n",
        ),
        ("static/img/flow.png", "PNG"),
    ]);
    let sop = book.read("out/content/ops/deploy.md");
    assert!(sop.contains("Never run this on a Friday."), "{sop}");
    assert!(sop.contains("```go\nfmt.Println(1)\n```"), "{sop}");
    assert!(sop.contains("![The flow](../img/flow.png)"), "{sop}");
    assert!(
        sop.contains(
            "*New in v0.120.0* [Video on YouTube](https://www.youtube.com/watch?v=dQw4w9WgXcQ)"
        ),
        "{sop}"
    );
    assert!(
        !book.root.join("out/content/_common").exists(),
        "a never-rendered snippet became a page"
    );
    assert!(book.read("out/IMPORT.md").contains("Hugo never renders it"));
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn docusaurus_partials_docs_root_links_and_sidebar_labels() {
    let book = import_source(&[
        (
            "docusaurus.config.js",
            "module.exports = { title: 'Ops' };\n",
        ),
        (
            "sidebars.js",
            "module.exports = { docs: [{ type: 'category', label: 'API Reference', items: ['api/store', 'api/compose'] }] };\n",
        ),
        (
            "docs/api/store.md",
            "# Store\n\n### dispatch(action)\n\nSends it.\n",
        ),
        (
            "docs/api/compose.md",
            "# compose\n\nSee [dispatch](api/store.md#dispatchaction).\n",
        ),
        (
            "docs/api/_warning.mdx",
            "> [!WARNING]\n> Read the [store](store.md) first.\n",
        ),
        (
            "docs/guide.mdx",
            "---\ntitle: Guide\n---\nimport Warning from './api/_warning.mdx';\n\n<Warning />\n\nThen [compose](api/compose.md).\n",
        ),
    ]);
    let guide = book.read("out/content/guide.md");
    assert!(
        guide.contains("> [!WARNING]\n> Read the [store](api/store.md) first."),
        "{guide}"
    );
    assert!(!book.root.join("out/content/api/_warning.md").exists());
    assert!(
        book.read("out/content/api/compose.md")
            .contains("[dispatch](store.md#dispatchaction)")
    );
    assert!(
        book.read("out/content/api/process.md")
            .contains("title = \"API Reference\"")
    );
    book.run(&["check", "out", "--deny-warnings"]).success();
}

#[test]
fn jekyll_toc_and_review_dates_and_mdbook_hidden_lines() {
    let book = import_source(&[
        ("_config.yml", "title: Ops\n"),
        (
            "guides/casks.md",
            "---\ntitle: Casks\nlast_review_date: \"2026-01-15\"\n---\n* Table of Contents\n{:toc}\n\n1. Read.\n2. Write.\n",
        ),
    ]);
    let sop = book.read("out/content/guides/casks.md");
    assert!(sop.contains("reviewed = 2026-01-15"), "{sop}");
    assert!(
        !sop.contains("Table of Contents") && !sop.contains("{:toc}"),
        "{sop}"
    );

    let book = import_source(&[
        ("book.toml", "[book]\ntitle = \"Rust\"\n"),
        (
            "src/SUMMARY.md",
            "# Summary\n\n- [`Option` and you](option.md)\n",
        ),
        (
            "src/option.md",
            "Text.\n\n```rust\n# fn main() {\nlet x = 1;\n#[derive(Debug)]\nstruct S;\n# }\n```\n",
        ),
    ]);
    let page = book.read("out/content/option.md");
    assert!(page.contains("title = \"Option and you\""), "{page}");
    assert!(
        page.contains("```rust\nlet x = 1;\n#[derive(Debug)]\nstruct S;\n```"),
        "{page}"
    );
}

#[test]
fn key_value_heading_ids_and_definition_lists_come_through() {
    let book = import_source(&[
        ("mkdocs.yml", "site_name: Ops\n"),
        (
            "docs/index.md",
            "# Ops\n\nSee [paths](ref/options.md#navigation-path) and [terms](ref/options.md#glossary).\n",
        ),
        (
            "docs/ref/options.md",
            "# Options\n\n## Navigation path { id=navigation-path }\n\nText.\n\n## Glossary {: #glossary }\n\nWorker\n:   A process that runs jobs.\n\n    1. It starts.\n    2. It stops.\n",
        ),
    ]);
    // Not an SOP: the numbered list is inside a definition.
    let page = book.read("out/content/ref/options.md");
    assert!(!page.contains("process = "), "{page}");
    assert!(
        book.read("out/content/index.md")
            .contains("(ref/options.md#navigation-path)")
    );
    book.run(&["check", "out", "--deny-warnings"]).success();
    book.run(&["build", "out"]).success();
    let html = book.read("out/site/options.html");
    assert!(html.contains("<dt>Worker</dt>"), "{html}");
}

#[cfg(unix)]
#[test]
fn a_failure_half_way_leaves_no_dest_and_no_staging() {
    use std::os::unix::fs::PermissionsExt;
    let book = Book::empty();
    book.write("src/a.md", "1. One.\n2. Two.\n");
    book.write("src/img/locked.png", "PNG");
    let locked = book.root.join("src/img/locked.png");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).expect("chmod");
    let wrapper = crate::harness::unprivileged(&book, &locked);
    if wrapper.is_empty() {
        return; // not root: the file is unreadable to us as well, nothing to drop
    }
    let parent = book.root.join("dest");
    std::fs::create_dir(&parent).expect("mkdir");
    std::fs::set_permissions(&parent, std::fs::Permissions::from_mode(0o777)).expect("chmod");
    book.run_via(&wrapper, &["import", "src", "dest/out"])
        .code(2)
        .stderr_has("cannot copy")
        .stderr_has("locked.png");
    assert_eq!(
        std::fs::read_dir(&parent).expect("dest").count(),
        0,
        "DEST or staging left behind"
    );
}
