//! The example handbook at the repository root: it builds clean, every link
//! resolves, and its pages' main content matches the reviewed snapshots.

use std::path::Path;
use std::process::Command;

use crate::harness::main_of;
use crate::site::link_problems;

/// Builds the example handbook from a copy outside the repository, so that
/// its pages do not change with the repository's history.
fn build_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let book = out.path().join("book");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::create_dir_all(&book).expect("mkdir");
    std::fs::copy(root.join("book.toml"), book.join("book.toml")).expect("copy book.toml");
    crate::harness::copy_dir(&root.join("content"), &book.join("content"));
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["build", "--quiet", "--out"])
        .arg(&site)
        .current_dir(&book)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", crate::harness::TODAY)
        .output()
        .expect("run");
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        status.stderr.is_empty(),
        "warnings: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    out
}

/// Built where it is, the example shows the repository's history.
#[test]
fn example_handbook_in_its_repository_shows_its_history() {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["build", "--quiet", "--out"])
        .arg(&site)
        .current_dir(root)
        .env("NO_COLOR", "1")
        .env("SOPBOOK_TODAY", crate::harness::TODAY)
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    let page = std::fs::read_to_string(site.join("submit-payroll/run-payroll.html")).expect("page");
    let in_git = Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(root)
        .output()
        .is_ok_and(|o| o.status.success());
    if in_git {
        assert!(page.contains("<dt>Last changed</dt>"), "{page}");
        assert!(page.contains("<h2 id=\"history\">History</h2>"), "{page}");
    } else {
        // A copy of the sources without .git (a release tarball).
        assert!(!page.contains("<dt>Last changed</dt>"), "{page}");
    }
}

#[test]
fn example_handbook_builds_clean_with_no_broken_link() {
    let out = build_example();
    let problems = link_problems(&out.path().join("site"));
    assert!(problems.is_empty(), "{problems:#?}");
}

/// The example's moved SOP keeps its old address (issue #19).
#[test]
fn example_handbook_keeps_the_old_address_of_its_moved_sop() {
    let out = build_example();
    let site = out.path().join("site");
    let old = std::fs::read_to_string(
        site.join("prepare-client-contracts/follow-up-unsigned-contract.html"),
    )
    .expect("the alias's page");
    assert!(
        old.contains(
            r#"<meta http-equiv="refresh" content="0; url=chase-unsigned-contract.html">"#
        ),
        "{old}"
    );
    let graph = std::fs::read_to_string(site.join("graph.json")).expect("graph.json");
    assert!(
        graph.contains("\"prepare-client-contracts/follow-up-unsigned-contract.html\""),
        "{graph}"
    );
}

#[test]
fn example_handbook_pages_match_snapshots() {
    let out = build_example();
    let site = out.path().join("site");
    for page in [
        "index.html",
        "submit-payroll/index.html",
        "submit-payroll/run-payroll.html",
        "submit-payroll/fix-payroll-mistake.html",
        "back-up-files/index.html",
        "onboard-employee/onboard-new-employee.html",
        "processes-and-sops.html",
    ] {
        let html = std::fs::read_to_string(Path::new(&site).join(page)).expect("page");
        insta::assert_snapshot!(page.replace('/', "__"), main_of(&html));
    }
}
