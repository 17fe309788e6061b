//! `[build] sanitize-html = true`: cleans a page body with ammonia, for
//! books whose authors should not be able to put scripts on the site.
//!
//! It runs on the filled body of a page (links resolved, embeds in place),
//! and only when that body holds raw markup (`Body::raw`): text with none
//! is sopbook's own escaped HTML and is left as it is, so a book pays for
//! sanitizing only on the pages that need it. The allow-list below is
//! ammonia's default plus what sopbook's own markup uses (ids, classes,
//! step numbers, task-list checkboxes, embeds, callouts, aligned table
//! cells) and local video and audio.

use std::sync::LazyLock;

static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input", "video", "audio", "source", "track"])
        .add_generic_attributes(["id", "class", "role", "aria-label"])
        .add_tag_attributes("details", ["open"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_tag_attribute_values("input", "type", ["checkbox"])
        .add_tag_attributes("td", ["style"])
        .add_tag_attributes("th", ["style"])
        .filter_style_properties(["text-align"].into_iter().collect())
        .add_tag_attributes(
            "video",
            ["src", "controls", "poster", "width", "height", "preload"],
        )
        .add_tag_attributes("audio", ["src", "controls", "preload"])
        .add_tag_attributes("source", ["src", "type"])
        .add_tag_attributes("track", ["src", "kind", "srclang", "label"])
        // sopbook's links carry no rel; adding one would change every
        // sanitized page for no gain (no target="_blank" gets through).
        .link_rel(None);
    b
});

/// The body with scripts, styles, event handlers, `javascript:` URLs and
/// any tag or attribute not on the allow-list removed.
pub(crate) fn clean(html: &str) -> String {
    CLEANER.clean(html).to_string()
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn removes_scripts_handlers_and_javascript_urls() {
        let out = clean(
            "<p>a<script>alert(1)</script><img src=\"x.png\" onerror=\"alert(2)\" alt=\"x\"> \
             <a href=\"javascript:alert(3)\">j</a> <a href=\"JaVaScRiPt:alert(4)\">k</a> \
             <span onclick=\"alert(5)\">s</span><iframe src=\"https://e.x\"></iframe></p>",
        );
        for bad in [
            "script",
            "alert",
            "onerror",
            "onclick",
            "javascript",
            "iframe",
        ] {
            assert!(!out.to_lowercase().contains(bad), "{bad} in {out}");
        }
        assert!(out.contains("<img src=\"x.png\" alt=\"x\">"), "{out}");
    }

    #[test]
    fn removes_vbscript_and_every_data_url() {
        // What the `unsafe-url` docs promise: ammonia's URL scheme list has
        // neither, so a `data:` image goes too.
        let out = clean(
            "<p><a href=\"vbscript:msgbox(1)\">v</a> <a href=\"data:text/html,x\">d</a> \
             <img src=\"data:image/png;base64,AA\" alt=\"i\"> \
             <a href=\"java\tscript:alert(1)\">t</a> <a href=\"https://e.x/\">ok</a></p>",
        );
        assert_eq!(
            out,
            "<p><a>v</a> <a>d</a> <img alt=\"i\"> <a>t</a> <a href=\"https://e.x/\">ok</a></p>"
        );
    }

    #[test]
    fn keeps_sopbook_markup() {
        let ours = "<h2 id=\"check\" class=\"x\">Check</h2>\n\
             <ol class=\"steps\" start=\"3\">\n<li id=\"step-3\" class=\"step\">\
             <input type=\"checkbox\" disabled=\"\" checked=\"\" aria-label=\"Done\"> a</li>\n</ol>\n\
             <details class=\"embed\" open=\"\">\n<summary><span class=\"embed-kind\">Embedded from</span> \
             <a href=\"../a/b.html#step-1\">B</a></summary>\n<div class=\"embed-body\"></div>\n</details>\n\
             <div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n</div>\n\
             <div class=\"table-wrap\"><table>\n<thead>\n<tr><th style=\"text-align:right\">h</th></tr>\n\
             </thead>\n<tbody>\n</tbody></table></div>\n\
             <p>x<sup class=\"footnote-ref\"><a href=\"#fn-1\" id=\"fnref-1\">1</a></sup></p>\n\
             <div class=\"footnote\" id=\"fn-1\"><sup class=\"footnote-label\">1</sup>\n</div>\n\
             <pre><code class=\"language-sh\">a &lt; b</code></pre>\n";
        assert_eq!(clean(ours), ours);
    }
}
