//! Build-time highlighting of fenced code: the code's tokens become
//! `<span class="hl-…">` from a small fixed set of classes, which the
//! theme's stylesheet colours for the light and the dark scheme. Classes
//! rather than inline colours, so the page's scheme switch recolours code
//! too and a theme restyles it in CSS alone (docs/themes.md).
//!
//! The grammars are bat's syntax set (through `two-face`) run by syntect.
//! A grammar names each token with TextMate scopes (`keyword.control.rust`,
//! `entity.name.tag.yaml`); syntect's theme machinery picks, for each
//! token, the most specific of the selectors below, and the "colour" each
//! selector carries is the index of its class. The syntaxes are loaded once
//! per process, when the first code block that names a language is read.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::LazyLock;

use syntect::easy::HighlightLines;
use syntect::highlighting::{
    Color, ScopeSelectors, StyleModifier, Theme, ThemeItem, ThemeSettings,
};
use syntect::parsing::{SyntaxReference, SyntaxSet};
use syntect::util::LinesWithEndings;

use crate::html::escape_text;

/// The classes a token can get, by index; index 0 is plain text, written
/// without a span. The stylesheet colours each in both schemes (a test
/// checks that style.css names them all).
const CLASSES: [&str; 11] = [
    "",
    "hl-comment",
    "hl-keyword",
    "hl-string",
    "hl-constant",
    "hl-function",
    "hl-type",
    "hl-key",
    "hl-variable",
    "hl-inserted",
    "hl-deleted",
];

const PLAIN: u8 = 0;
const COMMENT: u8 = 1;
const KEYWORD: u8 = 2;
const STRING: u8 = 3;
const CONSTANT: u8 = 4;
const FUNCTION: u8 = 5;
const TYPE: u8 = 6;
const KEY: u8 = 7;
const VARIABLE: u8 = 8;
const INSERTED: u8 = 9;
const DELETED: u8 = 10;
/// Operators: written as keywords when they are words (`and`, `in`, SQL's
/// `AND`), plain when they are symbols, which would only add noise.
const OPERATOR: u8 = u8::MAX;

/// Scope selectors and the class they give. Where several match a token,
/// the most specific wins (the deepest scope, then the longest selector).
const SELECTORS: &[(&str, u8)] = &[
    ("comment", COMMENT),
    ("keyword, storage, markup.heading", KEYWORD),
    ("keyword.operator", OPERATOR),
    ("string, markup.raw, markup.underline.link", STRING),
    (
        "constant.numeric, constant.language, constant.character, constant.other.datetime, \
         constant.other.placeholder, constant.other.symbol",
        CONSTANT,
    ),
    (
        "entity.name.function, support.function, variable.function, support.macro",
        FUNCTION,
    ),
    (
        "entity.name.type, entity.name.class, entity.name.struct, entity.name.enum, \
         entity.name.trait, entity.name.table, entity.other.inherited-class, support.type, \
         support.class",
        TYPE,
    ),
    (
        "entity.name.tag, entity.other.attribute-name, support.type.property-name, \
         meta.mapping.key string",
        KEY,
    ),
    (
        "variable.parameter, variable.language, source.shell variable.other, \
         punctuation.definition.variable",
        VARIABLE,
    ),
    ("markup.inserted", INSERTED),
    ("markup.deleted", DELETED),
];

static SYNTAXES: LazyLock<SyntaxSet> = LazyLock::new(two_face::syntax::extra_newlines);

/// Each grammar's file extensions and names, lower-cased, to its index:
/// syntect's own lookup scans ~200 grammars per block, which on a book of
/// many one-line blocks costs a fifth of their highlighting. The order of
/// precedence is syntect's: an extension before a name, a later grammar
/// before an earlier one.
static BY_TOKEN: LazyLock<HashMap<String, usize>> = LazyLock::new(|| {
    let mut by = HashMap::new();
    let all = SYNTAXES.syntaxes();
    for (i, syntax) in all.iter().enumerate().rev() {
        for ext in &syntax.file_extensions {
            by.entry(ext.to_ascii_lowercase()).or_insert(i);
        }
    }
    for (i, syntax) in all.iter().enumerate().rev() {
        by.entry(syntax.name.to_ascii_lowercase()).or_insert(i);
    }
    by
});

static THEME: LazyLock<Theme> = LazyLock::new(|| Theme {
    name: Some("sopbook classes".to_owned()),
    author: None,
    settings: ThemeSettings::default(),
    scopes: SELECTORS
        .iter()
        .filter_map(|&(selectors, class)| {
            Some(ThemeItem {
                scope: ScopeSelectors::from_str(selectors).ok()?,
                style: StyleModifier {
                    foreground: Some(Color {
                        r: class,
                        g: 0,
                        b: 0,
                        a: 255,
                    }),
                    background: None,
                    font_style: None,
                },
            })
        })
        .collect(),
});

/// The grammar for a fence's language: a file extension (`rs`, `sh`,
/// `yml`) or a name (`rust`, `python`), in any case, or one of a few
/// common aliases. `None` for plain text and for what no grammar knows.
fn syntax(lang: &str) -> Option<&'static SyntaxReference> {
    let lower = lang.to_ascii_lowercase();
    let lang = match lower.as_str() {
        // Named on purpose as plain: nothing to load or highlight.
        "text" | "txt" | "plain" | "plaintext" => return None,
        "shell" | "shellscript" | "console" => "bash",
        "golang" => "go",
        "jsonc" | "json5" => "json",
        "c#" | "csharp" => "cs",
        "mjs" | "cjs" | "jsx" => "js",
        other => other,
    };
    BY_TOKEN.get(lang).and_then(|&i| SYNTAXES.syntaxes().get(i))
}

/// Writes `code` highlighted as `lang` into `html` (escaped, with spans);
/// false, having written nothing, when no grammar knows the language or
/// the grammar fails on this text (the caller then writes it plain).
pub(crate) fn write(lang: &str, code: &str, html: &mut String) -> bool {
    let Some(syntax) = syntax(lang) else {
        return false;
    };
    let mut lines = HighlightLines::new(syntax, &THEME);
    // Tokens of one class are merged, across lines too: fewer spans.
    let mut runs: Vec<(u8, &str)> = Vec::new();
    let mut open: Option<(u8, usize)> = None;
    let mut at = 0;
    for line in LinesWithEndings::from(code) {
        let Ok(regions) = lines.highlight_line(line, &SYNTAXES) else {
            return false;
        };
        for (style, text) in regions {
            // Whitespace continues the run before it (`pub fn` is one
            // span); trimmed off its end when a token of another class
            // follows.
            let class = match open {
                Some((c, _)) if text.trim().is_empty() => c,
                _ => class_of(style.foreground.r, text),
            };
            match open {
                Some((c, _)) if c == class => {}
                Some((c, start)) => {
                    runs.push((c, &code[start..at]));
                    open = Some((class, at));
                }
                None => open = Some((class, at)),
            }
            at += text.len();
        }
    }
    if let Some((c, start)) = open {
        runs.push((c, &code[start..]));
    }
    for (class, text) in runs {
        let name = CLASSES.get(class as usize).copied().unwrap_or("");
        // Spaces and line ends at a token's edges stay outside its span
        // (a line comment ends with its newline): tidier markup, and no
        // style a theme gives a token (an underline) runs into them.
        let inner = text.trim_matches(char::is_whitespace);
        if name.is_empty() || inner.is_empty() {
            escape_text(html, text);
            continue;
        }
        let before = text.len() - text.trim_start_matches(char::is_whitespace).len();
        escape_text(html, &text[..before]);
        html.push_str("<span class=\"");
        html.push_str(name);
        html.push_str("\">");
        escape_text(html, inner);
        html.push_str("</span>");
        escape_text(html, &text[before + inner.len()..]);
    }
    true
}

/// The class of a token whose best selector gave `class`: symbolic
/// operators stay plain.
fn class_of(class: u8, text: &str) -> u8 {
    match class {
        OPERATOR if text.chars().any(char::is_alphabetic) => KEYWORD,
        OPERATOR => PLAIN,
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(lang: &str, code: &str) -> Option<String> {
        let mut html = String::new();
        write(lang, code, &mut html).then_some(html)
    }

    #[test]
    fn every_selector_parses() {
        assert_eq!(THEME.scopes.len(), SELECTORS.len());
    }

    /// The default theme colours every class, in the light scheme and in
    /// both ways the dark one is chosen (the reader's switch, the system).
    #[test]
    fn the_default_stylesheet_colours_every_class() {
        let css = include_str!("../../themes/default/static/style.css");
        for class in CLASSES.iter().skip(1) {
            let var = format!("--{class}:");
            assert_eq!(
                css.matches(&var).count(),
                3,
                "{var} light, dark, system dark"
            );
            let rule = format!(".{class} {{ color: var(--{class});");
            assert!(css.contains(&rule), "{rule}");
        }
    }

    #[test]
    fn tokens_get_their_classes() {
        let rust = hl("rust", "fn main() { let n = 42; } // done\n").expect("rust");
        assert!(
            rust.contains("<span class=\"hl-keyword\">fn</span>"),
            "{rust}"
        );
        assert!(
            rust.contains("<span class=\"hl-function\">main</span>"),
            "{rust}"
        );
        assert!(
            rust.contains("<span class=\"hl-constant\">42</span>"),
            "{rust}"
        );
        assert!(
            rust.contains("<span class=\"hl-comment\">// done</span>\n"),
            "{rust}"
        );
        let bash = hl("bash", "echo \"$HOME\" # home\n").expect("bash");
        assert!(
            bash.contains("<span class=\"hl-function\">echo</span>"),
            "{bash}"
        );
        assert!(
            bash.contains("<span class=\"hl-variable\">$HOME</span>"),
            "{bash}"
        );
        let json = hl("json", "{\"id\": 7, \"ok\": true}\n").expect("json");
        assert!(
            json.contains("<span class=\"hl-key\">\"id\"</span>"),
            "{json}"
        );
        assert!(
            json.contains("<span class=\"hl-constant\">true</span>"),
            "{json}"
        );
        let yaml = hl("yml", "name: nightly\n").expect("yaml");
        assert!(
            yaml.contains("<span class=\"hl-key\">name</span>"),
            "{yaml}"
        );
        let toml = hl("TOML", "[build]\nsearch = false\n").expect("toml");
        assert!(
            toml.contains("<span class=\"hl-key\">search</span>"),
            "{toml}"
        );
        let diff = hl("diff", "+new line\n-old line\n").expect("diff");
        assert!(
            diff.contains("<span class=\"hl-inserted\">+new line</span>\n"),
            "{diff}"
        );
        assert!(
            diff.contains("<span class=\"hl-deleted\">-old line</span>\n"),
            "{diff}"
        );
        let sql = hl("sql", "SELECT a FROM t WHERE a > 1 AND b\n").expect("sql");
        assert!(
            sql.contains("<span class=\"hl-keyword\">AND</span>"),
            "{sql}"
        );
        assert!(!sql.contains(">&gt;</span>"), "symbols stay plain: {sql}");
    }

    #[test]
    fn code_is_escaped_and_kept_whole() {
        let code = "if a < b && c > \"<d>\" { x(); }\n";
        let html = hl("js", code).expect("js");
        assert!(!html.contains("<d>") && !html.contains(" < "), "{html}");
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' if in_tag => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let unescaped = text
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&amp;", "&");
        assert_eq!(unescaped, code);
    }

    /// The names docs/writing.md promises ("Code blocks").
    #[test]
    fn the_documented_languages_have_grammars() {
        for lang in [
            "bash",
            "sh",
            "python",
            "py",
            "json",
            "yaml",
            "yml",
            "toml",
            "ini",
            "sql",
            "javascript",
            "js",
            "typescript",
            "ts",
            "rust",
            "go",
            "java",
            "c",
            "cpp",
            "cs",
            "ruby",
            "php",
            "html",
            "xml",
            "css",
            "diff",
            "dockerfile",
            "nginx",
            "terraform",
            "markdown",
            "shell",
            "console",
            "golang",
            "jsonc",
            "csharp",
            "Rust",
            "YAML",
        ] {
            assert!(syntax(lang).is_some(), "{lang}");
        }
        assert!(syntax("powershell").is_none(), "the docs say it is missing");
        // The map finds what syntect's own lookup finds, for every token.
        for s in SYNTAXES.syntaxes() {
            for token in s.file_extensions.iter().chain([&s.name]) {
                let ours = BY_TOKEN.get(&token.to_ascii_lowercase()).copied();
                let theirs = SYNTAXES
                    .find_syntax_by_token(token)
                    .map(|t| t as *const SyntaxReference);
                let ours = ours.map(|i| &SYNTAXES.syntaxes()[i] as *const SyntaxReference);
                assert_eq!(ours, theirs, "{token}");
            }
        }
        assert!(SYNTAXES.syntaxes().len() > 150);
    }

    #[test]
    fn unknown_and_plain_languages_are_left_to_the_caller() {
        assert!(hl("no-such-language", "x\n").is_none());
        assert!(hl("text", "fn x\n").is_none());
        assert!(hl("", "fn x\n").is_none());
    }

    #[test]
    fn output_is_the_same_every_time() {
        let code = "def f(x):\n    return x + 1  # one\n";
        assert_eq!(hl("python", code), hl("py", code));
    }
}
