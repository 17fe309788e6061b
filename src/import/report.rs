//! What import writes beside the content: `book.toml` and `IMPORT.md`.

use std::fmt::Write;

use super::detect::Site;
use super::source::Found;
use super::{Book, Role, toml_string};

/// A language tag sopbook can put in `lang`: letters, digits and `-`.
fn language(site: &Site) -> Option<String> {
    let lang = site.language.as_deref()?.replace('_', "-");
    (!lang.is_empty()
        && lang.len() <= 35
        && lang.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
    .then_some(lang)
}

pub(super) fn book_toml(site: &Site, book: &Book) -> String {
    let title = site.title.clone().unwrap_or_else(|| {
        let name = site
            .src
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        super::outline::humanize(&name)
    });
    let mut out = format!(
        "# Written by `sopbook import` from a {} source; IMPORT.md says what was converted.\n\n[book]\ntitle = {}\n",
        site.flavor.name(),
        toml_string(&title)
    );
    if let Some(d) = &site.description {
        let _ = writeln!(out, "description = {}", toml_string(d));
    }
    if let Some(l) = language(site) {
        let _ = writeln!(out, "language = {}", toml_string(&l));
    }
    let f = &book.findings;
    let mut check = String::new();
    if !f.dangling.is_empty() {
        let _ = write!(
            check,
            "# The source has {} that reach nothing (listed in IMPORT.md): they are\n# warnings until they are fixed. Delete these two lines then.\nbroken-link = \"warn\"\nmissing-asset = \"warn\"\n",
            super::plural(f.dangling.len(), "link")
        );
    }
    let empty_sections = book
        .outline
        .sections
        .iter()
        .enumerate()
        .any(|(s, section)| {
            !section
                .pages
                .iter()
                .any(|&i| book.plan[i].role == Role::Sop(s))
        });
    if empty_sections {
        check.push_str("# Sections of the source became processes; those without a page of\n# numbered steps have no SOP yet.\nprocess-without-sop = \"allow\"\n");
    }
    if !check.is_empty() {
        let _ = write!(out, "\n[check]\n{check}");
    }
    out
}

/// `|` and line ends would break a table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}

pub(super) fn import_md(site: &Site, found: &Found, book: &Book) -> String {
    let f = &book.findings;
    let (processes, sops, pages) = book.counts();
    let mut out = String::new();
    let _ = writeln!(out, "# Import report\n");
    let _ = writeln!(
        out,
        "`sopbook import` read a {} source and wrote this book. Paths below are in\nthis book (`content/…`) unless they say `source:`. Lines are the lines of\nthe new files.\n",
        site.flavor.name()
    );
    let _ = writeln!(out, "## Counts\n");
    let _ = writeln!(out, "| | |\n|---|---:|");
    let _ = writeln!(out, "| Markdown pages found | {} |", found.pages.len());
    let _ = writeln!(out, "| processes (one per section) | {processes} |");
    let _ = writeln!(
        out,
        "| of them written for a section with no page of its own | {} |",
        book.made.len()
    );
    let _ = writeln!(out, "| SOPs (pages with numbered steps) | {sops} |");
    let _ = writeln!(out, "| pages | {pages} |");
    let _ = writeln!(out, "| assets copied | {} |", f.assets);
    let _ = writeln!(out, "| links rewritten | {} |", f.rewritten);
    let _ = writeln!(out, "| links that reach nothing | {} |", f.dangling.len());
    let _ = writeln!(
        out,
        "| constructs left unconverted or dropped | {} |",
        f.notes.len()
    );
    let _ = writeln!(out, "| files not imported | {} |\n", f.skipped.len());

    let _ = writeln!(out, "## Links that reach nothing\n");
    if f.dangling.is_empty() {
        let _ = writeln!(
            out,
            "None: every link of the source reaches a page or a file.\n"
        );
    } else {
        let _ = writeln!(
            out,
            "These links reach no page or file of the source: they were broken there\ntoo, or lead out of it. They are left as written, and `sopbook check`\nreports each one.\n"
        );
        let _ = writeln!(out, "| where | link | |\n|---|---|---|");
        for (file, line, link, why) in &f.dangling {
            let _ = writeln!(
                out,
                "| `content/{}:{line}` | `{}` | {why} |",
                cell(file),
                cell(link)
            );
        }
        out.push('\n');
    }

    let _ = writeln!(out, "## Left unconverted\n");
    if f.notes.is_empty() {
        let _ = writeln!(
            out,
            "Nothing: every construct of the source was converted.\n"
        );
    } else {
        let _ = writeln!(out, "| where | what |\n|---|---|");
        for (file, line, what) in &f.notes {
            let _ = writeln!(out, "| `content/{}:{line}` | {} |", cell(file), cell(what));
        }
        out.push('\n');
    }

    if !f.skipped.is_empty() {
        let _ = writeln!(out, "## Files not imported\n");
        let _ = writeln!(out, "| source: | why |\n|---|---|");
        for (file, why) in &f.skipped {
            let _ = writeln!(out, "| `{}` | {} |", cell(file), cell(why));
        }
        out.push('\n');
    }

    if !f.dropped_keys.is_empty() {
        let _ = writeln!(out, "## Front-matter keys not carried over\n");
        let _ = writeln!(
            out,
            "sopbook has no use for these keys of the source's front matter (layouts,\nnavigation, the source tool's options): they were left out.\n"
        );
        let list: Vec<String> = f
            .dropped_keys
            .iter()
            .map(|(k, n)| format!("`{}` ({n})", cell(k)))
            .collect();
        let _ = writeln!(out, "{}\n", list.join(", "));
    }

    let _ = writeln!(out, "## Sections\n");
    let _ = writeln!(
        out,
        "| process | its page | SOPs | pages |\n|---|---|---:|---:|"
    );
    for (s, section) in book.outline.sections.iter().enumerate() {
        let page = match section.index {
            Some(i) => format!("`content/{}`", cell(&book.plan[i].path)),
            None => book
                .made
                .iter()
                .find(|m| m.section == s)
                .map(|m| format!("`content/{}` (written)", cell(&m.path)))
                .unwrap_or_default(),
        };
        let sops = section
            .pages
            .iter()
            .filter(|&&i| book.plan[i].role == Role::Sop(s))
            .count();
        let _ = writeln!(
            out,
            "| {} | {page} | {sops} | {} |",
            cell(&section.title),
            section.pages.len() - sops
        );
    }
    out
}
