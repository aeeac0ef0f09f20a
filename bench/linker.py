"""How well the automatic linker (graph/links/linker.py) finds the curated links of data/links.toml.

Run: .venv/bin/python bench/linker.py   (writes the "Linker" section of bench/RESULTS.md and prints it)

Two evaluations, each over the Beijing tasks that have curated links of that kind:
  implements  the task's candidates in 国办发〔2021〕26号 against its curated measures (rank 1 = the primary one)
  cites       the task's candidates in the three laws, pooled (each law linked on its own, as the shipped candidate
              files are, then merged by score) against its curated articles
Metrics, on the candidates the linker ships (top 3 above the minimum score):
  precision@1  the top candidate is one of the task's curated targets
  primary@1    the top candidate is the task's first curated target
  recall@3     share of the curated (task, target) pairs found among the task's top 3
  MRR          mean of 1 / rank of the first curated target in the task's full ranking (every target scored)
The same numbers for two comparisons measured in the same run: a trivial baseline (Jaccard overlap of the sets of
characters, no weighting) and the linker without the task's category heading.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import re
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path

from rdflib import Graph, URIRef

from graph.links import linker
from graph.links.linkset import load_linkset
from graph.rdf.namespaces import PKG
from graph.release.build import Built, Inputs, build

SOURCE = "beijing-2022-task-division-table"
MEASURES = "guobanfa-2021-26"
LAWS = ("law-2015-promoting-transformation", "law-2021-science-technology-progress",
        "beijing-2019-regulations-promoting-transformation")  # fmt: skip
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BEGIN, END = "<!-- linker:begin -->", "<!-- linker:end -->"
HEADER = (
    "# Benchmark results\n\nResults of the scripts in bench/, one section each; each script rewrites only its own.\n"
)
COMMAND = ".venv/bin/python bench/linker.py"
MISSES = "Linker misses (top candidate not curated, or a curated target not shipped; ranks in the full ranking):"

Ranked = dict[URIRef, list[tuple[linker.Unit, float]]]
Gold = dict[URIRef, list[URIRef]]


@dataclass(frozen=True)
class Method:
    name: str
    scorer: linker.Scorer
    with_heading: bool = True


@dataclass(frozen=True)
class Scores:
    tasks: int
    pairs: int
    precision_at_1: float
    primary_at_1: float
    recall_at_3: float
    mrr: float
    misses: list[str]


def jaccard(texts: Sequence[str], others: Sequence[str]) -> list[list[float]]:
    """The baseline: shared characters over all characters (letters and digits only), no weighting."""
    sets = [set("".join(linker.grams(text, (1,)))) for text in texts]
    other_sets = [set("".join(linker.grams(text, (1,)))) for text in others]
    return [[len(a & b) / len(a | b) if a | b else 0.0 for b in other_sets] for a in sets]


METHODS = (
    Method("linker (char 2+3-gram TF-IDF cosine)", linker.similarity),
    Method("linker without the category heading", linker.similarity, with_heading=False),
    Method("baseline (character-set Jaccard)", jaccard),
)


def gold(built: Built, kind: URIRef) -> Gold:
    """Each task's curated targets of one kind, primary first."""
    links = load_linkset(Inputs().linksets(), built.manifest).links
    found: Gold = {}
    for link in sorted(links, key=lambda link: link.rank):
        if link.kind == kind:
            found.setdefault(link.source, []).append(link.target)
    return found


def ranked(union: Graph, built: Built, method: Method, targets: Sequence[str]) -> Ranked:
    """Each task's targets of all the target documents, best first (each document ranked on its own, then merged)."""
    sources = linker.source_units(union, built.manifest.document(SOURCE).iri)
    if not method.with_heading:
        sources = [replace(unit, text=str(union.value(unit.iri, PKG.text))) for unit in sources]
    merged: Ranked = {unit.iri: [] for unit in sources}
    for target in targets:
        units = linker.target_units(union, built.manifest.document(target).iri)
        if len(targets) > 1:  # 第三十条 of which law
            units = [replace(unit, label=f"{unit.label} {target}") for unit in units]
        for source, pairs in linker.rankings(sources, units, method.scorer).items():
            merged[source] += pairs
    return {source: sorted(pairs, key=lambda pair: -pair[1]) for source, pairs in merged.items()}


def shipped(pairs: list[tuple[linker.Unit, float]], parameters: linker.Parameters) -> list[URIRef]:
    """The targets the linker would keep: the top ones (per pooled list) at or above the minimum score."""
    return [unit.iri for unit, score in pairs if round(score, linker.SCORE_DIGITS) >= parameters.min_score][
        : parameters.top
    ]


def evaluate(rankings: Ranked, expected: Gold, parameters: linker.Parameters) -> Scores:
    tasks = [task for task in rankings if task in expected]
    top1 = primary = found = 0
    reciprocal = 0.0
    misses = []
    for task in tasks:
        curated = expected[task]
        kept = shipped(rankings[task], parameters)
        top1 += bool(kept) and kept[0] in curated
        primary += bool(kept) and kept[0] == curated[0]
        found += len(set(kept) & set(curated))
        order = [unit.iri for unit, _ in rankings[task]]
        reciprocal += 1 / (1 + min(order.index(target) for target in curated))
        if not kept or kept[0] not in curated or not set(curated) <= set(kept):
            misses.append(_miss(task, rankings[task], curated))
    pairs = sum(len(expected[task]) for task in tasks)
    n = len(tasks)
    return Scores(n, pairs, top1 / n, primary / n, found / pairs, reciprocal / n, misses)


def _miss(task: URIRef, pairs: list[tuple[linker.Unit, float]], curated: list[URIRef]) -> str:
    labels = {unit.iri: _short(unit.label) for unit, _ in pairs}
    place = {unit.iri: rank for rank, (unit, _) in enumerate(pairs, start=1)}
    top, score = pairs[0]
    wanted = ", ".join(f"{labels[target]} (rank {place[target]})" for target in curated)
    return f"task {str(task).rsplit('/', 1)[1]}: top {_short(top.label)} ({score:.4f}); curated {wanted}"


def _short(label: str) -> str:
    """二（四） from 二（四）大力发展…: enough to tell targets apart."""
    notation = re.match(r"^[一二三四五六七八九十]+（[^）]+）", label)
    return notation.group(0) if notation else label


def run() -> str:
    built = build()
    union = built.union()
    parameters = linker.Parameters()
    evaluations = (("implements → 国办发〔2021〕26号 measures", PKG.implementation, (MEASURES,)),
                   ("cites → articles of the three laws, pooled", PKG.legalBasis, LAWS))  # fmt: skip
    results = []
    for title, kind, targets in evaluations:
        expected = gold(built, kind)
        results.append(
            (title, [(m, evaluate(ranked(union, built, m, targets), expected, parameters)) for m in METHODS])
        )
    return section(results, parameters)


def section(results: list[tuple[str, list[tuple[Method, Scores]]]], parameters: linker.Parameters) -> str:
    lines = [BEGIN, "## Linker", "", *_context(parameters), ""]
    for title, rows in results:
        first = rows[0][1]
        lines += [f"### {title} ({first.tasks} tasks, {first.pairs} curated pairs)", ""]
        lines += ["| method | precision@1 | primary@1 | recall@3 | MRR |", "|---|---:|---:|---:|---:|"]
        lines += [f"| {m.name} | {s.precision_at_1:.3f} | {s.primary_at_1:.3f} | {s.recall_at_3:.3f} | {s.mrr:.3f} |"
                  for m, s in rows]  # fmt: skip
        lines += ["", MISSES, ""]
        lines += [f"- {miss}" for miss in first.misses] or ["- none"]
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def _context(parameters: linker.Parameters) -> list[str]:
    versions = ", ".join(f"{name} {version(name)}" for name in ("rdflib", "pyoxigraph"))
    return [
        f"- date: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        f"- command: `{COMMAND}`",
        f"- machine: {platform.machine()}, {os.cpu_count()} CPUs; Python {platform.python_version()}, {versions}",
        f"- linker: {parameters.describe()}",
        "- gold: data/links.toml (curated); metrics on the shipped candidates except MRR (full ranking); see the "
        "docstring of bench/linker.py",
    ]


def write(text: str, path: Path = RESULTS) -> None:
    """Replace the linker section of RESULTS.md (or add it), leaving every other section as it is."""
    current = path.read_text(encoding="utf-8") if path.is_file() else HEADER
    span = re.compile(re.escape(BEGIN) + r".*?" + re.escape(END), re.S)
    updated = span.sub(lambda _: text, current) if span.search(current) else current.rstrip("\n") + "\n\n" + text
    path.write_text(updated.rstrip("\n") + "\n", encoding="utf-8")


def main(out: Callable[[str], None] = print) -> int:
    text = run()
    write(text)
    out(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
