"""`policykg build --publish URL`: copy a release's graphs to a remote SPARQL store, graph by graph.

Each graph is loaded into a staging graph and then moved over the published one with SPARQL 1.1 `MOVE`, so
readers of the remote store see each graph whole, old or new. Graphs of PolicyKG's that the release no
longer has are dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyoxigraph

from graph.store.releases import STORE
from graph.store.remote import RemoteStore


def publish(release: Path, remote: RemoteStore, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    """Publish every named graph of the release; returns the number of triples per graph."""
    say = progress or (lambda _message: None)
    store = pyoxigraph.Store.read_only(str(release / STORE))
    published: dict[str, int] = {}
    for name in sorted(store.named_graphs(), key=str):
        if not isinstance(name, pyoxigraph.NamedNode):
            continue
        quads = list(store.quads_for_pattern(None, None, None, name))
        say(f"publishing {name.value} ({len(quads):,} triples)")
        remote.replace_graph(name.value, quads)
        published[name.value] = len(quads)
    for stale in set(remote.graph_names()) - set(published):
        say(f"dropping {stale}, which this release no longer has")
        remote.drop_graph(stale)
    return published
