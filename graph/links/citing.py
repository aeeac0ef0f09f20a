"""Citations become links: what each text cites, resolved against the documents of the graph.

Every text of a document is read for citations (graph.ingest.citations): its opening (`pkg:preamble`), each
provision's own wording (an article's paragraphs one by one, an item with its heading) and each task's text. A
citation resolves to a document of the graph

- by its number, in any bracket variant (国办发[2021]26号 is 国办发〔2021〕26号), or else
- by its title (graph.ingest.citations.title_key: NFKC, no spaces), ignoring a version in brackets at the end of
  a title (中华人民共和国促进科技成果转化法（2015年修正）), and with 中华人民共和国 or without it (宪法 is
  中华人民共和国宪法). Documents sharing a title are versions of one work: the citation means the latest one dated
  no later than the citing document. Two different works answering one short title leave it unresolved.

and its 第X条(第Y款) to that article (paragraph) of the cited document when the graph holds it. 本条例第X条 and the like
are references inside the document and resolve to its own articles.

Each resolved citation gives links (pkg:Link, method automatic, the sentence it occurs in as its reason, ranked by
where the document first cites): from the citing task or provision to the article cited, or to the document when
no article is named; and one from the citing document to the cited document per kind. The kind is implementation
where the sentence says so (为贯彻落实《…》, 根据《…》…制定), else legal basis (cites); what implements a target is
not also linked as citing it. Each link also gets its shortcut triple
(`eli:implements` / `eli:cites`) unless the graph already states it, and none is made where a curated link of the
same source, target and kind exists. A citation of the document itself is ignored. A reference inside a document
(本条例第十四条第二款) links the citing provision to that provision of its own document, kind legal basis, rank 1.

A citation nothing in the graph answers is kept as a pkg:UnresolvedCitation with what it says (title, number, the
citation as written, its sentence, where it occurs); `resolve_pending` turns those a newly added document answers
into links.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph.ingest.citations import ArticleReference, Citation, find_citations, title_key
from graph.ingest.numbers import DocumentNumber, parse_number
from graph.ingest.triples import new_graph
from graph.links.linkset import SHORTCUTS, Link, add_link
from graph.rdf import iris
from graph.rdf.namespaces import DCTERMS, ELI, PKG
from graph.text import chinese_numeral

CITATIONS_GRAPH = URIRef(iris.BASE + "graph/links-citations")
_COUNTRY = "中华人民共和国"
_VERSION = re.compile(r"\((?:\d{4}年)?[^()]{0,12}(?:修正|修订|修改|版|本)\)$")  # after NFKC: （2015年修正） is (…)
_NUMERAL = "[一二三四五六七八九十百千零〇两0-9０-９]{1,8}"
_INTERNAL = re.compile(
    rf"本(?:法|条例|办法|规定|细则|规则|决定)第(?P<article>{_NUMERAL})条(?:第(?P<paragraph>{_NUMERAL})款)?"
)
_SENTENCE_END = "。！？!?\n"
_KIND_OF = {True: PKG.implementation, False: PKG.legalBasis}
_PROVISION_ORDER = ("part", "item", "chapter", "section", "article", "paragraph")

Exists = Callable[[URIRef], bool]


# --- the documents a citation can resolve to ------------------------------------------------------------------
@dataclass(frozen=True)
class Work:
    """A document of the graph as citations name it."""

    iri: URIRef
    title: str
    number: DocumentNumber | None
    date: str | None  # ISO 8601, compared as text


def title_keys(title: str) -> tuple[str, str | None]:
    """The key of a title without a version at its end, and its short form without 中华人民共和国 (or None)."""
    key = _VERSION.sub("", title_key(title))
    short = key.removeprefix(_COUNTRY)
    return key, short if short != key and short else None


@dataclass
class Works:
    """The documents of a graph by number and by title key, and a way to tell which articles it holds."""

    works: list[Work]
    exists: Exists
    by_number: dict[DocumentNumber, list[Work]] = field(default_factory=dict)
    by_title: dict[str, list[Work]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for work in self.works:
            if work.number is not None:
                self.by_number.setdefault(work.number, []).append(work)
            for key in title_keys(work.title):
                if key:
                    self.by_title.setdefault(key, []).append(work)

    @classmethod
    def of(cls, graph: Graph, exists: Exists | None = None) -> Works:
        """The documents `graph` describes (title, number, date); articles exist when `graph` types them."""
        found = [_work(graph, node) for node in graph.subjects(RDF.type, PKG.Policy) if isinstance(node, URIRef)]
        works = [work for work in found if work is not None]
        return cls(works, exists or (lambda iri: (iri, RDF.type, PKG.Provision) in graph))

    def resolve(self, citation: Citation, date: str | None) -> Work | None:
        """The document `citation` names, by number first, then by title; None if none or ambiguous."""
        if citation.number is not None and citation.number in self.by_number:
            return _version(self.by_number[citation.number], date)
        if citation.title is None:
            return None
        key, short = title_keys(citation.title)
        candidates = self.by_title.get(key) or (self.by_title.get(short) if short else None) or []
        if len({title_keys(work.title)[0] for work in candidates}) > 1:
            return None  # two different works answer this title
        return _version(candidates, date)

    def targets(self, work: Work, articles: tuple[ArticleReference, ...]) -> list[URIRef]:
        """The articles (paragraphs) of `work` named, those the graph holds; the document itself if none is."""
        found = []
        for reference in articles:
            article = URIRef(f"{work.iri}/article/{reference.article}")
            paragraph = URIRef(f"{article}/paragraph/{reference.paragraph}") if reference.paragraph else None
            chosen = paragraph if paragraph is not None and self.exists(paragraph) else article
            if self.exists(chosen):
                found.append(chosen)
        return list(dict.fromkeys(found)) or [work.iri]


def _work(graph: Graph, node: URIRef) -> Work | None:
    titles = [t for t in graph.objects(node, DCTERMS.title) if isinstance(t, Literal)]
    title = next((str(t) for t in sorted(titles) if t.language in ("zh", None)), None)
    if title is None:
        return None
    number = graph.value(node, PKG.documentNumber)
    date = graph.value(node, ELI.date_document)
    return Work(node, title, parse_number(str(number)) if number else None, str(date) if date else None)


def _version(candidates: list[Work], date: str | None) -> Work | None:
    """The latest version dated no later than `date` (any date when None); undated versions count as oldest."""
    usable = [work for work in candidates if date is None or work.date is None or work.date <= date]
    return max(usable, key=lambda work: (work.date or "", str(work.iri))) if usable else None


# --- where documents cite ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """A text that can cite: a document's opening, a provision's own wording, a task's text."""

    iri: URIRef
    document: URIRef
    text: str


@dataclass(frozen=True)
class Found:
    """A citation where it occurs, numbered through its document from 1."""

    place: Place
    citation: Citation
    order: int


def places(graph: Graph, document: URIRef) -> list[Place]:
    """The texts of `document` in document order: its opening, its provisions depth first, its tasks by number."""
    found: list[Place] = []
    preamble = graph.value(document, PKG.preamble)
    if preamble is not None:
        found.append(Place(document, document, str(preamble)))
    found += [place for node in _walk(graph, document) if (place := _provision_place(graph, document, node))]
    tasks = [node for node in graph.subjects(PKG.document, document) if (node, RDF.type, PKG.Task) in graph]
    for task in sorted(tasks, key=lambda node: _integer(graph.value(node, PKG.taskNumber))):
        text = graph.value(task, PKG.text)
        if isinstance(task, URIRef) and text:
            found.append(Place(task, document, str(text)))
    return found


def _children(graph: Graph, parent: URIRef) -> list[URIRef]:
    nodes = [n for n in graph.subjects(PKG.parent, parent) if isinstance(n, URIRef)]
    return sorted(nodes, key=lambda node: (_kind_rank(node), _integer(graph.value(node, PKG.provisionNumber))))


def _kind_rank(node: URIRef) -> int:
    kind = str(node).rsplit("/", 2)[-2]
    return _PROVISION_ORDER.index(kind) if kind in _PROVISION_ORDER else len(_PROVISION_ORDER)


def _walk(graph: Graph, parent: URIRef) -> Iterator[URIRef]:
    for child in _children(graph, parent):
        yield child
        yield from _walk(graph, child)


def _provision_place(graph: Graph, document: URIRef, node: URIRef) -> Place | None:
    """A provision's own wording (its children's removed), its heading first; an article's only paragraph is the
    article (第一条, not 第一条第一款)."""
    text = str(graph.value(node, PKG.text) or "")
    children = _children(graph, node)
    below = "\n".join(str(graph.value(child, PKG.text)) for child in children if graph.value(child, PKG.text))
    if below and text.endswith(below):
        text = text[: len(text) - len(below)].rstrip("\n")
    heading = graph.value(node, PKG.heading)
    text = "\n".join(part for part in (str(heading) if heading else "", text) if part)
    if not text:
        return None
    parent = graph.value(node, PKG.parent)
    if isinstance(parent, URIRef) and (parent, RDF.type, PKG.Article) in graph and len(_children(graph, parent)) == 1:
        return Place(parent, document, text)
    return Place(node, document, text)


def citations_of(graph: Graph, document: URIRef) -> list[Found]:
    """Every citation in the texts of `document`, numbered in document order; its own number is not one."""
    number = graph.value(document, PKG.documentNumber)
    own = parse_number(str(number)) if number else None
    found: list[Found] = []
    for place in places(graph, document):
        for citation in find_citations(place.text, own):
            found.append(Found(place, citation, len(found) + 1))
    return found


def internal_references(graph: Graph, document: URIRef) -> list[tuple[Place, URIRef, str]]:
    """本条例第十四条第二款 and the like: (where, the article or paragraph of this document, the sentence)."""
    found = []
    for place in places(graph, document):
        for match in _INTERNAL.finditer(place.text):
            article = chinese_numeral(match["article"]) or _digits(match["article"])
            paragraph = match["paragraph"] and (chinese_numeral(match["paragraph"]) or _digits(match["paragraph"]))
            target = URIRef(f"{document}/article/{article}")
            if paragraph and (URIRef(f"{target}/paragraph/{paragraph}"), RDF.type, PKG.Provision) in graph:
                target = URIRef(f"{target}/paragraph/{paragraph}")
            if (target, RDF.type, PKG.Provision) in graph and target != place.iri:
                found.append((place, target, sentence_at(place.text, match.start())))
    return found


def _integer(value: object) -> int:
    return int(str(value)) if isinstance(value, Literal) and str(value).isdigit() else 0


def _iris(nodes: Iterable[object]) -> list[URIRef]:
    return [node for node in nodes if isinstance(node, URIRef)]


def _digits(text: str) -> int | None:
    plain = unicodedata.normalize("NFKC", text)
    return int(plain) if plain.isdigit() else None


def sentence_at(text: str, offset: int) -> str:
    """The sentence of `text` around `offset` (up to and including its 。！？, within its line)."""
    start = max((text.rfind(mark, 0, offset) for mark in _SENTENCE_END), default=-1) + 1
    ends = [i for i in (text.find(mark, offset) for mark in _SENTENCE_END) if i >= 0]
    end = min(ends) + 1 if ends else len(text)
    return text[start:end].strip()


# --- links and unresolved citations -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Draft:
    """A link to be made, with what it was read from."""

    source: URIRef
    target: URIRef
    kind: URIRef
    order: int
    sentence: str
    text: str  # the citation as written


def drafts(found: Found, work: Work, works: Works) -> list[Draft]:
    """The links one resolved citation gives: from its place to what it names, and from its document to `work`."""
    kind = _KIND_OF[found.citation.implements]
    made = [Draft(found.place.document, work.iri, kind, found.order, found.citation.sentence, found.citation.text)]
    if found.place.iri != found.place.document:
        for target in works.targets(work, found.citation.articles):
            made.append(Draft(found.place.iri, target, kind, found.order, found.citation.sentence, found.citation.text))
    return made


def links_of(drafts: Iterable[Draft], graph: Graph) -> list[tuple[Link, bool]]:
    """One link per source, target and kind (its first citation), none where `graph` has the same curated link or
    a document implements what it would cite; each with whether its shortcut triple is still to be stated."""
    first: dict[tuple[URIRef, URIRef, URIRef], Draft] = {}
    for draft in sorted(drafts, key=lambda d: d.order):
        first.setdefault((draft.source, draft.target, draft.kind), draft)
    made = []
    for (source, target, kind), draft in first.items():
        if kind == PKG.legalBasis and (source, target, PKG.implementation) in first:
            continue  # implementing it says more than citing it
        link = _link(draft)
        curated = Link(source, target, kind, PKG.curated, 1).iri
        if (curated, RDF.type, PKG.Link) in graph:
            continue
        made.append((link, (source, SHORTCUTS[kind], target) not in graph))
    return made


def _link(draft: Draft) -> Link:
    verb = "says it implements" if draft.kind == PKG.implementation else "cites"
    return Link(
        source=draft.source,
        target=draft.target,
        kind=draft.kind,
        method=PKG.automatic,
        rank=draft.order,
        reason_zh=draft.sentence,
        reason_en=f"The text {verb} {draft.text} (the sentence, quoted as the Chinese reason)",
    )


def add_links(out: Graph, links: list[tuple[Link, bool]]) -> None:
    """The links in `out`, each with its shortcut triple where it is still to be stated."""
    for link, shortcut in links:
        add_link(out, link)
        if shortcut:
            out.add((link.source, SHORTCUTS[link.kind], link.target))


def unresolved_iri(found: Found) -> URIRef:
    key = f"{found.place.iri}|{found.order}|{found.citation.text}"
    return URIRef(f"{iris.BASE}citation/{hashlib.sha256(key.encode()).hexdigest()[:16]}")


def add_unresolved(out: Graph, found: Found) -> None:
    """A citation nothing in the graph answers, kept with what it says and where."""
    node, citation = unresolved_iri(found), found.citation
    out.add((node, RDF.type, PKG.UnresolvedCitation))
    out.add((node, SKOS.prefLabel, Literal(f"引用{citation.text}", lang="zh")))
    out.add((node, SKOS.prefLabel, Literal(f"Citation of {citation.text}", lang="en")))
    out.add((node, PKG.citedIn, found.place.iri))
    out.add((node, PKG.citingDocument, found.place.document))
    out.add((node, PKG.citationKind, _KIND_OF[citation.implements]))
    out.add((node, PKG.citationText, Literal(citation.text)))
    out.add((node, PKG.sentence, Literal(citation.sentence, lang="zh")))
    out.add((node, PKG.citationOrder, Literal(found.order, datatype=XSD.integer)))
    if citation.title is not None:
        out.add((node, PKG.citedTitle, Literal(citation.title)))
    if citation.number is not None:
        out.add((node, PKG.citedNumber, Literal(citation.number.text)))


def citation_links(graph: Graph, documents: Iterable[URIRef] | None = None, works: Works | None = None) -> Graph:
    """The citation links and unresolved citations of `documents` (default: every document of `graph`), resolved
    against `works` (default: the documents of `graph`), in the citations graph."""
    works = works or Works.of(graph)
    chosen = documents if documents is not None else sorted(_iris(graph.subjects(RDF.type, PKG.Policy)))
    out = new_graph(CITATIONS_GRAPH)
    made: list[Draft] = []
    for document in chosen:
        date = graph.value(document, ELI.date_document)
        for found in citations_of(graph, document):
            work = works.resolve(found.citation, str(date) if date else None)
            if work is None:
                add_unresolved(out, found)
            elif work.iri != document:
                made += drafts(found, work, works)
        for place, target, sentence in internal_references(graph, document):
            made.append(Draft(place.iri, target, PKG.legalBasis, 1, sentence, "a provision of the same document"))
    add_links(out, links_of(made, graph))
    return out


# --- resolving later ----------------------------------------------------------------------------------------------
def pending_citation(pending: Graph, node: URIRef) -> Found | None:
    """An unresolved citation as it was found: re-read from its text, with its sentence, kind, place and order."""
    text = str(pending.value(node, PKG.citationText) or "")
    place_iri, document = pending.value(node, PKG.citedIn), pending.value(node, PKG.citingDocument)
    if not text or not isinstance(place_iri, URIRef) or not isinstance(document, URIRef):
        return None
    title, number = pending.value(node, PKG.citedTitle), pending.value(node, PKG.citedNumber)
    again = find_citations(text)
    articles = again[0].articles if again else ()
    parsed = parse_number(str(number)) if number else None
    implements = pending.value(node, PKG.citationKind) == PKG.implementation
    sentence = str(pending.value(node, PKG.sentence) or text)
    citation = Citation(
        str(title) if title else None, parsed, articles, (), text, 0, len(text), 1, sentence, implements
    )
    order = _integer(pending.value(node, PKG.citationOrder)) or 1
    return Found(Place(place_iri, document, ""), citation, order)


def resolve_pending(pending: Graph, new: Works, graph: Graph | None = None) -> tuple[Graph, Graph]:
    """(links to add, triples to remove): the unresolved citations of `pending` that a document of `new` (the
    documents just added) answers become links, and their pkg:UnresolvedCitation nodes go. `pending` holds the
    unresolved citations and the citing documents' dates; `graph` what is already stated (curated links,
    shortcut triples), `pending` when None."""
    added, removed = new_graph(CITATIONS_GRAPH), new_graph(CITATIONS_GRAPH)
    made: list[Draft] = []
    for node in sorted(_iris(pending.subjects(RDF.type, PKG.UnresolvedCitation))):
        found = pending_citation(pending, node)
        date = pending.value(found.place.document, ELI.date_document) if found else None
        work = new.resolve(found.citation, str(date) if date else None) if found else None
        if found is None or work is None or work.iri == found.place.document:
            continue
        made += drafts(found, work, new)
        for triple in pending.triples((node, None, None)):
            removed.add(triple)
    add_links(added, links_of(made, graph if graph is not None else pending))
    return added, removed


__all__ = [
    "CITATIONS_GRAPH",
    "Draft",
    "Found",
    "Place",
    "Work",
    "Works",
    "citation_links",
    "citations_of",
    "internal_references",
    "places",
    "resolve_pending",
    "sentence_at",
    "title_keys",
]
