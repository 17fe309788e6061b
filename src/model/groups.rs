//! The order of the process groups: `[book] groups` first, in its order,
//! then the other groups by name, then the processes with no group; and
//! the warning for a listed group no process is in.

use super::{Handbook, Kind};
use crate::config::ListedGroup;
use crate::diagnostics::{Diagnostic, Rule, did_you_mean};

/// A `warning[unused-group]` for each group `[book] groups` lists that no
/// process is in: a typo there would otherwise put the group it meant last.
pub(super) fn unused(hb: &Handbook, listed: &[ListedGroup]) -> Vec<Diagnostic> {
    let used: std::collections::BTreeSet<&str> = hb
        .docs
        .iter()
        .filter_map(|d| match &d.kind {
            Kind::Process(p) => p.group.as_deref(),
            _ => None,
        })
        .collect();
    listed
        .iter()
        .filter(|g| !used.contains(g.name.as_str()))
        .map(|g| {
            let help = match did_you_mean(&g.name, used.iter().copied()) {
                Some(s) => {
                    format!("did you mean `{s}`? a process joins a group with `group = \"…\"`")
                }
                None if used.is_empty() => {
                    "no process has a `group`; a process joins one with `group = \"…\"`".to_owned()
                }
                None => format!(
                    "the processes' groups: {}",
                    used.iter().copied().collect::<Vec<_>>().join(", ")
                ),
            };
            Diagnostic::new(
                Rule::UnusedGroup,
                format!("no process is in the group `{}`", g.name),
            )
            .at(g.file, g.span.clone())
            .label("listed in `groups`")
            .help(help)
        })
        .collect()
}

/// Where a process's group comes: the groups `[book] groups` lists in
/// that order, then the others alphabetically, then the processes with
/// no group. The exact name is last, so that two spellings of one name
/// stay two groups, each in one piece.
pub(super) fn rank(group: Option<&str>, listed: &[ListedGroup]) -> (u8, usize, String, String) {
    match group {
        Some(g) => match listed.iter().position(|l| l.name == g) {
            Some(i) => (0, i, String::new(), String::new()),
            None => (1, 0, g.to_lowercase(), g.to_owned()),
        },
        None => (2, 0, String::new(), String::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::FileId;

    #[test]
    fn listed_first_then_by_name_then_none() {
        let listed = vec![ListedGroup {
            name: "Zed".into(),
            file: FileId(0),
            span: 0..0,
        }];
        let mut groups = vec![
            None,
            Some("b"),
            Some("Zed"),
            Some("A"),
            Some("B"),
            Some("a"),
        ];
        groups.sort_by_key(|g| rank(*g, &listed));
        // "B" and "b" are two groups, next to each other, each in one piece.
        assert_eq!(
            groups,
            [
                Some("Zed"),
                Some("A"),
                Some("a"),
                Some("B"),
                Some("b"),
                None
            ]
        );
    }
}
