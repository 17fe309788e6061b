//! Heading and step anchors: made as the text is read, then given their
//! final, unique ids, clear of the theme's own ids.

use super::*;

impl Writer<'_> {
    pub(super) fn new_anchor(&mut self, kind: AnchorKind, id: String, custom: bool) -> u32 {
        let n = self.body.anchors.len() as u32;
        if custom {
            self.custom_ids.push(n);
        }
        self.body.anchors.push(Anchor {
            id,
            kind,
            text: String::new(),
            custom,
            wanted: None,
            also: None,
        });
        n
    }

    /// Makes anchor ids unique: steps keep `step-n`, ids written with
    /// `{#id}` come next, then heading slugs and footnotes in order; a clash
    /// gets `-1`, `-2`… An id of the theme ([`theme_ids`]) or in
    /// `reserved` is never taken: the anchor moves to `-1` and remembers
    /// the id it wanted, so links written for it still arrive.
    pub(super) fn finish_anchors(&mut self, reserved: &[String]) {
        // A handful of ids a page: the fast hash, not SipHash.
        use foldhash::{HashSet, HashSetExt};
        let anchors = &mut self.body.anchors;
        let mut taken: HashSet<String> = HashSet::with_capacity(anchors.len() + reserved.len());
        taken.extend(reserved.iter().cloned());
        for a in anchors
            .iter()
            .filter(|a| matches!(a.kind, AnchorKind::Step(_) | AnchorKind::Html))
        {
            taken.insert(a.id.clone());
        }
        let mut order: Vec<usize> = self.custom_ids.iter().map(|&i| i as usize).collect();
        order.extend((0..anchors.len()).filter(|&i| {
            !anchors[i].custom && !matches!(anchors[i].kind, AnchorKind::Step(_) | AnchorKind::Html)
        }));
        for i in order {
            let a = &mut anchors[i];
            let base = if a.id.is_empty() {
                "section".to_owned()
            } else {
                a.id.clone()
            };
            let mut id = base.clone();
            let mut n = 1;
            // The theme's ids are matched by shape (`nav-p-3`), not listed.
            while taken.contains(&id) || theme_ids::is_theme_id(&id) {
                id = format!("{base}-{n}");
                n += 1;
            }
            if id != base && theme_ids::is_theme_id(&base) {
                a.wanted = Some(base);
            }
            taken.insert(id.clone());
            a.id = id;
        }
        // Older generators number repeats the same way, in their own
        // namespace.
        let mut seen: HashSet<String> = HashSet::new();
        for a in anchors.iter_mut() {
            let Some(base) = a.also.take() else {
                continue;
            };
            let mut also = base.clone();
            let mut n = 1;
            while !seen.insert(also.clone()) {
                also = format!("{base}-{n}");
                n += 1;
            }
            if also != a.id && !also.is_empty() {
                a.also = Some(also);
            }
        }
    }
}
