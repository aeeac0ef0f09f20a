"""Decoding text files the way Chinese government files come: UTF-8 (with or without BOM) or GB18030/GBK.

Detection is strict so that a file is never silently turned into mojibake: a byte sequence is accepted
only if it decodes without error, and a GB18030 reading must also look like Chinese text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

from graph.errors import InputError, Location

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of non-ASCII characters a GB18030 reading must have inside GB2312, the everyday simplified
# Chinese repertoire; a file in another encoding read as GB18030 lands mostly outside it.
_GB2312_SHARE = 0.9


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def decode_file(path: Path, declared: str | None = None) -> Decoded:
    """Read and decode a text file; raise InputError naming the file and first bad byte otherwise."""
    return decode_bytes(path.read_bytes(), str(path), declared)


def decode_bytes(data: bytes, name: str, declared: str | None = None) -> Decoded:
    if declared:
        return Decoded(_strict(data, declared, name), codecs.lookup(declared).name)
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return Decoded(_strict(data, encoding, name).lstrip("\ufeff"), encoding.replace("-sig", ""))
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _undecodable(data, name, first_bad) from None
    if _looks_like_chinese(text):
        return Decoded(text, "gb18030")
    raise _undecodable(data, name, first_bad)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except LookupError:
        raise InputError(Location(name), f"unknown character encoding {encoding!r}") from None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(
            Location(name, line=line),
            f"is not valid {encoding}: byte 0x{data[error.start]:02x} at offset {error.start} cannot be decoded",
        ) from None


def _looks_like_chinese(text: str) -> bool:
    wide = [ch for ch in text if ord(ch) > 0x7F]
    if not wide:
        return True
    in_gb2312 = sum(1 for ch in wide if _encodable(ch, "gb2312"))
    return in_gb2312 / len(wide) >= _GB2312_SHARE


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _undecodable(data: bytes, name: str, error: UnicodeDecodeError) -> InputError:
    line = data[: error.start].count(b"\n") + 1
    return InputError(
        Location(name, line=line),
        f"cannot be decoded: it is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}) "
        "and does not read as GB18030/GBK Chinese text either. Save it as UTF-8, or declare its encoding "
        "(`encoding` in the manifest, --encoding on the command line).",
    )
