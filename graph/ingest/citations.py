"""Citations in a document's text: 《title》 references, document numbers, and 第X条 after a title.

Each citation keeps the sentence it occurs in, where it is (offsets and line), and whether that sentence says the
document implements what it cites (为贯彻落实《…》, 为落实《…》, 根据《…》…制定, 依据《…》…制定) rather than merely
citing it. A title followed by its number in brackets, 《…》（国办发〔2021〕26号）, is one citation with both; titles
may hold titles (《关于修改<中华人民共和国促进科技成果转化法>的决定》), kept verbatim and listed in `inner`.
The constitution is the one document laws cite without 《》 (根据宪法，制定本法): 宪法 after 根据, 依据 or 依照 is a
citation of the title 宪法.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from graph.ingest.numbers import DocumentNumber, find_numbers, parse_number
from graph.text import chinese_numeral

_NUMERAL = "[一二三四五六七八九十百千零〇两0-9０-９]{1,8}"
_ARTICLE = re.compile(
    rf"[ \u3000]{{0,2}}[、和及与]?[ \u3000]{{0,2}}第(?P<article>{_NUMERAL})条"
    rf"(?:第(?P<paragraph>{_NUMERAL})款)?(?:第(?P<item>{_NUMERAL})项)?"
)
_NUMBER_IN_BRACKETS = re.compile(r"[ \u3000]{0,2}[（(](?P<inside>[^\n]{1,40}?号)[ \u3000]{0,2}[）)]")
_SENTENCE = re.compile(r"[^。！？!?\n]*[。！？!?]?")
_INNER = re.compile(r"[〈<《]([^〈〉<>《》]+)[〉>》]")
# Words before a citation that say the document carries it out, and those that do only when the sentence goes on
# to say the document is made under it (根据《…》，结合本市实际，制定本条例).
_IMPLEMENTS = ("为贯彻落实", "贯彻落实", "为落实", "为贯彻", "为实施", "落实")
_MADE_UNDER = ("根据", "依据", "依照")
_CONNECTORS = "、和及与以 \u3000"
_LONGEST_TITLE = 200
_CONSTITUTION = re.compile(r"(?:根据|依据|依照)(?P<title>(?:中华人民共和国)?宪法)(?![》〉>])")


@dataclass(frozen=True)
class ArticleReference:
    """第十条, 第十条第二款, 第十条第二款第三项 after a cited title."""

    article: int
    paragraph: int | None
    item: int | None
    text: str


@dataclass(frozen=True)
class Citation:
    """One citation: a title, a number or both, with the articles named after the title."""

    title: str | None  # verbatim, without the outer 《》
    number: DocumentNumber | None
    articles: tuple[ArticleReference, ...]
    inner: tuple[str, ...]  # titles inside the title: 中华人民共和国促进科技成果转化法
    text: str  # the citation as written, e.g. 《…》（国办发〔2021〕26号）第十条
    start: int
    end: int
    line: int  # 1-based
    sentence: str
    implements: bool


def title_key(title: str) -> str:
    """The key two spellings of one title share: NFKC, no whitespace, inner titles in 《》 whatever their brackets."""
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", title))
    return key.translate(str.maketrans("〈〉<>", "《》《》"))


def _number(text: str) -> int | None:
    digits = unicodedata.normalize("NFKC", text)
    return int(digits) if digits.isdigit() else chinese_numeral(text)


def title_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every outermost 《…》 (end after the closing 》); an unclosed 《 ends at its line's end."""
    spans: list[tuple[int, int]] = []
    depth, start = 0, 0
    for index, char in enumerate(text):
        if char == "《":
            start = index if depth == 0 else start
            depth += 1
        elif char == "》" and depth:
            depth -= 1
            if depth == 0 and index - start <= _LONGEST_TITLE:
                spans.append((start, index + 1))
        elif char == "\n":
            depth = 0
    return spans


def _articles(text: str, position: int) -> tuple[tuple[ArticleReference, ...], int]:
    """The 第X条 references that follow `position` directly, and where they end."""
    found = []
    while match := _ARTICLE.match(text, position):
        article = _number(match["article"])
        if article is None:
            break
        paragraph = _number(match["paragraph"]) if match["paragraph"] else None
        item = _number(match["item"]) if match["item"] else None
        found.append(ArticleReference(article, paragraph, item, match[0].strip(" \u3000、和及与")))
        position = match.end()
    return tuple(found), position


def _bracketed_number(text: str, position: int) -> tuple[DocumentNumber | None, int]:
    match = _NUMBER_IN_BRACKETS.match(text, position)
    number = parse_number(match["inside"]) if match else None
    return (number, match.end()) if match and number else (None, position)


class _Text:
    """A text with its line starts and sentence spans, to place a citation."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = [0, *(m.end() for m in re.finditer("\n", text))]
        self.sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text) if m.end() > m.start()]
        self.starts = [start for start, _ in self.sentences]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.lines, offset)

    def sentence(self, offset: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.sentences[index] if index >= 0 else (offset, offset)


def _says_implements(before: str, after: str) -> bool:
    """Whether the sentence's words before a citation (other citations removed) end in an implementing cue."""
    gap = re.sub(r"《[^》]*》|[（(][^（）()]*[）)]", "", before).rstrip(_CONNECTORS)
    if gap.endswith(_IMPLEMENTS):
        return True
    return gap.endswith(_MADE_UNDER) and "制定" in after


def _citation(place: _Text, start: int, end: int, title: str | None, number: DocumentNumber | None) -> Citation:
    articles: tuple[ArticleReference, ...] = ()
    if title is not None:
        number, end = (number, end) if number else _bracketed_number(place.text, end)
        articles, end = _articles(place.text, end)
    first, last = place.sentence(start)
    sentence = place.text[first:last].strip()
    implements = _says_implements(place.text[first:start], place.text[end:last])
    inner = tuple(_INNER.findall(title)) if title else ()
    return Citation(
        title, number, articles, inner, place.text[start:end], start, end, place.line(start), sentence, implements
    )


def find_citations(text: str, own_number: DocumentNumber | None = None) -> list[Citation]:
    """Every citation in `text`, in order; numbers equal to `own_number` (the document's own) are left out."""
    place = _Text(text)
    citations = [_citation(place, start, end, text[start + 1 : end - 1], None) for start, end in title_spans(text)]
    starts, ends = [c.start for c in citations], [c.end for c in citations]
    for match in find_numbers(text):
        index = bisect.bisect_right(starts, match.start) - 1
        inside = index >= 0 and match.start < ends[index]
        if not inside and match.number != own_number:
            citations.append(_citation(place, match.start, match.end, None, match.number))
    for bare in _CONSTITUTION.finditer(text):
        index = bisect.bisect_right(starts, bare.start()) - 1
        if not (index >= 0 and bare.start() < ends[index]):
            start, end = bare.span("title")
            citations.append(_citation(place, start, end, bare["title"], None))
    return sorted(citations, key=lambda c: c.start)
