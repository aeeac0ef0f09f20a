"""A remote SPARQL 1.1 server (tested with Virtuoso) as PolicyKG's store: queries, updates, graph publishing.

The service, the JSON API and the pages use it exactly as they use the embedded store. What differs:

- Parameters cannot be substituted server-side (SEP-0007 is pyoxigraph's), so a stored query's bound terms are
  written into a `VALUES` block at the start of its WHERE clause, each term serialised by pyoxigraph (N-Triples
  syntax, escaped): values are still typed terms, never text from a request.
- A SPARQL server holds graphs of its own (Virtuoso's system graphs); every query is confined to PolicyKG's
  graphs by sending them as the protocol's default and named graphs, so answers match the embedded store.
- Answers are read as SPARQL JSON / N-Triples and parsed by pyoxigraph (Virtuoso's ASK comes back as a one-row
  table and its JSON escapes every CJK character; both are normalised here). Virtuoso's `timeout` returns
  partial results with `X-SQL-State: S1TAT`; that is reported as a timeout, never passed on as an answer.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pyoxigraph

from graph.rdf.prefixes import PREFIXES
from graph.store.queries import Bindings
from graph.store.results import serialize_boolean, serialize_solutions, serialize_triples
from graph.store.sparql_text import names_dataset, tokens, words
from graph.store.workers import Job, Outcome, QueryTimeout

GRAPH_PREFIX_PATH = "graph/"
_ASK_COLUMN = "__ASK_RETVAL"
_INSERT_CHUNK = 500


class RemoteError(RuntimeError):
    """The remote store refused or failed a request; the message says which and why (without internals)."""


class RemoteTimeout(RemoteError):
    pass


@dataclass(frozen=True)
class RemoteDataset:
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


def with_values(query: str, bindings: Bindings | None) -> str:
    """The query with `VALUES (?a ?b) { (<x> "y") }` at the start of its top-level WHERE group."""
    if not bindings:
        return query
    where = next((w.offset for w in words(query) if w.text == "WHERE" and w.braces == 0), None)
    if where is None:
        raise ValueError("a query with parameters needs a WHERE clause to bind them in")
    brace = next(offset for offset, token in tokens(query) if offset > where and token == "{")
    variables = " ".join(f"?{variable.value}" for variable in bindings)
    values = " ".join(str(term) for term in bindings.values())
    return f"{query[: brace + 1]} VALUES ({variables}) {{ ({values}) }} {query[brace + 1 :]}"


def _has_blank(quad: pyoxigraph.Quad | pyoxigraph.Triple) -> bool:
    return isinstance(quad.subject, pyoxigraph.BlankNode) or isinstance(quad.object, pyoxigraph.BlankNode)


def _named(graph: str | None) -> pyoxigraph.NamedNode:
    if graph is None:
        raise ValueError("on a remote store, writes name their graph (?graph=IRI); the default graph is the union")
    return pyoxigraph.NamedNode(graph)


def _boolean(table: pyoxigraph.QuerySolutions) -> pyoxigraph.QueryBoolean:
    answer = any(row[_ASK_COLUMN] is not None and row[_ASK_COLUMN].value not in ("0", "false") for row in table)
    body = b'{"head":{},"boolean":true}' if answer else b'{"head":{},"boolean":false}'
    result = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
    assert isinstance(result, pyoxigraph.QueryBoolean)
    return result


def prologue() -> str:
    """PREFIX lines for graph.rdf.namespaces.PREFIXES, which the embedded store predeclares and a server does not."""
    return "".join(f"PREFIX {prefix}: <{namespace}>\n" for prefix, namespace in PREFIXES.items())


class RemoteStore:
    """PolicyKG's graphs on a SPARQL 1.1 server at `endpoint` (query and update on the same URL)."""

    path: Path | None = None
    writable = True

    def __init__(
        self,
        endpoint: str,
        base: str,
        timeout: float = 30,
        auth: tuple[str, str] | None = None,
    ) -> None:
        self.endpoint = endpoint
        self.graph_prefix = base + GRAPH_PREFIX_PATH
        self.timeout = timeout
        self._client = httpx.Client(timeout=timeout + 5, auth=httpx.DigestAuth(*auth) if auth else None)
        self._graphs: tuple[str, ...] | None = None

    # --- reading -------------------------------------------------------------------------------------
    def graph_names(self) -> list[str]:
        if self._graphs is None:
            prefix = pyoxigraph.Literal(self.graph_prefix)  # from the settings, written as an escaped literal
            query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), {prefix})) }}"
            result = self._select(query, RemoteDataset())
            self._graphs = tuple(sorted(row["g"].value for row in result))
        return list(self._graphs)

    def has_graph(self, iri: str) -> bool:
        return iri in self.graph_names()

    def query(
        self,
        sparql: str,
        bindings: Bindings | None = None,
        dataset: object = None,
        base_iri: str | None = None,
    ) -> pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | list[pyoxigraph.Triple]:
        text = with_values(sparql, bindings)
        chosen = self._dataset(text, dataset)
        form = next((w.text for w in words(text) if w.text in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")), "SELECT")
        if form in ("CONSTRUCT", "DESCRIBE"):
            body = self._post(prologue() + text, chosen, "application/n-triples", base_iri)
            return list(pyoxigraph.parse(body, pyoxigraph.RdfFormat.N_TRIPLES))
        body = self._post(prologue() + text, chosen, "application/sparql-results+json", base_iri)
        result = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
        if form == "ASK" and isinstance(result, pyoxigraph.QuerySolutions):
            return _boolean(result)  # Virtuoso answers ASK with a one-column table
        return result

    def _select(self, query: str, dataset: RemoteDataset) -> pyoxigraph.QuerySolutions:
        body = self._post(query, dataset, "application/sparql-results+json", None)
        result = pyoxigraph.parse_query_results(body, pyoxigraph.QueryResultsFormat.JSON)
        assert isinstance(result, pyoxigraph.QuerySolutions)
        return result

    def _dataset(self, query: str, dataset: object) -> RemoteDataset:
        """The request's dataset, or, when the query names none, PolicyKG's graphs (never the server's own)."""
        given = getattr(dataset, "default_graphs", ()), getattr(dataset, "named_graphs", ())
        if any(given):
            return RemoteDataset(*given)
        if names_dataset(query):
            return RemoteDataset()
        ours = tuple(self.graph_names())
        return RemoteDataset(ours, ours)

    def _post(self, query: str, dataset: RemoteDataset, accept: str, base_iri: str | None) -> bytes:
        data = [("query", query), ("timeout", str(int(self.timeout * 1000)))]
        data += [("default-graph-uri", iri) for iri in dataset.default_graphs]
        data += [("named-graph-uri", iri) for iri in dataset.named_graphs]
        headers = {"accept": accept, "content-type": "application/x-www-form-urlencoded"}
        try:
            response = self._client.post(self.endpoint, content=urlencode(data).encode(), headers=headers)
        except httpx.TimeoutException:
            raise RemoteTimeout(f"the remote store did not answer within {self.timeout:g} s") from None
        except httpx.HTTPError as error:
            raise RemoteError(f"the remote store could not be reached ({type(error).__name__})") from None
        if response.headers.get("x-sql-state") == "S1TAT":
            raise RemoteTimeout(f"the remote store stopped the query at its {self.timeout:g} s limit")
        if response.status_code >= 400:
            first = " ".join(response.text.split())[:300]
            if response.status_code == 400:
                raise SyntaxError(f"the remote store refused the query: {first}")
            raise RemoteError(f"the remote store answered {response.status_code}: {first}")
        return response.content

    def quads(self, graph: str | None) -> Iterator[pyoxigraph.Quad]:
        name: pyoxigraph.NamedNode | pyoxigraph.DefaultGraph
        if graph is None:
            triples = self.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            name = pyoxigraph.DefaultGraph()
        else:
            name = pyoxigraph.NamedNode(graph)
            triples = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {name} {{ ?s ?p ?o }} }}")
        assert isinstance(triples, list)
        return iter([pyoxigraph.Quad(t.subject, t.predicate, t.object, name) for t in triples])

    def all_quads(self) -> Iterator[pyoxigraph.Quad]:
        for graph in self.graph_names():
            yield from self.quads(graph)

    def __len__(self) -> int:
        result = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert isinstance(result, pyoxigraph.QuerySolutions)
        return int(next(iter(result))["n"].value)

    # --- writing -------------------------------------------------------------------------------------
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        self._update(prologue() + sparql)
        self._graphs = None

    def _update(self, text: str) -> None:
        try:
            response = self._client.post(
                self.endpoint,
                content=text.encode("utf-8"),
                headers={"content-type": "application/sparql-update; charset=utf-8"},
            )
        except httpx.HTTPError as error:
            raise RemoteError(f"the remote store could not be reached ({type(error).__name__})") from None
        if response.status_code >= 400:
            first = " ".join(response.text.split())[:300]
            if response.status_code == 400:
                raise SyntaxError(f"the remote store refused the update: {first}")
            raise RemoteError(f"the remote store refused the update ({response.status_code}): {first}")

    def add_to_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None:
        """INSERT DATA in chunks; triples with blank nodes in one INSERT … WHERE {} (a blank node is one node only
        within one operation, and Virtuoso refuses blank nodes in INSERT DATA)."""
        name = _named(graph)
        plain = [q for q in quads if not _has_blank(q)]
        for start in range(0, len(plain), _INSERT_CHUNK):
            lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in plain[start : start + _INSERT_CHUNK])
            self._update(f"INSERT DATA {{ GRAPH {name} {{ {lines} }} }}")
        blank = [q for q in quads if _has_blank(q)]
        if blank:
            lines = "\n".join(f"{q.subject} {q.predicate} {q.object} ." for q in blank)
            self._update(f"INSERT {{ GRAPH {name} {{ {lines} }} }} WHERE {{ }}")
        self._graphs = None

    def replace_graph(self, graph: str | None, quads: Sequence[pyoxigraph.Quad | pyoxigraph.Triple]) -> None:
        """Load into a staging graph, then MOVE it over the target in one operation."""
        name = _named(graph)
        staging = f"{graph}.staging-{time.time_ns()}"
        self._update(f"DROP SILENT GRAPH {pyoxigraph.NamedNode(staging)}")
        self.add_to_graph(staging, quads)
        self._update(f"MOVE SILENT GRAPH {pyoxigraph.NamedNode(staging)} TO GRAPH {name}")
        self._graphs = None

    def drop_graph(self, graph: str | None) -> bool:
        name = _named(graph)
        found = self.has_graph(name.value)
        self._update(f"DROP SILENT GRAPH {name}")
        self._graphs = None
        return found

    def evaluate(self, job: Job) -> Outcome:
        """What a query worker does, against the remote store: evaluate and serialise within the budget."""
        started = time.monotonic()
        try:
            result = self.query(job.query, dataset=RemoteDataset(job.default_graphs, job.named_graphs))
        except SyntaxError as error:
            return Outcome(error="query_syntax", message=" ".join(str(error).split())[:500])
        except RemoteTimeout:
            raise QueryTimeout from None
        except RemoteError as error:
            return Outcome(error="store_error", message=str(error))
        seconds = round(time.monotonic() - started, 6)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Outcome(serialize_boolean(bool(result), job.results_format), "boolean", seconds=seconds)
        if isinstance(result, pyoxigraph.QuerySolutions):
            done = serialize_solutions(result, job.results_format, job.budget)
            return Outcome(done.body, "results", done.truncated, done.rows, seconds=seconds)
        fmt = pyoxigraph.RdfFormat.from_media_type(job.rdf_media_type) or pyoxigraph.RdfFormat.TURTLE
        graph = serialize_triples(iter(result), fmt, job.prefixes, job.budget)
        return Outcome(graph.body, "graph", graph.truncated, graph.rows, seconds=seconds)

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
