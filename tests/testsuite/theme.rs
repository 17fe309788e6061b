//! A book overrides single templates and static files of the default theme.

use crate::harness::Book;

#[test]
fn one_template_and_a_static_file_override_the_default_theme() {
    let book = Book::fixture("theme-override");
    book.build().success();
    let page = book.read("site/about.html");
    assert!(
        page.contains("<div class=\"custom-page\">About</div>"),
        "overridden page.html"
    );
    assert!(
        page.contains("class=\"site-header\""),
        "base.html still the default"
    );
    assert_eq!(book.read("site/_theme/extra.css"), "body { color: red; }\n");
    assert!(
        book.site().join("_theme/style.css").is_file(),
        "default static files stay"
    );
}

#[test]
fn an_unknown_theme_is_a_clear_error() {
    let book = Book::fixture("theme-override");
    std::fs::remove_dir_all(book.root.join("themes")).expect("rm");
    book.build().code(2).stderr_has("theme `custom` not found");
}

#[test]
fn a_broken_template_names_itself() {
    let book = Book::fixture("theme-override");
    book.write(
        "themes/custom/templates/page.html",
        "{% extends \"base.html\" %}{% block content %}{{ view.title {% endblock content %}",
    );
    book.build().code(2).stderr_has("page.html");
    assert!(!book.site().exists());
}

/// A theme folder is walked by the content dir's rules: an editor's
/// backup of a template, half-edited, is not a template.
#[test]
fn editor_leftovers_in_a_theme_are_not_read() {
    let book = Book::fixture("theme-override");
    let broken =
        "{% extends \"base.html\" %}{% block content %}{{ view.title {% endblock content %}";
    book.write("themes/custom/templates/page.html~", broken)
        .write("themes/custom/templates/.page.html.swp", broken)
        .write("themes/custom/static/extra.css~", "old");
    book.build().success();
    assert!(!book.site().join("_theme/extra.css~").exists());
    assert!(book.read("site/about.html").contains("custom-page"));
}
