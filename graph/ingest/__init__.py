"""Ingestion: documents in, RDF out. The manifest, the agency registry and jurisdictions, tables interpreted into
tasks, prose provisions, and the triples of each; `kinds` says how each input kind is read and converted; what a
document's text says about itself (`metadata`, `numbers`) and what it cites (`citations`); the manifest entry
made from them for a file people bring (`entries`).

Imports `graph.readers`, `graph.rdf` and the shared leaves (`errors`, `text`, `bundled`), nothing above them.
"""

__all__ = [
    "agencies",
    "citations",
    "deadlines",
    "entries",
    "headed",
    "jurisdictions",
    "kinds",
    "manifest",
    "metadata",
    "numbers",
    "provisions",
    "table",
    "tasks",
    "triples",
]
