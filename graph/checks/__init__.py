"""Checking a graph: SHACL validation (`shacl`), OWL consistency with HermiT (`owl`), the check of one uploaded
file (`upload`, run in a killable child by `sandbox`), and what a check found, for people and tools (`report`).

Imports `graph.ingest`, `graph.readers`, `graph.rdf` and the shared leaves, nothing above them.
"""

__all__ = ["owl", "report", "sandbox", "shacl", "upload"]
