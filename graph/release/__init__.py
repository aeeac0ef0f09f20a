"""Making releases: `policykg build` (build), `policykg add` (add), files people bring into a release with no
manifest editing (files), writing a release atomically (write), what changed since the release before (changes)
and its Atom feed (feed), and copying a release to a remote store (publish).

Imports `graph.ingest`, `graph.links`, `graph.checks`, `graph.store`, `graph.rdf` and the shared leaves.
"""

__all__ = ["add", "build", "changes", "feed", "files", "publish", "write"]
