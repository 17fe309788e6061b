//! The example handbook at the repository root: it builds clean, every link
//! resolves, and its pages' main content matches the reviewed snapshots.

use std::path::Path;
use std::process::Command;

use crate::harness::main_of;
use crate::site::link_problems;

fn build_example() -> tempfile::TempDir {
    let out = tempfile::tempdir().expect("tempdir");
    let site = out.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_sopbook"))
        .args(["build", "--quiet", "--out"])
        .arg(&site)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
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

#[test]
fn example_handbook_builds_clean_with_no_broken_link() {
    let out = build_example();
    let problems = link_problems(&out.path().join("site"));
    assert!(problems.is_empty(), "{problems:#?}");
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
