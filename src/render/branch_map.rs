//! The branch map of a process page, drawn at build time as inline SVG:
//! the process on the left, each branch's `when` in the middle, the SOPs
//! that walk it on the right, joined by curves. No script, nothing fetched;
//! colours come from the theme's CSS, so it follows light and dark mode.

use std::fmt::Write;

use crate::html::escape;
use crate::render::views::{BranchView, SopCard};

const PROCESS_W: i32 = 170;
const BRANCH_W: i32 = 250;
const SOP_W: i32 = 250;
const GAP: i32 = 44;
const LINE_H: i32 = 18;
const PAD: i32 = 10;
const ROW_GAP: i32 = 14;
const SOP_GAP: i32 = 8;
/// Average glyph width at the map's font size, for wrapping.
const CHAR_W: f32 = 7.4;

// Coordinates are whole pixels: integers print several times faster than
// floats, and the map is drawn once per process page. Every height is
// even, so halving one never rounds and the curves stay straight.

struct Row<'a> {
    label: Vec<String>,
    missing: bool,
    sops: Vec<(&'a SopCard, Vec<String>)>,
}

pub(crate) fn svg(
    process_title: &str,
    branches: &[BranchView],
    loose: &[SopCard],
    words: &crate::i18n::Strings,
) -> String {
    let mut rows: Vec<Row> = branches
        .iter()
        .map(|b| Row {
            label: wrap(&b.when, BRANCH_W),
            missing: false,
            sops: b.sops.iter().map(|s| (s, wrap(&s.title, SOP_W))).collect(),
        })
        .collect();
    if !loose.is_empty() {
        rows.push(Row {
            label: wrap(words.text("branch_map.on_no_branch"), BRANCH_W),
            missing: true,
            sops: loose.iter().map(|s| (s, wrap(&s.title, SOP_W))).collect(),
        });
    }

    let box_h = |lines: usize| lines.max(1) as i32 * LINE_H + 2 * PAD;
    let x_branch = PROCESS_W + GAP;
    let x_sop = x_branch + BRANCH_W + GAP;
    let width = x_sop + SOP_W + 2;

    let mut body = String::new();
    let mut edges = String::new();
    let mut y = 1;
    let mut branch_centers = Vec::new();
    for row in &rows {
        let label_h = box_h(row.label.len());
        let sops_h: i32 = if row.sops.is_empty() {
            box_h(1)
        } else {
            row.sops.iter().map(|(_, l)| box_h(l.len())).sum::<i32>()
                + SOP_GAP * (row.sops.len() as i32 - 1)
        };
        let row_h = label_h.max(sops_h);
        let branch_y = y + (row_h - label_h) / 2;
        let center = branch_y + label_h / 2;
        branch_centers.push(center);
        let class = if row.missing {
            "bm-branch bm-loose"
        } else {
            "bm-branch"
        };
        rect(&mut body, class, x_branch, branch_y, BRANCH_W, label_h);
        text(&mut body, x_branch, branch_y, &row.label);

        let mut sy = y + (row_h - sops_h) / 2;
        if row.sops.is_empty() {
            let h = box_h(1);
            rect(&mut body, "bm-sop bm-missing", x_sop, sy, SOP_W, h);
            text(
                &mut body,
                x_sop,
                sy,
                &[words.text("branch_map.no_sop").to_owned()],
            );
            curve(
                &mut edges,
                x_branch + BRANCH_W,
                center,
                x_sop,
                sy + h / 2,
                "bm-edge bm-edge-missing",
            );
        }
        for (sop, lines) in &row.sops {
            let h = box_h(lines.len());
            let _ = write!(body, "<a href=\"{}\">", escape(&sop.url));
            rect(&mut body, "bm-sop", x_sop, sy, SOP_W, h);
            text(&mut body, x_sop, sy, lines);
            body.push_str("</a>");
            curve(
                &mut edges,
                x_branch + BRANCH_W,
                center,
                x_sop,
                sy + h / 2,
                "bm-edge",
            );
            sy += h + SOP_GAP;
        }
        y += row_h + ROW_GAP;
    }
    let height = (y - ROW_GAP + 1).max(1);

    let title_lines = wrap(process_title, PROCESS_W);
    let ph = box_h(title_lines.len());
    let py = (height - ph) / 2;
    let mut process = String::new();
    rect(&mut process, "bm-process", 1, py, PROCESS_W - 1, ph);
    text(&mut process, 1, py, &title_lines);
    for c in &branch_centers {
        curve(&mut edges, PROCESS_W, py + ph / 2, x_branch, *c, "bm-edge");
    }

    let mut svg = String::with_capacity(body.len() + edges.len() + 512);
    let _ = write!(
        svg,
        "<svg class=\"branch-map-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        escape(&words.fill("branch_map.label", &[("title", process_title)]))
    );
    svg.push_str(&edges);
    svg.push_str(&process);
    svg.push_str(&body);
    svg.push_str("</svg>");
    svg
}

fn rect(out: &mut String, class: &str, x: i32, y: i32, w: i32, h: i32) {
    let _ = write!(
        out,
        "<rect class=\"{class}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\"/>"
    );
}

fn text(out: &mut String, x: i32, y: i32, lines: &[String]) {
    let _ = write!(
        out,
        "<text x=\"{}\" y=\"{}\">",
        x + PAD,
        y + PAD + LINE_H - 4
    );
    for (i, line) in lines.iter().enumerate() {
        if i == 0 {
            let _ = write!(out, "<tspan>{}</tspan>", escape(line));
        } else {
            let _ = write!(
                out,
                "<tspan x=\"{}\" dy=\"{LINE_H}\">{}</tspan>",
                x + PAD,
                escape(line)
            );
        }
    }
    out.push_str("</text>");
}

fn curve(out: &mut String, x1: i32, y1: i32, x2: i32, y2: i32, class: &str) {
    let mid = (x1 + x2) / 2;
    let _ = write!(
        out,
        "<path class=\"{class}\" d=\"M{x1} {y1} C{mid} {y1}, {mid} {y2}, {x2} {y2}\"/>"
    );
}

/// Greedy word wrap to the box width; a word longer than a line is cut.
fn wrap(text: &str, box_w: i32) -> Vec<String> {
    let max = (((box_w - 2 * PAD) as f32 / CHAR_W) as usize).max(4);
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word: String = word.to_owned();
        while word.chars().count() > max {
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            let head: String = word.chars().take(max).collect();
            word = word.chars().skip(max).collect();
            lines.push(head);
        }
        if line.is_empty() {
            line = word;
        } else if line.chars().count() + 1 + word.chars().count() <= max {
            line.push(' ');
            line.push_str(&word);
        } else {
            lines.push(std::mem::replace(&mut line, word));
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    // Keep the map readable: at most four lines a box.
    if lines.len() > 4 {
        lines.truncate(4);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_and_escapes() {
        let lines = wrap(
            "Someone was paid the wrong amount and needs a correction this month",
            BRANCH_W,
        );
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| l.chars().count() <= 33));
        let card = SopCard {
            id: "a".into(),
            title: "<script>".into(),
            url: "a.html".into(),
            owner: None,
            format: "document",
            steps: 0,
            reviewed: None,
            review_due: None,
            overdue: false,
            draft: false,
            status: None,
        };
        let b = BranchView {
            id: "x".into(),
            anchor: "branch-x".into(),
            when: "A & B".into(),
            sops: vec![card],
        };
        let s = svg("P", &[b], &[], &crate::i18n::Strings::default());
        assert!(s.contains("&lt;script&gt;"));
        assert!(s.contains("A &amp; B"));
        assert!(!s.contains("<script>"));
    }
}
