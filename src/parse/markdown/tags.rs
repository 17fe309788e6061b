//! The HTML of each Markdown element as it opens and closes: blocks,
//! lists and steps, headings, tables, code, callouts, footnote
//! definitions; and what each element adds to the body (steps, blocks,
//! plain text).

use super::*;

impl Writer<'_> {
    pub(super) fn start(&mut self, tag: Tag<'_>, span: Range<usize>) {
        if is_block(&tag) {
            if self.depth == 0 {
                let kind = match &tag {
                    Tag::List(Some(_)) if self.number_steps => BlockKind::Steps,
                    Tag::BlockQuote(Some(_)) => BlockKind::Callout,
                    _ => BlockKind::Other,
                };
                self.block_start = Some((kind, self.body.html.len(), self.body.holes.len()));
            }
            self.depth += 1;
        }
        match tag {
            Tag::Paragraph => {
                let at = self.body.html.len();
                self.push("<p>");
                self.paragraph = Some((self.body.html.len(), at));
            }
            Tag::Heading {
                level,
                id,
                classes,
                attrs,
            } => {
                let level = level_num(level);
                // `{#id}` and `{: #id}`, else `{ id=x }` or `{:#x}` as
                // MkDocs' attr_list and kramdown write it: the same custom
                // id, the one links reach.
                let id = id.map(|s| s.to_string()).or_else(|| {
                    attrs
                        .iter()
                        .rev()
                        .find_map(|(n, v)| attr_id(n, v.as_deref()))
                });
                let custom = id.is_some();
                let anchor =
                    self.new_anchor(AnchorKind::Heading(level), id.unwrap_or_default(), custom);
                if let Some(p) = &mut self.plain {
                    p.heading_start(anchor);
                }
                self.push(&format!("<h{level}"));
                self.hole(Hole::Id(anchor));
                // kramdown's `{:.class}` is read as a key without a value.
                let classes: Vec<&str> = classes
                    .iter()
                    .map(|c| c.as_ref())
                    .chain(attrs.iter().filter_map(|(n, v)| {
                        n.strip_prefix(":.")
                            .filter(|c| v.is_none() && !c.is_empty())
                    }))
                    .collect();
                if !classes.is_empty() {
                    self.push(" class=\"");
                    escape_attr(&mut self.body.html, &classes.join(" "));
                    self.push("\"");
                }
                // The id is written as the anchor's, never from the list;
                // kramdown's forms are not written as attributes either.
                self.body.raw |= attrs
                    .iter()
                    .any(|(n, _)| is_attr_name(n) && !n.eq_ignore_ascii_case("id"));
                // Where each attribute is written, looked up once and only
                // for a heading that has a handler to report.
                let written: Vec<Range<usize>> =
                    if attrs.iter().any(|(name, _)| unsafe_url::is_handler(name)) {
                        self.source
                            .get(span.clone())
                            .map(unsafe_url::heading_attrs)
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                for (n, (name, value)) in attrs.iter().enumerate() {
                    if !is_attr_name(name) {
                        continue;
                    }
                    // An event handler is never written, whatever the
                    // book's settings: a heading needs none.
                    if unsafe_url::is_handler(name) {
                        let at = written
                            .get(n)
                            .map(|r| span.start + r.start..span.start + r.end)
                            .filter(|r| {
                                self.source.get(r.clone()).is_some_and(|t| {
                                    t.split_once('=').map_or(t, |(k, _)| k) == &**name
                                })
                            })
                            .unwrap_or_else(|| span.clone());
                        self.body.unsafe_urls.push(Finding {
                            span: at,
                            what: What::HeadingHandler {
                                attr: name.to_string(),
                            },
                        });
                        continue;
                    }
                    if name.eq_ignore_ascii_case("id") {
                        continue;
                    }
                    self.push(" ");
                    self.push(name);
                    if let Some(value) = value {
                        self.push("=\"");
                        escape_attr(&mut self.body.html, unquote(value));
                        self.push("\"");
                    }
                }
                self.push(">");
                if let Some((BlockKind::Other, h, n)) =
                    self.block_start.take().filter(|_| self.depth == 1)
                {
                    self.block_start = Some((BlockKind::Heading { level, anchor }, h, n));
                }
                self.heading = Some(HeadingState {
                    anchor,
                    level,
                    text: String::new(),
                });
            }
            Tag::BlockQuote(kind) => match kind {
                None => self.push("<blockquote>\n"),
                Some(kind) => {
                    let (class, title) = match kind {
                        BlockQuoteKind::Note => ("note", Word::Note),
                        BlockQuoteKind::Tip => ("tip", Word::Tip),
                        BlockQuoteKind::Important => ("important", Word::Important),
                        BlockQuoteKind::Warning => ("warning", Word::Warning),
                        BlockQuoteKind::Caution => ("caution", Word::Caution),
                    };
                    self.push(&format!(
                        "<div class=\"callout callout-{class}\" role=\"note\">\n<p class=\"callout-title\">"
                    ));
                    self.hole(Hole::Word(title));
                    self.push("</p>\n");
                }
            },
            Tag::CodeBlock(kind) => {
                self.in_code = true;
                let lang = match &kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_owned()
                    }
                    CodeBlockKind::Indented => String::new(),
                };
                if lang.is_empty() {
                    self.push("<pre><code>");
                } else {
                    self.push("<pre><code class=\"language-");
                    escape_attr(&mut self.body.html, &lang);
                    self.push("\">");
                    if self.highlight {
                        self.code = Some((lang, String::new()));
                    }
                }
            }
            Tag::HtmlBlock => self.html_block = Some((String::new(), Vec::new())),
            Tag::List(Some(start)) => {
                if self.depth == 1 && self.number_steps {
                    self.in_steps = true;
                    let next = self.body.steps.len() + 1;
                    if next == 1 {
                        self.push("<ol class=\"steps\">\n");
                    } else {
                        self.push(&format!("<ol class=\"steps\" start=\"{next}\">\n"));
                    }
                } else if start == 1 {
                    self.push("<ol>\n");
                } else {
                    self.push(&format!("<ol start=\"{start}\">\n"));
                }
            }
            Tag::List(None) => self.push("<ul>\n"),
            Tag::Item => {
                if self.in_steps && self.depth == 2 {
                    let n = self.body.steps.len() as u32 + 1;
                    let anchor = self.new_anchor(AnchorKind::Step(n), format!("step-{n}"), false);
                    if let Some(p) = &mut self.plain {
                        p.step_start(anchor);
                    }
                    let (h, holes) = (self.body.html.len(), self.body.holes.len());
                    self.push("<li");
                    self.hole(Hole::Id(anchor));
                    self.push(" class=\"step\">");
                    self.step_start = Some((span, h, holes));
                    // Reserve the step's slot so numbering is right even if
                    // the item holds nested lists.
                    self.step_text = Some(String::with_capacity(256)); // most steps fit
                    self.body.steps.push(Step {
                        hash: 0,
                        check: 0,
                        words: 0,
                        span: 0..0,
                        html: 0..0,
                        holes: 0..0,
                    });
                } else {
                    self.push("<li>");
                }
            }
            Tag::FootnoteDefinition(name) => {
                let (number, mut anchor) = self.footnote(&name);
                let i = number - 1;
                if self.footnotes[i].defined {
                    // Defined twice: the second gets an anchor of its own.
                    anchor = self.new_anchor(
                        AnchorKind::Footnote,
                        format!("fn-{}", slugify(&name)),
                        false,
                    );
                }
                self.footnotes[i].defined = true;
                self.push("<div class=\"footnote\"");
                self.hole(Hole::Id(anchor));
                self.push(&format!("><sup class=\"footnote-label\">{number}</sup>\n"));
            }
            Tag::DefinitionList => self.push("<dl>\n"),
            Tag::DefinitionListTitle => self.push("<dt>"),
            Tag::DefinitionListDefinition => self.push("<dd>"),
            Tag::Table(aligns) => {
                self.table = aligns;
                self.push("<div class=\"table-wrap\"><table>\n");
            }
            Tag::TableHead => {
                self.table_head = true;
                self.table_cell = 0;
                self.push("<thead>\n<tr>");
            }
            Tag::TableRow => {
                self.table_cell = 0;
                self.push("<tr>");
            }
            Tag::TableCell => {
                let cell = if self.table_head { "th" } else { "td" };
                let align = match self.table.get(self.table_cell) {
                    Some(Alignment::Left) => " style=\"text-align: left\"",
                    Some(Alignment::Center) => " style=\"text-align: center\"",
                    Some(Alignment::Right) => " style=\"text-align: right\"",
                    _ => "",
                };
                self.push(&format!("<{cell}{align}>"));
            }
            Tag::Emphasis => self.push("<em>"),
            Tag::Strong => self.push("<strong>"),
            Tag::Strikethrough => self.push("<del>"),
            Tag::Superscript => self.push("<sup>"),
            Tag::Subscript => self.push("<sub>"),
            Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            } => self.start_link(link_type, &dest_url, &title, span),
            Tag::Image {
                link_type,
                dest_url,
                title,
                ..
            } => {
                let wiki = matches!(link_type, LinkType::WikiLink { .. });
                self.check_url(&dest_url, &span, !wiki);
                let link = if wiki {
                    let n = self.add_link(&dest_url, LinkKind::Embed, span);
                    Some(n)
                } else if is_external_url(&dest_url) {
                    self.body.raw |= !is_plain_scheme(&dest_url);
                    self.push("<img src=\"");
                    escape_attr(&mut self.body.html, &dest_url);
                    self.push("\"");
                    None
                } else {
                    let n = self.add_link(&dest_url, LinkKind::Image, span);
                    self.push("<img src=\"");
                    self.hole(Hole::Href(n));
                    self.push("\"");
                    Some(n)
                };
                if !title.is_empty() && !matches!(link_type, LinkType::WikiLink { .. }) {
                    self.push(" title=\"");
                    escape_attr(&mut self.body.html, &title);
                    self.push("\"");
                }
                let embed = matches!(link_type, LinkType::WikiLink { .. })
                    .then_some(link)
                    .flatten();
                self.image = Some(OpenImage {
                    depth: 0,
                    embed,
                    alt: String::new(),
                });
            }
            Tag::MetadataBlock(_) => {}
        }
    }

    pub(super) fn end(&mut self, tag: TagEnd) {
        let block = is_block_end(&tag);
        match tag {
            TagEnd::Paragraph => match self.paragraph.take() {
                Some((after_p, p_at)) if self.body.html.len() == after_p => {
                    self.body.html.truncate(p_at)
                }
                _ => self.push("</p>\n"),
            },
            TagEnd::Heading(level) => {
                let level = level_num(level);
                self.push(&format!("</h{level}>\n"));
                if let (Some(p), Some(h)) = (&mut self.plain, &self.heading) {
                    p.heading_end(h.anchor);
                }
                if let Some(h) = self.heading.take() {
                    let a = &mut self.body.anchors[h.anchor as usize];
                    let text = h.text.trim().to_owned();
                    if !a.custom {
                        a.id = slugify(&text);
                        a.also = Some(crate::parse::slug::older(&text));
                    }
                    if h.level == 1 && self.body.first_h1.is_none() && !text.is_empty() {
                        self.body.first_h1 = Some(text.clone());
                    }
                    a.text = text;
                }
            }
            TagEnd::BlockQuote(kind) => self.push(if kind.is_some() {
                "</div>\n"
            } else {
                "</blockquote>\n"
            }),
            TagEnd::CodeBlock => {
                self.in_code = false;
                if let Some((lang, code)) = self.code.take()
                    && !highlight::write(&lang, &code, &mut self.body.html)
                {
                    escape_text(&mut self.body.html, &code);
                }
                self.push("</code></pre>\n");
            }
            TagEnd::HtmlBlock => {
                if let Some((text, pieces)) = self.html_block.take() {
                    self.raw_html(&text, &pieces);
                }
            }
            TagEnd::List(ordered) => {
                self.push(if ordered { "</ol>\n" } else { "</ul>\n" });
                if self.depth == 1 {
                    self.in_steps = false;
                }
            }
            TagEnd::Item => {
                self.push("</li>\n");
                if self.in_steps
                    && self.depth == 2
                    && let Some((span, h, n)) = self.step_start.take()
                    && let Some(step) = self.body.steps.last_mut()
                {
                    if let Some(p) = &mut self.plain {
                        p.step_end();
                    }
                    let text = normalize(&self.step_text.take().unwrap_or_default());
                    *step = Step {
                        hash: text_hash(&text),
                        check: text_check(&text),
                        words: if text.is_empty() {
                            0
                        } else {
                            // Bytes, not chars: a vectorised count.
                            text.bytes().filter(|&b| b == b' ').count() as u32 + 1
                        },
                        span,
                        html: h..self.body.html.len(),
                        holes: n..self.body.holes.len(),
                    };
                }
            }
            TagEnd::FootnoteDefinition => self.push("</div>\n"),
            TagEnd::DefinitionList => self.push("</dl>\n"),
            TagEnd::DefinitionListTitle => self.push("</dt>\n"),
            TagEnd::DefinitionListDefinition => self.push("</dd>\n"),
            TagEnd::Table => self.push("</tbody></table></div>\n"),
            TagEnd::TableHead => {
                self.table_head = false;
                self.push("</tr>\n</thead>\n<tbody>\n");
            }
            TagEnd::TableRow => self.push("</tr>\n"),
            TagEnd::TableCell => {
                self.push(if self.table_head { "</th>" } else { "</td>" });
                self.table_cell += 1;
            }
            TagEnd::Emphasis => self.push("</em>"),
            TagEnd::Strong => self.push("</strong>"),
            TagEnd::Strikethrough => self.push("</del>"),
            TagEnd::Superscript => self.push("</sup>"),
            TagEnd::Subscript => self.push("</sub>"),
            TagEnd::Link => {
                self.wiki_text = false;
                self.push("</a>");
            }
            TagEnd::Image => {}
            TagEnd::MetadataBlock(_) => {}
        }
        if block {
            self.depth = self.depth.saturating_sub(1);
            if self.depth == 0
                && let Some((kind, h, n)) = self.block_start.take()
            {
                self.body.blocks.push(Block {
                    kind,
                    html: h..self.body.html.len(),
                    holes: n..self.body.holes.len(),
                });
            }
        }
    }
}

/// A key-value heading attribute that may be written (or, for a
/// handler, reported).
fn is_attr_name(name: &str) -> bool {
    name.chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// A heading attribute value without the quotes around it: pulldown-cmark
/// keeps them (`{ data-x="y" }` gives `"y"`).
fn unquote(value: &str) -> &str {
    for q in ['"', '\''] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

/// The id a key-value heading attribute gives: `id=x`, `id="x"` (any
/// case), or kramdown's `{:#x}`, read as a key without a value.
fn attr_id(name: &str, value: Option<&str>) -> Option<String> {
    let id = match value {
        Some(v) if name.eq_ignore_ascii_case("id") => unquote(v),
        None => name.strip_prefix(":#")?,
        _ => return None,
    };
    (!id.is_empty()).then(|| id.to_owned())
}
