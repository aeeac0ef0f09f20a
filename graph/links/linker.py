"""Automatic links: for each unit of one document, the provisions of another whose wording is most alike.

Units are read from the built graph, so any two documents of it can be linked:

source  a task table's tasks (the task text after its category heading), else the document's linkable provisions
target  the document's linkable provisions: its measures (items of the parts the manifest lists in `measure_parts`)
        if it has any, else its articles (laws), else its items, else its parts; a provision's text is its heading
        followed by its wording (an article's wording includes its paragraphs and items)

Similarity is Chinese-aware and needs no word segmentation: each text is normalised as names are
(`graph.text.normal`: invisible characters removed, NFKC, case-folded), cut at every character that is not a letter
or digit (punctuation, spaces), and each run gives its character bigrams and trigrams (n-grams never span
punctuation). Grams are weighted by TF-IDF over the units of both sides together,
with sublinear term frequency (1 + ln tf) and smoothed inverse document frequency (ln((1 + N) / (1 + df)) + 1,
N the number of units); the score is the cosine of the two weight vectors, in [0, 1] because no weight is
negative: 1 for the same text, 0 for texts sharing no gram.

Each source unit keeps its `top` best targets (3 by default) scoring at least `min_score` (0.05 by default). Texts
on the same subject always share some common grams (科技成果, 评价): between the Beijing tasks and the laws the median
pair scores 0.01–0.02 and nine pairs in ten score under 0.05, so 0.05 drops that background and keeps any pair
sharing a phrase; a unit with nothing above it gets no candidate rather than a meaningless one. Links are
pkg:similarity, pkg:automatic, ranked 1..top by score (ties by the target's order in its document), with the
score rounded to 4 decimals. The parameters are the same for every document pair; nothing is tuned to a particular
task or provision. bench/linker.py measures the candidates against the curated linkset.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, SKOS, XSD

import graph as package
from graph.errors import ConfigError
from graph.ingest.triples import SOFTWARE
from graph.links.linkset import AUTOMATIC_GRAPH, Link, links_graph
from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, PKG
from graph.text import normal

TOP = 3
MIN_SCORE = 0.05
GRAM_SIZES = (2, 3)
SCORE_DIGITS = 4
# Which provisions stand for a document, most specific first: measures, else articles, else items, else parts.
TARGET_CLASSES = (PKG.Measure, PKG.Article, PKG.Item, PKG.Part)
_RUN = re.compile(r"[^\W_]+")  # letters and digits of any script: CJK characters, Latin words, numbers

Vector = dict[str, float]
Scorer = Callable[[Sequence[str], Sequence[str]], list[list[float]]]


@dataclass(frozen=True)
class Unit:
    """Something a link can start from or point to: a task or provision, its label and the text compared."""

    iri: URIRef
    label: str
    text: str


@dataclass(frozen=True)
class Parameters:
    top: int = TOP
    min_score: float = MIN_SCORE

    def __post_init__(self) -> None:
        if self.top < 1:
            raise ValueError("top must be at least 1")
        if not 0 <= self.min_score <= 1:
            raise ValueError("min_score must be between 0 and 1")

    def describe(self) -> str:
        sizes = "+".join(str(n) for n in GRAM_SIZES)
        return (
            f"character {sizes}-grams (NFKC, split at punctuation and spaces), TF-IDF over both documents' units "
            f"(1 + ln tf, smoothed idf), cosine; top {self.top}, min score {self.min_score}"
        )


# --- text -------------------------------------------------------------------------------------------------------
def grams(text: str, sizes: Sequence[int] = GRAM_SIZES) -> Counter[str]:
    """Character n-grams of each run of letters and digits in the text as `graph.text.normal` has it."""
    counts: Counter[str] = Counter()
    for run in _RUN.findall(normal(text)):
        for n in sizes:
            counts.update(run[i : i + n] for i in range(len(run) - n + 1))
    return counts


def tfidf(texts: Sequence[str]) -> list[Vector]:
    """Unit-length TF-IDF vectors of the texts, with idf computed over these texts."""
    counted = [grams(text) for text in texts]
    frequency: Counter[str] = Counter(gram for counts in counted for gram in counts)
    idf = {gram: math.log((1 + len(texts)) / (1 + df)) + 1 for gram, df in frequency.items()}
    vectors = []
    for counts in counted:
        vector = {gram: (1 + math.log(tf)) * idf[gram] for gram, tf in counts.items()}
        norm = math.sqrt(sum(weight * weight for weight in vector.values()))
        vectors.append({gram: weight / norm for gram, weight in vector.items()} if norm else {})
    return vectors


def cosine(a: Vector, b: Vector) -> float:
    """Cosine of two unit-length vectors with non-negative weights, clamped to [0, 1] against rounding."""
    if len(b) < len(a):
        a, b = b, a
    return min(1.0, sum(weight * b.get(gram, 0.0) for gram, weight in a.items()))


def similarity(texts: Sequence[str], others: Sequence[str]) -> list[list[float]]:
    """The score of every text of `texts` against every text of `others`, TF-IDF fitted on both together."""
    vectors = tfidf([*texts, *others])
    left, right = vectors[: len(texts)], vectors[len(texts) :]
    return [[cosine(a, b) for b in right] for a in left]


# --- units from the graph ---------------------------------------------------------------------------------------
def source_units(graph: Graph, document: URIRef) -> list[Unit]:
    """A task table's tasks, else the document's linkable provisions."""
    tasks = _members(graph, document, PKG.Task)
    return [_task_unit(graph, task) for task in tasks] if tasks else target_units(graph, document)


def target_units(graph: Graph, document: URIRef) -> list[Unit]:
    """The document's linkable provisions (see TARGET_CLASSES), in document order."""
    for cls in TARGET_CLASSES:
        chosen = _members(graph, document, cls)
        if chosen:
            return [_provision_unit(graph, node) for node in chosen]
    title = _zh(graph, document, DCTERMS.title)
    raise ConfigError(f"{title or document} has no provisions to link to (measures, articles, items or parts)")


def _members(graph: Graph, document: URIRef, cls: URIRef) -> list[URIRef]:
    """The document's tasks or provisions of one class, in document order (task/10 after task/9)."""
    if (document, RDF.type, PKG.Policy) not in graph:
        raise ConfigError(f"{document} is not a document of the graph")
    nodes = [node for node in graph.subjects(PKG.document, document) if isinstance(node, URIRef)]
    return sorted((node for node in nodes if (node, RDF.type, cls) in graph), key=_document_order)


def _document_order(node: URIRef) -> tuple[int, ...]:
    return tuple(int(step) for step in str(node).split("/") if step.isdigit())


def _task_unit(graph: Graph, task: URIRef) -> Unit:
    category = graph.value(task, PKG.category)
    heading = _zh(graph, category, SKOS.prefLabel) if isinstance(category, URIRef) else ""
    return Unit(task, label(graph, task), _join(heading, _zh(graph, task, PKG.text)))


def _provision_unit(graph: Graph, node: URIRef) -> Unit:
    return Unit(node, label(graph, node), _join(_zh(graph, node, PKG.heading), _zh(graph, node, PKG.text)))


def label(graph: Graph, node: URIRef) -> str:
    """The Chinese label of a task or provision (任务8, 二（三）…, 第二十条)."""
    return _zh(graph, node, SKOS.prefLabel)


def _zh(graph: Graph, node: URIRef, prop: URIRef) -> str:
    values = [value for value in graph.objects(node, prop) if isinstance(value, Literal)]
    chosen = [value for value in values if value.language == "zh"] or values
    return str(min(chosen)) if chosen else ""


def _join(*texts: str) -> str:
    return "\n".join(text for text in texts if text)


# --- ranking ----------------------------------------------------------------------------------------------------
def rankings(
    sources: Sequence[Unit], targets: Sequence[Unit], scorer: Scorer = similarity
) -> dict[URIRef, list[tuple[Unit, float]]]:
    """Every target for each source unit, best first (ties in target order); a unit is never its own target."""
    scores = scorer([unit.text for unit in sources], [unit.text for unit in targets])
    ranked: dict[URIRef, list[tuple[Unit, float]]] = {}
    for source, row in zip(sources, scores, strict=True):
        pairs = [(target, score) for target, score in zip(targets, row, strict=True) if target.iri != source.iri]
        ranked[source.iri] = sorted(pairs, key=lambda pair: -pair[1])  # sorted() is stable: ties keep target order
    return ranked


def propose(graph: Graph, source: URIRef, target: URIRef, parameters: Parameters | None = None) -> list[Link]:
    """Automatic similarity links from each unit of `source` to its best provisions of `target`."""
    parameters = parameters or Parameters()
    sources = source_units(graph, source)
    targets = target_units(graph, target)
    return select(rankings(sources, targets), parameters)


def select(ranked: dict[URIRef, list[tuple[Unit, float]]], parameters: Parameters) -> list[Link]:
    """The links kept from full rankings: each source's first `top` targets that reach `min_score`, ranked 1, 2…"""
    links = []
    for source, pairs in ranked.items():
        kept = [(unit, round(score, SCORE_DIGITS)) for unit, score in pairs[: parameters.top]]
        for rank, (unit, score) in enumerate((p for p in kept if p[1] >= parameters.min_score), start=1):
            links.append(Link(source, unit.iri, PKG.similarity, PKG.automatic, rank, score=score))
    return links


# --- RDF with provenance ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Linking:
    """One run of the linker (a prov:Activity): which two documents, with which parameters, when."""

    source_id: str
    target_id: str
    source: URIRef
    target: URIRef
    parameters: Parameters
    started: dt.datetime

    @property
    def activity(self) -> URIRef:
        pair = f"{iris.safe_segment(self.source_id)}--{iris.safe_segment(self.target_id)}"
        return URIRef(f"{iris.BASE}linking/{pair}/{self.started:%Y%m%dT%H%M%SZ}".lower())

    def command(self) -> str:
        """The `policykg link` command that makes this run's candidate file."""
        return (
            f"policykg link --source {self.source_id} --target {self.target_id} "
            f"--top {self.parameters.top} --min-score {self.parameters.min_score}"
        )

    def header(self) -> list[str]:
        return [
            f"Automatic link candidates, {self.source_id} -> {self.target_id}: proposals to check, not curated links.",
            f"command: {self.command()}",
            f"method: {self.parameters.describe()}",
            f"created: {self.started.isoformat()} by PolicyKG {package.__version__}",
            "The build loads every file of this folder into the automatic-links graph and validates it. Regenerate",
            "this file with the command above when the documents change (tests/graph/test_linker.py fails if stale).",
        ]

    def graph(self, links: Iterable[Link]) -> Graph:
        """The links in the automatic-links graph, each prov:wasGeneratedBy this run, which records its parameters."""
        links = list(links)
        graph = links_graph(links, AUTOMATIC_GRAPH)
        activity = self.activity
        graph.add((activity, RDF.type, PROV.Activity))
        graph.add((activity, SKOS.prefLabel, Literal("自动推荐关联", lang="zh")))
        graph.add((activity, SKOS.prefLabel, Literal("Automatic linking", lang="en")))
        graph.add((activity, PROV.startedAtTime, Literal(self.started.isoformat(), datatype=XSD.dateTime)))
        graph.add((activity, PROV.used, self.source))
        graph.add((activity, PROV.used, self.target))
        graph.add((activity, PROV.wasAssociatedWith, SOFTWARE))
        graph.add((activity, DCTERMS.description, Literal(self.command(), lang="en")))
        graph.add((activity, DCTERMS.description, Literal(self.parameters.describe(), lang="en")))
        for link in links:
            graph.add((link.iri, PROV.wasGeneratedBy, activity))
        return graph

    def write(self, path: Path, links: Iterable[Link]) -> None:
        """The links as Turtle after a comment header saying what made the file."""
        path.parent.mkdir(parents=True, exist_ok=True)
        comment = "".join(f"# {line}\n" for line in self.header())
        path.write_text(comment + "\n" + self.graph(links).serialize(format="turtle"), encoding="utf-8")
