"""RDF basics shared by every room: prefixes and namespaces, how IRIs are minted, rdflib <-> pyoxigraph terms,
safe parsing.

Imports only `graph.errors` and third-party RDF libraries.
"""

__all__ = ["compat", "iris", "namespaces", "parse", "prefixes", "terms"]
