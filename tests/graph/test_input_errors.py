"""Bad input: each problem is an InputError naming file, row and column, and good encodings just work."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest.agencies import Registry
from graph.ingest.kinds import read_table
from graph.ingest.table import interpret
from graph.readers.encoding import decode_bytes
from tests.helpers import SEED

HEADER = "分类,任务编号,任务内容,责任单位"
GOOD = [HEADER, "一、分类甲,1,任务内容甲。,市财政局，市教委", ",2,任务内容乙。,市教委"]


def write(tmp_path: Path, lines: list[str], name: str = "t.csv", encoding: str = "utf-8", newline: str = "\n") -> Path:
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode(encoding))
    return path


def error_for(path: Path, registry: Registry, **kwargs: str) -> InputError:
    with pytest.raises(InputError) as caught:
        interpret(read_table(path, **kwargs), registry)
    return caught.value


def tasks(path: Path, registry: Registry, **kwargs: str) -> list[tuple[int, str, tuple[str, ...]]]:
    return [(t.number, t.category.label, t.units) for t in interpret(read_table(path, **kwargs), registry).tasks]


EXPECTED = [(1, "分类甲", ("市财政局", "市教委")), (2, "分类甲", ("市教委",))]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\r\n"), ("gb18030", "\n"), ("gbk", "\r\n"), ("utf-8", "\r"), ("utf-16", "\n")],
)
def test_encodings_and_line_endings_give_the_same_tasks(
    tmp_path: Path, registry: Registry, encoding: str, newline: str
) -> None:
    path = write(tmp_path, GOOD, encoding=encoding, newline=newline)
    assert tasks(path, registry) == EXPECTED


def test_the_seed_table_in_gb18030_is_read_without_mojibake(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "seed-gb18030.txt"
    path.write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert [r.cells for r in table.rows] == [r.cells for r in read_table(SEED).rows]


def test_a_bom_header_column_is_recognised(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "\n".join(GOOD).encode())
    assert read_table(path).encoding == "utf-8"
    assert tasks(path, registry) == EXPECTED


def test_undecodable_bytes_are_an_error_naming_file_and_line(tmp_path: Path, registry: Registry) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "\n".join([HEADER, "一、分类,1,x,市财政局", "二、分类,2,Café ñ ü,市教委"]).encode("utf-8")[:-1] + b"\xff"
    )
    error = error_for(path, registry)
    assert str(path) in str(error) and "line 3" in str(error)
    assert "not UTF-8" in str(error) and "GB18030" in str(error)


KOREAN = [
    "분류,과제번호,과제내용,담당부서",
    "1. 과학기술 혁신,1,연구개발 성과 평가 제도를 개선하고 평가 결과를 공개한다.,과학기술정보통신부",
    ",2,기술이전과 사업화를 지원하기 위한 전담 조직을 설치하고 운영한다.,산업통상자원부",
    ",3,지역의 과학기술 역량을 강화하기 위한 시책을 세우고 추진한다.,행정안전부",
    "2. 인재 양성,4,과학기술인력의 양성과 활용을 위하여 교육과 훈련 체계를 정비한다.,교육부",
    ",5,우수한 인재가 과학기술 분야에 진출할 수 있도록 장학금과 연구비를 지원한다.,교육부",
]


def test_a_korean_table_is_an_encoding_error_not_mojibake(tmp_path: Path, registry: Registry) -> None:
    path = write(tmp_path, KOREAN, name="korean.csv", encoding="euc_kr")
    assert len(path.read_bytes()) > 300  # every byte pair also decodes as GB18030, into common hanzi (苞切扁贱…)
    error = error_for(path, registry)
    assert str(path) in str(error)
    assert "Korean" in str(error) and "not GB18030/GBK" in str(error) and "declare its encoding" in str(error)
    assert decode_bytes(path.read_bytes(), path.name, declared="euc-kr").text.startswith("분류")  # as the error says


@pytest.mark.parametrize("encoding", ["gb18030", "gbk"])
def test_the_seed_table_as_csv_in_gb18030_or_gbk_still_reads(tmp_path: Path, encoding: str) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows([HEADER.split(","), *(row.cells for row in read_table(SEED).rows)])
    path = tmp_path / f"seed-{encoding}.csv"
    path.write_bytes(text.getvalue().encode(encoding))
    table = read_table(path)
    assert table.encoding == "gb18030"
    assert [row.cells for row in table.rows] == [row.cells for row in read_table(SEED).rows]


def test_big5_text_is_not_passed_off_as_gb18030() -> None:
    big5 = "中華人民共和國科學技術進步法，國務院辦公廳關於完善科技成果評價機制的指導意見".encode("big5")
    with pytest.raises(InputError, match="not UTF-8"):
        decode_bytes(big5, "big5.txt")
    assert decode_bytes(big5, "big5.txt", declared="big5").text.startswith("中華")


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        ([HEADER], "has a header but no task rows"),
        (["分类,编号X,任务内容,责任单位", "一、甲,1,x,市教委"], "no 任务编号 column"),
        (["分类,任务编号,任务内容", "一、甲,1,x"], "no 责任单位 column"),
        (["分类,任务编号,任务内容,责任单位,任务编号", "一、甲,1,x,市教委,1"], "names the 任务编号 column 2 times"),
        (["分类,任务编号,任务内容,责任单位,备注", "一、甲,1,x,市教委,y"], "备注"),
        (["a,b,c", "1,2,3"], "no header row found"),
    ],
)
def test_wrong_columns_and_empty_tables(tmp_path: Path, registry: Registry, lines: list[str], expected: str) -> None:
    error = error_for(write(tmp_path, lines), registry)
    assert expected in str(error)
    assert str(tmp_path / "t.csv") in str(error)


@pytest.mark.parametrize(
    ("row", "where", "expected"),
    [
        ("一、甲,三,x,市教委", "row 2, column 任务编号", "'三' is not a whole number"),
        ("一、甲,1.5,x,市教委", "row 2, column 任务编号", "'1.5' is not a whole number"),
        ("一、甲,0,x,市教委", "row 2, column 任务编号", "'0' is not a whole number"),
        ("一、甲,١٢,x,市教委", "row 2, column 任务编号", "is not a whole number"),
        ("一、甲,,x,市教委", "row 2, column 任务编号", "task number is empty"),
        (",1,x,市教委", "row 2, column 分类", "no cell above it to continue"),
        ("一、甲,1,x,", "row 2, column 责任单位", "no cell above it to continue"),
        ("一、甲,1,,市教委", "row 2, column 任务内容", "task 1 has no text"),
        ("一、甲,1,x\x00y,市教委", "row 2, column 任务内容", "NUL byte"),
        ("一、甲,1,x", "row 2", "has 3 cell(s) where the header has 4 columns"),
        ("一、甲,1,x,市教委,extra", "row 2", "has 5 cell(s) where the header has 4 columns"),
    ],
)
def test_bad_cells_name_row_and_column(tmp_path: Path, registry: Registry, row: str, where: str, expected: str) -> None:
    error = error_for(write(tmp_path, [HEADER, row]), registry)
    assert where in str(error) and expected in str(error)


def test_duplicate_task_numbers_name_both_rows(tmp_path: Path, registry: Registry) -> None:
    error = error_for(write(tmp_path, [HEADER, "一、甲,1,x,市教委", ",２,y,市教委", ",2,z,市教委"]), registry)
    assert "row 4, column 任务编号" in str(error)
    assert "task number 2 is used twice, in rows 3 and 4" in str(error)


def test_full_width_digits_and_stray_spaces_in_task_numbers(tmp_path: Path, registry: Registry) -> None:
    path = write(tmp_path, [HEADER, "一、甲,１２,x,市教委", ",  3 ,y,市教委", ",\u30004,z,市教委"])
    assert [t.number for t in interpret(read_table(path), registry).tasks] == [12, 3, 4]


def test_trailing_empty_columns_and_empty_rows_are_tolerated(tmp_path: Path, registry: Registry) -> None:
    path = write(
        tmp_path, [HEADER + ",,", "一、分类甲,1,任务内容甲。,市财政局，市教委,,", ",,,,,", ",2,任务内容乙。,市教委,,"]
    )
    table = interpret(read_table(path), registry)
    assert [(t.number, t.units) for t in table.tasks] == [(1, ("市财政局", "市教委")), (2, ("市教委",))]
    assert [(n.where.row, n.message) for n in table.notices] == [(3, "skipped an empty row")]


def test_a_big_cell_is_read(tmp_path: Path, registry: Registry) -> None:
    big = "很长的任务内容" * 30_000  # 210,000 characters: above Python's default csv field limit
    path = write(tmp_path, [HEADER, f"一、甲,1,{big},市教委"])
    assert interpret(read_table(path), registry).tasks[0].text == big


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\t分类\n\t任务编号\n\t任务内容\n\t责任单位\n\n\t一、甲\n\t1\n\tx\n", "row 2, line 6"),
        ("no table here\n", "no table header found"),
        ("\t分类\n\t任务编号\n\t任务内容\n\t责任单位\n\n", "has a header but no task rows"),
    ],
)
def test_malformed_text_exports(tmp_path: Path, registry: Registry, text: str, expected: str) -> None:
    path = tmp_path / "export.txt"
    path.write_text(text, encoding="utf-8")
    error = error_for(path, registry)
    assert expected in str(error) and str(path) in str(error)


def test_missing_file_and_unknown_kind(tmp_path: Path, registry: Registry) -> None:
    assert "no such file" in str(error_for(tmp_path / "missing.csv", registry))
    assert "no reader for files ending in '.pdf'" in str(error_for(tmp_path / "x.pdf", registry))
    (tmp_path / "broken.docx").write_bytes(b"not a zip")
    assert "not a readable .docx file" in str(error_for(tmp_path / "broken.docx", registry))
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    assert "not a readable .xlsx file" in str(error_for(tmp_path / "broken.xlsx", registry))


def test_formula_cells_in_xlsx_are_refused(tmp_path: Path, registry: Registry) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.split(","))
    workbook.active.append(["一、甲", "=1+1", "x", "市教委"])
    workbook.save(tmp_path / "f.xlsx")
    error = error_for(tmp_path / "f.xlsx", registry)
    assert "row 2, column B" in str(error) and "formula" in str(error)
