"""Reader for the text layer of a PDF: its lines page by page, in reading order, for the prose reader.

pypdf extracts each page's text. What the page furniture adds is dropped and reported, as the text-export reader
drops Word's debris: page numbers ("- 2 -", "第2页", "2/5") and a header or footer line that repeats on most pages.
A PDF breaks paragraphs into lines where the page ends them; a line that fills the width and does not end a sentence
is joined with the next one unless that one opens a heading (第X章, 第X条, 一、, （一）), so a paragraph reads as one
line as in the other formats. A PDF without a text layer (a scan) is an InputError: it needs OCR first.
Each line's place is its page and its line on that page, as a person counts them.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pypdf

from graph.errors import InputError, Location, Notice
from graph.readers.base import check_size
from graph.readers.lines import SourceLine, SourceText, clean, split_lines

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－~]\s*\d+\s*[-—–－~]|第\s*\d+\s*页(?:\s*[/，,]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)$"
)
_HEADING = re.compile(
    r"^(?:第[零〇一二两三四五六七八九十百千]+[章节条]|[零〇一二两三四五六七八九十百千]+[、，,．.]|[（(][零〇一二两三四五六七八九十]+[）)])"
)
_SENTENCE_END = "。！？；：!?;:”」』）)"
_DATE = re.compile(
    r"^[\d〇零一二三四五六七八九十]{4}年[\d〇一二三四五六七八九十]{1,3}月[\d〇一二三四五六七八九十]{1,3}日"
)
_FULL = 0.85  # a line at least this share of the widest line fills the width: the paragraph goes on
_NO_TEXT = "has no text layer (a scanned PDF?); run OCR first or supply the text"


@dataclass(frozen=True)
class _PageLines:
    number: int
    lines: list[SourceLine]


def read(path: Path, encoding: str | None = None) -> SourceText:
    """The lines of a PDF's text layer; `encoding` is not used (a PDF maps its own glyphs to text)."""
    check_size(path)
    source = str(path)
    pages = _pages(path)
    notices: list[Notice] = []
    pages = _drop_furniture(source, pages, notices)
    lines = [line for page in pages for line in page.lines]
    if not lines:
        raise InputError(Location(source), _NO_TEXT)
    return SourceText(source, _join_wrapped(lines), None, notices)


def _pages(path: Path) -> list[_PageLines]:
    source = str(path)
    try:
        reader = pypdf.PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise InputError(Location(source), "is an encrypted PDF; supply it without a password")
        texts = [page.extract_text() or "" for page in reader.pages]
    except InputError:
        raise
    except Exception as error:  # pypdf raises many kinds of error on a damaged file, not only PyPdfError
        raise InputError(Location(source), f"is not a readable PDF ({type(error).__name__}: {error})") from None
    pages = []
    for number, text in enumerate(texts, start=1):
        cleaned = [clean(line) for line in split_lines(text)]
        numbered = [SourceLine(line, index, number) for index, line in enumerate(cleaned, start=1) if line]
        pages.append(_PageLines(number, numbered))
    return pages


def _drop_furniture(source: str, pages: list[_PageLines], notices: list[Notice]) -> list[_PageLines]:
    """Pages without their page numbers and repeated header and footer lines, each dropped line reported."""
    repeated = _repeated_edges(pages)
    kept = []
    for page in pages:
        lines = []
        for index, line in enumerate(page.lines):
            edge = index < 2 or index >= len(page.lines) - 2
            what = None
            if edge and _PAGE_NUMBER.match(line.text):
                what = "page number"
            elif edge and _edge_key(line.text) in repeated:
                what = "page header or footer"
            if what:
                where = Location(source, line=line.line, page=line.page)
                notices.append(Notice(where, f"ignored {what}: {line.text}", "info"))
            else:
                lines.append(line)
        kept.append(_PageLines(page.number, lines))
    return kept


def _edge_key(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _repeated_edges(pages: list[_PageLines]) -> set[str]:
    """First and last lines that recur (digits aside) on more than half of the pages, when there are several."""
    if len(pages) < 3:
        return set()
    counts = Counter(
        key for page in pages for key in {_edge_key(line.text) for line in (page.lines[:1] + page.lines[-1:])}
    )
    return {key for key, count in counts.items() if count > len(pages) / 2}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _join_wrapped(lines: list[SourceLine]) -> list[SourceLine]:
    widest = max(_width(line.text) for line in lines)
    joined: list[SourceLine] = []
    last_width = 0  # of the physical line that ends joined[-1]
    for line in lines:
        previous = joined[-1] if joined else None
        if previous is not None and last_width >= _FULL * widest and _continues(previous.text, line.text):
            glue = " " if previous.text[-1].isascii() and line.text[0].isascii() else ""
            joined[-1] = SourceLine(previous.text + glue + line.text, previous.line, previous.page)
        else:
            joined.append(line)
        last_width = _width(line.text)
    return joined


def _continues(previous: str, line: str) -> bool:
    """Whether `line` goes on with the paragraph a full-width line `previous` ends: previous ends no sentence."""
    return previous[-1] not in _SENTENCE_END and not _HEADING.match(line) and not _DATE.match(line)
