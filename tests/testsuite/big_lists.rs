//! The files that list the whole book stay small as it grows (issue #18):
//! `nav.js` lists the processes and each process's SOPs are a script of
//! their own; the reviews and the roles run on over pages past a page's
//! worth; the home page of a book of many processes lists them one line
//! each. A generated book of 120 processes and 1,200 SOPs is enough to
//! cross every threshold.

use crate::harness::{Book, tree};
use crate::site::script_json;

const PROCESSES: usize = 120;
const SOPS_EACH: usize = 10;
const ROLES: [&str; 3] = ["Clerk", "Approver", "Auditor"];

/// Process `p007` has branches `a` and `b`; its SOPs `p007-s0`… alternate between them.
/// One SOP in seven was reviewed long ago (overdue), one in five never; the
/// owners are four teams, and each SOP names two roles.
fn big_book() -> Book {
    let book = Book::empty();
    book.write(
        "book.toml",
        "[book]\ntitle = \"Big\"\n\n[build]\nhistory = false\nreview-every = \"12 months\"\n",
    );
    for p in 0..PROCESSES {
        book.write(
            &format!("content/p{p:03}/process.md"),
            format!(
                "+++\nkind = \"process\"\ntitle = \"Process {p:03}\"\noutcome = \"Done {p}.\"\nowner = \"Team {}\"\n\n[[branches]]\nid = \"a\"\nwhen = \"case a\"\n\n[[branches]]\nid = \"b\"\nwhen = \"case b\"\n+++\nText.\n",
                p % 4
            ),
        );
        for s in 0..SOPS_EACH {
            let n = p * SOPS_EACH + s;
            let reviewed = match n {
                n if n % 7 == 0 => "reviewed = 2020-01-01\n",
                n if n % 5 == 0 => "",
                _ => "reviewed = 2026-06-01\n",
            };
            book.write(
                &format!("content/p{p:03}/p{p:03}-s{s}.md"),
                format!(
                    "+++\ntitle = \"Step {n:04}\"\nprocess = \"p{p:03}\"\nbranch = \"{}\"\nowner = \"Team {}\"\n{reviewed}roles = [\"{}\", \"{}\"]\n+++\n1. Do {n}.\n",
                    if s % 2 == 0 { "a" } else { "b" },
                    n % 4,
                    ROLES[n % 3],
                    ROLES[(n + 1) % 3],
                ),
            );
        }
    }
    book
}

/// The `href`s of `html`'s elements matching `open` (`<a href="` by default).
fn hrefs<'a>(html: &'a str, open: &str) -> Vec<&'a str> {
    html.split(open)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect()
}

/// The SOPs a reviews page lists: the rows of its owners' tables.
fn rows(html: &str) -> usize {
    html.split("<section class=\"review-group\">")
        .skip(1)
        .map(|s| {
            s[..s.find("</section>").expect("end")]
                .matches("</tr>")
                .count()
                - 1
        })
        .sum()
}

/// The pagination of a page.
fn pages_nav(html: &str) -> String {
    let start = html.find("<nav class=\"pagination\"").expect("pagination");
    let end = start + html[start..].find("</nav>").expect("end of pagination");
    html[start..end].to_owned()
}

#[test]
fn nav_js_lists_processes_and_each_process_has_its_own_script() {
    let book = big_book();
    book.build().success();
    let site = book.site();
    let files = tree(&site);
    let nav = String::from_utf8_lossy(&files["nav.js"]).into_owned();
    // A process is one line of about a hundred bytes; no SOP is named.
    let bound = 2_000 + 150 * PROCESSES;
    assert!(
        nav.len() < bound,
        "nav.js is {} bytes, more than {bound} for {PROCESSES} processes",
        nav.len()
    );
    assert!(!nav.contains("Step 0001"), "nav.js names an SOP");
    let value = script_json(&nav);
    let processes: Vec<&serde_json::Value> = value["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .flat_map(|g| g["processes"].as_array().expect("processes"))
        .collect();
    assert_eq!(processes.len(), PROCESSES);
    assert_eq!(processes[7]["nav"], "nav/p007.js");
    // Each process's script holds its branches and SOPs, filed under the
    // process's URL in nav.js.
    let part = String::from_utf8_lossy(&files["nav/p007.js"]).into_owned();
    assert!(
        part.starts_with(
            "(window.SOPBOOK_NAV_PROCESSES=window.SOPBOOK_NAV_PROCESSES||{})[\"p007/index.html\"]={"
        ),
        "{part}"
    );
    let part = script_json(&part[part.find("]=").expect("value") + 2..]);
    let branches = part["branches"].as_array().expect("branches");
    assert_eq!(branches.len(), 2);
    assert_eq!(branches[0]["url"], "p007/index.html#branch-a");
    assert_eq!(branches[0]["sops"][0]["url"], "p007/p007-s0.html");
    assert_eq!(branches[1]["sops"][0]["title"], "Step 0071");
    assert_eq!(
        files.keys().filter(|p| p.starts_with("nav/")).count(),
        PROCESSES
    );
    // The pages of a process load its script with the page, after nav.js.
    let sop = book.read("site/p007/p007-s3.html");
    let at = |needle: &str| {
        sop.find(needle)
            .unwrap_or_else(|| panic!("no {needle} in the SOP page"))
    };
    assert!(
        at("<script src=\"../nav.js\" defer></script>")
            < at("<script src=\"../nav/p007.js\" defer></script>")
    );
    assert!(
        book.read("site/p007/index.html")
            .contains("<script src=\"../nav/p007.js\" defer>")
    );
    assert!(!book.read("site/index.html").contains("nav/p0"));
}

#[test]
fn reviews_run_on_over_pages_with_links_between_them() {
    let book = big_book();
    book.build().success();
    let site = book.site();
    let total = PROCESSES * SOPS_EACH;
    // 500 to a page: 1,200 SOPs take three.
    assert!(site.join("reviews/2.html").exists() && site.join("reviews/3.html").exists());
    assert!(!site.join("reviews/4.html").exists() && !site.join("reviews/1.html").exists());
    let first = book.read("site/reviews.html");
    let second = book.read("site/reviews/2.html");
    let third = book.read("site/reviews/3.html");
    assert_eq!(rows(&first), 500);
    assert_eq!(rows(&second), 500);
    assert_eq!(rows(&third), total - 1000);
    // Each page says which it is, in its title and heading.
    assert!(
        second.contains("<title>Reviews, page 2 of 3 · Big</title>"),
        "{second}"
    );
    assert!(second.contains("<span class=\"muted page-number\">page 2 of 3</span>"));
    // Previous and next, and every page by number, the current one marked.
    let nav = pages_nav(&first);
    assert!(!nav.contains("rel=\"prev\""), "{nav}");
    assert_eq!(
        hrefs(&nav, "<a href=\""),
        [
            "reviews.html",
            "reviews/2.html",
            "reviews/3.html",
            "reviews/2.html"
        ]
    );
    assert!(
        nav.contains("<a href=\"reviews.html\" aria-current=\"page\" aria-label=\"Page 1\">1</a>"),
        "{nav}"
    );
    let nav = pages_nav(&second);
    assert_eq!(
        hrefs(&nav, "<a href=\""),
        [
            "../reviews.html",
            "../reviews.html",
            "2.html",
            "3.html",
            "3.html"
        ]
    );
    assert!(
        nav.contains("rel=\"prev\">Previous page</a>")
            && nav.contains("rel=\"next\">Next page</a>"),
        "{nav}"
    );
    let nav = pages_nav(&third);
    assert!(!nav.contains("rel=\"next\""), "{nav}");
    // The counts are the whole list's on every page.
    assert!(third.contains(&format!("{total} SOPs")), "{third}");
    // Overdue first: the first page opens with overdue rows, the last has none.
    let list = &first[first
        .find("<section class=\"review-group\">")
        .expect("a group")..];
    let first_row = &list[list.find("<tr class=").expect("a row")..];
    assert!(
        first_row.starts_with("<tr class=\"overdue\">"),
        "{first_row:.200}"
    );
    assert!(!third.contains("<tr class=\"overdue\">"));
    // The first page lists the owners; each link leads to the page and
    // heading where that owner's list starts.
    let owners = &first[first
        .find("<section class=\"review-owners\">")
        .expect("owners")..];
    let owners = &owners[..owners.find("</section>").expect("end")];
    let links = hrefs(owners, "<a href=\"");
    assert_eq!(links.len(), 4, "{owners}");
    for link in links {
        let (page, anchor) = link.split_once('#').expect("a fragment");
        let html = book.read(&format!("site/{page}"));
        assert!(html.contains(&format!("<h2 id=\"{anchor}\">")), "{link}");
    }
    // An owner whose list runs on is "continued", without the id again.
    assert!(second.contains(" (continued)</h2>"), "{second}");
}

#[test]
fn roles_run_on_over_pages_and_an_sop_links_to_the_page_of_its_role() {
    let book = big_book();
    book.build().success();
    let site = book.site();
    // 2,400 lines (each SOP under two roles), 1,000 to a page.
    assert!(site.join("roles/3.html").exists() && !site.join("roles/4.html").exists());
    let first = book.read("site/roles.html");
    assert!(first.contains("<section class=\"role-index\">"), "{first}");
    assert!(
        first.contains("<span class=\"muted\">800 documents</span>"),
        "{first}"
    );
    // "Approver" and "Auditor" start on page 1, "Clerk" on page 2.
    let sop = book.read("site/p000/p000-s0.html");
    assert!(sop.contains("href=\"../roles/2.html#role-clerk\""), "{sop}");
    assert!(
        sop.contains("href=\"../roles.html#role-approver\""),
        "{sop}"
    );
    assert!(
        book.read("site/roles/2.html")
            .contains("<h2 id=\"role-clerk\">Clerk</h2>")
    );
    assert!(!book.read("site/roles/3.html").contains("id=\"role-clerk\""));
}

#[test]
fn the_home_page_of_many_processes_lists_them_one_line_each() {
    let book = big_book();
    book.build().success();
    let home = book.read("site/index.html");
    assert!(
        !home.contains("class=\"card"),
        "cards on a home page of {PROCESSES} processes"
    );
    assert!(home.contains("<table class=\"process-table\">"));
    assert!(home.contains(
        "<tr><td><a href=\"p007/index.html\">Process 007</a></td><td>Team 3</td><td>10</td></tr>"
    ));
    assert!(
        home.len() < 200 * PROCESSES + 20_000,
        "home page: {} bytes",
        home.len()
    );
}

#[test]
fn a_file_of_the_book_on_the_path_of_a_list_page_or_a_process_script_is_refused() {
    let book = big_book();
    book.write("content/reviews/2.html", "<p>mine</p>")
        .write("content/nav/p001.js", "// mine");
    book.build()
        .code(1)
        .stderr_has("`reviews/2.html` would be written twice")
        .stderr_has("`nav/p001.js` would be written twice");
}
