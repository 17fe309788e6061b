//! Links, images, embeds and footnote references: written with holes the
//! renderer fills per page, noted in the body's link list, and checked for
//! unsafe URLs (in raw HTML too).

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

    /// Notes the event handlers and unsafe URLs in raw HTML, at their own
    /// place in the file. `pieces` say where each event's text starts in
    /// `html` and where it comes from (see [`unsafe_url::EventMap`]).
    pub(super) fn check_html(&mut self, html: &str, pieces: &[unsafe_url::Piece]) {
        if !html.contains('<') {
            return;
        }
        let mut map = unsafe_url::EventMap::new(self.source, html, pieces);
        for tag in raw_html::tags(html, Syntax::Html) {
            for (range, what) in unsafe_url::check_tag(&tag) {
                let start = map.offset(range.start, false);
                let end = map.offset(range.end, true);
                self.body.unsafe_urls.push(Finding {
                    span: start..end.max(start),
                    what,
                });
            }
        }
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
