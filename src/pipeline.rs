//! The stages after reading, as one call: the parsed files and assets of a
//! book in, its checked model and every finding out. `Book::check` (which
//! reads the book and keeps its parses for `serve`), the in-memory build of
//! the fuzz target and the benches all come through here, so no driver
//! lists the stages again:
//!
//! ```text
//! load → parse → pipeline::check (SVG assets → model::build with copied
//!      steps beside its links → the other rules, validate::others)
//!      → render::plan → write (build) / answer (serve)
//! ```

use jiff::civil::Date;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Rule, RuleLevel, Sources};
use crate::load::{Asset, SvgText};
use crate::model::{self, DocId, Handbook};
use crate::parse::Parsed;
use crate::ui::Timer;
use crate::validate;

/// What reading the book gave: its parsed Markdown files, its assets and
/// folders, and the text of its SVG files when their scripts are checked
/// ([`validate::unsafe_url::checks_svgs`]).
#[derive(Debug, Default)]
pub struct Read {
    pub docs: Vec<Parsed>,
    pub assets: Vec<Asset>,
    pub dirs: Vec<String>,
    pub svgs: Vec<SvgText>,
    /// Markdown files that are not UTF-8 text (reported when read): not
    /// in the book, but a link to one is not reported again as missing.
    pub unread: Vec<String>,
}

/// How to check it.
#[derive(Debug)]
pub struct Settings<'a> {
    pub config: &'a Config,
    /// Include `draft = true` documents.
    pub drafts: bool,
    /// The date reviews are checked against.
    pub today: Date,
    /// After an edit in `serve`: the changed files (paths in the content
    /// dir), whose copied steps are the ones reported. `None`: every file.
    pub changed: Option<&'a [String]>,
    /// Put before an SVG's path in the findings (`content/`), as the
    /// Markdown files' paths are.
    pub svg_prefix: &'a str,
    /// Warnings of copied steps kept, the first in the report's order;
    /// the rest are counted ([`Unlisted`]). `None`: all (`check`).
    pub listed: Option<usize>,
}

/// Warnings found but not kept, by rule: counted in the report.
pub(crate) type Unlisted = Vec<(Rule, usize)>;

/// The model of the book, complete, the findings of every stage after
/// parsing, and the warnings counted but not kept ([`Settings::listed`]).
/// SVG files with findings join `sources`.
pub fn check(
    read: Read,
    settings: &Settings<'_>,
    sources: &mut Sources,
    timer: &mut Timer,
) -> (Handbook, Vec<Diagnostic>, Unlisted) {
    let config = settings.config;
    let mut diags = validate::unsafe_url::svgs(read.svgs, settings.svg_prefix, sources);
    // After an edit, copied steps are reported for the changed files.
    let only = |hb: &Handbook| -> Option<std::collections::HashSet<DocId>> {
        settings.changed.map(|changed| {
            changed
                .iter()
                .filter_map(|rel| hb.by_path.get(rel).copied())
                .collect()
        })
    };
    // Copied steps need only where each SOP is: found while the links
    // are resolved.
    let level = config.level(Rule::RepeatedSteps);
    // Errors are all printed: only warnings are counted instead.
    let keep = settings.listed.filter(|_| level == RuleLevel::Warn);
    let (hb, found, repeated) = model::build(
        read.docs,
        read.assets,
        read.dirs,
        read.unread,
        config,
        settings.drafts,
        |hb| match level {
            RuleLevel::Allow => (Vec::new(), 0),
            _ => validate::repeated::check(hb, only(hb).as_ref(), keep),
        },
    );
    let (repeated, unlisted) = repeated;
    diags.extend(found);
    diags.extend(validate::brand::check(&config.build, &hb));
    timer.lap("model");
    // Copied steps can be tens of thousands of findings: the few others
    // join them, not the reverse (no copy of the long list at the peak;
    // the report sorts them all).
    let mut diags = {
        let mut all = repeated;
        all.append(&mut diags);
        all
    };
    diags.extend(validate::others(&hb, settings.today, |r| config.level(r)));
    timer.lap("validate");
    let unlisted = match unlisted {
        0 => Vec::new(),
        n => vec![(Rule::RepeatedSteps, n)],
    };
    (hb, diags, unlisted)
}
