"""What the HTML pages show: home, one page per kind of resource, named graphs, SPARQL results and the search.

Pages read the graph through graph.views (whose SPARQL is in queries/views/*.rq) and are rendered by
api/pages/render.py's `Renderer`; the routes that serve them are in api/routes/.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph
from fastapi import Request
from fastapi.responses import HTMLResponse

from api.errors import APIError
from api.pages.render import ROWS, SEARCH_TASKS, Renderer, curie, local
from graph.rdf.namespaces import DCTERMS, PKG, RDF, RDFS, SKOS, XSD
from graph.views.description import available_dumps
from graph.views.records import DocumentCoverage, Labels, Policy, PolicySummary, Ref, Task, TaskFilter, Views, labels_of

GRAPH_PAGE = 200  # subjects per page of a named graph
BUSIEST = 10  # agencies on the home page
SEARCH_CHARS = 200  # longest search text
LABEL_PROPERTIES = frozenset({str(SKOS.prefLabel), str(DCTERMS.title), str(RDFS.label)})
PLAIN_DATATYPES = frozenset({str(XSD.string), str(RDF.langString)})


# --- what templates show ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Term:
    """An RDF term as a page shows it: a link with its label, a literal with its language or datatype, a blank."""

    text: str
    iri: str | None = None
    label: Labels | None = None
    language: str | None = None
    datatype: str | None = None
    blank: bool = False


@dataclass(frozen=True)
class Statement:
    predicate: Term
    value: Term
    details: list[tuple[Term, Term]] = field(default_factory=list)  # the properties of a blank-node value


@dataclass(frozen=True)
class Subject:
    """One subject of a named graph: its labels and types as that graph states them."""

    node: Term
    label: Labels
    types: list[Term]
    triples: int
    anchor: str | None


@dataclass(frozen=True)
class Found:
    policies: list[PolicySummary]
    units: list[Ref]
    tasks: list[Task]
    more_tasks: bool


# --- terms -----------------------------------------------------------------------------------------------
Labeller = Callable[[str], Labels]


def term(label: Labeller, node: object) -> Term:
    if isinstance(node, pyoxigraph.NamedNode):
        return Term(node.value, iri=node.value, label=label(node.value))
    if isinstance(node, pyoxigraph.Literal):
        datatype = node.datatype.value
        plain = node.language or datatype in PLAIN_DATATYPES
        return Term(node.value, language=node.language, datatype=None if plain else curie(datatype))
    if isinstance(node, pyoxigraph.BlankNode):
        return Term(f"_:{node.value}", blank=True)
    return Term("" if node is None else str(node))


def page_labels(views: Views) -> Labeller:
    """Labels looked up for one page only. The IRIs in a query's results are the client's to choose (any number
    can be minted with IRI()), so they must not grow the labels Views keeps for the graph's own resources."""
    known: dict[str, Labels] = {}

    def label(iri: str) -> Labels:
        if iri not in known:
            known[iri] = labels_of(views.rows("labels", this=iri))
        return known[iri]

    return label


def _iri(node: object) -> str:
    return node.value if isinstance(node, pyoxigraph.NamedNode) else ""


def _number(node: object) -> int:
    return int(node.value) if isinstance(node, pyoxigraph.Literal) and node.value.isdigit() else 0


# --- home and search -------------------------------------------------------------------------------------
def home(render: Renderer, release: Path | None) -> HTMLResponse:
    """The front page: a search box, counts, the documents, the busiest agencies, the named graphs."""
    views = render.views
    classes = {_iri(row["class"]): _number(row["entities"]) for row in views.rows("class-sizes")}
    agencies = views.agencies()
    counts = {
        "policies": classes.get(str(PKG.Policy), 0),
        "categories": classes.get(str(PKG.Category), 0),
        "tasks": classes.get(str(PKG.Task), 0),
        "agencies": len(agencies),
        "triples": len(views.store),
    }
    graphs = [(_iri(row["graph"]), _number(row["triples"])) for row in views.rows("graph-sizes")]
    return render(
        "home.html",
        counts=counts,
        policies=views.policies(),
        agencies=agencies[:BUSIEST],
        graphs=graphs,
        dumps=available_dumps(release),
    )


def find(views: Views, text: str) -> Found:
    """The search the JSON API runs (Views.search), with full records for the page's lists and task table."""
    found: dict[str, list[str]] = defaultdict(list)
    for hit in views.search(text):
        found[hit.kind].append(hit.iri)
    policies = [policy for policy in views.policies() if policy.iri in set(found["policy"])]
    units = [views.ref(iri) for iri in found["agency"]]
    tasks = found["task"]
    return Found(policies, units, views.tasks(tasks[:SEARCH_TASKS]), len(tasks) > SEARCH_TASKS)


# --- resource pages --------------------------------------------------------------------------------------
PageContext = tuple[str, dict[str, Any]]


def resource_page(render: Renderer, iri: str) -> HTMLResponse:
    """The page of any resource: by its type a policy, task, category or agency page, else its properties."""
    views = render.views
    types = views.types(iri)
    builder = next((build for kind, build in PAGES.items() if kind in types), None)
    found = builder(views, iri) if builder is not None else None
    template, context = found or ("resource.html", describe(views, iri))
    return render(template, iri=iri, path=local(views.base, iri), **context)


def policy_context(views: Views, iri: str) -> PageContext | None:
    policy = views.policy(iri)
    if policy is None:
        return None
    tasks = views.tasks(views.task_iris(TaskFilter(policy=iri)))
    by_category: dict[str | None, list[Task]] = defaultdict(list)
    for task in tasks:
        by_category[task.category.iri if task.category else None].append(task)
    sections: list[tuple[Any, list[Task]]] = [
        (category, by_category[category.iri]) for category in views.categories(policy=iri)
    ]
    if by_category.get(None):  # a table without a 分类 column
        sections.append((None, by_category[None]))
    outline = views.outline(iri)
    has_measures = any(provision.measure for provision in outline.provisions.values())
    context = {
        "policy": policy,
        "sections": sections,
        "category_count": len(sections) - (1 if by_category.get(None) else 0),
        "task_count": len(tasks),
        "contents": outline.contents(),
        "coverage": views.coverage(iri) if has_measures else None,
    }
    return "policy.html", context


def task_context(views: Views, iri: str) -> PageContext | None:
    task = views.task(iri, with_row=True)
    if task is None:
        return None
    continued = _continued_rows(views, task.source_row.iri) if task.source_row else {}
    related = views.related(iri)
    return "task.html", {
        "task": task,
        "chain": implementation_chain(views, task.policy.iri),
        "continued": continued,
        "related": [each for each in related if each.method == "curated"],
        "candidates": [each for each in related if each.method != "curated" and each.kind == "similar"],
        "accepted": {each.target.iri for each in related if each.method == "curated"},
        "citations": [link for link in views.citation_links(citing=task.policy.iri) if link.source.iri == iri],
    }


def _continued_rows(views: Views, row: str) -> dict[str, str]:
    """The rows whose merged 分类 / 责任单位 cell this row continues, by column."""
    columns = {str(PKG.inheritsCategoryFrom): "分类", str(PKG.inheritsUnitsFrom): "责任单位"}
    return {
        columns[triple.predicate.value]: _iri(triple.object)
        for triple in views.describe(row)
        if _iri(triple.subject) == row and triple.predicate.value in columns
    }


def implementation_chain(views: Views, start: str, limit: int = 6) -> list[tuple[str, Policy]]:
    """From a document up: what it is an attachment of and what that implements, with how each step links."""
    chain: list[tuple[str, Policy]] = []
    queue, seen = [("start", start)], set()
    while queue and len(chain) < limit:
        relation, iri = queue.pop(0)
        policy = views.policy(iri) if iri not in seen else None
        if policy is None:
            continue
        seen.add(iri)
        chain.append((relation, policy))
        if policy.attachment_of is not None:
            queue.append(("attachment_of", policy.attachment_of.iri))
        queue.extend(("implements", ref.iri) for ref in policy.implements)
    return chain


def category_context(views: Views, iri: str) -> PageContext | None:
    category = views.category_detail(iri)
    return ("category.html", {"category": category}) if category is not None else None


def agency_context(views: Views, iri: str) -> PageContext | None:
    agency = views.agency_detail(iri)
    if agency is None:
        return None
    children = [views.ref(_iri(row["value"])) for row in views.rows("unit-facts", agency=iri) if _is(row, "child")]
    return "agency.html", {"agency": agency, "children": children}


def _is(row: dict[str, object], relation: str) -> bool:
    return getattr(row["relation"], "value", None) == relation


def provision_context(views: Views, iri: str) -> PageContext | None:
    provision = views.provision_detail(iri)
    return ("provision.html", {"provision": provision}) if provision is not None else None


def link_context(views: Views, iri: str) -> PageContext | None:
    link = views.link(iri)
    if link is None:
        return None
    context = {"link": link, "task": views.task(link.source.iri), "target": views.provision(link.target.iri)}
    return "link.html", context


PAGES: dict[str, Callable[[Views, str], PageContext | None]] = {
    str(PKG.Task): task_context,
    str(PKG.Policy): policy_context,
    str(PKG.Category): category_context,
    str(PKG.Agency): agency_context,
    str(PKG.AgencyGroup): agency_context,
    str(PKG.ResponsibleUnit): agency_context,
    str(PKG.Provision): provision_context,
    str(PKG.Link): link_context,
}


# --- coverage --------------------------------------------------------------------------------------------
def coverages(views: Views, document: str | None) -> list[DocumentCoverage]:
    """The coverage of the document `document` names (its id or manifest id), or of every document with measures."""
    if document is None:
        return [views.coverage(iri) for iri in views.measure_documents()]
    iri = views.document(document)
    if iri is None:
        raise APIError(404, "not_found", f"no policy document with id {document!r}")
    return [views.coverage(iri)]


def describe(views: Views, iri: str) -> dict[str, Any]:
    """A resource's properties and the statements that point at it, as terms with labels."""
    node = pyoxigraph.NamedNode(iri)
    triples = views.describe(iri)
    blanks: dict[str, list[tuple[Term, Term]]] = defaultdict(list)
    for triple in triples:
        if isinstance(triple.subject, pyoxigraph.BlankNode):
            blanks[triple.subject.value].append((term(views.label, triple.predicate), term(views.label, triple.object)))
    outgoing = [
        Statement(term(views.label, t.predicate), term(views.label, t.object), _details(blanks, t.object))
        for t in triples
        if t.subject == node
    ]
    incoming = [(term(views.label, t.subject), term(views.label, t.predicate)) for t in triples if t.object == node]
    outgoing.sort(key=lambda s: (s.predicate.text, s.value.text))
    incoming.sort(key=lambda pair: (pair[1].text, pair[0].text))
    return {
        "heading": views.label(iri),
        "types": [s.value for s in outgoing if s.predicate.iri == str(RDF.type)],
        "statements": outgoing[:ROWS],
        "incoming": incoming[:ROWS],
        "capped": max(len(outgoing), len(incoming)) > ROWS,
    }


def _details(blanks: dict[str, list[tuple[Term, Term]]], node: object) -> list[tuple[Term, Term]]:
    return blanks.get(node.value, []) if isinstance(node, pyoxigraph.BlankNode) else []


# --- named graphs ----------------------------------------------------------------------------------------
def graph_page(render: Renderer, iri: str, quads: list[pyoxigraph.Quad]) -> HTMLResponse:
    """A named graph (or the ontology): its IRI, size and subjects, GRAPH_PAGE to a page."""
    request, views = render.request, render.views
    everything = subjects(views, quads, views.iri(request.url.path.lstrip("/")))
    pages = max(1, -(-len(everything) // GRAPH_PAGE))
    page = min(_page_number(request), pages)
    shown = everything[(page - 1) * GRAPH_PAGE : page * GRAPH_PAGE]
    return render(
        "graph.html",
        iri=iri,
        path=local(views.base, iri),
        here=request.url.path,
        heading=views.label(iri),
        size=len(quads),
        subjects=shown,
        subject_count=len(everything),
        page=page,
        pages=pages,
        first=(page - 1) * GRAPH_PAGE + 1,
        per_page=GRAPH_PAGE,
    )


def subjects(views: Views, quads: Iterable[pyoxigraph.Quad], page_iri: str) -> list[Subject]:
    """The graph's subjects in IRI order, labelled and typed from the graph's own triples."""
    grouped: dict[pyoxigraph.NamedNode | pyoxigraph.BlankNode, list[pyoxigraph.Quad]] = defaultdict(list)
    for quad in quads:
        if isinstance(quad.subject, pyoxigraph.NamedNode | pyoxigraph.BlankNode):
            grouped[quad.subject].append(quad)
    ordered = sorted(grouped.items(), key=lambda item: (isinstance(item[0], pyoxigraph.BlankNode), item[0].value))
    return [_subject(views, node, own, page_iri) for node, own in ordered]


def _subject(
    views: Views, node: pyoxigraph.NamedNode | pyoxigraph.BlankNode, quads: list[pyoxigraph.Quad], page_iri: str
) -> Subject:
    """A subject's row; a hash IRI of the page's own document gets an anchor, so `/ontology#Task` lands on it."""
    labels: dict[str, str] = {}
    for quad in quads:
        if quad.predicate.value in LABEL_PROPERTIES and isinstance(quad.object, pyoxigraph.Literal):
            labels.setdefault((quad.object.language or "zh").split("-")[0], quad.object.value)
    types = [term(views.label, q.object) for q in quads if q.predicate.value == str(RDF.type)]
    document, _, anchor = node.value.partition("#")
    here = anchor if isinstance(node, pyoxigraph.NamedNode) and document == page_iri else None
    return Subject(
        term(views.label, node), Labels(zh=labels.get("zh"), en=labels.get("en")), types, len(quads), here or None
    )


def _page_number(request: Request) -> int:
    text = request.query_params.get("page", "1")
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 10**6 else 1


# --- SPARQL ----------------------------------------------------------------------------------------------
def sparql_page(render: Renderer, query: str | None, result: object) -> HTMLResponse:
    """The query form, the stored example queries, and the results of `query` when there is one."""
    return render("sparql.html", query=query, **results(render.views, result))


def results(views: Views, result: object) -> dict[str, Any]:
    """Rows of terms for the results table (at most ROWS, `capped` if there were more), or the ASK answer."""
    label = page_labels(views)
    if isinstance(result, pyoxigraph.QueryBoolean):
        return {"kind": "boolean", "answer": bool(result)}
    if isinstance(result, pyoxigraph.QuerySolutions):
        columns = [variable.value for variable in result.variables]
        solutions = list(itertools.islice(result, ROWS + 1))
        rows = [[term(label, solution[name]) for name in columns] for solution in solutions[:ROWS]]
        return {"kind": "solutions", "columns": columns, "rows": rows, "capped": len(solutions) > ROWS}
    if isinstance(result, pyoxigraph.QueryTriples | list):  # a list: triples parsed from a worker's answer
        triples = list(itertools.islice(result, ROWS + 1))
        rows = [[term(label, part) for part in (t.subject, t.predicate, t.object)] for t in triples[:ROWS]]
        return {
            "kind": "triples",
            "columns": ["subject", "predicate", "object"],
            "rows": rows,
            "capped": len(triples) > ROWS,
        }
    return {"kind": None}
