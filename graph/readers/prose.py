"""Reader for structured prose: guiding or implementation opinions, and laws and regulations.

Opinions are parts (一、二、三、) holding items (（一）（二）…), each item's first sentence its heading. Laws are
chapters (第X章, optionally sections 第X节) holding articles (第X条, numbered through the law), whose lines after
the first are further paragraphs (款), and whose （一）（二） lines are items (项). Half- and full-width brackets
and spaces are the same (第一章　总　　则 is chapter 1, 总则). Text before the first heading is the preamble, a
trailing issuer-and-date is the sign-off; any other line that fits nowhere is reported, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import InputError, Location, Notice
from graph.readers.lines import SourceLine, SourceText, read_plain
from graph.text import chinese_numeral, to_chinese_numeral

_NUMERAL = r"[零〇一二两三四五六七八九十百千]+"
_PART = re.compile(rf"^(?P<num>{_NUMERAL})[、，,．.]\s*(?P<title>[^。；;，,]{{1,40}}?)\s*[。．.]?$")
_ITEM = re.compile(rf"^[（(](?P<num>{_NUMERAL})[）)]\s*(?P<rest>.*)$")
_CHAPTER = re.compile(rf"^第(?P<num>{_NUMERAL})章(?:\s+(?P<title>[^。；;，,：:]{{1,30}}))?$")
_SECTION = re.compile(rf"^第(?P<num>{_NUMERAL})节(?:\s+(?P<title>[^。；;，,：:]{{1,30}}))?$")
_ARTICLE = re.compile(rf"^第(?P<num>{_NUMERAL})条(?:\s+|$)(?P<rest>.*)$")
_DATE = re.compile(r"^\d{4}年\d{1,2}月\d{1,2}日$")
_MISSING = re.compile(r"^[\[【(（]?[…. ]*以下(原文)?(缺|略|省略)[…. ]*[\]】)）]?$")
_HEADING_MAX = 40


@dataclass
class Provision:
    """One numbered provision: its kind, number, notation as written, heading, own text and children."""

    kind: str  # part | item | chapter | section | article | paragraph
    number: int
    notation: str
    line: int
    heading: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    children: list[Provision] = field(default_factory=list)
    page: int | None = None  # of a PDF

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    def walk(self) -> list[Provision]:
        return [self, *(node for child in self.children for node in child.walk())]


@dataclass
class ProseDocument:
    source: str
    structure: str  # opinions | law
    provisions: list[Provision]
    preamble: list[str]
    sign_off: list[str]
    incomplete: bool
    encoding: str | None
    notices: list[Notice]

    def all(self) -> list[Provision]:
        return [node for top in self.provisions for node in top.walk()]

    def count(self, kind: str) -> int:
        return sum(1 for node in self.all() if node.kind == kind)


def _number(notation: str, where: Location) -> int:
    value = chinese_numeral(notation)
    if value is None:
        raise InputError(where, f"{notation!r} is not a Chinese numeral")
    return value


def _split_sign_off(lines: list[SourceLine], source: str, notices: list[Notice]) -> list[str]:
    """Remove and return a trailing issuer line and date line (国务院办公厅 / 2021年7月16日)."""
    sign_off: list[str] = []
    if lines and _DATE.match(lines[-1].text):
        sign_off.insert(0, lines.pop().text)
        if lines and len(lines[-1].text) <= 30 and not re.search(r"[。；，：]", lines[-1].text):
            sign_off.insert(0, lines.pop().text)
    elif lines and len(lines[-1].text) <= 20 and not re.search(r"[。；，：、]", lines[-1].text):
        sign_off.insert(0, lines.pop().text)
    if sign_off:
        notices.append(Notice(Location(source), f"sign-off: {' / '.join(sign_off)}", "info"))
    return sign_off


STRUCTURES = ("opinions", "law")


def parse(text: SourceText, structure: str) -> ProseDocument:
    """The provisions of a document's lines, read as `structure` (opinions or law), whatever format they came from."""
    return _Reader(text, structure).read()


def read_opinions(path: Path, encoding: str | None = None) -> ProseDocument:
    """Opinions from a plain-text file."""
    return parse(read_plain(path, encoding), "opinions")


def read_law(path: Path, encoding: str | None = None) -> ProseDocument:
    """A law or regulation from a plain-text file."""
    return parse(read_plain(path, encoding), "law")


def structure_of(text: SourceText) -> str | None:
    """The structure a document's lines have: law when articles (第X条) open lines, opinions when parts (一、) do."""
    articles = sum(1 for line in text.lines if _ARTICLE.match(line.text))
    if articles >= 2:
        return "law"
    if any(_PART.match(line.text) for line in text.lines):
        return "opinions"
    return "law" if articles else None


class _Reader:
    def __init__(self, text: SourceText, structure: str) -> None:
        self.source = text.source
        self.structure = structure
        self.lines = list(text.lines)
        self.encoding = text.encoding
        self.notices: list[Notice] = list(text.notices)
        self.preamble: list[str] = []
        self.tops: list[Provision] = []
        self.stack: list[Provision] = []  # the open provisions, outermost first
        self.incomplete = False

    def read(self) -> ProseDocument:
        if not self.lines:
            raise InputError(Location(self.source), "is empty")
        for line in self.lines:
            if _MISSING.match(line.text):
                self.incomplete = True
                self.notices.append(Notice(self._at(line), f"the text is incomplete: {line.text}"))
        self.lines = [line for line in self.lines if not _MISSING.match(line.text)]
        sign_off = _split_sign_off(self.lines, self.source, self.notices) if self.structure == "opinions" else []
        step = self._opinions_line if self.structure == "opinions" else self._law_line
        for line in self.lines:
            step(line)
        if not self.tops:
            raise InputError(Location(self.source), f"no numbered provision found (read as {self.structure})")
        self._check_order()
        return ProseDocument(
            self.source,
            self.structure,
            self.tops,
            self.preamble,
            sign_off,
            self.incomplete,
            self.encoding,
            self.notices,
        )

    def _at(self, line: SourceLine) -> Location:
        return Location(self.source, line=line.line, page=line.page)

    def _new(self, kind: str, notation: str, line: SourceLine, heading: str | None = None) -> Provision:
        """A provision numbered by the Chinese numeral in `notation` (第十二条 is 12)."""
        numeral = notation.strip("第（）章节条")
        return Provision(kind, _number(numeral, self._at(line)), notation, line.line, heading, page=line.page)

    # --- opinions: parts and items -------------------------------------------------------------------
    def _opinions_line(self, line: SourceLine) -> None:
        if match := _PART.match(line.text):
            self._open(self._new("part", match["num"], line, match["title"]), 0)
        elif (match := _ITEM.match(line.text)) and self.stack:
            heading, rest = _first_sentence(match["rest"])
            item = self._new("item", f"（{match['num']}）", line, heading)
            if rest:
                item.paragraphs.append(rest)
            self._open(item, 1)
        else:
            self._paragraph(line, line.text)

    # --- laws: chapters, sections, articles, paragraphs, items ---------------------------------------
    def _law_line(self, line: SourceLine) -> None:
        if match := _CHAPTER.match(line.text):
            title = (match["title"] or "").replace(" ", "") or None
            self._open(self._new("chapter", f"第{match['num']}章", line, title), 0)
        elif (match := _SECTION.match(line.text)) and self._depth_of("chapter") is not None:
            title = (match["title"] or "").replace(" ", "") or None
            self._open(self._new("section", f"第{match['num']}节", line, title), 1)
        elif match := _ARTICLE.match(line.text):
            self._open(self._new("article", f"第{match['num']}条", line), self._article_depth())
            self._law_paragraph(line, match["rest"])
        elif (match := _ITEM.match(line.text)) and self._depth_of("article") is not None:
            paragraph = self.stack[-1] if self.stack[-1].kind == "paragraph" else self._law_paragraph(line, "")
            item = self._new("item", f"（{match['num']}）", line)
            item.paragraphs.append(match["rest"])
            paragraph.children.append(item)
        elif self._depth_of("article") is not None:
            self._law_paragraph(line, line.text)
        else:
            self._paragraph(line, line.text)

    def _article_depth(self) -> int:
        for kind in ("section", "chapter"):
            depth = self._depth_of(kind)
            if depth is not None:
                return depth + 1
        return 0

    def _law_paragraph(self, line: SourceLine, text: str) -> Provision:
        depth = self._depth_of("article")
        assert depth is not None
        article = self.stack[depth]
        ordinal = len(article.children) + 1
        paragraph = Provision("paragraph", ordinal, f"第{to_chinese_numeral(ordinal)}款", line.line, page=line.page)
        if text:
            paragraph.paragraphs.append(text)
        del self.stack[depth + 1 :]
        article.children.append(paragraph)
        self.stack.append(paragraph)
        return paragraph

    # --- shared --------------------------------------------------------------------------------------
    def _depth_of(self, kind: str) -> int | None:
        return next((depth for depth, node in enumerate(self.stack) if node.kind == kind), None)

    def _open(self, node: Provision, depth: int) -> None:
        depth = min(depth, len(self.stack))
        del self.stack[depth:]
        (self.stack[-1].children if self.stack else self.tops).append(node)
        self.stack.append(node)

    def _paragraph(self, line: SourceLine, text: str) -> None:
        if not self.stack:
            self.preamble.append(text)
        elif self.stack[-1].kind in ("item", "part", "paragraph"):
            self.stack[-1].paragraphs.append(text)
        else:
            message = f"text outside any article, kept with {self.stack[-1].notation}"
            self.notices.append(Notice(self._at(line), message))
            self.stack[-1].paragraphs.append(text)

    def _check_order(self) -> None:
        """Siblings numbered 1, 2, 3… (articles through the whole law); a gap or repeat is reported."""
        groups: list[list[Provision]] = [self.tops]
        groups += [node.children for node in (n for top in self.tops for n in top.walk()) if node.kind != "chapter"]
        articles = [node for top in self.tops for node in top.walk() if node.kind == "article"]
        for group in [*groups, articles]:
            expected = 1
            for node in (n for n in group if n.kind != "article" or group is articles):
                if node.number != expected:
                    where = Location(self.source, line=node.line, page=node.page)
                    self.notices.append(Notice(where, f"{node.notation} follows number {expected - 1}"))
                expected = node.number + 1


def _first_sentence(text: str) -> tuple[str | None, str]:
    """('指导思想', '以习近平…') from '指导思想。以习近平…'; no heading when the first sentence is long."""
    head, stop, rest = text.partition("。")
    if stop and len(head) <= _HEADING_MAX:
        return head.strip(), rest.strip()
    if not stop and len(text) <= _HEADING_MAX and not re.search(r"[，；]", text):
        return text.strip() or None, ""
    return None, text.strip()
