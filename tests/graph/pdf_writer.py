"""A minimal PDF writer for tests: pages of text lines in a CID font whose ToUnicode CMap maps each code to itself.

No font program is embedded (a viewer substitutes one); what matters here is the text layer, which pypdf reads
through the ToUnicode map exactly as it reads a PDF exported from Word or WPS.
"""

from __future__ import annotations

import unicodedata
import zlib
from pathlib import Path


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap(paragraph: str, width: int) -> list[str]:
    """A paragraph broken into lines of at most `width` columns, a CJK character two columns, as a PDF sets it."""
    lines, current = [], ""
    for ch in paragraph:
        if _width(current + ch) > width:
            lines.append(current)
            current = ""
        current += ch
    return [*lines, current] if current else lines


def _cmap() -> bytes:
    ranges = "\n".join(f"<{hi:02X}00> <{hi:02X}FF> <{hi:02X}00>" for hi in range(256) if not 0xD8 <= hi <= 0xDF)
    return (
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n"
        f"248 beginbfrange\n{ranges}\nendbfrange\nendcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n"
    ).encode("ascii")


def _stream(data: bytes, extra: str = "") -> bytes:
    packed = zlib.compress(data)
    return f"<< /Length {len(packed)} /Filter /FlateDecode {extra}>>\nstream\n".encode() + packed + b"\nendstream"


def write_pdf(path: Path, pages: list[list[str]], *, scanned: bool = False) -> None:
    """Write `pages` (lines of text, top to bottom) as an A4 PDF; `scanned` gives pages holding only an image."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    catalog = add(b"")  # filled in below
    pages_id = add(b"")
    cmap = add(_stream(_cmap()))
    descriptor = add(
        b"<< /Type /FontDescriptor /FontName /TestSong /Flags 4 /FontBBox [0 -120 1000 880] /ItalicAngle 0 "
        b"/Ascent 880 /Descent -120 /CapHeight 700 /StemV 80 >>"
    )
    cid_font = add(
        f"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /TestSong /CIDSystemInfo << /Registry (Adobe) "
        f"/Ordering (Identity) /Supplement 0 >> /FontDescriptor {descriptor} 0 R /DW 1000 /CIDToGIDMap /Identity >>".encode()
    )
    font = add(
        f"<< /Type /Font /Subtype /Type0 /BaseFont /TestSong /Encoding /Identity-H "
        f"/DescendantFonts [{cid_font} 0 R] /ToUnicode {cmap} 0 R >>".encode()
    )
    image = add(
        _stream(
            b"\x80" * 3, "/Type /XObject /Subtype /Image /Width 1 /Height 1 /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        )
    )
    kids = []
    for lines in pages:
        if scanned:
            content = b"q 595 0 0 842 0 0 cm /Im1 Do Q"
        else:
            ops = []
            for index, line in enumerate(lines):
                hexed = "".join(f"{ord(ch):04X}" for ch in line)
                ops.append(f"BT /F1 12 Tf 1 0 0 1 72 {780 - index * 24} Tm <{hexed}> Tj ET")
            content = "\n".join(ops).encode("ascii")
        stream = add(_stream(content))
        kids.append(
            add(
                f"<< /Type /Page /Parent {pages_id} 0 R /MediaBox [0 0 595 842] /Contents {stream} 0 R "
                f"/Resources << /Font << /F1 {font} 0 R >> /XObject << /Im1 {image} 0 R >> >> >>".encode()
            )
        )
    objects[catalog - 1] = f"<< /Type /Catalog /Pages {pages_id} 0 R >>".encode()
    objects[pages_id - 1] = (
        f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {len(kids)} >>".encode()
    )
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root {catalog} 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
