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
    /// An entity declared in an SVG file's DOCTYPE: its text is parsed as
    /// markup where it is used, so it can hide any of the above.
    Entity,
}

/// The unsafe scheme of `url`, if it has one. As a browser does (the URL
/// standard), leading C0 controls and spaces are skipped, every tab, CR and
/// LF is ignored, and case does not matter: `  JaVa\tScRiPt:` is
/// `javascript:`. `data:` is fine with an image type; `image/svg+xml` only
/// where the URL is shown as an image (`image`), since an SVG document
/// opened or framed on its own can run script.
pub(crate) fn scheme(url: &str, image: bool) -> Option<Scheme> {
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
pub(crate) fn is_handler(name: &str) -> bool {
    name.len() > 2 && name.as_bytes()[..2].eq_ignore_ascii_case(b"on")
}

/// Attributes whose value a browser follows as a URL.
const URL_ATTRS: &[&str] = &["href", "src", "action", "formaction", "data"];

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
pub(crate) fn check_tag(tag: &Tag<'_>) -> Vec<(Range<usize>, What)> {
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
        // `xlink:href`, `x:href` with any prefix bound to XLink: the
        // local name is what a browser follows.
        let name = attr
            .name
            .rsplit_once(':')
            .map_or(attr.name.as_str(), |(_, local)| local);
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
pub(crate) fn svg(text: &str) -> Vec<Finding> {
    let mut found = Vec::new();
    // A scanner of tags does not expand entities; their declarations are
    // reported instead (an SVG drawn by a tool declares none).
    let lower = text.to_ascii_lowercase();
    let mut from = 0;
    while let Some(at) = lower[from..].find("<!entity") {
        let start = from + at;
        found.push(Finding {
            span: start..start + "<!ENTITY".len(),
            what: What::Entity,
        });
        from = start + 1;
    }
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

/// Where each attribute of a heading's `{…}` block is written (ids and
/// classes left out), in order, as offset ranges in `heading`, the
/// heading's source: the `n`th is pulldown-cmark's `attrs[n]`. The block
/// is the last `{…}` at the end of the heading's last line of text (an ATX
/// heading's only line, a setext heading's line above its underline),
/// split on spaces, as pulldown-cmark reads it. Empty when there is none.
pub(crate) fn heading_attrs(heading: &str) -> Vec<Range<usize>> {
    let mut line_end = heading.len();
    loop {
        let line_start = heading[..line_end].rfind('\n').map_or(0, |i| i + 1);
        let line = heading[line_start..line_end].trim_end_matches([' ', '\t', '\r', '\n']);
        if let Some(inner) = line.strip_suffix('}') {
            let Some(open) = inner.rfind(['{', '}', '<', '>', '\\']) else {
                return Vec::new();
            };
            if inner.as_bytes()[open] != b'{' {
                return Vec::new();
            }
            let block = line_start + open + 1;
            let mut found = Vec::new();
            let mut at = block;
            for token in inner[open + 1..].split(|c: char| c.is_ascii_whitespace()) {
                let start = at;
                // Each separator is one ASCII byte.
                at += token.len() + 1;
                if token.len() > 1 && !token.starts_with(['#', '.']) {
                    found.push(start..start + token.len());
                }
            }
            return found;
        }
        if line_start == 0 {
            return Vec::new();
        }
        line_end = line_start - 1;
    }
}

/// Where a piece of event text starts in the text it joins, and the range
/// of the file it comes from.
pub(crate) type Piece = (usize, Range<usize>);

/// Maps offsets in text that pulldown-cmark gave as events back to the
/// file: piece `i` of `html` starts at `pieces[i].0` and comes from
/// `pieces[i].1` of `source`. An event's text can lack what its source
/// holds at the start of a line (`> ` of a block quote, the indent of a
/// list item), so within a line positions are counted from the line's
/// end, which both share. The line tables of the piece last asked about
/// are kept: findings come in order, so a text with thousands of them is
/// still read once.
#[derive(Debug)]
pub(crate) struct EventMap<'a> {
    source: &'a str,
    html: &'a str,
    pieces: &'a [Piece],
    /// Piece index, then where its lines start in its text and in its
    /// source.
    lines: Option<(usize, Vec<usize>, Vec<usize>)>,
}

fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

fn without_cr(line: &str) -> &str {
    line.strip_suffix('\r').unwrap_or(line)
}

impl<'a> EventMap<'a> {
    pub(crate) fn new(source: &'a str, html: &'a str, pieces: &'a [Piece]) -> EventMap<'a> {
        EventMap {
            source,
            html,
            pieces,
            lines: None,
        }
    }

    /// The offset in the file of byte `at` of the text. `end`: `at` ends
    /// a range, so a piece boundary belongs to the piece before it.
    pub(crate) fn offset(&mut self, at: usize, end: bool) -> usize {
        let i = self
            .pieces
            .partition_point(|(start, _)| if end { *start < at } else { *start <= at })
            .saturating_sub(1);
        let Some((piece_start, span)) = self.pieces.get(i) else {
            return 0;
        };
        let piece_end = self.pieces.get(i + 1).map_or(self.html.len(), |p| p.0);
        let (Some(piece), Some(src)) = (
            self.html.get(*piece_start..piece_end),
            self.source.get(span.clone()),
        ) else {
            return span.start;
        };
        let off = at.saturating_sub(*piece_start).min(piece.len());
        if !piece.is_char_boundary(off) {
            return span.start;
        }
        if self.lines.as_ref().is_none_or(|(n, _, _)| *n != i) {
            self.lines = Some((i, line_starts(piece), line_starts(src)));
        }
        let Some((_, piece_lines, src_lines)) = &self.lines else {
            return span.start;
        };
        // The first start is 0, so the line is found.
        let line = piece_lines.partition_point(|&s| s <= off).saturating_sub(1);
        let line_end = piece_lines.get(line + 1).map_or(piece.len(), |&s| s - 1);
        let from_end = without_cr(piece.get(off..line_end).unwrap_or("")).len();
        let Some(&src_start) = src_lines.get(line) else {
            return span.end;
        };
        let src_end = src_lines.get(line + 1).map_or(src.len(), |&s| s - 1);
        let src_line = without_cr(src.get(src_start..src_end).unwrap_or(""));
        span.start + src_start + src_line.len().saturating_sub(from_end)
    }
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
        // Any prefix bound to XLink, and entities that would hide markup.
        let prefixed = "<svg xmlns:x=\"http://www.w3.org/1999/xlink\"><a x:href=\"javascript:alert(1)\"><text>c</text></a></svg>";
        assert_eq!(svg(prefixed).len(), 1, "x:href");
        let entity = "<!DOCTYPE svg [<!ENTITY s \"&#60;script&#62;alert(1)&#60;/script&#62;\">]><svg>&s;</svg>";
        let found = svg(entity);
        assert_eq!(found.len(), 1);
        assert_eq!(&entity[found[0].span.clone()], "<!ENTITY");
    }

    #[test]
    fn heading_attributes_are_found_in_their_block() {
        let h = "## Notes {#n onclick=alert(1) .x OnClick  onclick=2 x}\n";
        let found: Vec<&str> = heading_attrs(h).into_iter().map(|r| &h[r]).collect();
        assert_eq!(found, ["onclick=alert(1)", "OnClick", "onclick=2"]);
        let setext = "Notes {onclick=x}  \r\n-----\n";
        let found: Vec<&str> = heading_attrs(setext)
            .into_iter()
            .map(|r| &setext[r])
            .collect();
        assert_eq!(found, ["onclick=x"]);
        assert!(heading_attrs("## a <x> b=1}").is_empty());
        assert!(heading_attrs("").is_empty());
        assert!(heading_attrs("é}\n").is_empty());
        assert!(heading_attrs("## a\n").is_empty());
    }

    #[test]
    fn event_offsets_map_to_the_source_line() {
        // A block quote's `> ` is in the source, not in the event's text.
        let source = "> <img\n> src=x onerror=y>\n";
        let html = "<img\nsrc=x onerror=y>";
        let pieces = [(0, 2..source.len() - 1)];
        let at = html.find("onerror").expect("in html");
        let mapped = EventMap::new(source, html, &pieces).offset(at, false);
        assert_eq!(&source[mapped..mapped + 7], "onerror");
        // Line events of an HTML block: each its own piece.
        let source = "<div\n onclick=\"x\">\r\n";
        let html = "<div\n onclick=\"x\">\n";
        let pieces = [(0, 0..5), (5, 5..20)];
        let mut map = EventMap::new(source, html, &pieces);
        let at = html.find("onclick").expect("in html");
        assert_eq!(map.offset(at, false), at);
        assert_eq!(map.offset(5, true), 5);
        assert_eq!(map.offset(html.len() - 1, true), source.len() - 2);
        assert_eq!(EventMap::new(source, html, &[]).offset(3, false), 0);
        // A span past the text does not panic.
        assert_eq!(EventMap::new("ab", "abc", &[(0, 0..9)]).offset(2, false), 0);
        assert_eq!(EventMap::new("é", "é", &[(0, 0..2)]).offset(1, false), 0);
    }
}
