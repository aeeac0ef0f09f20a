"""PolicyKG's graph layer: ontology, ingestion, validation and the store.

Nothing here knows about HTTP; `api/` turns requests and the command line into calls on this package.
"""

__version__ = "0.1.0"
