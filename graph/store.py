"""The embedded pyoxigraph store of a release: opened read-only, queried with the default graph as the union."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph

from graph.errors import ConfigError
from graph.namespaces import PREFIXES
from graph.queries import Bindings
from graph.release import STORE, current_release

QueryResult = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples


def open_current(out: Path) -> pyoxigraph.Store:
    """The store of the current release under `out`, read-only; ConfigError if nothing was built yet."""
    release = current_release(out)
    if release is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    return pyoxigraph.Store.read_only(str(release / STORE))


def run_query(store: pyoxigraph.Store, query: str, bindings: Bindings | None = None) -> QueryResult:
    """Evaluate a SPARQL query over all graphs, PolicyKG's prefixes predeclared, `bindings` substituted."""
    return store.query(query, use_default_graph_as_union=True, prefixes=PREFIXES, substitutions=bindings or None)
