//! Escaping for HTML text and attribute values, percent-encoding for URLs
//! (the only places user text enters markup outside the templates), and
//! which URLs point outside the book.

pub(crate) fn escape_text(out: &mut String, s: &str) {
    // The three bytes found with `memchr` (vectorised); the runs between
    // them copied whole. Each is ASCII: the runs split on char boundaries.
    let bytes = s.as_bytes();
    let mut from = 0;
    for at in memchr::memchr3_iter(b'&', b'<', b'>', bytes) {
        out.push_str(&s[from..at]);
        out.push_str(match bytes[at] {
            b'&' => "&amp;",
            b'<' => "&lt;",
            _ => "&gt;",
        });
        from = at + 1;
    }
    out.push_str(&s[from..]);
}

pub(crate) fn escape_attr(out: &mut String, s: &str) {
    // Most values (URLs, ids, names) hold none of the five: two vectorised
    // scans say so, and the value is copied whole.
    let bytes = s.as_bytes();
    if memchr::memchr3(b'&', b'<', b'>', bytes).is_none()
        && memchr::memchr2(b'"', b'\'', bytes).is_none()
    {
        out.push_str(s);
        return;
    }
    escape_bytes(out, s, |b| match b {
        b'&' => Some("&amp;"),
        b'<' => Some("&lt;"),
        b'>' => Some("&gt;"),
        b'"' => Some("&quot;"),
        b'\'' => Some("&#39;"),
        _ => None,
    });
}

/// Copies `s` into `out` run by run, replacing the ASCII bytes `replace`
/// names: text between replacements is copied whole, not char by char.
fn escape_bytes(out: &mut String, s: &str, replace: impl Fn(u8) -> Option<&'static str>) {
    out.reserve(s.len());
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| replace(b).is_some()) {
        let at = from + i;
        out.push_str(&s[from..at]);
        out.push_str(replace(bytes[at]).unwrap_or_default());
        from = at + 1;
    }
    out.push_str(&s[from..]);
}

pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_attr(&mut out, s);
    out
}

/// A byte [`encode_url_part`] keeps as it is.
pub(crate) fn url_safe(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'_'
                | b'.'
                | b'~'
                | b'!'
                | b'$'
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
        )
}

/// Percent-encodes one path segment or fragment of a URL: everything but
/// unreserved ASCII and a few safe marks, so names with spaces, `#`, `?`,
/// `%` or non-ASCII letters survive in `href`s. `:` is encoded too: a
/// relative `note:x.html` would read as a URL with the scheme `note:`.
pub(crate) fn encode_url_part(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let keep = url_safe;
    let mut from = 0;
    for (i, b) in s.bytes().enumerate() {
        if !keep(b) {
            // Bytes of one non-ASCII char are all encoded, so a copied run
            // always starts and ends on a char boundary.
            if from < i {
                out.push_str(&s[from..i]);
            }
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
            from = i + 1;
        }
    }
    out.push_str(&s[from..]);
}

/// Whether `hay` holds `needle`: `memchr`'s vectorised substring search,
/// several times faster than `contains` with a string on text that rarely
/// holds the needle.
pub(crate) fn has(hay: &str, needle: &str) -> bool {
    memchr::memmem::find(hay.as_bytes(), needle.as_bytes()).is_some()
}

/// Decodes `%xx` escapes; invalid escapes are kept as written.
pub(crate) fn decode_url(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if let Some(b) = hex {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

/// A URL with a scheme (`https:`, `mailto:`) or starting with `//`: left alone.
pub(crate) fn is_external_url(dest: &str) -> bool {
    if dest.starts_with("//") {
        return true;
    }
    // A URL scheme: letters, digits, + - . before the first ':'
    match dest.find(':') {
        Some(i) if i > 1 => {
            let scheme = &dest[..i];
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        _ => false,
    }
}

/// `http:`, `https:`, `mailto:` or `//`: URLs no sanitizer would touch.
pub(crate) fn is_plain_scheme(url: &str) -> bool {
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    ["http:", "https:", "mailto:", "//"]
        .iter()
        .any(|s| lower.starts_with(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_and_decode() {
        let mut out = String::new();
        encode_url_part(&mut out, "a b#c?d%é");
        assert_eq!(out, "a%20b%23c%3Fd%25%C3%A9");
        assert_eq!(decode_url(&out), "a b#c?d%é");
        out.clear();
        encode_url_part(&mut out, "note:x@y.html");
        assert_eq!(out, "note%3Ax%40y.html");
        assert_eq!(decode_url("100%"), "100%");
        assert_eq!(decode_url("%zz"), "%zz");
    }

    #[test]
    fn finds_substrings() {
        assert!(has("a <% b %>", "<%"));
        assert!(!has("a < % b {", "<%"));
        assert!(has("é!!!", "!!!"));
        assert!(!has("!! !", "!!!"));
    }

    #[test]
    fn escapes_quotes() {
        assert_eq!(
            escape("<a href=\"x\">'"),
            "&lt;a href=&quot;x&quot;&gt;&#39;"
        );
        assert_eq!(escape("plain/url.html#é"), "plain/url.html#é");
    }

    #[test]
    fn escapes_text_around_multibyte_chars() {
        let mut out = String::new();
        escape_text(&mut out, "é<b>&\"ü\"");
        assert_eq!(out, "é&lt;b&gt;&amp;\"ü\"");
        out.clear();
        escape_text(&mut out, "no marks");
        assert_eq!(out, "no marks");
    }
}
