"""A manifest entry for a file people bring (`policykg add FILE`), made from what the file's own text says.

For one file: its kind by content (a task table, opinions, a law), the text it says about itself (a prose
document's lines; a table's title, notes and sign-off outside the table), the metadata read from it
(graph.ingest.metadata), and from those the `[[document]]` entry a person can review: an id, the reader, title,
number, issuers (registry ids where the document's jurisdiction registers the name, else the name), dates, kind,
jurisdiction, the documents it implements (its 为贯彻落实《…》 / 根据《…》制定 citations that resolve to a known
document by title or number) and the document it is attached to (a table whose title cites a document of its own
jurisdiction). Each field remembers where it came from (line and rule, or the flag that gave it), written as a
comment above it; a field not found is a `Missing` naming the flag that sets it, never a guess. Without a title,
a kind or a jurisdiction there is no entry (`Incomplete`).

IRIs stay reproducible: a number's issuer code not yet in `[issuer-codes]` gets a slug (its pinyin) and the
jurisdiction, written into the manifest with the entry; a document without a number gets an `eli` path.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pypinyin import lazy_pinyin

from graph.errors import ConfigError, PolicyKGError
from graph.ingest.agencies import Registry
from graph.ingest.citations import find_citations, title_key
from graph.ingest.jurisdictions import Jurisdictions, Place
from graph.ingest.kinds import PROSE_KINDS, TABLE_KINDS, detect_kind, read_text
from graph.ingest.manifest import KINDS, Manifest
from graph.ingest.metadata import DocumentMetadata, Evidence, Missing, infer_metadata
from graph.ingest.numbers import DocumentNumber, parse_number
from graph.readers import docx_text, tabular
from graph.readers.encoding import decode_file
from graph.readers.lines import SourceLine, SourceText, clean

# The files `policykg add` takes from a folder: what some reader reads.
SUFFIXES = (".txt", ".docx", ".html", ".htm", ".pdf", ".csv", ".xlsx")
TABLE = "task-division-table"
_ATTACHMENT_LABEL = re.compile(r"^附件\s*[0-9０-９一二三四五六七八九十]*\s*[:：]?$")  # 附件, 附件1, 附件２：
_EDITION = re.compile(r"[（(][^（）()]*[）)]$")  # 中华人民共和国…法（2021年修订）
_LONGEST_SLUG = 40
_LONGEST_ID_SLUG = 24


@dataclass(frozen=True)
class Overrides:
    """What the flags of `policykg add` set; None (or empty) where the text decides."""

    id: str | None = None
    title: str | None = None
    title_en: str | None = None
    number: str | None = None
    kind: str | None = None
    issuers: tuple[str, ...] = ()
    date: dt.date | None = None
    in_force: dt.date | None = None
    jurisdiction: str | None = None
    implements: tuple[str, ...] = ()
    reader: str | None = None
    encoding: str | None = None

    # Flags that name one document: given with several files, they would give all of them the same value.
    SINGLE = ("id", "title", "title_en", "number")

    def single_document_flags(self) -> list[str]:
        """The flags set here that only make sense for one file, as typed (--title-en)."""
        return ["--" + name.replace("_", "-") for name in self.SINGLE if getattr(self, name)]


@dataclass(frozen=True)
class Field:
    """One key of the entry, its value, and where it came from (a comment for the person reviewing it)."""

    key: str
    value: str | int | dt.date | tuple[str, ...]
    source: str


@dataclass
class Entry:
    """The `[[document]]` entry proposed for one file."""

    source: Path  # the file as given
    fields: list[Field]
    missing: list[Missing]
    issuer_code: tuple[str, dict[str, str]] | None = None  # a new [issuer-codes] entry: code -> jurisdiction, slug
    place: tuple[str, tuple[str, str]] | None = None  # a new [places] entry: a city's code -> its names, zh and en
    file: str = ""  # the path written into the manifest, relative to it (set by whoever places the file)
    counts: dict[str, int] = field(default_factory=dict)

    def value(self, key: str) -> object:
        return next((f.value for f in self.fields if f.key == key), None)

    @property
    def id(self) -> str:
        return str(self.value("id"))

    @property
    def title(self) -> str:
        return str(self.value("title"))

    def toml(self) -> str:
        """The entry as a readable [[document]] block: each field with a comment saying where it came from."""
        lines = [
            f"# {self.title}",
            f"# Added by `policykg add` from {self.source.name}. Each field says where it was read; correct any that",
            "# is wrong here, then run `policykg build`.",
            "[[document]]",
            f"id = {_toml(self.id)}",
            f"file = {_toml(self.file)}",
        ]
        if self.counts:
            lines.insert(3, "# found in it: " + ", ".join(f"{value} {name}" for name, value in self.counts.items()))
        for item in self.fields:
            if item.key in ("id", "attachment"):
                continue
            if item.key == "jurisdiction":  # not a key: the IRI's first segment says it (eli, [issuer-codes], parent)
                lines.append(f"# jurisdiction {item.value} (the first segment of its IRI): {item.source}")
                if self.place:
                    lines.append(f"# its names {self.place[1][0]} / {self.place[1][1]} are written into [places]")
                continue
            lines.append(f"# {item.key}: {item.source}")
            lines.append(f"{item.key} = {_toml(item.value)}")
            if item.key == "attachment_of":
                lines.append(f"attachment = {_toml(self.value('attachment') or 1)}")
        for missing in self.missing:
            lines.append(f"# {missing.message()}")
        return "\n".join(lines) + "\n"


class Incomplete(PolicyKGError):
    """A file that cannot become an entry: a required field is not in its text and no flag gives it."""

    def __init__(self, source: Path, messages: Sequence[str]) -> None:
        self.source = source
        self.messages = list(messages)
        super().__init__(f"{source}: " + "; ".join(self.messages))


@dataclass(frozen=True)
class Known:
    """A document an entry may refer to: one of the manifest's, or one proposed before it in the same command."""

    id: str
    title: str
    number: DocumentNumber | None
    jurisdiction: str | None
    kind: str
    attachment_of: str | None = None


def known_documents(manifest: Manifest | None) -> list[Known]:
    if manifest is None:
        return []
    return [
        Known(d.id, d.title, parse_number(d.number) if d.number else None, d.jurisdiction, d.kind, d.attachment_of)
        for d in manifest.documents
    ]


def as_known(entry: Entry) -> Known:
    number = entry.value("number")
    jurisdiction = entry.value("jurisdiction")
    attached = entry.value("attachment_of")
    return Known(
        entry.id,
        entry.title,
        parse_number(str(number)) if number else None,
        str(jurisdiction) if jurisdiction else None,
        str(entry.value("kind")),
        str(attached) if attached else None,
    )


# ---------------------------------------------------------------------------------------------------- slugs


def ascii_slug(text: str, longest: int = _LONGEST_SLUG) -> str:
    """A lower-case ASCII slug of Chinese text by its pinyin (澜科发 -> lankefa), letters and digits kept."""
    plain = unicodedata.normalize("NFKC", text)
    words = [re.sub(r"[^a-z0-9]+", "-", part.lower()) for part in lazy_pinyin(plain)]
    slug = re.sub(r"-+", "-", "".join(words)).strip("-")
    return slug[:longest].strip("-")


def city_code(place: Place, taken: Iterable[str] = ()) -> str | None:
    """The jurisdiction code of a place: "cn", "cn-zj"; a city gets its province's code (or "cn" when the text
    names none) and its pinyin, cn-zj-lanchuan, which no provincial code (two letters) can equal. A code a document
    of the manifest already uses for that city is reused."""
    if place.city is None:
        return place.code
    slug = ascii_slug(place.city.removesuffix("市"))
    if not slug:
        return None
    reused = [
        code for code in taken if code.endswith("-" + slug) and (place.code is None or code.startswith(place.code))
    ]
    return reused[0] if reused else f"{place.code or 'cn'}-{slug}"


# ---------------------------------------------------------------------------------------------------- the text


def text_of(path: Path, reader: str, encoding: str | None) -> SourceText:
    """What a file says about itself: a prose document's lines; a table's lines outside the table."""
    if reader in PROSE_KINDS:
        source = read_text(path, encoding)
    elif reader == "docx":
        source = docx_text.read_outside_tables(path)
    elif reader == "text-export":
        text = decode_file(path, encoding).text
        lines = [
            SourceLine(clean(raw), n) for n, raw in enumerate(text.splitlines(), 1) if clean(raw) and raw[:1] != "\t"
        ]
        source = SourceText(str(path), lines)
    else:
        source = tabular.read_title_rows(path, encoding)
    kept = [line for line in source.lines if not _ATTACHMENT_LABEL.match(line.text)]
    return SourceText(source.source, kept, source.encoding, source.notices)


def _where(source: SourceText, evidence: Evidence, reader: str) -> str:
    """Where a person finds a line: line 3, page 2 line 5, paragraph 4 of a .docx, row 1 of a spreadsheet."""
    line = source.lines[evidence.line - 1]
    if reader in ("csv", "xlsx"):
        return f"row {line.line}"
    if source.source.lower().endswith(".docx"):
        return f"paragraph {line.line}"
    return f"page {line.page}, line {line.line}" if line.page else f"line {line.line}"


def _from(source: SourceText, evidence: Sequence[Evidence], reader: str) -> str:
    places = ", ".join(dict.fromkeys(_where(source, e, reader) for e in evidence))
    rules = ", ".join(dict.fromkeys(e.rule for e in evidence))
    shown = " / ".join(dict.fromkeys(e.text for e in evidence))
    return f"{places} ({rules}): {shown[:80]}"


# ---------------------------------------------------------------------------------------------------- entries


@dataclass
class Proposer:
    """Makes the entries of one command: the manifest's documents and those proposed so far are what entries may
    refer to, and the issuer codes and ids handed out so far are not handed out again."""

    manifest: Manifest | None
    registry: Registry
    places: Jurisdictions
    overrides: Overrides = field(default_factory=Overrides)
    known: list[Known] = field(default_factory=list)
    codes: dict[str, dict[str, str]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.known = known_documents(self.manifest)
        self.codes = dict(self.manifest.issuer_codes) if self.manifest else {}
        self.named = dict(self.manifest.places) if self.manifest else {}

    def reader_of(self, path: Path) -> str:
        """The input kind of a file: --reader, else by content (InputError when it is none)."""
        if self.overrides.reader:
            if self.overrides.reader not in (*TABLE_KINDS, *PROSE_KINDS):
                raise ConfigError(
                    f"--reader {self.overrides.reader}: readers are {', '.join((*TABLE_KINDS, *PROSE_KINDS))}"
                )
            return self.overrides.reader
        return detect_kind(path, self.overrides.encoding)

    def propose(self, path: Path, reader: str | None = None) -> Entry:
        """The entry for `path`; InputError if it cannot be read, Incomplete if a required field is missing."""
        reader = reader or self.reader_of(path)
        source = text_of(path, reader, self.overrides.encoding)
        metadata = infer_metadata(source.text, self.places)
        entry = _Draft(self, path, reader, source, metadata).entry()
        self.known.append(as_known(entry))
        if entry.issuer_code:
            self.codes[entry.issuer_code[0]] = entry.issuer_code[1]
        if entry.place:
            self.named[entry.place[0]] = entry.place[1]
        return entry


@dataclass
class _Draft:
    """One entry being made: each method settles one field, from a flag or from the text."""

    owner: Proposer
    path: Path
    reader: str
    source: SourceText
    metadata: DocumentMetadata
    fields: dict[str, Field] = field(default_factory=dict)
    missing: list[Missing] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def flags(self) -> Overrides:
        return self.owner.overrides

    def seen(self, evidence: Sequence[Evidence]) -> str:
        return _from(self.source, evidence, self.reader)

    def set(self, key: str, value: str | int | dt.date | tuple[str, ...] | None, source: str) -> None:
        if value is not None and value != ():
            self.fields[key] = Field(key, value, source)

    def lack(self, name: str, flag: str, reason: str, required: bool = False) -> None:
        missing = Missing(name, flag, reason)
        if required:
            self.problems.append(missing.message())
        else:
            self.missing.append(missing)

    def entry(self) -> Entry:
        self.reader_field()
        self.title()
        self.number()
        self.kind()
        self.attachment()
        self.jurisdiction()
        if self.problems:
            raise Incomplete(self.path, self.problems)
        self.issuers()
        self.dates()
        self.implements()
        code = self.issuer_code()
        self.identity(code)
        if self.problems:
            raise Incomplete(self.path, self.problems)
        order = ("id", "reader", "encoding", "title", "title_en", "number", "eli", "kind", "jurisdiction",
                 "attachment_of", "attachment", "issuers", "date", "in_force", "implements")  # fmt: skip
        fields = [self.fields[key] for key in order if key in self.fields]
        return Entry(self.path, fields, self.missing, code, place=self.new_place())

    # -- the fields, in the order they depend on each other

    def reader_field(self) -> None:
        how = "given with --reader" if self.flags.reader else "by content: " + _READ_AS.get(self.reader, self.reader)
        self.set("reader", self.reader, how)
        self.set("encoding", self.flags.encoding, "given with --encoding")

    def title(self) -> None:
        if self.flags.title:
            self.set("title", self.flags.title, "given with --title")
        elif self.metadata.title:
            self.set("title", self.metadata.title.value, self.seen(self.metadata.title.evidence))
        else:
            self.lack("title", "--title", "no heading line before the number, date or salutation", required=True)
        if self.flags.title_en:
            self.set("title_en", self.flags.title_en, "given with --title-en")
        else:
            self.lack("title_en", "--title-en", "the text is Chinese; pages show the Chinese title meanwhile")

    def number(self) -> None:
        if self.flags.number:
            parsed = parse_number(self.flags.number)
            if parsed is None:
                self.problems.append(f"--number {self.flags.number!r} is not a document number (京科转发〔2022〕226号)")
                return
            self.set("number", parsed.canonical, "given with --number")
        elif self.metadata.number:
            self.set("number", self.metadata.number.value.canonical, self.seen(self.metadata.number.evidence))
        else:
            self._pass_on("number")

    def kind(self) -> None:
        inferred = self.metadata.kind
        if self.flags.kind:
            if self.flags.kind not in KINDS:
                self.problems.append(f"--kind {self.flags.kind}: kinds are {', '.join(KINDS)}")
            self.set("kind", self.flags.kind, "given with --kind")
        elif self.reader in TABLE_KINDS:
            self.set("kind", TABLE, "a task table by content (a header row naming its columns)")
        elif inferred and inferred.value.slug in KINDS:
            level = inferred.value.level
            how = f"{inferred.value.zh} (effect level {level.zh} / {level.en}); " + self.seen(inferred.evidence)
            self.set("kind", inferred.value.slug, how)
        else:
            reason = "the title does not end in a kind this program knows (意见, 方案, 通知, 法, 条例, 令…)"
            self.lack("kind", "--kind", reason, required=True)

    def attachment(self) -> None:
        """A table whose title cites a document of the manifest (or of this command) is that document's attachment,
        unless the cited document is another jurisdiction's (a city's table citing the national opinions)."""
        if self.fields.get("kind", Field("", "", "")).value != TABLE or "title" not in self.fields:
            return
        title = str(self.fields["title"].value)
        for citation in find_citations(title):
            parent = self._resolve(citation.title, citation.number)
            if parent is None or parent.kind == TABLE:
                continue
            own = self.flags.jurisdiction or self._inferred_jurisdiction()
            if own is not None and parent.jurisdiction != own:
                continue
            siblings = sum(1 for known in self.owner.known if known.attachment_of == parent.id)
            self.set("attachment_of", parent.id, f"the title cites it: {citation.text}")
            self.set("attachment", siblings + 1, "")
            return

    def jurisdiction(self) -> None:
        code = self._number_code()
        if self.flags.jurisdiction:
            if code and code["jurisdiction"] != self.flags.jurisdiction:
                self.problems.append(
                    f"--jurisdiction {self.flags.jurisdiction}: the number's issuer code is {code['jurisdiction']}'s "
                    "in [issuer-codes] of the manifest"
                )
            self.set("jurisdiction", self.flags.jurisdiction, "given with --jurisdiction")
            return
        if code:
            self.set("jurisdiction", code["jurisdiction"], "the number's issuer code in [issuer-codes]")
            return
        parent = self.fields.get("attachment_of")
        if parent:
            known = self._known(str(parent.value))
            if known and known.jurisdiction:
                self.set("jurisdiction", known.jurisdiction, f"that of {known.id}, which it is attached to")
                return
        place = self.metadata.jurisdiction
        found = self._inferred_jurisdiction()
        if place and found:
            self.set("jurisdiction", found, f"{place.value.label}; " + self.seen(place.evidence))
            return
        reason = "neither the issuers, the title nor the number's issuer code names a place"
        self.lack("jurisdiction", "--jurisdiction", reason, required=True)

    def issuers(self) -> None:
        if self.flags.issuers:
            self.set("issuers", self.flags.issuers, "given with --issuer")
            return
        inferred = self.metadata.issuers
        if inferred is None:
            self._pass_on("issuers")
            return
        registry = self.owner.registry.within(str(self.fields["jurisdiction"].value))
        values, notes = [], []
        for name in inferred.value:
            unit = registry.lookup(name)
            values.append(unit.id if unit else name)
            notes.append(f"{name} = registry {unit.id}" if unit else f"{name} (not registered: minted here)")
        self.set("issuers", tuple(values), "; ".join(notes) + "; " + self.seen(inferred.evidence))

    def dates(self) -> None:
        for key, flag in (("date", self.flags.date), ("in_force", self.flags.in_force)):
            inferred = getattr(self.metadata, key)
            if flag:
                self.set(key, flag, f"given with --{key.replace('_', '-')}")
            elif inferred:
                self.set(key, inferred.value, self.seen(inferred.evidence))
            else:
                self._pass_on(key)

    def implements(self) -> None:
        if self.flags.implements:
            unknown = [ref for ref in self.flags.implements if self._known(ref) is None]
            if unknown:
                self.problems.append(f"--implements {', '.join(unknown)}: no such document in the manifest")
            self.set("implements", self.flags.implements, "given with --implements")
            return
        number = parse_number(str(self.fields["number"].value)) if "number" in self.fields else None
        found: dict[str, str] = {}
        parent = self.fields.get("attachment_of")
        for citation in find_citations(self.source.text, number):
            if not citation.implements:
                continue
            known = self._resolve(citation.title, citation.number)
            if known is None or (parent and known.id == parent.value):
                continue
            line = self.source.lines[citation.line - 1]
            where = _where(self.source, Evidence(citation.line, line.text, ""), self.reader)
            found.setdefault(known.id, f"{where}: {citation.sentence[:60]}")
        if found:
            self.set("implements", tuple(found), "; ".join(f"{doc} ({why})" for doc, why in found.items()))

    def issuer_code(self) -> tuple[str, dict[str, str]] | None:
        """A number's issuer code not yet in [issuer-codes]: its jurisdiction and a slug no other code there has."""
        number = self.fields.get("number")
        parsed = parse_number(str(number.value)) if number else None
        if parsed is None or parsed.issuer_code in self.owner.codes:
            return None
        jurisdiction = str(self.fields["jurisdiction"].value)
        taken = {(c["jurisdiction"], c["slug"]) for c in self.owner.codes.values()}
        slug = base = ascii_slug(parsed.issuer_code.removeprefix("中华人民共和国") or parsed.issuer_code) or "code"
        counter = 1
        while (jurisdiction, slug) in taken:
            counter += 1
            slug = f"{base}-{counter}"
        return parsed.issuer_code, {"jurisdiction": jurisdiction, "slug": slug}

    def identity(self, code: tuple[str, dict[str, str]] | None) -> None:
        """The id (and, without a number or a parent document, the eli path): from the number, else the file name."""
        number = self.fields.get("number")
        parsed = parse_number(str(number.value)) if number else None
        duplicate = next((k for k in self.owner.known if parsed and k.number == parsed), None)
        if duplicate:
            self.problems.append(
                f"its number {parsed.canonical if parsed else ''} is document {duplicate.id}'s already"
            )
            return
        if self.flags.id:
            doc_id, how = self.flags.id, "given with --id"
        elif parsed:
            codes = {**self.owner.codes, **dict([code] if code else [])}
            slug = codes[parsed.issuer_code]["slug"]
            doc_id = f"{slug}-{parsed.year}-{parsed.serial}" if parsed.year else f"{slug}-{parsed.serial}"
            how = "from the number"
        else:
            digest = hashlib.sha256(self.path.read_bytes()).hexdigest()[:8]
            stem = ascii_slug(self.path.stem, _LONGEST_ID_SLUG) or "document"
            doc_id, how = f"{stem}-{digest}", "from the file name and its SHA-256"
        if self._known(doc_id):
            self.problems.append(f"id {doc_id} is taken by a document of the manifest; give another with --id")
            return
        self.set("id", doc_id, how)
        if parsed is None and "attachment_of" not in self.fields:
            jurisdiction, kind = self.fields["jurisdiction"].value, self.fields["kind"].value
            date = self.fields.get("date")
            year = f"/{date.value.year}" if date and isinstance(date.value, dt.date) else ""
            self.set("eli", f"{jurisdiction}/{kind}{year}/{doc_id}", "its IRI path (the document has no number)")

    # -- helpers

    def _pass_on(self, name: str) -> None:
        """A field the metadata reports missing (with its reason), kept as a note on the entry."""
        label = {"in_force": "in force"}.get(name, name)
        for missing in self.metadata.missing:
            if missing.field in (name, label):
                self.missing.append(missing)

    def _number_code(self) -> dict[str, str] | None:
        number = self.fields.get("number")
        parsed = parse_number(str(number.value)) if number else None
        return self.owner.codes.get(parsed.issuer_code) if parsed else None

    def new_place(self) -> tuple[str, tuple[str, str]] | None:
        """The names of a city jurisdiction the entry's IRI is the first to use (cn-lanchuan: 澜川市, Lanchuan),
        for the manifest's [places]; None when data/jurisdictions.toml or the manifest already names it."""
        code = self.fields.get("jurisdiction")
        place = self.metadata.jurisdiction
        if code is None or place is None or place.value.city is None or self.owner.places.get(str(code.value)):
            return None
        if str(code.value) in self.owner.named or str(code.value) != self._inferred_jurisdiction():
            return None
        city = place.value.city
        return str(code.value), (city, ascii_slug(city.removesuffix("市")).replace("-", "").capitalize() or city)

    def _inferred_jurisdiction(self) -> str | None:
        place = self.metadata.jurisdiction
        if place is None:
            return None
        taken = [k.jurisdiction for k in self.owner.known if k.jurisdiction]
        return city_code(place.value, taken)

    def _known(self, doc_id: str) -> Known | None:
        return next((known for known in self.owner.known if known.id == doc_id), None)

    def _resolve(self, title: str | None, number: DocumentNumber | None) -> Known | None:
        """The known document a citation names: by number, else by title (NFKC, brackets, edition note aside)."""
        if number is not None:
            by_number = next((k for k in self.owner.known if k.number == number), None)
            if by_number:
                return by_number
        if title is None:
            return None
        keys = {title_key(title), title_key(_EDITION.sub("", title))}
        for known in self.owner.known:
            if keys & {title_key(known.title), title_key(_EDITION.sub("", known.title))}:
                return known
        return None


_READ_AS = {
    "text-export": "a task table (Word table exported to text)",
    "docx": "a task table in a .docx",
    "csv": "a task table in a .csv",
    "xlsx": "a task table in an .xlsx",
    "opinions": "opinions (一、 parts, （一） items)",
    "law": "a law or regulation (第X章 chapters, 第X条 articles)",
}


# ---------------------------------------------------------------------------------------------------- TOML


def _toml(value: object) -> str:
    """A TOML value: a basic string (JSON's escapes are TOML's), a date, an integer, an array of strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    return json.dumps(str(value), ensure_ascii=False)


def issuer_code_line(code: str, entry: dict[str, str]) -> str:
    return f"{_toml(code)} = {{ jurisdiction = {_toml(entry['jurisdiction'])}, slug = {_toml(entry['slug'])} }}"


def place_line(code: str, names: tuple[str, str]) -> str:
    return f"{_toml(code)} = {{ name = {_toml(names[0])}, name_en = {_toml(names[1])} }}"


def with_entries(text: str, entries: Sequence[Entry]) -> str:
    """A manifest's text with new issuer codes in its [issuer-codes] table, new city names in its [places] table
    and the entries appended."""
    codes = [issuer_code_line(*entry.issuer_code) for entry in entries if entry.issuer_code]
    if codes:
        text = _with_table_lines(text, "[issuer-codes]", codes)
    places = [place_line(*entry.place) for entry in entries if entry.place]
    if places:
        text = _with_table_lines(text, "[places]", places)
    blocks = "\n".join(entry.toml() for entry in entries)
    return text.rstrip("\n") + "\n\n" + blocks if blocks else text


def _with_table_lines(text: str, table: str, codes: list[str]) -> str:
    """Lines added under a table's header ("[issuer-codes]"), or that table made before the first table."""
    lines = text.splitlines()
    header = next((i for i, line in enumerate(lines) if line.strip() == table), None)
    if header is None:
        first_table = next((i for i, line in enumerate(lines) if line.startswith("[")), len(lines))
        lines[first_table:first_table] = [table, *codes, ""]
    else:
        end = next(
            (i for i in range(header + 1, len(lines)) if lines[i].startswith("[") or not lines[i].strip()), len(lines)
        )
        lines[end:end] = codes
    return "\n".join(lines) + "\n"


def new_manifest_text(extends: str) -> str:
    """A build folder's manifest before any entry: what it extends, and an empty [issuer-codes] table."""
    return (
        "# The documents added to this build folder with `policykg add FILE…`, after those of the manifest it\n"
        "# extends. Each entry says where each field was read; correct it here and run `policykg build`.\n"
        "# Fields: see the header of PolicyKG's data/manifest.toml.\n"
        f"extends = {_toml(extends)}\n\n"
        "# Issuer codes (机关代字) of the added documents' numbers, as IRI segments.\n"
        "[issuer-codes]\n"
    )
