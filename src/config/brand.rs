//! The `[build]` keys that brand a book without a theme of its own:
//! `extra-css`, `extra-js`, `favicon`, `logo` and `logo-alt`. Each names a
//! file of the content dir, so it is published like any other asset; here
//! the paths are read and their form checked, where they are written.
//! Whether the files exist is known only once the content dir is walked
//! (`validate::brand`).

use std::ops::Range;

use crate::diagnostics::FileId;
use crate::spanned::{Fields, Node, Value};

/// What `[build]` says about the book's look.
#[derive(Debug, Clone, Default)]
pub struct Brand {
    /// Stylesheets linked on every page after the theme's, in this order.
    pub extra_css: Vec<BookFile>,
    /// Scripts loaded on every page after the theme's, in this order.
    pub extra_js: Vec<BookFile>,
    /// Replaces the theme's `favicon.svg`.
    pub favicon: Option<BookFile>,
    /// Shown in the header, before the book's title.
    pub logo: Option<BookFile>,
    /// The logo's alt text; none: the logo is decorative (the title is
    /// written beside it, in the same link).
    pub logo_alt: Option<String>,
}

/// A file of the content dir named in book.toml.
#[derive(Debug, Clone)]
pub struct BookFile {
    /// From the content dir, '/'-separated, without a leading `/` or `./`:
    /// the asset's key and its path in the output.
    pub path: String,
    /// book.toml, and where the path is written in it.
    pub file: FileId,
    pub span: Range<usize>,
}

impl BookFile {
    /// The `type` of a `<link rel="icon">` to this file (favicons only
    /// pass [`read`] with one of these extensions).
    pub fn icon_type(&self) -> &'static str {
        match extension(&self.path).as_str() {
            "png" => "image/png",
            "ico" => "image/x-icon",
            _ => "image/svg+xml",
        }
    }
}

const FAVICON: &[&str] = &["svg", "png", "ico"];
/// What every browser shows in an `<img>`.
const IMAGE: &[&str] = &["svg", "png", "jpg", "jpeg", "gif", "webp", "avif"];

/// Reads the brand keys of `[build]`; problems go to `f`'s diagnostics.
pub(crate) fn read(f: &mut Fields) -> Brand {
    let extra_css = list(f, "extra-css", &["css"]);
    let extra_js = list(f, "extra-js", &["js"]);
    let favicon = f
        .node("favicon")
        .and_then(|n| book_file(f, "favicon", n, FAVICON));
    let logo = f.node("logo").and_then(|n| book_file(f, "logo", n, IMAGE));
    let logo_alt = f.string("logo-alt").map(|s| s.trim().to_owned());
    Brand {
        extra_css,
        extra_js,
        favicon,
        logo,
        logo_alt,
    }
}

/// A list of files (a single string is taken as a list of one).
fn list(f: &mut Fields, key: &'static str, extensions: &[&str]) -> Vec<BookFile> {
    let Some(node) = f.node(key) else {
        return Vec::new();
    };
    match &node.value {
        Value::Array(items) => items
            .iter()
            .filter_map(|n| book_file(f, key, n, extensions))
            .collect(),
        Value::Str(_) => book_file(f, key, node, extensions).into_iter().collect(),
        _ => {
            f.wrong_type(key, node, "a list of file paths");
            Vec::new()
        }
    }
}

fn book_file(
    f: &mut Fields,
    key: &'static str,
    node: &Node,
    extensions: &[&str],
) -> Option<BookFile> {
    let Value::Str(written) = &node.value else {
        f.wrong_type(key, node, "a file path (a string)");
        return None;
    };
    let path = match normalize(written) {
        Ok(path) => path,
        Err(why) => {
            f.invalid(node, format!("`{key}` {why}: `{written}`"), Some(format!(
                "name a file in the content dir by its path from there, e.g. `{key} = {}`; pages load nothing from another host",
                example(key)
            )));
            return None;
        }
    };
    let ext = extension(&path);
    if !extensions.contains(&ext.as_str()) {
        f.invalid(
            node,
            format!(
                "`{key}` must name a {} file, not `{written}`",
                one_of(extensions)
            ),
            Some(format!("e.g. `{key} = {}`", example(key))),
        );
        return None;
    }
    Some(BookFile {
        path,
        file: f.file(),
        span: node.span.clone(),
    })
}

/// The path from the content dir, or why `written` is not one.
fn normalize(written: &str) -> Result<String, &'static str> {
    let s = written.trim();
    if s.is_empty() {
        return Err("must not be empty");
    }
    if s.contains('\\') {
        return Err("must use `/` between folders");
    }
    // `https:`, `data:`, `//host`, and `C:` too.
    let first = s.split('/').next().unwrap_or(s);
    if first.contains(':') || s.starts_with("//") {
        return Err("must be a file of the book, not a URL");
    }
    if s.contains(['?', '#']) {
        return Err("must be a file path, without `?` or `#`");
    }
    let parts: Vec<&str> = s
        .trim_start_matches('/')
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    if parts.is_empty() {
        return Err("must name a file");
    }
    if parts.contains(&"..") {
        return Err("must be a file inside the content dir");
    }
    Ok(parts.join("/"))
}

fn extension(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default()
}

/// `.css`; `.svg, .png or .ico`.
fn one_of(extensions: &[&str]) -> String {
    let mut text = String::new();
    for (i, e) in extensions.iter().enumerate() {
        if i > 0 {
            text.push_str(if i + 1 == extensions.len() {
                " or "
            } else {
                ", "
            });
        }
        text.push('.');
        text.push_str(e);
    }
    text
}

fn example(key: &str) -> &'static str {
    match key {
        "extra-css" => "[\"brand/acme.css\"]",
        "extra-js" => "[\"brand/acme.js\"]",
        "favicon" => "\"brand/favicon.png\"",
        _ => "\"brand/logo.svg\"",
    }
}

#[cfg(test)]
mod tests {
    use super::normalize;
    use crate::diagnostics::{FileId, Rule};

    fn parse(
        build: &str,
    ) -> (
        Option<crate::config::Config>,
        Vec<crate::diagnostics::Diagnostic>,
    ) {
        crate::config::parse(
            &format!("[book]\ntitle = \"A\"\n[build]\n{build}\n"),
            FileId(0),
        )
    }

    #[test]
    fn keys_are_read_in_order() {
        let (c, d) = parse(
            "extra-css = [\"b.css\", \"/a/A.CSS\"]\nextra-js = \"x.js\"\nfavicon = \"i.ICO\"\nlogo = \"l.webp\"\nlogo-alt = \" Acme \"",
        );
        assert!(d.is_empty(), "{d:?}");
        let brand = c.expect("config").build.brand;
        let paths =
            |files: &[super::BookFile]| files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&brand.extra_css), ["b.css", "a/A.CSS"]);
        assert_eq!(paths(&brand.extra_js), ["x.js"]);
        assert_eq!(brand.favicon.expect("favicon").icon_type(), "image/x-icon");
        assert_eq!(brand.logo.expect("logo").path, "l.webp");
        assert_eq!(brand.logo_alt.as_deref(), Some("Acme"));
    }

    #[test]
    fn wrong_types_are_errors_at_the_value() {
        for (line, at) in [
            ("extra-css = 3", "3"),
            ("extra-js = [\"a.js\", 4]", "4"),
            ("favicon = [\"a.svg\"]", "[\"a.svg\"]"),
            ("logo = \"logo.pdf\"", "\"logo.pdf\""),
            ("logo-alt = false", "false"),
        ] {
            let text = format!("[book]\ntitle = \"A\"\n[build]\n{line}\n");
            let (c, d) = crate::config::parse(&text, FileId(0));
            assert!(c.is_none(), "{line}");
            assert_eq!(d.len(), 1, "{d:?}");
            assert_eq!(d[0].rule, Rule::Config);
            assert_eq!(&text[d[0].span.clone().expect("span")], at, "{line}");
        }
    }

    #[test]
    fn paths_are_from_the_content_dir() {
        assert_eq!(normalize("brand/a.css"), Ok("brand/a.css".to_owned()));
        assert_eq!(normalize("/brand/a.css"), Ok("brand/a.css".to_owned()));
        assert_eq!(normalize("./brand//a.css"), Ok("brand/a.css".to_owned()));
        for bad in [
            "",
            "https://cdn.example/a.css",
            "//cdn.example/a.css",
            "data:text/css,x",
            "C:/a.css",
            "../a.css",
            "a/../../a.css",
            "brand\\a.css",
            "a.css?v=2",
            "/",
        ] {
            assert!(normalize(bad).is_err(), "{bad}");
        }
    }
}
