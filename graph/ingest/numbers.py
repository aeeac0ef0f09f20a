"""Document numbers (发文字号) as people type them: 国办发〔2021〕26号, 京科转发[2022] 226号, 国务院令第731号.

A number is an issuer code (机关代字) with a year in brackets and a serial (京科转发〔2022〕226号), or an order (令)
with a serial (国务院令第731号, 中华人民共和国主席令第五十七号). Every bracket pair people use is accepted, also
mixed (〔〕 ［］ [] 【】 （） () ﹝﹞ 〈〉 〖〗), with full-width digits, Chinese numerals in an order's serial
and spaces.
Each number keeps its verbatim text and has one canonical form (〔〕 and ASCII digits); two spellings of one number
compare equal.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from graph.text import chinese_numeral

OPENING_BRACKETS = "〔［[【（(﹝〈〖"
CLOSING_BRACKETS = "〕］]】）)﹞〉〗"
_HAN = "\u4e00-\u9fff"
_SPACE = r"[ \t\u3000\u00a0]{0,3}"
_DIGITS = "0-9０-９"
_CN_NUMERAL = "零〇一二两三四五六七八九十百千"
# Words of a sentence that run into an issuer code ("为贯彻落实国办发〔2021〕26号"): the code starts after the last
# of the longer ones; the single characters are dropped only from its start (经 and 和 also occur inside codes).
_CUE_WORDS = ("落实", "贯彻", "根据", "依据", "按照", "参照", "印发", "详见", "文件", "通知", "规定", "要求")
_LEADING_CHARACTERS = "为见另并如详以经和及与或即按据对将在是的了"
_CUE = re.compile("|".join((*_CUE_WORDS, "号")))  # 号 ends the number before: "第731号和京经信发〔2020〕3号"

_DOCUMENT = re.compile(
    rf"(?P<code>[{_HAN}]{{1,10}}){_SPACE}[{re.escape(OPENING_BRACKETS)}]{_SPACE}(?P<year>[{_DIGITS}]{{4}})"
    rf"{_SPACE}[{re.escape(CLOSING_BRACKETS)}]{_SPACE}第?{_SPACE}(?P<serial>[{_DIGITS}]{{1,6}}){_SPACE}号"
)
_ORDER = re.compile(
    rf"(?P<code>[{_HAN}]{{1,16}}?令){_SPACE}[{re.escape(OPENING_BRACKETS)}]?{_SPACE}第{_SPACE}"
    rf"(?P<serial>[{_DIGITS}]{{1,6}}|[{_CN_NUMERAL}]{{1,8}}){_SPACE}号(?:{_SPACE}[{re.escape(CLOSING_BRACKETS)}])?"
)


@dataclass(frozen=True)
class DocumentNumber:
    """One document number; equal to any other spelling of the same number (the verbatim text is not compared)."""

    issuer_code: str  # 京科转发, 国办发; for an order the code with 令: 国务院令, 中华人民共和国主席令
    year: int | None  # None for an order number
    serial: int
    kind: Literal["document", "order"]
    text: str = field(compare=False)  # as written

    @property
    def canonical(self) -> str:
        """京科转发〔2022〕226号 or 国务院令第731号: 〔〕 brackets, ASCII digits, no spaces."""
        if self.kind == "order":
            return f"{self.issuer_code}第{self.serial}号"
        return f"{self.issuer_code}〔{self.year}〕{self.serial}号"

    @property
    def issuing_body(self) -> str | None:
        """The body an order names (国务院 for 国务院令); None for a document number, whose code is not a name."""
        return self.issuer_code.removesuffix("令") if self.kind == "order" else None


@dataclass(frozen=True)
class NumberMatch:
    """A document number found in a text: where it starts and ends (character offsets) and its 1-based line."""

    number: DocumentNumber
    start: int
    end: int
    line: int


def _ascii_number(text: str) -> int | None:
    digits = unicodedata.normalize("NFKC", text)
    if digits.isascii() and digits.isdigit():
        return int(digits)
    return chinese_numeral(text)


def _trim_code(code: str) -> str:
    """The issuer code without the words of the sentence that run into it."""
    cues = list(_CUE.finditer(code))
    if cues:
        code = code[cues[-1].end() :]
    return code.lstrip(_LEADING_CHARACTERS)


def _record(match: re.Match[str], kind: Literal["document", "order"]) -> tuple[DocumentNumber, int] | None:
    """The number a regex match holds and the offset where its trimmed code starts (inside the match)."""
    code = _trim_code(match["code"])
    serial = _ascii_number(match["serial"])
    if serial is None or not code or (kind == "order" and len(code) < 2):
        return None
    year = int(unicodedata.normalize("NFKC", match["year"])) if kind == "document" else None
    skipped = len(match["code"]) - len(code)
    return DocumentNumber(code, year, serial, kind, match.group(0)[skipped:]), skipped


def parse_number(text: str) -> DocumentNumber | None:
    """The document number `text` is, in any bracket or digit variant; None if it is not exactly one number."""
    stripped = text.strip()
    for pattern, kind in ((_DOCUMENT, "document"), (_ORDER, "order")):
        match = pattern.fullmatch(stripped)
        if match:
            found = _record(match, kind)  # type: ignore[arg-type]
            if found and found[1] == 0:
                return found[0]
    return None


def canonical_number(text: str) -> str | None:
    """The canonical form of the number `text` is, or None."""
    number = parse_number(text)
    return number.canonical if number else None


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in re.finditer("\n", text))]


def _line_of(starts: list[int], offset: int) -> int:
    low, high = 0, len(starts)
    while high - low > 1:
        middle = (low + high) // 2
        if starts[middle] <= offset:
            low = middle
        else:
            high = middle
    return low + 1


def find_numbers(text: str) -> list[NumberMatch]:
    """Every document number in `text`, in order of occurrence, with offsets and line numbers."""
    starts = _line_starts(text)
    found: list[NumberMatch] = []
    for pattern, kind in ((_DOCUMENT, "document"), (_ORDER, "order")):
        for match in pattern.finditer(text):
            record = _record(match, kind)  # type: ignore[arg-type]
            if record:
                start = match.start() + record[1]
                found.append(NumberMatch(record[0], start, match.end(), _line_of(starts, start)))
    kept: list[NumberMatch] = []
    for item in sorted(found, key=lambda m: m.start):
        if not kept or item.start >= kept[-1].end:
            kept.append(item)
    return kept
