"""RDF for a prose document's provisions: parts, items (measures), chapters, sections, articles, paragraphs.

opinions   {document}/part/{n}, {document}/part/{n}/item/{m}
laws       {document}/chapter/{n}[/section/{m}], {document}/article/{n} (numbered through the law),
           {document}/article/{n}/paragraph/{k}[/item/{m}]
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD
from rdflib.term import Node

from graph.errors import Location
from graph.ingest.manifest import Document
from graph.ingest.triples import new_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.readers.prose import ProseDocument, Provision

CLASSES = {
    "part": PKG.Part,
    "item": PKG.Item,
    "chapter": PKG.Chapter,
    "section": PKG.Section,
    "article": PKG.Article,
    "paragraph": PKG.Paragraph,
}
_EN = {"part": "Part", "item": "Item", "chapter": "Chapter", "section": "Section", "article": "Article",
       "paragraph": "Paragraph"}  # fmt: skip


def provision_iri(parent: URIRef, document: URIRef, node: Provision) -> URIRef:
    """Articles hang off the document (numbered through the law); everything else off its parent."""
    base = document if node.kind == "article" else parent
    return URIRef(f"{base}/{node.kind}/{int(node.number)}")


def prose_graph(document: Document, prose: ProseDocument) -> tuple[Graph, dict[Node, Location]]:
    """The document's provisions as RDF, and where in the file each came from."""
    graph = new_graph(iris.named_graph(document.id))
    places: dict[Node, Location] = {}
    if prose.preamble:
        graph.add((document.iri, PKG.preamble, Literal("\n".join(prose.preamble), lang="zh")))
    if prose.incomplete:
        graph.add((document.iri, PKG.incomplete, Literal(True)))
    for node in prose.provisions:
        _provision(graph, places, document, prose.source, node, document.iri, "")
    return graph, places


def _provision(
    graph: Graph,
    places: dict[Node, Location],
    document: Document,
    source: str,
    node: Provision,
    parent: URIRef,
    path_label: str,
) -> None:
    iri = provision_iri(parent, document.iri, node)
    places[iri] = Location(source, line=node.line, page=node.page)
    graph.add((iri, RDF.type, PKG.Provision))
    graph.add((iri, RDF.type, CLASSES[node.kind]))
    if node.kind == "item" and node_is_measure(document, parent):
        graph.add((iri, RDF.type, PKG.Measure))
    graph.add((iri, PKG.document, document.iri))
    graph.add((iri, PKG.parent, parent))
    graph.add((iri, PKG.provisionNumber, Literal(node.number)))
    graph.add((iri, SKOS.notation, Literal(node.notation)))
    label = _label(node, path_label)
    graph.add((iri, SKOS.prefLabel, Literal(label, lang="zh")))
    graph.add((iri, SKOS.prefLabel, Literal(_english(document, node, parent), lang="en")))
    if node.heading:
        graph.add((iri, PKG.heading, Literal(node.heading, lang="zh")))
    text = _full_text(node)
    if text:
        graph.add((iri, PKG.text, Literal(text, lang="zh")))
    child_path = label if node.kind in ("part", "article") else path_label
    for child in node.children:
        _provision(graph, places, document, source, child, iri, child_path)


def node_is_measure(document: Document, parent: URIRef) -> bool:
    """Items directly under a part the manifest lists in `measure_parts`."""
    return any(str(parent) == f"{document.iri}/part/{n}" for n in document.measure_parts)


def _label(node: Provision, path_label: str) -> str:
    """二（三）加快推进…, 第二十条, 第二十条第二款: the notation as Chinese documents cite it, with the heading."""
    if node.kind == "part":
        return f"{node.notation}、{node.heading}" if node.heading else node.notation
    if node.kind == "item" and path_label and not path_label.startswith("第"):
        prefix = path_label.split("、")[0]
        return f"{prefix}{node.notation}{node.heading or ''}"
    if node.kind in ("paragraph", "item") and path_label:
        return f"{path_label}{node.notation}"
    if node.kind in ("chapter", "section") and node.heading:
        return f"{node.notation} {node.heading}"
    return f"{node.notation}{node.heading or ''}" if node.kind == "item" else node.notation


def _english(document: Document, node: Provision, parent: URIRef) -> str:
    if node.kind == "item" and node_is_measure(document, parent):
        return f"Measure {str(parent).rsplit('/', 1)[-1]}.{node.number}"
    return f"{_EN[node.kind]} {node.number}"


def _full_text(node: Provision) -> str:
    """A provision's own text with the text of its paragraphs and items (an article's whole wording)."""
    own = node.text
    if node.kind not in ("article", "paragraph"):
        return own
    parts = [own] if own else []
    parts += [_full_text(child) for child in node.children if child.kind in ("paragraph", "item")]
    return "\n".join(part for part in parts if part)


__all__ = ["CLASSES", "XSD", "node_is_measure", "prose_graph", "provision_iri"]
