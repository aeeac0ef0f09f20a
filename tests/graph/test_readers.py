"""Every reader yields the same table: .docx with real merged cells, .csv and .xlsx give the same graph."""

from __future__ import annotations

import csv
from pathlib import Path

import docx
import openpyxl
import pytest
from rdflib import Graph
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

from graph.ingest.agencies import Registry
from graph.ingest.kinds import TABLE_KINDS, kind_of, read_table
from graph.ingest.manifest import Document
from graph.ingest.table import interpret
from graph.ingest.triples import table_graph
from graph.readers.base import COLUMNS, RawTable
from tests.helpers import SEED

MERGEABLE = (0, 3)  # 分类 and 责任单位: empty cells there are vertical merges with the cell above


def seed_rows() -> list[tuple[str, ...]]:
    return [row.cells for row in read_table(SEED).rows]


def merge_runs(rows: list[tuple[str, ...]], column: int) -> list[tuple[int, int]]:
    """(first, last) row indexes of each run of a filled cell followed by empty ones."""
    runs, start = [], None
    for index, row in enumerate(rows):
        if row[column]:
            if start is not None and index - 1 > start:
                runs.append((start, index - 1))
            start = index
    if start is not None and len(rows) - 1 > start:
        runs.append((start, len(rows) - 1))
    return runs


def write_docx(path: Path, rows: list[tuple[str, ...]]) -> None:
    document = docx.Document()
    document.add_paragraph("落实《实施意见》任务分工表")
    table = document.add_table(rows=len(rows) + 1, cols=len(COLUMNS))
    for column, name in enumerate(COLUMNS):
        table.cell(0, column).text = name
    for index, row in enumerate(rows, start=1):
        for column, text in enumerate(row):
            if text:
                table.cell(index, column).text = text
    for column in MERGEABLE:
        for first, last in merge_runs(rows, column):
            table.cell(first + 1, column).merge(table.cell(last + 1, column))
    document.save(str(path))


def write_csv(path: Path, rows: list[tuple[str, ...]], encoding: str = "utf-8") -> None:
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)


def write_xlsx(path: Path, rows: list[tuple[str, ...]]) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(COLUMNS))
    for row in rows:
        sheet.append(list(row))
    for column in MERGEABLE:
        letter = "ABCD"[column]
        for first, last in merge_runs(rows, column):
            sheet.merge_cells(f"{letter}{first + 2}:{letter}{last + 2}")
    workbook.save(path)


def content(path: Path, document: Document, registry: Registry) -> Graph:
    return table_graph(document, interpret(read_table(path), registry), registry)


@pytest.fixture(scope="module")
def reference(seed_document: Document, registry: Registry) -> Graph:
    graph = content(SEED, seed_document, registry)
    assert len(graph) > 1000  # the comparison below is only worth something on the real table
    return graph


def assert_same_graph(expected: Graph, actual: Graph) -> None:
    if not isomorphic(expected, actual):
        _, only_expected, only_actual = graph_diff(to_isomorphic(expected), to_isomorphic(actual))
        lines = sorted(only_expected.serialize(format="nt").splitlines())[:5]
        extra = sorted(only_actual.serialize(format="nt").splitlines())[:5]
        pytest.fail(f"graphs differ; missing: {lines}; unexpected: {extra}")


@pytest.mark.parametrize(("suffix", "writer"), [(".docx", write_docx), (".csv", write_csv), (".xlsx", write_xlsx)])
def test_each_format_gives_the_graph_of_the_text_export(
    tmp_path: Path, suffix: str, writer, reference: Graph, seed_document: Document, registry: Registry
) -> None:
    path = tmp_path / f"table{suffix}"
    writer(path, seed_rows())
    assert_same_graph(reference, content(path, seed_document, registry))


def test_the_docx_really_has_vertical_merges(tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    write_docx(path, seed_rows())
    cells = docx.Document(str(path)).tables[0]._tbl.xpath(".//w:tc/w:tcPr/w:vMerge")
    # 7 multi-row categories and task 10-11's shared units cell
    assert len(cells) == sum(last - first + 1 for col in MERGEABLE for first, last in merge_runs(seed_rows(), col))
    assert len(cells) > 15


def test_xlsx_with_numbers_as_numbers_and_a_title_row(tmp_path: Path, registry: Registry) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["落实《实施意见》任务分工表"])
    sheet.append(list(COLUMNS))
    sheet.append(["一、分类甲", 1, "任务甲。", "市财政局，市教委"])
    sheet.append([None, 2.0, "任务乙。", "市教委"])
    path = tmp_path / "numbers.xlsx"
    workbook.save(path)
    table = interpret(read_table(path), registry)
    assert [(t.number, t.row.number, t.units) for t in table.tasks] == [
        (1, 3, ("市财政局", "市教委")),
        (2, 4, ("市教委",)),
    ]


def test_the_registry_of_readers_is_keyed_by_input_kind(tmp_path: Path) -> None:
    assert set(TABLE_KINDS) == {"text-export", "docx", "csv", "xlsx"}
    assert kind_of(Path("x.DOCX")) == "docx"
    assert kind_of(Path("x.txt")) == "text-export"
    assert kind_of(Path("x.data"), "csv") == "csv"


def test_text_export_debris_is_ignored_and_reported() -> None:
    table: RawTable = read_table(SEED)
    assert len(table.rows) == 19
    reported = [(n.where.line, n.message) for n in table.notices]
    assert reported == [
        (1, "ignored Word export marker: [bookmark: _GoBack]"),
        (2, "ignored text outside the table: 落实《实施意见》任务分工表"),
        (109, "ignored page number: - 2 -"),
        (112, "ignored trailing text after the table: 市科委、中关村管委会办公室"),
    ]
    assert all(n.severity == "info" for n in table.notices)
    assert [row.number for row in table.rows] == list(range(2, 21))
    assert table.rows[2].cells[1] == "  3"
