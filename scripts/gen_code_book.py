#!/usr/bin/env python3
"""Writes a small sopbook book whose SOPs hold many fenced code blocks, for
measuring build-time highlighting (docs/BENCHMARKS.md, "Code
highlighting"). The benchmark book of gen_book.py has few code blocks, and
those hold one-word commands; runbooks in IT and data teams carry real
scripts and config files.

The book: --blocks code blocks (default 1,000) in SOPs of ten blocks each,
ten SOPs per process, spread evenly over bash, python, json, yaml, toml,
sql, javascript and rust; each block 4-25 lines of ordinary code, varied
by a seeded random generator so the output is the same for a given seed.

  scripts/gen_code_book.py --out /tmp/codebook
  sopbook build /tmp/codebook

Stdlib only (Python 3.11).
"""
import argparse
import os
import random
import shutil

NAMES = ["invoice", "payroll", "backup", "ledger", "export", "report", "user",
         "client", "contract", "order", "ticket", "asset", "vendor", "budget"]
HOSTS = ["db-1.internal", "files.example.com", "backup-eu.example.net", "10.0.4.12"]
TABLES = ["invoices", "payroll_runs", "clients", "contracts", "expenses", "tickets"]


def bash(r, n):
    name, host = r.choice(NAMES), r.choice(HOSTS)
    lines = ["#!/usr/bin/env bash", "# Sync last night's exports and check them.",
             "set -euo pipefail", f'SRC="/srv/{name}/exports"', f'DEST="{host}:/archive/{name}"']
    for i in range(n):
        lines += r.choice([
            [f'if [ ! -d "$SRC" ]; then echo "missing $SRC" >&2; exit 1; fi'],
            [f'rsync -az --delete "$SRC/" "$DEST/" --exclude "*.tmp"'],
            [f'for f in "$SRC"/*.csv; do', f'  wc -l "$f" | awk \'{{print $1}}\' >> /tmp/{name}-{i}.log', 'done'],
            [f'count=$(find "$SRC" -name "*.csv" -mtime -1 | wc -l)', f'echo "exported $count files"'],
            [f'sha256sum "$SRC"/*.csv > "/tmp/{name}.sha256"  # for the audit'],
        ])
    return "bash", lines


def python(r, n):
    name, table = r.choice(NAMES), r.choice(TABLES)
    lines = ["import csv", "from pathlib import Path", "", "",
             f"def load_{name}s(path: Path) -> list[dict]:",
             f'    """Reads the {name} export and drops empty rows."""',
             "    with path.open(newline=\"\") as f:",
             "        rows = [row for row in csv.DictReader(f) if any(row.values())]"]
    for i in range(n):
        lines += r.choice([
            [f"    total_{i} = sum(float(row[\"amount\"]) for row in rows)",
             f"    print(f\"{table}: {{total_{i}:.2f}} EUR in {{len(rows)}} rows\")"],
            [f"    if len(rows) > {r.randint(100, 9000)}:",
             f"        raise ValueError(\"too many rows for one {name} run\")"],
            [f"    rows.sort(key=lambda row: (row[\"date\"], row[\"id\"]))  # stable order"],
            [f"    seen = {{row[\"id\"] for row in rows}}", f"    assert len(seen) == len(rows), 'duplicate ids'"],
        ])
    lines.append("    return rows")
    return "python", lines


def json_(r, n):
    name = r.choice(NAMES)
    lines = ["{", f'  "name": "{name}-export",', f'  "version": {r.randint(1, 9)},',
             f'  "enabled": {r.choice(["true", "false"])},', '  "targets": [']
    for i in range(n):
        comma = "," if i < n - 1 else ""
        lines.append(f'    {{ "host": "{r.choice(HOSTS)}", "port": {r.randint(1000, 9999)}, '
                     f'"retries": {r.randint(0, 5)}, "tag": null }}{comma}')
    lines += ["  ]", "}"]
    return "json", lines


def yaml(r, n):
    name = r.choice(NAMES)
    lines = ["# Nightly job definition", f"name: {name}-nightly", "on:",
             "  schedule:", f"    - cron: \"{r.randint(0, 59)} {r.randint(0, 23)} * * *\"",
             "jobs:", "  export:", "    runs-on: ubuntu-latest", "    steps:"]
    for i in range(n):
        lines += r.choice([
            ["      - uses: actions/checkout@v4"],
            [f"      - name: Export {name} {i}", f"        run: make export-{name} LIMIT={r.randint(10, 500)}"],
            [f"      - name: Upload", "        env:", f"          TARGET: {r.choice(HOSTS)}",
             f"          DRY_RUN: {r.choice(['true', 'false'])}"],
        ])
    return "yaml", lines


def toml(r, n):
    name = r.choice(NAMES)
    lines = ["# Export settings", "[export]", f'name = "{name}"',
             f"enabled = {r.choice(['true', 'false'])}", f"batch = {r.randint(10, 900)}"]
    for i in range(n):
        lines += r.choice([
            ["", f"[[export.target]]", f'host = "{r.choice(HOSTS)}"', f"port = {r.randint(1000, 9999)}"],
            [f"retry-after = {r.randint(1, 60)}.5  # seconds"],
            [f"start = 2026-{r.randint(1, 12):02}-{r.randint(1, 28):02}"],
            [f'tags = ["{name}", "nightly", "{i}"]'],
        ])
    return "toml", lines


def sql(r, n):
    table = r.choice(TABLES)
    lines = ["-- Open items older than a month", "SELECT c.name, t.id, t.amount, t.due_date",
             f"FROM {table} AS t", "JOIN clients AS c ON c.id = t.client_id",
             f"WHERE t.status = 'open' AND t.due_date < CURRENT_DATE - INTERVAL '30 days'"]
    for _ in range(n):
        lines += r.choice([
            [f"  AND t.amount > {r.randint(10, 5000)}"],
            [f"  AND c.country IN ('DE', 'FR', 'NL')"],
            [f"  AND t.id NOT IN (SELECT item_id FROM disputes WHERE closed IS NULL)"],
        ])
    lines += ["ORDER BY t.due_date ASC, c.name", f"LIMIT {r.randint(10, 200)};"]
    return "sql", lines


def javascript(r, n):
    name = r.choice(NAMES)
    lines = [f"// Checks the {name} form before it is sent.",
             f"export function check{name.title()}(form) {{", "  const errors = [];"]
    for i in range(n):
        lines += r.choice([
            [f"  if (!form.{name}Id || form.{name}Id.length !== {r.randint(6, 12)}) {{",
             f"    errors.push(`{name} id must have the right length`);", "  }"],
            [f"  const total{i} = form.items.reduce((sum, item) => sum + item.amount, 0);"],
            [f"  if (form.date > new Date()) errors.push(\"date is in the future\");"],
        ])
    lines += ["  return errors.length === 0 ? null : errors;", "}"]
    return "javascript", lines


def rust(r, n):
    name = r.choice(NAMES)
    lines = ["use std::collections::BTreeMap;", "", f"/// Totals of the {name} export by month.",
             f"pub fn totals(rows: &[(String, i64)]) -> BTreeMap<&str, i64> {{",
             "    let mut by_month = BTreeMap::new();"]
    for i in range(n):
        lines += r.choice([
            ["    for (date, cents) in rows {", f"        *by_month.entry(&date[..7]).or_insert(0) += cents;", "    }"],
            [f"    let limit_{i}: i64 = {r.randint(1000, 900000)}; // cents"],
            [f"    if rows.len() > {r.randint(10, 900)} {{", f"        eprintln!(\"large {name} export: {{}}\", rows.len());", "    }"],
        ])
    lines += ["    by_month", "}"]
    return "rust", lines


LANGS = [bash, python, json_, yaml, toml, sql, javascript, rust]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", required=True)
    ap.add_argument("--blocks", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    r = random.Random(a.seed)
    if os.path.exists(a.out):
        shutil.rmtree(a.out)
    content = os.path.join(a.out, "content")
    os.makedirs(content)
    with open(os.path.join(a.out, "book.toml"), "w") as f:
        f.write('[book]\ntitle = "Runbooks"\n\n[build]\nsearch = false\n')
    with open(os.path.join(content, "index.md"), "w") as f:
        f.write("+++\ntitle = \"Runbooks\"\n+++\nScripts and settings the IT team runs.\n")
    per_sop, per_process = 10, 10
    sops = (a.blocks + per_sop - 1) // per_sop
    block = 0
    for s in range(sops):
        p = s // per_process
        folder = os.path.join(content, f"runbook-{p}")
        if s % per_process == 0:
            os.makedirs(folder)
            with open(os.path.join(folder, "process.md"), "w") as f:
                f.write(f'+++\nkind = "process"\nid = "runbook-{p}"\ntitle = "Runbook {p}"\n'
                        f'outcome = "The nightly jobs of area {p} run"\nowner = "IT lead"\n+++\n'
                        "Jobs that keep the exports and backups going.\n")
        lines = [f'+++\ntitle = "Run job {s}"\nprocess = "runbook-{p}"\nowner = "IT lead"\n'
                 f"reviewed = 2026-10-01\n+++",
                 "Run these when the nightly job has failed.", "", "## Steps", ""]
        for i in range(min(per_sop, a.blocks - block)):
            lang, code = LANGS[block % len(LANGS)](r, r.randint(2, 8))
            block += 1
            lines += [f"{i + 1}. Run part {block} of job {s}, in {lang}:", "",
                      f"   ```{lang}"] + [f"   {c}" if c else "" for c in code] + ["   ```", ""]
        with open(os.path.join(folder, f"job-{s}.md"), "w") as f:
            f.write("\n".join(lines) + "\n")
    print(f"{block} code blocks in {sops} SOPs under {a.out}")


if __name__ == "__main__":
    main()
