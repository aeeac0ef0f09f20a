"""Reader for the text of a .docx: its paragraphs in reading order, each a line, for the prose reader.

Every paragraph of the body counts, those in tables and content controls too, in document order; line N is the
document's Nth paragraph. A paragraph's text is what Word shows: inserted text of tracked changes in, deleted text
and field codes out, a soft line break starting a new line. Numbers Word draws itself (automatic numbering, such as
a "一、" list level) are not in the text; they are rendered from the numbering definitions, so an automatically
numbered 一、 or （一） reads as one typed by hand.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn

from graph.errors import InputError, Location
from graph.readers.base import check_archive
from graph.readers.lines import SourceLine, SourceText, clean, split_lines
from graph.text import to_chinese_numeral

_SKIPPED = {qn("w:del"), qn("w:moveFrom"), qn("w:txbxContent"), qn("w:instrText"), qn("w:delText")}
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_CHARACTERS = {qn("w:tab"): "\t", qn("w:br"): "\n", qn("w:cr"): "\n", qn("w:noBreakHyphen"): "-"}
_CELESTIAL = "甲乙丙丁戊己庚辛壬癸"
_CAPITAL = str.maketrans("一二三四五六七八九十百千", "壹贰叁肆伍陆柒捌玖拾佰仟")


def _roman(number: int) -> str:
    values: list[tuple[int, str]] = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC")]
    values += [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = ""
    for value, letters in values:
        count, number = divmod(number, value)
        out += letters * count
    return out


def _letter(number: int) -> str:
    return chr(ord("A") + (number - 1) % 26) * ((number - 1) // 26 + 1)


def _capital(number: int) -> str:
    return to_chinese_numeral(number).translate(_CAPITAL)


# Word's number formats (w:numFmt) that policy documents use; any other renders as decimal.
_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 1 <= n <= 20 else str(n),
    "chineseCounting": to_chinese_numeral,
    "chineseCountingThousand": to_chinese_numeral,
    "ideographDigital": to_chinese_numeral,
    "chineseLegalSimplified": _capital,
    "ideographTraditional": lambda n: _CELESTIAL[(n - 1) % 10],
    "lowerLetter": lambda n: _letter(n).lower(),
    "upperLetter": _letter,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperRoman": _roman,
    "none": lambda n: "",
}


@dataclass(frozen=True)
class _Level:
    start: int
    format: str
    text: str


@dataclass
class _Numbering:
    """Word's automatic numbering: each list's levels, and the counters as the document runs through them."""

    levels: dict[str, dict[int, _Level]]  # numId -> level -> definition
    styles: dict[str, tuple[str, int]]  # paragraph style id -> (numId, level)
    counters: dict[str, dict[int, int]] = field(default_factory=dict)

    def label(self, p: Any) -> str:
        """The number Word draws before paragraph `p`, or '' when it has none (or a bullet)."""
        num = self._num_of(p)
        if num is None or num[0] not in self.levels:
            return ""
        num_id, level = num
        definitions = self.levels[num_id]
        if level not in definitions or definitions[level].format == "bullet":
            return ""
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, definitions[level].start - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        text = definitions[level].text
        for shown, definition in definitions.items():
            value = counters.get(shown, definition.start)
            text = text.replace(f"%{shown + 1}", _FORMATS.get(definition.format, str)(value))
        return text

    def _num_of(self, p: Any) -> tuple[str, int] | None:
        ppr = p.find(qn("w:pPr"))
        numpr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if numpr is not None:
            num_id, ilvl = numpr.find(qn("w:numId")), numpr.find(qn("w:ilvl"))
            if num_id is None:
                return None
            return num_id.get(qn("w:val")), int(ilvl.get(qn("w:val"))) if ilvl is not None else 0
        style = ppr.find(qn("w:pStyle")) if ppr is not None else None
        return self.styles.get(style.get(qn("w:val"))) if style is not None else None


def read(path: Path, encoding: str | None = None) -> SourceText:
    """The lines of a .docx's paragraphs; `encoding` is not used (a .docx says its own)."""
    check_archive(path)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise InputError(Location(str(path)), f"is not a readable .docx file ({error})") from None
    numbering = _numbering(document)
    lines = []
    for number, p in enumerate(_paragraphs(document.element.body), start=1):
        text = numbering.label(p) + _text(p)
        lines += [SourceLine(clean(piece), number) for piece in split_lines(text) if clean(piece)]
    return SourceText(str(path), lines, None)


def read_outside_tables(path: Path) -> SourceText:
    """The lines of a .docx's paragraphs that are not in a table (a task table's title, notes and sign-off), numbered
    as `read` numbers them."""
    full = read(path)
    document = docx.Document(str(path))
    in_tables = {
        number
        for number, p in enumerate(_paragraphs(document.element.body), start=1)
        if any(ancestor.tag == qn("w:tbl") for ancestor in p.iterancestors())
    }
    return SourceText(full.source, [line for line in full.lines if line.line not in in_tables], None)


def _paragraphs(body: Any) -> Iterator[Any]:
    """The body's paragraphs in document order, without the copies Word keeps for old readers (mc:Fallback)."""
    for p in body.iter(qn("w:p")):
        if not any(ancestor.tag == _FALLBACK for ancestor in p.iterancestors()):
            yield p


def _text(p: Any) -> str:
    """What Word shows of a paragraph's own runs (text boxes inside it are paragraphs of their own)."""
    pieces: list[str] = []
    stack = list(reversed(p))
    while stack:
        element = stack.pop()
        if element.tag in _SKIPPED or element.tag == qn("w:p"):
            continue
        if element.tag == qn("w:t"):
            pieces.append(element.text or "")
        elif element.tag in _CHARACTERS:
            pieces.append(_CHARACTERS[element.tag])
        stack.extend(reversed(element))
    return "".join(pieces)


def _numbering(document: Any) -> _Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return _Numbering({}, {})
    abstract = {a.get(qn("w:abstractNumId")): _levels(a) for a in root.findall(qn("w:abstractNum"))}
    levels: dict[str, dict[int, _Level]] = {}
    for num in root.findall(qn("w:num")):
        ref = num.find(qn("w:abstractNumId"))
        definitions = dict(abstract.get(ref.get(qn("w:val")) if ref is not None else None, {}))
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            level = int(override.get(qn("w:ilvl"), "0"))
            if start is not None and level in definitions:
                old = definitions[level]
                definitions[level] = _Level(int(start.get(qn("w:val"))), old.format, old.text)
        levels[num.get(qn("w:numId"))] = definitions
    return _Numbering(levels, _styles(document))


def _levels(abstract: Any) -> dict[int, _Level]:
    found = {}
    for lvl in abstract.findall(qn("w:lvl")):
        values = {name: lvl.find(qn(f"w:{name}")) for name in ("start", "numFmt", "lvlText")}
        start, fmt, text = (None if v is None else v.get(qn("w:val")) for v in values.values())
        found[int(lvl.get(qn("w:ilvl"), "0"))] = _Level(int(start or 1), fmt or "decimal", text or "")
    return found


def _styles(document: Any) -> dict[str, tuple[str, int]]:
    """Paragraph styles that number their paragraphs (a heading style tied to a list)."""
    found = {}
    for style in document.styles.element.findall(qn("w:style")):
        numpr = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        num_id = numpr.find(qn("w:numId")) if numpr is not None else None
        if num_id is not None:
            ilvl = numpr.find(qn("w:ilvl"))
            found[style.get(qn("w:styleId"))] = (
                num_id.get(qn("w:val")),
                int(ilvl.get(qn("w:val")) if ilvl is not None else 0),
            )
    return found
