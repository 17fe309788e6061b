//! A book's brand without a theme of its own (issue #17): `extra-css`,
//! `extra-js`, `favicon` and `logo` on every page, the `head`, `header` and
//! `footer` blocks an override fills without copying base.html, and
//! `sopbook theme export` for a full override.

use std::path::Path;
use std::process::Command;

use crate::harness::{Book, tree};

/// Commits the book, so it has a history and a `changes.html`.
fn commit_all(root: &Path) {
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["add", "-A"],
        &["commit", "-q", "-m", "Brand the handbook"],
    ] {
        let out = Command::new("git")
            .current_dir(root)
            .args(args)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "Ada")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", "2026-11-01T10:00:00Z")
            .env("GIT_COMMITTER_DATE", "2026-11-01T10:00:00Z")
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}");
    }
}

/// The HTML pages of a built site, with the prefix from each to the root.
fn pages(site: &Path) -> Vec<(String, String, String)> {
    tree(site)
        .into_iter()
        .filter(|(path, _)| path.ends_with(".html"))
        .map(|(path, bytes)| {
            let root = "../".repeat(path.matches('/').count());
            (path, root, String::from_utf8(bytes).expect("UTF-8 page"))
        })
        .collect()
}

#[test]
fn brand_keys_are_on_every_page_in_order_and_relative() {
    let book = Book::fixture("brand");
    commit_all(&book.root);
    book.build().success();
    let pages = pages(&book.site());
    let names: Vec<&str> = pages.iter().map(|(p, _, _)| p.as_str()).collect();
    for kind in [
        "index.html",
        "404.html",
        "reviews.html",
        "roles.html",
        "changes.html",
        "contacts.html",
        "open-shop/index.html",
        "open-shop/print.html",
        "open-shop/unlock.html",
    ] {
        assert!(names.contains(&kind), "{kind} in {names:?}");
    }
    for (path, root, html) in &pages {
        let head = &html[..html.find("</head>").expect("</head>")];
        let at = |needle: String| {
            head.find(&needle)
                .unwrap_or_else(|| panic!("{path}: no {needle}\n{head}"))
        };
        // After the theme's stylesheet and scripts, in the order given.
        let order = [
            at(format!(
                r#"<link rel="stylesheet" href="{root}_theme/style.css">"#
            )),
            at(format!(r#"<script src="{root}_theme/sopbook.js" defer>"#)),
            at(format!(
                r#"<link rel="stylesheet" href="{root}brand/acme.css">"#
            )),
            at(format!(
                r#"<link rel="stylesheet" href="{root}brand/print.css">"#
            )),
            at(format!(
                r#"<script src="{root}brand/acme.js" defer></script>"#
            )),
        ];
        assert!(order.is_sorted(), "{path}: out of order {order:?}");
        at(format!(
            r#"<link rel="icon" href="{root}brand/favicon.png" type="image/png">"#
        ));
        assert!(
            !html.contains("favicon.svg"),
            "{path}: the default icon too"
        );
        assert!(
            html.contains(&format!(
                r#"<a class="site-title" href="{root}index.html"><img class="site-logo" src="{root}brand/logo.svg" alt=""><span class="site-title-text">Acme Handbook</span></a>"#
            )),
            "{path}: logo"
        );
    }
    // Published once, as they are, like any other file of the content dir.
    assert_eq!(
        book.read("site/brand/acme.js"),
        book.read("content/brand/acme.js")
    );
    assert_eq!(
        std::fs::read(book.root.join("site/brand/favicon.png")).expect("icon"),
        std::fs::read(book.root.join("content/brand/favicon.png")).expect("icon")
    );
}

#[test]
fn logo_alt_and_an_absolute_404() {
    let book = Book::fixture("brand");
    let toml = book.read("book.toml") + "logo-alt = \"Acme & Co. \\\"home\\\"\"\n";
    book.write("book.toml", toml);
    book.run(&["build", "--base-url", "https://acme.example/help/"])
        .success();
    let home = book.read("site/index.html");
    assert!(
        home.contains(
            r#"<img class="site-logo" src="brand/logo.svg" alt="Acme &amp; Co. &quot;home&quot;">"#
        ),
        "{home}"
    );
    // A 404 page is served at any path: with a base URL its links are absolute.
    let missing = book.read("site/404.html");
    assert!(
        missing
            .contains(r#"<link rel="stylesheet" href="https://acme.example/help/brand/acme.css">"#)
    );
    assert!(missing.contains(
        r#"<link rel="icon" href="https://acme.example/help/brand/favicon.png" type="image/png">"#
    ));
}

#[test]
fn without_brand_keys_the_default_icon_and_no_logo() {
    let book = Book::fixture("brand");
    book.write("book.toml", "[book]\ntitle = \"Acme Handbook\"\n");
    book.build().success();
    for (path, root, html) in pages(&book.site()) {
        assert!(
            html.contains(&format!(
                r#"<link rel="icon" href="{root}_theme/favicon.svg" type="image/svg+xml">"#
            )),
            "{path}"
        );
        assert!(
            !html.contains("site-logo") && !html.contains("brand/"),
            "{path}"
        );
        // The empty blocks leave no blank line behind.
        assert!(html.contains("defer></script>\n</head>"), "{path}");
        assert!(html.contains("</button>\n</header>"), "{path}");
        assert!(html.contains("sopbook</p>\n</footer>"), "{path}");
    }
}

#[test]
fn a_missing_brand_file_is_an_error_at_its_path_in_book_toml() {
    let book = Book::fixture("brand");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Acme\"\n\n[build]\nextra-css = [\"brand/acme.css\", \"brand/acme-dark.css\"]\nlogo = \"content/brand/logo.svg\"\nfavicon = \"brand/favicn.png\"\n",
    );
    for command in ["build", "check"] {
        book.run(&[command])
            .code(1)
            .stderr_has("error[config]: `extra-css` names content/brand/acme-dark.css, which does not exist")
            .stderr_has("--> book.toml:5:32")
            .stderr_has("error[config]: `logo` names content/content/brand/logo.svg")
            .stderr_has("--> book.toml:6:8")
            .stderr_has("paths here are from the content dir: `brand/logo.svg`")
            .stderr_has("--> book.toml:7:11")
            .stderr_has("did you mean `brand/favicon.png`?");
    }
    assert!(!book.site().exists());
}

#[test]
fn a_brand_file_of_the_wrong_kind_or_from_elsewhere_is_an_error() {
    let book = Book::fixture("brand");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Acme\"\n\n[build]\nextra-js = [\"brand/acme.css\"]\nextra-css = [\"https://cdn.example/x.css\"]\nfavicon = \"brand/logo.gif\"\nlogo = \"../logo.svg\"\n",
    );
    book.build()
        .code(1)
        .stderr_has("`extra-js` must name a .js file, not `brand/acme.css`")
        .stderr_has("--> book.toml:5:13")
        .stderr_has("`extra-css` must be a file of the book, not a URL")
        .stderr_has("--> book.toml:6:14")
        .stderr_has("`favicon` must name a .svg, .png or .ico file")
        .stderr_has("--> book.toml:7:11")
        .stderr_has("`logo` must be a file inside the content dir")
        .stderr_has("--> book.toml:8:8");
}

/// A theme fills the blocks of the default base.html from its own
/// base.html, which extends the default one under `default/`: nothing
/// copied, and every page has them.
#[test]
fn an_override_fills_the_blocks_without_copying_base_html() {
    let book = Book::fixture("brand");
    book.write("book.toml", "[book]\ntitle = \"Acme Handbook\"\n\n[build]\ntheme = \"acme\"\n")
        .write(
            "themes/acme/templates/base.html",
            "{% extends \"default/base.html\" %}\
             {% block head %}<link rel=\"stylesheet\" href=\"{{ site.theme }}acme.css\">{% endblock head %}\
             {% block header %}<a class=\"acme-help\" href=\"https://help.acme.example/\">Help desk</a>{% endblock header %}\
             {% block footer %}<p class=\"acme-legal\">© Acme {{ site.title }}</p>{% endblock footer %}",
        )
        .write(
            "themes/acme/templates/page.html",
            "{% extends \"base.html\" %}\
             {% block head %}{{ super() }}<meta name=\"acme-page\" content=\"{{ view.id }}\">{% endblock head %}\
             {% block content %}<article>{{ view.body_html | safe }}</article>{% endblock content %}",
        )
        .write("themes/acme/static/acme.css", ".acme-help { float: right; }\n");
    book.build().success();
    for (path, root, html) in pages(&book.site()) {
        let head_end = html.find("</head>").expect("</head>");
        let css = format!(r#"<link rel="stylesheet" href="{root}_theme/acme.css">"#);
        let css_at = html.find(&css).expect("head block");
        assert!(
            css_at < head_end && css_at > html.find("sopbook.js").expect("script"),
            "{path}: head block\n{html}"
        );
        let header_end = html.find("</header>").expect("</header>");
        let help = html.find("acme-help").expect("header block");
        assert!(
            help > html.find("theme-toggle").expect("toggle") && help < header_end,
            "{path}"
        );
        assert!(
            html.contains("<p class=\"acme-legal\">© Acme Acme Handbook</p></footer>"),
            "{path}"
        );
        // The rest is the default base.html.
        assert!(html.contains("<nav id=\"site-nav\""), "{path}");
        let page_meta = html.find("<meta name=\"acme-page\"");
        assert_eq!(page_meta.is_some(), path == "contacts.html", "{path}");
        if let Some(at) = page_meta {
            assert!(
                at < head_end && at > html.find("acme.css").expect("css"),
                "{path}"
            );
        }
    }
}

#[test]
fn the_default_prefix_is_kept_for_the_built_in_templates() {
    let book = Book::fixture("theme-override");
    book.write("themes/custom/templates/default/base.html", "mine");
    book.build()
        .code(2)
        .stderr_has("the folder `default/` of a theme's templates holds the built-in templates");
}

#[test]
fn theme_export_writes_a_theme_that_builds_the_same_site() {
    let book = Book::fixture("brand");
    book.build().success();
    let before = tree(&book.site());
    book.run(&["theme", "export"])
        .success()
        .stderr_has("created themes/default/templates/base.html")
        .stderr_has("created themes/default/static/style.css")
        .stderr_has("Wrote the default theme (15 files) to themes/default.")
        .stderr_has("A book in this folder uses them now");
    let exported = tree(&book.root.join("themes/default"));
    assert_eq!(exported.len(), 15, "{:?}", exported.keys());
    assert!(
        exported.contains_key("templates/sop.html") && exported.contains_key("static/sopbook.js")
    );
    // Read from the folder now, and the same to the byte.
    book.build().success();
    let after = tree(&book.site());
    assert_eq!(
        before.keys().collect::<Vec<_>>(),
        after.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &before {
        assert!(after[path] == *bytes, "{path} differs");
    }
    // A changed template is the one used: the folder really is the theme.
    let base = book.read("themes/default/templates/base.html");
    book.write(
        "themes/default/templates/base.html",
        base.replace("<body ", "<body data-exported=\"1\" "),
    );
    book.build().success();
    assert!(book.read("site/index.html").contains("data-exported=\"1\""));
}

#[test]
fn theme_export_refuses_a_folder_with_files_in_it() {
    let book = Book::fixture("brand");
    book.write("themes/acme/templates/page.html", "mine");
    book.run(&["theme", "export", "themes/acme"])
        .code(2)
        .stderr_has("themes/acme is not empty");
    assert_eq!(book.read("themes/acme/templates/page.html"), "mine");
    assert!(!book.root.join("themes/acme/static").exists());
    // Another folder under themes/: the book names it to use it.
    book.run(&["theme", "export", "themes/plain"])
        .success()
        .stderr_has("Set `theme = \"plain\"` under [build]");
    std::fs::create_dir_all(book.root.join("empty")).expect("mkdir");
    book.run(&["theme", "export", "empty"])
        .success()
        .stderr_has("Move the folder to themes/<name>/");
    book.write("a-file", "x");
    book.run(&["theme", "export", "a-file"])
        .code(2)
        .stderr_has("a-file exists and is not a folder");
}
