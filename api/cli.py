"""The `policykg` command: build the graph, validate a file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console
from rich.markup import escape
from rich.table import Table

import graph
from api import terminal
from api.settings import Settings
from graph import bundled
from graph.checks.report import Finding, build_findings, counts, findings, report_json, severity_counts
from graph.checks.upload import check_file
from graph.errors import ConfigError, PolicyKGError
from graph.ingest.agencies import load_registry
from graph.ingest.entries import Overrides
from graph.ingest.jurisdictions import Place, load_jurisdictions
from graph.ingest.kinds import KINDS
from graph.ingest.manifest import KINDS as MANIFEST_KINDS
from graph.ingest.manifest import load_manifest, manifest_chain
from graph.ingest.metadata import DocumentMetadata, Inferred, Kind
from graph.ingest.numbers import DocumentNumber
from graph.links import curation, linker
from graph.matrix import export
from graph.matrix.grid import matrix, resolve
from graph.readers.header import ROLES, Column
from graph.release.add import add_document, add_documents
from graph.release.build import Inputs, build
from graph.release.curate import add_candidates, decide, users_folder
from graph.release.files import AddedFiles, Failure, add_files, build_folder_manifest, supported_files
from graph.release.publish import publish
from graph.release.write import write_release
from graph.store.embedded import open_current, run_query
from graph.store.queries import StoredQuery, load_queries, load_query
from graph.store.releases import current_release
from graph.store.remote import RemoteError, RemoteStore
from graph.views.records import Views
from graph.views.stats import flat, graph_counts, release_report

_KIND_NAMES = {
    "text-export": "a task table (Word table exported to text)",
    "docx": "a task table (Word .docx)",
    "csv": "a task table (CSV)",
    "xlsx": "a task table (Excel .xlsx)",
    "opinions": "opinions (一、 parts and （一） items)",
    "law": "a law or regulation (第X章 chapters and 第X条 articles)",
    "rdf": "RDF",
}
_STYLE = {"violation": "bold red", "warning": "yellow", "info": "cyan"}
_OK, _VIOLATIONS, _USER_ERROR = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return _USER_ERROR
    out, err = Console(highlight=False), Console(stderr=True, highlight=False)
    try:
        return int(args.command(args, out, err))
    except PolicyKGError as error:
        err.print(f"[bold red]error:[/] {error}", soft_wrap=True)
        return _USER_ERROR
    except KeyboardInterrupt:
        err.print("interrupted; nothing was changed")
        return 130
    except BrokenPipeError:  # the reader went away (`policykg query … | head`): stop quietly, as Unix tools do
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return _OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policykg", description="PolicyKG: Chinese policy documents as linked data")
    parser.add_argument("--version", action="version", version=f"policykg {graph.__version__}")
    commands = parser.add_subparsers(title="commands")

    build_cmd = commands.add_parser("build", help="ingest the manifest's documents, validate, write dumps and store")
    build_cmd.add_argument("--out", type=Path, help="output folder (default: $POLICYKG_OUT_DIR or ./build)")
    build_cmd.add_argument("--manifest", type=Path, help="document manifest (default: the bundled one)")
    build_cmd.add_argument("--registry", type=Path, help="agency registry (default: the bundled one)")
    build_cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    build_cmd.add_argument("--publish", metavar="URL", help="also load the graphs into this SPARQL 1.1 endpoint")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="list every note, not only counts")
    build_cmd.set_defaults(command=_build)

    _add_parser(commands)

    validate_cmd = commands.add_parser("validate", help="check a task table or RDF file against the shapes")
    validate_cmd.add_argument("file", type=Path)
    validate_cmd.add_argument(
        "--kind", choices=sorted(KINDS), help="input kind (default: by the file's suffix and content)"
    )
    validate_cmd.add_argument("--encoding", help="character encoding if neither UTF-8 nor GB18030")
    validate_cmd.add_argument(
        "--column",
        action="append",
        default=[],
        type=_column_option,
        metavar="HEADER=ROLE",
        help=f"read a table column whose header PolicyKG does not know as ROLE ({', '.join(ROLES)}); repeatable",
    )
    validate_cmd.add_argument("--json", action="store_true", help="print the report as JSON")
    validate_cmd.add_argument("-v", "--verbose", action="store_true", help="list every note, not only counts")
    validate_cmd.set_defaults(command=_validate)

    serve_cmd = commands.add_parser("serve", help="serve the graph: SPARQL endpoint, JSON API, linked-data pages")
    serve_cmd.add_argument("--host", help="interface to listen on (default: $POLICYKG_HOST or 127.0.0.1)")
    serve_cmd.add_argument("--port", type=int, help="port (default: $POLICYKG_PORT or 8000)")
    serve_cmd.add_argument("--store", help="a pyoxigraph store folder, or a SPARQL endpoint URL, to serve")
    serve_cmd.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
    serve_cmd.set_defaults(command=_serve)

    query_cmd = commands.add_parser("query", help="run a SPARQL query on the current build's store")
    query_cmd.add_argument("sparql", help="the query text, or a stored query's name or .rq file")
    query_cmd.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE", help="bind a parameter")
    query_cmd.add_argument("--format", choices=sorted(terminal.FORMATS), default="table")
    query_cmd.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
    query_cmd.set_defaults(command=_query)

    link_cmd = commands.add_parser("link", help="propose similarity links from one document to another's provisions")
    link_cmd.add_argument("--source", required=True, metavar="DOC", help="manifest id of the document linked from")
    link_cmd.add_argument("--target", required=True, metavar="DOC", help="manifest id of the document linked to")
    link_cmd.add_argument("--top", type=int, default=linker.TOP, help=f"candidates per source (default {linker.TOP})")
    link_cmd.add_argument(
        "--min-score", type=float, default=linker.MIN_SCORE, help=f"lowest score kept (default {linker.MIN_SCORE})"
    )
    link_cmd.add_argument(
        "--out",
        type=Path,
        help="Turtle file (default: links-automatic/SOURCE--TARGET.ttl beside the manifest, the "
        "build folder's for the bundled one); `policykg add` the file to serve it without a build",
    )
    link_cmd.add_argument(
        "--manifest", type=Path, help="document manifest (default: $POLICYKG_MANIFEST or the bundled one)"
    )
    link_cmd.add_argument(
        "--registry", type=Path, help="agency registry (default: $POLICYKG_REGISTRY or the bundled one)"
    )
    link_cmd.set_defaults(command=_link)
    _curate_parser(commands)
    _export_parser(commands)

    stats_cmd = commands.add_parser("stats", help="what the current build holds, and its warnings and notes")
    stats_cmd.add_argument("--json", action="store_true", help="print the statistics as JSON")
    stats_cmd.add_argument("-v", "--verbose", action="store_true", help="list every note, not only warnings")
    stats_cmd.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
    stats_cmd.set_defaults(command=_stats)
    return parser


def _add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    add_cmd = commands.add_parser(
        "add",
        help="add files (or folders of them) to the current release, their metadata read from their text; "
        "or documents of the manifest by id",
        description="Each FILE (.txt .docx .html .htm .pdf .csv .xlsx; a folder: its files) gets a manifest entry "
        "inferred from its own text, written to the build folder's manifest.toml (or the manifest named) with a "
        "comment per field saying where it was read; all go into one new release. A DOC that is a manifest id is "
        "added as it is listed.",
    )
    add_cmd.add_argument("paths", nargs="+", metavar="FILE|FOLDER|DOC", help="files, folders, or manifest ids")
    add_cmd.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
    add_cmd.add_argument(
        "--manifest",
        type=Path,
        help="manifest to read and write entries to (default: the build folder's manifest.toml)",
    )
    add_cmd.add_argument("--registry", type=Path, help="agency registry (default: the bundled one)")
    add_cmd.add_argument("--dry-run", action="store_true", help="print the entries and what was found; write nothing")
    add_cmd.add_argument(
        "--all-or-nothing", action="store_true", help="add nothing if any file cannot be read or does not conform"
    )
    add_cmd.add_argument("-v", "--verbose", action="store_true", help="list every note, not only counts")
    fields = add_cmd.add_argument_group("fields (override what is read from the text)")
    fields.add_argument("--id", help="manifest id (one file only)")
    fields.add_argument("--title", help="Chinese title (one file only)")
    fields.add_argument("--title-en", help="English title (one file only)")
    fields.add_argument("--number", help="document number, 发文字号 (one file only)")
    fields.add_argument("--kind", choices=sorted(MANIFEST_KINDS), help="document kind")
    fields.add_argument("--issuer", action="append", default=[], help="issuing body: registry id or name (repeatable)")
    fields.add_argument("--date", type=_date_option, help="document date, 2024-03-08")
    fields.add_argument("--in-force", type=_date_option, help="date in force, 2024-03-08")
    fields.add_argument("--jurisdiction", help="jurisdiction code: cn, cn-zj, cn-zj-lanchuan")
    fields.add_argument("--implements", action="append", default=[], help="id of a document it implements (repeatable)")
    fields.add_argument("--reader", choices=sorted(KINDS), help="input kind (default: by content)")
    fields.add_argument("--encoding", help="character encoding if neither UTF-8 nor GB18030")
    add_cmd.set_defaults(command=_add)


def _curate_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    curate_cmd = commands.add_parser(
        "curate", help="list the automatic link candidates; accept one as a curated link, or reject it",
        description="A decision is appended to links.toml beside the manifest in use (for the bundled manifest, "
        "beside the build folder's manifest) and served at once as a new release, without a build.",
    )  # fmt: skip
    actions = curate_cmd.add_subparsers(title="actions", required=True)
    list_cmd = actions.add_parser("list", help="the candidates of the current release, with their ids")
    list_cmd.add_argument("--source", metavar="DOC", help="only those from this document (manifest id)")
    list_cmd.add_argument("--open", action="store_true", help="only those not accepted yet")
    list_cmd.add_argument("--json", action="store_true", help="print them as JSON")
    list_cmd.set_defaults(command=_curate_list)
    for name, helped in (("accept", "make a candidate a curated link"), ("reject", "turn a candidate down")):
        action = actions.add_parser(name, help=helped)
        action.add_argument("link", metavar="LINK", help="the candidate: its id (from `curate list`) or IRI")
        action.add_argument("--reason", required=True, help="why, in Chinese (理由)")
        action.add_argument("--reason-en", help="why, in English")
        action.add_argument("--by", help="who decided (recorded with the decision)")
        if name == "accept":
            action.add_argument(
                "--kind", choices=("implements", "cites"),
                help="implements a measure, or cites (rests on) an article (default: cites for laws and regulations)",
            )  # fmt: skip
        action.set_defaults(command=_curate_decide, accept=name == "accept")
    for action in actions.choices.values():
        action.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
        action.add_argument("--manifest", type=Path, help="document manifest (default: the build folder's)")
        action.add_argument("--registry", type=Path, help="agency registry (default: the bundled one)")


def _date_option(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date such as 2024-03-08") from None


def _export_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    export_cmd = commands.add_parser("export", help="write a view of the current build as a file")
    export_cmd.set_defaults(command=lambda _args, _out, _err: _usage(export_cmd))
    exports = export_cmd.add_subparsers(title="views")
    matrix_cmd = exports.add_parser("matrix", help="the responsibility matrix of a task table: CSV, XLSX or SVG")
    matrix_cmd.add_argument(
        "--policy", metavar="ID", help="the table's id or manifest id (default: the first document with tasks)"
    )
    matrix_cmd.add_argument("--format", choices=sorted(export.WRITERS), default="csv")
    matrix_cmd.add_argument(
        "--output", "-o", type=Path, help="file to write (default: standard output; xlsx: a file named after the table)"
    )
    matrix_cmd.add_argument("--lang", choices=("zh", "en"), default="zh", help="language of headings (default zh)")
    matrix_cmd.add_argument("--out", type=Path, help="build folder (default: $POLICYKG_OUT_DIR or ./build)")
    matrix_cmd.set_defaults(command=_export_matrix)


def _inputs(args: argparse.Namespace, settings: Settings, out_dir: Path | None = None) -> Inputs:
    """The manifest and registry named on the command line, else as the settings choose them (Settings.inputs)."""
    return settings.inputs(out_dir, args.manifest, args.registry)


def _say_inputs(
    err: Console, inputs: Inputs, out_dir: Path | None = None, only: tuple[str, ...] = ("manifest", "registry")
) -> None:
    """Which manifest, registry and build folder a command uses: editing another copy changes nothing."""
    bundled_data = bundled.folder("data")
    for name, path in (("manifest", inputs.manifest), ("registry", inputs.registry)):
        if name not in only:
            continue
        origin = " (bundled)" if path.resolve().parent == bundled_data.resolve() else ""
        if name == "manifest" and out_dir is not None and path.resolve() == build_folder_manifest(out_dir).resolve():
            origin = " (the build folder's" + _extends_said(path) + ")"
        err.print(f"{name}: {path}{origin}", soft_wrap=True, highlight=False)
    if out_dir is not None:
        err.print(f"build folder: {out_dir}", soft_wrap=True, highlight=False)


def _extends_said(path: Path) -> str:
    try:
        chain = manifest_chain(path)
    except ConfigError:
        return ""
    if len(chain) < 2:
        return ""
    origin = "the bundled " if chain[1] == bundled.manifest_file().resolve() else ""
    return f", extending {origin}{chain[1]}"


def _build(args: argparse.Namespace, out: Console, err: Console) -> int:
    settings = Settings()
    target = (args.out or settings.out_dir).resolve()
    inputs = _inputs(args, settings, target)
    _say_inputs(err, inputs, target)
    with err.status("building", spinner="dots") as status:
        built = build(inputs, progress=lambda message: status.update(message))
        found = build_findings(built)
        if built.report.conforms:
            folder = write_release(built, target, settings.keep_releases, lambda m: status.update(m))
    if args.json:
        out.print_json(json.dumps(report_json(built), ensure_ascii=False))
    else:
        _print_counts(out, counts(built))
        _print_findings(out, found, args.verbose)
    if not built.report.conforms:
        err.print(f"[bold red]build failed:[/] {severity_counts(found)['violation']} violation(s); nothing was written")
        return _VIOLATIONS
    err.print(f"[green]built[/] release {built.release} in {folder}")
    err.print(f"current -> {folder.relative_to(target)}")
    if args.publish:
        _publish(folder, args.publish, settings, err)
    return _OK


def _add(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Files and folders get entries inferred from their text; arguments that name manifest documents are added
    as listed."""
    settings = Settings()
    target = (args.out or settings.out_dir).resolve()
    inputs = _inputs(args, settings, target)
    _say_inputs(err, inputs, target)
    manifest = load_manifest(inputs.manifest)
    known = {document.id for document in manifest.documents}
    files = [Path(p) for p in args.paths if p not in known]
    if files and all(path.suffix.lower() == ".ttl" for path in files):
        return _add_candidates(files, settings, inputs, target, err)
    if files:
        if len(files) != len(args.paths):
            raise ConfigError("give either files and folders, or ids of documents of the manifest, not both")
        if len(files) == 1 and not files[0].exists() and "/" not in args.paths[0] and not files[0].suffix:
            raise ConfigError(f"{inputs.manifest}: no document {args.paths[0]!r}, and no such file or folder")
        return _add_files(args, files, settings, inputs, target, out, err)
    if len(args.paths) > 1:
        return _add_ids(args, settings, inputs, target, out, err)
    (document,) = args.paths
    with err.status(f"adding {document}", spinner="dots") as status:
        added = add_document(
            target, document, manifest, load_registry(inputs.registry), inputs, settings.keep_releases,
            lambda message: status.update(message),
        )  # fmt: skip
    found = build_findings(added.built)
    _print_counts(out, counts(added.built))
    _print_findings(out, found, args.verbose)
    timing = ", ".join(f"{step} {seconds:.2f} s" for step, seconds in added.seconds.items())
    if added.release is None:
        err.print(f"[bold red]not added:[/] {severity_counts(found)['violation']} violation(s); nothing was written")
        return _VIOLATIONS
    err.print(f"[green]added[/] {document} as release {added.release.name} ({timing})")
    return _OK


def _add_candidates(files: list[Path], settings: Settings, inputs: Inputs, target: Path, err: Console) -> int:
    """`policykg add SOURCE--TARGET.ttl`: candidate files of `policykg link`, each loaded without a build."""
    for path in files:
        loaded = add_candidates(target, inputs, path, settings.keep_releases)
        rejected = f", {loaded.rejected} rejected before and left out" if loaded.rejected else ""
        err.print(
            f"[green]loaded[/] {path.name}: {loaded.added} candidate link(s), replacing {loaded.replaced}{rejected}; "
            f"kept as {loaded.kept}; release {loaded.release.name} is current", soft_wrap=True, highlight=False,
        )  # fmt: skip
    return _OK


def _add_ids(
    args: argparse.Namespace, settings: Settings, inputs: Inputs, target: Path, out: Console, err: Console
) -> int:
    """Several documents of the manifest as one release."""
    manifest = load_manifest(inputs.manifest)
    with err.status("adding", spinner="dots") as status:
        added = add_documents(
            target, list(args.paths), manifest, load_registry(inputs.registry), inputs, settings.keep_releases,
            lambda message: status.update(message), args.all_or_nothing,
        )  # fmt: skip
    _print_counts(out, counts(added.built))
    _print_findings(out, build_findings(added.built), args.verbose)
    for rejected in added.rejected:
        if rejected.built is not None:
            _print_findings(out, build_findings(rejected.built), args.verbose)
        err.print(f"[bold red]not added:[/] {rejected.document.id}: {escape(rejected.reason)}", soft_wrap=True)
    if added.release is None:
        err.print("nothing was written")
        return _VIOLATIONS
    err.print(f"[green]added[/] {len(added.built.sources)} document(s) as release {added.release.name}")
    return _VIOLATIONS if added.rejected else _OK


def _overrides(args: argparse.Namespace) -> Overrides:
    return Overrides(
        id=args.id, title=args.title, title_en=args.title_en, number=args.number, kind=args.kind,
        issuers=tuple(args.issuer), date=args.date, in_force=args.in_force, jurisdiction=args.jurisdiction,
        implements=tuple(args.implements), reader=args.reader, encoding=args.encoding,
    )  # fmt: skip


def _add_files(
    args: argparse.Namespace, paths: list[Path], settings: Settings, inputs: Inputs, target: Path, out: Console,
    err: Console,
) -> int:  # fmt: skip
    """`policykg add FILE…`: entries from the files' text, written beside the build (or into the manifest named)."""
    overrides = _overrides(args)
    files, _ = supported_files(paths)
    single = overrides.single_document_flags()
    if single and len(files) > 1:
        raise ConfigError(f"{', '.join(single)} name(s) one document, but {len(files)} files are being added")
    named = args.manifest or settings.manifest
    manifest = (named or build_folder_manifest(target)).resolve()
    in_use = inputs.manifest if inputs.manifest.resolve() != manifest or manifest.is_file() else Inputs().manifest
    if not args.dry_run:
        err.print(f"entries go to: {manifest}", soft_wrap=True, highlight=False)
    with err.status("reading", spinner="dots") as status:
        done = add_files(
            paths, target, manifest, in_use, load_registry(inputs.registry), load_jurisdictions(), inputs, overrides,
            dry_run=args.dry_run, all_or_nothing=args.all_or_nothing, keep=settings.keep_releases,
            progress=lambda message: status.update(escape(message)),
        )  # fmt: skip
    return _report_files(args, done, out, err)


def _report_files(args: argparse.Namespace, done: AddedFiles, out: Console, err: Console) -> int:
    """What `policykg add FILE…` did, file by file; the exit status: 2 if a file could not be read or lacks a
    required field, else 1 if a document did not conform, else 0."""
    for entry in done.entries:
        if args.dry_run:
            out.print(entry.toml(), markup=False, highlight=False, soft_wrap=True)
        for missing in entry.missing:
            err.print(f"[yellow]not found[/] {escape(entry.source.name)}: {escape(missing.message())}", soft_wrap=True)
    if done.added is not None:
        for built in (done.added.built, *(r.built for r in done.added.rejected if r.built is not None)):
            _print_findings(out, build_findings(built), args.verbose)
    for failure in done.failures:
        err.print(f"[bold red]not added:[/] {escape(str(failure.file))}: {escape(failure.reason)}", soft_wrap=True)
    _say_added(args, done, err)
    if any(not _violations(failure) for failure in done.failures):
        return _USER_ERROR
    return _VIOLATIONS if done.failures else _OK


def _say_added(args: argparse.Namespace, done: AddedFiles, err: Console) -> None:
    release = done.added.release if done.added else None
    if args.dry_run:
        err.print(f"dry run: {len(done.entries)} entr{'y' if len(done.entries) == 1 else 'ies'}, nothing written")
    elif done.written and release is not None:
        for entry in done.entries:
            found = ", ".join(f"{value} {name}" for name, value in entry.counts.items())
            err.print(f"[green]added[/] {escape(entry.source.name)} as {entry.id} ({escape(found)})", soft_wrap=True)
        for arrival in done.added.arrivals if done.added else ():
            linking, tasks = arrival.linking, len({link.source for link in arrival.links})
            err.print(
                f"[green]linked[/] {linking.source_id} to {linking.target_id}: {len(arrival.links)} candidate links"
                f" for {tasks} tasks (automatic, to check)",
                soft_wrap=True,
            )
        err.print(f"release {release.name}; entries written to {done.manifest}", soft_wrap=True)
    else:
        err.print("[bold red]nothing was added[/]; nothing was written")


def _violations(failure: Failure) -> bool:
    return failure.violations


def _publish(release: Path, url: str, settings: Settings, err: Console) -> None:
    remote = RemoteStore(url, settings.base_iri, settings.query_timeout, settings.store_auth)
    try:
        with err.status(f"publishing to {url}", spinner="dots") as status:
            published = publish(release, remote, lambda message: status.update(message))
    except (RemoteError, SyntaxError) as error:
        raise ConfigError(f"publishing to {url} failed: {error}") from None
    finally:
        remote.close()
    err.print(f"[green]published[/] {len(published)} graphs, {sum(published.values()):,} triples to {url}")


def _serve(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Build on first run (when there is no store yet), then run uvicorn on the embedded store."""
    from api.main import create_app  # imported here: the web app costs ~0.8 s and the other commands never need it

    settings = _serve_settings(args)
    if settings.store is None and current_release(settings.out_dir.resolve()) is None:
        inputs = _inputs(argparse.Namespace(manifest=None, registry=None), settings)
        err.print(f"no build in {settings.out_dir.resolve()} yet: building {inputs.manifest} first", soft_wrap=True)
        with err.status("building", spinner="dots") as status:
            built = build(inputs, progress=lambda message: status.update(message))
            if not built.report.conforms:
                _print_findings(out, build_findings(built), verbose=False)
                raise ConfigError("the bundled data does not validate; nothing to serve")
            write_release(built, settings.out_dir.resolve(), settings.keep_releases, lambda m: status.update(m))
    served = settings.store or f"the current release in {settings.out_dir.resolve()}"
    err.print(f"serving {served}", soft_wrap=True, highlight=False)
    err.print(f"serving on http://{settings.host}:{settings.port}/ (SPARQL at /sparql, API docs at /docs)")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
    return _OK


def _serve_settings(args: argparse.Namespace) -> Settings:
    """The settings from the environment, with the options given on the command line over them."""
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "store": _store_option(args.store),
        "out_dir": args.out.resolve() if args.out else None,
    }
    return Settings(**{name: value for name, value in options.items() if value is not None})


def _store_option(store: str | None) -> str | None:
    """A store folder made absolute; a store given as a URL stays as it is."""
    if store is not None and not store.startswith(("http://", "https://")) and os.path.exists(store):
        return str(Path(store).resolve())
    return store


def _validate(args: argparse.Namespace, out: Console, err: Console) -> int:
    _say_inputs(err, Inputs(), only=("registry",))
    with err.status(f"validating {args.file}", spinner="dots"):
        checked = check_file(args.file, args.kind, args.encoding, columns=dict(args.column))
    found = findings(checked.report, checked.notices, checked.places.get, Path.cwd(), checked.graph)
    if args.json:
        data = {
            "file": str(args.file),
            "kind": checked.kind,
            "counts": checked.counts,
            **({"columns": [_column_json(column) for column in checked.columns]} if checked.columns else {}),
            **(_metadata_json(checked.metadata) if checked.metadata else {}),
            "conforms": checked.report.conforms,
            "summary": severity_counts(found),
            "findings": [finding.as_dict() for finding in found],
        }
        out.print_json(json.dumps(data, ensure_ascii=False))
    else:
        out.print(f"{args.file}: read as {_KIND_NAMES.get(checked.kind, checked.kind)}", soft_wrap=True)
        _print_columns(out, checked.columns)
        _print_counts(out, checked.counts, title="Found")
        if checked.metadata is not None:
            _print_metadata(out, checked.metadata)
        _print_findings(out, found, args.verbose)
    verdict = "conforms" if checked.report.conforms else "does not conform"
    err.print(f"{args.file}: {verdict} ({_summary(found)})")
    return _OK if checked.report.conforms else _VIOLATIONS


def _column_option(value: str) -> tuple[str, str]:
    """`--column 责任主体=lead`: a header word and the role its column holds."""
    header, _, role = value.rpartition("=")
    if not header.strip() or role not in ROLES:
        raise argparse.ArgumentTypeError(f"{value!r}: give HEADER=ROLE, ROLE one of {', '.join(ROLES)}")
    return header.strip(), role


def _column_json(column: Column) -> dict[str, object]:
    found: dict[str, object] = {"position": column.position, "header": column.header, "role": column.role}
    if column.level:
        found["level"] = column.level
    if column.given:
        found["given"] = True
    return found


def _print_columns(out: Console, columns: list[Column]) -> None:
    """Which column became what, so a person can check the reading against the table's header."""
    if not columns:
        return
    out.print("Columns", style="bold")
    for column in sorted(columns, key=lambda c: c.position):
        out.print(f"  {escape(column.describe())}", soft_wrap=True)


def _query(args: argparse.Namespace, out: Console, err: Console) -> int:
    stored = _stored_query(args.sparql)
    values = dict(item.split("=", 1) for item in args.param if "=" in item)
    try:
        bindings = stored.bindings(values) if stored else None
    except ValueError as error:
        err.print(f"[bold red]error:[/] {error}", soft_wrap=True)
        return _USER_ERROR
    folder = (args.out or Settings().out_dir).resolve()
    err.print(f"build folder: {folder}", soft_wrap=True, highlight=False)
    store = open_current(folder)
    try:
        result = run_query(store, stored.text if stored else args.sparql, bindings)
    except SyntaxError as error:
        err.print(f"[bold red]error:[/] the query is not valid SPARQL: {error}", soft_wrap=True)
        return _USER_ERROR
    except RuntimeError as error:
        err.print(f"[bold red]error:[/] the query failed: {error}", soft_wrap=True)
        return _USER_ERROR
    names, rows = terminal.rows_of(result)
    print(terminal.FORMATS[args.format](names, rows))
    return _OK


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return _USER_ERROR


def _current_views(out_dir: Path | None, err: Console) -> tuple[Path, Views]:
    settings = Settings()
    folder = (out_dir or settings.out_dir).resolve()
    err.print(f"build folder: {folder}", soft_wrap=True, highlight=False)
    return folder, Views(open_current(folder), settings.base_iri)


def _export_matrix(args: argparse.Namespace, out: Console, err: Console) -> int:
    """The same matrix as /matrix serves; CSV and SVG to standard output unless --output names a file."""
    _, views = _current_views(args.out, err)
    found = matrix(views, resolve(views, args.policy))
    content = export.WRITERS[args.format](found, args.lang)
    target: Path | None = args.output
    if target is None and args.format == "xlsx":
        target = Path(export.filename(found, "xlsx"))
    if target is None or str(target) == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.flush()
        return _OK
    target.write_bytes(content)
    size = f"{len(found.rows)} tasks, {len(found.units)} units"
    err.print(f"wrote the responsibility matrix of {found.policy.id} ({size}) to {target}", soft_wrap=True)
    return _OK


def _stats(args: argparse.Namespace, out: Console, err: Console) -> int:
    folder, views = _current_views(args.out, err)
    report = release_report(current_release(folder))
    data: dict[str, Any] = {key: report[key] for key in ("release", "built") if key in report}
    data.update(counts=graph_counts(views), **{key: report[key] for key in ("summary", "findings") if key in report})
    if args.json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return _OK
    if data.get("release"):
        out.print(f"PolicyKG release {data['release']}" + (f", built {data['built']}" if data.get("built") else ""))
    table = Table(show_header=False)
    for name, value, depth in flat(data["counts"]):
        table.add_row("  " * depth + name, f"{value:,}")
    out.print(table)
    _print_recorded(out, data.get("findings", []), args.verbose)
    if "summary" in data:
        out.print(", ".join(f"{n} {name}{'s' if n != 1 else ''}" for name, n in data["summary"].items()))
    return _OK


def _print_recorded(out: Console, found: list[dict[str, object]], verbose: bool) -> None:
    """Findings as report.json records them: warnings (and violations), and the notes with -v."""
    shown = [finding for finding in found if verbose or finding.get("severity") != "info"]
    for finding in shown:
        severity = str(finding.get("severity"))
        where = str(finding.get("where") or finding.get("focus") or "")
        source = f" (from {finding['value_where']})" if finding.get("value_where") else ""
        out.print(f"[{_STYLE.get(severity, 'bold')}]{escape(severity)}[/] {escape(where + source)}", soft_wrap=True)
        messages = dict.fromkeys(str(finding[key]) for key in ("message_en", "message_zh") if finding.get(key))
        for message in messages:
            out.print(f"    {escape(message)}", soft_wrap=True)
    if len(found) > len(shown):
        out.print(f"{len(found) - len(shown)} note(s) not shown; -v lists them")


def _link(args: argparse.Namespace, out: Console, err: Console) -> int:
    """Build in memory, propose links, write them as Turtle with their provenance; the build folder is not touched."""
    try:
        parameters = linker.Parameters(args.top, args.min_score)
    except ValueError as error:
        raise ConfigError(str(error)) from None
    settings = Settings()
    inputs = _inputs(args, settings)
    _say_inputs(err, inputs, settings.out_dir.resolve())
    known = [document.id for document in load_manifest(inputs.manifest).documents]
    for name in (args.source, args.target):
        if name not in known:
            raise ConfigError(f"{inputs.manifest}: unknown document {name!r}; the manifest has {', '.join(known)}")
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    with err.status("building", spinner="dots") as status:
        built = build(inputs, progress=lambda message: status.update(message))
    union = built.union()
    source, target = (built.manifest.document(name).iri for name in (args.source, args.target))
    links = linker.propose(union, source, target, parameters)
    folder = users_folder(inputs, settings.out_dir.resolve()) / "links-automatic"
    path = args.out or folder / f"{args.source}--{args.target}.ttl"
    linker.Linking(args.source, args.target, source, target, parameters, started).write(path, links)
    rows = [
        (linker.label(union, link.source), link.rank, linker.label(union, link.target), link.score) for link in links
    ]
    _print_links(out, f"{args.source} → {args.target}", rows)
    err.print(f"wrote {len(links)} candidate link(s) to {path}", soft_wrap=True)
    return _OK


def _in_build_folder(args: argparse.Namespace, err: Console) -> tuple[Settings, Path, Inputs]:
    """The settings, the build folder (--out) and the inputs of a command that works on a build, said on stderr."""
    settings = Settings()
    target = (args.out or settings.out_dir).resolve()
    inputs = _inputs(args, settings, target)
    _say_inputs(err, inputs, target)
    return settings, target, inputs


def _curate_list(args: argparse.Namespace, out: Console, err: Console) -> int:
    _, target, inputs = _in_build_folder(args, err)
    store = open_current(target).raw
    found = curation.candidates(store, load_manifest(inputs.manifest), args.source)
    if args.open:
        found = [candidate for candidate in found if not candidate.accepted]
    if args.json:
        listed = [
            {"id": c.id, "iri": str(c.iri), "source": c.source_ref, "target": c.target_ref, "rank": c.rank,
             "score": c.score, "accepted": c.accepted}
            for c in found
        ]  # fmt: skip
        out.print_json(json.dumps(listed, ensure_ascii=False))
        return _OK
    pairs: dict[tuple[str, str], list[curation.Candidate]] = {}
    for c in found:
        pairs.setdefault((c.source_ref.split("/", 1)[0], c.target_ref.split("/", 1)[0]), []).append(c)
    for (source_id, target_id), rows in pairs.items():
        table = Table(title=f"{source_id} → {target_id}: {len(rows)} candidate(s)", title_justify="left")
        table.add_column("id", no_wrap=True, min_width=16)
        for column in ("source", "rank", "target", "score", "state"):
            table.add_column(column, justify="right" if column in ("rank", "score") else "left", overflow="fold")
        for c in rows:
            score = "" if c.score is None else f"{c.score:.4f}"
            state = "accepted" if c.accepted else "open"
            table.add_row(c.id, c.source_ref.split("/", 1)[1], str(c.rank), c.target_ref.split("/", 1)[1], score, state)
        out.print(table)
    if not found:
        out.print("no automatic candidates")
    err.print("accept: policykg curate accept ID --reason …; reject: policykg curate reject ID --reason …")
    return _OK


def _curate_decide(args: argparse.Namespace, out: Console, err: Console) -> int:
    settings, target, inputs = _in_build_folder(args, err)
    done = decide(
        target, inputs, args.link, accept=args.accept, kind=getattr(args, "kind", None), reason=args.reason,
        reason_en=args.reason_en, by=args.by, keep=settings.keep_releases,
    )  # fmt: skip
    candidate = done.decision.candidate
    what = f"accepted as {done.decision.kind}" if done.decision.accepted else "rejected"
    err.print(f"{candidate.source_ref} → {candidate.target_ref}: {what}", soft_wrap=True, highlight=False)
    if done.link is not None:
        err.print(f"curated link {done.link.iri} (rank {done.link.rank})", soft_wrap=True, highlight=False)
    err.print(f"decision written to {done.linkset}", soft_wrap=True, highlight=False)
    err.print(f"[green]release[/] {done.release.name} is current")
    return _OK


def _print_links(out: Console, title: str, rows: list[tuple[str, int, str, float | None]]) -> None:
    table = Table(title=title, title_justify="left")
    for column in ("source", "rank", "target", "score"):
        table.add_column(column, justify="right" if column in ("rank", "score") else "left")
    for source, rank, target, score in rows:
        table.add_row(source, str(rank), target, "" if score is None else f"{score:.4f}")
    out.print(table)


def _stored_query(argument: str) -> StoredQuery | None:
    """The stored query an argument names (`agency-tasks` or `queries/agency-tasks.rq`), else None."""
    if argument.endswith(".rq") and Path(argument).is_file():
        return load_query(Path(argument))
    if re.fullmatch(r"[a-z0-9-]+", argument):
        return load_queries(bundled.folder("queries")).get(argument)
    return None


def _metadata_fields(metadata: DocumentMetadata) -> list[tuple[str, str, list[int]]]:
    """The inferred fields as (name, value as a person reads it, lines it came from)."""
    shown: list[tuple[str, str, list[int]]] = []
    values: list[tuple[str, Inferred[Any] | None]] = [
        ("title", metadata.title), ("number", metadata.number), ("issuers", metadata.issuers),
        ("date", metadata.date), ("in force", metadata.in_force), ("jurisdiction", metadata.jurisdiction),
        ("kind", metadata.kind),
    ]  # fmt: skip
    for name, inferred in values:
        if inferred is not None:
            shown.append((name, _shown(inferred.value), [e.line for e in inferred.evidence]))
    return shown


def _shown(value: object) -> str:
    if isinstance(value, DocumentNumber):
        return value.canonical
    if isinstance(value, tuple):
        return "、".join(map(str, value))
    if isinstance(value, Place):
        return f"{value.label} ({value.code})" if value.code else value.label
    if isinstance(value, Kind):
        return f"{value.zh} / {value.en} ({value.level.zh} / {value.level.en})"
    return str(value)


def _metadata_json(metadata: DocumentMetadata) -> dict[str, Any]:
    fields = {name: {"value": value, "lines": lines} for name, value, lines in _metadata_fields(metadata)}
    return {"metadata": fields, "missing": [missing.message() for missing in metadata.missing]}


def _print_metadata(out: Console, metadata: DocumentMetadata) -> None:
    table = Table(title="Read from the text", show_header=False, title_justify="left")
    for _ in range(3):
        table.add_column(overflow="fold")  # a long title wraps rather than ending in "…"
    for name, value, lines in _metadata_fields(metadata):
        table.add_row(name, escape(value), ", ".join(f"line {line}" for line in lines))
    out.print(table)
    for missing in metadata.missing:
        out.print(f"[yellow]not found[/] {escape(missing.message())}", soft_wrap=True)


def _print_counts(out: Console, numbers: dict[str, int], title: str = "PolicyKG build") -> None:
    table = Table(title=title, show_header=False, title_justify="left")
    for name, value in numbers.items():
        table.add_row(name, f"{value:,}")
    out.print(table)


def _print_findings(out: Console, found: list[Finding], verbose: bool) -> None:
    """Findings grouped by message: 'rows 4, 7, 9' rather than one line each."""
    groups: dict[tuple[str, str, str], list[Finding]] = {}
    for finding in found:
        file = finding.where.file if finding.where else ""
        groups.setdefault((finding.severity, finding.message_en, file), []).append(finding)
    hidden = 0
    for (severity, message, file), members in groups.items():
        if severity == "info" and not verbose:
            hidden += len(members)
            continue
        out.print(f"[{_STYLE[severity]}]{severity}[/] {file + ': ' if file else ''}{_places(members)}", soft_wrap=True)
        zh = members[0].message_zh
        out.print(f"    {message}" + (f"\n    {zh}" if zh and zh != message else ""), soft_wrap=True)
    if hidden:
        out.print(f"{hidden} note(s) not shown (such as merged cells and ignored export debris); -v lists them")
    out.print(_summary(found))


def _places(members: list[Finding]) -> str:
    parts = []
    for finding in members:
        where = finding.where
        if where is None:
            parts.append(finding.focus or "")
            continue
        bits = [f"row {where.row}" if where.row else "", f"line {where.line}" if where.line else ""]
        text = " ".join(bit for bit in bits if bit) or where.describe()
        if finding.value_where and finding.value_where.row:
            text += f" (from row {finding.value_where.row})"
        parts.append(text)
    return "; ".join(dict.fromkeys(parts))  # two findings of one row (two unknown units in one cell) are one place


def _summary(found: list[Finding]) -> str:
    numbers = severity_counts(found)
    return ", ".join(f"{count} {name}{'s' if count != 1 else ''}" for name, count in numbers.items())


if __name__ == "__main__":
    sys.exit(main())
