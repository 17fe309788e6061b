//! How sopbook talks to the user: progress on a terminal, status lines,
//! warnings about how it was run, failures, and the findings of a check,
//! bounded so that a huge report stays readable. Below the commands, so
//! that the stages they drive can report progress too.

use std::collections::{BTreeMap, HashMap};
use std::io::{IsTerminal, Write};

use crate::diagnostics::{FileId, Printer, Report, Rule, Severity, Sources};
use crate::failure::Failure;

/// `--color`: whether diagnostics are coloured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ColorChoice {
    /// When stderr is a terminal and `NO_COLOR` is unset.
    Auto,
    Always,
    Never,
}

/// Warnings of one rule that `build` and `serve` print before summing up
/// the rest in one line.
pub(crate) const WARNINGS_SHOWN_PER_RULE: usize = 10;

/// How to talk to the user.
#[derive(Debug)]
pub(crate) struct Ui {
    pub quiet: bool,
    pub color: bool,
    /// stderr is a terminal: show progress lines that overwrite each other.
    pub live: bool,
}

impl Ui {
    pub(crate) fn new(quiet: bool, color: ColorChoice) -> Ui {
        let color = match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stderr().is_terminal()
                    && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        };
        let live = !quiet && std::io::stderr().is_terminal();
        Ui { quiet, color, live }
    }

    /// The phase a long build is in, on one line that the next phase (or
    /// the summary) overwrites. Only on a terminal.
    pub(crate) fn progress(&self, phase: &str) {
        if self.live {
            let _ = write!(std::io::stderr(), "\r\x1b[2K{phase}…");
        }
    }

    fn clear_progress(&self) {
        if self.live {
            let _ = write!(std::io::stderr(), "\r\x1b[2K");
        }
    }

    /// A status line on stderr (a closed pipe is not an error).
    pub(crate) fn status(&self, line: &str) {
        self.clear_progress();
        if !self.quiet {
            let _ = writeln!(std::io::stderr(), "{line}");
        }
    }

    /// Prints the findings (`sopbook check`), at most
    /// [`SHOWN_PER_FILE_AND_RULE`] of one rule in one file: a file with
    /// 100,000 broken links stays readable, and one line says how many more
    /// there are.
    pub(crate) fn report(&self, report: &Report, sources: &Sources) {
        self.print(report, sources, usize::MAX);
    }

    /// Prints every error and the first few warnings of each rule, then one
    /// line per rule that had more (`build`, `serve`): thousands of copies
    /// of one warning bury the build's result; `sopbook check` lists them.
    pub(crate) fn report_brief(&self, report: &Report, sources: &Sources) {
        self.print(report, sources, WARNINGS_SHOWN_PER_RULE);
    }

    fn print(&self, report: &Report, sources: &Sources, per_rule: usize) {
        self.clear_progress();
        let printer = Printer::new(self.color);
        let mut err = std::io::BufWriter::new(std::io::stderr().lock());
        let mut in_file: HashMap<(Option<FileId>, Rule), usize> = HashMap::new();
        let mut hidden: BTreeMap<(String, Rule), usize> = BTreeMap::new();
        let mut warnings: BTreeMap<Rule, usize> = BTreeMap::new();
        for d in &report.diagnostics {
            if d.severity == Severity::Warning {
                let n = warnings.entry(d.rule).or_default();
                *n += 1;
                if *n > per_rule {
                    continue;
                }
            }
            let n = in_file.entry((d.file, d.rule)).or_default();
            *n += 1;
            if *n > SHOWN_PER_FILE_AND_RULE && d.file.is_some() {
                let file = d.file.map(|f| sources.get(f).display.clone());
                *hidden
                    .entry((file.unwrap_or_default(), d.rule))
                    .or_default() += 1;
                continue;
            }
            let _ = writeln!(err, "{}\n", printer.render(d, sources));
        }
        for ((file, rule), n) in hidden {
            let _ = writeln!(
                err,
                "note: {n} more [{rule}] findings in {file} not shown; `sopbook check --format json` lists them all\n"
            );
        }
        for (rule, n) in &report.unlisted {
            *warnings.entry(*rule).or_default() += n;
        }
        for (rule, n) in warnings {
            if n > per_rule {
                let more = plural(n - per_rule, &format!("more `{rule}` warning"));
                let _ = writeln!(err, "… and {more}; `sopbook check` lists them\n");
            }
        }
    }

    /// A warning about how sopbook was run (not about the book), shown
    /// even with `--quiet`.
    pub(crate) fn warning(&self, message: &str) {
        self.headline("warning", "33", message, None);
    }

    /// A note after the findings, such as `check`'s list of moved pages:
    /// not a finding (no level, no effect on the exit code), so it is
    /// hidden by `--quiet` like the other status lines.
    pub(crate) fn note(&self, label: &str, message: &str, lines: &[String]) {
        if self.quiet {
            return;
        }
        self.headline(label, "36", message, None);
        let mut err = std::io::stderr().lock();
        for line in lines {
            let _ = writeln!(err, "  {line}");
        }
        let _ = writeln!(err);
    }

    pub(crate) fn failure(&self, failure: &Failure) {
        self.headline("error", "31", &failure.message, failure.help.as_deref());
    }

    /// `label: message` in bold, the label in colour `ansi` when colour is
    /// on, then an optional `= help:` line.
    fn headline(&self, label: &str, ansi: &str, message: &str, help: Option<&str>) {
        self.clear_progress();
        let mut err = std::io::stderr().lock();
        let _ = if self.color {
            writeln!(err, "\x1b[1;{ansi}m{label}\x1b[0m\x1b[1m: {message}\x1b[0m")
        } else {
            writeln!(err, "{label}: {message}")
        };
        if let Some(help) = help {
            let _ = writeln!(err, "  = help: {help}");
        }
    }
}

/// Phase timings on stderr when `SOPBOOK_TIMINGS` is set: how a build's
/// time splits, for benchmarks and bug reports.
#[derive(Debug)]
pub struct Timer {
    on: bool,
    last: std::time::Instant,
}

impl Timer {
    pub fn new() -> Timer {
        Timer {
            on: std::env::var_os("SOPBOOK_TIMINGS").is_some_and(|v| !v.is_empty()),
            last: std::time::Instant::now(),
        }
    }

    pub fn lap(&mut self, phase: &str) {
        if self.on {
            let now = std::time::Instant::now();
            let ms = now.duration_since(self.last).as_secs_f64() * 1000.0;
            let _ = writeln!(
                std::io::stderr(),
                "timing: {phase:<10} {ms:8.1} ms{}",
                memory()
            );
            self.last = now;
        }
    }
}

/// The process's resident and peak resident memory, where the system says
/// (Linux's `/proc/self/status`); nothing elsewhere.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kib| kib / 1024)
    };
    format!(
        "  rss {:4} MiB  peak {:4} MiB",
        field("VmRSS:"),
        field("VmHWM:")
    )
}

impl Default for Timer {
    fn default() -> Timer {
        Timer::new()
    }
}

/// Findings of one rule in one file printed before the rest are counted.
pub(crate) const SHOWN_PER_FILE_AND_RULE: usize = 50;

/// `"1 file"`, `"3 files"`.
pub(crate) fn plural(n: usize, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}
