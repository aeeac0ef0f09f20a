"""Ingestion benchmarks: a batch of synthetic tables through `policykg build`, and one new document through
`policykg add` at each corpus size.

Run: .venv/bin/python -m bench.ingest [--tables 1000] [--sizes 10k,100k,1m] [--seed 1]
     (or as part of bench/run.py; writes bench/.data/results/ingest.json and the "Ingestion" section of RESULTS.md)

batch   N task tables of the synthetic world (bench/generate.py: World.table), written as CSV files with a
        manifest and the world's registry as TOML, then built by graph.release.build.build exactly as `policykg build`
        does: read, interpret, triples, one SHACL validation of the whole graph, and the release written
        (dumps and store). Tables per second, and where the time goes (read+convert / validate / write).
add     at each corpus size, one new table of about 20, 80 and 320 tasks added to a scratch copy of the corpus's
        current release with graph.release.add.add_document (what `policykg add` runs): read+convert, validation
        with its context from the store, load into a checkpoint of the store, and the dumps. The target is that
        validation + load depend on the document, not on the corpus; the dumps are the whole dataset, so they
        grow with the corpus, and are reported apart.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import generate
from graph.ingest.agencies import Registry
from graph.ingest.manifest import Document, Manifest
from graph.readers.base import RawRow, RawTable
from graph.release.add import add_document
from graph.release.build import Inputs, build
from graph.release.write import write_release
from graph.store.releases import CURRENT
from graph.text import to_chinese_numeral

RESULTS = generate.DATA / "results" / "ingest.json"
DOCUMENT_TABLES = (1, 4, 16)  # tables concatenated into the document added: ~20, ~80, ~320 tasks


def _world(size: str, seed: int) -> generate.World:
    return generate.World(seed, generate.Profile.for_target(generate.SIZES[size]))


def write_csv(table: RawTable, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["分类", "任务编号", "任务内容", "责任单位"])
        writer.writerows(row.cells for row in table.rows)


def write_registry(registry: Registry, path: Path) -> None:
    entries = []
    for unit in registry.units.values():
        names = ", ".join(json.dumps(name, ensure_ascii=False) for name in unit.names)
        entries.append(
            f"[[unit]]\nid = {json.dumps(unit.id)}\nkind = {json.dumps(unit.kind)}\n"
            f"name = {json.dumps(unit.name, ensure_ascii=False)}\nname_en = {json.dumps(unit.name_en)}\n"
            f"names = [{names}]\n"
        )
    path.write_text("\n".join(entries), encoding="utf-8")


def _issuer(registry: Registry) -> str:
    return next(unit.id for unit in registry.units.values() if unit.kind == "agency")


def _entry(document: Document, file: str, issuer: str) -> str:
    return (
        f'[[document]]\nid = "{document.id}"\nfile = "{file}"\nreader = "csv"\n'
        f"title = {json.dumps(document.title, ensure_ascii=False)}\ntitle_en = {json.dumps(document.title_en)}\n"
        f'kind = "task-division-table"\neli = "bench/{document.id}"\nissuers = ["{issuer}"]\ndate = 2026-01-01\n'
    )


def batch(seed: int, tables: int, say: Callable[[str], None]) -> dict[str, Any]:
    """`tables` synthetic tables built and validated in one `build`."""
    world = _world("100k", seed)
    with tempfile.TemporaryDirectory(prefix="policykg-ingest-") as scratch:
        folder = Path(scratch)
        (folder / "corpus").mkdir()
        issuer = _issuer(world.registry)
        entries = ['[issuer-codes]\n"京科转发" = { jurisdiction = "cn-bj", slug = "jingkezhuanfa" }\n']
        rows = 0
        for index in range(tables):
            document, raw = world.table(index)
            write_csv(raw, folder / "corpus" / f"{document.id}.csv")
            entries.append(_entry(document, f"corpus/{document.id}.csv", issuer))
            rows += len(raw.rows)
        (folder / "manifest.toml").write_text("\n".join(entries), encoding="utf-8")
        (folder / "links.toml").write_text("", encoding="utf-8")
        write_registry(world.registry, folder / "agencies.toml")
        inputs = Inputs(manifest=folder / "manifest.toml", registry=folder / "agencies.toml")
        marks: list[tuple[str, float]] = []
        say(f"ingest: building {tables} tables ({rows} rows)")
        started = time.perf_counter()
        built = build(inputs, progress=lambda message: marks.append((message, time.perf_counter())))
        built_at = time.perf_counter()
        write_release(built, folder / "out")
        written = time.perf_counter()
    validating = next(at for message, at in marks if message.startswith("validating"))
    total = written - started
    result = {
        "tables": tables, "rows": rows, "triples": sum(len(g) for g in built.graphs),
        "conforms": built.report.conforms, "results": len(built.report.results),
        "read_convert_seconds": validating - started, "validate_seconds": built_at - validating,
        "write_seconds": written - built_at, "total_seconds": total, "tables_per_second": tables / total,
        "tables_per_second_without_write": tables / (built_at - started),
    }  # fmt: skip
    say(f"ingest: {tables} tables in {total:.1f} s = {result['tables_per_second']:.1f} tables/s "
        f"(validate {result['validate_seconds']:.1f} s)")  # fmt: skip
    return result


def _document_table(world: generate.World, index: int, parts: int) -> tuple[Document, RawTable]:
    """A table made of `parts` generated tables, tasks and categories renumbered: about 20 × parts tasks."""
    document, _ = world.table(index)
    rows: list[RawRow] = []
    categories = 0
    for part in range(parts):
        _, table = world.table(index + part)
        offset = len(rows)
        for row in table.rows:
            category = row.cells[0]
            if category:
                categories += 1
                category = f"{to_chinese_numeral(categories)}、{category.split('、', 1)[1]}"
            number = offset + int(row.cells[1])
            rows.append(RawRow(number + 1, (category, str(number), row.cells[2], row.cells[3])))
    return document, RawTable(document.file.name, rows, "utf-8")


def add_one(size: str, seed: int, parts: int, say: Callable[[str], None]) -> dict[str, Any]:
    corpus = generate.ensure(size, seed, say)
    world = _world(size, seed)
    document, raw = _document_table(world, 90_000 + parts, parts)
    with tempfile.TemporaryDirectory(prefix="policykg-add-", dir=generate.DATA) as scratch:
        folder = Path(scratch)
        file = folder / f"{document.id}.csv"
        write_csv(raw, file)
        issuer = _issuer(world.registry)
        document = Document(
            id=document.id, file=file, title=document.title, title_en=document.title_en, kind=document.kind,
            iri=document.iri, reader="csv", issuers=(issuer,), date=generate.EPOCH.date(),
        )  # fmt: skip
        out = folder / "out"
        out.mkdir()
        (out / CURRENT).symlink_to(corpus.release.resolve())  # the cached corpus is read, never written
        started = time.perf_counter()
        added = add_document(out, document.id, Manifest(folder / "manifest.toml", (document,)), world.registry,
                             Inputs(), keep=1000)  # fmt: skip
        total = time.perf_counter() - started
    result = {
        "size": size, "corpus_quads": corpus.meta["quads"], "tasks": len(raw.rows),
        "document_triples": sum(len(g) for g in added.built.graphs), "context_triples": added.context_triples,
        "conforms": added.built.report.conforms, "total_seconds": total,
    }  # fmt: skip
    result |= {f"{step}_seconds": seconds for step, seconds in added.seconds.items()}
    result["validate_load_seconds"] = result["validate_seconds"] + result.get("load_seconds", 0.0)
    say(f"add: {size} corpus, {len(raw.rows)} tasks: validate+load {result['validate_load_seconds']:.2f} s, "
        f"dumps {result.get('dumps_seconds', 0):.1f} s")  # fmt: skip
    return result


def run(seed: int, tables: int, sizes: list[str], say: Callable[[str], None]) -> dict[str, Any]:
    found: dict[str, Any] = {"batch": batch(seed, tables, say), "add": []}
    for size in sizes:
        for parts in DOCUMENT_TABLES:
            found["add"].append(add_one(size, seed, parts, say))
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(found, ensure_ascii=False, indent=1))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tables", type=int, default=1000)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    started = time.perf_counter()

    def say(message: str) -> None:
        print(f"{time.perf_counter() - started:7.1f}s  {message}", flush=True)

    found = run(args.seed, args.tables, args.sizes.split(","), say)
    print(json.dumps(found["batch"], indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
