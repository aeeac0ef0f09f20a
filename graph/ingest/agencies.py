"""The agency registry (data/agencies.toml) and the splitting of 责任单位 cells into units.

"，" "," "；" ";" and line breaks always separate units. "、" separates units too, except inside a name
the registry knows ("市科委、中关村管委会" is one body with two names, 一个机构两块牌子).

Every unit belongs to a jurisdiction ("cn" national, "cn-bj" Beijing, …). A registry scoped to a document's
jurisdiction (`Registry.within`) resolves a name among that jurisdiction's units and the national ones only, and
mints a name it does not know under that jurisdiction: 市教委 of another city is never Beijing's 市教委.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from graph.errors import ConfigError
from graph.ingest.datafiles import read_toml
from graph.text import clean_label, name_key

AGENCY, GROUP = "agency", "group"
# Kinds of national body (data/agencies-national.toml), each an agency of that kind (pkg:unitKind).
UNIT_KINDS = (
    "general-office",  # 国务院办公厅
    "constituent-department",  # 国务院组成部门
    "special-organization",  # 国务院直属特设机构
    "directly-affiliated-agency",  # 国务院直属机构
    "administrative-office",  # 国务院办事机构
    "directly-affiliated-institution",  # 国务院直属事业单位
    "national-administration",  # 部委管理的国家局
    "mass-organization",  # 群团组织 (中国科协)
)
KINDS = (AGENCY, GROUP, *UNIT_KINDS)
NATIONAL = "cn"
_JURISDICTION = re.compile(r"^cn(?:-[a-z0-9]+)*$")
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_SEPARATORS = re.compile(r"[,，;；\n\r]")
_ENUMERATION = "、"
_LINK_FIELDS = ("same_as", "exact_match")
# An absolute http(s) IRI: no spaces, quotes or angle brackets, which would not survive N-Triples or HTML.
_EXTERNAL_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")


@dataclass(frozen=True)
class Unit:
    """A responsible unit: a registry entry, or a name the registry does not know (`registered` False)."""

    id: str
    name: str
    kind: str | None = None
    name_en: str | None = None
    names: tuple[str, ...] = ()
    parent: str | None = None
    same_as: tuple[str, ...] = ()  # the same body in another registry (owl:sameAs)
    exact_match: tuple[str, ...] = ()  # a record about this body in another registry (skos:exactMatch)
    jurisdiction: str | None = None  # "cn", "cn-bj", …; None only for a name read without a jurisdiction

    @property
    def registered(self) -> bool:
        return self.kind is not None

    @property
    def is_group(self) -> bool:
        return self.kind == GROUP

    @property
    def unit_kind(self) -> str | None:
        """The kind of national body (UNIT_KINDS) it is, if the registry says."""
        return self.kind if self.kind in UNIT_KINDS else None


def unregistered(name: str, jurisdiction: str | None = None) -> Unit:
    """A unit for a name missing from the registry, with an id derived from the name and its jurisdiction."""
    digest = hashlib.sha256(name_key(name).encode("utf-8")).hexdigest()[:16]
    if jurisdiction is None:
        return Unit(id=f"unregistered-{digest}", name=clean_label(name))
    return Unit(id=f"unregistered-{jurisdiction}-{digest}", name=clean_label(name), jurisdiction=jurisdiction)


class Registry:
    """Units by id and by every name they go by within their jurisdiction; `within` scopes lookups to one."""

    def __init__(self, units: list[Unit], source: str = "agency registry", jurisdiction: str | None = None) -> None:
        self.units: dict[str, Unit] = {}
        self.jurisdiction = jurisdiction
        self._by_name: dict[tuple[str | None, str], Unit] = {}
        self._anywhere: dict[str, list[Unit]] = {}
        for unit in units:
            self._add(unit, source)
        for unit in units:
            if unit.parent and unit.parent not in self.units:
                raise ConfigError(f"{source}: unit {unit.id} has unknown parent {unit.parent!r}")
        self._source = source

    def within(self, jurisdiction: str | None) -> Registry:
        """This registry as a document of `jurisdiction` reads it (unscoped for None)."""
        if jurisdiction == self.jurisdiction:
            return self
        return Registry(list(self.units.values()), self._source, jurisdiction)

    def _add(self, unit: Unit, source: str) -> None:
        _check(unit, source)
        if unit.id in self.units:
            raise ConfigError(f"{source}: unit id {unit.id!r} appears twice")
        self.units[unit.id] = unit
        for name in dict.fromkeys(name_key(name) for name in (unit.name, *unit.names)):
            other = self._by_name.get((unit.jurisdiction, name))
            if other is not None and other.id != unit.id:
                raise ConfigError(
                    f"{source}: the name {name!r} is given to both {other.id} and {unit.id} in {unit.jurisdiction}"
                )
            self._by_name[(unit.jurisdiction, name)] = unit
            self._anywhere.setdefault(name, []).append(unit)

    def lookup(self, name: str) -> Unit | None:
        """The unit a name means here: in this jurisdiction, else in the ones enclosing it (a city's province, then
        the nation), else a unit registered without a jurisdiction; unscoped, the one unit of that name in any
        jurisdiction (None when several jurisdictions use it)."""
        key = name_key(name)
        if self.jurisdiction is None:
            found = self._anywhere.get(key, [])
            return found[0] if len(found) == 1 else None
        for scope in (*_enclosing(self.jurisdiction), None):
            if (scope, key) in self._by_name:
                return self._by_name[(scope, key)]
        return None

    def resolve(self, name: str) -> Unit:
        return self.lookup(name) or unregistered(name, self.jurisdiction)

    def split(self, cell: str) -> list[str]:
        """The unit names in a 责任单位 cell, in order, each as written (outer whitespace stripped)."""
        names: list[str] = []
        for piece in _SEPARATORS.split(cell):
            names.extend(self._split_enumeration(piece))
        return names

    def _split_enumeration(self, piece: str) -> list[str]:
        parts = [part.strip() for part in piece.split(_ENUMERATION)]
        names, start = [], 0
        while start < len(parts):
            end = next(
                (end for end in range(len(parts), start + 1, -1) if self.lookup(_ENUMERATION.join(parts[start:end]))),
                start + 1,
            )
            name = _ENUMERATION.join(parts[start:end]).strip()
            if name_key(name):
                names.append(name)
            start = end
        return names


def _check(unit: Unit, source: str) -> None:
    """What a registry entry must be, whichever registry holds it."""
    if not _ID.match(unit.id):
        raise ConfigError(f"{source}: unit id {unit.id!r} must be lower-case ASCII words joined by '-'")
    if unit.kind not in KINDS:
        raise ConfigError(f"{source}: unit {unit.id} has kind {unit.kind!r}; use one of {', '.join(KINDS)}")
    if not unit.name_en:
        raise ConfigError(f"{source}: unit {unit.id} has no English name (name_en)")
    for name in _LINK_FIELDS:
        for iri in getattr(unit, name):
            if not isinstance(iri, str) or not _EXTERNAL_IRI.match(iri):
                raise ConfigError(f"{source}: unit {unit.id} has {name} {iri!r}, which is not an http(s) IRI")
    if unit.jurisdiction is not None and not _JURISDICTION.match(unit.jurisdiction):
        raise ConfigError(
            f"{source}: unit {unit.id} has jurisdiction {unit.jurisdiction!r}; use a code such as cn or cn-bj"
        )


def load_registry(path: Path) -> Registry:
    """Read data/agencies.toml and the registry files it includes (`include = ["agencies-national.toml"]`, beside
    it); ConfigError names the file and the entry that is wrong."""
    data = read_toml(path, "agency registry")
    units = _units(path, data)
    included = data.get("include", [])
    if not isinstance(included, list) or not all(isinstance(name, str) for name in included):
        raise ConfigError(f'{path}: include = {included!r}; give a list of file names, ["agencies-national.toml"]')
    for name in included:
        other = path.parent / name
        units.extend(_units(other, read_toml(other, "agency registry")))
    return Registry(units, str(path))


def _units(path: Path, data: dict[str, object]) -> list[Unit]:
    units = []
    entries = data.get("unit", [])
    assert isinstance(entries, list)
    for index, entry in enumerate(entries, start=1):
        try:
            units.append(
                Unit(
                    id=entry["id"],
                    kind=entry["kind"],
                    name=entry["name"],
                    name_en=entry["name_en"],
                    names=tuple(entry.get("names", ())),
                    parent=entry.get("parent"),
                    same_as=_iris(path, index, entry, "same_as"),
                    exact_match=_iris(path, index, entry, "exact_match"),
                    jurisdiction=entry.get("jurisdiction"),
                )
            )
        except KeyError as missing:
            raise ConfigError(f"{path}: unit #{index} has no {missing.args[0]!r}") from None
    return units


def _iris(path: Path, index: int, entry: dict[str, object], name: str) -> tuple[str, ...]:
    value = entry.get(name, [])
    if isinstance(value, str) or not isinstance(value, list):
        raise ConfigError(f'{path}: unit #{index} has {name} = {value!r}; give a list of IRIs, ["https://…"]')
    return tuple(value)


def _enclosing(jurisdiction: str) -> list[str | None]:
    """cn-zj-hangzhou -> cn-zj-hangzhou, cn-zj, cn."""
    parts = jurisdiction.split("-")
    return ["-".join(parts[:end]) for end in range(len(parts), 0, -1)]
