"""The protocol's `using-graph-uri` / `using-named-graph-uri` for SPARQL Update, which pyoxigraph lacks.

The SPARQL 1.1 Protocol defines these parameters as equivalent to USING / USING NAMED clauses on every
DELETE/INSERT operation, and an error when the request also has USING, USING NAMED or WITH. The clauses are
added before each top-level WHERE of such an operation; strings, IRIs and comments are skipped while scanning.
The IRIs are checked as IRIs before they are written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
    re.S,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_IRI_VALUE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$")


class UsingConflict(ValueError):
    """The update has its own USING / USING NAMED / WITH as well as protocol dataset parameters."""


def _top_level_words(text: str) -> Iterator[tuple[int, str]]:
    """(offset, upper-cased word) for each keyword outside braces, strings, IRIs and comments."""
    depth, index = 0, 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        elif (char in "'\"" and (match := _STRING.match(text, index))) or (
            char == "<" and (match := _IRIREF.match(text, index))
        ):
            index = match.end()
        elif char in "{}":
            depth += 1 if char == "{" else -1
            index += 1
        elif depth == 0 and (match := _WORD.match(text, index)) and (index == 0 or not text[index - 1].isalnum()):
            yield index, match.group().upper()
            index = match.end()
        else:
            index += 1


def with_using(update: str, default_graphs: tuple[str, ...], named_graphs: tuple[str, ...]) -> str:
    """The update with USING clauses for the protocol's dataset; unchanged when none is given."""
    if not default_graphs and not named_graphs:
        return update
    for iri in (*default_graphs, *named_graphs):
        if not _IRI_VALUE.match(iri):
            raise ValueError(f"{iri!r} is not an IRI")
    clauses = " ".join([f"USING <{iri}>" for iri in default_graphs] + [f"USING NAMED <{iri}>" for iri in named_graphs])
    insertions, previous = [], ""
    for offset, word in _top_level_words(update):
        if word in ("USING", "WITH"):
            raise UsingConflict("the update names its own dataset (USING or WITH) and the request gives one too")
        if word == "WHERE" and previous != "DELETE":
            insertions.append(offset)
        previous = word
    for offset in reversed(insertions):
        update = f"{update[:offset]}{clauses} {update[offset:]}"
    return update
