//! The stages after reading, as one call: the parsed files and assets of a
//! book in, its checked model and every finding out. `Book::check` (which
//! reads the book and keeps its parses for `serve`), the in-memory build of
//! the fuzz target and the benches all come through here, so no driver
//! lists the stages again:
//!
//! ```text
//! load → parse → pipeline::check (SVG assets → model::build → validate::run)
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
}

/// The model of the book, complete, and the findings of every stage
/// after parsing. SVG files with findings join `sources`.
pub fn check(
    read: Read,
    settings: &Settings<'_>,
    sources: &mut Sources,
    timer: &mut Timer,
) -> (Handbook, Vec<Diagnostic>) {
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
    let repeated_on = config.level(Rule::RepeatedSteps) != RuleLevel::Allow;
    let (hb, found, repeated) = model::build(
        read.docs,
        read.assets,
        read.dirs,
        read.unread,
        config,
        settings.drafts,
        |hb| match repeated_on {
            true => validate::repeated::check(hb, only(hb).as_ref()),
            false => Vec::new(),
        },
    );
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
    diags.extend(validate::run(
        &hb,
        settings.today,
        // Done above.
        |r| match r {
            Rule::RepeatedSteps => RuleLevel::Allow,
            r => config.level(r),
        },
        only(&hb).as_ref(),
    ));
    timer.lap("validate");
    (hb, diags)
}
