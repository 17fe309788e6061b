//! What the templates use to write the words of `t` (the book's language,
//! [`crate::i18n`]) around the values of a page: the `tr` filter fills
//! `{name}` placeholders and picks plural forms, `link()` and `time()`
//! make the two pieces of markup that go into sentences. The words are
//! text (escaped); a value is escaped unless it is markup already (made
//! by `link()`, `time()` or marked `safe`).
//!
//! ```text
//! {{ t.sop.via | tr(link=link(url=h.via.url, text=h.via.title)) }}
//! {{ t.home.sops | tr(n=view.sop_count) }}
//! ```

use tera::{Kwargs, State, TeraResult, Value};

use crate::html::{escape_attr, escape_text};

/// Registers `tr`, `link` and `time` with a theme's templates.
pub(super) fn register(tera: &mut tera::Tera) {
    tera.register_filter("tr", Translate);
    for (name, write) in [
        ("link", link as fn(&Kwargs) -> TeraResult<String>),
        ("time", time),
        ("commit", commit),
        ("code", code),
        ("span", span),
    ] {
        tera.register_function(name, Markup(write));
    }
}

struct Translate;

impl tera::Filter<Value, TeraResult<Value>> for Translate {
    fn call(&self, words: Value, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        let n = kwargs
            .get::<Value>("n")?
            .map(|v| usize::try_from(v.as_i128().unwrap_or(0).max(0)).unwrap_or(usize::MAX));
        let form: String = match (words.as_str(), words.as_map()) {
            (Some(s), _) => s.to_owned(),
            (None, Some(forms)) => {
                let get = |k: &'static str| forms.get(&k.into()).and_then(Value::as_str);
                let (Some(one), Some(other)) = (get("one"), get("other")) else {
                    return Err(tera::Error::message(
                        "`tr` got a table without `one` and `other`",
                    ));
                };
                crate::i18n::plural(n.unwrap_or(0), get("zero"), one, other).to_owned()
            }
            _ => {
                return Err(tera::Error::message(format!(
                    "`tr` needs words from `t`, got {}",
                    words.name()
                )));
            }
        };
        let mut escaped = String::with_capacity(form.len());
        escape_text(&mut escaped, &form);
        let args: Vec<(String, String)> = kwargs
            .iter()
            .filter_map(|(key, value)| {
                let key = key.as_str()?.to_owned();
                let text = value.to_string();
                let html = if value.is_safe() {
                    text
                } else {
                    let mut s = String::with_capacity(text.len());
                    escape_text(&mut s, &text);
                    s
                };
                Some((key, html))
            })
            .collect();
        let args: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        Ok(Value::safe_string(&crate::i18n::fill(&escaped, &args)))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// A template function that writes markup: its output is marked safe.
struct Markup(fn(&Kwargs) -> TeraResult<String>);

impl tera::Function<TeraResult<Value>> for Markup {
    fn call(&self, kwargs: Kwargs, _: &State) -> TeraResult<Value> {
        Ok(Value::safe_string(&(self.0)(&kwargs)?))
    }

    fn is_safe(&self) -> bool {
        true
    }
}

/// `<tag attr="value">text</tag>`, value and text escaped.
fn element(tag: &str, attr: Option<(&str, &str)>, text: &str) -> String {
    let mut html = format!("<{tag}");
    if let Some((name, value)) = attr {
        html.push_str(&format!(" {name}=\""));
        escape_attr(&mut html, value);
        html.push('"');
    }
    html.push('>');
    escape_text(&mut html, text);
    html.push_str(&format!("</{tag}>"));
    html
}

fn arg(kwargs: &Kwargs, name: &str) -> TeraResult<String> {
    Ok(kwargs.must_get::<Value>(name)?.to_string())
}

/// A field of a map argument (a date or commit view); `None` when absent
/// or empty.
fn field(view: &Value, name: &'static str) -> Option<String> {
    view.as_map()
        .and_then(|m| m.get(&name.into()))
        .filter(|v| !v.is_none() && !v.is_undefined())
        .map(ToString::to_string)
}

/// `link(url=…, text=…)`: `<a href="url">text</a>`.
fn link(kwargs: &Kwargs) -> TeraResult<String> {
    Ok(element(
        "a",
        Some(("href", &arg(kwargs, "url")?)),
        &arg(kwargs, "text")?,
    ))
}

/// `time(date=…)`: `<time datetime="iso">text</time>` of a date view
/// (`{ iso, text }`).
fn time(kwargs: &Kwargs) -> TeraResult<String> {
    let date = kwargs.must_get::<Value>("date")?;
    let iso = field(&date, "iso").unwrap_or_default();
    Ok(element(
        "time",
        Some(("datetime", &iso)),
        &field(&date, "text").unwrap_or_default(),
    ))
}

/// `commit(c=…)`: a commit view's short hash in `<code>`, linked when it
/// has a URL (`[build] commit-url`).
fn commit(kwargs: &Kwargs) -> TeraResult<String> {
    let c = kwargs.must_get::<Value>("c")?;
    let code = element("code", None, &field(&c, "short").unwrap_or_default());
    Ok(match field(&c, "url") {
        Some(url) => {
            let mut html = String::from("<a href=\"");
            escape_attr(&mut html, &url);
            html.push_str("\">");
            html.push_str(&code);
            html.push_str("</a>");
            html
        }
        None => code,
    })
}

/// `code(text=…)`: `<code>text</code>`.
fn code(kwargs: &Kwargs) -> TeraResult<String> {
    Ok(element("code", None, &arg(kwargs, "text")?))
}

/// `span(class=…, text=…)`: `<span class="class">text</span>`.
fn span(kwargs: &Kwargs) -> TeraResult<String> {
    Ok(element(
        "span",
        Some(("class", &arg(kwargs, "class")?)),
        &arg(kwargs, "text")?,
    ))
}

#[cfg(test)]
mod tests {
    fn render(template: &str, ctx: &tera::Context) -> String {
        let mut tera = tera::Tera::new();
        super::register(&mut tera);
        tera.add_raw_template("t.html", template).expect("template");
        tera.render("t.html", ctx).expect("render")
    }

    #[test]
    fn words_are_filled_escaped_and_pluralized() {
        let mut ctx = tera::Context::new();
        ctx.insert_value("t", crate::i18n::Strings::builtin("en").0.tera_value());
        ctx.insert("title", "<Pay & go>");
        ctx.insert("n", &1);
        ctx.insert(
            "d",
            &serde_json::json!({"iso": "2026-03-03", "text": "3 March 2026"}),
        );
        assert_eq!(
            render(
                "{{ t.sop.via | tr(link=link(url='a.html?x=1&y=\"', text=title)) }}",
                &ctx
            ),
            "via <a href=\"a.html?x=1&amp;y=&quot;\">&lt;Pay &amp; go&gt;</a>"
        );
        assert_eq!(render("{{ t.home.sops | tr(n=n) }}", &ctx), "1 SOP");
        assert_eq!(render("{{ t.home.sops | tr(n=3) }}", &ctx), "3 SOPs");
        assert_eq!(
            render("{{ t.not_found.home | tr(title=title) }}", &ctx),
            "Go to the home page of &lt;Pay &amp; go&gt;"
        );
        assert_eq!(
            render("{{ t.status.retired_text | tr(date=time(date=d)) }}", &ctx),
            "on <time datetime=\"2026-03-03\">3 March 2026</time>: this is no longer done. It is kept for the record."
        );
        // Plain words are escaped by Tera as any value.
        assert_eq!(render("{{ t.site.skip }}", &ctx), "Skip to content");
    }
}
