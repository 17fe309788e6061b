//! `sopbook init [DIR]`: a small handbook that builds clean — one process
//! with two branches and an SOP for each, a shared procedure both embed, a
//! page — to edit rather than to read about — and a `.gitignore` that
//! keeps the built site out of git. Never overwrites a file.

use std::path::{Path, PathBuf};

use crate::failure::{EXIT_FAILURE, EXIT_OK, Failure};
use crate::ui::Ui;

const FILES: &[(&str, &str)] = &[
    (
        "content/index.md",
        "+++
title = \"Welcome\"
+++
This handbook says how we do things. Each **process** is an outcome we care
about; each **SOP** is the step-by-step way to reach it in one situation.
Start with [[handle-requests]], or read [[about-this-handbook]].
",
    ),
    (
        "content/requests/process.md",
        "+++
kind = \"process\"
id = \"handle-requests\"
title = \"Handle customer requests\"
outcome = \"Every customer gets a useful answer within one working day\"
owner = \"Head of Support\"
group = \"Support\"

[[branches]]
id = \"standard\"
when = \"A request comes in through the help desk\"

[[branches]]
id = \"urgent\"
when = \"A customer cannot work until it is solved\"
+++
Why this process exists, who takes part, and what done looks like. Replace
this text with your own.
",
    ),
    (
        "content/requests/answer-request.md",
        "+++
title = \"How to answer a request\"
process = \"handle-requests\"
branch = \"standard\"
owner = \"Support agent\"
revision = 1
roles = [\"Support agent\"]
+++
Use this for every request that is not urgent.

1. Open the request in the help desk and read the whole thread.
2. Check the customer's account and their last three requests.
3. Write the answer. If it promises a refund or a credit, first:

   ![[get-approval]]

4. Send it and set the request to *Waiting for customer*.
",
    ),
    (
        "content/requests/urgent-request.md",
        "+++
title = \"How to handle an urgent request\"
process = \"handle-requests\"
branch = \"urgent\"
owner = \"Support lead\"
revision = 1
roles = [\"Support lead\"]
+++
Use this when a customer cannot work. It replaces [[answer-request]] for
that request.

1. Call the customer within the hour and agree on what happens next.
2. Write what you agreed in the request, with a time for the next update.
3. If the fix costs money, get it approved before you start: [[get-approval]].
4. Update the customer at the agreed time, even if nothing changed.
",
    ),
    (
        "content/approvals/process.md",
        "+++
kind = \"process\"
id = \"approve-spending\"
title = \"Approve spending\"
outcome = \"No money leaves the company without a named approver\"
owner = \"Head of Finance\"
group = \"Finance\"
+++
Any refund, credit or purchase is approved by someone other than the person
who asks for it.
",
    ),
    (
        "content/approvals/get-approval.md",
        "+++
title = \"How to get a manager's approval\"
process = \"approve-spending\"
owner = \"Any employee\"
revision = 1
roles = [\"Requester\", \"Manager\"]
+++
Other SOPs embed these steps; change them here and they change everywhere.

1. Post the amount, what it is for and who gets paid in the approvals channel.
2. Wait for a manager to reply *Approved* in the thread.
3. Paste the link to that reply where the SOP that sent you here asks for it.
",
    ),
    (
        "content/about-this-handbook.md",
        "+++
title = \"About this handbook\"
+++
A **process** is a repeatable way to reach an outcome (\"Handle customer
requests\"). It has branches: the situations that need a different path.
An **SOP** is the linear, step-by-step way through one branch. SOPs link to
each other instead of repeating shared steps: write a step once, then use
`[[id]]` to link to it or `![[id]]` to show it inline.

Run `sopbook check` to find broken links, branches without an SOP and copied
steps; `sopbook serve` to preview while you write.
",
    ),
];

/// The output dir `init`'s book.toml leaves at its default, as a
/// `.gitignore` line: anchored to the book's folder.
const IGNORED: &str = "/site/";

pub(crate) fn run(dir: &Path, ui: &Ui) -> i32 {
    match init(dir).and_then(|(mut created, kept)| {
        let ignore = gitignore(dir)?;
        if let Ignore::Created(path) = &ignore {
            created.push(path.clone());
        }
        Ok((created, kept, ignore))
    }) {
        Ok((created, kept, ignore)) => {
            for path in &created {
                ui.status(&format!("  created {}", path.display()));
            }
            for path in &kept {
                ui.status(&format!("  kept    {} (it exists already)", path.display()));
            }
            match &ignore {
                Ignore::Added(path) => ui.status(&format!(
                    "  updated {} (added {IGNORED}: the built site stays out of git)",
                    path.display()
                )),
                Ignore::Listed(path) => ui.status(&format!(
                    "  kept    {} (it ignores the site already)",
                    path.display()
                )),
                Ignore::Created(_) => {}
            }
            let cd = if dir == Path::new(".") {
                String::new()
            } else {
                format!("cd {} && ", dir.display())
            };
            if created.is_empty() {
                ui.status("Nothing created: every file exists already.");
            } else {
                ui.status(&format!(
                    "Created {} files in {}. Next: {cd}sopbook serve",
                    created.len(),
                    dir.display()
                ));
            }
            EXIT_OK
        }
        Err(f) => {
            ui.failure(&f);
            EXIT_FAILURE
        }
    }
}

/// Writes the files that do not exist yet; returns (created, kept).
fn init(dir: &Path) -> Result<(Vec<PathBuf>, Vec<PathBuf>), Failure> {
    if dir.exists() && !dir.is_dir() {
        return Err(Failure::new(format!(
            "{} exists and is not a folder",
            dir.display()
        )));
    }
    let title = crate::paths::absolute(dir)
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .filter(|n| !n.trim().is_empty())
        .map(|n| capitalize(&n))
        .unwrap_or_else(|| "Handbook".to_owned());
    let book_toml = format!(
        "[book]\ntitle = {}\ndescription = \"How we work\"\n\n[build]\nreview-every = \"12 months\"\n",
        toml_string(&format!("{title} Handbook"))
    );
    let mut created = Vec::new();
    let mut kept = Vec::new();
    let all = std::iter::once(("book.toml", book_toml.as_str())).chain(FILES.iter().copied());
    for (rel, text) in all {
        let path = dir.join(rel);
        if path.exists() {
            kept.push(path);
            continue;
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Failure::io("create", parent, &e))?;
        }
        // create_new: a file that appears meanwhile is never overwritten.
        let mut file = match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                kept.push(path);
                continue;
            }
            Err(e) => return Err(Failure::io("create", &path, &e)),
        };
        std::io::Write::write_all(&mut file, text.as_bytes())
            .map_err(|e| Failure::io("write", &path, &e))?;
        created.push(path);
    }
    Ok((created, kept))
}

/// What became of the book's `.gitignore`.
#[derive(Debug)]
enum Ignore {
    Created(PathBuf),
    /// It existed; the output dir's line was added at its end.
    Added(PathBuf),
    /// It existed and ignores the output dir already.
    Listed(PathBuf),
}

/// A `.gitignore` that keeps the built site out of git, as `cargo new`
/// keeps `target/` out: created with the one line, or that line appended
/// to one without it. Nothing else in an existing file changes.
fn gitignore(dir: &Path) -> Result<Ignore, Failure> {
    let path = dir.join(".gitignore");
    let text = match std::fs::read(&path) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            // create_new: one that appears meanwhile is read again instead.
            let mut file = match std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)
            {
                Ok(f) => f,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => return gitignore(dir),
                Err(e) => return Err(Failure::io("create", &path, &e)),
            };
            std::io::Write::write_all(&mut file, format!("{IGNORED}\n").as_bytes())
                .map_err(|e| Failure::io("write", &path, &e))?;
            return Ok(Ignore::Created(path));
        }
        Err(e) => return Err(Failure::io("read", &path, &e)),
    };
    let site = IGNORED.trim_matches('/');
    if text
        .lines()
        .any(|l| l.trim().trim_start_matches('/').trim_end_matches('/') == site)
    {
        return Ok(Ignore::Listed(path));
    }
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .map_err(|e| Failure::io("write", &path, &e))?;
    let newline = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    std::io::Write::write_all(&mut file, format!("{newline}{IGNORED}\n").as_bytes())
        .map_err(|e| Failure::io("write", &path, &e))?;
    Ok(Ignore::Added(path))
}

fn capitalize(s: &str) -> String {
    let mut chars = s.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn toml_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
