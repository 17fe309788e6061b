//! `sopbook check`: each rule once at its place, no false positives, JSON
//! output, levels, --deny-warnings, --explain, --today.

use crate::harness::Book;

/// `(rule, "file:line:col")` of every finding, from `--format json`.
pub(crate) fn findings(book: &Book, args: &[&str]) -> Vec<(String, String)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let run = book.run(&all);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|line| {
            let v: serde_json::Value =
                serde_json::from_str(line).expect("one JSON object per line");
            (
                v["rule"].as_str().expect("rule").to_owned(),
                format!(
                    "{}:{}:{}",
                    v["file"].as_str().unwrap_or("-"),
                    v["line"],
                    v["column"]
                ),
            )
        })
        .collect()
}

#[track_caller]
fn triggers_once(fixture: &str, rule: &str, at: &str) {
    let book = Book::fixture(fixture);
    let found = findings(&book, &[]);
    assert_eq!(found, vec![(rule.to_owned(), at.to_owned())], "{fixture}");
}

#[test]
fn a_clean_book_triggers_nothing_even_with_a_shared_short_step() {
    let book = Book::fixture("clean");
    let run = book.run(&["check", "--deny-warnings"]);
    run.success().stderr_has("No problems in 4 files");
    assert!(!book.site().exists(), "check writes nothing");
}

#[test]
fn branch_without_sop() {
    triggers_once(
        "rule-branch-without-sop",
        "branch-without-sop",
        "content/support/process.md:12:6",
    );
}

#[test]
fn process_without_sop() {
    triggers_once(
        "rule-process-without-sop",
        "process-without-sop",
        "content/support/process.md:4:9",
    );
}

#[test]
fn automated_with_sop() {
    triggers_once(
        "rule-automated-with-sop",
        "automated-with-sop",
        "content/backup/process.md:6:13",
    );
}

#[test]
fn empty_sop() {
    triggers_once(
        "rule-empty-sop",
        "empty-sop",
        "content/support/answer.md:2:9",
    );
}

#[test]
fn review_overdue() {
    triggers_once(
        "rule-review-overdue",
        "review-overdue",
        "content/support/answer.md:6:12",
    );
}

#[test]
fn template_syntax_once_per_file_with_a_count() {
    triggers_once(
        "rule-template-syntax",
        "template-syntax",
        "content/travel.md:4:8",
    );
    Book::fixture("rule-template-syntax")
        .run(&["check"])
        .success()
        .stderr_has("(1 more in this file)");
}

#[test]
fn repeated_steps_reports_the_run_once_with_both_places() {
    let book = Book::fixture("rule-repeated-steps");
    assert_eq!(
        findings(&book, &[]),
        vec![(
            "repeated-steps".to_owned(),
            "content/support/urgent.md:7:1".to_owned()
        )]
    );
    book.run(&["check"])
        .success()
        .stderr_has(
            "warning[repeated-steps]: steps 2–3 repeat steps 2–3 of `answer` (support/answer.md)",
        )
        .stderr_has("content/support/answer.md:7:1")
        .stderr_has("the same steps here")
        .stderr_has("help: write these steps once");
}

#[test]
fn the_errors_of_the_core_build_are_check_findings_too() {
    triggers_once("err-broken-link", "broken-link", "content/pay/run.md:8:9");
    triggers_once("err-embed-cycle-2", "embed-cycle", "content/p/a.md:8:4");
    triggers_once("err-duplicate-id", "duplicate-id", "content/pay/run.md:1:1");
    triggers_once("err-config", "config", "book.toml:5:10");
    triggers_once("empty-link", "empty-link", "content/a.md:4:5");
}

#[test]
fn json_output_is_stable() {
    let book = Book::fixture("rule-repeated-steps");
    let run = book.run(&["check", "--format", "json"]);
    run.success();
    insta::assert_snapshot!("check_json_repeated_steps", run.stdout);
    assert!(
        run.stderr.is_empty(),
        "json mode prints nothing else: {}",
        run.stderr
    );
}

#[test]
fn levels_in_book_toml_raise_and_silence_rules() {
    let book = Book::fixture("rule-branch-without-sop");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Rules\"\n[check]\nbranch-without-sop = \"error\"\n",
    );
    book.run(&["check"])
        .code(1)
        .stderr_has("error[branch-without-sop]");
    book.build().code(1).stderr_has("Nothing written");
    book.write(
        "book.toml",
        "[book]\ntitle = \"Rules\"\n[check]\nbranch-without-sop = \"allow\"\n",
    );
    book.run(&["check"]).success().stderr_has("No problems");
}

#[test]
fn deny_warnings_turns_warnings_into_a_failure() {
    let book = Book::fixture("rule-empty-sop");
    book.run(&["check"])
        .success()
        .stderr_has("1 warning in 3 files");
    book.run(&["check", "--deny-warnings"])
        .code(1)
        .stderr_has("warning[empty-sop]");
}

#[test]
fn today_makes_review_overdue_appear_and_disappear() {
    let book = Book::fixture("rule-review-overdue");
    assert!(
        findings(&book, &["--today", "2026-07-09"]).is_empty(),
        "due on 2026-07-10"
    );
    assert_eq!(findings(&book, &["--today", "2026-07-10"]).len(), 1);
    book.run(&["check", "--today", "2026-13-01"])
        .code(2)
        .stderr_has("--today is not a date");
    // The site shows the badge and the reviews page lists the SOP first.
    book.run(&["build", "--today", "2026-08-01"]).success();
    assert!(
        book.read("site/support/answer.html")
            .contains("Review due</span>")
    );
    let reviews = book.read("site/reviews.html");
    assert!(reviews.contains("<h2>Support lead</h2>"));
    assert!(reviews.contains("<tr class=\"overdue\">"));
    book.run(&["build", "--today", "2026-07-01"]).success();
    assert!(
        !book
            .read("site/support/answer.html")
            .contains("Review due</span>")
    );
}

#[test]
fn explain_prints_the_rule_page() {
    let book = Book::fixture("clean");
    let run = book.run(&["check", "--explain", "repeated-steps"]);
    run.success();
    assert!(
        run.stdout.starts_with("## repeated-steps\n"),
        "{}",
        run.stdout
    );
    assert!(run.stdout.contains("**Fix.**"));
    assert!(
        !run.stdout.contains("## review-overdue"),
        "one section only"
    );
    let list = book.run(&["check", "--explain"]);
    list.success();
    assert!(list.stdout.contains("repeated-steps") && list.stdout.contains("broken-link"));
    book.run(&["check", "--explain", "repeated-step"])
        .code(2)
        .stderr_has("did you mean `repeated-steps`?");
}

#[test]
fn the_example_handbook_is_clean() {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["check", "--deny-warnings"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", crate::harness::TODAY)
        // Without the repository's history: a shallow clone (most CI
        // checkouts) would add `history-shallow`, which says nothing of
        // the book.
        .env("SOPBOOK_GIT", "/nonexistent/git")
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.starts_with("No problems in "), "{stderr}");
}

#[test]
fn build_shows_ten_warnings_of_a_rule_and_counts_the_rest_while_check_shows_all() {
    let book = Book::fixture("empty-link");
    let mut text = String::from("+++\ntitle = \"A\"\n+++\n");
    for i in 1..=13 {
        text.push_str(&format!("Form {i}: [the form]().\n\n"));
    }
    book.write("content/a.md", text);
    let build = book.build();
    build
        .success()
        .stderr_has("--> content/a.md:22:") // the tenth
        .stderr_lacks("--> content/a.md:24:") // the eleventh
        .stderr_has("… and 3 more `empty-link` warnings; `sopbook check` lists them")
        .stderr_has("13 warnings");
    assert_eq!(build.stderr.matches("warning[empty-link]").count(), 10);
    let check = book.run(&["check"]);
    assert_eq!(check.stderr.matches("warning[empty-link]").count(), 13);
    check.stderr_lacks("more `empty-link`");
}

#[test]
fn build_keeps_the_first_ten_copied_steps_and_counts_the_rest_as_check_lists_them() {
    let book = Book::fixture("rule-repeated-steps");
    // 13 more copies of answer.md's steps 2–3, written in an order that is
    // not the order of their paths.
    for i in [7, 3, 12, 1, 9, 5, 13, 2, 11, 8, 4, 10, 6] {
        book.write(
            &format!("content/support/copy-{i:02}.md"),
            format!(
                "+++\ntitle = \"Copy {i}\"\nprocess = \"support\"\nbranch = \"urgent\"\n+++\n\
                 1. Do step {i} first.\n\
                 2. Check the customer's plan in the billing tool.\n\
                 3. Look up their last three tickets in the history tab.\n"
            ),
        );
    }
    let places = |stderr: &str| -> Vec<String> {
        let lines: Vec<&str> = stderr.lines().collect();
        lines
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("warning[repeated-steps]"))
            .map(|(i, _)| lines[i + 1].trim().to_owned())
            .collect()
    };
    let check = book.run(&["check"]);
    let all = places(&check.stderr);
    assert_eq!(all.len(), 14, "{}", check.stderr);
    let build = book.build();
    build
        .success()
        .stderr_has("… and 4 more `repeated-steps` warnings; `sopbook check` lists them");
    // The same ten as the first ten `check` lists, in its order.
    assert_eq!(
        places(&build.stderr),
        all[..10].to_vec(),
        "{}",
        build.stderr
    );
    // Counted all the same: the summary's number is check's.
    build.stderr_has(", 14 warnings in ");
    check.stderr_has("14 warnings in 17 files");
}
