"""A lexical scan of SPARQL text: keywords and nesting depth, outside strings, IRIs and comments.

Used to refuse what an engine must never see (SERVICE, pathological nesting, which crashes pyoxigraph's
parser), to add the protocol's USING clauses to updates, to find where a VALUES block goes and to read a stored
query's projection. It is not a parser: it only needs to tell a
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


def tokens(text: str, operators: bool = False) -> Iterator[tuple[int, str]]:
    """(offset, token) for each bracket and each keyword-like word, skipping strings, IRIs and comments.

    `<` opens an IRI or is the less-than operator depending on where it stands, which a lexical scan cannot
    tell; with `operators`, a `<…>` span holding a parenthesis is read as code, as an engine reading `<` as
    less-than does (an expression can only be left through `)`).
    """
    index = 0
    while index < len(text):
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = len(text) if end < 0 else end
        elif skipped := _skip(text, index, char, operators):
            index = skipped
        elif char in _OPEN or char in _CLOSE:
            yield index, char
            index += 1
        elif (char.isalpha() or char == "_") and (match := _WORD.match(text, index)):
            if index == 0 or (text[index - 1] not in "?$:_" and not text[index - 1].isalnum()):
                yield index, match.group()
            index = match.end()
        else:
            index += 1


def _skip(text: str, index: int, char: str, operators: bool = False) -> int:
    """The offset after a string or IRI starting at `index`, or 0."""
    pattern = _STRING if char in "'\"" else _IRIREF if char == "<" else None
    match = pattern.match(text, index) if pattern else None
    if match is None or (operators and char == "<" and ("(" in match.group() or ")" in match.group())):
        return 0
    return match.end()


def words(text: str, operators: bool = False) -> Iterator[Word]:
    """Keywords (not variables, not prefixed names) with their nesting, in order."""
    braces = depth = 0
    for offset, token in tokens(text, operators):
        if token in _OPEN or token in _CLOSE:
            step = 1 if token in _OPEN else -1
            depth += step
            braces += step if token in "{}" else 0
        elif ":" not in token:
            yield Word(offset, token.upper(), braces, depth)


def projection(text: str) -> str | None:
    """The text of the first SELECT clause (up to its FROM, WHERE or `{`), or None if the query has no SELECT."""
    start = None
    for offset, token in tokens(text):
        if start is None:
            start = offset + len(token) if token.upper() == "SELECT" else None
        elif token == "{" or token.upper() in ("FROM", "WHERE"):
            return text[start:offset]
    return None if start is None else text[start:]


def max_depth(text: str, operators: bool = False) -> int:
    """The deepest nesting of ( [ { outside strings, IRIs and comments, without building any tree."""
    deepest = depth = 0
    for _, token in tokens(text, operators):
        if token in _OPEN:
            depth += 1
            deepest = max(deepest, depth)
        elif token in _CLOSE:
            depth -= 1
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
    for operators in (False, True):  # both readings of `<`: whatever the engine reads, one of them agrees
        deepest = max_depth(text, operators)
        if deepest > max_depth_allowed:
            raise RefusedQuery(
                "too_complex", f"the query nests brackets {deepest} deep; at most {max_depth_allowed} are allowed"
            )
        for word in words(text, operators):
            if word.text in _NEVER:
                raise RefusedQuery(f"{word.text.lower()}_not_allowed", f"{_NEVER[word.text]} (at offset {word.offset})")


def names_dataset(query: str) -> bool:
    """Whether the query has its own FROM / FROM NAMED, which then defines its dataset."""
    return any(word.text == "FROM" and word.braces == 0 for word in words(query))
