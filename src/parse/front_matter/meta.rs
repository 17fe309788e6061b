//! Front matter read as what it declares: a process (its branches and
//! equipment), an SOP (its process, branch, format, review dates) or a
//! page, each key typed and checked, each value with its place.

use super::*;

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct At<T> {
    pub value: T,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub enum Meta {
    Process(ProcessMeta),
    Sop(SopMeta),
    Page(PageMeta),
}

#[derive(Debug, Clone)]
pub struct Common {
    pub id: Option<At<String>>,
    pub title: Option<String>,
    /// The title's value, or the front matter's first line: where problems
    /// with the file as a whole are reported.
    pub title_span: Range<usize>,
    /// `order`, or `weight` as Zola and Hugo call it.
    pub order: Option<i64>,
    pub draft: bool,
    pub control: Control,
    /// `[extra]`: the author's own keys, for templates (`page.extra`).
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// `aliases`: old paths in the site that send the reader here, as
    /// written (the model checks their form: the file stays in the book
    /// when one is wrong).
    pub aliases: Vec<At<String>>,
}

/// Document control (SPEC §8): what an auditor asks of an SOP. Every kind
/// of file accepts it.
#[derive(Debug, Clone, Default)]
pub struct Control {
    /// `revision = 3` or `"B"`, as written.
    pub revision: Option<String>,
    pub effective: Option<Date>,
    pub approved_by: Option<String>,
    pub approved: Option<Date>,
    /// Who performs it, as written.
    pub roles: Vec<At<String>>,
    /// The id of what replaces it.
    pub superseded_by: Option<At<String>>,
    pub retired: Option<At<Date>>,
}

#[derive(Debug, Clone)]
pub struct ProcessMeta {
    pub common: Common,
    pub outcome: String,
    pub owner: Option<String>,
    pub group: Option<String>,
    pub automated: bool,
    pub automated_span: Option<Range<usize>>,
    pub equipment: Vec<Equipment>,
    pub branches: Vec<BranchMeta>,
}

#[derive(Debug, Clone)]
pub struct Equipment {
    pub title: String,
    pub url: Option<At<String>>,
}

#[derive(Debug, Clone)]
pub struct BranchMeta {
    pub id: String,
    pub when: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Document,
    Video,
    Training,
}

impl Format {
    pub const ALL: [Format; 3] = [Format::Document, Format::Video, Format::Training];

    pub fn as_str(self) -> &'static str {
        match self {
            Format::Document => "document",
            Format::Video => "video",
            Format::Training => "training",
        }
    }
}

#[derive(Debug, Clone)]
pub struct SopMeta {
    pub common: Common,
    pub process: At<String>,
    pub branch: Option<At<String>>,
    pub owner: Option<String>,
    pub format: Format,
    pub media: Option<At<String>>,
    pub reviewed: Option<Date>,
    pub reviewed_span: Option<Range<usize>>,
    pub review_every: Option<ReviewInterval>,
}

#[derive(Debug, Clone)]
pub struct PageMeta {
    pub common: Common,
}

/// The values of `kind`.
const KINDS: &[&str] = &["process", "sop", "page"];

/// Reads the table as the kind of file it declares. `None` when a required
/// key is missing or has the wrong type; the diagnostics say which.
pub(crate) fn read(
    entries: &[Entry],
    split: &Split,
    file: FileId,
) -> (Option<Meta>, Vec<Diagnostic>) {
    let mut f = Fields::new(
        entries,
        file,
        split.whole.start..split.whole.start.max(split.whole.end.min(3)),
        "the front matter",
        Rule::FrontMatter,
    );
    let kind = f.string("kind");
    let has_process = entries.iter().any(|e| e.key == "process");
    let kv = |key: &str, value: &str| key_value(split.syntax, key, value);
    let meta = match kind.as_deref() {
        Some("process") => read_process(&mut f, &kv),
        Some("sop") => read_sop(&mut f, &kv),
        Some("page") => read_page(&mut f),
        None if has_process => read_sop(&mut f, &kv),
        None => read_page(&mut f),
        Some(other) => {
            if let Some(node) = entries.iter().find(|e| e.key == "kind").map(|e| &e.node) {
                let help = spanned::choice_help("kind", other, KINDS);
                f.invalid(
                    node,
                    format!("unknown kind `{other}`"),
                    Some(format!(
                        "{help}; an SOP only needs `{}`",
                        kv("process", "\"…\"")
                    )),
                );
            }
            None
        }
    };
    let diags = f.finish();
    let failed = diags.iter().any(|d| d.rule == Rule::FrontMatter);
    (if failed { None } else { meta }, diags)
}

fn read_common(f: &mut Fields, title_required: Option<&str>) -> Common {
    let id = f.node("id").and_then(|n| match &n.value {
        Value::Str(s) if valid_id(s) => Some(At {
            value: s.clone(),
            span: n.span.clone(),
        }),
        Value::Str(s) => {
            f.invalid(n, format!("`{s}` cannot be used as an id"), Some("an id is a non-empty name without `/`, `\\`, `#`, `|`, `[`, `]` or surrounding spaces".into()));
            None
        }
        _ => {
            f.wrong_type("id", n, "a string");
            None
        }
    });
    let title = match title_required {
        Some(help) => f.required_string("title", help),
        None => f.string("title").filter(|t| !t.trim().is_empty()),
    };
    let order = order_or_weight(f);
    let title_span = f.span_of("title").unwrap_or_else(|| f.table_span());
    let control = read_control(f);
    let extra = f.extra();
    let aliases = read_aliases(f);
    Common {
        title_span,
        id,
        title,
        order,
        draft: false,
        control,
        extra,
        aliases,
    }
}

/// `aliases`: a list of strings (one string alone is read as a list of
/// one, as `roles` is).
fn read_aliases(f: &mut Fields) -> Vec<At<String>> {
    let Some(n) = f.node("aliases") else {
        return Vec::new();
    };
    let items: Vec<&Node> = match &n.value {
        Value::Array(items) => items.iter().collect(),
        _ => vec![n],
    };
    let mut aliases = Vec::with_capacity(items.len());
    for item in items {
        match &item.value {
            Value::Str(s) => aliases.push(At {
                value: s.clone(),
                span: item.span.clone(),
            }),
            _ => f.wrong_type(
                "aliases",
                item,
                "a list of old paths, e.g. [\"payroll/old-name.html\"]",
            ),
        }
    }
    aliases
}

/// `order`, or `weight`: the name Zola and Hugo give it, so their front
/// matter sorts the same here. Both at once is an error at the second.
fn order_or_weight(f: &mut Fields) -> Option<i64> {
    let order = f.int("order");
    let weight = f.int("weight");
    if let (Some(o), Some(w)) = (f.key_span_of("order"), f.key_span_of("weight")) {
        let ((second, second_span), (first, first_span)) = if o.start < w.start {
            (("weight", w), ("order", o))
        } else {
            (("order", o), ("weight", w))
        };
        let d = Diagnostic::new(
            Rule::FrontMatter,
            format!("`{second}` and `{first}` are both given: they are one key"),
        )
        .at(f.file(), second_span)
        .label(format!("the same key as `{first}`"))
        .related(f.file(), first_span, format!("`{first}` given here"))
        .help("keep one of them: `weight` is Zola's and Hugo's name for `order`");
        f.diagnostics.push(d);
        return None;
    }
    order.or(weight)
}

fn read_control(f: &mut Fields) -> Control {
    let revision = f.node("revision").and_then(|n| match &n.value {
        Value::Int(i) => Some(i.to_string()),
        Value::Str(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        _ => {
            f.wrong_type("revision", n, "a number or a short string such as \"B\"");
            None
        }
    });
    let effective = f.date("effective");
    let approved_by = f.string("approved-by").filter(|s| !s.trim().is_empty());
    let approved = f.date("approved");
    let mut roles = Vec::new();
    if let Some(n) = f.node("roles") {
        let items: Vec<&Node> = match &n.value {
            Value::Array(items) => items.iter().collect(),
            _ => vec![n],
        };
        for item in items {
            match &item.value {
                Value::Str(s) if !s.trim().is_empty() => roles.push(At {
                    value: s.trim().to_owned(),
                    span: item.span.clone(),
                }),
                _ => f.wrong_type(
                    "roles",
                    item,
                    "a list of role names, e.g. [\"Payroll clerk\"]",
                ),
            }
        }
    }
    let superseded_by = at_string(f, "superseded-by");
    if let Some(s) = &superseded_by
        && !valid_id(&s.value)
        && let Some(n) = f.node("superseded-by")
    {
        f.invalid(
            n,
            format!("`{}` cannot be an id", s.value),
            Some("name the id of the SOP that replaces this one".into()),
        );
    }
    let retired_span = f.span_of("retired");
    let retired = f
        .date("retired")
        .zip(retired_span)
        .map(|(value, span)| At { value, span });
    Control {
        revision,
        effective,
        approved_by,
        approved,
        roles,
        superseded_by,
        retired,
    }
}

/// Ids become file names and link targets.
pub(crate) fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.trim() == id
        && id != "."
        && id != ".."
        && !id.contains(['/', '\\', '#', '|', '[', ']', '\n', '\r', '\t', '\0'])
}

/// `key = value` (or `key: value`) in the syntax of the file being read.
type KeyValue<'a> = dyn Fn(&str, &str) -> String + 'a;

fn read_process(f: &mut Fields, kv: &KeyValue) -> Option<Meta> {
    let common = read_common(
        f,
        Some(&format!(
            "name the process for its outcome, e.g. `{}`",
            kv("title", "\"Submit payroll\"")
        )),
    );
    let outcome = f.required_string(
        "outcome",
        &format!(
            "say what the process achieves, e.g. `{}`",
            kv("outcome", "\"Everyone is paid the right amount on time\"")
        ),
    );
    let owner = f.string("owner");
    let group = f.string("group").filter(|g| !g.trim().is_empty());
    let automated = f.bool("automated").unwrap_or(false);
    let automated_span = f.span_of("automated");
    let mut equipment = Vec::new();
    if let Some(items) = f.array("equipment") {
        for item in items {
            if let Some(e) = read_equipment(f, item, kv) {
                equipment.push(e);
            }
        }
    }
    let mut branches: Vec<BranchMeta> = Vec::new();
    if let Some(items) = f.array("branches") {
        for item in items {
            let Value::Table(entries) = &item.value else {
                f.wrong_type("branches", item, "a table with `id` and `when`");
                continue;
            };
            let mut b = Fields::new(
                entries,
                f.file(),
                item.span.clone(),
                "a branch",
                Rule::FrontMatter,
            );
            let id = b.required_string(
                "id",
                &format!("give the branch an id, e.g. `{}`", kv("id", "\"normal\"")),
            );
            let when = b.required_string(
                "when",
                &format!(
                    "say when this path applies, e.g. `{}`",
                    kv("when", "\"A regular pay period closes\"")
                ),
            );
            let id_node = entries
                .iter()
                .find(|e| e.key == "id")
                .map(|e| e.node.clone());
            f.diagnostics.extend(b.finish());
            let (Some(id), Some(when), Some(id_node)) = (id, when, id_node) else {
                continue;
            };
            if !valid_id(&id) {
                f.invalid(
                    &id_node,
                    format!("`{id}` cannot be used as a branch id"),
                    Some("use letters, digits and dashes, e.g. `fix-mistake`".into()),
                );
                continue;
            }
            if let Some(first) = branches.iter().find(|b| b.id == id) {
                let first = first.span.clone();
                let d = Diagnostic::new(
                    Rule::FrontMatter,
                    format!("the branch `{id}` is declared twice"),
                )
                .at(f.file(), id_node.span.clone())
                .related(f.file(), first, "first declared here")
                .help("give each branch its own id");
                f.diagnostics.push(d);
                continue;
            }
            branches.push(BranchMeta {
                id,
                when,
                span: id_node.span,
            });
        }
    }
    Some(Meta::Process(ProcessMeta {
        common,
        outcome: outcome?,
        owner,
        group,
        automated,
        automated_span,
        equipment,
        branches,
    }))
}

fn read_equipment(f: &mut Fields, item: &Node, kv: &KeyValue) -> Option<Equipment> {
    match &item.value {
        Value::Str(s) if !s.trim().is_empty() => Some(Equipment {
            title: s.clone(),
            url: None,
        }),
        Value::Table(entries) => {
            let mut e = Fields::new(
                entries,
                f.file(),
                item.span.clone(),
                "an equipment entry",
                Rule::FrontMatter,
            );
            let title = e.required_string(
                "title",
                &format!(
                    "name the automation or template, e.g. `{}`",
                    kv("title", "\"Payroll provider auto-run\"")
                ),
            );
            let url = at_string(&mut e, "url");
            f.diagnostics.extend(e.finish());
            Some(Equipment { title: title?, url })
        }
        _ => {
            f.wrong_type("equipment", item, "a table with `title` and `url`");
            None
        }
    }
}

fn read_sop(f: &mut Fields, kv: &KeyValue) -> Option<Meta> {
    let mut common = read_common(
        f,
        Some(&format!(
            "name the SOP for its action, e.g. `{}`",
            kv("title", "\"How to run the normal payroll\"")
        )),
    );
    let process = at_string(f, "process");
    if process.is_none()
        && !f
            .diagnostics
            .iter()
            .any(|d| d.message.contains("`process`"))
    {
        f.missing(
            "process",
            format!(
                "name the process this SOP belongs to, e.g. `{}`",
                kv("process", "\"submit-payroll\"")
            ),
        );
    }
    let branch = at_string(f, "branch");
    let owner = f.string("owner");
    let format = match f.node("format") {
        None => Some(Format::Document),
        Some(n) => match &n.value {
            Value::Str(s) => match Format::ALL.iter().find(|f| f.as_str() == s) {
                Some(format) => Some(*format),
                None => {
                    let names: Vec<&str> = Format::ALL.iter().map(|f| f.as_str()).collect();
                    f.invalid(
                        n,
                        format!("unknown format `{s}`"),
                        Some(spanned::choice_help("format", s, &names)),
                    );
                    None
                }
            },
            _ => {
                f.wrong_type("format", n, "a string");
                None
            }
        },
    };
    let media = at_string(f, "media");
    let reviewed = f.date("reviewed");
    let reviewed_span = f.span_of("reviewed");
    let review_every = review_interval(f, "review-every");
    common.draft = f.bool("draft").unwrap_or(false);
    Some(Meta::Sop(SopMeta {
        common,
        process: process?,
        branch,
        owner,
        format: format?,
        media,
        reviewed,
        reviewed_span,
        review_every,
    }))
}

fn at_string(f: &mut Fields, key: &'static str) -> Option<At<String>> {
    let n = f.node(key)?;
    match &n.value {
        Value::Str(s) if !s.trim().is_empty() => Some(At {
            value: s.trim().to_owned(),
            span: n.span.clone(),
        }),
        Value::Str(_) => {
            f.invalid(n, format!("`{key}` must not be empty"), None);
            None
        }
        _ => {
            f.wrong_type(key, n, "a string");
            None
        }
    }
}

fn read_page(f: &mut Fields) -> Option<Meta> {
    let mut common = read_common(f, None);
    common.draft = f.bool("draft").unwrap_or(false);
    Some(Meta::Page(PageMeta { common }))
}
