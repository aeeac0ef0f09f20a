"""The document manifest (data/manifest.toml): which documents to ingest and their metadata.

A manifest may extend another (`extends = "bundled"` or a path): its documents then come after the other's, may
refer to them, and share its issuer codes. The build folder's manifest, which `policykg add FILE` writes, extends
the manifest in use that way, so the bundled documents are never copied.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import URIRef

from graph import bundled
from graph.errors import ConfigError
from graph.ingest.datafiles import read_toml
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.readers.header import normal_columns

KINDS = {
    "guiding-opinions": PKG.guidingOpinions,
    "implementation-opinions": PKG.implementationOpinions,
    "task-division-table": PKG.taskDivisionTable,
    "law": PKG.law,
    "local-regulation": PKG.localRegulation,
    "opinions": PKG.opinions,
    "work-plan": PKG.workPlan,
    "notice": PKG.notice,
    "administrative-regulation": PKG.administrativeRegulation,
    "departmental-rules": PKG.departmentalRules,
    "local-government-rules": PKG.localGovernmentRules,
}
BUNDLED = "bundled"  # `extends = "bundled"`: the manifest installed with PolicyKG, wherever it is installed
_REGISTRY_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_registry_id(issuer: str) -> bool:
    """Whether an issuer is given as a registry id (bj-finance) rather than by its name (澜川市财政局)."""
    return bool(_REGISTRY_ID.match(issuer))


@dataclass(frozen=True)
class Document:
    """One manifest entry; `iri` is filled in by the manifest, which knows the issuer codes."""

    id: str
    file: Path
    title: str
    title_en: str | None
    kind: str
    iri: URIRef
    reader: str | None = None
    encoding: str | None = None
    number: str | None = None
    attachment_of: str | None = None
    issuers: tuple[str, ...] = ()  # registry ids, or names read within the document's jurisdiction
    date: dt.date | None = None
    in_force: dt.date | None = None
    published: dt.date | None = None
    implements: tuple[str, ...] = ()
    note: str | None = None
    note_en: str | None = None
    category_en: dict[int, str] = field(default_factory=dict)
    measure_parts: tuple[int, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)  # a table's header words PolicyKG does not know → roles
    place: tuple[str, str] | None = None  # the names (zh, en) of a city jurisdiction from the manifest's [places]

    @property
    def jurisdiction(self) -> str | None:
        """Where the document applies, as its IRI says (eli/cn-bj/… is Beijing's): its units are read there."""
        return iris.jurisdiction_of(self.iri)


@dataclass(frozen=True)
class Manifest:
    """The documents of a manifest, those of the manifests it extends first; `chain` is its file and theirs."""

    path: Path
    documents: tuple[Document, ...]
    issuer_codes: dict[str, dict[str, str]] = field(default_factory=dict)
    chain: tuple[Path, ...] = ()
    places: dict[str, tuple[str, str]] = field(default_factory=dict)  # [places]: a city code's names, zh and en

    def document(self, doc_id: str) -> Document:
        for document in self.documents:
            if document.id == doc_id:
                return document
        raise KeyError(doc_id)


def load_manifest(path: Path) -> Manifest:
    """Read and check the manifest; ConfigError names the entry and field that are wrong."""
    return parse_manifest(path, read_toml(path, "manifest"))


def manifest_chain(path: Path) -> tuple[Path, ...]:
    """The manifest file and those it extends, in that order (only their `extends` keys are read)."""
    chain: list[Path] = []
    current: Path | None = path
    while current is not None:
        if current.resolve() in chain:
            raise ConfigError(f"{path}: manifests extend each other ({' -> '.join(map(str, (*chain, current)))})")
        chain.append(current.resolve())
        current = extended_manifest(current, read_toml(current, "manifest")) if current.is_file() else None
    return tuple(chain)


def manifest_folders(path: Path) -> tuple[Path, ...]:
    """The folders of a manifest and of those it extends, its own first."""
    return tuple(dict.fromkeys(p.parent for p in manifest_chain(path)))


def extended_manifest(path: Path, data: dict[str, Any]) -> Path | None:
    """The manifest `extends` names: "bundled", or a path relative to this manifest's folder."""
    extends = data.get("extends")
    if extends is None:
        return None
    if not isinstance(extends, str) or not extends:
        raise ConfigError(f'{path}: extends must name a manifest ("bundled" or a path), not {extends!r}')
    return bundled.manifest_file() if extends == BUNDLED else (path.parent / extends).resolve()


def parse_manifest(path: Path, data: dict[str, Any], seen: tuple[Path, ...] = ()) -> Manifest:
    """The manifest `data` (read from `path`), after the documents of the manifest it extends."""
    if path.resolve() in seen:
        raise ConfigError(f"{path}: manifests extend each other ({' -> '.join(map(str, (*seen, path)))})")
    base_path = extended_manifest(path, data)
    base = parse_manifest(base_path, read_toml(base_path, "manifest"), (*seen, path.resolve())) if base_path else None
    entries = data.get("document", [])
    if not entries and base is None:
        raise ConfigError(f"{path}: lists no [[document]]")
    inherited = base.documents if base else ()
    by_id: dict[str, Any] = {document.id: document for document in inherited}
    for index, entry in enumerate(entries, start=1):
        doc_id = entry.get("id")
        if not doc_id or doc_id in by_id:
            raise ConfigError(f"{path}: document #{index} has {'a repeated' if doc_id else 'no'} id {doc_id!r}")
        by_id[doc_id] = entry
    codes = _issuer_codes(path, base.issuer_codes if base else {}, data.get("issuer-codes", {}))
    places = _places(path, base.places if base else {}, data.get("places", {}))
    own = {entry["id"]: entry for entry in entries}
    minter = _IriMinter(path, own, codes, {document.id: document.iri for document in inherited})
    documents = (*inherited, *(_document(path, entry, minter.iri(entry["id"]), places) for entry in entries))
    for document in documents:
        for ref in (*document.implements, *([document.attachment_of] if document.attachment_of else [])):
            if ref not in by_id:
                raise ConfigError(f"{path}: document {document.id} refers to unknown document {ref!r}")
    chain = (path, *(base.chain if base else ()))
    return Manifest(path=path, documents=tuple(documents), issuer_codes=codes, chain=chain, places=places)


def _issuer_codes(
    path: Path, inherited: dict[str, dict[str, str]], own: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """The issuer codes of the extended manifest and this one's; one code may not mean two things."""
    for code, entry in own.items():
        if code in inherited and inherited[code] != entry:
            raise ConfigError(
                f"{path}: issuer code {code} is {entry}, but the manifest it extends has {inherited[code]}"
            )
    return {**inherited, **own}


def _places(path: Path, inherited: dict[str, tuple[str, str]], own: object) -> dict[str, tuple[str, str]]:
    """[places]: the names of the city jurisdictions the documents' IRIs use ("cn-lanchuan" = { name = "澜川市",
    name_en = "Lanchuan" }), which data/jurisdictions.toml (the nation and its provinces) does not list."""
    if not isinstance(own, dict):
        raise ConfigError(f'{path}: [places] must map codes to names, "cn-lanchuan" = {{ name = "澜川市", ... }}')
    places = dict(inherited)
    for code, entry in own.items():
        name = entry.get("name") if isinstance(entry, dict) else None
        if not isinstance(name, str) or not name:
            raise ConfigError(f'{path}: [places] {code} has no name; give name = "…市" and name_en')
        names = (name, str(entry.get("name_en") or name))
        if code in places and places[code] != names:
            raise ConfigError(
                f"{path}: [places] {code} is {names[0]}, but the manifest it extends has {places[code][0]}"
            )
        places[code] = names
    return places


def _document(path: Path, entry: dict[str, Any], iri: URIRef, places: dict[str, tuple[str, str]]) -> Document:
    where = f"{path}: document {entry['id']}"
    for required in ("file", "title", "kind"):
        if not entry.get(required):
            raise ConfigError(f"{where} has no {required!r}")
    if entry["kind"] not in KINDS:
        raise ConfigError(f"{where} has kind {entry['kind']!r}; known kinds: {', '.join(KINDS)}")
    return Document(
        id=entry["id"],
        file=(path.parent / entry["file"]).resolve(),
        title=entry["title"],
        title_en=entry.get("title_en") or None,
        kind=entry["kind"],
        iri=iri,
        reader=entry.get("reader"),
        encoding=entry.get("encoding"),
        number=entry.get("number"),
        attachment_of=entry.get("attachment_of"),
        issuers=tuple(entry.get("issuers", ())),
        date=_date(where, entry, "date"),
        in_force=_date(where, entry, "in_force"),
        published=_date(where, entry, "published"),
        implements=tuple(entry.get("implements", ())),
        note=entry.get("note"),
        note_en=entry.get("note_en"),
        category_en={int(k): v for k, v in entry.get("category_en", {}).items()},
        measure_parts=tuple(int(n) for n in entry.get("measure_parts", ())),
        columns=_columns(where, entry),
        place=places.get(iris.jurisdiction_of(iri) or ""),
    )


def _columns(where: str, entry: dict[str, Any]) -> dict[str, str]:
    """A table's `columns = { "责任主体" = "lead" }`: header words mapped to column roles."""
    value = entry.get("columns", {})
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
        raise ConfigError(f'{where}: columns must map header words to roles, such as {{ "责任主体" = "lead" }}')
    try:
        normal_columns(value)
    except ValueError as error:
        raise ConfigError(f"{where}: {error}") from None
    return dict(value)


def _date(where: str, entry: dict[str, Any], key: str) -> dt.date | None:
    value = entry.get(key)
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    raise ConfigError(f"{where}: {key} must be a date such as 2022-09-23, not {value!r}")


@dataclass
class _IriMinter:
    path: Path
    entries: dict[str, dict[str, Any]]
    codes: dict[str, dict[str, str]]
    known: dict[str, URIRef] = field(default_factory=dict)  # the documents of the manifest extended

    def iri(self, doc_id: str, seen: tuple[str, ...] = ()) -> URIRef:
        if doc_id in seen:
            raise ConfigError(f"{self.path}: documents {' -> '.join((*seen, doc_id))} are attachments of each other")
        if doc_id in self.known and doc_id not in self.entries:
            return self.known[doc_id]
        entry = self.entries.get(doc_id)
        if entry is None:
            raise ConfigError(f"{self.path}: unknown document {doc_id!r}")
        try:
            if entry.get("number"):
                return self._from_number(doc_id, entry["number"])
            if entry.get("eli"):
                return iris.policy_from_path(entry["eli"])
        except ValueError as error:
            raise ConfigError(f"{self.path}: document {doc_id}: {error}") from None
        if entry.get("attachment_of"):
            return iris.attachment(self.iri(entry["attachment_of"], (*seen, doc_id)), entry.get("attachment", 1))
        raise ConfigError(f"{self.path}: document {doc_id} needs a number, an eli path or attachment_of")

    def _from_number(self, doc_id: str, number: str) -> URIRef:
        match = iris.DOCUMENT_NUMBER.match(number) or iris.ORDER_NUMBER.match(number)
        if not match:
            raise ConfigError(
                f"{self.path}: document {doc_id}: {number!r} does not look like 发文字号 (京科转发〔2022〕226号, "
                "国务院令第731号)"
            )
        code = self.codes.get(match["code"])
        if code is None:
            raise ConfigError(
                f"{self.path}: document {doc_id}: issuer code {match['code']} has no entry in [issuer-codes]"
            )
        if "year" not in match.groupdict():
            return iris.policy_from_order(code["jurisdiction"], code["slug"], match["serial"])
        return iris.policy_from_number(code["jurisdiction"], code["slug"], match["year"], match["serial"])
