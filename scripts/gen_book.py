#!/usr/bin/env python3
"""Writes a synthetic handbook for benchmarks: the same content in the
layouts of sopbook and of its peers, deterministic for a given seed.

The book: N SOPs over P processes (grouped Finance, IT, People, ...; a few
automated ones with equipment and no SOPs), a "Common procedures" process
whose SOPs the others embed, a home page and a few guide pages. An SOP has
front matter (title, process, branch, owner, reviewed, sometimes
review-every or a video), an intro, "Before you start", 5-15 numbered steps
(bold, code, links; some with a sub-list, an embed or a code block), often
a table or a code block, and Notes. About 3.5 cross-links per SOP: wiki
links, relative Markdown links, to whole SOPs, to `#step-N` anchors that
exist, to headings and to process branches. About a third of the SOPs embed
a shared procedure (or one step of it). A few percent copy a run of 2-3
steps from another SOP, as real handbooks do (`repeated-steps` warnings);
the step text is varied enough that other copies are rare. Every link
resolves: `sopbook check` reports no errors.

Layouts (one folder each under --out):

  sopbook/  book.toml, content/<process>/process.md, content/<process>/<sop>.md,
            content/index.md, content/guides/<page>.md
  mdbook/   book.toml, src/SUMMARY.md, src/<process>/index.md, ... Links are
            relative .md links; steps carry <a id="step-N"></a>; embeds are
            inlined (the embedded steps with a link to their source).
  hugo/     hugo.toml, minimal layouts/, content/_index.md,
            content/<process>/_index.md, ... Links are {{< relref >}}, which
            Hugo checks; embeds inlined as for mdBook.

corpus-stats.json beside them counts the sopbook layout's files, bytes,
words, steps, links, step-anchor links, embeds, tables and code blocks,
measured from the written text (the same measure `--compare` applies).

Cross-checking with another generator's book (docs/benchmark-book.md did
it with gen_corpus.py, the generator of issue #7's peer figures, which is
not part of this repository):

  scripts/gen_book.py --sops 1000 --out /tmp/ours
  scripts/gen_book.py --compare /tmp/ours/sopbook OTHER_BOOK

Stdlib only (Python 3.11).
"""
import argparse
import datetime
import json
import os
import posixpath
import random
import re
import shutil
import sys
import textwrap

LAYOUTS = ("sopbook", "mdbook", "hugo")

# ------------------------------------------------------------ vocabulary
GROUPS = {
    "Finance": ["Payroll", "Invoicing", "Expenses", "Treasury", "Tax", "Budgeting",
                "Procurement", "Supplier payments"],
    "People": ["Hiring", "Onboarding", "Offboarding", "Leave", "Training",
               "Performance reviews", "Benefits"],
    "IT": ["Access", "Laptops", "Backups", "Networking", "Identity", "Licences",
           "Monitoring", "Printing"],
    "Engineering": ["Releases", "Incidents", "Deployments", "Databases", "On-call",
                    "Code review", "Dependencies"],
    "Operations": ["Shipping", "Returns", "Warehouse", "Facilities", "Fleet",
                   "Stock counts", "Maintenance"],
    "Customers": ["Support tickets", "Renewals", "Contracts", "Billing disputes",
                  "Complaints", "Refunds"],
    "Compliance": ["Audits", "Privacy requests", "Security reviews", "Records",
                   "Health and safety", "Insurance"],
}
STAGES = ["intake", "approval", "set-up", "close", "escalation", "reconciliation",
          "handover", "planning", "reporting", "renewal", "recovery", "inspection",
          "archiving", "sign-off", "forecasting", "clean-up", "quarterly review",
          "year end", "exceptions", "changes"]
REGIONS = ["EMEA", "Americas", "APAC", "UK", "Nordics", "DACH", "Iberia", "Benelux"]
BRANCHES = {
    "standard": "The request is routine and nothing about it is unusual",
    "urgent": "The outcome is needed within one working day",
    "exception": "A policy exception was approved in writing",
    "remote": "Nobody can be on site to do the work",
    "large": "More than 25 items are handled in one batch",
    "correction": "Something was done wrong and has to be put right",
}
VERBS = ["approve", "archive", "assign", "book", "cancel", "check", "close", "collect",
         "configure", "confirm", "correct", "create", "decommission", "deliver",
         "disable", "enable", "escalate", "export", "file", "hand-over", "import",
         "inspect", "install", "issue", "label", "migrate", "monitor", "order",
         "pay", "plan", "prepare", "publish", "receive", "reconcile", "record",
         "refund", "register", "reject", "release", "renew", "replace", "report",
         "request", "reset", "restore", "review", "revoke", "rotate", "schedule",
         "send", "set-up", "submit", "suspend", "test", "transfer", "update",
         "verify", "write-off"]
OBJECTS = ["supplier-invoice", "purchase-order", "access-request", "service-account",
           "backup", "release", "change-request", "incident", "customer-refund",
           "expense-claim", "laptop", "door-badge", "firewall-rule", "dns-record",
           "certificate", "database-copy", "shipment", "return", "stock-count",
           "sample", "permit", "maintenance-window", "payroll-run", "vat-return",
           "contract-change", "audit-finding", "training-record", "visitor-pass",
           "vehicle", "instrument", "api-key", "ssh-key", "user-account", "mailbox",
           "bucket", "vpn-profile", "rota", "runbook", "sla-report", "capacity-plan",
           "cost-centre", "budget-line", "bank-transfer", "credit-note", "price-list",
           "recall", "supplier-review", "data-export", "privacy-request",
           "legal-hold", "pipeline", "feature-flag", "hotfix", "status-update",
           "postmortem", "alert", "dashboard", "log-archive", "encryption-key",
           "printer", "phone-contract"]
QUALIFIERS = ["routine", "urgent", "quarterly", "yearly", "monthly", "weekly",
              "emergency", "after-hours", "regional", "group", "eu", "us", "apac",
              "high-value", "low-risk", "high-risk", "first", "bulk", "partial",
              "manual", "scheduled", "off-site", "on-site", "remote", "contractor",
              "executive", "production", "test", "legacy", "pilot"]
ROLES = ["Finance lead", "Payroll clerk", "Office manager", "IT lead", "Service desk",
         "Platform team", "Security officer", "People partner", "Team lead",
         "Head of Operations", "Warehouse lead", "Support lead", "Legal counsel",
         "Data protection officer", "Facilities coordinator", "Account manager",
         "Release manager", "On-call engineer", "Procurement officer", "Auditor"]
SYSTEMS = ["ERP", "ticket queue", "asset register", "HR system", "password vault",
           "general ledger", "document store", "monitoring console", "identity provider",
           "CRM", "bank portal", "warehouse system", "build server", "shared drive",
           "contract register", "expense tool", "calendar", "chat channel",
           "status page", "supplier portal"]
FIELDS = ["reference number", "cost centre", "due date", "approver", "amount",
          "currency", "supplier name", "requester", "start date", "end date",
          "serial number", "location", "priority", "owner", "risk score",
          "account code", "contract number", "batch number", "version",
          "retention period", "ticket link", "VAT number", "quantity", "site",
          "review date", "signature", "purchase order", "bank details",
          "project code", "region"]
CODES = ["status=closed", "--dry-run", "make verify", "PO-2291", "INC-4410",
         "approve --final", "kubectl rollout status", "SELECT count(*)", "v3.2.0",
         "cost_centre", "ROLLBACK", "/var/log/app", "retention=7y", "DONE",
         "ready-for-review", "export.csv", "git tag", "restic check", "--since 30d",
         "HOLD", "priority:high", "terraform plan", "ssh-keygen -t ed25519",
         "pg_dump --schema-only", "backup-verify"]
DOCUMENTS = ["checklist", "approval form", "handover note", "runbook page",
             "change record", "risk log", "evidence folder", "summary report",
             "signed copy", "cost sheet", "delivery note", "incident timeline"]
PERIODS = ["day", "week", "month", "quarter", "year", "run", "batch", "audit"]
FOLLOWUPS = ["stop and ask the requester", "escalate to the owner",
             "open an incident", "roll back and start again", "note it and go on",
             "ask a second person to check", "wait for the next run",
             "put the request on hold"]
REMARKS = [
    "Auditors read this trail, so keep it complete",
    "Skipping this is the most common reason for rework",
    "The requester must be able to see where things stand at any time",
    "Do not go further while a check is still open",
    "Local rules win where they are stricter",
    "The second person compares against the source system, not against your notes",
    "Write down every deviation with a reason and the name of whoever agreed",
    "Attach evidence to the ticket, never to a private mail",
    "Use the template so that reports can be compared from one period to the next",
    "Ask in the team channel when something here no longer matches the tools",
    "The owner reviews this procedure once a year",
    "Most of the time goes into gathering the inputs, so start early",
]

# One step: the text, its {slots}; {thing} is the SOP's own subject, so the
# same template reads differently in every SOP (and copies stay rare).
STEP_TEMPLATES = [
    "Open the {sys} and find the {thing} by its {field}.",
    "Check that the **{field}** on the {thing} matches the request; if it does not, {follow}.",
    "Record the decision on the {thing} in the {sys} with the reason and your name.",
    "Run `{code}` and confirm that the output shows no errors for the {thing}.",
    "Tell the **{role}** in the {sys} that the {thing} is ready for review.",
    "Attach the {doc} to the ticket and link it from the {thing}.",
    "Ask a second person to check the {field} of the {thing} before you go on.",
    "Set the status of the {thing} to `{code}` once every check has passed.",
    "Compare the totals for the {thing} with the last {period}; if they differ by more than **{pct}%**, {follow}.",
    "Book a follow-up about the {thing} in the {sys} {days} working days from now and invite the **{role}**.",
    "Archive the working copy of the {thing} in the {sys} under `{code}`.",
    "Confirm with the requester that the {thing} works as expected.",
    "If the {sys} rejects the change to the {thing}, {follow}.",
    "Label the {thing} with the {field} and today's date.",
    "Close the ticket for the {thing} and link it to the {doc}.",
    "Fill in the {field} and the {field2} of the {thing} in the {doc}.",
    "Export the open items for the {thing} from the {sys} as `{code}` and save it with the {doc}.",
    "Wait until the **{role}** has approved the {thing}; this usually takes {days} working days.",
    "Update the {doc} with the new {field} of the {thing} and note what changed.",
    "Check the {sys} for other open requests about the same {thing} and merge them.",
    "Write the {field} of the {thing} on the {doc} in the format the **{role}** expects.",
    "Send the {doc} about the {thing} to the **{role}** and ask for a reply within {days} working days.",
    "Look up the {field2} of the {thing} in the {sys}; if it is missing, {follow}.",
    "Remove the old {thing} from the {sys} once the new one is in use.",
    "Count the items in the {thing} batch and write the number on the {doc}.",
    "Make sure nobody else is working on the {thing}: check the **{role}** rota in the {sys}.",
    "Print the {doc} for the {thing}, sign it and scan it into the {sys}.",
    "Run `{code}` a second time after {days} minutes to confirm the {thing} is stable.",
]
STEP_EXTRAS = [
    " This takes about {days} minutes.",
    " {remark}.",
    " Use the `{code}` template.",
    " The **{role}** can help if you are stuck.",
    "",
    "",
    "",
]


def slug_of(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def toml_str(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def wrap(text, indent=""):
    return textwrap.wrap(text, width=78, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=False, break_on_hyphens=False)


# ------------------------------------------------------------ the model
class Doc:
    """A process, SOP or page; `rel` is its path without the layout's base."""

    def __init__(self, kind, id_, title):
        self.kind, self.id, self.title = kind, id_, title
        self.rel = ""
        self.lines = []  # body lines with link tokens (see TOKEN)
        self.steps = []  # SOPs: [text, [lines under the step]]
        self.headings = []  # heading slugs that are sure to exist
        self.sops = []  # processes: their SOPs
        self.branches = []
        self.process = None
        self.branch = None


# A link or embed, kept abstract until a layout writes it:
#   \x02kind\x1ftarget-id\x1fanchor\x1ftext\x03
# kind: w = wiki link, m = relative Markdown link, e = embed (a line of its own),
#       a = step anchor (peers only: sopbook numbers steps itself)
TOKEN = re.compile("\x02([wmea])\x1f([^\x1f]*)\x1f([^\x1f]*)\x1f([^\x03]*)\x03")


def tok(kind, target="", anchor="", text=""):
    return f"\x02{kind}\x1f{target}\x1f{anchor}\x1f{text}\x03"


def build(n_sops, n_procs, seed):
    rng = random.Random(seed)
    n_shared = min(max(3, n_sops // 100), max(1, n_sops // 3))
    n_proc_sops = n_sops - n_shared
    # Processes: "Payroll: approval", numbered by region once names run out.
    names = [(g, a, s) for g, areas in GROUPS.items() for a in areas for s in STAGES]
    rng.shuffle(names)
    procs = []
    n_procs = max(1, n_procs - 1)  # the last one is "Common procedures"
    n_auto = n_procs // 30
    for i in range(n_procs):
        group, area, stage = names[i % len(names)]
        title = f"{area}: {stage}"
        if i >= len(names):
            title += f" ({REGIONS[(i // len(names) - 1) % len(REGIONS)]} {i // len(names)})"
        p = Doc("process", slug_of(title), title)
        p.group, p.order = group, 10 * (i % 50 + 1)
        p.owner = rng.choice(ROLES)
        p.automated = i < n_auto
        p.rel = f"{p.id}/process"
        procs.append(p)
    manual = [p for p in procs if not p.automated] or procs
    for p in procs:
        p.automated = p not in manual
    # SOPs per process: even, then shuffled around (each keeps one).
    counts = [n_proc_sops // len(manual)] * len(manual)
    for i in range(n_proc_sops % len(manual)):
        counts[i] += 1
    for _ in range(len(manual)):
        a, b = rng.randrange(len(manual)), rng.randrange(len(manual))
        moved = rng.randint(0, (counts[a] - 1) // 2)
        counts[a] -= moved
        counts[b] += moved
    for p, c in zip(manual, counts):
        k = min(c, rng.choice((1, 2, 2, 3, 3)))
        p.branches = ["standard"] + rng.sample(sorted(set(BRANCHES) - {"standard"}), k - 1)
    # SOP names: verb x qualifier x object, without repeats.
    space = len(VERBS) * len(QUALIFIERS) * len(OBJECTS)
    picks = rng.sample(range(space), min(n_sops, space))

    def new_sop(i):
        if i < len(picks):
            v, rest = divmod(picks[i], len(QUALIFIERS) * len(OBJECTS))
            q, o = divmod(rest, len(OBJECTS))
            verb, qual, obj = VERBS[v], QUALIFIERS[q], OBJECTS[o]
        else:
            verb, qual, obj = "handle", f"case-{i}", "request"
        s = Doc("sop", f"{verb}-{qual}-{obj}", "")
        s.verb = verb.replace("-", " ")
        s.thing = f"{qual.replace('-', ' ')} {obj.replace('-', ' ')}"
        s.title = f"How to {verb.replace('-', ' ')} the {s.thing}"
        return s

    shared_proc = Doc("process", "common-procedures", "Common procedures")
    shared_proc.group, shared_proc.order, shared_proc.owner = "Common", 10, "Head of Operations"
    shared_proc.automated, shared_proc.rel = False, "common-procedures/process"
    sops, shared = [], []
    for i in range(n_sops):
        s = new_sop(i)
        if i < n_shared:
            s.process, s.branch = shared_proc, None
            shared.append(s)
        sops.append(s)
    it = iter(sops[n_shared:])
    for p, c in zip(manual, counts):
        for j in range(c):
            s = next(it)
            s.process = p
            # Every branch gets an SOP before any gets a second.
            s.branch = p.branches[j] if j < len(p.branches) else rng.choice(p.branches)
    for s in sops:
        s.process.sops.append(s)
        s.rel = f"{s.process.id}/{s.id}"
        s.owner = rng.choice(ROLES)
        s.n_steps = rng.randint(5, 15) if s not in shared else rng.randint(3, 6)
        s.table = rng.random() < 0.35
        s.code = rng.random() < 0.3
        s.headings = ["before-you-start", "steps", "notes"]
    procs.append(shared_proc)
    n_pages = max(2, n_sops // 250)
    pages = []
    for i in range(n_pages):
        title = ["Glossary", "How to read this handbook", "Writing a good SOP", "Who owns what",
                 "Review calendar", "Tools we use", "Security basics", "Escalation contacts"][i % 8]
        if i >= 8:
            title += f" ({i // 8 + 1})"
        pg = Doc("page", slug_of(title), title)
        pg.rel = f"guides/{pg.id}"
        pages.append(pg)
    home = Doc("page", "index", "Operations Handbook")
    home.rel = "index"
    return procs, sops, shared, pages, home


# ------------------------------------------------------------ bodies
def sop_body(s, sops, shared, seed, copies):
    rng = random.Random(f"{seed}/sop/{s.id}")
    p = s.process

    def fill(t):
        return t.format(sys=rng.choice(SYSTEMS), role=rng.choice(ROLES), thing=s.thing,
                        field=rng.choice(FIELDS), field2=rng.choice(FIELDS),
                        code=rng.choice(CODES), doc=rng.choice(DOCUMENTS),
                        period=rng.choice(PERIODS), pct=rng.choice((2, 3, 5, 10, 15)),
                        days=rng.randint(2, 30), follow=rng.choice(FOLLOWUPS),
                        remark=rng.choice(REMARKS))

    def link():
        """A cross-link token: to a sibling SOP or anywhere, sometimes to a
        step, a heading or a process branch."""
        r = rng.random()
        if r < 0.1 and not s.process.automated:
            if p.branches and rng.random() < 0.6:
                b = rng.choice(p.branches)
                return tok("w", p.id, f"branch-{b}", f"the {b} branch")
            return tok(rng.choice("wm"), p.id)
        pool = p.sops if rng.random() < 0.6 and len(p.sops) > 1 else sops
        t = rng.choice(pool)
        if t is s:
            t = sops[(sops.index(s) + 1) % len(sops)]
        anchor = ""
        r = rng.random()
        if r < 0.3:
            anchor = f"step-{rng.randint(1, t.n_steps)}"
        elif r < 0.38:
            anchor = rng.choice(t.headings)
        kind = "m" if rng.random() < 0.15 else "w"
        text = "" if kind == "w" and rng.random() < 0.7 else rng.choice(
            ["this procedure", "the steps for it", "how to do it", t.title.lower(), "the checklist"])
        return tok(kind, t.id, anchor, text)

    n_links = rng.choice((2, 3, 3, 4, 4, 4, 5)) if len(sops) > 1 else 0
    links = [link() for _ in range(n_links)]
    in_steps = links[: (len(links) + 1) // 2]
    in_notes = links[len(in_steps):]

    L = []
    L += wrap(f"Use this procedure to {s.verb} the **{s.thing}** in the {p.title} process. "
              f"{rng.choice(REMARKS)}. The work is tracked in the {rng.choice(SYSTEMS)} and is "
              f"done before the next {rng.choice(['working day', 'shift handover', 'weekly review', 'month end', 'release'])}.")
    L.append("")
    if rng.random() < 0.5:
        L += wrap(f"{rng.choice(REMARKS)}. {rng.choice(REMARKS)}.") + [""]
    L += ["## Before you start", ""]
    box = "[ ] " if rng.random() < 0.4 else ""
    for _ in range(rng.randint(2, 4)):
        L.append("- " + box + fill(rng.choice([
            "Access to the {sys} with the **editor** role.",
            "The {field} of the {thing}, from the request.",
            "Approval from the **{role}** for amounts above the threshold.",
            "A second person who is not the requester.",
            "The {doc} template from the document store.",
            "About {days} minutes without interruptions.",
        ])))
    L.append("")
    if s.table:
        L += ["## Reference values", "", "| Field | Value | Notes |", "|---|---|---|"]
        for _ in range(rng.randint(3, 6)):
            L.append(f"| {rng.choice(FIELDS)} | `{rng.choice(CODES)}` | {rng.choice(REMARKS)} |")
        L.append("")
    L += ["## Steps", ""]
    s.steps = []
    link_at = set(rng.sample(range(s.n_steps), min(len(in_steps), s.n_steps)))
    pending = list(in_steps)
    for n in range(s.n_steps):
        text = fill(rng.choice(STEP_TEMPLATES)) + fill(rng.choice(STEP_EXTRAS))
        if n in link_at:
            text += rng.choice([" If this does not apply, follow {} instead.",
                                " See {} for the details.", " This is the same as in {}."]
                               ).format(pending.pop())
        under = []
        if rng.random() < 0.12:
            under = [f"- {fill(rng.choice(REMARKS))}.", f"- {rng.choice(REMARKS)}."]
        elif rng.random() < 0.05:
            under = ["", "```sh", f"{rng.choice(CODES)}", "```"]
        s.steps.append([text, under])
    # Embeds of a shared procedure: in a step, on a line of their own.
    if s not in shared and shared and rng.random() < 0.35:
        t = rng.choice(shared)
        anchor = f"step-{rng.randint(1, t.n_steps)}" if rng.random() < 0.25 else ""
        at = rng.randrange(s.n_steps)
        s.steps[at][0] = f"Follow {tok('w', t.id)} for this part:"
        s.steps[at][1] = ["", tok("e", t.id, anchor)]
    if s in copies:
        src, start, run, at = copies[s]
        for k in range(run):
            s.steps[at + k][0] = src.steps[start + k][0]
    step_lines_at = len(L)
    L.append(None)  # the steps go here once copies are settled
    L.append("")
    if s.code:
        lang = rng.choice(["sh", "sql", "text", ""])
        L += ["## Commands", "", f"```{lang}"]
        L += [f"{rng.choice(CODES)}" for _ in range(rng.randint(2, 5))]
        L += ["```", ""]
    if rng.random() < 0.3:
        L += ["## If something goes wrong", ""]
        for _ in range(rng.randint(2, 4)):
            L.append(f"- **The {rng.choice(SYSTEMS)} shows `{rng.choice(CODES)}`:** {rng.choice(FOLLOWUPS)}.")
        L.append("")
    L += ["## Notes", ""]
    L += wrap(f"{rng.choice(REMARKS)}. {rng.choice(REMARKS)}.") + [""]
    if rng.random() < 0.3:
        L += ["> " + x for x in wrap(f"**Note:** {rng.choice(REMARKS)}.", "")] + [""]
    for lk in in_notes:
        L.append("- " + rng.choice(["Related: {}.", "Before this, {} may be needed.",
                                    "Afterwards, continue with {}."]).format(lk))
    if in_notes:
        L.append("")
    s.lines = L
    s.step_slot = step_lines_at


def settle_steps(s):
    """Writes the steps into the body: one numbered list, the lines under a
    step indented to its text ("10. " takes four columns)."""
    out = []
    for n, (text, under) in enumerate(s.steps, 1):
        out.append(f"{n}. {tok('a', '', f'step-{n}')}{text}")
        indent = " " * len(f"{n}. ")
        out.extend(indent + x if x else x for x in under)
    s.lines[s.step_slot:s.step_slot + 1] = out


def process_body(p, seed):
    rng = random.Random(f"{seed}/process/{p.id}")
    L = ["## Why this process exists", ""]
    L += wrap(f"This process is owned by the **{p.owner}**. {rng.choice(REMARKS)}. "
              f"{rng.choice(REMARKS)}.") + [""]
    if p.automated:
        L += wrap("It runs by itself; nobody follows an SOP for it. When it fails, "
                  "the on-call engineer is paged.") + [""]
    else:
        L += ["## Who is involved", ""]
        for r in rng.sample(ROLES, 3):
            L.append(f"- **{r}**: {rng.choice(REMARKS).lower()}.")
        L.append("")
    if p.sops:
        L += wrap(f"Start with {tok('w', p.sops[0].id)}. This process has {len(p.sops)} "
                  "procedures; the one to follow depends on the branch.") + [""]
    return L


def page_body(pg, procs, sops, seed):
    rng = random.Random(f"{seed}/page/{pg.id}")
    L = wrap(f"{rng.choice(REMARKS)}. {rng.choice(REMARKS)}. {rng.choice(REMARKS)}.") + [""]
    L += ["## Where to start", ""]
    for p in rng.sample(procs, min(len(procs), rng.randint(4, 8))):
        L.append(f"- {tok('w', p.id)}: owned by the {p.owner}.")
    L += ["", "## Terms", "", "| Term | Meaning |", "|---|---|"]
    for f in rng.sample(FIELDS, 6):
        L.append(f"| {f} | {rng.choice(REMARKS)} |")
    L += ["", "## Examples", ""]
    for t in rng.sample(sops, min(len(sops), 4)):
        L.append(f"- {tok('m', t.id, '', t.title)}")
    L.append("")
    return L


def plan_copies(sops, shared, rng):
    """A few percent of SOPs copy a run of 2-3 steps from another SOP."""
    copies, sources = {}, set()
    eligible = [s for s in sops if s not in shared]
    for s in eligible:
        if rng.random() >= 0.03 or len(eligible) < 2 or s in sources:
            continue
        src = rng.choice(eligible)
        if src is s or src in copies:
            continue
        run = rng.randint(2, 3)
        if src.n_steps < run or s.n_steps < run:
            continue
        copies[s] = (src, rng.randint(0, src.n_steps - run), run, rng.randint(0, s.n_steps - run))
        sources.add(src)
    return copies


# ------------------------------------------------------------ layouts
class Layout:
    """Where each kind of file goes and how a link is written."""

    def __init__(self, name, docs):
        self.name, self.docs = name, docs
        self.base = {"sopbook": "content", "mdbook": "src", "hugo": "content"}[name]

    def path(self, d):
        """The file's path under the layout's base."""
        if d.kind == "process":
            leaf = {"sopbook": "process.md", "mdbook": "index.md", "hugo": "_index.md"}[self.name]
            return posixpath.join(posixpath.dirname(d.rel), leaf)
        if d.rel == "index":
            return "_index.md" if self.name == "hugo" else "index.md"
        return d.rel + ".md"

    def link_text(self, t, anchor, text):
        if text:
            return text
        if anchor.startswith("step-"):
            return f"{t.title}, step {anchor[5:]}"
        return t.title

    def write(self, src, body):
        """The body with its tokens written for this layout, line by line:
        an inlined embed takes the indentation of the line it replaces."""
        return "\n".join(self.write_line(src, line) for line in body.split("\n"))

    def write_line(self, src, line):
        indent = line[: len(line) - len(line.lstrip(" "))]

        def sub(m):
            kind, target, anchor, text = m.groups()
            if kind == "a":
                return "" if self.name == "sopbook" else f'<a id="{anchor}"></a>'
            t = self.docs[target]
            frag = f"#{anchor}" if anchor else ""
            if self.name == "sopbook" and kind == "w":
                return f"[[{t.id}{frag}{'|' + text if text else ''}]]"
            if self.name == "sopbook" and kind == "e":
                return f"![[{t.id}{frag}]]"
            if kind == "e":
                return ("\n" + indent).join(self.inline_embed(src, t, anchor).split("\n"))
            label = self.link_text(t, anchor, text)
            if self.name == "hugo":
                return f'[{label}]({{{{< relref "/{self.path(t)}{frag}" >}}}})'
            rel = posixpath.relpath(self.path(t), posixpath.dirname(self.path(src)) or ".")
            return f"[{label}]({rel}{frag})"
        return TOKEN.sub(sub, line)

    def inline_embed(self, src, t, anchor):
        """Peers have no embeds: the text is copied in, under a link to its source."""
        head = tok("w", t.id, anchor)
        if anchor:
            n = int(anchor[5:])
            return self.write(src, f"> From {head}: {t.steps[n - 1][0]}")
        lines = [f"**From {head}:**", ""]
        lines += [f"{n}. {text}" for n, (text, _) in enumerate(t.steps, 1)]
        return self.write(src, "\n".join(lines))


def sopbook_file(d, body):
    if d.kind == "process":
        fm = ['kind = "process"', f"id = {toml_str(d.id)}", f"title = {toml_str(d.title)}",
              f"outcome = {toml_str(d.outcome)}", f"owner = {toml_str(d.owner)}",
              f"group = {toml_str(d.group)}", f"order = {d.order}"]
        if d.automated:
            fm += ["automated = true", "equipment = [",
                   f'  {{ title = "Scheduled job: {d.id}", url = "https://jobs.example.com/{d.id}" }},',
                   "]"]
        for b in d.branches:
            fm += ["", "[[branches]]", f"id = {toml_str(b)}", f"when = {toml_str(BRANCHES[b])}"]
    elif d.kind == "sop":
        fm = [f"title = {toml_str(d.title)}", f"process = {toml_str(d.process.id)}"]
        if d.branch:
            fm.append(f"branch = {toml_str(d.branch)}")
        fm.append(f"owner = {toml_str(d.owner)}")
        if d.video:
            fm += ['format = "video"', f'media = "https://videos.example.com/{d.id}"']
        fm.append(f"reviewed = {d.reviewed}")
        if d.every:
            fm.append(f"review-every = {toml_str(d.every)}")
    else:
        fm = [f"title = {toml_str(d.title)}"]
    return "+++\n" + "\n".join(fm) + "\n+++\n" + body


def peer_file(layout, d, body):
    if layout == "mdbook":
        anchors = "".join(f'<a id="branch-{b}"></a>' for b in d.branches)
        return f"# {d.title}\n\n{anchors}{chr(10) if anchors else ''}{body}"
    fm = [f"title = {toml_str(d.title)}"]
    if d.kind == "sop":
        fm += [f"weight = {d.process.sops.index(d) + 1}", f"owner = {toml_str(d.owner)}"]
        if d.branch:
            fm.append(f"branch = {toml_str(d.branch)}")
    anchors = "".join(f'<a id="branch-{b}"></a>' for b in d.branches)
    return "+++\n" + "\n".join(fm) + "\n+++\n\n" + (anchors + "\n" if anchors else "") + body


HUGO_LAYOUTS = {
    "_default/baseof.html": '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
                            "<title>{{ .Title }} | {{ .Site.Title }}</title></head>\n"
                            '<body>{{ block "main" . }}{{ end }}</body></html>\n',
    "_default/single.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n{{ end }}\n',
    "_default/list.html": '{{ define "main" }}<h1>{{ .Title }}</h1>\n{{ .Content }}\n<ul>\n'
                          '{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>\n'
                          "{{ end }}</ul>\n{{ end }}\n",
}


def emit(layout, root, docs, procs, pages, home, title):
    if os.path.exists(root):
        shutil.rmtree(root)
    lay = Layout(layout, {d.id: d for d in docs})
    files = {}
    for d in docs:
        body = lay.write(d, "\n".join(d.lines) + "\n")
        text = sopbook_file(d, body) if layout == "sopbook" else peer_file(layout, d, body)
        files[f"{lay.base}/{lay.path(d)}"] = text
    if layout == "sopbook":
        files["book.toml"] = (f"[book]\ntitle = {toml_str(title)}\n\n"
                              '[build]\nreview-every = "12 months"\n')
    elif layout == "mdbook":
        files["book.toml"] = f'[book]\ntitle = {toml_str(title)}\nsrc = "src"\n\n[output.html]\n'
        summary = ["# Summary", "", "[Introduction](index.md)", ""]
        for p in procs:
            summary.append(f"- [{p.title}]({lay.path(p)})")
            summary += [f"  - [{s.title}]({lay.path(s)})" for s in p.sops]
        summary.append("- [Guides]()")
        summary += [f"  - [{pg.title}]({lay.path(pg)})" for pg in pages]
        files["src/SUMMARY.md"] = "\n".join(summary) + "\n"
    else:
        files["hugo.toml"] = ('baseURL = "https://handbook.example.com/"\n'
                              f"title = {toml_str(title)}\n"
                              'disableKinds = ["taxonomy", "term", "RSS"]\n\n'
                              "[markup.goldmark.renderer]\nunsafe = true\n")
        for k, v in HUGO_LAYOUTS.items():
            files["layouts/" + k] = v
    made = set()
    total = 0
    for rel, text in files.items():
        path = os.path.join(root, rel)
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        data = text.encode("utf-8")
        total += len(data) if rel.endswith(".md") else 0
        with open(path, "wb") as f:
            f.write(data)
    return {"files": sum(r.endswith(".md") for r in files), "bytes": total}


# ------------------------------------------------------------ measuring
FRONT = re.compile(r"\A(\+\+\+|---)\n(.*?)\n\1\n", re.S)
STEP = re.compile(r"^\d+\.\s", re.M)
WIKI = re.compile(r"(!?)\[\[([^\]|#]+)(#[^\]|]*)?(\|[^\]]*)?\]\]")
MDLINK = re.compile(r"\]\((?!https?://|#)([^)\s]*\.md)(#[^)]*)?\)")


def measure_dir(book):
    """Counts a sopbook-layout book's Markdown, whichever generator wrote it."""
    texts = {}
    for folder, _, names in os.walk(os.path.join(book, "content")):
        for n in names:
            if n.endswith(".md"):
                with open(os.path.join(folder, n), encoding="utf-8") as f:
                    texts[os.path.relpath(os.path.join(folder, n), book)] = f.read()
    return measure(texts)


def measure(texts):
    m = dict(files=len(texts), sops=0, processes=0, pages=0, bytes=0, sop_bytes=0, words=0,
             sop_words=0, steps=0, links=0, sop_links=0, step_links=0, embeds=0, tables=0, code_blocks=0)
    for text in texts.values():
        size = len(text.encode("utf-8"))
        m["bytes"] += size
        fm = FRONT.match(text)
        head, body = (fm.group(2), text[fm.end():]) if fm else ("", text)
        words = len(body.split())
        m["words"] += words
        is_sop = re.search(r"^process\s*=", head, re.M) is not None
        if is_sop:
            m["sops"] += 1
            m["sop_bytes"] += size
            m["sop_words"] += words
            m["steps"] += len(STEP.findall(body))
        elif re.search(r'^kind\s*=\s*"process"', head, re.M):
            m["processes"] += 1
        else:
            m["pages"] += 1
        links = 0
        for bang, _, frag, _ in WIKI.findall(body):
            if bang:
                m["embeds"] += 1
            else:
                links += 1
                m["step_links"] += frag.startswith("#step-")
        for _, frag in MDLINK.findall(body):
            links += 1
            m["step_links"] += frag.startswith("#step-")
        m["links"] += links
        m["sop_links"] += links if is_sop else 0
        m["tables"] += len(re.findall(r"^\s*\|\s*:?-{3,}", body, re.M))
        m["code_blocks"] += len(re.findall(r"^\s*```", body, re.M)) // 2
    return m


def compare_table(books):
    rows = [(b, measure_dir(b)) for b in books]
    sops = lambda m: max(1, m["sops"])  # noqa: E731
    lines = ["| | " + " | ".join(b for b, _ in rows) + " |",
             "|---|" + "---|" * len(rows)]
    metrics = [
        ("SOPs / processes / pages", lambda m: f"{m['sops']:,} / {m['processes']:,} / {m['pages']:,}"),
        ("Markdown files", lambda m: f"{m['files']:,}"),
        ("Markdown bytes", lambda m: f"{m['bytes'] / 1e6:.2f} MB"),
        ("bytes per SOP file", lambda m: f"{m['sop_bytes'] / sops(m):,.0f}"),
        ("words per SOP", lambda m: f"{m['sop_words'] / sops(m):.0f}"),
        ("steps per SOP", lambda m: f"{m['steps'] / sops(m):.1f}"),
        ("links", lambda m: f"{m['links']:,}"),
        ("links in an SOP (mean)", lambda m: f"{m['sop_links'] / sops(m):.2f}"),
        ("step-anchor links", lambda m: f"{m['step_links']:,} ({100 * m['step_links'] / max(1, m['links']):.0f} %)"),
        ("embeds", lambda m: f"{m['embeds']:,}"),
        ("tables", lambda m: f"{m['tables']:,}"),
        ("code blocks", lambda m: f"{m['code_blocks']:,}"),
    ]
    for name, f in metrics:
        lines.append(f"| {name} | " + " | ".join(f(m) for _, m in rows) + " |")
    return "\n".join(lines)


# ------------------------------------------------------------ main
def generate(n_sops, n_procs, seed, out, layouts, title):
    procs, sops, shared, pages, home = build(n_sops, n_procs, seed)
    rng = random.Random(f"{seed}/details")
    for p in procs:
        p.outcome = (f"Every {p.title.split(':')[0].lower()} request reaches "
                     f"{p.title.split(': ')[-1]} on time, recorded and visible to the requester")
        p.lines = process_body(p, seed)
    today = datetime.date(2026, 11, 25)
    for s in sops:
        s.video = rng.random() < 0.01
        if rng.random() < 0.2:
            s.every = "6 months"
            s.reviewed = today - datetime.timedelta(days=rng.randint(5, 190))
        else:
            s.every = None
            # About one in twenty is overdue for its yearly review.
            s.reviewed = today - datetime.timedelta(days=rng.randint(5, 384))
    copies = plan_copies(sops, shared, rng)
    # Sources of copies first, so that their steps exist when copied.
    order = [s for s in sops if s not in copies] + [s for s in sops if s in copies]
    for s in order:
        sop_body(s, sops, shared, seed, copies)
    for s in sops:
        settle_steps(s)
    all_docs = [p for p in procs] + sops + pages + [home]
    for pg in pages:
        pg.lines = page_body(pg, procs, sops, seed)
    home.lines = wrap(f"This handbook holds {len(procs)} processes and {len(sops)} procedures. "
                      "Find the process first, then the SOP for your situation.") + [""]
    home.lines += [f"- {tok('w', pg.id)}" for pg in pages] + [""]
    os.makedirs(out, exist_ok=True)
    stats = {"generator": "scripts/gen_book.py", "sops": n_sops, "processes": len(procs),
             "seed": seed, "copied_runs": len(copies), "layouts": {}}
    for layout in layouts:
        stats["layouts"][layout] = emit(layout, os.path.join(out, layout), all_docs, procs,
                                        pages, home, title)
    lay = Layout("sopbook", {d.id: d for d in all_docs})
    stats["content"] = measure({lay.path(d): sopbook_file(d, lay.write(d, "\n".join(d.lines) + "\n"))
                                for d in all_docs})
    with open(os.path.join(out, "corpus-stats.json"), "w") as f:
        json.dump(stats, f, indent=1)
        f.write("\n")
    return stats


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sops", type=int, help="number of SOPs (shared procedures included)")
    ap.add_argument("--processes", type=int, help="number of processes (default: SOPs / 10)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", help="output folder: one sub-folder per layout, and corpus-stats.json")
    ap.add_argument("--layouts", default=",".join(LAYOUTS), help="comma-separated: " + ",".join(LAYOUTS))
    ap.add_argument("--title", default="Operations Handbook")
    ap.add_argument("--compare", nargs="+", metavar="BOOK",
                    help="measure these sopbook-layout books (any generator's) and print a Markdown table")
    a = ap.parse_args(argv)
    if a.compare:
        print(compare_table(a.compare))
        return
    if not a.sops or not a.out:
        ap.error("--sops and --out are required (or --compare)")
    layouts = [x for x in a.layouts.split(",") if x]
    for x in layouts:
        if x not in LAYOUTS:
            ap.error(f"unknown layout {x}")
    n_procs = a.processes or max(1, a.sops // 10)
    if a.sops < 4 or not 1 <= n_procs <= a.sops:
        ap.error("need --sops >= 4 and 1 <= --processes <= --sops")
    stats = generate(a.sops, n_procs, a.seed, a.out, layouts, a.title)
    json.dump(stats, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
