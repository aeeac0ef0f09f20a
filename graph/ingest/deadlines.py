"""A deadline as a table writes it (完成时限: 2026年12月, 2025年底前, 2025年6月30日) and the date it names, if any.

Only a cell that is one date expression is read as a date: a year and month is an xsd:gYearMonth, a year alone
(2025年, 2025年底前) an xsd:gYear, a full date an xsd:date. Anything else (长期坚持, 持续推进, 2025年上半年, two
dates in one cell) is kept verbatim only: a deadline is never guessed.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

DATE, YEAR_MONTH, YEAR = "date", "gYearMonth", "gYear"

_TAIL = r"(?:年底|年末|月底|月末|底|末)?(?:前|以前|之前)?(?:完成|实现|到位)?[。.]?"
_FULL = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]" + _TAIL + "$")
_MONTH = re.compile(r"^(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月" + _TAIL + "$")
_YEAR = re.compile(r"^(?P<y>(?:19|20)\d{2})年" + _TAIL + "$")
_ISO = re.compile(r"^(?P<y>(?:19|20)\d{2})-(?P<m>\d{2})(?:-(?P<d>\d{2})(?:T00:00:00)?)?$")  # a spreadsheet's date cell


@dataclass(frozen=True)
class Deadline:
    """A deadline cell as written (outer whitespace removed), and the date it names when it names one."""

    text: str
    value: str | None = None  # lexical form: 2026-12-31, 2026-12 or 2026
    datatype: str | None = None  # DATE, YEAR_MONTH or YEAR


def read_deadline(cell: str) -> Deadline | None:
    """The deadline a cell states; None for an empty cell."""
    text = cell.strip()
    if not text:
        return None
    key = re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))
    for pattern, datatype in ((_FULL, DATE), (_ISO, None), (_MONTH, YEAR_MONTH), (_YEAR, YEAR)):
        match = pattern.match(key)
        if match:
            return _dated(text, match, datatype)
    return Deadline(text)


def _dated(text: str, match: re.Match[str], datatype: str | None) -> Deadline:
    groups = match.groupdict()
    year, month, day = int(groups["y"]), groups.get("m"), groups.get("d")
    if datatype is None:  # ISO: as precise as it is written
        datatype = DATE if day else YEAR_MONTH
    try:
        if datatype == DATE:
            return Deadline(text, dt.date(year, int(month or 0), int(day or 0)).isoformat(), DATE)
        if datatype == YEAR_MONTH:
            dt.date(year, int(month or 0), 1)
            return Deadline(text, f"{year:04d}-{int(month or 0):02d}", YEAR_MONTH)
    except ValueError:  # 2025年13月, 2月30日: kept as written, not a date
        return Deadline(text)
    return Deadline(text, f"{year:04d}", YEAR)
