"""A small SVG writer: elements built with xml.etree (so every text and attribute is escaped), a CJK font stack,
text widths estimated without font files, and the title and description every picture carries. The pictures and
the responsibility matrix (graph.matrix.svg) are both drawn with it."""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from rich.cells import get_character_cell_size

SVG_NS = "http://www.w3.org/2000/svg"
FONT_STACK = "'Noto Sans CJK SC','Source Han Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
MEDIA_TYPE = "image/svg+xml"
INK, MUTED, LINE, PAPER, ACCENT, LINK = "#1d232b", "#5b6573", "#d5dae1", "#ffffff", "#9b1c1c", "#0b57a4"
LANGUAGES = {"zh": "zh-Hans", "en": "en"}
Attributes = dict[str, str | int | float | None]
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


@dataclass(frozen=True)
class Words:
    """A text in both languages; `shown(lang)` is the one a page in `lang` shows first."""

    zh: str
    en: str

    def shown(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def other(self, lang: str) -> str:
        return self.zh if lang == "en" else self.en

    def both(self, lang: str, separator: str = " / ") -> str:
        return self.shown(lang) + separator + self.other(lang) if self.zh != self.en else self.zh


def number(value: float) -> str:
    """A coordinate with at most one decimal and no `-0`, so the same picture is written the same way everywhere."""
    rounded = round(value, 1)
    text = f"{rounded:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attributes(attributes: Attributes) -> dict[str, str]:
    found = {}
    for key, value in attributes.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        found[name] = number(value) if isinstance(value, float) else str(value)
    return found


def element(
    parent: ET.Element | None, tag: str, text: str | None = None, /, **attributes: str | int | float | None
) -> ET.Element:
    """A new element (under `parent` when given); `font_size=` is written `font-size`, `class_=` `class`."""
    given = _attributes(attributes)
    made = ET.Element(tag, given) if parent is None else ET.SubElement(parent, tag, given)
    if text is not None:
        made.text = text
    return made


def document(width: float, height: float, title: str, description: str, lang: str, ident: str) -> ET.Element:
    """The root `<svg>` with role="img", its `<title>` and `<desc>` in the page language, and the font stack."""
    root = element(
        None,
        "svg",
        xmlns=SVG_NS,
        viewBox=f"0 0 {number(width)} {number(height)}",
        width=number(width),
        height=number(height),
        role="img",
        lang=LANGUAGES.get(lang, lang),
        font_family=FONT_STACK,
        font_size=12,
        fill=INK,
        aria_labelledby=f"{ident}-title {ident}-desc",
        id=ident,
    )
    element(root, "title", title, id=f"{ident}-title")
    element(root, "desc", description, id=f"{ident}-desc")
    return root


def serialize(root: ET.Element, standalone: bool = False) -> str:
    """The SVG as text: inline markup for an HTML page, or (`standalone`) a document with an XML declaration."""
    ET.indent(root, space=" ")
    text = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n" if standalone else text


def xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 cannot hold (C0 controls other than tab and newlines, U+FFFE, U+FFFF)."""
    return _XML_INVALID.sub("", text)


def _ems(char: str) -> float:
    """The width of one character in ems: wide (two terminal cells: CJK, full width) one em, zero-width none, and a
    narrow one by its shape, as a proportional sans-serif sets it."""
    cells = get_character_cell_size(char)
    if cells != 1:
        return cells / 2
    if char == " ":
        return 0.3
    return 0.68 if char.isupper() or char in "mwMW@%" else 0.56


def text_width(text: str, size: float) -> float:
    """An estimate of the width of `text` at font size `size`: CJK and full-width characters one em, others less."""
    return sum(_ems(char) for char in text) * size


def shorten(text: str, size: float, width: float) -> str:
    """`text`, cut with an ellipsis so that it fits `width` at font size `size`."""
    if text_width(text, size) <= width:
        return text
    ellipsis, em, kept = _ems("…"), 0.0, 0
    for char in text:  # the longest start that fits with the ellipsis, measured in one pass
        em += _ems(char)
        if (em + ellipsis) * size > width:
            break
        kept += 1
    return text[:kept] + "…"


def arrow_marker(defs: ET.Element, ident: str, colour: str, hollow: bool = False) -> None:
    """An arrowhead marker: filled for a property, hollow (UML generalisation) for a subclass edge."""
    marker = element(
        defs,
        "marker",
        id=ident,
        viewBox="0 0 10 10",
        refX=9,
        refY=5,
        markerWidth=8 if not hollow else 11,
        markerHeight=8 if not hollow else 11,
        orient="auto-start-reverse",
        markerUnits="userSpaceOnUse",
    )
    element(marker, "path", d="M0,0 L10,5 L0,10 z", fill=PAPER if hollow else colour, stroke=colour)


def polar(cx: float, cy: float, radius: float, angle: float) -> tuple[float, float]:
    return cx + radius * math.cos(angle), cy + radius * math.sin(angle)
