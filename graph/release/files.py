"""`policykg add FILE…`: files (or folders of them) into the current release, with no manifest editing.

For each file an entry is proposed from its own text (graph.ingest.entries); the entries are appended to the
manifest (the build folder's `manifest.toml` unless one is named; created on first use, extending the manifest in
use) and the files copied beside it under `documents/`, so `policykg build` rebuilds the same documents later.
All the documents go into ONE new release (graph.release.add.add_documents): a file that cannot be read, or whose
document does not conform, is reported with its reason and the others still go in; with `all_or_nothing`, nothing
is written if any fails. A dry run proposes and reads everything and writes nothing.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import shutil
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph

from graph import bundled
from graph.errors import ConfigError, InputError, PolicyKGError
from graph.ingest.agencies import Registry
from graph.ingest.entries import SUFFIXES, Entry, Incomplete, Overrides, Proposer, new_manifest_text, with_entries
from graph.ingest.jurisdictions import Jurisdictions
from graph.ingest.kinds import TABLE_KINDS, Ingested, found_counts, ingest
from graph.ingest.manifest import BUNDLED, Manifest, parse_manifest
from graph.rdf import iris
from graph.release.add import Added, add_documents
from graph.release.build import Inputs, Progress

MANIFEST = "manifest.toml"  # the build folder's manifest: {out}/manifest.toml
DOCUMENTS = "documents"  # where added files are copied, beside the manifest they are entered in


@dataclass(frozen=True)
class Failure:
    """A file that was not added, and why (its name, the place in it where that is known)."""

    file: Path
    reason: str
    violations: bool = False  # read, but its document does not conform (or refers to one that does not)


@dataclass
class AddedFiles:
    """What `add_files` did: the entries written (or, in a dry run, proposed), the files left out, the release."""

    manifest: Path
    entries: list[Entry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    added: Added | None = None
    written: bool = False


def build_folder_manifest(out: Path) -> Path:
    return out / MANIFEST


def supported_files(paths: list[Path]) -> tuple[list[Path], list[Failure]]:
    """The files to add: each file named, and the supported files of each folder (sorted, hidden ones skipped)."""
    files: list[Path] = []
    failures: list[Failure] = []
    for path in paths:
        if path.is_dir():
            found = sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUFFIXES and not any(part.startswith(".") for part in p.parts)
            )  # fmt: skip
            if not found:
                failures.append(Failure(path, f"holds no file PolicyKG reads ({', '.join(SUFFIXES)})"))
            files += found
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                files.append(path)
            else:
                failures.append(Failure(path, f"is not a file PolicyKG reads ({', '.join(SUFFIXES)})"))
        else:
            failures.append(Failure(path, "no such file or folder"))
    return list(dict.fromkeys(p.resolve() for p in files)), failures


def manifest_text(target: Path, in_use: Path) -> str:
    """The text of the manifest entries are written to: as it is, or a new one extending the manifest in use."""
    if target.is_file():
        return target.read_text("utf-8")
    return new_manifest_text(_extends(target, in_use))


def _extends(target: Path, in_use: Path) -> str:
    """What a new manifest extends: "bundled" for the installed manifest (wherever a reinstall puts it), else the
    manifest in use, by a path relative to the new one when it can be."""
    if in_use.resolve() == bundled.manifest_file().resolve():
        return BUNDLED
    return os.path.relpath(in_use.resolve(), target.parent.resolve())


@dataclass
class _Plan:
    """The entries of one command and the text of the manifest with them."""

    target: Path
    text: str
    entries: list[Entry]

    def manifest(self, entries: list[Entry]) -> Manifest:
        composed = with_entries(self.text, entries)
        try:
            data = tomllib.loads(composed)
        except tomllib.TOMLDecodeError as error:  # an entry this program wrote: a bug, said plainly
            raise ConfigError(f"{self.target}: the entries written would not be valid TOML ({error})") from None
        return parse_manifest(self.target, data)


def add_files(
    paths: list[Path], out: Path, target: Path, in_use: Path, registry: Registry, places: Jurisdictions,
    inputs: Inputs, overrides: Overrides | None = None, *, dry_run: bool = False, all_or_nothing: bool = False,
    keep: int = 3, progress: Progress | None = None,
) -> AddedFiles:  # fmt: skip
    """Propose an entry for every file, then (unless `dry_run`) add them as one release and write the entries."""
    say = progress or (lambda _message: None)
    files, failures = supported_files(paths)
    text = manifest_text(target, in_use)
    proposer = Proposer(_manifest_before(target, text), registry, places, overrides or Overrides())
    entries = _propose_all(proposer, files, failures, say)
    result = AddedFiles(target, entries, failures)
    for entry in entries:
        entry.file = _placed(target, entry)
    plan = _Plan(target, text, entries)
    if dry_run or not entries:
        _count(plan, entries, registry, failures)
        return result
    if all_or_nothing and failures:
        return result
    copies = _copy(target, entries)
    try:
        manifest = plan.manifest(entries)
        added = add_documents(
            out, [e.id for e in entries], manifest, registry, _inputs_for(inputs, target), keep, say, all_or_nothing
        )
    except BaseException:
        _remove(copies)
        raise
    result.added = added
    refused = {rejected.document.id: rejected for rejected in added.rejected}
    failures += [
        Failure(e.source, refused[e.id].reason, refused[e.id].error is None) for e in entries if e.id in refused
    ]
    if added.release is None:
        _remove(copies)
        return result
    result.entries = [e for e in entries if e.id not in refused]
    _remove([copy for copy, entry in zip(copies, entries, strict=True) if entry.id in refused])
    for entry in result.entries:
        entry.counts = _counts_of(added, entry.id)
    _write(target, with_entries(text, result.entries))
    result.written = True
    return result


def _manifest_before(target: Path, text: str) -> Manifest | None:
    """The manifest as it is before this command (None for a new one that lists nothing yet of its own)."""
    try:
        return parse_manifest(target, tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{target}: not valid TOML ({error})") from None


def _propose_all(proposer: Proposer, files: list[Path], failures: list[Failure], say: Progress) -> list[Entry]:
    """An entry for each file; prose first, so a table attached to opinions added with it finds them."""
    readers: list[tuple[Path, str]] = []
    for index, path in enumerate(files, start=1):
        say(f"{index}/{len(files)} reading {path.name}")
        try:
            readers.append((path, proposer.reader_of(path)))
        except PolicyKGError as error:
            failures.append(Failure(path, _reason(error)))
    readers.sort(key=lambda item: item[1] in TABLE_KINDS)
    entries = []
    for index, (path, reader) in enumerate(readers, start=1):
        say(f"{index}/{len(readers)} reading what {path.name} says about itself")
        try:
            entries.append(proposer.propose(path, reader))
        except Incomplete as error:
            failures.append(Failure(path, "; ".join(error.messages)))
        except PolicyKGError as error:
            failures.append(Failure(path, _reason(error)))
    return entries


def _reason(error: PolicyKGError | str) -> str:
    """An error as said about the file it is in: the place within it and the message, not the path again."""
    if isinstance(error, InputError):
        where = error.where
        place = ", ".join(
            part for part in (
                f"row {where.row}" if where.row else "", f"column {where.column}" if where.column else "",
                f"page {where.page}" if where.page else "", f"line {where.line}" if where.line else "",
            ) if part
        )  # fmt: skip
        return f"{place}: {error.message}" if place else error.message
    return str(error)


def _placed(target: Path, entry: Entry) -> str:
    """The file's path in the manifest: where it lies when under the manifest's folder, else documents/NAME (a
    name already taken by another file gets the file's digest)."""
    folder = target.parent.resolve()
    source = entry.source.resolve()
    if source.is_relative_to(folder):
        return source.relative_to(folder).as_posix()
    copy = folder / DOCUMENTS / source.name
    if copy.exists() and copy.read_bytes() != source.read_bytes():
        digest = hashlib.sha256(source.read_bytes()).hexdigest()[:8]
        copy = copy.with_name(f"{source.stem}-{digest}{source.suffix}")
    return copy.relative_to(folder).as_posix()


def _copy(target: Path, entries: list[Entry]) -> list[Path | None]:
    """Copy each file to its place beside the manifest; the copies made (None where nothing was copied)."""
    made: list[Path | None] = []
    for entry in entries:
        copy = target.parent / entry.file
        if copy.resolve() == entry.source.resolve() or copy.exists():
            made.append(None)
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(entry.source, copy)
        made.append(copy)
    return made


def _remove(copies: list[Path | None]) -> None:
    for copy in copies:
        if copy is not None:
            copy.unlink(missing_ok=True)


def _write(target: Path, text: str) -> None:
    """The manifest replaced in one rename, so a reader never sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.writing")
    temporary.write_text(text, "utf-8")
    os.replace(temporary, target)


def _inputs_for(inputs: Inputs, target: Path) -> Inputs:
    return dataclasses.replace(inputs, manifest=target)


def _count(plan: _Plan, entries: list[Entry], registry: Registry, failures: list[Failure]) -> None:
    """A dry run's counts: each document read as the build would read it (the file where it is, not copied)."""
    if not entries:
        return
    manifest = plan.manifest(entries)
    for entry in list(entries):
        document = dataclasses.replace(manifest.document(entry.id), file=entry.source)
        try:
            entry.counts = found_counts(ingest(document, registry))
        except InputError as error:
            failures.append(Failure(entry.source, _reason(error)))
            entries.remove(entry)


def _counts_of(added: Added, doc_id: str) -> dict[str, int]:
    """What was found in one added document, as `policykg validate` counts it."""
    built = added.built
    graph = next((g for g in built.graphs if g.identifier == iris.named_graph(doc_id)), Graph())
    ingested = Ingested(graph, [], {}, None, built.tables.get(doc_id), built.proses.get(doc_id))
    return found_counts(ingested)
