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
from graph.readers.base import check_size
from graph.readers.encoding import decode_file
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


def _clean(line: str) -> str:
    """Full-width spaces and runs of spaces become one space; outer spaces go."""
    return re.sub(r"\s+", " ", line.replace("\u3000", " ")).strip()


def _number(notation: str, where: Location) -> int:
    value = chinese_numeral(notation)
    if value is None:
        raise InputError(where, f"{notation!r} is not a Chinese numeral")
    return value


def _lines(path: Path, encoding: str | None) -> tuple[list[tuple[int, str]], str]:
    check_size(path)
    decoded = decode_file(path, encoding)
    lines = [(number, _clean(line)) for number, line in enumerate(re.split(r"\r\n|\r|\n", decoded.text), start=1)]
    return [(number, line) for number, line in lines if line], decoded.encoding


def _split_sign_off(lines: list[tuple[int, str]], source: str, notices: list[Notice]) -> list[str]:
    """Remove and return a trailing issuer line and date line (国务院办公厅 / 2021年7月16日)."""
    sign_off: list[str] = []
    if lines and _DATE.match(lines[-1][1]):
        sign_off.insert(0, lines.pop()[1])
        if lines and len(lines[-1][1]) <= 30 and not re.search(r"[。；，：]", lines[-1][1]):
            sign_off.insert(0, lines.pop()[1])
    elif lines and len(lines[-1][1]) <= 20 and not re.search(r"[。；，：、]", lines[-1][1]):
        sign_off.insert(0, lines.pop()[1])
    if sign_off:
        notices.append(Notice(Location(source), f"sign-off: {' / '.join(sign_off)}", "info"))
    return sign_off


def read_opinions(path: Path, encoding: str | None = None) -> ProseDocument:
    return _Reader(path, encoding, "opinions").read()


def read_law(path: Path, encoding: str | None = None) -> ProseDocument:
    return _Reader(path, encoding, "law").read()


class _Reader:
    def __init__(self, path: Path, encoding: str | None, structure: str) -> None:
        self.source = str(path)
        self.structure = structure
        self.lines, self.encoding = _lines(path, encoding)
        self.notices: list[Notice] = []
        self.preamble: list[str] = []
        self.tops: list[Provision] = []
        self.stack: list[Provision] = []  # the open provisions, outermost first
        self.incomplete = False

    def read(self) -> ProseDocument:
        if not self.lines:
            raise InputError(Location(self.source), "is empty")
        for number, line in self.lines:
            if _MISSING.match(line):
                self.incomplete = True
                self.notices.append(Notice(Location(self.source, line=number), f"the text is incomplete: {line}"))
        self.lines = [(number, line) for number, line in self.lines if not _MISSING.match(line)]
        sign_off = _split_sign_off(self.lines, self.source, self.notices) if self.structure == "opinions" else []
        step = self._opinions_line if self.structure == "opinions" else self._law_line
        for number, line in self.lines:
            step(number, line)
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

    # --- opinions: parts and items -------------------------------------------------------------------
    def _opinions_line(self, number: int, line: str) -> None:
        where = Location(self.source, line=number)
        if match := _PART.match(line):
            self._open(Provision("part", _number(match["num"], where), match["num"], number, match["title"]), 0)
        elif (match := _ITEM.match(line)) and self.stack:
            heading, rest = _first_sentence(match["rest"])
            item = Provision("item", _number(match["num"], where), f"（{match['num']}）", number, heading)
            if rest:
                item.paragraphs.append(rest)
            self._open(item, 1)
        else:
            self._paragraph(number, line)

    # --- laws: chapters, sections, articles, paragraphs, items ---------------------------------------
    def _law_line(self, number: int, line: str) -> None:
        where = Location(self.source, line=number)
        if match := _CHAPTER.match(line):
            title = (match["title"] or "").replace(" ", "") or None
            self._open(Provision("chapter", _number(match["num"], where), f"第{match['num']}章", number, title), 0)
        elif (match := _SECTION.match(line)) and self._depth_of("chapter") is not None:
            title = (match["title"] or "").replace(" ", "") or None
            self._open(Provision("section", _number(match["num"], where), f"第{match['num']}节", number, title), 1)
        elif match := _ARTICLE.match(line):
            article = Provision("article", _number(match["num"], where), f"第{match['num']}条", number)
            self._open(article, self._article_depth())
            self._law_paragraph(number, match["rest"])
        elif (match := _ITEM.match(line)) and self._depth_of("article") is not None:
            paragraph = self.stack[-1] if self.stack[-1].kind == "paragraph" else self._law_paragraph(number, "")
            item = Provision("item", _number(match["num"], where), f"（{match['num']}）", number)
            item.paragraphs.append(match["rest"])
            paragraph.children.append(item)
        elif self._depth_of("article") is not None:
            self._law_paragraph(number, line)
        else:
            self._paragraph(number, line)

    def _article_depth(self) -> int:
        for kind in ("section", "chapter"):
            depth = self._depth_of(kind)
            if depth is not None:
                return depth + 1
        return 0

    def _law_paragraph(self, number: int, text: str) -> Provision:
        depth = self._depth_of("article")
        assert depth is not None
        article = self.stack[depth]
        ordinal = len(article.children) + 1
        paragraph = Provision("paragraph", ordinal, f"第{to_chinese_numeral(ordinal)}款", number)
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

    def _paragraph(self, number: int, line: str) -> None:
        if not self.stack:
            self.preamble.append(line)
        elif self.stack[-1].kind in ("item", "part", "paragraph"):
            self.stack[-1].paragraphs.append(line)
        else:
            self.notices.append(
                Notice(
                    Location(self.source, line=number), f"text outside any article, kept with {self.stack[-1].notation}"
                )
            )
            self.stack[-1].paragraphs.append(line)

    def _check_order(self) -> None:
        """Siblings numbered 1, 2, 3… (articles through the whole law); a gap or repeat is reported."""
        groups: list[list[Provision]] = [self.tops]
        groups += [node.children for node in (n for top in self.tops for n in top.walk()) if node.kind != "chapter"]
        articles = [node for top in self.tops for node in top.walk() if node.kind == "article"]
        for group in [*groups, articles]:
            expected = 1
            for node in (n for n in group if n.kind != "article" or group is articles):
                if node.number != expected:
                    self.notices.append(
                        Notice(Location(self.source, line=node.line), f"{node.notation} follows number {expected - 1}")
                    )
                expected = node.number + 1


def _first_sentence(text: str) -> tuple[str | None, str]:
    """('指导思想', '以习近平…') from '指导思想。以习近平…'; no heading when the first sentence is long."""
    head, stop, rest = text.partition("。")
    if stop and len(head) <= _HEADING_MAX:
        return head.strip(), rest.strip()
    if not stop and len(text) <= _HEADING_MAX and not re.search(r"[，；]", text):
        return text.strip() or None, ""
    return None, text.strip()
