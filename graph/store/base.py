"""What PolicyKG needs of a store, whichever it is: the embedded pyoxigraph store (`graph.store.embedded`) or a
remote SPARQL 1.1 server (`graph.store.remote`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph

from graph.store.queries import Bindings
from graph.store.workers import Job, Outcome

QueryResult = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples | list[pyoxigraph.Triple]


@dataclass(frozen=True)
class Dataset:
    """The RDF dataset a request asks for; empty lists mean 'the store's own dataset'."""

    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


class Store(Protocol):
    """What the service needs of a store; `EmbeddedStore` and `RemoteStore` are the two kinds."""

    path: Path | None
    writable: bool

    def query(
        self, sparql: str, bindings: Bindings | None = None, dataset: Dataset | None = None, base_iri: str | None = None
    ) -> QueryResult: ...
    def update(self, sparql: str, base_iri: str | None = None) -> None: ...
    def evaluate(self, job: Job) -> Outcome: ...
    def graph_names(self) -> list[str]: ...
    def has_graph(self, iri: str) -> bool: ...
    def quads(self, graph: str | None) -> Iterator[pyoxigraph.Quad]: ...
    def all_quads(self) -> Iterator[pyoxigraph.Quad]: ...
    def replace_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None: ...
    def add_to_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None: ...
    def drop_graph(self, graph: str | None) -> bool: ...
    def __len__(self) -> int: ...
