#!/usr/bin/env python3
"""Writes a git repository whose history is that of a big handbook, for the
history benchmark (docs/BENCHMARKS.md, "History from git").

The book is scripts/gen_book.py's sopbook layout (--sops SOPs, seed 1), or
any book folder given with --book (e.g. the sopbook layout of another
generator's book, as scripts/bench_targets.py does); SOPs are the
`content/<process>/<name>.md` files that are not `process.md`. The
repository is written in one `git fast-import` stream, so 20,000 commits
take seconds, and it is byte-for-byte the same on every run: fixed author
and committer names, e-mails and dates (one commit an hour from
2024-01-01T00:00:00Z), no randomness beyond a seeded generator.

History, oldest first:

  1. "Import the handbook": book.toml and every content file. A few
     hundred SOPs (--renames) are added under an older name
     (`<process>/old-<name>.md`).
  2. --commits - 1 more commits on the first-parent line. Each edits 1-3
     content files (a "Change note N." paragraph at the end of the body,
     replaced on the next edit, so the final tree stays a valid book);
     every tenth touches only README.md (outside the content dir); the
     renamed SOPs get their `git mv` to their real name spread over the
     history (some edited before and after); every 500th commit is a merge
     of a one-commit side branch (merge commits count towards --commits).

Then `git repack -a -d -f`, so the objects are packed as in a clone from
a server (--no-repack skips it).

The final tree is the generated book plus a README.md and the change
notes, so `sopbook build` on it works. The book sits at the repository
root (--prefix puts it in a sub-folder, for a book inside a bigger repo).

Usage: scripts/gen_history_repo.py --out /tmp/hist10k [--sops 10000 | --book DIR]
                                   [--commits 20000] [--renames 300]
                                   [--prefix books/ops]
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AUTHORS = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Edsger Dijkstra", "edsger@example.com"),
    ("Barbara Liskov", "barbara@example.com"),
    ("Ken Thompson", "ken@example.com"),
    ("Frances Allen", "frances@example.com"),
    ("Donald Knuth", "don@example.com"),
]
START = 1704067200  # 2024-01-01T00:00:00Z
VERBS = ["Fix", "Clarify", "Update", "Reword", "Correct", "Tighten", "Expand"]
WHAT = ["step order", "owner", "approval limits", "screenshots", "wording",
        "escalation path", "links", "tool names", "review notes"]


def read_book(book):
    files = {}
    for dirpath, _, names in os.walk(book):
        for name in names:
            abs_path = os.path.join(dirpath, name)
            rel = os.path.relpath(abs_path, book).replace(os.sep, "/")
            with open(abs_path, "rb") as f:
                files[rel] = f.read()
    return dict(sorted(files.items()))


class Stream:
    def __init__(self, out):
        self.out = out
        self.mark = 0
        self.when = START

    def data(self, b):
        self.out.write(b"data %d\n" % len(b))
        self.out.write(b)
        self.out.write(b"\n")

    def commit(self, ref, n, message, ops, parents=()):
        """ops: ("M", path, bytes) | ("D", path) | ("R", old, new)."""
        self.mark += 1
        name, email = AUTHORS[n % len(AUTHORS)]
        self.when += 3600
        ident = b"%s <%s> %d +0000" % (name.encode(), email.encode(), self.when)
        self.out.write(b"commit %s\nmark :%d\n" % (ref.encode(), self.mark))
        self.out.write(b"author " + ident + b"\ncommitter " + ident + b"\n")
        self.data(message.encode())
        for i, p in enumerate(parents):
            self.out.write(b"%s :%d\n" % (b"from" if i == 0 else b"merge", p))
        for op in ops:
            if op[0] == "M":
                self.out.write(b"M 100644 inline %s\n" % quote(op[1]))
                self.data(op[2])
            elif op[0] == "D":
                self.out.write(b"D %s\n" % quote(op[1]))
            else:
                self.out.write(b"R %s %s\n" % (quote(op[1]), quote(op[2])))
        self.out.write(b"\n")
        return self.mark


def quote(path):
    return b'"' + path.encode().replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="the repository to write (must not exist)")
    ap.add_argument("--sops", type=int, default=10000)
    ap.add_argument("--book", help="a book folder to take instead of generating one (--sops is then unused)")
    ap.add_argument("--commits", type=int, default=20000)
    ap.add_argument("--renames", type=int, default=300)
    ap.add_argument("--prefix", default="", help="folder of the book inside the repository")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-repack", action="store_true", help="keep fast-import's pack as written")
    args = ap.parse_args(argv)
    if os.path.exists(args.out):
        sys.exit(f"{args.out} exists; remove it first")
    rng = random.Random(args.seed)
    prefix = args.prefix.strip("/") + "/" if args.prefix.strip("/") else ""

    if args.book:
        if not os.path.isfile(os.path.join(args.book, "book.toml")):
            sys.exit(f"{args.book} has no book.toml")
        files = read_book(args.book)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen_book.py"),
                            "--sops", str(args.sops), "--out", tmp, "--layouts", "sopbook"],
                           check=True, stdout=subprocess.DEVNULL)
            files = read_book(os.path.join(tmp, "sopbook"))

    sops = [p for p in files if p.startswith("content/") and p.endswith(".md")
            and not p.endswith("/process.md") and p.count("/") >= 2]
    renamed = set(rng.sample(sops, min(args.renames, len(sops))))

    def old_name(p):
        d, n = p.rsplit("/", 1)
        return f"{d}/old-{n}"

    where = {p: (old_name(p) if p in renamed else p) for p in files}
    text = dict(files)
    pending = sorted(renamed)
    rng.shuffle(pending)
    # Spread the renames over the history: (commit number, SOP), in order;
    # one due at a merge waits for the next ordinary commit.
    schedule = [(1 + (i * (args.commits - 2)) // max(len(pending), 1), p)
                for i, p in enumerate(pending)]

    def note(p, n):
        base = files[p].rstrip(b"\n")
        return base + b"\n\nChange note %d.\n" % n

    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    proc = subprocess.Popen(["git", "-C", args.out, "fast-import", "--quiet", "--done"],
                            stdin=subprocess.PIPE)
    s = Stream(proc.stdin)
    ops = [("M", prefix + where[p], files[p]) for p in files]
    head = s.commit("refs/heads/main", 0, "Import the handbook\n", ops)
    readme = 0
    n = 1
    while n < args.commits:
        ops = []
        if n % 500 == 0 and n + 1 < args.commits:
            # A side branch of one commit, merged with a merge commit.
            p = rng.choice(sops)
            side = s.commit("refs/heads/side", n, f"Draft: review {p.rsplit('/', 1)[1]}\n",
                            [("M", prefix + where[p], note(p, n))], parents=(head,))
            n += 1
            head = s.commit("refs/heads/main", n, f"Merge review of {p.rsplit('/', 1)[1]}\n",
                            [], parents=(head, side))
            n += 1
            continue
        while schedule and schedule[0][0] <= n:
            p = schedule.pop(0)[1]
            ops.append(("R", prefix + where[p], prefix + p))
            where[p] = p
        if n % 10 == 0 and not ops:
            readme += 1
            ops.append(("M", prefix + "README.md", b"Handbook repository, revision %d.\n" % readme))
            msg = "Update the README\n"
        else:
            for p in rng.sample(sops, rng.choice((1, 1, 2, 3))):
                ops.append(("M", prefix + where[p], note(p, n)))
            msg = f"{rng.choice(VERBS)} {rng.choice(WHAT)} in {ops[-1][1].rsplit('/', 1)[1]}\n"
        head = s.commit("refs/heads/main", n, msg, ops, parents=(head,))
        n += 1
    proc.stdin.write(b"done\n")
    proc.stdin.close()
    if proc.wait() != 0:
        sys.exit("git fast-import failed")
    subprocess.run(["git", "-C", args.out, "branch", "-q", "-D", "side"], check=False)
    subprocess.run(["git", "-C", args.out, "checkout", "-q", "-f", "main"], check=True)
    if not args.no_repack:
        # fast-import's pack is loose about deltas; a clone from a server
        # gets a packed one. Repacking makes the timings those of a clone.
        subprocess.run(["git", "-C", args.out, "repack", "-a", "-d", "-f", "-q"], check=True)
    assert not schedule, "every rename is done"
    print(f"{args.out}: {n} commits, {len(files)} files of the book, {len(renamed)} renames")


if __name__ == "__main__":
    main()
