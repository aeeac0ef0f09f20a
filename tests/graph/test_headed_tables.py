"""Task tables with other headers (序号 / 子项 / 牵头单位 / 配合单位 / 完成时限 …), in every format: the same tasks, units,
roles, deadlines and categories, whatever the order of the columns or the rows of the header."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS, XSD

from graph.errors import InputError
from graph.ingest.agencies import Registry
from graph.ingest.deadlines import read_deadline
from graph.ingest.kinds import read_table
from graph.ingest.manifest import Document
from graph.ingest.table import TaskTable, interpret
from graph.ingest.triples import table_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from tests.graph.headed_tables import CATEGORIES, REFORMS, REORDERED, TWO_ROWS, WRITERS, Table

FORMATS = sorted(WRITERS)


@pytest.fixture
def national(registry: Registry) -> Registry:
    return registry.within("cn")


def read(tmp_path: Path, table: Table, suffix: str, registry: Registry, **columns: str) -> TaskTable:
    path = tmp_path / f"table{suffix}"
    WRITERS[suffix](path, table)
    return interpret(read_table(path, columns=columns or None), registry)


def unit_ids(registry: Registry, table: TaskTable, role: str) -> dict[int, list[str]]:
    return {
        task.number: [registry.resolve(name).id for name, given in task.unit_roles() if given == role]
        for task in table.tasks
    }


@pytest.mark.parametrize("suffix", FORMATS)
def test_categories_subitems_lead_and_participating_columns_and_deadlines(
    tmp_path: Path, suffix: str, national: Registry
) -> None:
    table = read(tmp_path, CATEGORIES, suffix, national)
    assert [task.number for task in table.tasks] == [1, 2, 3, 4, 5]
    assert unit_ids(national, table, "lead") == {
        1: ["cn-most"], 2: ["cn-most", "cn-cae"], 3: ["cn-ndrc"], 4: ["cn-mof"], 5: ["cn-cast"],
    }  # fmt: skip
    assert unit_ids(national, table, "participating") == {
        1: ["cn-moe", "cn-cas"], 2: [], 3: ["cn-mof"], 4: ["cn-sta", "cn-pbc"], 5: [],
    }  # fmt: skip
    deadlines = [(t.deadline.text, t.deadline.value, t.deadline.datatype) for t in table.tasks if t.deadline]
    assert deadlines == [
        ("2026年12月", "2026-12", "gYearMonth"),
        ("2025年底前", "2025", "gYear"),
        ("长期坚持", None, None),
        ("2025年6月30日", "2025-06-30", "date"),
        ("2025年6月底前", "2025-06", "gYearMonth"),
    ]
    paths = [[h.label for h in _ancestry(task.category)] for task in table.tasks]
    assert paths == [
        ["完善评价体系", "分类评价"],
        ["完善评价体系", "分类评价"],
        ["完善评价体系", "市场评价"],
        ["强化评价保障"],
        ["强化评价保障"],
    ]
    assert len(table.categories) == 4


def _ancestry(heading):  # type: ignore[no-untyped-def]
    return [*_ancestry(heading.parent), heading] if heading is not None else []


@pytest.mark.parametrize("suffix", FORMATS)
def test_reform_measures_with_guiding_departments_and_a_scope_kept_as_a_note(
    tmp_path: Path, suffix: str, national: Registry
) -> None:
    table = read(tmp_path, REFORMS, suffix, national)
    assert unit_ids(national, table, "guiding") == {1: ["cn-samr"], 2: ["cn-customs", "cn-mofcom"]}
    assert unit_ids(national, table, "lead") == {1: [], 2: []}  # a guiding department does not lead
    first = table.tasks[0]
    assert first.heading == "企业开办一网通办"
    assert first.text == "将企业登记、印章刻制、发票申领合并为一个环节办理。"
    assert first.notes == (("推广范围", "全国"),)
    assert first.category is None and table.categories == []


@pytest.mark.parametrize("suffix", FORMATS)
def test_columns_in_another_order(tmp_path: Path, suffix: str, national: Registry) -> None:
    table = read(tmp_path, REORDERED, suffix, national)
    assert [(t.number, t.text) for t in table.tasks] == [
        (1, "建设澜川工业互联网标识解析节点。"),
        (2, "举办澜川技能大赛。"),
    ]
    assert unit_ids(national, table, "lead") == {1: ["cn-miit"], 2: ["cn-mohrss"]}
    assert unit_ids(national, table, "participating") == {1: ["cn-most"], 2: ["cn-moe", "cn-mof"]}
    assert [t.deadline.text for t in table.tasks if t.deadline] == ["2027年3月", "持续推进"]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_header_of_two_rows(tmp_path: Path, suffix: str, national: Registry) -> None:
    path = tmp_path / f"table{suffix}"
    WRITERS[suffix](path, TWO_ROWS)
    raw = read_table(path)
    assert raw.layout is not None and raw.layout.header_rows == 2
    assert [(c.header, c.role) for c in raw.layout.columns] == [
        ("序号", "number"), ("重点任务", "text"), ("责任单位/牵头单位", "lead"), ("配合单位", "participating"),
        ("完成时限", "deadline"),
    ]  # fmt: skip
    table = interpret(raw, national)
    assert [task.row.number for task in table.tasks] == [3, 4]  # as a spreadsheet numbers them
    assert unit_ids(national, table, "lead") == {1: ["cn-nda"], 2: ["cn-nda"]}
    assert unit_ids(national, table, "participating") == {1: ["cn-ndrc", "cn-mof"], 2: []}
    assert [(t.deadline.value, t.deadline.datatype) for t in table.tasks if t.deadline] == [
        ("2026", "gYear"),
        ("2025-12-31", "date"),
    ]


def test_one_unit_of_a_responsible_column_leads_several_are_all_responsible(tmp_path: Path, national: Registry) -> None:
    rows = [["序号", "重点任务", "责任单位"], ["1", "任务甲。", "科技部"], ["2", "任务乙。", "科技部、财政部"]]
    table = read(tmp_path, Table(rows=rows), ".csv", national)
    assert [task.unit_roles() for task in table.tasks] == [
        [("科技部", "lead")],
        [("科技部", "responsible"), ("财政部", "responsible")],
    ]


def test_a_responsible_column_whose_title_says_the_first_leads(tmp_path: Path, national: Registry) -> None:
    rows = [["序号", "重点任务", "责任单位"], ["1", "任务乙。", "科技部、财政部"]]
    said = Table(rows=rows, title="重点任务分工（排在第一位的为牵头单位）")
    table = read(tmp_path, said, ".xlsx", national)
    assert table.tasks[0].unit_roles() == [("科技部", "lead"), ("财政部", "participating")]
    marked = Table(rows=[rows[0], ["1", "任务乙。", "科技部、财政部（牵头）"]])
    assert read(tmp_path, marked, ".csv", national).tasks[0].unit_roles() == [
        ("科技部", "participating"),
        ("财政部", "lead"),
    ]


def test_the_four_column_form_keeps_its_reading(tmp_path: Path, national: Registry) -> None:
    """The Beijing form: one 责任单位 cell, the first unit leading (its tests cover the rest)."""
    rows = [["分类", "任务编号", "任务内容", "责任单位"], ["一、甲", "1", "任务。", "科技部，财政部"]]
    path = tmp_path / "t.csv"
    WRITERS[".csv"](path, Table(rows=rows))
    raw = read_table(path)
    assert raw.layout is not None and raw.layout.legacy
    assert raw.rows[0].cells == ("一、甲", "1", "任务。", "科技部，财政部")
    assert interpret(raw, national).tasks[0].unit_roles() == [("科技部", "lead"), ("财政部", "participating")]


@pytest.mark.parametrize("suffix", FORMATS)
def test_a_header_it_cannot_map_names_the_file_the_columns_and_the_option(tmp_path: Path, suffix: str) -> None:
    rows = [["序号", "重点任务", "责任主体", "完成时限"], ["1", "任务。", "科技部", "2025年"]]
    path = tmp_path / f"table{suffix}"
    WRITERS[suffix](path, Table(rows=rows, title="附件 任务清单"))
    with pytest.raises(InputError) as raised:
        read_table(path)
    message = str(raised.value)
    assert str(path) in message
    assert "列 3 「责任主体」" in message and "序号 | 重点任务 | 责任主体 | 完成时限" in message
    assert "--column 责任主体=responsible" in message and 'columns = { "责任主体" = "responsible" }' in message
    mapped = read_table(path, columns={"责任主体": "lead"})
    assert mapped.layout is not None
    assert [(c.header, c.role, c.given) for c in mapped.layout.columns][2] == ("责任主体", "lead", True)


def test_a_role_that_does_not_exist_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    WRITERS[".csv"](path, Table(rows=[["序号", "重点任务", "责任主体"], ["1", "任务。", "科技部"]]))
    with pytest.raises(ValueError, match="no role 'boss'"):
        read_table(path, columns={"责任主体": "boss"})


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("2026年12月", ("2026-12", "gYearMonth")),
        ("２０２６年１２月底前", ("2026-12", "gYearMonth")),
        ("2025年年底前完成", ("2025", "gYear")),
        ("2025年6月30日前", ("2025-06-30", "date")),
        ("2026-03-01T00:00:00", ("2026-03-01", "date")),  # a spreadsheet's date cell
        ("长期坚持", (None, None)),
        ("2025年上半年", (None, None)),
        ("2024年底前出台，2025年底前完成", (None, None)),
        ("2025年2月30日", (None, None)),
    ],
)
def test_deadlines_are_read_as_dates_only_where_they_name_one(cell: str, expected: tuple[str | None, ...]) -> None:
    deadline = read_deadline(cell)
    assert deadline is not None and deadline.text == cell
    assert (deadline.value, deadline.datatype) == expected


def test_the_graph_of_a_headed_table(tmp_path: Path, national: Registry) -> None:
    table = read(tmp_path, CATEGORIES, ".xlsx", national)
    document = Document("t", tmp_path / "t.xlsx", "表", "Table", "task-division-table", URIRef(f"{iris.BASE}eli/t"))
    graph: Graph = table_graph(document, table, national)
    task2 = URIRef(f"{document.iri}/task/2")
    assert set(graph.objects(task2, PKG.leadAgency)) == {iris.unit("cn-most"), iris.unit("cn-cae")}
    assert graph.value(task2, PKG.deadline) == Literal("2025年底前")
    assert graph.value(task2, PKG.deadlineDate) == Literal("2025", datatype=XSD.gYear)
    inner = graph.value(task2, PKG.category)
    assert inner == URIRef(f"{document.iri}/category/1/category/1")
    assert graph.value(inner, SKOS.broader) == URIRef(f"{document.iri}/category/1")
    row = graph.value(task2, PKG.sourceRow)
    cells = {
        int(graph.value(c, PKG.columnNumber)): str(graph.value(c, PKG.verbatimCell))
        for c in graph.objects(row, PKG.cell)
    }
    assert cells[6] == "无" and cells[5] == "科技部、工程院" and len(cells) == 7
    assert all((c, RDF.type, PKG.SourceCell) in graph for c in graph.objects(row, PKG.cell))
