//! Heading slugs: `## Check totals` → `check-totals`.
//!
//! Lowercase letters and digits (any script) are kept; every run of other
//! characters becomes one `-`; `&` reads as `and`. This matches the anchors
//! that Eleventy and Jekyll handbooks already link to (`you’ve` → `you-ve`,
//! `M&IE` → `m-and-ie`).

pub(crate) fn slugify(text: &str) -> String {
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
            slug.extend(c.to_lowercase());
        } else {
            dash = true;
        }
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::slugify;

    #[test]
    fn slugs() {
        assert_eq!(slugify("Check totals"), "check-totals");
        assert_eq!(
            slugify("Using the hours you’ve earned"),
            "using-the-hours-you-ve-earned"
        );
        assert_eq!(slugify("  Step 1 - Submit  "), "step-1-submit");
        assert_eq!(slugify("Größe & Maß"), "größe-and-maß");
        assert_eq!(slugify("!!!"), "");
        assert_eq!(
            slugify("Meals and Incidental Expenses (M&IE)"),
            "meals-and-incidental-expenses-m-and-ie"
        );
        assert_eq!(slugify("Q & A"), "q-and-a");
    }
}
