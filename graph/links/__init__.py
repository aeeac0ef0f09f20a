"""Links between documents: the curated linkset (`linkset`), the automatic candidates the linker proposes, the
links the texts' own citations give (`citing`), and a new task table's candidates on arrival (`arrival`).

Imports `graph.ingest`, `graph.rdf` and the shared leaves, nothing above them.
"""

__all__ = ["arrival", "citing", "linker", "linkset"]
