"""Hostile task tables (HOSTILE-INPUTS 29-34, 36): encodings, numbers, separators, null-looking cells, ragged and
oversized rows, IRI and literal injection, and formulas exported back to CSV. Each table gives the right tasks or
an InputError naming file, row and column; nothing an uploader writes becomes IRI syntax or a formula."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
from collections.abc import Sequence
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from api import cli, terminal
from graph.errors import InputError
from graph.ingest.agencies import Registry
from graph.ingest.kinds import read_table
from graph.ingest.manifest import Document
from graph.ingest.table import TaskTable, interpret
from graph.ingest.triples import table_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.release.build import Built
from graph.release.write import write_release

HEADER = ["分类", "任务编号", "任务内容", "责任单位"]
EVIL = "http://evil.example/"
IRI_INJECTION = "a b> <http://evil.example/x"
LITERAL_INJECTION = 'x" . <http://evil.example/s> <http://evil.example/p> "y'
FORMULAS = ["=cmd|' /C calc'!A0", '=HYPERLINK("http://evil.example","click")', "+1+1", "-1+1", "@SUM(1,1)"]


def write_csv(path: Path, rows: Sequence[Sequence[str]], encoding: str = "utf-8", newline: str = "\n") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=newline).writerows([HEADER, *rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def table(path: Path, registry: Registry) -> TaskTable:
    return interpret(read_table(path), registry)


def input_error(path: Path, registry: Registry) -> str:
    with pytest.raises(InputError) as caught:
        table(path, registry)
    message = str(caught.value)
    assert message.startswith(f"{path}") and "\n" not in message
    return message


def document(path: Path, name: str = "hostile") -> Document:
    return Document(id=name, file=path, title=f"测试表格 {name}", title_en=f"Test table {name}",
                    kind="task-division-table", iri=URIRef(f"{iris.BASE}upload/{name}"))  # fmt: skip


def graph_of(path: Path, registry: Registry) -> Graph:
    return table_graph(document(path), table(path, registry), registry)


# --- 29: encodings and line endings --------------------------------------------------------------------------
ROWS = [["一、科研管理", "1", "完善科研项目评价机制。", "市财政局，市教委"], ["", "2", "推进成果转化𠀀。", "市教委"]]


@pytest.mark.parametrize(
    ("encoding", "newline", "declared"),
    [("utf-8-sig", "\r\n", "utf-8"), ("gb18030", "\n", "gb18030"), ("utf-8", "\r", "utf-8")],
    ids=["utf-8-bom", "gb18030", "bare-cr"],
)
def test_bom_gb18030_and_bare_cr_tables_read_without_mojibake(
    tmp_path: Path, registry: Registry, encoding: str, newline: str, declared: str
) -> None:
    path = write_csv(tmp_path / "t.csv", ROWS, encoding, newline)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    read = table(path, registry)
    assert read.encoding == declared
    assert [(t.number, t.category.label, t.text, t.units) for t in read.tasks] == [
        (1, "科研管理", "完善科研项目评价机制。", ("市财政局", "市教委")),
        (2, "科研管理", "推进成果转化𠀀。", ("市教委",)),  # 𠀀 is four bytes in GB18030, outside GBK
    ]


def test_an_undecodable_table_is_an_error_naming_the_file_and_line(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("category,number,text,units\n甲,1,中華人民共和國科學技術進步法,市教委".encode("big5"))
    message = input_error(path, registry)
    assert "line 2" in message and "cannot be decoded" in message and "not UTF-8" in message


# --- 30: numbers ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("cell", "number"), [("１２３", 123), (" 123 ", 123), ("\u3000１２\u3000", 12), ("007", 7)])
def test_full_width_digits_and_spaces_are_normalised_to_a_canonical_integer(
    tmp_path: Path, registry: Registry, cell: str, number: int
) -> None:
    path = write_csv(tmp_path / "t.csv", [["一、甲", cell, "任务", "市教委"]])
    graph = graph_of(path, registry)
    (task,) = graph.subjects(PKG.taskNumber, None)
    assert graph.value(task, PKG.taskNumber) == Literal(number, datatype=XSD.integer)
    assert str(graph.value(task, PKG.taskNumber)) == str(number)  # "123"^^xsd:integer, never "１２３"
    (row,) = graph.subjects(PKG.verbatimTaskNumber, None)
    assert str(graph.value(row, PKG.verbatimTaskNumber)) == cell  # the cell as written is kept, as a string


@pytest.mark.parametrize("cell", ["12,345", "1.2万", "0x1F", "١٢٣", "1e3", "-5", "一二三", "½", "１２.０"])
def test_other_numbers_are_reported_with_row_column_and_raw_value(
    tmp_path: Path, registry: Registry, cell: str
) -> None:
    path = write_csv(tmp_path / "t.csv", [["一、甲", "1", "任务", "市教委"], ["", cell, "任务", "市教委"]])
    message = input_error(path, registry)
    assert "row 3, column 任务编号" in message
    assert f"the task number {cell!r} is not a whole number" in message


# --- 31, 32: separators and null-looking cells ---------------------------------------------------------------
def test_a_multi_valued_cell_with_mixed_separators_gives_5_units(tmp_path: Path, registry: Registry) -> None:
    path = write_csv(tmp_path / "t.csv", [["一、甲", "1", "任务", "财政部，教育部、科技部;人社部,  工信部"]])
    (task,) = table(path, registry).tasks
    assert task.units == ("财政部", "教育部", "科技部", "人社部", "工信部")
    graph = graph_of(path, registry)
    assert len(set(graph.objects(None, PKG.responsibleAgency))) == 5


def test_null_looking_cells_are_kept_or_reported_never_dropped(tmp_path: Path, registry: Registry) -> None:
    tokens = ["N/A", "null", "-", "—", "NA"]
    rows = [["一、甲", str(n), text, unit] for n, (text, unit) in enumerate(zip(tokens, tokens, strict=True), start=1)]
    rows.append(["", "006", "010100", " "])  # a blank cell continues the one above (a merged cell), as declared
    path = write_csv(tmp_path / "t.csv", rows)
    read = table(path, registry)
    assert [t.text for t in read.tasks] == [*tokens, "010100"]  # leading zeros and "NA" kept as written
    assert [t.units for t in read.tasks] == [(token,) for token in tokens] + [("NA",)]
    assert read.tasks[-1].number == 6 and read.tasks[-1].units_from == 6
    reported = {(n.where.row, n.where.column) for n in read.notices if "not in the agency registry" in n.message}
    assert reported == {(row, "责任单位") for row in range(2, 7)}
    graph = graph_of(path, registry)
    assert "006" in {str(o) for o in graph.objects(None, PKG.verbatimTaskNumber)}


# --- 33: ragged rows, duplicate headers, big cells, NUL, invisible characters --------------------------------
@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([",".join(HEADER), "一、甲,1,任务"], "row 2: this row has 3 cell(s) where the header has 4 columns"),
        (
            [",".join(HEADER), "一、甲,1,任务,市教委,多余,更多"],
            "row 2: this row has 6 cell(s) where the header has 4 columns",
        ),
        ([",".join(HEADER), "一、甲,1,任务,市教委", "一、甲,2"], "row 3: this row has 2 cell(s)"),
        (
            [",".join([*HEADER, "任务编号"]), "一、甲,1,任务,市教委,1"],
            "row 1: the header names the 任务编号 column 2 times",
        ),
        ([",".join(HEADER), "一、甲,1,任\x00务,市教委"], "row 2, column 任务内容: contains a NUL byte"),
        ([",".join(HEADER), "一、甲,1,任务,市教\x00委"], "row 2, column 责任单位: contains a NUL byte"),
    ],
    ids=["too-few", "too-many", "too-few-later", "duplicate-header", "nul-in-text", "nul-in-units"],
)
def test_ragged_rows_duplicate_headers_and_nul_bytes_fail_the_file_naming_the_row(
    tmp_path: Path, registry: Registry, lines: list[str], expected: str
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines), encoding="utf-8")
    assert expected in input_error(path, registry)


def test_a_200_kb_cell_is_read_whole(tmp_path: Path, registry: Registry) -> None:
    big = "很长的任务内容，" * 25_600  # 204,800 characters, above Python's default csv field limit of 131,072
    path = write_csv(tmp_path / "t.csv", [["一、甲", "1", big, "市教委"]])
    (task,) = table(path, registry).tasks
    assert task.text == big.rstrip() and len(task.text) > 200_000
    assert set(graph_of(path, registry).objects(None, PKG.text)) == {Literal(big, lang="zh")}


@pytest.mark.parametrize("invisible", ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u3000"])
def test_a_name_with_an_invisible_character_is_the_same_unit(
    tmp_path: Path, registry: Registry, invisible: str
) -> None:
    rows = [["一、甲", "1", "任务一", f"北京市{invisible}"], ["", "2", "任务二", "北京市"],
            ["", "3", "任务三", f"市教委{invisible}"], ["", "4", "任务四", "市教委"]]  # fmt: skip
    graph = graph_of(write_csv(tmp_path / "t.csv", rows), registry)
    by_task = {
        int(graph.value(t, PKG.taskNumber)): graph.value(t, PKG.leadAgency) for t in graph.subjects(PKG.taskNumber)
    }
    assert by_task[1] == by_task[2] and by_task[3] == by_task[4] == iris.unit("bj-education")
    assert by_task[1] != by_task[3]


# --- 34: IRI and literal injection ---------------------------------------------------------------------------
INJECTED = [
    ["一、" + IRI_INJECTION, "1", LITERAL_INJECTION, IRI_INJECTION],
    ["二、" + LITERAL_INJECTION, "2", IRI_INJECTION, LITERAL_INJECTION],
    ["", "3", "<http://evil.example/t> a <http://evil.example/T> .", "<http://evil.example/u>，市教委"],
]


def test_cells_with_iri_or_n_triples_syntax_stay_literals_and_hashed_iris(tmp_path: Path, registry: Registry) -> None:
    graph = graph_of(write_csv(tmp_path / "t.csv", INJECTED), registry)
    reparsed = list(pyoxigraph.parse(graph.serialize(format="nt", encoding="utf-8"), pyoxigraph.RdfFormat.N_TRIPLES))
    assert len(reparsed) == len(graph)
    named = {str(term.value) for t in reparsed for term in (t.subject, t.predicate, t.object)
             if isinstance(term, pyoxigraph.NamedNode)}  # fmt: skip
    assert not [iri for iri in named if iri.startswith(EVIL) or " " in iri or ">" in iri]
    texts = {t.object.value for t in reparsed if t.predicate.value == str(PKG.text)}
    assert texts == {LITERAL_INJECTION, IRI_INJECTION, "<http://evil.example/t> a <http://evil.example/T> ."}
    units = {t.object.value for t in reparsed if t.predicate.value == str(PKG.leadAgency)}
    assert all(unit.startswith(iris.BASE + "agency/") for unit in units) and len(units) == 3


def test_the_published_release_holds_no_injected_term(tmp_path: Path, registry: Registry, built: Built) -> None:
    path = write_csv(tmp_path / "t.csv", INJECTED)
    release = write_release(dataclasses.replace(built, release="hostile-34", graphs=[graph_of(path, registry)]),
                            tmp_path / "out")  # fmt: skip
    for name, fmt in [("policykg.nt", pyoxigraph.RdfFormat.N_TRIPLES), ("policykg.ttl", pyoxigraph.RdfFormat.TURTLE),
                      ("policykg.nq", pyoxigraph.RdfFormat.N_QUADS), ("policykg.jsonld", pyoxigraph.RdfFormat.JSON_LD)]:  # fmt: skip
        quads = list(pyoxigraph.parse((release / name).read_bytes(), fmt))
        assert quads, name
        terms = [term for q in quads for term in (q.subject, q.predicate, q.object)]
        assert not [t for t in terms if isinstance(t, pyoxigraph.NamedNode) and t.value.startswith(EVIL)], name
        literals = {t.value for t in terms if isinstance(t, pyoxigraph.Literal)}
        assert LITERAL_INJECTION in literals and IRI_INJECTION in literals, name


# --- 36: formulas exported back to CSV -----------------------------------------------------------------------
def test_formulas_in_a_table_are_exported_as_text_by_policykg_query(
    tmp_path: Path, registry: Registry, built: Built, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [["一、甲" if n == 1 else "", str(n), text, "市教委"] for n, text in enumerate(FORMULAS, start=1)]
    graph = graph_of(write_csv(tmp_path / "formulas.csv", rows), registry)
    assert {str(t) for t in graph.objects(None, PKG.text)} == set(FORMULAS)  # stored as written: it is the data
    out = tmp_path / "out"
    write_release(dataclasses.replace(built, release="hostile-36", graphs=[graph]), out)
    query = "SELECT ?n ?text WHERE { ?t pkg:taskNumber ?n ; pkg:text ?text } ORDER BY ?n"
    assert cli.main(["query", query, "--format", "csv", "--out", str(out)]) == 0
    exported = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert exported[0] == ["n", "text"]
    assert [row[1] for row in exported[1:]] == ["'" + text for text in FORMULAS]
    assert all(cell[:1] not in "=+-@\t\r" for row in exported for cell in row)


@pytest.mark.parametrize(
    "cell", [*FORMULAS, "\t=1+1", "\r=1+1", "=1+1\n", "-", "+", "@"], ids=lambda cell: repr(cell)[:20]
)
def test_csv_export_defuses_every_formula_trigger(cell: str) -> None:
    (row,) = list(csv.reader(io.StringIO(terminal.as_csv(["x"], [[cell]]))))[1:]
    assert row == ["'" + cell]


def test_a_carriage_return_inside_a_cell_cannot_start_a_new_row() -> None:
    exported = terminal.as_csv(["x", "y"], [['safe\r=HYPERLINK("http://evil.example","click")', "a\nb"], ["z", "w"]])
    assert list(csv.reader(io.StringIO(exported))) == [
        ["x", "y"],
        ['safe\r=HYPERLINK("http://evil.example","click")', "a\nb"],
        ["z", "w"],
    ]


def test_there_is_no_spreadsheet_export_to_defuse() -> None:
    assert set(terminal.FORMATS) == {"table", "csv", "json"}  # an XLSX export would need the same defusing
