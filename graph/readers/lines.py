"""What every prose format reader yields: a document's text as lines in reading order, each with its place.

A plain-text file, a .docx, a web page and a PDF of the same document give the same lines (whitespace folded, empty
lines gone), so the prose reader sees no difference between them. Each line keeps where a person finds it: the line
of a text file, the paragraph of a .docx, the source line of a web page, the page and line of a PDF.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import Location, Notice
from graph.readers.base import check_size
from graph.readers.encoding import decode_file

_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class SourceLine:
    text: str
    line: int
    page: int | None = None


@dataclass
class SourceText:
    """A document's non-empty lines in reading order, with the file they came from and what reading it noticed."""

    source: str
    lines: list[SourceLine]
    encoding: str | None = None
    notices: list[Notice] = field(default_factory=list)

    @property
    def text(self) -> str:
        """The lines as one text, one line each (what metadata inference reads)."""
        return "\n".join(line.text for line in self.lines)

    def where(self, line: SourceLine) -> Location:
        return Location(self.source, line=line.line, page=line.page)


def clean(line: str) -> str:
    """Full-width spaces and runs of spaces become one space; outer spaces go."""
    return _SPACES.sub(" ", line.replace("\u3000", " ")).strip()


def split_lines(text: str) -> list[str]:
    return _LINE_BREAK.split(text)


def read_plain(path: Path, encoding: str | None = None) -> SourceText:
    """A plain-text file (UTF-8 or GB18030, or the encoding given), numbered by its lines."""
    check_size(path)
    decoded = decode_file(path, encoding)
    lines = [SourceLine(clean(text), number) for number, text in enumerate(split_lines(decoded.text), start=1)]
    return SourceText(str(path), [line for line in lines if line.text], decoded.encoding)
