"""Reader for a web page as government sites publish a document: its article body as lines, for the prose reader.

The page is decoded as it declares (a byte-order mark, else `<meta charset>` or `http-equiv="Content-Type"`;
GB2312 and GBK are read as their superset GB18030), else sniffed like a text file. It is parsed with lxml's HTML
parser; scripts, styles, forms, navigation, headers, footers and share bars are dropped. The body is the first of
the content containers government sites use (TRS_Editor, UCAP-CONTENT, zoom, pages_content, …) that holds Chinese
text, else the smallest block that holds most of the page's Chinese text. `<p>`, `<br>` and other blocks break
lines. The page's `<title>` and the label/value rows government pages put above the body (发文字号、成文日期、发文机关…)
come first, as lines of their own, so that metadata can be read from them. Line N is the page's source line N.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from graph.errors import InputError, Location, Notice
from graph.readers.base import check_size
from graph.readers.encoding import decode_bytes
from graph.readers.lines import SourceLine, SourceText, clean

# Elements whose content is never document text.
_NEVER_TEXT = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "canvas",
    "form", "button", "select", "textarea", "input", "nav", "header", "footer", "aside", "menu",
)  # fmt: skip
# ids and classes of the containers government sites put the document in, most specific first.
_CONTAINERS = (
    "trs_editor", "ucap-content", "ucapcontent", "zoom", "pages_content", "pages-content", "article-content",
    "article_content", "articlecontent", "art_con", "artcon", "view", "article", "content", "main-content",
    "maincontent", "con", "text",
)  # fmt: skip
# Parts of ids and classes that mark page furniture, not document text.
_FURNITURE = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumb|crumbs?|position|location|share|bdshare|fenxiang|footer|foot|header|"
    r"head|topbar|sidebar|toolbar|print|close|fontsize|font-size|zihao|qrcode|ewm|related|xgwj)($|[-_\s\d])",
    re.I,
)
# Labels of the metadata rows above a government page's body.
_LABELS = re.compile(
    r"^(?P<label>索\s*引\s*号|主题分类|发文机关|发文字号|成文日期|发布日期|标\s*题|文\s*号|生效日期|有\s*效\s*性)\s*[:：]?\s*"
)
_BLOCKS = frozenset(
    (
        "p", "div", "br", "li", "ul", "ol", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
        "blockquote", "pre", "dd", "dt", "dl", "center", "hr", "address", "figure", "figcaption", "main", "tbody",
        "thead", "tfoot", "caption",
    )
)  # fmt: skip
_CELLS = frozenset(("td", "th"))
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_ALIASES = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030", "cp936": "gb18030"}
_HOLDS_MOST = 0.7  # the fallback descends into a child that holds this share of its parent's Chinese text
_MIN_BODY = 10  # Chinese characters a content container must hold to count as the body


@dataclass(frozen=True)
class _Page:
    source: str
    root: Any
    encoding: str
    notices: list[Notice]


def read(path: Path, encoding: str | None = None) -> SourceText:
    """The title, metadata rows and body text of a web page, as lines."""
    check_size(path)
    page = _parse(path, encoding)
    title = page.root.findtext(".//title") or ""
    title_line = page.root.find(".//title")
    for element in list(page.root.iter(*_NEVER_TEXT, etree.Comment, etree.ProcessingInstruction)):
        _drop(element)
    body = _body(page.root)
    if body is None:
        raise InputError(Location(page.source), "has no text in its body")
    lines: list[SourceLine] = []
    if clean(title):
        lines.append(SourceLine(clean(title), title_line.sourceline or 1))
    lines += _metadata_rows(page.root, body)
    for element in list(body.iter()):
        if isinstance(element.tag, str) and element is not body and _is_furniture(element):
            _drop(element)
    lines += _lines(body)
    if len(lines) <= 1:
        raise InputError(Location(page.source), "has no text in its body")
    return SourceText(page.source, lines, page.encoding, page.notices)


def _parse(path: Path, declared: str | None) -> _Page:
    data = path.read_bytes()
    source = str(path)
    notices: list[Notice] = []
    encoding = declared or _declared_charset(data)
    if encoding and not data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode(_ALIASES.get(encoding.lower(), encoding))
            encoding = codecs.lookup(_ALIASES.get(encoding.lower(), encoding)).name
        except (LookupError, UnicodeDecodeError):
            decoded = decode_bytes(data, source)
            message = f"the page declares charset {encoding!r} but is not in it; read as {decoded.encoding}"
            notices.append(Notice(Location(source), message))
            text, encoding = decoded.text, decoded.encoding
    else:
        decoded = decode_bytes(data, source)
        text, encoding = decoded.text, decoded.encoding
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))  # lxml refuses a declaration in a str
    parser = lxml.html.HTMLParser(huge_tree=True)  # elements nested up to 2048 deep, not 256
    try:
        root = lxml.html.document_fromstring(text or "<html></html>", parser=parser)
    except (etree.ParserError, ValueError) as error:
        raise InputError(Location(source), f"is not a readable web page ({error})") from None
    fatal = [error for error in parser.error_log if error.level >= etree.ErrorLevels.FATAL]
    if fatal:  # libxml2 stops there: what follows would be lost without a word
        message = f"cannot be read past this point ({fatal[0].message.strip()})"
        raise InputError(Location(source, line=fatal[0].line), message)
    return _Page(source, root, encoding, notices)


def _declared_charset(data: bytes) -> str | None:
    """The charset the page's first 4 KB declare in a <meta> element (the HTML standard's prescan)."""
    head = re.sub(rb"<!--.*?-->", b"", data[:4096], flags=re.S)
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii") if match else None


def _drop(element: Any) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    if element.getparent() is not None:
        element.drop_tree()


def _classes(element: Any) -> list[str]:
    return [element.get("id") or "", *(element.get("class") or "").split()]


def _is_furniture(element: Any) -> bool:
    return any(_FURNITURE.search(name) for name in _classes(element) if name)


def _cjk_counts(root: Any) -> dict[Any, int]:
    """The Chinese characters in each element's text, children included, in one pass from the leaves up."""
    elements = [e for e in root.iter() if isinstance(e.tag, str)]
    counts: dict[Any, int] = {}
    for element in reversed(elements):
        own = len(_CJK.findall(element.text or ""))
        counts[element] = own + sum(counts.get(c, 0) + len(_CJK.findall(c.tail or "")) for c in element)
    return counts


def _body(root: Any) -> Any:
    counts = _cjk_counts(root)
    named: dict[str, Any] = {}
    for element in counts:
        for name in _classes(element):
            if name.lower() in _CONTAINERS and counts[element] >= _MIN_BODY:
                named.setdefault(name.lower(), element)
    for name in _CONTAINERS:
        if name in named:
            return named[name]
    for article in root.iter("article"):
        if counts.get(article, 0) >= _MIN_BODY:
            return article
    return _densest(root, counts)


def _densest(root: Any, counts: dict[Any, int]) -> Any:
    """From the page's <body> down, the child that holds most of its parent's Chinese text, while there is one."""
    node = root.find("body")
    if node is None or counts.get(node, 0) == 0:
        return None
    while True:
        children = [c for c in node if isinstance(c.tag, str) and not _is_furniture(c)]
        best = max(children, key=lambda c: counts.get(c, 0), default=None)
        if best is None or counts.get(best, 0) < _HOLDS_MOST * counts[node]:
            return node
        node = best


def _metadata_rows(root: Any, body: Any) -> list[SourceLine]:
    """The label/value pairs of metadata tables outside the body (发文字号：国办发〔2021〕26号), one line each."""
    inside = set(body.iter())
    lines = []
    for row in root.iter("tr"):
        if row not in inside:
            cells = [c for c in row if isinstance(c.tag, str) and c.tag in _CELLS]
            texts = [clean(cell.text_content()) for cell in cells]
            for cell, label, value in zip(cells, texts, [*texts[1:], ""], strict=True):
                if line := _metadata(label, value):
                    lines.append(SourceLine(line, cell.sourceline or 1))
    return lines


def _metadata(label: str, value: str) -> str | None:
    """'发文字号：国办发〔2021〕26号' from a label cell and the cell after it, or from one cell holding both."""
    if (match := _LABELS.match(label)) is None:
        return None
    name, rest = match["label"].replace(" ", ""), label[match.end() :].strip()
    if rest:
        return f"{name}：{rest}"
    return f"{name}：{value}" if value and not _LABELS.match(value) else None


class _Lines:
    """Text gathered into lines: a block or <br> ends one; each is numbered by the source line its text starts on."""

    def __init__(self) -> None:
        self.lines: list[SourceLine] = []
        self.pieces: list[str] = []
        self.start = 0

    def add(self, text: str | None, line: int) -> None:
        if text and text.strip() and not self.pieces:
            self.start = line
        if text and (self.pieces or text.strip()):
            self.pieces.append(text)

    def cell(self) -> None:
        if self.pieces:
            self.pieces.append(" ")

    def end(self) -> None:
        text = clean("".join(self.pieces))
        if text:
            self.lines.append(SourceLine(text, self.start))
        self.pieces.clear()


def _lines(body: Any) -> list[SourceLine]:
    """The body's text broken into lines at blocks and <br>."""
    out = _Lines()
    last = body.sourceline or 1
    for event, element in _walk(body):
        last = element.sourceline or last
        if element.tag in _BLOCKS:
            out.end()
        if event == "start":
            if element.tag in _CELLS:
                out.cell()
            out.add(element.text, last)
        elif element is not body:
            out.add(element.tail, last)
    out.end()
    return out.lines


def _walk(body: Any) -> Iterator[tuple[str, Any]]:
    """Start and end events over the body's elements, without recursion (a page may nest thousands deep)."""
    for event, element in etree.iterwalk(body, events=("start", "end")):
        if isinstance(element.tag, str):
            yield event, element
