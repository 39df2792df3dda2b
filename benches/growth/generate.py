#!/usr/bin/env python3
"""Write a large, valid versus content tree for the growth benchmark.

    python3 benches/growth/generate.py OUT_DIR --topics 2000 [--frameworks 4] [--seed 1]

The tree has everything `versus check` asks for: site.toml (without [rules], so no word limits),
a profile per framework, the four content pages, a 12-question questionnaire whose options link
to generated topic sections, and N topics. Each topic has a summary, 4-7 at-a-glance rows, a
verdict and code examples for every framework, 2-4 cited sources and a body of about 800-1000
words in 5-6 `##` sections with ids, a fenced Python block, a table and links to sections of other
generated topics. The prose is drawn (seeded, so runs are repeatable) from a vocabulary of a few
thousand made-up words mixed with common English words, so the search index grows with the
content as it would with real text. Standard library only (Python 3.11).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

MARKER = ".versus-growth"

FRAMEWORKS = [
    ("django", "Django"),
    ("flask", "Flask"),
    ("fastapi", "FastAPI"),
    ("pyramid", "Pyramid"),
    ("bottle", "Bottle"),
    ("tornado", "Tornado"),
    ("falcon", "Falcon"),
    ("sanic", "Sanic"),
]

# Common words that make the text read like prose (and that BM25's stop-word list mostly drops).
COMMON = (
    "the a an and or but of to in on for with by from at as is are was be been has have it its "
    "this that these those which when where while because so if then than also only more most "
    "less each every some many few other such can may must should will would does do not no "
    "one two three first second new old same different own both all any much very well still "
    "even just often usually rarely always never again later before after between under over"
).split()

# Technical words that recur across topics (shared vocabulary, realistic document frequency).
TECH = (
    "request response view route template model query migration session cookie token cache "
    "worker process thread server client header middleware extension plugin package release "
    "version database schema field form validation error test fixture deployment container "
    "queue task signal setting config logging metric latency throughput memory startup admin "
    "user permission password security endpoint serializer blueprint decorator context handler"
).split()

ONSETS = ["b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "qu", "r", "s", "t", "v",
          "w", "z", "br", "cr", "dr", "fl", "gr", "pl", "pr", "sh", "sl", "st", "th", "tr", "ch"]
VOWELS = ["a", "e", "i", "o", "u", "ai", "ea", "io", "ou", "y"]
CODAS = ["", "", "", "n", "r", "s", "t", "l", "m", "x", "nd", "rk", "st", "ng"]


def make_vocabulary(rng: random.Random, size: int) -> list[str]:
    """`size` distinct pronounceable made-up words of 2-4 syllables."""
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((2, 2, 3, 3, 4))
        w = "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(syllables))
        w += rng.choice(CODAS)
        if 4 <= len(w) <= 14:
            words.add(w)
    ranked = sorted(words)
    rng.shuffle(ranked)  # the order is the Zipf rank: frequent words start anywhere in the alphabet
    return ranked


class Writer:
    """Seeded prose from the vocabulary: a Zipf-like draw, so some words are common, most rare."""

    def __init__(self, rng: random.Random, vocabulary: list[str]) -> None:
        self.rng = rng
        self.vocab = vocabulary
        # Zipf-ish weights over the vocabulary: rank r has weight 1/(r+10).
        self.cum: list[float] = []
        total = 0.0
        for r in range(len(vocabulary)):
            total += 1.0 / (r + 10)
            self.cum.append(total)

    def word(self) -> str:
        r = self.rng.random()
        if r < 0.42:
            return self.rng.choice(COMMON)
        if r < 0.55:
            return self.rng.choice(TECH)
        return self.rng.choices(self.vocab, cum_weights=self.cum, k=1)[0]

    def words(self, n: int) -> list[str]:
        return [self.word() for _ in range(n)]

    def phrase(self, lo: int, hi: int) -> str:
        return " ".join(self.words(self.rng.randint(lo, hi)))

    def title(self, lo: int = 1, hi: int = 3) -> str:
        n = self.rng.randint(lo, hi)
        picked = [self.rng.choice(self.vocab) for _ in range(n)]
        return " ".join(picked).capitalize()

    def sentence(self) -> str:
        ws = self.words(self.rng.randint(8, 20))
        # Some inline code and emphasis, as real topics have.
        roll = self.rng.random()
        if roll < 0.12:
            i = self.rng.randrange(len(ws))
            ws[i] = f"`{ws[i]}_{self.rng.choice(TECH)}()`"
        elif roll < 0.2:
            i = self.rng.randrange(len(ws))
            ws[i] = f"*{ws[i]}*"
        text = " ".join(ws)
        if self.rng.random() < 0.25:
            cut = self.rng.randrange(3, len(ws) - 2)
            parts = text.split(" ")
            parts[cut] += ","
            text = " ".join(parts)
        return text[0].upper() + text[1:] + "."


@dataclass
class TopicPlan:
    slug: str
    title: str
    weight: int
    section_ids: list[str]
    section_titles: list[str]
    sources: list[str] = field(default_factory=list)


def toml_str(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def plan_topics(rng: random.Random, w: Writer, n: int) -> list[TopicPlan]:
    plans = []
    used: set[str] = set()
    for i in range(n):
        base = "-".join(rng.choice(w.vocab) for _ in range(rng.randint(1, 2)))
        slug = base if base not in used else f"{base}-{i}"
        used.add(slug)
        k = rng.randint(5, 6)
        ids: list[str] = []
        titles: list[str] = []
        while len(ids) < k:
            t = w.title(1, 3)
            sid = "-".join(t.lower().split())
            if sid in ids or sid in ("at-a-glance", "verdict", "contents", "code", "sources"):
                continue
            ids.append(sid)
            titles.append(t)
        plans.append(TopicPlan(slug, w.title(1, 3), (i + 1) * 10, ids, titles))
    return plans


def paragraph(w: Writer, sentences: tuple[int, int]) -> str:
    return " ".join(w.sentence() for _ in range(w.rng.randint(*sentences)))


def python_block(w: Writer) -> str:
    rng = w.rng
    name = rng.choice(w.vocab)
    arg = rng.choice(TECH)
    lines = [
        "```python",
        f"def {name}_{arg}({arg}, limit={rng.randint(2, 500)}):",
        f'    """{w.phrase(4, 9).capitalize()}."""',
        f"    items = [{arg}.{rng.choice(TECH)}(x) for x in range(limit)]",
        f"    if not items:",
        f'        raise ValueError("{w.phrase(2, 5)}")',
        f"    return {{\"{rng.choice(w.vocab)}\": items, \"count\": len(items)}}",
        "```",
    ]
    return "\n".join(lines)


def table(w: Writer, frameworks: list[tuple[str, str]]) -> str:
    head = "| aspect | " + " | ".join(name for _, name in frameworks) + " |"
    sep = "|---|" + "---|" * len(frameworks)
    rows = []
    for _ in range(w.rng.randint(3, 5)):
        cells = [w.phrase(1, 3)] + [w.phrase(1, 4) for _ in frameworks]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join([head, sep, *rows])


def topic_file(plan: TopicPlan, plans: list[TopicPlan], w: Writer,
               frameworks: list[tuple[str, str]], idx: int) -> str:
    rng = w.rng
    fm: list[str] = ["+++"]
    fm.append(f"title = {toml_str(plan.title)}")
    summary = w.phrase(10, 22).capitalize() + "."
    fm.append(f"summary = {toml_str(summary[:159])}")
    fm.append(f"weight = {plan.weight}")
    month, day = rng.randint(1, 11), rng.randint(1, 28)
    fm.append(f"updated = 2026-{month:02d}-{day:02d}")
    versions = ", ".join(toml_str(f"{name} {rng.randint(1, 6)}.{rng.randint(0, 9)}")
                         for _, name in frameworks)
    fm.append(f"versions_reviewed = [{versions}]")
    if idx % 10 == 0:
        fm.append(f'aliases = ["/topics/old-{plan.slug}"]')
    for _ in range(rng.randint(4, 7)):
        fm.append("")
        fm.append("[[glance]]")
        fm.append(f"aspect = {toml_str(w.title(1, 4))}")
        values = ", ".join(f"{slug} = {toml_str(w.phrase(2, 8))}" for slug, _ in frameworks)
        fm.append(f"values = {{ {values} }}")
    fm.append("")
    fm.append("[verdict]")
    for slug, name in frameworks:
        fm.append(f"{slug} = {toml_str(f'Choose {name} when ' + w.phrase(10, 24) + '.')}")
    for _ in range(rng.randint(1, 2)):
        fm.append("")
        fm.append("[[examples]]")
        fm.append(f"title = {toml_str(w.title(2, 4))}")
        fm.append(f"note = {toml_str(w.phrase(6, 14).capitalize() + '.')}")
        fm.append("[examples.code]")
        for slug, _ in frameworks:
            fn = f"{rng.choice(w.vocab)}_{rng.choice(TECH)}"
            code = (f"# {slug}: {w.phrase(3, 7)}\n"
                    f"def {fn}(request):\n"
                    f"    {rng.choice(TECH)} = request.{rng.choice(TECH)}\n"
                    f"    return {{\"{rng.choice(w.vocab)}\": {rng.randint(0, 999)}}}\n")
            fm.append(f"{slug} = '''\n{code}'''")
    plan.sources = [f"{plan.slug}-s{k}" for k in range(1, rng.randint(2, 4) + 1)]
    for sid in plan.sources:
        fm.append("")
        fm.append("[[sources]]")
        fm.append(f"id = {toml_str(sid)}")
        fm.append(f"title = {toml_str(w.title(2, 5))}")
        fm.append(f"url = {toml_str(f'https://docs.example.org/{plan.slug}/{sid}')}")
        fm.append(f"accessed = 2026-{month:02d}-{day:02d}")
    fm.append("+++")

    # Body: an intro, then 5-6 sections; ~800-1000 words of prose.
    body: list[str] = [paragraph(w, (3, 4)) + f"[^{plan.sources[0]}]"]
    n = len(plan.section_ids)
    code_at = rng.randrange(n)
    table_at = rng.randrange(n)
    cites = list(plan.sources[1:])
    for s, (sid, stitle) in enumerate(zip(plan.section_ids, plan.section_titles)):
        body.append(f"## {stitle} {{#{sid}}}")
        for p in range(rng.randint(2, 3)):
            para = paragraph(w, (3, 5))
            if p == 0 and cites:
                para += f"[^{cites.pop()}]"
            if rng.random() < 0.5:
                other = plans[rng.randrange(len(plans))]
                anchor = rng.choice(other.section_ids)
                para += (f" See [{other.title.lower()}](/topics/{other.slug}#{anchor}) for "
                         f"{w.phrase(2, 5)}.")
            body.append(para)
        if s == code_at:
            body.append(python_block(w))
        if s == table_at:
            body.append(table(w, frameworks))
    # Every source cited at least once.
    for sid in cites:
        body[-1] += f"[^{sid}]"
    other = plans[(idx + 1) % len(plans)]
    body.append(f"Compare the [whole matrix](/compare#{plan.slug}) or the "
                f"[{other.title.lower()} verdict](/topics/{other.slug}#verdict), and the "
                f"[{frameworks[0][1]} profile](/frameworks/{frameworks[0][0]}#history).")
    return "\n".join(fm) + "\n" + "\n\n".join(body) + "\n"


def framework_file(slug: str, name: str, w: Writer, plans: list[TopicPlan]) -> str:
    p = plans[0]
    return "\n".join([
        "+++",
        f"name = {toml_str(name)}",
        f"tagline = {toml_str(w.phrase(4, 8).capitalize() + '.')}",
        f"summary = {toml_str(w.phrase(8, 16).capitalize() + '.')}",
        'first_release = "2010"',
        'license = "BSD-3-Clause"',
        f"maintainer = {toml_str(name + ' maintainers')}",
        f'website = "https://{slug}.example.org"',
        f'repository = "https://code.example.org/{slug}"',
        "updated = 2026-10-01",
        "",
        "[[releases]]",
        'version = "1.0"',
        "released = 2010-01-01",
        "supported_until = 2011-01-01",
        "+++",
        "## History {#history}",
        "",
        paragraph(w, (4, 6)) + f" See [{p.title.lower()}](/topics/{p.slug}#{p.section_ids[0]}).",
        "",
        "## Design {#design}",
        "",
        paragraph(w, (4, 6)),
        "",
    ])


def page_file(slug: str, w: Writer, sections: int) -> str:
    out = ["+++", f"title = {toml_str(slug.capitalize())}",
           f"summary = {toml_str(w.phrase(6, 12).capitalize() + '.')}", "updated = 2026-10-02",
           "+++"]
    for k in range(sections):
        out += [f"## {w.title(2, 5)}? {{#q{k + 1}}}", "", paragraph(w, (2, 4)), ""]
    return "\n".join(out)


def questionnaire(w: Writer, plans: list[TopicPlan], frameworks: list[tuple[str, str]]) -> str:
    rng = w.rng
    out = ["# Generated by benches/growth/generate.py."]
    # Each option that favours a framework scores a fact of its own (so each fact belongs to one
    # question), declared once with the topic section it links to.
    facts: list[str] = []
    for q in range(12):
        multi = q % 4 == 3
        out += ["", "[[questions]]", f'id = "q{q + 1}"',
                f"prompt = {toml_str(w.phrase(4, 9).capitalize() + '?')}",
                f"help = {toml_str(w.phrase(5, 10).capitalize() + '.')}",
                f'kind = "{"multi" if multi else "single"}"',
                f"required = {'false' if multi else 'true'}"]
        for o in range(3):
            plan = plans[rng.randrange(len(plans))]
            points = [rng.randint(0, 3) for _ in frameworks]
            weights = ", ".join(f"{slug} = {p}" for (slug, _), p in zip(frameworks, points))
            out += ["", "[[questions.options]]", f'id = "o{o + 1}"',
                    f"label = {toml_str(w.title(1, 4))}",
                    f"weights = {{ {weights} }}",
                    f"why = {toml_str(w.phrase(5, 12).capitalize() + '.')}"]
            if any(points):
                fact = f"q{q + 1}-o{o + 1}"
                out.append(f'fact = "{fact}"')
                facts += ["", "[[facts]]", f'id = "{fact}"',
                          f'link = "/topics/{plan.slug}#{rng.choice(plan.section_ids)}"']
    return "\n".join(out[:1] + facts + out[1:]) + "\n"


def generate(out: Path, topics: int, n_frameworks: int, seed: int, vocab_size: int) -> None:
    if not 1 <= n_frameworks <= len(FRAMEWORKS):
        sys.exit(f"--frameworks must be 1 to {len(FRAMEWORKS)}")
    if topics < 1:
        sys.exit("--topics must be at least 1")
    rng = random.Random(seed)
    w = Writer(rng, make_vocabulary(rng, vocab_size))
    frameworks = FRAMEWORKS[:n_frameworks]
    plans = plan_topics(rng, w, topics)

    if out.exists():
        # Only ever replace a tree this script wrote.
        if not (out / MARKER).is_file() and any(out.iterdir()):
            sys.exit(f"{out} exists and was not written by generate.py; choose an empty directory")
        shutil.rmtree(out)
    for sub in ("topics", "frameworks", "pages"):
        (out / sub).mkdir(parents=True)
    (out / MARKER).write_text(f"topics={topics} frameworks={n_frameworks} seed={seed}\n")
    slugs = ", ".join(toml_str(s) for s, _ in frameworks)
    (out / "site.toml").write_text(
        'title = "versus-growth"\n'
        'tagline = "A generated site for the growth benchmark"\n'
        f'description = "{topics} generated topics across {n_frameworks} frameworks."\n'
        'base_url = "http://127.0.0.1:8080"\n'
        f"frameworks = [{slugs}]\n")
    for slug, name in frameworks:
        (out / "frameworks" / f"{slug}.md").write_text(framework_file(slug, name, w, plans))
    for slug in ("about", "methodology", "faq", "myths"):
        (out / "pages" / f"{slug}.md").write_text(page_file(slug, w, 12))
    (out / "questionnaire.toml").write_text(questionnaire(w, plans, frameworks))
    for i, plan in enumerate(plans):
        (out / "topics" / f"{plan.slug}.md").write_text(topic_file(plan, plans, w, frameworks, i))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="directory to write (a tree it wrote before is replaced)")
    ap.add_argument("--topics", type=int, default=1000)
    ap.add_argument("--frameworks", type=int, default=4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--vocabulary", type=int, default=4000, help="made-up words to draw from")
    args = ap.parse_args()
    generate(args.out, args.topics, args.frameworks, args.seed, args.vocabulary)


if __name__ == "__main__":
    main()
