"""Ingestion: documents in, RDF out. The manifest, the agency registry, tables interpreted into tasks, prose
provisions, and the triples of each; `kinds` says how each input kind is read and converted.

Imports `graph.readers`, `graph.rdf` and the shared leaves (`errors`, `text`, `bundled`), nothing above them.
"""

__all__ = ["agencies", "kinds", "manifest", "provisions", "table", "triples"]
