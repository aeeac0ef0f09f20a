"""Moving RDF terms between rdflib and pyoxigraph, keeping lexical forms exactly as they are."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

OxTerm = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


def to_rdflib(term: object) -> URIRef | BNode | Literal:
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype in (XSD_STRING, LANG_STRING):
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise ValueError("RDF-star triple terms are not accepted")


def to_oxigraph(term: Node) -> OxTerm:
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
        return pyoxigraph.Literal(str(term))
    raise ValueError(f"cannot convert {term!r}")


def triples_of(graph: Graph) -> Iterator[pyoxigraph.Triple]:
    for s, p, o in graph:
        yield pyoxigraph.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))  # type: ignore[arg-type]


def quads_of(graphs: Iterable[Graph]) -> Iterator[pyoxigraph.Quad]:
    """The triples of each graph as quads in the graph its identifier names."""
    for graph in graphs:
        name = to_oxigraph(graph.identifier)
        for s, p, o in graph:
            yield pyoxigraph.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), name)  # type: ignore[arg-type]


def graph_of(triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad], graph: Graph | None = None) -> Graph:
    """The triples (of quads: their triples) in `graph`, or in a new graph when none is given."""
    graph = Graph() if graph is None else graph
    for triple in triples:
        graph.add((to_rdflib(triple.subject), to_rdflib(triple.predicate), to_rdflib(triple.object)))
    return graph
