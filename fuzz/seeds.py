#!/usr/bin/env python3
"""Writes the starting corpus of the `book` fuzz target into fuzz/seeds/:
real books in the input format of `sopbook::book::memory::split` (book.toml,
then `%%% path` lines each starting a content file). From the example
handbook and each test fixture, so the same seeds come out of any clone;
each BOOK given on the command line (a folder with content/ and perhaps a
book.toml, e.g. a copy of the 18F handbook, which the first fuzz runs also
used) adds seeds of three files each. Seeds are named by their SHA-1, as
libFuzzer names its inputs, so one already in fuzz/corpus/book is the same
file. See docs/robustness.md, "Fuzzing".

Usage: python3 fuzz/seeds.py [BOOK ...]"""
import hashlib
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "fuzz" / "seeds"
MAX = 12_000  # bytes per seed: small inputs keep the fuzzer fast


def seed(toml: bytes, files):
    data = toml
    for rel, body in files:
        data += b"\n%%% " + rel.encode() + b"\n" + body
    if len(data) > MAX:
        return
    name = hashlib.sha1(data).hexdigest()
    (OUT / name).write_bytes(data)


def book(root: pathlib.Path, groups_of=None):
    toml_path = root / "book.toml"
    toml = toml_path.read_bytes() if toml_path.exists() else b""
    content = root / "content"
    files = sorted(p for p in content.rglob("*") if p.is_file())
    rel = [(str(p.relative_to(content)), p.read_bytes()) for p in files]
    if groups_of is None:
        seed(toml, rel)
    # Each folder alone (with the home page), so big books still give seeds.
    by_dir = {}
    for r, b in rel:
        by_dir.setdefault(r.rsplit("/", 1)[0] if "/" in r else "", []).append((r, b))
    home = [x for x in rel if x[0] == "index.md"]
    for d, items in by_dir.items():
        step = groups_of or len(items)
        for i in range(0, len(items), step):
            seed(toml, home + items[i : i + step] if d else items[i : i + step])


OUT.mkdir(parents=True, exist_ok=True)
book(ROOT)
for fixture in sorted((ROOT / "tests" / "fixtures").iterdir()):
    if (fixture / "content").is_dir():
        book(fixture)
for extra in sys.argv[1:]:
    if not (pathlib.Path(extra) / "content").is_dir():
        sys.exit(f"{extra}: no content/ folder")
    book(pathlib.Path(extra), groups_of=3)
print(len(list(OUT.iterdir())), "seeds in", OUT, file=sys.stderr)
