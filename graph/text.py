"""Normalisation of cell text that keeps the original: labels, numbers, names used as keys."""

from __future__ import annotations

import re
import unicodedata

# Characters that change nothing visible but make two equal names differ.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
# Whitespace including the ideographic space U+3000 (Python's str.strip already covers it).
_TRAILING_FULL_STOPS = "。．.；;，,"

_CN_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_HEADING = re.compile(r"^(?P<num>[零〇一二两三四五六七八九十百千]+|[0-9]+)\s*[、.．]\s*(?P<label>.*)$", re.S)


def strip_invisible(text: str) -> str:
    """Remove zero-width and soft-hyphen characters."""
    return text.translate(_INVISIBLE)


def clean_label(text: str) -> str:
    """A display label: invisible characters removed, outer whitespace and trailing full stops stripped."""
    return strip_invisible(text).strip().rstrip(_TRAILING_FULL_STOPS).strip()


def clean_text(text: str) -> str:
    """Running text (a task's content): invisible characters removed, outer whitespace stripped."""
    return strip_invisible(text).strip()


def _compatible(text: str) -> str:
    return unicodedata.normalize("NFKC", strip_invisible(text))


def normal(text: str) -> str:
    """The one normalisation names and texts are compared by: no invisible characters, NFKC (full width to half
    width, compatibility forms to their plain letters), case-folded. The keys below are this plus what each drops."""
    return _compatible(text).casefold()


def name_key(text: str) -> str:
    """The key two spellings of one agency name share: NFKC, no invisible characters, no whitespace.

    Case is kept (this is `normal` without the case folding): the key is hashed into agency IRIs, which are
    published and must not change. Use `match_key` to compare names a person typed.
    """
    return re.sub(r"\s+", "", _compatible(text))


def match_key(text: str) -> str:
    """A name as reconciliation compares it: `normal`, without whitespace, punctuation, separators or controls."""
    return "".join(c for c in normal(text) if not (c.isspace() or unicodedata.category(c)[0] in "PZC"))


def chinese_numeral(text: str) -> int | None:
    """The value of a Chinese numeral below 10,000 (一 1, 十一 11, 二十 20, 一百零五 105), else None."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit = 0, None
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def to_chinese_numeral(number: int) -> str:
    """一 for 1, 十一 for 11, 二十 for 20, 一百零五 for 105 (numbers from 1 to 9999), as legal citations write them."""
    if not 0 < number < 10_000:
        raise ValueError(f"{number} is outside 1..9999")
    digits = "零一二三四五六七八九"
    parts, zero = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, number = divmod(number, unit)
        if digit:
            if zero:
                parts.append("零")
            parts.append(("" if (unit == 10 and digit == 1 and not parts) else digits[digit]) + name)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def parse_integer(text: str) -> int | None:
    """A whole number written in ASCII or full-width digits, with stray spaces; None if it is not one."""
    key = name_key(text)
    return int(key) if re.fullmatch(r"[0-9]+", key) else None


def parse_heading(text: str) -> tuple[int | None, str, str]:
    """Split a numbered heading "五、持续推进…。" into (5, "五", "持续推进…"); unnumbered -> (None, "", label)."""
    cleaned = clean_label(text)
    match = _HEADING.match(cleaned)
    if not match:
        return None, "", cleaned
    notation = match["num"]
    number = int(notation) if notation.isdigit() else chinese_numeral(notation)
    return number, notation, clean_label(match["label"])
