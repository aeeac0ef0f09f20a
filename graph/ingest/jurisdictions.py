"""China's jurisdictions (data/jurisdictions.toml), and the place a title, a body's name or an issuer code names.

A place is the nation, a provincial-level division (with its ISO 3166-2:CN style code, "cn-bj"), or a city named
as written (深圳市), within its province when the text names the province. Cities have no code here: none is made up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from graph.bundled import folder
from graph.errors import ConfigError
from graph.ingest.datafiles import read_toml

_CITY = re.compile(r"[\u4e00-\u9fff]{2,4}?市")
# A name may open with the Party committee's prefix: 中共北京市委 is Beijing's.
_PARTY = "中共"


@dataclass(frozen=True)
class Jurisdiction:
    """The nation ("cn") or one provincial-level division ("cn-bj")."""

    code: str
    name: str
    short_name: str
    stem: str
    name_en: str
    gb2260: str | None = None
    number_prefixes: tuple[str, ...] = ()
    name_prefixes: tuple[str, ...] = ()

    @property
    def national(self) -> bool:
        return self.code == "cn"


@dataclass(frozen=True)
class Place:
    """Where a document belongs: a jurisdiction, a city within it, or a city alone (its province not stated)."""

    jurisdiction: Jurisdiction | None
    city: str | None = None

    @property
    def level(self) -> Literal["national", "provincial", "city"]:
        if self.city:
            return "city"
        assert self.jurisdiction is not None
        return "national" if self.jurisdiction.national else "provincial"

    @property
    def code(self) -> str | None:
        """The jurisdiction's code ("cn", "cn-gd"); None for a city whose province the text does not name."""
        return self.jurisdiction.code if self.jurisdiction else None

    @property
    def label(self) -> str:
        """广东省深圳市, 深圳市, 北京市 or 中华人民共和国."""
        province = self.jurisdiction.name if self.jurisdiction else ""
        return province + (self.city or "")


def _city_at(text: str) -> str | None:
    match = _CITY.match(text)
    if match is None or match[0].endswith("城市") or "关于" in match[0]:
        return None
    return match[0]


class Jurisdictions:
    """The jurisdictions by code, and the place a name or an issuer code begins with."""

    def __init__(self, items: list[Jurisdiction]) -> None:
        self._items = items
        self._by_code = {item.code: item for item in items}
        self._by_prefix = {p: item for item in items for p in (item.short_name, *item.number_prefixes)}

    def __iter__(self) -> Iterator[Jurisdiction]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def get(self, code: str) -> Jurisdiction | None:
        return self._by_code.get(code)

    @property
    def national(self) -> Jurisdiction:
        return self._by_code["cn"]

    def from_issuer_code(self, code: str) -> Jurisdiction | None:
        """The jurisdiction an issuer code's first character stands for: 京科转发 Beijing, 国办发 the nation."""
        return self._by_prefix.get(code[:1]) if code else None

    def _province_at(self, text: str) -> tuple[Jurisdiction, str] | None:
        """The provincial-level division `text` begins with, and the text after its name."""
        for item in self._items:
            if item.national:
                continue
            for name in (item.name, item.stem):
                if text.startswith(name):
                    return item, text[len(name) :] if name == item.name else ""
        return None

    def place_of(self, name: str) -> Place | None:
        """The place a title or a body's name begins with (北京市…, 广东省深圳市…, 深圳市…, 国务院…), else None."""
        text = name.strip().removeprefix(_PARTY)
        if any(text.startswith(prefix) for prefix in self.national.name_prefixes):
            return Place(self.national)
        province = self._province_at(text)
        if province:
            return Place(province[0], _city_at(province[1]))
        city = _city_at(text)
        return Place(None, city) if city else None


def _jurisdiction(entry: dict[str, object]) -> Jurisdiction:
    def strings(key: str) -> tuple[str, ...]:
        value = entry.get(key, ())
        assert isinstance(value, list | tuple)
        return tuple(str(v) for v in value)

    return Jurisdiction(
        code=str(entry["code"]),
        name=str(entry["name"]),
        short_name=str(entry["short_name"]),
        stem=str(entry["stem"]),
        name_en=str(entry["name_en"]),
        gb2260=str(entry["gb2260"]) if "gb2260" in entry else None,
        number_prefixes=strings("number_prefixes"),
        name_prefixes=strings("name_prefixes"),
    )


def load_jurisdictions(path: Path | None = None) -> Jurisdictions:
    """Read data/jurisdictions.toml (or `path`); ConfigError names the file and the entry that is wrong."""
    if path is None:
        return _bundled()
    data = read_toml(path, "jurisdictions file")
    items = []
    for index, entry in enumerate(data.get("jurisdiction", []), start=1):
        try:
            items.append(_jurisdiction(entry))
        except (KeyError, AssertionError) as error:
            raise ConfigError(f"{path}: jurisdiction {index} lacks or mistypes {error}") from None
    if not any(item.national for item in items):
        raise ConfigError(f'{path}: no jurisdiction with code "cn" (the nation)')
    return Jurisdictions(items)


@cache
def _bundled() -> Jurisdictions:
    return load_jurisdictions(folder("data") / "jurisdictions.toml")
