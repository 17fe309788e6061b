//! `cargo bench`: the hot paths of a build — parse, model + link
//! resolution, the whole-book rules, and rendering — on data in memory, so
//! a regression shows up as a number without the disk's noise.
//!
//! The book is made here, deterministically: 200 SOPs over 20 processes in
//! the shape `scripts/gen_book.py` writes (steps, a table, code, about
//! four cross-links per SOP, a third of them to step anchors, and embeds of
//! a few common procedures). Clean-build figures against the peers come
//! from `scripts/bench.py` (docs/BENCHMARKS.md).

use std::fmt::Write as _;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use sopbook::internals::{
    self as stages, Config, DocId, Handbook, Job, Kind, Parsed, Severity, Sources, Theme, Timer,
};

const SOPS: usize = 200;
const PROCESSES: usize = 20;
/// SOPs of the "common" process, which the others embed.
const COMMON: usize = 4;

/// A small linear congruential generator: the same book on every run
/// without a dependency.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "ledger",
    "ticket",
    "invoice",
    "approver",
    "supplier",
    "vault",
    "badge",
    "report",
    "checklist",
    "register",
    "portal",
    "export",
    "batch",
    "evidence",
    "owner",
    "calendar",
];

/// `(path in the content dir, text)` for every file of the book.
fn book() -> Vec<(String, String)> {
    let mut rng = Lcg(1);
    let steps: Vec<usize> = (0..SOPS).map(|_| 5 + rng.below(11)).collect();
    let process_of = |i: usize| {
        if i < COMMON {
            0
        } else {
            1 + i % (PROCESSES - 1)
        }
    };
    let mut files = vec![(
        "index.md".to_owned(),
        "+++\ntitle = \"Bench handbook\"\n+++\nThe handbook of the benchmark.\n".to_owned(),
    )];
    for p in 0..PROCESSES {
        let branches = if p == 0 {
            String::new()
        } else {
            "\n[[branches]]\nid = \"standard\"\nwhen = \"The request is routine\"\n\
             \n[[branches]]\nid = \"urgent\"\nwhen = \"It is needed today\"\n"
                .to_owned()
        };
        files.push((
            format!("p{p}/process.md"),
            format!(
                "+++\nkind = \"process\"\nid = \"p{p}\"\ntitle = \"Process {p}\"\n\
                 outcome = \"Outcome {p} is reached\"\nowner = \"Owner {p}\"\n{branches}+++\n\
                 ## Why this process exists\n\nIt keeps the **{}** right.\n",
                WORDS[p % WORDS.len()]
            ),
        ));
    }
    for (i, &n) in steps.iter().enumerate() {
        let p = process_of(i);
        let mut text = format!(
            "+++\ntitle = \"How to do task {i}\"\nprocess = \"p{p}\"\n{}owner = \"Clerk\"\n\
             reviewed = 2026-06-01\n+++\n",
            if p == 0 {
                String::new()
            } else {
                format!(
                    "branch = \"{}\"\n",
                    if i % 2 == 0 { "standard" } else { "urgent" }
                )
            }
        );
        text.push_str(
            "Use this procedure for the task. It is tracked in the `ledger` and must be\n\
             done before the next weekly review.\n\n## Before you start\n\n\
             - Access to the **portal** with the editor role.\n- A second person.\n\n",
        );
        if i % 3 == 0 {
            text.push_str(
                "| Field | Value |\n|---|---|\n| owner | `cost_centre` |\n| due | `DONE` |\n\n",
            );
        }
        text.push_str("## Steps\n\n");
        let links = 3 + rng.below(3);
        let link_at: Vec<usize> = (0..links).map(|_| rng.below(n)).collect();
        for s in 0..n {
            let (a, b) = (WORDS[rng.below(WORDS.len())], WORDS[rng.below(WORDS.len())]);
            let _ = write!(
                text,
                "{}. Open the {a} for task {i} and check the **{b}** against `step {s}`.",
                s + 1
            );
            for _ in link_at.iter().filter(|&&k| k == s) {
                let t = COMMON + rng.below(SOPS - COMMON);
                if rng.below(3) == 0 {
                    let _ = write!(text, " See [[sop{t}#step-{}]].", 1 + rng.below(steps[t]));
                } else {
                    let _ = write!(text, " See [[sop{t}]].");
                }
            }
            text.push('\n');
            if i >= COMMON && s == 1 && i % 3 == 1 {
                let _ = write!(text, "\n   ![[sop{}]]\n\n", i % COMMON);
            }
        }
        if i % 4 == 0 {
            text.push_str("\n## Commands\n\n```sh\nmake verify\ngit tag\n```\n");
        }
        text.push_str("\n## Notes\n\nKeep the evidence with the ticket.\n");
        files.push((format!("p{p}/sop{i}.md"), text));
    }
    files
}

struct Loaded {
    sources: Sources,
    files: Vec<(String, stages::FileId)>,
    config: Config,
}

fn load() -> Loaded {
    let mut sources = Sources::default();
    let files = book()
        .into_iter()
        .map(|(rel, text)| {
            let file = sources.add(format!("content/{rel}"), text);
            (rel, file)
        })
        .collect();
    let toml = sources.add(
        "book.toml".to_owned(),
        "[book]\ntitle = \"Bench\"\n[build]\nsearch = false\n".to_owned(),
    );
    let config = stages::parse_config(&sources.get(toml).text, toml)
        .0
        .expect("the bench's book.toml parses");
    Loaded {
        sources,
        files,
        config,
    }
}

/// What a build of the bench's book.toml parses for: no search, code
/// highlighted.
fn parse_opts(l: &Loaded) -> stages::ParseOptions {
    stages::ParseOptions {
        plain: l.config.build.search,
        highlight: l.config.build.highlight,
    }
}

fn parse_all(l: &Loaded) -> Vec<Parsed> {
    let opts = parse_opts(l);
    l.files
        .iter()
        .map(|(rel, file)| stages::parse(rel, *file, &l.sources.get(*file).text, opts).0)
        .collect()
}

fn dirs() -> Vec<String> {
    (0..PROCESSES).map(|p| format!("p{p}")).collect()
}

/// The checked model: what `Book::check` (and so build, check and serve)
/// does after parsing.
fn handbook(l: &Loaded, parsed: Vec<Parsed>, today: jiff::civil::Date) -> Handbook {
    let read = stages::Read {
        docs: parsed,
        dirs: dirs(),
        ..stages::Read::default()
    };
    let settings = stages::Settings {
        config: &l.config,
        drafts: false,
        today,
        changed: None,
        svg_prefix: "",
        listed: None,
    };
    let mut sources = Sources::default();
    let (hb, diags, _) = stages::check(read, &settings, &mut sources, &mut Timer::new());
    assert!(
        diags.iter().all(|d| d.severity != Severity::Error),
        "the bench's book has errors"
    );
    hb
}

fn benches(c: &mut Criterion) {
    let l = load();
    let parsed = parse_all(&l);
    let today = stages::today(Some("2026-11-25")).expect("a date");
    let hb = handbook(&l, parsed.clone(), today);
    let theme: Theme = stages::load_theme(std::path::Path::new("/nonexistent"), "default")
        .expect("the default theme loads");
    let bytes: usize = l
        .files
        .iter()
        .map(|(_, f)| l.sources.get(*f).text.len())
        .sum();

    // One real SOP of the example handbook: front matter, a table, steps.
    let example = include_str!("../content/payroll/run-payroll.md");
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Bytes(example.len() as u64));
    group.bench_function("one SOP (run-payroll.md)", |b| {
        b.iter(|| {
            stages::parse(
                "payroll/run-payroll.md",
                stages::FileId(0),
                black_box(example),
                parse_opts(&l),
            )
        })
    });
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("book, 221 files", |b| b.iter(|| parse_all(black_box(&l))));
    group.finish();

    let mut group = c.benchmark_group("resolve");
    group.throughput(Throughput::Elements(SOPS as u64));
    group.bench_function(
        "pipeline::check (model, links, embeds, graph, rules)",
        |b| {
            b.iter_batched(
                || parsed.clone(),
                |p| handbook(&l, p, today),
                BatchSize::LargeInput,
            )
        },
    );
    group.bench_function("validate::run (repeated steps, coverage, reviews)", |b| {
        b.iter(|| stages::validate(black_box(&hb), today, |r| l.config.level(r), None))
    });
    group.finish();

    let sop = hb
        .docs
        .iter()
        .position(|d| matches!(d.kind, Kind::Sop(_)) && !d.body.steps.is_empty())
        .map(|i| DocId(i as u32))
        .expect("an SOP");
    let plan = stages::plan(&hb, &l.config, &theme);
    let jobs = &plan.pages;
    let mut group = c.benchmark_group("render");
    group.bench_function("one SOP page", |b| {
        b.iter(|| stages::page(&hb, &l.config, &theme, today, Job::Sop(sop)).expect("renders"))
    });
    group.throughput(Throughput::Elements(jobs.len() as u64));
    group.bench_function("every page, one thread", |b| {
        b.iter(|| {
            jobs.iter()
                .map(|(_, job)| {
                    stages::page(&hb, &l.config, &theme, today, *job)
                        .expect("renders")
                        .len()
                })
                .sum::<usize>()
        })
    });
    group.bench_function("nav.js + graph.json", |b| {
        b.iter(|| {
            (
                stages::generated(&hb, &l.config, stages::NAV),
                stages::generated(&hb, &l.config, stages::GRAPH),
            )
        })
    });
    group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
