"""Links between documents: the curated linkset (`linkset`), the automatic candidates the linker proposes, the
links the texts' own citations give (`citing`), a new task table's candidates on arrival (`arrival`), and a curator's
decisions on the candidates, kept in links.toml (`curation`).

Imports `graph.ingest`, `graph.rdf` and the shared leaves, nothing above them.
"""

__all__ = ["arrival", "citing", "curation", "linker", "linkset"]
