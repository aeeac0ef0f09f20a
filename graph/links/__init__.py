"""Links between documents: the curated linkset (`linkset`) and the automatic candidates the linker proposes.

Imports `graph.ingest`, `graph.rdf` and the shared leaves, nothing above them.
"""

__all__ = ["linker", "linkset"]
