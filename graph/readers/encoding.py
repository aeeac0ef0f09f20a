"""Decoding text files the way Chinese government files come: UTF-8 (with or without BOM) or GB18030/GBK.

Detection is strict so that a file is never silently turned into mojibake: a byte sequence is accepted
only if it decodes without error, and a GB18030 reading must also look like Chinese text. Korean (EUC-KR),
Japanese (EUC-JP) and much else decode as GB18030 into hanzi that are everyday Chinese characters one by one,
so once there is enough text to tell, charset-normalizer (restricted to the CJK encodings) can veto the reading;
on a few short cells it guesses wrong, and the character check alone decides.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer

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
# The CJK encodings a GB18030 reading can hide (charset-normalizer's names), and what to call them.
_LOOKALIKES = {
    "cp949": "Korean (EUC-KR/CP949)",
    "euc_jp": "Japanese (EUC-JP)",
    "cp932": "Japanese (Shift_JIS)",
    "big5": "traditional Chinese (Big5)",
}
# Non-ASCII bytes from which charset-normalizer's guess is trusted: on text from the corpus, cut anywhere, it
# is right from about 60 bytes on (wrong on some 25-character pieces); 256 leaves a wide margin.
_VETO_FROM = 256
_ASCII = bytes(range(0x80))


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
    if not _looks_like_chinese(text):
        raise _undecodable(data, name, first_bad)
    other = _other_cjk(data)
    if other:
        raise _undecodable(data, name, first_bad, f"reads as {_LOOKALIKES[other]} text, not GB18030/GBK Chinese")
    return Decoded(text, "gb18030")


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


def _other_cjk(data: bytes) -> str | None:
    """The other CJK encoding charset-normalizer prefers to GB18030 for `data`, when there is enough text to tell."""
    if len(data.translate(None, _ASCII)) < _VETO_FROM:
        return None
    best = charset_normalizer.from_bytes(data, cp_isolation=["gb18030", *_LOOKALIKES]).best()
    return best.encoding if best is not None and best.encoding in _LOOKALIKES else None


def _encodable(ch: str, encoding: str) -> bool:
    try:
        ch.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _undecodable(
    data: bytes, name: str, error: UnicodeDecodeError, why: str = "does not read as GB18030/GBK Chinese text either"
) -> InputError:
    line = data[: error.start].count(b"\n") + 1
    return InputError(
        Location(name, line=line),
        f"cannot be decoded: it is not UTF-8 (byte 0x{data[error.start]:02x} at offset {error.start}) "
        f"and {why}. Save it as UTF-8, or declare its encoding "
        "(`encoding` in the manifest, --encoding on the command line).",
    )
