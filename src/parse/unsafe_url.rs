//! What the `unsafe-url` rule looks for, read the way a browser reads it:
//! URLs that run script (`javascript:`, `vbscript:`) or open a document
//! made by the URL itself (a `data:` URL that is not an image), and `on*`
//! event-handler attributes. The Markdown pass asks it about each link,
//! heading attribute and raw HTML tag; the SVG check about each SVG file.
//! Pure: text in, findings out.

use std::ops::Range;

use crate::parse::raw_html::{self, Syntax, Tag};

/// A scheme that makes a URL unsafe on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    Javascript,
    Vbscript,
    /// `data:` with a type that is not an image (`data:text/html,…`).
    Data,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Javascript => "javascript:",
            Scheme::Vbscript => "vbscript:",
            Scheme::Data => "data:",
        }
    }
}

/// One unsafe thing in a text, at `span` (byte offsets in the file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub span: Range<usize>,
    pub what: What,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum What {
    /// A Markdown link, image, wikilink or embed whose target has `scheme`.
    Link {
        scheme: Scheme,
        url: String,
        image: bool,
    },
    /// An `on*` attribute in a heading's `{…}`: never written.
    HeadingHandler { attr: String },
    /// An `on*` attribute of a tag (raw HTML, an SVG file).
    Handler { tag: String, attr: String },
    /// A URL attribute of a tag (raw HTML, an SVG file) with `scheme`.
    UrlAttr {
        scheme: Scheme,
        tag: String,
        attr: String,
        url: String,
    },
    /// A `<script>` element in an SVG file.
    Script,
}

/// The unsafe scheme of `url`, if it has one. As a browser does (the URL
/// standard), leading C0 controls and spaces are skipped, every tab, CR and
/// LF is ignored, and case does not matter: `  JaVa\tScRiPt:` is
/// `javascript:`. `data:` is fine with an image type; `image/svg+xml` only
/// where the URL is shown as an image (`image`), since an SVG document
/// opened or framed on its own can run script.
pub fn scheme(url: &str, image: bool) -> Option<Scheme> {
    let mut chars = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'));
    let mut name = String::new();
    loop {
        let c = chars.next()?;
        if c == ':' {
            break;
        }
        // No scheme is longer than this one; a longer run is a path.
        if name.len() >= "javascript".len() || !c.is_ascii_alphabetic() {
            return None;
        }
        name.push(c.to_ascii_lowercase());
    }
    match name.as_str() {
        "javascript" => Some(Scheme::Javascript),
        "vbscript" => Some(Scheme::Vbscript),
        "data" => {
            // The media type runs to `;` or `,`; spaces around it do not count.
            let mime: String = chars
                .take_while(|c| !matches!(c, ';' | ','))
                .take(64)
                .collect::<String>()
                .trim_matches(|c: char| c.is_ascii_whitespace())
                .to_ascii_lowercase();
            let safe = match mime.strip_prefix("image/") {
                Some("svg+xml") => image,
                Some(_) => true,
                None => false,
            };
            (!safe).then_some(Scheme::Data)
        }
        _ => None,
    }
}

/// An event-handler attribute name (`onclick`, `OnError`…).
pub fn is_handler(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
}

/// Attributes whose value a browser follows as a URL.
const URL_ATTRS: &[&str] = &["href", "src", "action", "formaction", "xlink:href", "data"];

/// SVG animation elements, which can set any attribute (an `href` too) to
/// the values of these.
const ANIMATION: &[&str] = &[
    "animate",
    "animatecolor",
    "animatemotion",
    "animatetransform",
    "set",
];
const ANIMATION_VALUES: &[&str] = &["to", "from", "by", "values"];

/// Tags whose `src` or `href` is shown as an image.
const IMAGES: &[&str] = &["img", "image", "feimage"];

/// The unsafe attributes of one tag: `(attribute span, what)`.
pub fn check_tag(tag: &Tag<'_>) -> Vec<(Range<usize>, What)> {
    let mut found = Vec::new();
    for attr in &tag.attrs {
        if is_handler(&attr.name) {
            found.push((
                attr.span.clone(),
                What::Handler {
                    tag: tag.name.clone(),
                    attr: attr.name.clone(),
                },
            ));
            continue;
        }
        let Some(value) = attr.value.as_deref() else {
            continue;
        };
        let name = attr.name.as_str();
        let image = IMAGES.contains(&tag.name.as_str()) && name != "data";
        let unsafe_scheme = if URL_ATTRS.contains(&name) {
            scheme(value, image)
        } else if ANIMATION.contains(&tag.name.as_str()) && ANIMATION_VALUES.contains(&name) {
            value.split(';').find_map(|v| scheme(v, false))
        } else {
            None
        };
        if let Some(s) = unsafe_scheme {
            found.push((
                attr.span.clone(),
                What::UrlAttr {
                    scheme: s,
                    tag: tag.name.clone(),
                    attr: attr.name.clone(),
                    url: value.to_owned(),
                },
            ));
        }
    }
    found
}

/// Scripts in an SVG file: `<script>` elements, `on*` attributes and
/// unsafe URLs, at their offsets in `text`.
pub fn svg(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    for tag in raw_html::tags(text, Syntax::Xml) {
        // `svg:script` is the same element with a namespace prefix.
        if tag.name == "script" || tag.name.ends_with(":script") {
            found.push(Finding {
                span: tag.span.clone(),
                what: What::Script,
            });
        }
        found.extend(
            check_tag(&tag)
                .into_iter()
                .map(|(span, what)| Finding { span, what }),
        );
    }
    found
}

/// Where `name` (its `nth` use, from 0) is written in the `{…}` attribute
/// block of a heading whose source is `heading`, as an offset range in
/// it. The block is the last `{…}` at the end of the heading's last line
/// of text (an ATX heading's only line, a setext heading's line above its
/// underline), split on spaces, as pulldown-cmark reads it.
pub fn heading_attr(heading: &str, name: &str, nth: usize) -> Option<Range<usize>> {
    let mut line_end = heading.len();
    loop {
        let line_start = heading[..line_end].rfind('\n').map_or(0, |i| i + 1);
        let line = heading[line_start..line_end].trim_end_matches([' ', '\t', '\r', '\n']);
        if let Some(inner) = line.strip_suffix('}') {
            let open = inner.rfind(['{', '}', '<', '>', '\\'])?;
            if inner.as_bytes()[open] != b'{' {
                return None;
            }
            let block = line_start + open + 1;
            let mut seen = 0;
            let mut at = 0;
            let content = &inner[open + 1..];
            for token in content.split(|c: char| c.is_ascii_whitespace()) {
                let start = at;
                at += token.len() + 1;
                if token.len() < 2 || token.starts_with(['#', '.']) {
                    continue;
                }
                let key = token.split_once('=').map_or(token, |(k, _)| k);
                if key == name {
                    if seen == nth {
                        return Some(block + start..block + start + token.len());
                    }
                    seen += 1;
                }
            }
            return None;
        }
        if line_start == 0 {
            return None;
        }
        line_end = line_start - 1;
    }
}

/// Where a piece of event text starts in the text it joins, and the range
/// of the file it comes from.
pub type Piece = (usize, Range<usize>);

/// The offset in the file of byte `at` of `html`: text that pulldown-cmark
/// gave as events, piece `i` starting at `pieces[i].0` in `html` and coming
/// from `pieces[i].1` in `source`. An event's text can lack what its
/// source holds at the start of a line (`> ` of a block quote, the indent
/// of a list item): within a line, positions are counted from the line's
/// end, which both share. `end`: `at` ends a range (a piece boundary
/// belongs to the piece before it).
pub fn to_source(source: &str, html: &str, pieces: &[Piece], at: usize, end: bool) -> usize {
    let i = pieces
        .partition_point(|(start, _)| if end { *start < at } else { *start <= at })
        .saturating_sub(1);
    let Some((piece_start, span)) = pieces.get(i) else {
        return 0;
    };
    let piece_end = pieces.get(i + 1).map_or(html.len(), |p| p.0);
    let (Some(piece), Some(src)) = (html.get(*piece_start..piece_end), source.get(span.clone()))
    else {
        return span.start;
    };
    let off = at.saturating_sub(*piece_start).min(piece.len());
    let Some(before) = piece.get(..off) else {
        return span.start;
    };
    let line = before.matches('\n').count();
    let line_end = piece[off..].find('\n').map_or(piece.len(), |n| off + n);
    let from_end = piece[off..line_end].trim_end_matches('\r').len();
    // The same line in the source.
    let mut src_start = 0;
    for _ in 0..line {
        match src[src_start..].find('\n') {
            Some(n) => src_start += n + 1,
            None => return span.end,
        }
    }
    let src_end = src[src_start..]
        .find('\n')
        .map_or(src.len(), |n| src_start + n);
    let src_line = src[src_start..src_end].trim_end_matches('\r');
    span.start + src_start + src_line.len().saturating_sub(from_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_a_browser_reads_them() {
        for (url, want) in [
            ("javascript:alert(1)", Some(Scheme::Javascript)),
            ("JaVa\tScRiPt:alert(1)", Some(Scheme::Javascript)),
            ("\u{1} \n javascript:x", Some(Scheme::Javascript)),
            ("java\r\nscript:x", Some(Scheme::Javascript)),
            ("VBScript:x", Some(Scheme::Vbscript)),
            ("data:text/html,<script>x</script>", Some(Scheme::Data)),
            ("data:,hello", Some(Scheme::Data)),
            ("DATA: Text/HTML;base64,xx", Some(Scheme::Data)),
            ("data:image/png;base64,AAAA", None),
            ("data:IMAGE/GIF,x", None),
            ("data:image/svg+xml,<svg onload=x>", Some(Scheme::Data)),
            ("https://e.x/javascript:x", None),
            ("javascript", None),
            ("java script:x", None),
            ("javascripts:x", None),
            ("./javascript:x", None),
            ("%6Aavascript:x", None),
            ("\u{a0}javascript:x", None),
            ("", None),
            ("é:x", None),
        ] {
            assert_eq!(scheme(url, false), want, "{url:?}");
        }
        assert_eq!(scheme("data:image/svg+xml,<svg/>", true), None);
        assert_eq!(scheme("javascript:x", true), Some(Scheme::Javascript));
    }

    #[test]
    fn handlers_start_with_on() {
        assert!(is_handler("onclick"));
        assert!(is_handler("OnError"));
        assert!(!is_handler("on"));
        assert!(!is_handler("class"));
        assert!(!is_handler("ö"));
    }

    fn findings(html: &str) -> Vec<(String, What)> {
        raw_html::tags(html, Syntax::Html)
            .flat_map(|t| check_tag(&t))
            .map(|(span, what)| (html[span].to_owned(), what))
            .collect()
    }

    #[test]
    fn tags_with_handlers_and_unsafe_urls() {
        let found = findings(
            "<a href=\"&#x6A;avascript:x\">a</a><img src=x onerror=y>\
             <img src='data:image/svg+xml,x'><object data=data:text/html,x>\
             <svg><set attributeName=href to=javascript:z /></svg>\
             <a href=\"https://ok\" title=\"javascript:fine\"><form action=vbscript:v>",
        );
        let spans: Vec<&str> = found.iter().map(|(s, _)| s.as_str()).collect();
        assert_eq!(
            spans,
            [
                "href=\"&#x6A;avascript:x\"",
                "onerror=y",
                "data=data:text/html,x",
                "to=javascript:z",
                "action=vbscript:v"
            ]
        );
        assert_eq!(
            found[0].1,
            What::UrlAttr {
                scheme: Scheme::Javascript,
                tag: "a".into(),
                attr: "href".into(),
                url: "javascript:x".into()
            }
        );
        assert_eq!(
            found[1].1,
            What::Handler {
                tag: "img".into(),
                attr: "onerror".into()
            }
        );
    }

    #[test]
    fn svg_scripts_handlers_and_urls() {
        let text = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">\n\
                    <!-- <script> -->\n<script>alert(1)</script>\n<rect onclick=\"x\"/>\n\
                    <a xlink:href=\"javascript:y\"><text>javascript: is fine as text</text></a>\n</svg>\n";
        let found = svg(text);
        let at: Vec<(usize, &str)> = found
            .iter()
            .map(|f| {
                (
                    crate::diagnostics::line_col(text, f.span.start).0,
                    &text[f.span.clone()],
                )
            })
            .collect();
        assert_eq!(
            at,
            [
                (4, "<script>"),
                (5, "onclick=\"x\""),
                (6, "xlink:href=\"javascript:y\"")
            ]
        );
        assert!(svg("<svg><circle r=\"1\"/></svg>").is_empty());
    }

    #[test]
    fn heading_attributes_are_found_in_their_block() {
        let h = "## Notes {#n onclick=alert(1) .x OnClick onclick=2}\n";
        let at = heading_attr(h, "onclick", 0).expect("found");
        assert_eq!(&h[at], "onclick=alert(1)");
        let at = heading_attr(h, "onclick", 1).expect("found");
        assert_eq!(&h[at], "onclick=2");
        assert_eq!(&h[heading_attr(h, "OnClick", 0).expect("found")], "OnClick");
        let setext = "Notes {onclick=x}  \r\n-----\n";
        assert_eq!(
            &setext[heading_attr(setext, "onclick", 0).expect("found")],
            "onclick=x"
        );
        assert_eq!(heading_attr("## a {b=1}", "onclick", 0), None);
        assert_eq!(heading_attr("## a <x> b=1}", "b", 0), None);
        assert_eq!(heading_attr("", "b", 0), None);
        assert_eq!(heading_attr("é}\n", "b", 0), None);
    }

    #[test]
    fn event_offsets_map_to_the_source_line() {
        // A block quote's `> ` is in the source, not in the event's text.
        let source = "> <img\n> src=x onerror=y>\n";
        let html = "<img\nsrc=x onerror=y>";
        let pieces = [(0, 2..source.len() - 1)];
        let at = html.find("onerror").expect("in html");
        let mapped = to_source(source, html, &pieces, at, false);
        assert_eq!(&source[mapped..mapped + 7], "onerror");
        // Line events of an HTML block: each its own piece.
        let source = "<div\n onclick=\"x\">\n";
        let html = "<div\n onclick=\"x\">\n";
        let pieces = [(0, 0..5), (5, 5..19)];
        let at = html.find("onclick").expect("in html");
        assert_eq!(to_source(source, html, &pieces, at, false), at);
        assert_eq!(to_source(source, html, &pieces, 5, true), 5);
        assert_eq!(to_source(source, html, &[], 3, false), 0);
        // A span past the text does not panic.
        assert_eq!(to_source("ab", "abc", &[(0, 0..9)], 2, false), 0);
    }
}
