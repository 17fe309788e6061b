//! Document control (SPEC §8): revision, approval, roles, superseded and
//! retired documents, `roles.html`, `superseded-link` and `role-spelling`.

use crate::harness::Book;
use crate::site::link_problems;

/// A process with two branches: the normal run (its SOP revised and
/// approved), an old run superseded by it, and a retired fax procedure.
fn book() -> Book {
    let book = Book::empty();
    book.write("book.toml", "[book]\ntitle = \"Control\"\n")
        .write(
            "content/pay/process.md",
            "+++\nkind = \"process\"\nid = \"pay\"\ntitle = \"Pay people\"\noutcome = \"Paid on time\"\nrevision = \"B\"\n\n[[branches]]\nid = \"normal\"\nwhen = \"A pay period closes\"\n\n[[branches]]\nid = \"fax\"\nwhen = \"The bank asks for a fax\"\n+++\nHow we pay.\n",
        )
        .write(
            "content/pay/run.md",
            "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\nbranch = \"normal\"\nrevision = 4\neffective = 2026-12-15\napproved-by = \"Head of Finance\"\napproved = 2026-11-20\nroles = [\"Payroll clerk\", \"Approver\"]\n+++\n1. Export.\n2. Check.\n",
        )
        .write(
            "content/pay/old-run.md",
            "+++\ntitle = \"Run payroll (2024)\"\nprocess = \"pay\"\nbranch = \"normal\"\nsuperseded-by = \"run\"\nroles = [\"Payroll clerk\"]\nreviewed = 2020-01-01\nreview-every = \"1 year\"\n+++\n1. Export by hand.\n2. Check.\n\nSee [[fax]].\n",
        )
        .write(
            "content/pay/fax.md",
            "+++\ntitle = \"Fax the bank\"\nprocess = \"pay\"\nbranch = \"fax\"\nretired = 2025-06-30\n+++\n1. Find the fax machine.\n2. Send.\n",
        )
        .write(
            "content/guide.md",
            "+++\ntitle = \"Guide\"\n+++\nRead [[old-run]] and embed:\n\n![[fax]]\n\nand [[run]].\n",
        );
    book
}

#[test]
fn superseded_and_retired_sops_are_written_with_a_banner_and_nowhere_else() {
    let book = book();
    let run = book.run(&["build", "--today", "2026-11-25"]);
    run.success()
        .stderr_has("warning[superseded-link]: this page links to `old-run`, which is superseded")
        .stderr_has(
            "warning[superseded-link]: this page embeds `fax`, which was retired on 2025-06-30",
        )
        .stderr_has("help: link to its replacement instead: [[run]] (Run payroll)")
        .stderr_has(" --> content/guide.md:4:6");
    // A superseded page linking to a retired one is no warning.
    assert!(
        !run.stderr.contains("content/pay/old-run.md"),
        "{}",
        run.stderr
    );
    let old = book.read("site/pay/old-run.html");
    assert!(
        old.contains("<strong>Superseded.</strong> This is no longer the current version: use <a href=\"run.html\">Run payroll</a>."),
        "{old}"
    );
    // Long unreviewed, but no review is due on what is no longer in use.
    assert!(!old.contains("Review due"), "{old}");
    let fax = book.read("site/pay/fax.html");
    assert!(
        fax.contains(
            "<strong>Retired</strong> on <time datetime=\"2025-06-30\">30 June 2025</time>"
        ),
        "{fax}"
    );
    // Out of the navigation (the process's part of it), the branch map,
    // the branch lists and search.
    let nav = book.read("site/nav/pay.js");
    assert!(nav.contains("pay/run.html"), "{nav}");
    assert!(
        !nav.contains("old-run") && !nav.contains("pay/fax.html"),
        "{nav}"
    );
    let process = book.read("site/pay/index.html");
    let (current, former) = process
        .split_once("id=\"superseded-and-retired\"")
        .expect("a Superseded and retired section");
    assert!(
        !current.contains("old-run.html") && !current.contains("fax.html"),
        "{current}"
    );
    assert!(
        current.contains("No SOP walks this branch yet."),
        "{current}"
    );
    assert!(former.contains("<a href=\"old-run.html\">Run payroll (2024)</a> <span class=\"muted\">— superseded by <a href=\"run.html\">Run payroll</a></span>"), "{former}");
    assert!(
        former.contains("retired on <time datetime=\"2025-06-30\">30 June 2025</time>"),
        "{former}"
    );
    let search: String = std::fs::read_dir(book.site().join("search"))
        .expect("search dir")
        .map(|e| std::fs::read_to_string(e.expect("entry").path()).expect("read"))
        .collect();
    assert!(search.contains("pay/run.html"));
    assert!(!search.contains("old-run.html") && !search.contains("pay/fax.html"));
    assert!(search.contains("\"clerk\""), "roles are searchable");
    // Reviews and the home page count current SOPs only.
    let home = book.read("site/index.html");
    assert!(home.contains("1 SOP"), "{home}");
    assert!(!book.read("site/reviews.html").contains("old-run"));
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
}

#[test]
fn control_facts_show_in_the_header_and_roles_html_lists_who_does_what() {
    let book = book();
    book.run(&["build", "--today", "2026-11-25"]).success();
    let run = book.read("site/pay/run.html");
    assert!(
        run.contains("<div><dt>Revision</dt><dd>4</dd></div>"),
        "{run}"
    );
    assert!(
        run.contains("<div><dt>Takes effect on</dt><dd><time datetime=\"2026-12-15\">15 December 2026</time></dd></div>"),
        "{run}"
    );
    assert!(
        run.contains("<div><dt>Approved</dt><dd>by Head of Finance on <time datetime=\"2026-11-20\">20 November 2026</time></dd></div>"),
        "{run}"
    );
    assert!(
        run.contains("<div><dt>Roles</dt><dd><a href=\"../roles.html#role-payroll-clerk\">Payroll clerk</a>, <a href=\"../roles.html#role-approver\">Approver</a></dd></div>"),
        "{run}"
    );
    assert!(
        book.read("site/pay/index.html")
            .contains("<div><dt>Revision</dt><dd>B</dd></div>")
    );
    // Once the date has come, it is "Effective".
    book.run(&["build", "--today", "2026-12-15"]).success();
    assert!(
        book.read("site/pay/run.html")
            .contains("<dt>Effective</dt>")
    );
    let roles = book.read("site/roles.html");
    assert!(
        roles.contains("<h2 id=\"role-payroll-clerk\">Payroll clerk</h2>"),
        "{roles}"
    );
    assert!(
        roles.contains("<h3 class=\"role-process\"><a href=\"pay/index.html\">Pay people</a></h3>"),
        "{roles}"
    );
    // The superseded SOP names the role too, but is not listed.
    assert!(
        roles.contains("<a href=\"pay/run.html\">Run payroll</a>") && !roles.contains("old-run"),
        "{roles}"
    );
    assert!(
        book.read("site/nav.js")
            .contains("\"roles\":\"roles.html\"")
    );
    // A book whose SOPs name no role has no roles.html.
    let plain = Book::fixture("full");
    plain.build().success();
    assert!(!plain.site().join("roles.html").exists());
    assert!(plain.read("site/nav.js").contains("\"roles\":null"));
}

#[test]
fn control_keys_are_typed_and_replacements_checked() {
    let book = book();
    book.write(
        "content/pay/run.md",
        "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\nbranch = \"normal\"\nrevision = 1.5\neffective = \"soon\"\nroles = [\"Payroll clerk\", 3]\n+++\n1. Export.\n2. Check.\n",
    )
    .write(
        "content/pay/old-run.md",
        "+++\ntitle = \"Run payroll (2024)\"\nprocess = \"pay\"\nbranch = \"normal\"\nsuperseded-by = \"gide\"\n+++\n1. Export by hand.\n",
    )
    .write(
        "content/pay/fax.md",
        "+++\ntitle = \"Fax the bank\"\nprocess = \"pay\"\nbranch = \"fax\"\nsuperseded-by = \"fax\"\n+++\n1. Send.\n",
    );
    let run = book.run(&["check"]);
    run.code(1)
        .stderr_has(
            "error[front-matter]: `revision` must be a number or a short string such as \"B\"",
        )
        .stderr_has(" --> content/pay/run.md:5:12")
        .stderr_has("`effective` is not a valid date: `soon`")
        .stderr_has("`roles` must be a list of role names")
        .stderr_has("error[broken-link]: `superseded-by` names an unknown id `gide`")
        .stderr_has("did you mean `guide`?")
        .stderr_has("error[broken-link]: `fax` cannot supersede itself");
}

#[test]
fn a_chain_of_replacements_ends_at_the_current_one_and_a_circle_is_an_error() {
    let book = book();
    book.write(
        "content/pay/older-run.md",
        "+++\ntitle = \"Run payroll (2020)\"\nprocess = \"pay\"\nbranch = \"normal\"\nsuperseded-by = \"old-run\"\n+++\n1. Write cheques.\n",
    );
    book.run(&["build", "--today", "2026-11-25"]).success();
    assert!(
        book.read("site/pay/older-run.html")
            .contains("use <a href=\"run.html\">Run payroll</a>")
    );
    book.write(
        "content/pay/run.md",
        "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\nbranch = \"normal\"\nsuperseded-by = \"older-run\"\n+++\n1. Export.\n",
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("is superseded in a circle: nothing current replaces it");
}

#[test]
fn a_replacement_that_is_still_a_draft_leaves_the_old_sop_current() {
    let book = book();
    book.write(
        "content/pay/run.md",
        "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\nbranch = \"normal\"\ndraft = true\n+++\n1. Export.\n2. Check.\n",
    )
    .write("content/guide.md", "+++\ntitle = \"Guide\"\n+++\nRead [[old-run]].\n");
    book.run(&["build", "--today", "2026-11-25"]).success();
    assert!(!book.read("site/pay/old-run.html").contains("Superseded."));
    assert!(book.read("site/nav/pay.js").contains("old-run"));
    // With drafts on, the draft replaces it.
    book.run(&["build", "--drafts", "--today", "2026-11-25"])
        .success();
    assert!(book.read("site/pay/old-run.html").contains("Superseded."));
}

#[test]
fn roles_spelled_two_ways_are_one_role_and_a_warning() {
    let book = book();
    book.write(
        "content/pay/fax.md",
        "+++\ntitle = \"Fax the bank\"\nprocess = \"pay\"\nbranch = \"fax\"\nroles = [\"payroll  Clerk\"]\n+++\n1. Send.\n2. Wait.\n",
    );
    let run = book.run(&["build", "--today", "2026-11-25"]);
    run.success().stderr_has(
        "warning[role-spelling]: the role `payroll  Clerk` is also spelled `Payroll clerk`",
    );
    let roles = book.read("site/roles.html");
    assert_eq!(
        roles.matches("<h2 id=\"role-payroll-clerk\">").count(),
        1,
        "{roles}"
    );
    assert!(
        roles.contains("<a href=\"pay/fax.html\">Fax the bank</a>"),
        "{roles}"
    );
}

#[test]
fn each_process_has_a_printable_version_of_its_current_sops() {
    let book = book();
    book.write(
        "book.toml",
        "[book]\ntitle = \"Control\"\n\n[build]\nbase-url = \"https://handbook.example/ops/\"\n",
    );
    book.run(&["build", "--today", "2026-11-25"]).success();
    let process = book.read("site/pay/index.html");
    assert!(
        process.contains("<a href=\"print.html\">Print this process</a>"),
        "{process}"
    );
    let print = book.read("site/pay/print.html");
    // The current SOP, with its document control; not the superseded or
    // retired ones.
    assert_eq!(
        print.matches("<article class=\"print-sop\"").count(),
        1,
        "{print}"
    );
    assert!(
        print.contains("<article class=\"print-sop\" id=\"sop-run\">"),
        "{print}"
    );
    assert!(
        !print.contains("Run payroll (2024)") && !print.contains("Fax the bank</h2>"),
        "{print}"
    );
    assert!(
        print.contains("<tr><th scope=\"row\">Revision</th><td>4</td></tr>"),
        "{print}"
    );
    assert!(print.contains("<tr><th scope=\"row\">Effective</th><td><time datetime=\"2026-12-15\">15 December 2026</time> (not yet)</td></tr>"), "{print}");
    assert!(
        print.contains("Printed copies are uncontrolled. Current version: <span class=\"current-url\">https://handbook.example/ops/pay/run.html</span>"),
        "{print}"
    );
    // Steps keep their numbers, under ids of their own on this page.
    assert!(print.contains("id=\"sop-run--step-1\""), "{print}");
    assert!(!print.contains(" id=\"step-1\""), "{print}");
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
    // An SOP cannot take the printable version's path.
    book.write(
        "content/pay/print.md",
        "+++\ntitle = \"Print\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Print.\n",
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("`pay/print.html` would be written twice: for the printable version of `pay` and for `print` (pay/print.md)");
}

#[test]
fn links_to_a_place_in_the_same_sop_stay_on_the_print_page() {
    let book = book();
    // One SOP in its process's folder, one in another folder: the print
    // page reuses the first's body and makes the second's, alike.
    book.write(
        "content/pay/run.md",
        "+++\ntitle = \"Run payroll\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Export.\n2. Check the [[run#totals]].\n\n## Totals\n\nSum them.\n",
    )
    .write(
        "content/desk/wire.md",
        "+++\ntitle = \"Wire the pay\"\nprocess = \"pay\"\nbranch = \"normal\"\n+++\n1. Wire it within the [limits](#limits).\n2. See [[run#totals]].\n\n## Limits\n\nTen.\n",
    );
    book.run(&["build", "--today", "2026-11-25"]).success();
    let run = book.read("site/pay/run.html");
    assert!(run.contains("<a href=\"#totals\">"), "{run}");
    let print = book.read("site/pay/print.html");
    for expected in [
        "<a href=\"#sop-run--totals\">",
        "id=\"sop-run--totals\"",
        "<a href=\"#sop-wire--limits\">",
        "id=\"sop-wire--limits\"",
        // Another SOP's place is on that SOP's page.
        "<a href=\"run.html#totals\">",
    ] {
        assert!(print.contains(expected), "{expected} in {print}");
    }
    assert!(!print.contains("wire.html#limits"), "{print}");
    // run.md names no role now: the superseded SOP's role is on no list,
    // so its page names it without a link to roles.html.
    let old = book.read("site/pay/old-run.html");
    assert!(
        old.contains("<dt>Roles</dt><dd>Payroll clerk</dd>"),
        "{old}"
    );
    assert_eq!(link_problems(&book.site()), Vec::<String>::new());
}
