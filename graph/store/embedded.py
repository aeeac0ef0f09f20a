"""The embedded pyoxigraph store of a release, and the one way the rest of PolicyKG queries a store.

Queries see the union of all named graphs as their default graph unless the request names a dataset
(`default-graph-uri` / `named-graph-uri`, or FROM / FROM NAMED in the query), as the SPARQL 1.1 Protocol
says. FROM and FROM NAMED only ever select graphs already in the store: nothing is fetched or read from disk.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pyoxigraph

from graph.errors import ConfigError
from graph.rdf.prefixes import PREFIXES
from graph.store.base import Dataset, QueryResult
from graph.store.queries import Bindings
from graph.store.releases import STORE, current_release
from graph.store.sparql_text import names_dataset
from graph.store.workers import Job, Outcome, evaluate


class EmbeddedStore:
    """A pyoxigraph store, opened read-only unless writes are allowed."""

    def __init__(self, store: pyoxigraph.Store, path: Path | None = None, writable: bool = False) -> None:
        self._store = store
        self.path = path
        self.writable = writable

    @classmethod
    def open(cls, path: Path, writable: bool = False) -> EmbeddedStore:
        if not (path / "CURRENT").is_file() and not any(path.glob("*.sst")):
            raise ConfigError(f"{path}: not a pyoxigraph store")
        store = pyoxigraph.Store(str(path)) if writable else pyoxigraph.Store.read_only(str(path))
        return cls(store, path, writable)

    @classmethod
    def in_memory(cls, quads: Sequence[pyoxigraph.Quad] = ()) -> EmbeddedStore:
        store = pyoxigraph.Store()
        store.extend(quads)
        return cls(store, None, writable=True)

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        dataset: Dataset | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Evaluate a query. Raises SyntaxError for a malformed query (message with line:column)."""
        options: dict[str, object] = {"prefixes": PREFIXES, "substitutions": bindings or None, "base_iri": base_iri}
        if dataset is not None and dataset.given:
            options["default_graph"] = [pyoxigraph.NamedNode(iri) for iri in dataset.default_graphs]
            options["named_graphs"] = [pyoxigraph.NamedNode(iri) for iri in dataset.named_graphs]
        elif not names_dataset(sparql):
            options["use_default_graph_as_union"] = True
        return self._store.query(sparql, **options)  # type: ignore[arg-type]

    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._require_writable()
        self._store.update(sparql, base_iri=base_iri, prefixes=PREFIXES)

    def graph_names(self) -> list[str]:
        return sorted(node.value for node in self._store.named_graphs() if isinstance(node, pyoxigraph.NamedNode))

    def has_graph(self, iri: str) -> bool:
        return self._store.contains_named_graph(pyoxigraph.NamedNode(iri))

    def quads(self, graph: str | None) -> Iterator[pyoxigraph.Quad]:
        """The quads of a named graph, or of the default graph when `graph` is None."""
        name = pyoxigraph.DefaultGraph() if graph is None else pyoxigraph.NamedNode(graph)
        return iter(self._store.quads_for_pattern(None, None, None, name))

    def all_quads(self) -> Iterator[pyoxigraph.Quad]:
        return iter(self._store)

    def replace_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None:
        self._require_writable()
        self.drop_graph(graph)
        self.add_to_graph(graph, quads)

    def add_to_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None:
        self._require_writable()
        name = pyoxigraph.DefaultGraph() if graph is None else pyoxigraph.NamedNode(graph)
        self._store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, name) for q in quads)

    def drop_graph(self, graph: str | None) -> bool:
        self._require_writable()
        if graph is None:
            self._store.clear_graph(pyoxigraph.DefaultGraph())
            return True
        if not self.has_graph(graph):
            return False
        self._store.remove_graph(pyoxigraph.NamedNode(graph))
        return True

    def evaluate(self, job: Job) -> Outcome:
        """Evaluate and serialise a job in this thread (what a query worker does, without the deadline)."""
        return evaluate(self._store, job)

    @property
    def raw(self) -> pyoxigraph.Store:
        """The pyoxigraph store itself, for evaluation in a worker thread (graph.store.workers.evaluate)."""
        return self._store

    def __len__(self) -> int:
        return len(self._store)

    def _require_writable(self) -> None:
        if not self.writable:
            raise PermissionError("this store is read-only")


def open_current(out: Path, writable: bool = False) -> EmbeddedStore:
    """The store of the current release under `out`; ConfigError if nothing was built yet."""
    release = current_release(out)
    if release is None:
        raise ConfigError(f"{out}: no build yet; run `policykg build` first")
    return EmbeddedStore.open(release / STORE, writable)


def run_query(store: EmbeddedStore, query: str, bindings: Bindings | None = None) -> QueryResult:
    """Evaluate a SPARQL query over all graphs, PolicyKG's prefixes predeclared, `bindings` substituted."""
    return store.query(query, bindings)
