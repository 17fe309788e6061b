//! The author's order: `[book] groups` orders the process groups on the
//! home page and in nav.js (the groups it does not list follow,
//! alphabetically); `weight` is Zola's and Hugo's name for `order`.

use crate::harness::Book;

/// Where each of `needles` is in `text`, in the order given; fails when
/// one is missing.
#[track_caller]
fn positions(text: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            text.find(n)
                .unwrap_or_else(|| panic!("{n:?} is not in the page"))
        })
        .collect()
}

#[track_caller]
fn assert_in_order(text: &str, needles: &[&str]) {
    let at = positions(text, needles);
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "not in the order {needles:?}: {at:?}"
    );
}

#[test]
fn listed_groups_come_first_in_their_order_then_the_others_alphabetically() {
    let book = Book::fixture("groups-order");
    book.build().success().stderr_lacks("warning");
    let home = book.read("site/index.html");
    // Listed: Support, Finance; then Admin and zoo (not listed, by name
    // without case); the processes with no group last.
    assert_in_order(
        &home,
        &[
            "<h2>Support</h2>",
            ">B support</a>",
            ">A support</a>",
            "<h2>Finance</h2>",
            ">Pay suppliers</a>",
            "<h2>Admin</h2>",
            "<h2>zoo</h2>",
            ">Loose ends</a>",
        ],
    );
    let nav = book.read("site/nav.js");
    let json = nav
        .strip_prefix("window.SOPBOOK_NAV=")
        .and_then(|s| s.trim_end().strip_suffix(';'))
        .expect("nav.js assigns one object");
    let nav: serde_json::Value = serde_json::from_str(json).expect("nav.js holds JSON");
    let groups = nav["groups"].as_array().expect("groups");
    let names: Vec<Option<&str>> = groups.iter().map(|g| g["name"].as_str()).collect();
    assert_eq!(
        names,
        [
            Some("Support"),
            Some("Finance"),
            Some("Admin"),
            Some("zoo"),
            None
        ]
    );
    let support: Vec<&str> = groups[0]["processes"]
        .as_array()
        .expect("processes")
        .iter()
        .filter_map(|p| p["title"].as_str())
        .collect();
    assert_eq!(support, ["B support", "A support"], "by weight, not title");
}

#[test]
fn weight_orders_pages_as_order_does_in_toml_and_yaml() {
    let book = Book::fixture("groups-order");
    book.build().success();
    // zeta.md has `weight: 1` (YAML), alpha.md `order = 2` (TOML).
    assert_in_order(
        &book.read("site/index.html"),
        &[">Zeta page</a>", ">Alpha page</a>"],
    );
}

#[test]
fn a_listed_group_no_process_is_in_is_a_warning_at_its_place() {
    let book = Book::fixture("groups-order");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Groups\"\ngroups = [\"Finance\", \"Suport\"]\n",
    );
    book.run(&["check"])
        .success()
        .stderr_has(
            "warning[unused-group]: no process is in the group `Suport`\n --> book.toml:3:22",
        )
        .stderr_has("help: did you mean `Support`?");
    book.run(&["check", "--deny-warnings"]).code(1);
    // The order still holds for the groups that are listed.
    book.build().success();
    assert_in_order(
        &book.read("site/index.html"),
        &["<h2>Finance</h2>", "<h2>Admin</h2>", "<h2>Support</h2>"],
    );
}

#[test]
fn a_group_listed_twice_is_a_config_error() {
    let book = Book::fixture("groups-order");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Groups\"\ngroups = [\"Support\", \"Finance\", \"Support\"]\n",
    );
    book.build().code(1).stderr_has(
        "error[config]: the group `Support` is listed twice in `groups`\n --> book.toml:3:33",
    );
    assert!(!book.site().exists());
}

#[test]
fn order_and_weight_together_are_an_error_at_the_second() {
    let book = Book::fixture("groups-order");
    book.write(
        "content/both.md",
        "+++\ntitle = \"Both\"\norder = 1\nweight = 2\n+++\nText.\n",
    )
    .write(
        "content/both-yaml.md",
        "---\ntitle: Both in YAML\nweight: 2\norder: 1\n---\nText.\n",
    );
    book.build()
        .code(1)
        .stderr_has(
            "error[front-matter]: `weight` and `order` are both given: they are one key\n --> content/both.md:4:1",
        )
        .stderr_has(
            "error[front-matter]: `order` and `weight` are both given: they are one key\n --> content/both-yaml.md:4:1",
        )
        .stderr_has("`weight` is Zola's and Hugo's name for `order`");
}
