#!/usr/bin/env python3
"""History benchmark (SPEC §8: at 10,000 SOPs with 20,000 commits, history
adds at most 0.5 s to a build).

1. Writes the repository with scripts/gen_history_repo.py (cached in
   --repo; delete it after changing the generator).
2. The history pass alone: `cargo bench --bench history -- REPO/content
   RUNS` (benches/history.rs: the commits listed by one `git log`, their
   trees compared in-process, walked; `--cli` for git log's own diffs).
3. What it adds to a clean build: `sopbook build` of the repository's book
   (release build, search off, output on tmpfs) with `[build] history =
   false` and with the default `"auto"`, alternated, --runs times each;
   median and min-max of both and the difference of the medians. The
   `history` lap of SOPBOOK_TIMINGS=1 is how long the build waited for git
   after checking the book (git runs on its own thread meanwhile).

Prints Markdown; docs/BENCHMARKS.md ("History from git") holds a run.

Usage: scripts/bench_history.py [--repo /tmp/sopbook-history-10k]
                                [--sops 10000] [--commits 20000] [--runs 5]
"""
import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
SOPBOOK = os.path.join(TARGET, "release", "sopbook")


def set_history(toml_path, value):
    with open(toml_path) as f:
        text = f.read()
    text = re.sub(r"(?m)^history = .*\n", "", text)
    if value is not None:
        text = text.replace("[build]\n", f"[build]\nhistory = {value}\n", 1)
    with open(toml_path, "w") as f:
        f.write(text)


def build_once(repo, out):
    shutil.rmtree(out, ignore_errors=True)
    env = dict(os.environ, SOPBOOK_TIMINGS="1", SOPBOOK_TODAY="2026-11-25")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([SOPBOOK, "build", repo, "--out", out], env=env,
                         capture_output=True, text=True)
    took = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    # sopbook's CPU time and that of the git processes it waited for.
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if run.returncode != 0:
        sys.exit(f"sopbook build failed:\n{run.stderr[-2000:]}")
    wait = re.search(r"timing: history\s+([\d.]+) ms", run.stderr)
    return took, cpu, float(wait.group(1)) / 1000 if wait else 0.0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--repo", default="/tmp/sopbook-history-10k")
    ap.add_argument("--sops", type=int, default=10000)
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args(argv)

    if not os.path.isdir(args.repo):
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_history_repo.py"),
                        "--out", args.repo, "--sops", str(args.sops),
                        "--commits", str(args.commits)], check=True)
    subprocess.run(["cargo", "build", "--release", "--locked", "--quiet"], cwd=ROOT, check=True)
    print("## History pass alone\n")
    alone = subprocess.run(["cargo", "bench", "--quiet", "--locked", "--bench", "history", "--",
                            os.path.join(args.repo, "content"), str(args.runs)],
                           cwd=ROOT, check=True, capture_output=True, text=True)
    print("```text\n" + alone.stdout.strip() + "\n```\n")

    toml_path = os.path.join(args.repo, "book.toml")
    with open(toml_path) as f:
        original = f.read()
    # Search off: the build's own cost, as in docs/BENCHMARKS.md's growth table.
    if "search = false" not in original:
        with open(toml_path, "w") as f:
            f.write(original.replace("[build]\n", "[build]\nsearch = false\n", 1))
    out = "/dev/shm/sopbook-history-bench" if os.path.isdir("/dev/shm") else "/tmp/sopbook-history-bench"
    times = {"false": [], "auto": []}
    cpus = {"false": [], "auto": []}
    waits = []
    try:
        for value in ("false", '"auto"'):  # warm the page cache once each
            set_history(toml_path, value)
            build_once(args.repo, out)
        for _ in range(args.runs):
            for value in ("false", '"auto"'):
                set_history(toml_path, value)
                took, cpu, wait = build_once(args.repo, out)
                times[value.strip('"')].append(took)
                cpus[value.strip('"')].append(cpu)
                if value != "false":
                    waits.append(wait)
    finally:
        with open(toml_path, "w") as f:
            f.write(original)
        shutil.rmtree(out, ignore_errors=True)

    def row(name, key):
        xs, cs = times[key], cpus[key]
        return (f"| {name} | {statistics.median(xs):.2f} s | {min(xs):.2f}–{max(xs):.2f} "
                f"| {statistics.median(cs):.2f} s |")

    print(f"## Clean build, {args.sops} SOPs, {args.commits} commits, search off, median of {args.runs}\n")
    print("| `[build] history` | build (wall) | min–max | CPU (user + sys, with git) |")
    print("|---|---|---|---|")
    print(row("`false`", "false"))
    print(row('`"auto"` (git read)', "auto"))
    added = statistics.median(times["auto"]) - statistics.median(times["false"])
    cpu = statistics.median(cpus["auto"]) - statistics.median(cpus["false"])
    print(f"\nHistory adds {added:+.2f} s of wall time and {cpu:+.2f} CPU-s (differences of "
          f"the medians); the build waited {statistics.median(waits):.2f} s (median) for git "
          f"after checking the book. Load average at the end: {os.getloadavg()[0]:.1f}.")


if __name__ == "__main__":
    main()
