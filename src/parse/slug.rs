//! Heading slugs: `## Check totals` → `check-totals`.
//!
//! The rule is GitHub's (SPEC §2), the one most Markdown is written for
//! (GitHub, GitLab, kramdown, Docusaurus): lowercase; every character that
//! is not a letter, a digit, a space, `-` or `_` is dropped; each space
//! becomes `-`; nothing is collapsed (`Get an asset's ID` →
//! `get-an-assets-id`, `Step 1 - Submit` → `step-1---submit`).
//!
//! Eleventy and Jekyll handbooks link to another shape of the same
//! heading: every run of other characters one `-`, `&` read as `and`
//! (`you’ve` → `you-ve`, `M&IE` → `m-and-ie`). [`older`] gives it, and a
//! link written with it still finds its heading.

pub(crate) fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c == ' ' {
            slug.push('-');
        } else if c.is_alphanumeric() || c == '-' || c == '_' {
            push_lowercase(&mut slug, c);
        }
    }
    slug
}

/// `c` in lowercase: ASCII without the case tables (most headings).
fn push_lowercase(slug: &mut String, c: char) {
    if c.is_ascii() {
        slug.push(c.to_ascii_lowercase());
    } else {
        slug.extend(c.to_lowercase());
    }
}

/// The slug Eleventy's and Jekyll's handbooks use for the same heading.
pub(crate) fn older(text: &str) -> String {
    let spelled;
    let text = if text.contains('&') {
        spelled = text.replace('&', " and ");
        spelled.as_str()
    } else {
        text
    };
    let mut slug = String::with_capacity(text.len());
    let mut dash = false;
    for c in text.chars() {
        if c.is_alphanumeric() {
            if dash && !slug.is_empty() {
                slug.push('-');
            }
            dash = false;
            push_lowercase(&mut slug, c);
        } else {
            dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::{older, slugify};

    #[test]
    fn github_slugs() {
        assert_eq!(slugify("Check totals"), "check-totals");
        assert_eq!(slugify("Get an asset's ID"), "get-an-assets-id");
        assert_eq!(slugify("Step 1 - Submit"), "step-1---submit");
        assert_eq!(
            slugify("Database backup/restore not completed"),
            "database-backuprestore-not-completed"
        );
        assert_eq!(
            slugify("Use the get_document rake task"),
            "use-the-get_document-rake-task"
        );
        assert_eq!(
            slugify("DNS for the publishing.service.gov.uk domain"),
            "dns-for-the-publishingservicegovuk-domain"
        );
        assert_eq!(slugify("Größe & Maß"), "größe--maß");
        assert_eq!(slugify("日本語の見出し"), "日本語の見出し");
        assert_eq!(slugify("Ship it 🚀"), "ship-it-");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn older_slugs() {
        assert_eq!(
            older("Using the hours you’ve earned"),
            "using-the-hours-you-ve-earned"
        );
        assert_eq!(older("  Step 1 - Submit  "), "step-1-submit");
        assert_eq!(older("Größe & Maß"), "größe-and-maß");
        assert_eq!(
            older("Meals and Incidental Expenses (M&IE)"),
            "meals-and-incidental-expenses-m-and-ie"
        );
        assert_eq!(older("Q & A"), "q-and-a");
    }
}
