"""What people and programs read: the records behind every JSON route and HTML page (`records`, with the
examples the API's documentation shows of them in `examples`), the dataset's description of itself
(`description`: Service Description, VoID, DCAT) and what a build holds (`stats`).

Imports `graph.store`, `graph.rdf` and the shared leaves; never ingestion, validation or the write side of releases.
"""

__all__ = ["description", "examples", "records", "stats"]
