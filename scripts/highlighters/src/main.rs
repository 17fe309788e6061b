//! Highlights every fenced code block of a book's Markdown files with the
//! crate chosen by feature (none: the baseline, which only escapes) and
//! prints what it took: `highlighters CONTENT_DIR [RUNS]`.

use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).expect("usage: highlighters CONTENT_DIR [RUNS]");
    let runs: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(5);
    let blocks = blocks(dir);
    let bytes: usize = blocks.iter().map(|(_, c)| c.len()).sum();
    let t = Instant::now();
    let h = imp::Hl::new();
    let load = t.elapsed();
    let mut times = Vec::new();
    let (mut out, mut found) = (0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        (out, found) = (0, 0);
        for (lang, code) in &blocks {
            match h.html(lang, code) {
                Some(html) => {
                    out += html.len();
                    found += 1;
                }
                None => out += code.len(),
            }
        }
        times.push(t.elapsed());
    }
    // The first run also compiles each grammar's regexes (lazily, on first
    // use); the best of the others is the least disturbed by other work on
    // a shared machine.
    let first = times[0];
    times.sort();
    println!(
        "{} blocks, {} KiB of code: {} highlighted; load {:.1} ms; first run {:.0} ms; best of {} {:.0} ms, median {:.0} ms; {} KiB of HTML",
        blocks.len(),
        bytes / 1024,
        found,
        load.as_secs_f64() * 1e3,
        first.as_secs_f64() * 1e3,
        runs,
        times[0].as_secs_f64() * 1e3,
        times[runs / 2].as_secs_f64() * 1e3,
        out / 1024
    );
    // Where the time goes, by language (one more run).
    let mut by_lang: std::collections::BTreeMap<&str, (usize, usize, f64)> = Default::default();
    for (lang, code) in &blocks {
        let t = Instant::now();
        let _ = h.html(lang, code);
        let e = by_lang.entry(lang.as_str()).or_default();
        e.0 += 1;
        e.1 += code.len();
        e.2 += t.elapsed().as_secs_f64();
    }
    let line: Vec<String> = by_lang
        .iter()
        .map(|(l, (n, b, s))| format!("{l} {n} blocks {:.0} KiB/s", *b as f64 / 1024.0 / s))
        .collect();
    println!("  {}", line.join("; "));
    let _ = serde_json::to_string(&found);
}

/// `(language, code)` of each fenced block: the fence may be indented (in
/// a list item), its lines lose that indent.
fn blocks(dir: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(dir)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("a readable dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("utf-8");
        let mut open: Option<(usize, String, String)> = None;
        for line in text.lines() {
            let indent = line.len() - line.trim_start().len();
            let t = line.trim_start();
            match &mut open {
                None if t.starts_with("```") => {
                    open = Some((indent, t[3..].trim().to_owned(), String::new()))
                }
                Some((_, _, _)) if t.starts_with("```") => {
                    let (_, lang, code) = open.take().expect("open");
                    out.push((lang, code));
                }
                Some((i, _, code)) => {
                    code.push_str(line.get(*i..).unwrap_or(""));
                    code.push('\n');
                }
                None => {}
            }
        }
    }
    out
}

#[cfg(any(feature = "syntect", feature = "two-face"))]
mod imp {
    use syntect::html::{ClassStyle, ClassedHTMLGenerator};
    use syntect::parsing::SyntaxSet;
    use syntect::util::LinesWithEndings;

    pub struct Hl(SyntaxSet);

    impl Hl {
        pub fn new() -> Hl {
            #[cfg(feature = "two-face")]
            return Hl(two_face::syntax::extra_newlines());
            #[cfg(not(feature = "two-face"))]
            Hl(SyntaxSet::load_defaults_newlines())
        }

        pub fn html(&self, lang: &str, code: &str) -> Option<String> {
            let syntax = self.0.find_syntax_by_token(lang)?;
            let mut g = ClassedHTMLGenerator::new_with_class_style(
                syntax,
                &self.0,
                ClassStyle::SpacedPrefixed { prefix: "hl-" },
            );
            for line in LinesWithEndings::from(code) {
                g.parse_html_for_line_which_includes_newline(line).ok()?;
            }
            Some(g.finalize())
        }
    }
}

#[cfg(feature = "giallo")]
mod imp {
    use giallo::{HighlightOptions, HtmlRenderer, Registry, RenderOptions, ThemeVariant};

    pub struct Hl(Registry, HtmlRenderer);

    impl Hl {
        pub fn new() -> Hl {
            let mut r = Registry::builtin().expect("the builtin dump loads");
            r.link_grammars();
            let renderer = HtmlRenderer {
                css_class_prefix: Some("g-".to_owned()),
                ..Default::default()
            };
            Hl(r, renderer)
        }

        pub fn html(&self, lang: &str, code: &str) -> Option<String> {
            let opts = HighlightOptions::new(
                lang,
                ThemeVariant::Dual {
                    light: "github-light",
                    dark: "github-dark",
                },
            );
            let h = self.0.highlight(code, &opts).ok()?;
            Some(self.1.render(&h, &RenderOptions::default()))
        }
    }
}

#[cfg(not(any(feature = "syntect", feature = "two-face", feature = "giallo")))]
mod imp {
    pub struct Hl;

    impl Hl {
        pub fn new() -> Hl {
            Hl
        }

        pub fn html(&self, _lang: &str, code: &str) -> Option<String> {
            let mut s = String::with_capacity(code.len());
            for c in code.chars() {
                match c {
                    '<' => s.push_str("&lt;"),
                    '&' => s.push_str("&amp;"),
                    c => s.push(c),
                }
            }
            Some(s)
        }
    }
}
