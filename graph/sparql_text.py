"""A lexical scan of SPARQL text: keywords and nesting depth, outside strings, IRIs and comments.

Used to refuse what an engine must never see (SERVICE, pathological nesting, which crashes pyoxigraph's
parser) and to add the protocol's USING clauses to updates. It is not a parser: it only needs to tell a
keyword from the same letters inside a string, an IRI, a comment, a variable or a prefixed name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

_IRIREF = re.compile(r"<[^<>\"{}|^`\\\x00-\x20]*>")
_STRING = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^\"\\]|\\.|\"(?!\"\"))*\"\"\"|'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"",
    re.S,
)
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*(?::[A-Za-z0-9_.-]*)?")
_OPEN, _CLOSE = "({[", ")}]"


@dataclass(frozen=True)
class Word:
    offset: int
    text: str  # upper-cased
    braces: int  # depth of { } around it
    depth: int  # depth of ( [ { together


def words(text: str) -> Iterator[Word]:
    """Keywords (not variables, not prefixed names) with their nesting, in order."""
    braces = depth = index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        skipped = _skip(text, index, char)
        if skipped:
            index = skipped
            continue
        if char in _OPEN or char in _CLOSE:
            step = 1 if char in _OPEN else -1
            depth += step
            braces += step if char in "{}" else 0
            index += 1
            continue
        match = _WORD.match(text, index) if char.isalpha() or char == "_" else None
        if match and (index == 0 or (text[index - 1] not in "?$:_" and not text[index - 1].isalnum())):
            if ":" not in match.group():
                yield Word(index, match.group().upper(), braces, depth)
            index = match.end()
            continue
        index += 1


def _skip(text: str, index: int, char: str) -> int:
    """The offset after a string or IRI starting at `index`, or 0."""
    pattern = _STRING if char in "'\"" else _IRIREF if char == "<" else None
    match = pattern.match(text, index) if pattern else None
    return match.end() if match else 0


def max_depth(text: str) -> int:
    """The deepest nesting of ( [ { outside strings, IRIs and comments, without building any tree."""
    deepest = depth = index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
            continue
        skipped = _skip(text, index, char)
        if skipped:
            index = skipped
            continue
        if char in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif char in _CLOSE:
            depth -= 1
        index += 1
    return deepest


MAX_DEPTH = 64
_NEVER = {
    "SERVICE": "SERVICE (federated query) is not allowed: this endpoint never calls other services",
    "LOAD": "LOAD is not allowed: this endpoint never fetches documents",
}


class RefusedQuery(ValueError):
    """A query or update the engine must not see; `code` is stable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


def check_operation(text: str, max_depth_allowed: int = MAX_DEPTH) -> None:
    """Refuse pathological nesting (pyoxigraph's parser overflows its stack on it) and SERVICE/LOAD."""
    deepest = max_depth(text)
    if deepest > max_depth_allowed:
        raise RefusedQuery(
            "too_complex", f"the query nests brackets {deepest} deep; at most {max_depth_allowed} are allowed"
        )
    for word in words(text):
        if word.text in _NEVER:
            raise RefusedQuery(f"{word.text.lower()}_not_allowed", f"{_NEVER[word.text]} (at offset {word.offset})")


def names_dataset(query: str) -> bool:
    """Whether the query has its own FROM / FROM NAMED, which then defines its dataset."""
    return any(word.text == "FROM" and word.braces == 0 for word in words(query))
