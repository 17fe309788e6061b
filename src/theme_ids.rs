//! The ids the theme gives its own elements, listed in one place (SPEC §2):
//! a heading never takes one, so a page never holds an id twice and the
//! theme's scripts find their own elements. A test reads every default
//! template and script and fails when an id they use is missing here.
//!
//! These are the default theme's ids. A theme override that adds ids of
//! its own is not read for them (docs/themes.md says how to pick ids that
//! no heading can take).

/// Ids the default templates write or the scripts look up or create, on
/// every page or on some. A heading that would take one gets `-1`, `-2`…
pub(crate) const IDS: &[&str] = &[
    // base.html, on every page; sopbook.js and search.js look them up.
    "main",
    "nav-toggle",
    "search-input",
    "search-results",
    "site-nav",
    "theme-toggle",
    // process.html
    "branch-map",
    "equipment",
    "linked-from",
    "other-sops",
    "review-status",
    "superseded-and-retired",
    // print.html
    "print-contents",
    // sop.html, page.html
    "history",
    "changes-in-this-revision",
    "other-paths",
    "used-by",
    "uses",
    // sopbook.js on SOP pages: the run record's name field and its hint.
    "run-operator",
    "run-operator-hint",
    // The error overlay `sopbook serve` puts over a page (src/serve/reload.js).
    "sopbook-overlay",
];

/// Families of ids a script numbers: sopbook.js gives each process in the
/// sidebar `nav-p-0`, `nav-p-1`…
pub(crate) const NUMBERED: &[&str] = &["nav-p-"];

/// What a branch's anchor starts with on its process page:
/// `branch-normal`. Reserved per declared branch on that page only (a
/// heading "Branch rules" elsewhere keeps `branch-rules`).
pub(crate) const BRANCH_PREFIX: &str = "branch-";

/// The anchor of a branch on its process page: `[[pay#branch-normal]]`.
pub(crate) fn branch_anchor(id: &str) -> String {
    format!("{BRANCH_PREFIX}{id}")
}

/// Whether the theme uses `id` on every page (branch anchors aside).
/// `nav-p-1-1`, the id a heading "Nav p 1" is moved to, is not one.
pub(crate) fn is_theme_id(id: &str) -> bool {
    IDS.contains(&id)
        || NUMBERED.iter().any(|prefix| {
            id.strip_prefix(prefix)
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_ids_are_the_prefix_and_a_number_only() {
        assert!(is_theme_id("search-results"));
        assert!(is_theme_id("nav-p-0"));
        assert!(is_theme_id("nav-p-12"));
        assert!(!is_theme_id("nav-p-"));
        assert!(!is_theme_id("nav-p-1-1"));
        assert!(!is_theme_id("search-results-1"));
        assert_eq!(branch_anchor("normal"), "branch-normal");
    }

    /// The string literal that starts at `text[at..]` (after spaces), and
    /// whether a `+` follows it (the start of a numbered id).
    fn literal_at(text: &str, at: usize) -> Option<(String, bool)> {
        let rest = text[at..].trim_start();
        let quote = rest.chars().next().filter(|c| matches!(c, '"' | '\''))?;
        let end = rest[1..].find(quote)?;
        let value = rest[1..1 + end].to_owned();
        let after = rest[1 + end + 1..].trim_start();
        Some((value, after.starts_with('+')))
    }

    /// Ids a script looks up or creates: `getElementById("x")`,
    /// `el.id = "x"`, `const id = "x-" + n` (a numbered family).
    fn script_ids(js: &str) -> Vec<(String, bool)> {
        let mut found = Vec::new();
        for needle in [
            "getElementById(",
            "querySelector(\"#",
            ".id =",
            "id = ",
            "id: ",
        ] {
            let mut from = 0;
            while let Some(i) = js[from..].find(needle) {
                let at = from + i + needle.len();
                from = at;
                // `foo_id = `, `data-id: `: not an element's id.
                let before = js[..from - needle.len()].chars().next_back();
                if needle.starts_with("id")
                    && before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '-')
                {
                    continue;
                }
                if needle == "querySelector(\"#" {
                    let id: String = js[at..]
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    found.push((id, false));
                } else if let Some(lit) = literal_at(js, at) {
                    found.push(lit);
                }
            }
        }
        found
    }

    /// `id="…"` values of a template; a `{{ … }}` value is returned as written.
    fn template_ids(html: &str) -> Vec<String> {
        html.match_indices(" id=\"")
            .filter_map(|(i, m)| {
                let rest = &html[i + m.len()..];
                rest.find('"').map(|end| rest[..end].to_owned())
            })
            .collect()
    }

    fn files(dir: &str, ext: &str) -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|x| x == ext))
            .map(|p| {
                let text = std::fs::read_to_string(&p).expect("read");
                (p.display().to_string(), text)
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn every_id_of_the_default_templates_and_scripts_is_listed() {
        let templates = files("themes/default/templates", "html");
        assert!(templates.len() >= 7, "templates found: {}", templates.len());
        let mut missing = Vec::new();
        for (path, html) in &templates {
            for id in template_ids(html) {
                // The ids a template computes: the branch anchors, and the
                // roles on roles.html and owners on reviews.html (pages
                // with no author's text).
                // On print.html every SOP's anchor is `sop-<id>`, and the
                // bodies' own ids are prefixed with it (or `process--`).
                if id == "{{ b.anchor }}"
                    || id == "{{ r.anchor }}" && path.ends_with("roles.html")
                    || id == "{{ s.anchor }}" && path.ends_with("print.html")
                    || id == "{{ c.anchor }}" && path.ends_with("changes.html")
                    || id == "{{ g.anchor }}" && path.ends_with("reviews.html")
                {
                    continue;
                }
                if id.contains("{{") || id.contains("{%") {
                    missing.push(format!("{path}: computed id `{id}` (list it here)"));
                } else if !is_theme_id(&id) {
                    missing.push(format!("{path}: id=\"{id}\""));
                }
            }
        }
        let mut scripts = files("themes/default/static", "js");
        assert!(scripts.len() >= 2, "scripts found: {}", scripts.len());
        scripts.extend(files("src/serve", "js"));
        for (path, js) in &scripts {
            for (id, numbered) in script_ids(js) {
                let listed = if numbered {
                    NUMBERED.contains(&id.as_str())
                } else {
                    IDS.contains(&id.as_str())
                };
                if !listed {
                    missing.push(format!(
                        "{path}: `{id}`{}",
                        if numbered { " + n" } else { "" }
                    ));
                }
            }
        }
        assert!(
            missing.is_empty(),
            "ids the theme uses but src/theme_ids.rs does not list:\n{}",
            missing.join("\n")
        );
    }

    #[test]
    fn the_scanner_finds_what_the_scripts_do() {
        let js = "const a = document.getElementById(\"x\");\nconst id = \"p-\" + n++;\no.id = 'y';\nel(\"div\", { id: \"z\" });\nconst my_id = \"no\";";
        let ids = script_ids(js);
        for want in [("x", false), ("p-", true), ("y", false), ("z", false)] {
            assert!(
                ids.contains(&(want.0.to_owned(), want.1)),
                "{want:?} not in {ids:?}"
            );
        }
        assert!(!ids.iter().any(|(id, _)| id == "no"), "{ids:?}");
    }
}
