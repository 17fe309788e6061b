//! Content file → front matter + parsed body. Pure: text in, data out.

pub(crate) mod admonition;
pub(crate) mod body;
pub(crate) mod front_matter;
pub(crate) mod highlight;
pub(crate) mod markdown;
pub(crate) mod plain;
pub(crate) mod raw_html;
pub(crate) mod slug;
pub(crate) mod text;
pub(crate) mod unsafe_url;

use crate::diagnostics::{Diagnostic, FileId, Rule};
pub(crate) use front_matter::{Meta, Split};
pub(crate) use markdown::Body;

#[derive(Debug, Clone)]
pub struct Parsed {
    /// Path inside the content dir.
    pub rel: String,
    pub file: FileId,
    /// `None` when the front matter has errors: the file is left out of the
    /// model, but its id is still known so links to it are not reported too.
    /// Boxed: the parses are moved and kept in tables, and the front
    /// matter is most of their size.
    pub meta: Option<Box<Meta>>,
    pub split: Split,
    /// Shared: `serve` keeps parsed files and builds a new model from them
    /// after each change without copying their text.
    pub body: std::sync::Arc<Body>,
}

/// What a parse writes beyond the HTML and the structure every build
/// needs, as book.toml asks; the default is neither (history's old
/// versions, which only give their steps).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Also collect the body's plain text, which only the search index
    /// reads (`[build] search`).
    pub plain: bool,
    /// Highlight fenced code that names a language (`[build] highlight`).
    pub highlight: bool,
}

impl ParseOptions {
    pub(crate) fn of(config: &crate::config::Config) -> ParseOptions {
        ParseOptions {
            plain: config.build.search,
            highlight: config.build.highlight,
        }
    }
}

/// Parses one file; `text` has no BOM.
pub fn parse(rel: &str, file: FileId, text: &str, opts: ParseOptions) -> (Parsed, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    let split = match front_matter::split(text, file) {
        Ok(s) => s,
        Err(d) => {
            diags.push(d);
            let split = Split {
                syntax: None,
                inner: 0..0,
                whole: 0..0,
                body: 0..text.len(),
            };
            return (failed(rel, file, split), diags);
        }
    };
    let meta = match front_matter::parse(text, &split, file) {
        Ok(entries) => {
            let (meta, d) = front_matter::read(&entries, &split, file);
            diags.extend(d);
            meta
        }
        Err(d) => {
            diags.push(d);
            None
        }
    };
    let steps = matches!(meta, Some(Meta::Sop(_)));
    let reserved: Vec<String> = match &meta {
        Some(Meta::Process(p)) => p
            .branches
            .iter()
            .map(|b| markdown::branch_anchor(&b.id))
            .collect(),
        _ => Vec::new(),
    };
    let body = markdown::parse(text, split.body.clone(), steps, &reserved, opts);
    if let Some((span, tag, count)) = &body.templates {
        let more = match count {
            1 => String::new(),
            n => format!(" ({} more in this file)", n - 1),
        };
        diags.push(
            Diagnostic::new(Rule::TemplateSyntax, format!("`{tag}` is template syntax that sopbook does not run; it is shown as text{more}"))
                .at(file, span.clone())
                .label("shown as written")
                .help("replace it with Markdown: a link [[id]] or [text](file.md), a GitHub alert (> [!NOTE]) for a callout, or plain text"),
        );
    }
    (
        Parsed {
            rel: rel.to_owned(),
            file,
            meta: meta.map(Box::new),
            split,
            body: std::sync::Arc::new(body),
        },
        diags,
    )
}

fn failed(rel: &str, file: FileId, split: Split) -> Parsed {
    Parsed {
        rel: rel.to_owned(),
        file,
        meta: None,
        split,
        body: std::sync::Arc::new(Body::default()),
    }
}

/// The id a file gets when its front matter sets none: the file stem, or
/// for `process.md`, `index.md` and `_index.md` the name of the folder
/// (`index` for the content dir's own index).
pub(crate) fn default_id(rel: &str) -> String {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or(rel);
    let stem = match name.rfind('.') {
        Some(i) if i > 0 => &name[..i],
        _ => name,
    };
    if matches!(stem, "process" | "index" | "_index") {
        return parts.pop().unwrap_or("index").to_owned();
    }
    stem.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_ids() {
        assert_eq!(default_id("payroll/run-payroll.md"), "run-payroll");
        assert_eq!(default_id("payroll/process.md"), "payroll");
        assert_eq!(default_id("a/b/_index.md"), "b");
        assert_eq!(default_id("index.md"), "index");
        assert_eq!(default_id("glossary.markdown"), "glossary");
    }
}
