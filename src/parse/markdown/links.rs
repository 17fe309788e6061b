//! Links, images, embeds and footnote references: written with holes the
//! renderer fills per page, noted in the body's link list, and checked for
//! unsafe URLs. Raw HTML gets the same: its `href`s and `src`s become
//! holes and links, and its tags are checked for unsafe URLs.

use super::*;

impl Writer<'_> {
    pub(super) fn start_link(
        &mut self,
        link_type: LinkType,
        dest: &str,
        title: &str,
        span: Range<usize>,
    ) {
        if link_type != LinkType::Email {
            self.check_url(dest, &span, false);
        }
        let external = match link_type {
            LinkType::Email => Some(format!("mailto:{dest}")),
            LinkType::WikiLink { .. } => None,
            _ if is_external_url(dest) => Some(dest.to_owned()),
            // `java&#9;script:` is a scheme to a browser: the unsafe-url
            // warning says what it is, not a broken link to a page.
            _ if unsafe_url::scheme(dest, false).is_some() => Some(dest.to_owned()),
            _ => None,
        };
        self.push("<a href=\"");
        match external {
            Some(url) => {
                self.body.raw |= !is_plain_scheme(&url);
                escape_attr(&mut self.body.html, &url);
            }
            None => {
                let kind = match link_type {
                    LinkType::WikiLink { has_pothole } => LinkKind::Wiki { label: has_pothole },
                    _ => LinkKind::Markdown,
                };
                let n = self.add_link(dest, kind, span);
                self.hole(Hole::Href(n));
                if kind == (LinkKind::Wiki { label: false }) {
                    self.push("\">");
                    self.hole(Hole::LinkText(n));
                    if let Some(p) = &mut self.plain {
                        p.link_title(n);
                    }
                    self.wiki_text = true;
                    return;
                }
            }
        }
        self.push("\"");
        // Print writes each link's URL after its text; an autolink's text
        // is its URL already.
        if matches!(link_type, LinkType::Autolink | LinkType::Email) {
            self.push(" class=\"autolink\"");
        }
        if !title.is_empty() {
            self.push(" title=\"");
            escape_attr(&mut self.body.html, title);
            self.push("\"");
        }
        self.push(">");
    }

    pub(super) fn end_image(&mut self) {
        let Some(OpenImage { depth, embed, alt }) = self.image.take() else {
            return;
        };
        if depth > 0 {
            self.image = Some(OpenImage {
                depth: depth - 1,
                embed,
                alt,
            });
            return;
        }
        match embed {
            Some(n) => {
                // The embedded block cannot sit inside a <p>: close the
                // paragraph before it (or drop it when the embed starts it)
                // and reopen it after; an empty reopened <p> is dropped at
                // the paragraph's end.
                match self.paragraph {
                    Some((after_p, p_at)) => {
                        if self.body.html.len() == after_p {
                            self.body.html.truncate(p_at);
                        } else {
                            self.push("</p>\n");
                        }
                        self.hole(Hole::Embed(n));
                        let at = self.body.html.len();
                        self.push("<p>");
                        self.paragraph = Some((self.body.html.len(), at));
                    }
                    None => self.hole(Hole::Embed(n)),
                }
            }
            None => {
                self.push(" alt=\"");
                escape_attr(&mut self.body.html, &alt);
                self.push("\">");
            }
        }
    }

    /// Notes a link or image target with an unsafe scheme. Its page is
    /// then cleaned when `sanitize-html` is on, even when the target was
    /// taken for a page (a broken link lowered to a warning is written as
    /// it was written).
    pub(super) fn check_url(&mut self, url: &str, span: &Range<usize>, image: bool) {
        if let Some(scheme) = unsafe_url::scheme(url, image) {
            self.body.raw = true;
            self.body.unsafe_urls.push(Finding {
                span: span.clone(),
                what: What::Link {
                    scheme,
                    url: url.to_owned(),
                    image,
                },
            });
        }
    }

    /// Writes raw HTML (an HTML block, or one inline tag) and notes what
    /// is in it, at its own place in the file: event handlers and unsafe
    /// URLs, and the links of [`LINK_ATTRS`], whose values become holes
    /// resolved like Markdown links. `pieces` say where each event's text
    /// starts in `html` and where it comes from (see
    /// [`unsafe_url::EventMap`]).
    pub(super) fn raw_html(&mut self, html: &str, pieces: &[unsafe_url::Piece]) {
        if !html.contains('<') {
            self.push(html);
            return;
        }
        let mut map = unsafe_url::EventMap::new(self.source, html, pieces);
        // The text up to here is written.
        let mut written = 0;
        for tag in raw_html::tags(html, Syntax::Html) {
            for (range, what) in unsafe_url::check_tag(&tag) {
                let start = map.offset(range.start, false);
                let end = map.offset(range.end, true);
                self.body.unsafe_urls.push(Finding {
                    span: start..end.max(start),
                    what,
                });
            }
            for attr in &tag.attrs {
                if (attr.name == "id" || (attr.name == "name" && tag.name == "a"))
                    && let Some(id) = attr
                        .value
                        .as_deref()
                        .map(str::trim)
                        .filter(|v| !v.is_empty())
                {
                    self.new_anchor(AnchorKind::Html, id.to_owned(), false);
                }
                let Some((kind, dest, value)) = link_attr(html, &tag, attr) else {
                    continue;
                };
                let start = map.offset(value.start, false);
                let end = map.offset(value.end, true);
                let n = self.add_link(dest, kind, start..end.max(start));
                // Whatever its quotes were, the value is written in double
                // quotes, which the filled hole is escaped for.
                self.push(&html[written..attr.value_span.start]);
                self.push("\"");
                self.hole(Hole::Href(n));
                self.push("\"");
                written = attr.value_span.end;
            }
        }
        self.push(&html[written..]);
    }

    pub(super) fn add_link(&mut self, dest: &str, kind: LinkKind, span: Range<usize>) -> u32 {
        self.body.links.push(Link {
            dest: dest.to_owned(),
            kind,
            span,
        });
        self.body.links.len() as u32 - 1
    }

    /// The number and anchor of footnote `name`, made at its first use.
    pub(super) fn footnote(&mut self, name: &str) -> (usize, u32) {
        if let Some(i) = self.footnotes.iter().position(|f| f.name == name) {
            return (i + 1, self.footnotes[i].anchor);
        }
        let anchor = self.new_anchor(AnchorKind::Footnote, format!("fn-{}", slugify(name)), false);
        self.footnotes.push(Footnote {
            name: name.to_owned(),
            anchor,
            defined: false,
        });
        (self.footnotes.len(), anchor)
    }

    pub(super) fn footnote_ref(&mut self, name: &str) {
        let (number, target) = self.footnote(name);
        let back = self.new_anchor(
            AnchorKind::FootnoteRef,
            format!("fnref-{}", slugify(name)),
            false,
        );
        self.push("<sup class=\"footnote-ref\"><a href=\"");
        self.hole(Hole::LocalHref(target));
        self.push("\"");
        self.hole(Hole::Id(back));
        self.push(&format!(">{number}</a></sup>"));
    }
}

/// The attributes of raw HTML that are links like `[text](target)` and
/// `![alt](src)`: checked and written relative the same way.
const LINK_ATTRS: &[(&str, &str, LinkKind)] = &[
    ("a", "href", LinkKind::Markdown),
    ("iframe", "src", LinkKind::Markdown),
    ("img", "src", LinkKind::Image),
    ("video", "src", LinkKind::Image),
    ("video", "poster", LinkKind::Image),
    ("audio", "src", LinkKind::Image),
    ("source", "src", LinkKind::Image),
];

/// The internal link that `attr` of `tag` holds: its kind, its target and
/// where the value is written in `html`, quotes left out. `None` for an
/// attribute that is no link, and for what is left as written: an empty
/// value, `#` alone, an external URL or other scheme, template syntax of
/// another generator, a tag or quote that never closes (the browser reads
/// the rest of the text into it).
fn link_attr<'t>(
    html: &str,
    tag: &raw_html::Tag<'t>,
    attr: &'t raw_html::Attr<'t>,
) -> Option<(LinkKind, &'t str, Range<usize>)> {
    let &(_, _, kind) = LINK_ATTRS
        .iter()
        .find(|(t, a, _)| *t == tag.name && *a == attr.name)?;
    if !html.get(tag.span.clone())?.ends_with('>') {
        return None;
    }
    let written = html.get(attr.value_span.clone())?.as_bytes();
    let value = match written.first() {
        Some(&q @ (b'"' | b'\'')) if written.len() >= 2 && written.last() == Some(&q) => {
            attr.value_span.start + 1..attr.value_span.end - 1
        }
        Some(b'"' | b'\'') => return None,
        _ => attr.value_span.clone(),
    };
    // A browser strips the spaces around a URL.
    let dest = attr
        .value
        .as_deref()?
        .trim_matches(|c: char| c.is_ascii_whitespace());
    let left_alone = dest.is_empty()
        || dest == "#"
        || ["{{", "{%", "<%"].iter().any(|t| dest.contains(t))
        || is_external_url(dest)
        || unsafe_url::scheme(dest, false).is_some();
    (!left_alone).then_some((kind, dest, value))
}
