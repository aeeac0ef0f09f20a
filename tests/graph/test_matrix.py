"""The responsibility matrix read from the graph, and its CSV, XLSX and SVG files, against the source table."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import openpyxl
import pyoxigraph
import pytest
from rdflib import Graph

from graph.ingest.table import TaskTable
from graph.matrix import export, svg
from graph.matrix.grid import LEAD, PARTICIPATING, Group, Matrix, Row, Unit, matrix, resolve, tables
from graph.rdf.compat import rdflib_internal_deprecations_silenced
from graph.rdf.namespaces import PKG
from graph.release.build import Built
from graph.store.embedded import EmbeddedStore
from graph.views.records import Labels, Ref, Views
from tests.helpers import SEED_ID

BASE = "https://w3id.org/policykg/"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def views(built: Built) -> Views:
    with rdflib_internal_deprecations_silenced():
        nquads = built.dataset().serialize(format="nquads", encoding="utf-8")
    return Views(EmbeddedStore.in_memory(list(pyoxigraph.parse(nquads, format=pyoxigraph.RdfFormat.N_QUADS))), BASE)


@pytest.fixture(scope="module")
def table(built: Built) -> TaskTable:
    return built.tables[SEED_ID]


@pytest.fixture(scope="module")
def seed_matrix(views: Views) -> Matrix:
    return matrix(views, resolve(views, SEED_ID))


def test_the_default_table_is_the_only_document_with_tasks(views: Views, seed_matrix: Matrix) -> None:
    assert [ref.iri for ref in tables(views)] == [seed_matrix.policy.iri]
    assert resolve(views, None) == resolve(views, seed_matrix.policy.id) == seed_matrix.policy.iri
    assert seed_matrix.document_number == "京科转发〔2022〕226号"  # of the opinions the table is attached to


@pytest.mark.parametrize("identifier", ["guobanfa-2021-26", "agency/bj-finance", "no-such-table", "a b"])
def test_anything_but_a_task_table_is_refused_naming_the_tables(views: Views, identifier: str) -> None:
    with pytest.raises(Exception, match="the task tables are: eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"):
        resolve(views, identifier)


def test_marks_equal_the_assignments_of_the_graph(seed_matrix: Matrix, seed_graph: Graph) -> None:
    leads = len(list(seed_graph.subjects(PKG.role, PKG.lead)))
    participating = len(list(seed_graph.subjects(PKG.role, PKG.participating)))
    assert (seed_matrix.count(LEAD), seed_matrix.count(PARTICIPATING)) == (leads, participating)
    assert sum(unit.leads for unit in seed_matrix.units) == leads
    assert sum(unit.joins for unit in seed_matrix.units) == participating
    assert sum(row.units for row in seed_matrix.rows) == leads + participating


def test_each_row_reproduces_the_source_cell(seed_matrix: Matrix, table: TaskTable) -> None:
    """The unit the 责任单位 cell names first leads (●), the others participate (○), under the cell's own names."""
    shorts = [unit.short for unit in seed_matrix.units]
    rows = {row.number: row for row in seed_matrix.rows}
    assert sorted(rows) == sorted(task.number for task in table.tasks)
    for task in table.tasks:
        marked = {shorts[i]: role for i, role in enumerate(rows[task.number].roles) if role}
        expected = {name: LEAD if i == 0 else PARTICIPATING for i, name in enumerate(task.units)}
        assert marked == expected, task.number
        assert rows[task.number].text == task.text


def test_groups_are_the_categories_in_source_order(seed_matrix: Matrix, table: TaskTable) -> None:
    assert [group.heading() for group in seed_matrix.groups] == [f"{h.notation}、{h.label}" for h in table.categories]
    for group in seed_matrix.groups:
        expected = [task.number for task in table.tasks if task.category.number == group.number]
        assert [row.number for row in group.rows] == expected
    assert seed_matrix.groups[0].heading("en").startswith("一、Define")


def test_units_are_ordered_by_tasks_led_then_joined(seed_matrix: Matrix, table: TaskTable) -> None:
    keys = [(-unit.leads, -unit.joins) for unit in seed_matrix.units]
    assert keys == sorted(keys)
    assert seed_matrix.units[0].short == table.tasks[0].units[0]  # the one unit leading every task
    assert {unit.short for unit in seed_matrix.units} == {name for task in table.tasks for name in task.units}
    finance = next(unit for unit in seed_matrix.units if unit.id == "agency/bj-finance")
    assert (finance.short, finance.label.zh) == ("市财政局", "北京市财政局")


# --- files -------------------------------------------------------------------------------------------------
def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM, so that Excel takes it for UTF-8
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def xlsx_rows(data: bytes, sheet: int = 0) -> list[list[str]]:
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    worksheet = workbook.worksheets[sheet]
    return [["" if value is None else str(value) for value in row] for row in worksheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_round_trips(seed_matrix: Matrix, lang: str) -> None:
    rows = read_csv(export.to_csv(seed_matrix, lang))
    assert rows == [[str(cell) for cell in row] for row in export.cells(seed_matrix, lang)]
    assert rows[0][2:-1] == [unit.short for unit in seed_matrix.units]
    body = [cell for row in rows[1:-3] for cell in row]
    assert (body.count("●"), body.count("○")) == (seed_matrix.count(LEAD), seed_matrix.count(PARTICIPATING))
    assert len(rows) == 1 + len(seed_matrix.groups) + len(seed_matrix.rows) + 3


def test_xlsx_holds_the_csv_cells_with_frozen_headers(seed_matrix: Matrix) -> None:
    data = export.to_xlsx(seed_matrix)
    assert xlsx_rows(data) == read_csv(export.to_csv(seed_matrix))
    worksheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert worksheet.freeze_panes == "C2"
    merged = {str(cells) for cells in worksheet.merged_cells.ranges}
    assert len(merged) == len(seed_matrix.groups) and "A2:V2" in merged  # the first category row, across
    units = xlsx_rows(data, sheet=1)
    assert [row[0] for row in units[1:]] == [unit.short for unit in seed_matrix.units]
    assert "Beijing Municipal Finance Bureau" in {row[2] for row in units}


def test_svg_is_well_formed_with_the_cjk_font_stack(seed_matrix: Matrix) -> None:
    root = ET.fromstring(svg.to_svg(seed_matrix))
    assert root.tag == f"{SVG}svg"
    assert "Noto Sans CJK SC" in root.attrib["font-family"] and "sans-serif" in root.attrib["font-family"]
    own = [element.text for element in root.iter(f"{SVG}text")]  # without the <title> a mark carries
    assert own.count("●") == seed_matrix.count(LEAD) and own.count("○") == seed_matrix.count(PARTICIPATING)
    texts = ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]
    for unit in seed_matrix.units:
        assert unit.short in texts  # set one character under another, in <tspan>s
    assert "一、科学确定科技成果评价的对象和内容" in texts


def hostile() -> Matrix:
    """A matrix whose text a spreadsheet would run, and that would break XML pasted in as it is."""
    unit = Unit(BASE + "agency/x", "agency/x", "@SUM(A1)", Labels(zh="=cmd|' /C calc'!A0"), 1, 0)
    row = Row(BASE + "t/1", "t/1", 1, '=HYPERLINK("http://evil.example","click") <b>&\x01', (LEAD,))
    group = Group(BASE + "c/1", "c/1", 1, "一", Labels(zh="-2+3"), (row,))
    return Matrix(Ref(iri=BASE + "t", id="t", labels=Labels(zh="</svg><script>")), (unit,), (group,))


def test_formulas_stay_text_in_csv_and_xlsx() -> None:
    rows = read_csv(export.to_csv(hostile()))
    assert rows[0][2] == "'@SUM(A1)" and rows[1][0] == "一、-2+3"
    assert rows[2][1].startswith("'=HYPERLINK(")
    worksheet = openpyxl.load_workbook(io.BytesIO(export.to_xlsx(hostile()))).worksheets[0]
    cells = [cell for row in worksheet.iter_rows() for cell in row if isinstance(cell.value, str)]
    assert all(cell.data_type == "s" for cell in cells)  # strings, never formulas
    assert worksheet["B3"].value.startswith("=HYPERLINK(")


def test_negative_numbers_stay_numbers_in_csv() -> None:
    unit = Unit(BASE + "agency/x", "agency/x", "-1", Labels(zh="-1"), 1, 0)
    texts = ["-5", "-1,000.5", "-1+1"]
    rows = tuple(Row(BASE + f"t/{n}", f"t/{n}", n, text, (LEAD,)) for n, text in enumerate(texts, start=1))
    group = Group(BASE + "c/1", "c/1", 1, "一", Labels(zh="c"), rows)
    found = read_csv(export.to_csv(Matrix(Ref(iri=BASE + "t", id="t", labels=Labels(zh="t")), (unit,), (group,))))
    assert found[0][2] == "-1"  # the unit's short name
    assert [row[1] for row in found[2:5]] == ["-5", "-1,000.5", "'-1+1"]


def test_svg_escapes_text() -> None:
    data = svg.to_svg(hostile())
    root = ET.fromstring(data)
    assert root.find(f"{SVG}script") is None and b"<script>" not in data
    texts = ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]
    assert any(text.startswith('=HYPERLINK("http://evil.example"') for text in texts)


def test_download_names_are_ascii(seed_matrix: Matrix) -> None:
    name = export.filename(seed_matrix, "xlsx")
    assert name == "responsibility-matrix-eli-cn-bj-jingkezhuanfa-2022-226-attachment-1.xlsx"
