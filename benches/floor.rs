//! The "floor" of the benchmarks: the least a Markdown site generator can
//! do for a book — read every `.md` file, skip its front matter, render it
//! with pulldown-cmark on one thread and write one HTML file each. No
//! templates, no links checked, no model. sopbook's build time is reported
//! as a ratio of this.
//!
//!     cargo bench --bench floor -- CONTENT_DIR OUT_DIR
//!
//! A `harness = false` bench target with `bench = false`: a plain
//! `cargo bench` (the criterion benches) and `cargo test` leave it alone;
//! scripts/bench.py builds it and times the binary itself.

#![allow(clippy::print_stdout, reason = "the report is what a benchmark prints")]

use std::path::Path;

fn main() {
    // `cargo bench` appends `--bench`; the paths are what count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(content), Some(out)) = (args.first(), args.get(1)) else {
        eprintln!("usage: floor CONTENT_DIR OUT_DIR");
        std::process::exit(2);
    };
    let (content, out) = (Path::new(content), Path::new(out));
    let mut files = 0;
    for entry in walkdir::WalkDir::new(content).sort_by_file_name() {
        let entry = entry.expect("walk");
        if !entry.file_type().is_file() || entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("read");
        let body = match text
            .strip_prefix("+++\n")
            .and_then(|rest| rest.find("\n+++\n").map(|i| &rest[i + 5..]))
        {
            Some(body) => body,
            None => &text,
        };
        let mut html = String::with_capacity(body.len() * 2);
        pulldown_cmark::html::push_html(
            &mut html,
            pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::all()),
        );
        let rel = entry
            .path()
            .strip_prefix(content)
            .expect("inside")
            .with_extension("html");
        let target = out.join(rel);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::write(&target, html).expect("write");
        files += 1;
    }
    println!("{files} pages");
}
