#!/usr/bin/env python3
"""Issue #18's targets in one run: sopbook against the floor and Zola at
10,000 SOPs, with the search index, the git history and `serve`, and its
growth from 1,000 to 30,000 SOPs. Prints one table of every target (the
figure measured, the limit, met or not), then the measurements it comes
from; docs/BENCHMARKS.md ("Issue #18 targets") says how to read it.

The books are written by gen_corpus.py (--corpus-generator; by default
../shared/bench/gen_corpus.py beside the repository), the book of the
issue's figures: `--sops N --processes N/10 --seed 1`, in its sopbook and
Zola layouts, cached under --books/<N> (delete them after changing the
generator). Every output goes to tmpfs (/dev/shm), emptied before each run;
the tools are alternated run by run, after one warm-up run each, so a
drift of the machine hits all of them; figures are medians of --runs,
peak RSS (from /usr/bin/time) the largest of the runs.

  side by side  at --size: the floor (benches/floor.rs), sopbook with
                search off and on (every check on, as always), `zola build`
  history       sopbook, search off, `history = false` against `"auto"`,
                on a git repository of the same book with --commits commits
                (scripts/gen_history_repo.py --book, cached under --books)
  serve         benches/serve_latency.rs on a copy of the book: save one SOP
                -> its page served with the change, --saves times
  growth        sopbook alone, search off and on, at each --growth size
  sizes         nav.js, index.html, reviews.html of the search-on build and
                changes.html of the history build, against --page-kib

Zola is `zola` on PATH or --zola; without it the script says how to get it
and stops (--no-zola leaves its row out). sopbook, the floor and the serve
bench are built here in release mode, in $CARGO_TARGET_DIR.

--quick is a smoke test of the script, not a measurement: 1,000 SOPs, one
run, growth at 1,000 only, a 2,000-commit history, 5 saves.

Usage: scripts/bench_targets.py [--size 10000] [--runs 3]
           [--growth 1000,3000,10000,30000] [--commits 20000] [--saves 20]
           [--parts side,history,serve,growth] [--zola PATH | --no-zola]
           [--corpus-generator PATH] [--books /tmp/sopbench18] [--quick]
"""
import argparse
import gzip
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # importing bench.py must not leave scripts/__pycache__ behind
import bench  # noqa: E402  (run_once: one timed build with its peak RSS)

ROOT = bench.ROOT
CORPUS = os.path.normpath(os.path.join(ROOT, "..", "shared", "bench", "gen_corpus.py"))
SHM = "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp"
PARTS = ("side", "history", "serve", "growth")
# The issue's limits; the page budget is this script's, the issue gives none.
FLOOR_X, ZOLA_X, SEARCH_S, SEARCH_MIB, HISTORY_S, SERVE_MS, GROWTH = 2.2, 0.22, 0.5, 200, 0.5, 60, 0.15
ZOLA_MISSING = """zola is not on PATH. The Zola row needs Zola 0.22 (the version of the
issue's figures). Install it -- a release binary, a package, or a build from its
source with cargo: https://www.getzola.org/documentation/getting-started/installation/
-- and run again, or pass --zola PATH; --no-zola measures everything else."""


def log(msg):
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def build_tools():
    """Release builds of sopbook, the floor and the serve bench; cargo
    names each binary (bench targets carry a hash in their names)."""
    out = subprocess.run(["cargo", "build", "--release", "--locked", "--quiet", "--bin", "sopbook",
                          "--bench", "floor", "--bench", "serve_latency",
                          "--message-format=json-render-diagnostics"],
                         cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True).stdout
    exes = {}
    for line in out.splitlines():
        msg = json.loads(line)
        if msg.get("reason") == "compiler-artifact" and msg.get("executable"):
            exes[msg["target"]["name"]] = msg["executable"]
    missing = {"sopbook", "floor", "serve_latency"} - exes.keys()
    if missing:
        raise SystemExit(f"cargo reported no binary for {', '.join(sorted(missing))}")
    return exes


def with_build_keys(toml, keys):
    # A second [build] table would be a TOML error: add to the one there is.
    if toml.startswith("[build]\n") or "\n[build]\n" in toml:
        return re.sub(r"(?m)^\[build\]\n", lambda m: m.group(0) + keys, toml, count=1)
    return toml.rstrip("\n") + "\n\n[build]\n" + keys


def write_book_toml(folder, base_toml, keys):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "book.toml"), "w") as f:
        f.write(with_build_keys(base_toml, keys))


def corpus(args, size, layouts):
    """The book at `size` SOPs in `layouts`, and beside it `sopbook-nosearch`:
    the same content dir with `search = false`."""
    book = os.path.join(args.books, str(size))
    if any(not os.path.isdir(os.path.join(book, x)) for x in layouts):
        log(f"writing the {size:,}-SOP book ({', '.join(layouts)})")
        subprocess.run([sys.executable, args.corpus_generator, "--sops", str(size),
                        "--processes", str(max(1, size // 10)), "--seed", "1", "--out", book,
                        "--layouts", ",".join(layouts)], check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(book, "sopbook", "book.toml")) as f:
        toml = f.read()
    write_book_toml(os.path.join(book, "sopbook-nosearch"), toml,
                    'content-dir = "../sopbook/content"\nsearch = false\n')
    return book


def alternate(cmds, runs, timeout):
    """Runs each command once to warm up, then `runs` rounds, starting each
    round one tool later, so that no tool always runs first or last.
    cmds: name -> (argv, output dir). Returns name -> [(wall s, RSS KiB)]."""
    names = list(cmds)
    for name in names:
        log(f"  warm-up: {name}")
        if bench.run_once(cmds[name][0], cmds[name][1], timeout) is None:
            raise SystemExit(f"{name} took more than {timeout} s (--timeout)")
    got = {name: [] for name in names}
    for r in range(runs):
        for name in names[r % len(names):] + names[:r % len(names)]:
            res = bench.run_once(cmds[name][0], cmds[name][1], timeout)
            if res is None:
                raise SystemExit(f"{name} took more than {timeout} s (--timeout)")
            got[name].append(res)
        log(f"  round {r + 1}/{runs}: " + ", ".join(f"{n} {got[n][-1][0]:.2f} s" for n in names))
    return got


def med(results):
    return statistics.median(w for w, _ in results)


def rss_mib(results):
    return max(r for _, r in results) / 1024


def output_stats(out):
    size, pages = 0, 0
    for dirpath, _, files in os.walk(out):
        for f in files:
            size += os.path.getsize(os.path.join(dirpath, f))
            pages += f.endswith(".html")
    return size, pages


def side_by_side(args, tools, zola, book):
    cmds = {"floor": ([tools["floor"], os.path.join(book, "sopbook", "content"), f"{SHM}/t18-floor"], f"{SHM}/t18-floor"),
            "sopbook, search off": ([tools["sopbook"], "build", "--quiet", os.path.join(book, "sopbook-nosearch"),
                                     "--out", f"{SHM}/t18-off"], f"{SHM}/t18-off"),
            "sopbook, search on": ([tools["sopbook"], "build", "--quiet", os.path.join(book, "sopbook"),
                                    "--out", f"{SHM}/t18-on"], f"{SHM}/t18-on")}
    if zola:
        cmds["zola"] = ([zola, "--root", os.path.join(book, "zola"), "build", "--output-dir", f"{SHM}/t18-zola"],
                        f"{SHM}/t18-zola")
    got = alternate(cmds, args.runs, args.timeout)
    return {name: (got[name], output_stats(cmds[name][1])) for name in cmds}


def history_repo(args, book):
    repo = os.path.join(args.books, f"history-{args.size}-{args.commits}")
    if not os.path.isdir(repo):
        log(f"writing the repository: {args.commits:,} commits")
        subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_history_repo.py"),
                        "--book", os.path.join(book, "sopbook"), "--out", repo,
                        "--commits", str(args.commits)], check=True, stdout=subprocess.DEVNULL)
    return repo


def history(args, tools, repo):
    """`history = false` against `"auto"` on a repository of the book: two
    untracked books inside it that share its content dir."""
    with open(os.path.join(repo, "book.toml")) as f:
        toml = f.read()
    cmds = {}
    for name, value in (("history = false", "false"), ('history = "auto"', '"auto"')):
        folder = os.path.join(repo, ".bench", value.strip('"'))
        write_book_toml(folder, toml, f'content-dir = "../../content"\nsearch = false\nhistory = {value}\n')
        out = f"{SHM}/t18-history-{value.strip(chr(34))}"
        cmds[name] = ([tools["sopbook"], "build", "--quiet", folder, "--out", out], out)
    got = alternate(cmds, args.runs, args.timeout)
    return got, cmds['history = "auto"'][1]


def serve(args, tools, book):
    """benches/serve_latency.rs on a copy of the book (it edits one SOP and
    puts it back)."""
    copy = os.path.join(args.books, f"serve-{args.size}")
    if not os.path.isdir(copy):
        shutil.copytree(os.path.join(book, "sopbook"), copy)
    run = subprocess.run([tools["serve_latency"], copy, str(args.saves), tools["sopbook"]],
                         check=True, capture_output=True, text=True)
    page = re.search(r"page served with the change \(([^)]*)\): median ([\d.]+) ms, min ([\d.]+), "
                     r"p90 ([\d.]+), max ([\d.]+)", run.stdout)
    reload = re.search(r"reload message: median ([\d.]+) ms", run.stdout)
    ready = re.search(r"server ready in (\d+) ms", run.stdout)
    if not (page and reload and ready):
        raise SystemExit(f"serve_latency printed no summary:\n{run.stdout}\n{run.stderr[-2000:]}")
    return {"url": page.group(1), "median": float(page.group(2)), "min": float(page.group(3)),
            "p90": float(page.group(4)), "max": float(page.group(5)),
            "reload": float(reload.group(1)), "ready": int(ready.group(1))}


def growth(args, tools, books):
    rows = []
    for size, book in books:
        log(f"growth at {size:,} SOPs")
        cmds = {"off": ([tools["sopbook"], "build", "--quiet", os.path.join(book, "sopbook-nosearch"),
                         "--out", f"{SHM}/t18-growth"], f"{SHM}/t18-growth"),
                "on": ([tools["sopbook"], "build", "--quiet", os.path.join(book, "sopbook"),
                        "--out", f"{SHM}/t18-growth-on"], f"{SHM}/t18-growth-on")}
        rows.append((size, alternate(cmds, args.runs, args.timeout)))
    return rows


def file_size(path):
    """(bytes, gzip -6 bytes) of a file of the site, or None if it has none."""
    if not os.path.isfile(path):
        return None
    with open(path, "rb") as f:
        data = f.read()
    return len(data), len(gzip.compress(data, 6, mtime=0))


def verdict(ok):
    return "met" if ok else "**not met**"


def versions(tools, zola):
    def out(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT).stdout.strip()
        except OSError:
            return "?"
    commit = out(["git", "rev-parse", "--short", "HEAD"])
    dirty = "+changes" if out(["git", "status", "--porcelain", "--untracked-files=no"]) else ""
    with open(os.path.join(ROOT, "Cargo.lock")) as f:
        cmark = re.search(r'name = "pulldown-cmark"\nversion = "([^"]+)"', f.read())
    cpu = "?"
    if os.path.isfile("/proc/cpuinfo"):
        with open("/proc/cpuinfo") as f:
            model = re.search(r"model name\s*:\s*(.*)", f.read())
        cpu = model.group(1) if model else cpu
    parts = [f"{out([tools['sopbook'], '--version'])} ({commit}{dirty})",
             out([zola, "--version"]) if zola else "zola: not run",
             f"floor: pulldown-cmark {cmark.group(1) if cmark else '?'}",
             out(["git", "--version"]), out(["rustc", "--version"]), f"Python {platform.python_version()}"]
    return (f"Machine: {os.cpu_count()} cores, {cpu}, Linux {platform.release()}; "
            + "; ".join(parts) + ".")


def report(args, zola_name, side, hist, srv, grow, took):
    rows = []  # (target, measured, limit, met or None when not run)

    def add(target, measured, limit, ok):
        rows.append((target, measured, limit, ok))

    n = f"{args.size:,}"
    if side:
        floor, off, on = (side[k][0] for k in ("floor", "sopbook, search off", "sopbook, search on"))
        x = med(off) / med(floor)
        add("clean build, search off, against the floor", f"{x:.2f} × ({med(off):.2f} s / {med(floor):.2f} s)",
            f"≤ {FLOOR_X} ×", x <= FLOOR_X)
        if "zola" in side:
            z = med(off) / med(side["zola"][0])
            add(f"clean build, search off, against {zola_name}",
                f"{z:.2f} × ({med(off):.2f} s / {med(side['zola'][0]):.2f} s)", f"≤ {ZOLA_X} ×", z <= ZOLA_X)
        else:
            add("clean build, search off, against Zola", "not run (--no-zola)", f"≤ {ZOLA_X} ×", None)
        added = med(on) - med(off)
        add("search on: time added", f"{added:+.2f} s ({med(on):.2f} s)", f"≤ +{SEARCH_S} s", added <= SEARCH_S)
        add("search on: peak RSS", f"{rss_mib(on):.0f} MiB (search off {rss_mib(off):.0f} MiB)",
            f"≤ {SEARCH_MIB} MiB", rss_mib(on) <= SEARCH_MIB)
    if hist:
        h_off, h_on = hist[0]["history = false"], hist[0]['history = "auto"']
        added = med(h_on) - med(h_off)
        add(f"git history, {args.commits:,} commits: time added", f"{added:+.2f} s ({med(h_on):.2f} s)",
            f"≤ +{HISTORY_S} s", added <= HISTORY_S)
    if srv:
        add(f"serve: save → page served with the change, median of {args.saves}",
            f"{srv['median']:.0f} ms (reload message {srv['reload']:.0f} ms)", f"≤ {SERVE_MS} ms",
            srv["median"] <= SERVE_MS)
    for key, label in (("off", "search off"), ("on", "search on")):
        if not grow:
            break
        per1k = [(size, med(r[key]) / (size / 1000)) for size, r in grow]
        worst = max(per1k, key=lambda p: p[1])
        rise = worst[1] / per1k[0][1] - 1
        add(f"growth {grow[0][0] // 1000}k → {grow[-1][0] // 1000}k, {label}: time per 1k SOPs, worst against "
            f"{grow[0][0] // 1000}k", f"{rise:+.0%} ({per1k[0][1]:.3f} s at {per1k[0][0] // 1000}k, "
            f"{worst[1]:.3f} s at {worst[0] // 1000}k)", f"≤ +{GROWTH:.0%}", rise <= GROWTH)
    files = []
    if side:
        files += [(f, os.path.join(f"{SHM}/t18-on", f)) for f in ("nav.js", "index.html", "reviews.html")]
    if hist:
        files.append(("changes.html (history build)", os.path.join(hist[1], "changes.html")))
    for name, path in files:
        got = file_size(path)
        if got is None:
            add(f"{name} at {n} SOPs", "not written", f"≤ {args.page_kib} KiB", None)
        else:
            add(f"{name} at {n} SOPs", f"{got[0] / 1024:,.0f} KiB (gzip {got[1] / 1024:,.0f} KiB)",
                f"≤ {args.page_kib} KiB", got[0] <= args.page_kib * 1024)

    print(f"## Issue #18 targets, {n} SOPs{' (--quick: a smoke test, not a measurement)' if args.quick else ''}\n")
    print(f"{args.machine}\n")
    print(f"Books: `{os.path.basename(args.corpus_generator)} --sops N --processes N/10 --seed 1`; "
          f"median of {args.runs} run{'s' if args.runs > 1 else ''} each, alternated, after one warm-up; "
          f"outputs on tmpfs. Load average at the start {args.load[0]:.1f}, at the end {os.getloadavg()[0]:.1f}.\n")
    print("| target | measured | limit | |\n|---|---|---|---|")
    for target, measured, limit, ok in rows:
        print(f"| {target} | {measured} | {limit} | {'not run' if ok is None else verdict(ok)} |")
    judged = [ok for *_, ok in rows if ok is not None]
    print(f"\n{sum(judged)} of {len(judged)} targets met. The page budget ({args.page_kib} KiB) is this "
          "script's (--page-kib): the issue asks for pages that stay usable, with no number.\n")

    if side:
        print(f"### Side by side, {n} SOPs\n")
        print("| build | median | min–max | × floor | peak RSS | output | pages |\n|---|---|---|---|---|---|---|")
        floor_med = med(side["floor"][0])
        for name, (res, (size, pages)) in side.items():
            walls = [w for w, _ in res]
            label = zola_name if name == "zola" else name
            print(f"| {label} | {med(res):.2f} s | {min(walls):.2f}–{max(walls):.2f} | {med(res) / floor_med:.2f} | "
                  f"{rss_mib(res):.0f} MiB | {size / 1e6:.1f} MB | {pages} |")
        print()
    if hist:
        print(f"### History, {n} SOPs, {args.commits:,} commits, search off\n")
        print("| build | median | min–max | peak RSS |\n|---|---|---|---|")
        for name, res in hist[0].items():
            walls = [w for w, _ in res]
            print(f"| `{name}` | {med(res):.2f} s | {min(walls):.2f}–{max(walls):.2f} | {rss_mib(res):.0f} MiB |")
        print()
    if srv:
        print(f"### Serve, {n} SOPs\n")
        print(f"Save of one SOP → its page ({srv['url']}) served with the change, {args.saves} saves: median "
              f"{srv['median']:.1f} ms, min {srv['min']:.1f}, p90 {srv['p90']:.1f}, max {srv['max']:.1f}; "
              f"the reload message alone {srv['reload']:.1f} ms (median). Server ready in {srv['ready']} ms.\n")
    if grow:
        print("### Growth: sopbook alone\n")
        print("| SOPs | search off | per 1k SOPs | peak RSS | search on | per 1k SOPs | peak RSS |\n"
              "|---|---|---|---|---|---|---|")
        for size, r in grow:
            k = size / 1000
            print(f"| {size:,} | {med(r['off']):.2f} s | {med(r['off']) / k:.3f} s | {rss_mib(r['off']):.0f} MiB | "
                  f"{med(r['on']):.2f} s | {med(r['on']) / k:.3f} s | {rss_mib(r['on']):.0f} MiB |")
        print()
    print("Time taken: " + ", ".join(f"{k} {v:.0f} s" for k, v in took.items()) + ".")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--size", type=int, default=10000, help="SOPs of the side-by-side, history and serve book")
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--growth", default="1000,3000,10000,30000", help="sizes of the growth rows ('' for none)")
    p.add_argument("--commits", type=int, default=20000, help="commits of the history repository")
    p.add_argument("--saves", type=int, default=20, help="saves timed by the serve bench")
    p.add_argument("--parts", default=",".join(PARTS), help="which of " + ",".join(PARTS) + " to run")
    p.add_argument("--page-kib", type=int, default=256, help="budget of nav.js and the list pages, KiB")
    p.add_argument("--zola", default=shutil.which("zola"), help="the zola binary (default: zola on PATH)")
    p.add_argument("--no-zola", action="store_true", help="leave Zola out")
    p.add_argument("--corpus-generator", default=CORPUS)
    p.add_argument("--books", default="/tmp/sopbench18", help="where books and the repository are cached")
    p.add_argument("--timeout", type=int, default=300, help="seconds one build may take")
    p.add_argument("--quick", action="store_true", help="smoke test: 1,000 SOPs, 1 run")
    args = p.parse_args()
    if args.quick:
        args.size, args.runs, args.growth, args.commits, args.saves = 1000, 1, "1000", 2000, 5
    parts = set(x for x in args.parts.split(",") if x)
    if parts - set(PARTS):
        p.error(f"unknown part(s): {', '.join(sorted(parts - set(PARTS)))}")
    zola = None if args.no_zola else args.zola
    if "side" in parts and not args.no_zola and not (zola and os.path.isfile(zola)):
        sys.exit(ZOLA_MISSING)
    if not os.path.isfile(args.corpus_generator):
        sys.exit(f"no book generator at {args.corpus_generator} (--corpus-generator PATH)")
    args.load = os.getloadavg()
    os.environ["SOPBOOK_TODAY"] = "2026-11-25"  # the generator's review dates are against this day

    took = {}
    start = time.perf_counter()
    log("building sopbook, the floor and the serve bench (release)")
    tools = build_tools()
    args.machine = versions(tools, zola)
    zola_name = subprocess.run([zola, "--version"], capture_output=True, text=True).stdout.strip() if zola else ""
    took["cargo build"] = time.perf_counter() - start

    def part(name, fn):
        t = time.perf_counter()
        result = fn()
        took[name] = time.perf_counter() - t
        return result

    book = part("books", lambda: corpus(args, args.size, ["sopbook", "zola"] if zola else ["sopbook"]))
    side = part("side by side", lambda: side_by_side(args, tools, zola, book)) if "side" in parts else None
    hist = srv = grow = None
    if "history" in parts:
        repo = part("history repository", lambda: history_repo(args, book))
        hist = part("history", lambda: history(args, tools, repo))
    if "serve" in parts:
        srv = part("serve", lambda: serve(args, tools, book))
    sizes = sorted(int(s) for s in args.growth.split(",") if s)
    if "growth" in parts and sizes:
        books = part("growth books", lambda: [(size, corpus(args, size, ["sopbook"])) for size in sizes])
        grow = part("growth", lambda: growth(args, tools, books))
    took["total"] = time.perf_counter() - start
    report(args, zola_name, side, hist, srv, grow, took)
    for name in ("floor", "off", "on", "zola", "history-false", "history-auto", "growth", "growth-on"):
        shutil.rmtree(f"{SHM}/t18-{name}", ignore_errors=True)


if __name__ == "__main__":
    main()
