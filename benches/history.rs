//! The history pass alone (src/history): the commits listed by one `git
//! log` and their trees compared in-process, or (`--cli`) `git log`'s
//! own diffs parsed, walked into each file's commits, timed --runs times.
//!
//!     cargo bench --bench history -- CONTENT_DIR [RUNS] [--cli]
//!
//! A `harness = false` bench target with `bench = false`, like floor.rs:
//! scripts/bench_history.py builds the repository
//! (scripts/gen_history_repo.py) and runs it.

#![allow(clippy::print_stdout, reason = "the report is what a benchmark prints")]

use std::path::Path;
use std::time::Instant;

use sopbook::internals::{read_history, read_history_cli};

fn main() {
    // `cargo bench` appends `--bench`; the paths are what count.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let cli = args.iter().any(|a| a == "--cli");
    let args: Vec<&String> = args.iter().filter(|a| *a != "--cli").collect();
    let Some(content) = args.first() else {
        eprintln!("usage: history CONTENT_DIR [RUNS] [--cli]");
        std::process::exit(2);
    };
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut times = Vec::with_capacity(runs);
    let mut summary = String::new();
    for _ in 0..runs.max(1) {
        let start = Instant::now();
        let read = if cli {
            // As `read_history` cuts the line when it falls back.
            read_history_cli(Path::new(content.as_str()), 4000, 4)
        } else {
            read_history(Path::new(content.as_str()))
        };
        let history = match read {
            Ok(Ok(h)) => h,
            Ok(Err(why)) => {
                eprintln!("no history: {why}");
                std::process::exit(1);
            }
            Err(e) => {
                eprintln!("git failed: {e:?}");
                std::process::exit(1);
            }
        };
        times.push(start.elapsed().as_secs_f64());
        let renamed = history
            .commits
            .iter()
            .flat_map(|c| &c.changes)
            .filter(|c| c.from.is_some())
            .count();
        summary = format!(
            "{} commits, {} files with history, {} renames; {}",
            history.commits.len(),
            history.files().len(),
            renamed,
            match &history.via_cli {
                Some(why) => format!("git log's diffs ({why})"),
                None => "trees compared in-process".to_owned(),
            }
        );
    }
    let mut sorted = times.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    println!("{summary}");
    println!(
        "history pass: median {median:.3} s of {} runs (min {:.3}, max {:.3})",
        sorted.len(),
        sorted[0],
        sorted[sorted.len() - 1]
    );
}
