//! The files `[build]` names for the book's look (`extra-css`, `extra-js`,
//! `favicon`, `logo`) must be in the content dir: each page links to them,
//! so a missing one would be a broken link on every page. Reported at the
//! path in book.toml.

use crate::config::BuildConfig;
use crate::config::brand::BookFile;
use crate::diagnostics::{Diagnostic, Rule, did_you_mean};
use crate::model::Handbook;

pub(crate) fn check(build: &BuildConfig, hb: &Handbook) -> Vec<Diagnostic> {
    let brand = &build.brand;
    let named = brand
        .extra_css
        .iter()
        .map(|f| ("extra-css", f))
        .chain(brand.extra_js.iter().map(|f| ("extra-js", f)))
        .chain(brand.favicon.iter().map(|f| ("favicon", f)))
        .chain(brand.logo.iter().map(|f| ("logo", f)));
    named
        .filter(|(_, f)| !hb.assets.contains_key(&f.path))
        .map(|(key, f)| missing(key, f, &build.content_dir, hb))
        .collect()
}

fn missing(key: &str, f: &BookFile, content_dir: &str, hb: &Handbook) -> Diagnostic {
    let content_dir = content_dir.trim_end_matches('/');
    // Written from the book root, as mdBook's `additional-css` is.
    let from_root = f
        .path
        .strip_prefix(content_dir)
        .and_then(|rest| rest.strip_prefix('/'))
        .filter(|rest| hb.assets.contains_key(*rest));
    let name = f.path.rsplit('/').next().unwrap_or(&f.path);
    let help = match from_root {
        Some(rest) => format!("paths here are from the content dir: `{rest}`"),
        None => match did_you_mean(&f.path, hb.assets.keys().map(String::as_str)).or_else(|| {
            hb.assets
                .keys()
                .find(|a| a.rsplit('/').next() == Some(name))
                .map(String::as_str)
        }) {
            Some(near) => format!("did you mean `{near}`?"),
            None => format!(
                "put the file in {content_dir}/ and name its path from there, e.g. `{}`",
                f.path
            ),
        },
    };
    Diagnostic::new(
        Rule::Config,
        format!(
            "`{key}` names {content_dir}/{}, which does not exist",
            f.path
        ),
    )
    .at(f.file, f.span.clone())
    .label("no such file in the content dir")
    .help(help)
}
