#!/usr/bin/env python3
"""Clean-build benchmarks: sopbook against the floor and its peers, and
sopbook's cost growth with the size of the book.

For each size, writes the synthetic benchmark book with scripts/gen_book.py
(the same content in sopbook, mdBook and Hugo layouts, seed 1, one process
per ten SOPs; docs/benchmark-book.md), then times clean builds of:

  sopbook            release build, every check, search index on / off
  floor              benches/floor.rs: read + pulldown-cmark + write, one thread
  hugo               Debian's hugo, if installed
  mdbook             `cargo install mdbook --version 0.5.4`, if installed

Each build runs --runs times into an emptied output dir on tmpfs (/dev/shm)
and, for sopbook, on disk as well; the table gives the median, min-max, peak
RSS (from /usr/bin/time), output bytes and bytes per page, and each tool's
time as a ratio of sopbook's. A build that passes --timeout is reported as
such. Prints Markdown; docs/BENCHMARKS.md holds a run of it.

--growth 1000,3000,10000,30000 times sopbook alone (clean build, search off,
tmpfs, median of --runs) at each size and prints one table with the time
and peak RSS per 1,000 SOPs, so linear growth shows as flat columns. With
--growth the side-by-side tables run only if --sizes is given too.

Books are cached under --books/ours/<size>; delete them after changing
scripts/gen_book.py. Binaries go to $CARGO_TARGET_DIR (default target/).

Usage: scripts/bench.py [--sizes 1000,10000] [--runs 3] [--timeout 120]
                        [--growth 1000,3000,10000,30000]
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENERATOR = os.path.join(ROOT, "scripts", "gen_book.py")
TARGET = os.environ.get("CARGO_TARGET_DIR") or os.path.join(ROOT, "target")
SOPBOOK = os.path.join(TARGET, "release", "sopbook")


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def build():
    """Release builds of sopbook and of the floor; returns the floor's path.
    A bench target's binary carries a hash in its name: cargo reports it."""
    out = subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "sopbook", "--bench", "floor",
                          "--message-format=json-render-diagnostics"],
                         cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg["target"]["name"] == "floor" and msg.get("executable"):
            return msg["executable"]
    raise SystemExit("cargo reported no binary for benches/floor.rs")


def generate(size, base, layouts="sopbook,mdbook,hugo"):
    book = os.path.join(base, "ours", str(size))
    have = [x for x in layouts.split(",") if os.path.exists(os.path.join(book, x))]
    if len(have) < len(layouts.split(",")):
        sh([sys.executable, GENERATOR, "--sops", str(size), "--processes", str(max(1, size // 10)),
            "--seed", "1", "--out", book, "--layouts", layouts], stdout=subprocess.DEVNULL)
    # The same content without the search index: a book that points at it.
    nosearch = os.path.join(book, "sopbook-nosearch")
    os.makedirs(nosearch, exist_ok=True)
    with open(os.path.join(book, "sopbook", "book.toml")) as f:
        toml = f.read()
    with open(os.path.join(nosearch, "book.toml"), "w") as f:
        keys = 'content-dir = "../sopbook/content"\nsearch = false\n'
        if "\n[build]\n" in toml:  # gen_book.py's book.toml has one: a second would be a TOML error
            f.write(toml.replace("\n[build]\n", "\n[build]\n" + keys, 1))
        else:
            f.write(toml + "\n[build]\n" + keys)
    return book


def run_once(cmd, out, timeout):
    if os.path.exists(out):
        shutil.rmtree(out)
    start = time.perf_counter()
    # Its own process group, so a timeout stops the build, not only `time`.
    proc = subprocess.Popen(["/usr/bin/time", "-f", "%M"] + cmd, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        _, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.communicate()
        return None
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    rss_kb = int(stderr.strip().splitlines()[-1])
    return wall, rss_kb


def measure(name, cmd, out, runs, timeout):
    results = []
    for _ in range(runs):
        r = run_once(cmd, out, timeout)
        if r is None:
            return {"name": name, "timeout": timeout}
        results.append(r)
    walls = [w for w, _ in results]
    pages, size = 0, 0
    for dirpath, _, files in os.walk(out):
        for f in files:
            size += os.path.getsize(os.path.join(dirpath, f))
            pages += f.endswith(".html")
    return {"name": name, "median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "rss": max(r for _, r in results) / 1024, "bytes": size, "pages": pages}


def table(rows, reference):
    lines = ["| build | median | min–max | × sopbook | peak RSS | output | pages | bytes/page |",
             "|---|---|---|---|---|---|---|---|"]
    for r in rows:
        if "timeout" in r:
            lines.append(f"| {r['name']} | > {r['timeout']} s | | | | | | |")
            continue
        ratio = r["median"] / reference if reference else 0
        lines.append(f"| {r['name']} | {r['median']:.2f} s | {r['min']:.2f}–{r['max']:.2f} | {ratio:.2f} | "
                     f"{r['rss']:.0f} MiB | {r['bytes'] / 1e6:.1f} MB | {r['pages']} | "
                     f"{r['bytes'] / max(1, r['pages']) / 1024:.1f} KiB |")
    return "\n".join(lines)


def growth_table(rows):
    lines = ["| SOPs | median | min–max | per 1k SOPs | peak RSS | RSS per 1k SOPs | output | pages |",
             "|---|---|---|---|---|---|---|---|"]
    for size, r in rows:
        if "timeout" in r:
            lines.append(f"| {size:,} | > {r['timeout']} s | | | | | | |")
            continue
        k = size / 1000
        lines.append(f"| {size:,} | {r['median']:.2f} s | {r['min']:.2f}–{r['max']:.2f} | "
                     f"{r['median'] / k:.3f} s | {r['rss']:.0f} MiB | {r['rss'] / k:.1f} MiB | "
                     f"{r['bytes'] / 1e6:.1f} MB | {r['pages']} |")
    return "\n".join(lines)


def growth(sizes, args):
    """sopbook alone, search off, on tmpfs: time and RSS against book size."""
    rows = []
    for size in sizes:
        book = generate(size, args.books, layouts="sopbook")
        shm = f"/dev/shm/sopbench-out-{size}"
        rows.append((size, measure("sopbook", [SOPBOOK, "build", "--quiet", os.path.join(book, "sopbook-nosearch"),
                                               "--out", shm], shm, args.runs, args.timeout)))
        shutil.rmtree(shm, ignore_errors=True)
    print("### Growth: sopbook, search off (tmpfs)\n")
    print(growth_table(rows))
    print()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", help="side-by-side tables at these sizes (default 1000,10000)")
    p.add_argument("--growth", help="sopbook alone at these sizes, e.g. 1000,3000,10000,30000")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--timeout", type=int, default=120)
    p.add_argument("--books", default="/tmp/sopbench")
    args = p.parse_args()
    if args.sizes is None and not args.growth:
        args.sizes = "1000,10000"

    floor = build()
    hugo, mdbook = shutil.which("hugo"), shutil.which("mdbook")
    versions = [subprocess.run([SOPBOOK, "--version"], capture_output=True, text=True).stdout.strip()]
    if hugo:
        versions.append(re.sub(r"\s+", " ", subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip())[:60])
    if mdbook:
        versions.append(subprocess.run([mdbook, "--version"], capture_output=True, text=True).stdout.strip())
    print(f"Machine: {os.cpu_count()} cores; {', '.join(versions)}; {args.runs} runs each, clean output dir each run; "
          f"book: {os.path.relpath(GENERATOR, ROOT)} --seed 1.\n")
    os.environ["SOPBOOK_TODAY"] = "2026-11-25"
    if args.growth:
        growth([int(s) for s in args.growth.split(",")], args)

    for size in [int(s) for s in (args.sizes or "").split(",") if s]:
        book = generate(size, args.books)
        shm = f"/dev/shm/sopbench-out-{size}"
        disk = os.path.join(args.books, f"out-{size}")
        env_book = os.path.join(book, "sopbook")
        rows = []
        rows.append(measure("sopbook, search off (tmpfs)", [SOPBOOK, "build", "--quiet", os.path.join(book, "sopbook-nosearch"), "--out", shm], shm, args.runs, args.timeout))
        rows.append(measure("sopbook, search on (tmpfs)", [SOPBOOK, "build", "--quiet", env_book, "--out", shm], shm, args.runs, args.timeout))
        rows.append(measure("sopbook, search on (disk)", [SOPBOOK, "build", "--quiet", env_book, "--out", disk], disk, args.runs, args.timeout))
        rows.append(measure("floor: pulldown-cmark only (tmpfs)", [floor, os.path.join(env_book, "content"), shm], shm, args.runs, args.timeout))
        if hugo:
            rows.append(measure("hugo (tmpfs)", [hugo, "--quiet", "--source", os.path.join(book, "hugo"), "--destination", shm], shm, args.runs, args.timeout))
        if mdbook:
            rows.append(measure("mdbook (tmpfs)", [mdbook, "build", os.path.join(book, "mdbook"), "--dest-dir", shm], shm, args.runs, args.timeout))
        reference = rows[0]["median"] if "median" in rows[0] else 0
        print(f"### {size:,} SOPs\n")
        print(table(rows, reference))
        print()
        for d in (shm, disk):
            shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
