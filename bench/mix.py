"""The query mix of the benchmarks: stored queries of queries/ and queries/views/ with realistic bound values.

Each entry names a stored query (read with graph.store.queries.load_queries, never copied here) and where each of its
parameters takes its values from. `plan` picks those values from the data itself, so the same mix runs on the real
corpus and on every synthetic one: agencies and measures weighted by how often they are named (a busy agency is asked
about more often), tasks among those with curated links, categories uniformly, and search words as 2–4 character
runs of real task texts. Every system gets the same query text, with the same values in the same order: the
values are written into the text as a VALUES block right after WHERE (each term serialised by pyoxigraph), since
an HTTP endpoint takes raw SPARQL; graph.store.remote.with_values writes it, as for the remote store. (Benchmark
only: the service never pastes a request's values into query text; its JSON routes bind them as typed terms with
pyoxigraph `substitutions`.)

The text sent everywhere starts with PREFIX lines for graph.rdf.namespaces.PREFIXES (graph.store.remote.prologue),
which the service and Store.query predeclare and rdflib does not.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from graph import bundled
from graph.store.embedded import EmbeddedStore
from graph.store.queries import Bindings, StoredQuery, load_queries
from graph.store.remote import prologue, with_values
from graph.store.sparql_text import words

HERE = Path(__file__).resolve().parent
VALUES_PER_QUERY = 5

# (name in the results, stored query, {parameter: pool of values}, fixed parameter values)
MIX: tuple[tuple[str, str, dict[str, str], dict[str, str]], ...] = (
    ("agency-tasks", "agency-tasks", {"agency": "agency"}, {}),
    ("agency-workload", "agency-workload", {}, {}),
    ("category-tasks", "views/tasks", {"category": "category"}, {}),
    ("collaborators", "views/collaborators", {"agency": "agency"}, {}),
    ("search-tasks", "views/tasks", {"q": "q"}, {}),
    ("implementation-chain", "task-implementation-chain", {"task": "task"}, {}),
    ("implementation-path", "bench/implementation-path", {"task": "task"}, {}),
    ("describe-task", "views/describe", {"this": "task"}, {}),
    ("measure-coverage", "measure-lead-agencies", {"measure": "measure"}, {}),
    ("ask", "bench/ask", {}, {}),
)
WHAT = {
    "agency-tasks": "an agency's tasks with its role in each (queries/agency-tasks.rq)",
    "agency-workload": "tasks led and joined per agency, busiest first (queries/agency-workload.rq)",
    "category-tasks": "the tasks of a category (queries/views/tasks.rq, category bound)",
    "collaborators": "units sharing tasks with an agency (queries/views/collaborators.rq)",
    "search-tasks": "Chinese substring search over tasks (queries/views/tasks.rq, q bound)",
    "implementation-chain": "task → table → opinions → national document (queries/task-implementation-chain.rq)",
    "implementation-path": "task eli:implements/pkg:parent* document (bench/queries/implementation-path.rq)",
    "describe-task": "every triple about a task (queries/views/describe.rq, CONSTRUCT)",
    "measure-coverage": "lead agencies of the tasks implementing a measure (queries/measure-lead-agencies.rq)",
    "ask": "ASK {} (bench/queries/ask.rq)",
}
_POOLS = {
    "agency": "SELECT ?v WHERE { ?a pkg:unit ?v }",
    "task": "SELECT DISTINCT ?v WHERE { ?v a pkg:Task ; eli:implements ?m }",
    "category": "SELECT ?v WHERE { ?v a pkg:Category }",
    "measure": "SELECT ?v WHERE { ?t a pkg:Task ; eli:implements ?v }",
    "text": "SELECT ?v WHERE { ?t a pkg:Task ; pkg:text ?v }",
}
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{4,}")


@dataclass(frozen=True)
class Call:
    """One request of the mix: the query, its bound values, and the text an HTTP endpoint gets."""

    name: str
    text: str
    bindings: Bindings
    http_text: str
    graph_result: bool


@dataclass(frozen=True)
class Plan:
    """The calls of each query of the mix, VALUES_PER_QUERY of them, in the order every system runs them."""

    calls: dict[str, list[Call]]

    @property
    def names(self) -> list[str]:
        return list(self.calls)


def stored_queries() -> dict[str, StoredQuery]:
    folder = bundled.folder("queries")
    found = {name: query for name, query in load_queries(folder).items()}
    found |= {f"views/{name}": query for name, query in load_queries(folder / "views").items()}
    found |= {f"bench/{name}": query for name, query in load_queries(HERE / "queries").items()}
    return found


def pools(store: EmbeddedStore, seed: int) -> dict[str, list[str]]:
    """VALUES_PER_QUERY values for each kind of parameter, picked from the data with `seed`."""
    rng = random.Random(seed)
    chosen: dict[str, list[str]] = {}
    for kind, query in _POOLS.items():
        values = sorted(row["v"].value for row in store.query(query))  # type: ignore[union-attr]
        if kind in ("task", "category"):
            values = sorted(set(values))
        chosen[kind] = [rng.choice(values) for _ in range(VALUES_PER_QUERY)] if values else []
    chosen["q"] = [_word(rng, text) for text in chosen.pop("text")]
    return chosen


def _word(rng: random.Random, text: str) -> str:
    runs = _CJK_RUN.findall(text) or [text]
    run = rng.choice(runs)
    size = min(len(run), rng.randint(2, 4))
    start = rng.randrange(len(run) - size + 1)
    return run[start : start + size]


def plan(store: EmbeddedStore, seed: int = 1, names: Sequence[str] | None = None) -> Plan:
    """The calls of the mix (or of the queries `names`) with values picked from the data in `store`."""
    queries = stored_queries()
    values = pools(store, seed)
    calls: dict[str, list[Call]] = {}
    for name, stored, parameters, fixed in MIX:
        if names is not None and name not in names:
            continue
        query = queries[stored]
        text = prologue() + query.text
        graph_result = next(w.text for w in words(text) if w.text in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")) in (
            "CONSTRUCT",
            "DESCRIBE",
        )
        calls[name] = []
        for index in range(VALUES_PER_QUERY):
            given = fixed | {parameter: values[pool][index] for parameter, pool in parameters.items()}
            bindings = query.bindings(given, require_all=False)
            calls[name].append(Call(name, text, bindings, with_values(text, bindings), graph_result))
    return Plan(calls)
