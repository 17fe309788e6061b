#!/usr/bin/env python3
"""Minimises fuzz/corpus/book, the inputs committed for `cargo test`'s
replay and as the fuzzer's starting point, to what adds coverage beyond
the seeds that fuzz/seeds.py writes (those are regenerated, not committed).

  1. fuzz/seeds/ is emptied and rewritten by fuzz/seeds.py (the example
     handbook and the test fixtures only: what any clone can regenerate).
  2. The instrumented target (`cargo +nightly fuzz build book`, built here
     if needed) records the coverage edges of every seed, every committed
     input and every input in the folders given (e.g. a fuzz run's new
     inputs), one thread (RAYON_NUM_THREADS=1) so that the edges of one
     input are the same from run to run: libFuzzer's
     `-set_cover_merge=1 -use_counters=0 -merge_control_file`.
  3. Greedy set cover, the seeds' edges counting as covered: the input
     adding the most edges not yet covered is kept first (ties: the
     smaller, then the lower name), and so on while an input adds at least
     MIN_GAIN edges and the corpus stays within BUDGET on disk (4 KiB
     blocks, as `du` counts a checkout).

fuzz/regressions/ (inputs that once crashed) is never touched: keep each.
Prints what was kept. See docs/robustness.md, "Fuzzing".

Usage: python3 fuzz/cmin.py [NEW_INPUTS_DIR ...]
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CORPUS = ROOT / "fuzz" / "corpus" / "book"
SEEDS = ROOT / "fuzz" / "seeds"
MIN_GAIN = 2  # edges: below this the tail is one-off paths, a file each
BUDGET = 1800 * 1024  # bytes on disk: fuzz/ stays under 2 MB in git


def disk(path):
    return max(1, -(-path.stat().st_size // 4096)) * 4096


def fuzz_binary():
    subprocess.run(["cargo", "+nightly", "fuzz", "build", "book"], cwd=ROOT, check=True)
    host = next(line.split()[1] for line in subprocess.run(
        ["rustc", "+nightly", "-vV"], capture_output=True, text=True, check=True).stdout.splitlines()
        if line.startswith("host:"))
    target = pathlib.Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "fuzz" / "target")
    return (ROOT / target / host / "release" / "book").resolve()


def edges(binary, dirs):
    """{input path: set of edges}, from libFuzzer's merge control file."""
    with tempfile.TemporaryDirectory() as tmp:
        control = pathlib.Path(tmp) / "control"
        out = pathlib.Path(tmp) / "out"
        out.mkdir()
        env = dict(os.environ, RAYON_NUM_THREADS="1")
        subprocess.run([binary, "-set_cover_merge=1", "-use_counters=0", f"-merge_control_file={control}",
                        str(out)] + [str(d) for d in dirs], cwd=ROOT, env=env, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = control.read_text().splitlines()
    count = int(lines[0])
    names = lines[2:2 + count]
    found = {pathlib.Path(n): set() for n in names}
    for line in lines[2 + count:]:
        if line.startswith("FT "):
            _, index, *features = line.split()
            found[pathlib.Path(names[int(index)])] = set(map(int, features))
    return found


def main():
    extra = [pathlib.Path(d).resolve() for d in sys.argv[1:]]
    shutil.rmtree(SEEDS, ignore_errors=True)
    subprocess.run([sys.executable, str(ROOT / "fuzz" / "seeds.py")], check=True)
    found = edges(fuzz_binary(), [SEEDS, CORPUS] + extra)
    covered = set().union(*(e for p, e in found.items() if p.parent == SEEDS))
    seeds_only = len(covered)
    remaining = {p: e - covered for p, e in found.items() if p.parent != SEEDS}
    remaining = {p: e for p, e in remaining.items() if e}
    # max() returns the first of equals: smaller inputs, then lower names, win ties.
    order = sorted(remaining, key=lambda p: (p.stat().st_size, p.name))
    keep, used = {}, 0
    while remaining:
        best = max((p for p in order if p in remaining), key=lambda p: len(remaining[p]))
        gain = remaining.pop(best)
        if len(gain) < MIN_GAIN or used + disk(best) > BUDGET:
            break
        keep.setdefault(best.name, best)
        used += disk(best)
        covered |= gain
        for p in list(remaining):
            remaining[p] -= gain
            if not remaining[p]:
                del remaining[p]
    everything = set().union(*found.values())
    kept_alone = set().union(*(found[p] for p in keep.values()))
    for old in CORPUS.iterdir():
        if old.name not in keep:
            old.unlink()
    for name, path in keep.items():
        if path.parent != CORPUS:
            shutil.copyfile(path, CORPUS / name)
    print(f"{len(found) - len(list(SEEDS.iterdir()))} inputs, {len(everything)} edges in all; "
          f"the seeds cover {seeds_only}; kept {len(keep)} inputs ({used // 1024} KiB on disk), "
          f"{len(kept_alone)} edges alone, {len(covered)} with the seeds", file=sys.stderr)


if __name__ == "__main__":
    main()
