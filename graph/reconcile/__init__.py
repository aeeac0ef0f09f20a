"""Reconciliation (the W3C Reconciliation Service API that OpenRefine speaks): matching names to our entities
(`match`), and data extension and previews of the entities matched (`extend`).

Imports `graph.views`, `graph.rdf` and the shared leaves.
"""

__all__ = ["extend", "match"]
