"""Making releases: `policykg build` (build), `policykg add` (add), a curator's decision on an automatic link
candidate (curate), files people bring into a release with no manifest editing (files), writing a release
atomically (write), what changed since the release before (changes) and its Atom feed (feed), and copying a
release to a remote store (publish).

Imports `graph.ingest`, `graph.links`, `graph.checks`, `graph.store`, `graph.rdf` and the shared leaves.
"""

__all__ = ["add", "build", "changes", "curate", "feed", "files", "publish", "write"]
