"""Task tables in the other forms documents use, written by the tests as .xlsx, .docx, .csv and Word text export.

Each table is rows of cells (the header rows first); `merges` lists (first row, first column, last row, last
column) from 0 of merged cells, which .xlsx and .docx write as real merges and .csv and the text export as empty
cells. The contents are fictional (澜川市); the units are the national bodies the registry knows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl

Merge = tuple[int, int, int, int]


@dataclass(frozen=True)
class Table:
    rows: list[list[str]]
    title: str | None = None  # a line above the table (a title row in a spreadsheet, a paragraph in Word)
    merges: list[Merge] = field(default_factory=list)


# 序号 / 分类 / 子项 / 重点任务 / 牵头单位 / 配合单位 / 完成时限, under a title row, with 无 and — for none
CATEGORIES = Table(
    title="附件1 澜川市科技成果评价改革重点任务分工表",
    rows=[
        ["序号", "分类", "子项", "重点任务", "牵头单位", "配合单位", "完成时限"],
        ["1", "一、完善评价体系", "（一）分类评价", "制定澜川市科技成果分类评价指标。", "科技部", "教育部、中科院", "2026年12月"],
        ["2", "", "", "在三个园区开展分类评价试点。", "科技部、工程院", "无", "2025年底前"],
        ["3", "", "（二）市场评价", "培育一批技术交易服务机构。", "国家发展改革委", "财政部", "长期坚持"],
        ["4", "二、强化评价保障", "", "设立成果评价专项资金。", "财政部", "税务总局、人民银行", "2025年6月30日"],
        ["5", "", "", "建立评价专家库。", "中国科协", "—", "2025年6月底前"],
    ],
    merges=[(1, 1, 3, 1), (1, 2, 2, 2), (4, 1, 5, 1)],
)  # fmt: skip

# 序号 / 改革举措 / 主要内容 / 指导部门 / 推广范围: no category, guiding units, a note
REFORMS = Table(
    rows=[
        ["序号", "改革举措", "主要内容", "指导部门", "推广范围"],
        ["1", "企业开办一网通办", "将企业登记、印章刻制、发票申领合并为一个环节办理。", "市场监管总局", "全国"],
        ["2", "跨境货物提前申报", "货物启运后即可申报，抵港后直接提离。", "海关总署、商务部", "自由贸易试验区"],
    ],
)  # fmt: skip

# the columns in another order, no category
REORDERED = Table(
    rows=[
        ["完成时限", "牵头单位", "重点任务", "序号", "配合单位"],
        ["2027年3月", "工业和信息化部", "建设澜川工业互联网标识解析节点。", "1", "科技部"],
        ["持续推进", "人力资源社会保障部", "举办澜川技能大赛。", "2", "教育部、财政部"],
    ],
)  # fmt: skip

# a two-row header: 责任单位 spans 牵头单位 and 配合单位; 序号, 重点任务 and 完成时限 span both rows
TWO_ROWS = Table(
    rows=[
        ["序号", "重点任务", "责任单位", "", "完成时限"],
        ["", "", "牵头单位", "配合单位", ""],
        ["1", "开展澜川数据要素流通试点。", "国家数据局", "国家发展改革委、财政部", "2026年"],
        ["2", "建设公共数据授权运营平台。", "国家数据局", "", "2025年12月31日"],
    ],
    merges=[(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 3), (0, 4, 1, 4)],
)  # fmt: skip


def write_xlsx(path: Path, table: Table) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    offset = 0
    if table.title:
        sheet.append([table.title])
        offset = 1
    for row in table.rows:
        sheet.append([cell or None for cell in row])
    for first_row, first_col, last_row, last_col in table.merges:
        sheet.merge_cells(
            start_row=first_row + 1 + offset, start_column=first_col + 1,
            end_row=last_row + 1 + offset, end_column=last_col + 1,
        )  # fmt: skip
    workbook.save(path)


def write_docx(path: Path, table: Table) -> None:
    document = docx.Document()
    if table.title:
        document.add_paragraph(table.title)
    grid = document.add_table(rows=len(table.rows), cols=len(table.rows[0]))
    for r, row in enumerate(table.rows):
        for c, text in enumerate(row):
            if text:
                grid.cell(r, c).text = text
    for first_row, first_col, last_row, last_col in table.merges:
        grid.cell(first_row, first_col).merge(grid.cell(last_row, last_col))
    document.save(str(path))


def write_csv(path: Path, table: Table) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        if table.title:
            writer.writerow([table.title] + [""] * (len(table.rows[0]) - 1))
        writer.writerows(table.rows)


def write_text_export(path: Path, table: Table) -> None:
    """As Word exports a table to text: a title line, then each cell on a tab-indented line, rows apart."""
    lines = [table.title, ""] if table.title else []
    for row in table.rows:
        lines.extend(f"\t{cell}" for cell in row)
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


WRITERS: dict[str, Callable[[Path, Table], None]] = {
    ".xlsx": write_xlsx,
    ".docx": write_docx,
    ".csv": write_csv,
    ".txt": write_text_export,
}
