"""The protocol's `using-graph-uri` / `using-named-graph-uri` for SPARQL Update, which pyoxigraph lacks.

The SPARQL 1.1 Protocol defines these parameters as equivalent to USING / USING NAMED clauses on every
DELETE/INSERT operation, and an error when the request also has USING, USING NAMED or WITH. The clauses are
added before each top-level WHERE of such an operation; strings, IRIs and comments are skipped while scanning.
The IRIs are checked as IRIs before they are written.
"""

from __future__ import annotations

import re

from graph.store.sparql_text import words

_IRI_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class UsingConflict(ValueError):
    """The update has its own USING / USING NAMED / WITH as well as protocol dataset parameters."""


def with_using(update: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> str:
    """The update with USING clauses for the protocol's dataset; unchanged when none is given."""
    if not default_graphs and not named_graphs:
        return update
    for iri in (*default_graphs, *named_graphs):
        if not _IRI_VALUE.match(iri):
            raise ValueError(f"{iri!r} is not an IRI")
    clauses = " ".join([f"USING <{iri}>" for iri in default_graphs] + [f"USING NAMED <{iri}>" for iri in named_graphs])
    insertions, previous = [], ""
    for word in words(update):
        if word.braces:
            continue
        offset, text = word.offset, word.text
        if text in ("USING", "WITH"):
            raise UsingConflict("the update names its own dataset (USING or WITH) and the request gives one too")
        if text == "WHERE" and previous != "DELETE":
            insertions.append(offset)
        previous = text
    for offset in reversed(insertions):
        update = f"{update[:offset]}{clauses} {update[offset:]}"
    return update
