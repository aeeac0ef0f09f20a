"""Links between documents: the curated linkset (`linkset`), the automatic candidates the linker proposes, and the
links the texts' own citations give (`citing`).

Imports `graph.ingest`, `graph.rdf` and the shared leaves, nothing above them.
"""

__all__ = ["citing", "linker", "linkset"]
