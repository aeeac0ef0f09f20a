"""The store and SPARQL: the embedded pyoxigraph store of a release and a remote SPARQL 1.1 server behind one
interface, killable query workers, result budgets, stored queries, the lexical scan of SPARQL text, and the read
side of releases on disk (which release is current).

Imports `graph.rdf` and the shared leaves only: a query worker loads neither ingestion nor validation.
"""

__all__ = ["base", "embedded", "queries", "releases", "remote", "results", "sparql_text", "update", "workers"]
