//! A small scanner for the start tags in raw HTML (the HTML written inside
//! Markdown) and in SVG files: each tag's name and attributes, values
//! decoded the way a browser decodes them, and where each attribute is in
//! the text, so a finding can point at it.
//!
//! It builds no tree and checks no nesting; it follows the WHATWG
//! tokenizer's rules for where a tag, a comment and an attribute start and
//! end (quoted, single-quoted and unquoted values, `<a href="x"onclick=y>`,
//! a `/` between attributes, comments, the raw text of `<script>` and
//! `<style>`), which is what decides what a browser will see. A tag that
//! never closes runs to the end of the text: the page continues after it,
//! so the browser would read on.

use std::borrow::Cow;
use std::collections::HashSet;
use std::ops::Range;

/// How the text is tokenized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// HTML: `<script>`, `<style>` and the like hold raw text, not tags.
    Html,
    /// XML (an SVG file): `<![CDATA[…]]>` sections and a DOCTYPE's internal
    /// subset are skipped; no element holds raw text.
    Xml,
}

/// A start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag<'a> {
    /// ASCII-lowercased, as a browser stores HTML names.
    pub name: String,
    /// From `<` through `>`, or to the end of the text for a tag that never
    /// closes.
    pub span: Range<usize>,
    /// In the order written; a repeated name keeps its first use only, as
    /// in a browser.
    pub attrs: Vec<Attr<'a>>,
}

/// An attribute of a start tag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Attr<'a> {
    /// ASCII-lowercased; a prefix stays part of it (`xlink:href`).
    pub name: String,
    /// With character references decoded (`&#x6A;`, `&colon;`); `None` for
    /// an attribute written without `=`.
    pub value: Option<Cow<'a, str>>,
    /// From the first character of the name through the end of the value
    /// (its closing quote included).
    pub span: Range<usize>,
    /// The value as written, its quotes included (to the end of the text
    /// when the closing quote is missing); empty, just after the name,
    /// for an attribute written without `=`. What a rewrite of the value
    /// replaces.
    pub value_span: Range<usize>,
}

/// The start tags of `text`, in order.
pub(crate) fn tags(text: &str, syntax: Syntax) -> Tags<'_> {
    Tags {
        text,
        pos: 0,
        syntax,
    }
}

/// Iterator over the start tags of a text; see [`tags`].
#[derive(Debug, Clone)]
pub(crate) struct Tags<'a> {
    text: &'a str,
    pos: usize,
    syntax: Syntax,
}

/// Elements whose content is text up to their end tag (HTML only).
const RAW_TEXT: &[&str] = &[
    "script", "style", "xmp", "iframe", "noembed", "noframes", "noscript", "textarea", "title",
];

fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// Position just after the first `needle` at or after `from`, or the end.
fn after(bytes: &[u8], from: usize, needle: &[u8]) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.windows(needle.len()).position(|w| w == needle))
        .map_or(bytes.len(), |i| from + i + needle.len())
}

fn starts_with_ignore_case(bytes: &[u8], at: usize, prefix: &[u8]) -> bool {
    bytes
        .get(at..at + prefix.len())
        .is_some_and(|b| b.eq_ignore_ascii_case(prefix))
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        let bytes = self.text.as_bytes();
        loop {
            let lt = self.pos + bytes.get(self.pos..)?.iter().position(|&b| b == b'<')?;
            let next = bytes.get(lt + 1).copied();
            match next {
                Some(b'!') => self.pos = self.skip_markup_declaration(lt),
                // A processing instruction (XML) or a bogus comment (HTML).
                Some(b'?') => self.pos = after(bytes, lt, b">"),
                Some(b'/') => match bytes.get(lt + 2) {
                    // An end tag: its attributes (allowed by the tokenizer,
                    // then dropped) can hold a quoted `>`.
                    Some(b) if b.is_ascii_alphabetic() => self.pos = self.tag(lt, lt + 2).1,
                    _ => self.pos = after(bytes, lt, b">"),
                },
                Some(b) if b.is_ascii_alphabetic() => {
                    let (tag, end) = self.tag(lt, lt + 1);
                    self.pos = end;
                    if self.syntax == Syntax::Html {
                        if tag.name == "plaintext" {
                            self.pos = bytes.len();
                        } else if RAW_TEXT.contains(&tag.name.as_str()) {
                            self.pos = self.raw_text_end(end, &tag.name);
                        }
                    }
                    return Some(tag);
                }
                // A `<` that starts nothing is text.
                _ => self.pos = lt + 1,
            }
        }
    }
}

impl<'a> Tags<'a> {
    /// `<!…` at `lt`: a comment, CDATA, a DOCTYPE or a bogus comment.
    /// Returns where scanning goes on.
    fn skip_markup_declaration(&self, lt: usize) -> usize {
        let bytes = self.text.as_bytes();
        if bytes.get(lt + 2..lt + 4) == Some(b"--") {
            let body = lt + 4;
            // `<!-->` and `<!--->` close at once (HTML).
            if bytes.get(body) == Some(&b'>') {
                return body + 1;
            }
            if bytes.get(body..body + 2) == Some(b"->") {
                return body + 2;
            }
            // `--!>` also ends a comment in HTML; taking the earlier end
            // can only make more of the text visible to the scan.
            return after(bytes, body, b"-->").min(after(bytes, body, b"--!>"));
        }
        if self.syntax == Syntax::Xml {
            if bytes.get(lt + 2..lt + 9) == Some(b"[CDATA[") {
                return after(bytes, lt + 9, b"]]>");
            }
            if starts_with_ignore_case(bytes, lt + 2, b"doctype") {
                return doctype_end(bytes, lt + 9);
            }
        }
        after(bytes, lt, b">")
    }

    /// The end of the raw text of `<name>` that ends at `from`: just before
    /// `</name` followed by a space, `/` or `>`; the end of the text when
    /// there is none.
    fn raw_text_end(&self, from: usize, name: &str) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while let Some(found) = bytes
            .get(i..)
            .and_then(|r| r.windows(2).position(|w| w == b"</"))
        {
            let at = i + found;
            let name_end = at + 2 + name.len();
            if starts_with_ignore_case(bytes, at + 2, name.as_bytes())
                && bytes
                    .get(name_end)
                    .is_none_or(|&b| is_space(b) || b == b'/' || b == b'>')
            {
                return at;
            }
            i = at + 2;
        }
        bytes.len()
    }

    /// Reads the tag whose `<` is at `lt` and whose name starts at
    /// `name_start`. Returns it and where scanning goes on.
    fn tag(&self, lt: usize, name_start: usize) -> (Tag<'a>, usize) {
        let text = self.text;
        let bytes = text.as_bytes();
        let len = bytes.len();
        let mut j = name_start;
        while j < len && !is_space(bytes[j]) && bytes[j] != b'/' && bytes[j] != b'>' {
            j += 1;
        }
        let mut tag = Tag {
            name: text[name_start..j].to_ascii_lowercase(),
            span: lt..len,
            attrs: Vec::new(),
        };
        // Names seen, once a tag has many: a hostile tag with thousands of
        // attributes must not cost a comparison with each for each.
        let mut seen: Option<HashSet<String>> = None;
        loop {
            // Before an attribute name: spaces and stray slashes.
            while j < len && (is_space(bytes[j]) || bytes[j] == b'/') {
                j += 1;
            }
            if j >= len {
                return (tag, len);
            }
            if bytes[j] == b'>' {
                tag.span.end = j + 1;
                return (tag, j + 1);
            }
            // The name; a leading `=` belongs to it.
            let name_start = j;
            if bytes[j] == b'=' {
                j += 1;
            }
            while j < len && !is_space(bytes[j]) && !matches!(bytes[j], b'/' | b'>' | b'=') {
                j += 1;
            }
            let name = text[name_start..j].to_ascii_lowercase();
            let mut k = j;
            while k < len && is_space(bytes[k]) {
                k += 1;
            }
            let (value, end, value_start) = if bytes.get(k) == Some(&b'=') {
                k += 1;
                while k < len && is_space(bytes[k]) {
                    k += 1;
                }
                match bytes.get(k) {
                    Some(&q @ (b'"' | b'\'')) => {
                        let close = bytes[k + 1..]
                            .iter()
                            .position(|&b| b == q)
                            .map_or(len, |i| k + 1 + i);
                        let end = (close + 1).min(len);
                        (Some(decode(&text[k + 1..close])), end, k)
                    }
                    // `name=>`: an empty value, and the tag ends.
                    Some(b'>') | None => (Some(Cow::Borrowed("")), k, k),
                    Some(_) => {
                        let mut e = k;
                        while e < len && !is_space(bytes[e]) && bytes[e] != b'>' {
                            e += 1;
                        }
                        (Some(decode(&text[k..e])), e, k)
                    }
                }
            } else {
                (None, j, j)
            };
            j = end;
            let repeated = match &mut seen {
                Some(seen) => !seen.insert(name.clone()),
                None => {
                    let repeated = tag.attrs.iter().any(|a| a.name == name);
                    if tag.attrs.len() >= 16 {
                        let mut names: HashSet<String> =
                            tag.attrs.iter().map(|a| a.name.clone()).collect();
                        names.insert(name.clone());
                        seen = Some(names);
                    }
                    repeated
                }
            };
            if !repeated {
                tag.attrs.push(Attr {
                    name,
                    value,
                    span: name_start..end,
                    value_span: value_start..end,
                });
            }
        }
    }
}

/// The end of a DOCTYPE whose keyword ends at `from`: its `>`, after an
/// internal subset `[…]` whose declarations may quote a `>`.
fn doctype_end(bytes: &[u8], from: usize) -> usize {
    let mut i = from;
    let mut quote: Option<u8> = None;
    let mut subset = false;
    while i < bytes.len() {
        let b = bytes[i];
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None => match b {
                b'"' | b'\'' => quote = Some(b),
                b'[' => subset = true,
                b']' => subset = false,
                b'>' if !subset => return i + 1,
                _ => {}
            },
        }
        i += 1;
    }
    bytes.len()
}

/// Named character references decoded in attribute values: those that
/// stand for ASCII characters (one of them could complete `javascript:`),
/// and the no-break space. Any other name is kept as written, which can
/// hide no scheme.
const NAMED: &[(&str, &str)] = &[
    ("AMP", "&"),
    ("GT", ">"),
    ("Hat", "^"),
    ("LT", "<"),
    ("NewLine", "\n"),
    ("QUOT", "\""),
    ("Tab", "\t"),
    ("UnderBar", "_"),
    ("VerticalLine", "|"),
    ("amp", "&"),
    ("apos", "'"),
    ("ast", "*"),
    ("bsol", "\\"),
    ("colon", ":"),
    ("comma", ","),
    ("commat", "@"),
    ("dollar", "$"),
    ("equals", "="),
    ("excl", "!"),
    ("fjlig", "fj"),
    ("grave", "`"),
    ("gt", ">"),
    ("lbrace", "{"),
    ("lbrack", "["),
    ("lcub", "{"),
    ("lowbar", "_"),
    ("lpar", "("),
    ("lsqb", "["),
    ("lt", "<"),
    ("midast", "*"),
    ("nbsp", "\u{a0}"),
    ("num", "#"),
    ("percnt", "%"),
    ("period", "."),
    ("plus", "+"),
    ("quest", "?"),
    ("quot", "\""),
    ("rbrace", "}"),
    ("rbrack", "]"),
    ("rcub", "}"),
    ("rpar", ")"),
    ("rsqb", "]"),
    ("semi", ";"),
    ("sol", "/"),
    ("verbar", "|"),
    ("vert", "|"),
];

/// Names a browser also decodes without the `;` (legacy references).
const LEGACY: &[&str] = &["AMP", "GT", "LT", "QUOT", "amp", "gt", "lt", "nbsp", "quot"];

/// What `&#128;`–`&#159;` stand for: the Windows-1252 characters, as in a
/// browser; `None` where Windows-1252 has a hole (the code point is kept).
const C1: [Option<char>; 32] = [
    Some('\u{20AC}'),
    None,
    Some('\u{201A}'),
    Some('\u{0192}'),
    Some('\u{201E}'),
    Some('\u{2026}'),
    Some('\u{2020}'),
    Some('\u{2021}'),
    Some('\u{02C6}'),
    Some('\u{2030}'),
    Some('\u{0160}'),
    Some('\u{2039}'),
    Some('\u{0152}'),
    None,
    Some('\u{017D}'),
    None,
    None,
    Some('\u{2018}'),
    Some('\u{2019}'),
    Some('\u{201C}'),
    Some('\u{201D}'),
    Some('\u{2022}'),
    Some('\u{2013}'),
    Some('\u{2014}'),
    Some('\u{02DC}'),
    Some('\u{2122}'),
    Some('\u{0161}'),
    Some('\u{203A}'),
    Some('\u{0153}'),
    None,
    Some('\u{017E}'),
    Some('\u{0178}'),
];

/// An attribute value with its character references decoded.
pub(crate) fn decode(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let bytes = raw.as_bytes();
    let mut out = String::with_capacity(raw.len());
    let mut i = 0;
    while let Some(amp) = bytes[i..].iter().position(|&b| b == b'&').map(|p| i + p) {
        out.push_str(&raw[i..amp]);
        match reference(raw, amp + 1) {
            Some((decoded, end)) => {
                out.push_str(&decoded);
                i = end;
            }
            None => {
                out.push('&');
                i = amp + 1;
            }
        }
    }
    out.push_str(&raw[i..]);
    Cow::Owned(out)
}

/// The character reference after a `&` at `from - 1`: what it stands for
/// and where it ends; `None` when the `&` is plain text.
fn reference(raw: &str, from: usize) -> Option<(Cow<'static, str>, usize)> {
    let bytes = raw.as_bytes();
    if bytes.get(from) == Some(&b'#') {
        let hex = matches!(bytes.get(from + 1), Some(b'x' | b'X'));
        let digits = if hex { from + 2 } else { from + 1 };
        let radix = if hex { 16 } else { 10 };
        let mut end = digits;
        let mut value: u32 = 0;
        while let Some(d) = bytes.get(end).and_then(|&b| (b as char).to_digit(radix)) {
            // Past U+10FFFF it only needs to stay past it.
            value = value.saturating_mul(radix).saturating_add(d).min(0x11_0000);
            end += 1;
        }
        if end == digits {
            return None;
        }
        if bytes.get(end) == Some(&b';') {
            end += 1;
        }
        let c = match value {
            0 | 0xD800..=0xDFFF | 0x11_0000.. => '\u{FFFD}',
            0x80..=0x9F => C1[(value - 0x80) as usize]
                .or_else(|| char::from_u32(value))
                .unwrap_or('\u{FFFD}'),
            v => char::from_u32(v).unwrap_or('\u{FFFD}'),
        };
        return Some((Cow::Owned(c.to_string()), end));
    }
    let name_end = bytes[from..]
        .iter()
        .position(|b| !b.is_ascii_alphanumeric())
        .map_or(bytes.len(), |i| from + i);
    let name = &raw[from..name_end];
    let found = NAMED.iter().find(|(n, _)| *n == name)?.1;
    if bytes.get(name_end) == Some(&b';') {
        return Some((Cow::Borrowed(found), name_end + 1));
    }
    // Without `;`, only legacy names, and not before `=` (a query string
    // such as `?a=1&lt=2` keeps its text).
    (LEGACY.contains(&name) && bytes.get(name_end) != Some(&b'='))
        .then_some((Cow::Borrowed(found), name_end))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn html(text: &str) -> Vec<Tag<'_>> {
        tags(text, Syntax::Html).collect()
    }

    /// `(name, value)` of each attribute of the one tag in `text`.
    fn attrs(text: &str) -> Vec<(String, Option<String>)> {
        let tags = html(text);
        assert_eq!(tags.len(), 1, "{text}");
        tags[0]
            .attrs
            .iter()
            .map(|a| (a.name.clone(), a.value.as_deref().map(str::to_owned)))
            .collect()
    }

    fn pairs(list: &[(&str, Option<&str>)]) -> Vec<(String, Option<String>)> {
        list.iter()
            .map(|(n, v)| ((*n).to_owned(), v.map(str::to_owned)))
            .collect()
    }

    #[test]
    fn quoted_single_quoted_unquoted_and_bare_values() {
        assert_eq!(
            attrs(r#"<a href="x y" title='it"s' data-n=3 hidden>"#),
            pairs(&[
                ("href", Some("x y")),
                ("title", Some("it\"s")),
                ("data-n", Some("3")),
                ("hidden", None),
            ])
        );
        assert_eq!(
            attrs("<IMG SRC = x OnError\n=\talert(1)>"),
            pairs(&[("src", Some("x")), ("onerror", Some("alert(1)"))])
        );
    }

    #[test]
    fn spans_cover_name_through_value() {
        let text = r#"<p>x <a  href="javascript:y" id=z>t</a>"#;
        let tags = html(text);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[1].name, "a");
        assert_eq!(
            &text[tags[1].span.clone()],
            r#"<a  href="javascript:y" id=z>"#
        );
        assert_eq!(
            &text[tags[1].attrs[0].span.clone()],
            r#"href="javascript:y""#
        );
        assert_eq!(&text[tags[1].attrs[1].span.clone()], "id=z");
    }

    #[test]
    fn attributes_need_no_space_after_a_quote_and_slashes_separate() {
        assert_eq!(
            attrs(r#"<a href="x"onclick=y>"#),
            pairs(&[("href", Some("x")), ("onclick", Some("y"))])
        );
        assert_eq!(
            attrs("<img/src=x/onerror=y>"),
            pairs(&[("src", Some("x/onerror=y"))])
        );
        assert_eq!(
            attrs("<svg/onload=alert(1)>"),
            pairs(&[("onload", Some("alert(1)"))])
        );
        assert_eq!(attrs("<a =x>"), pairs(&[("=x", None)]));
        assert_eq!(attrs("<a b=>"), pairs(&[("b", Some(""))]));
    }

    #[test]
    fn a_tag_with_many_attributes_keeps_each_name_once() {
        let mut text = String::from("<b");
        for i in 0..20_000 {
            text.push_str(&format!(" a{} on{i}=1", i % 40));
        }
        let tags = html(&text);
        assert_eq!(tags[0].attrs.len(), 40 + 20_000);
        assert_eq!(tags[0].attrs[1].name, "on0");
    }

    #[test]
    fn value_spans_hold_the_value_as_written() {
        let text = "<a href = 'x y' title=\"t\" data-x=z hidden src=\"open";
        let tag = &html(text)[0];
        let written: Vec<&str> = tag
            .attrs
            .iter()
            .map(|a| &text[a.value_span.clone()])
            .collect();
        assert_eq!(written, ["'x y'", "\"t\"", "z", "", "\"open"]);
    }

    #[test]
    fn a_quoted_greater_than_does_not_end_the_tag() {
        assert_eq!(
            attrs(r#"<a title="a>b" onclick="x">"#),
            pairs(&[("title", Some("a>b")), ("onclick", Some("x"))])
        );
    }

    #[test]
    fn the_first_of_a_repeated_attribute_wins() {
        assert_eq!(
            attrs(r#"<a href="ok" HREF="javascript:x">"#),
            pairs(&[("href", Some("ok"))])
        );
    }

    #[test]
    fn comments_end_tags_and_declarations_hold_no_tags() {
        let text = "<!-- <a onclick=x> --> <!--> <b onclick=1> <!DOCTYPE html>\
                    </a onclick='<i onclick=2>'> <?php <u onclick=3> ?> <!-x <i> <s> a < b";
        let names: Vec<String> = html(text).into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["b", "s"]);
        assert_eq!(html("<!--- x --!> <q>").len(), 1);
    }

    #[test]
    fn raw_text_elements_hold_no_tags() {
        let text = "<script>'<a onclick=x>'</scripts></script ><style>a[x]{}</STYLE><em>";
        let names: Vec<String> = html(text).into_iter().map(|t| t.name).collect();
        assert_eq!(names, ["script", "style", "em"]);
        assert_eq!(html("<textarea><b></textarea><i>").len(), 2);
        assert_eq!(html("<plaintext><b><i>").len(), 1);
        // In XML, `script` holds markup; CDATA does not.
        let svg = "<script><![CDATA[ '<a onclick=x>' ]]></script><a onclick=y>";
        let names: Vec<String> = tags(svg, Syntax::Xml).map(|t| t.name).collect();
        assert_eq!(names, ["script", "a"]);
    }

    #[test]
    fn a_doctype_subset_may_quote_a_greater_than() {
        let svg = "<!DOCTYPE svg [ <!ENTITY a \"<b>\"> ]><svg onload=x>";
        let found: Vec<Tag<'_>> = tags(svg, Syntax::Xml).collect();
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].name, "svg");
    }

    #[test]
    fn an_unclosed_tag_runs_to_the_end() {
        let text = "<img src=x onerror=\"alert(1)";
        let tags = html(text);
        assert_eq!(tags[0].span, 0..text.len());
        assert_eq!(tags[0].attrs[1].value.as_deref(), Some("alert(1)"));
        assert_eq!(html("<a href=").len(), 1);
        assert_eq!(html("<").len(), 0);
        assert_eq!(html("<a").len(), 1);
    }

    #[test]
    fn character_references_are_decoded() {
        assert_eq!(decode("&#106;avascript&colon;x"), "javascript:x");
        assert_eq!(decode("&#x6A;ava&#X73;cript:x"), "javascript:x");
        assert_eq!(decode("&#0000106avascript:x"), "javascript:x");
        assert_eq!(decode("java&Tab;script&NewLine;:"), "java\tscript\n:");
        assert_eq!(
            decode("a&amp;b&ampc &lt=1 &copy; &unknown; & &#; &#x;"),
            "a&b&ampc &lt=1 &copy; &unknown; & &#; &#x;"
        );
        assert_eq!(
            decode("&#0;&#xD800;&#99999999999;&#x80;&#x81;"),
            "\u{FFFD}\u{FFFD}\u{FFFD}€\u{81}"
        );
        assert_eq!(decode("plain"), "plain");
        assert!(matches!(decode("plain"), Cow::Borrowed(_)));
    }

    #[test]
    fn multi_byte_text_never_splits_a_char() {
        // `<é` starts no tag: a tag name starts with an ASCII letter.
        let text = "é<é é=é>ü<a title=\"日本\" é=ü>&#x65E5;<b x='ü";
        let tags = html(text);
        assert_eq!(tags.len(), 2);
        assert_eq!(tags[0].attrs[0].value.as_deref(), Some("日本"));
        assert_eq!(&text[tags[0].attrs[1].span.clone()], "é=ü");
        assert_eq!(decode("ü&#x65E5;&amp;"), "ü日&");
        // Every cut of a multi-byte text scans without a panic.
        for end in 0..=text.len() {
            if let Some(part) = text.get(..end) {
                let _ = html(part);
                let _: Vec<_> = super::tags(part, Syntax::Xml).collect();
            }
        }
    }
}
