"""Fictional documents people bring to `policykg add FILE…`, written for these tests as the files they come in.

澜川市 (Lanchuan) is invented: its implementation opinions (a .docx, numbered 澜政办发〔2024〕9号, implementing
国办发〔2021〕26号, the bundled national guiding opinions) and their task table (a .docx attached to them, and the
same table as an .xlsx) assign tasks to 市教委, 市财政局, 市科协 … — short names Beijing's registry also has. 潮泽市
(Chaoze, also invented) publishes its implementation opinions as a web page (tests/graph/fixtures) and its
regulation as a PDF (written here from tests/graph/fixtures/chaoze-regulation.txt).
"""

from __future__ import annotations

import itertools
from pathlib import Path

import docx
import openpyxl

from tests.graph.pdf_writer import wrap, write_pdf

FIXTURES = Path(__file__).resolve().parent / "fixtures"

LANCHUAN_OPINIONS_TITLE = "澜川市人民政府办公室关于深化科技成果评价改革的实施意见"
LANCHUAN_OPINIONS = [
    LANCHUAN_OPINIONS_TITLE,
    "澜政办发〔2024〕9号",
    "各区人民政府，市政府各委、办、局：",
    "为贯彻落实《国务院办公厅关于完善科技成果评价机制的指导意见》（国办发〔2021〕26号），结合本市实际，提出如下实施意见。",
    "一、总体要求",
    "（一）基本思路。以成果质量和实际贡献为导向，让评价结果真正用于资源配置。",
    "（二）主要目标。到2026年，全市成果评价制度基本完备。",
    "二、重点任务",
    "（一）分类评价成果。基础研究看原创价值，应用研究看市场认可。",
    "（二）用好评价结果。评价结果作为项目、人才和机构支持的依据。",
    "（三）规范评价机构。依照《中华人民共和国促进科技成果转化法》第三十条，建立第三方评价机构名录和信用档案。",
    "附件：任务分工表",
    "澜川市人民政府办公室",
    "2024年4月2日",
]
TABLE_TITLE = f"落实《{LANCHUAN_OPINIONS_TITLE}》任务分工表"
# 分类, 任务编号, 任务内容, 责任单位: 12 tasks in 3 categories, units Beijing's registry also names.
TABLE_ROWS = [
    ("一、分类评价成果", "1", "制定基础研究成果同行评议办法。", "市科技局，市教委"),
    ("", "2", "建立应用研究成果市场评价指标。", "市科技局，市财政局，市国资委"),
    ("", "3", "开展高校成果分类评价试点。", "市教委，市科协"),
    ("", "4", "将专利转化情况纳入评价指标。", "市知识产权局，市科技局"),
    ("二、用好评价结果", "5", "把评价结果作为项目立项的依据。", "市科技局，市财政局"),
    ("", "6", "把评价结果用于人才评定。", "市人力资源社会保障局，市教委，市科协"),
    ("", "7", "把评价结果用于国有企业考核。", "市国资委，市财政局"),
    ("", "8", "公开年度评价结果。", "市科技局"),
    ("三、规范评价机构", "9", "建立第三方评价机构名录。", "市科技局，市市场监管局"),
    ("", "10", "建立评价机构信用档案。", "市市场监管局，市科技局"),
    ("", "11", "培养专业评价人员。", "市人力资源社会保障局，市科协"),
    ("", "12", "支持行业协会制定评价规范。", "市科协，市科技局，市知识产权局"),
]
TABLE_UNITS = {
    "市科技局",
    "市教委",
    "市财政局",
    "市国资委",
    "市科协",
    "市知识产权局",
    "市人力资源社会保障局",
    "市市场监管局",
}
BEIJING_NAMESAKES = ("市教委", "市财政局", "市国资委", "市科协", "市知识产权局", "市人力资源社会保障局")
HEADER = ("分类", "任务编号", "任务内容", "责任单位")


def write_paragraphs_docx(path: Path, lines: list[str]) -> Path:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_table_docx(path: Path, title: str = TABLE_TITLE) -> Path:
    """The table as offices send it: "附件", the title, the table (category cells merged down), a date below."""
    document = docx.Document()
    document.add_paragraph("附件")
    document.add_paragraph(title)
    table = document.add_table(rows=len(TABLE_ROWS) + 1, cols=4)
    for column, name in enumerate(HEADER):
        table.cell(0, column).text = name
    for index, row in enumerate(TABLE_ROWS, start=1):
        for column, text in enumerate(row):
            if text:
                table.cell(index, column).text = text
    starts = [i for i, row in enumerate(TABLE_ROWS) if row[0]] + [len(TABLE_ROWS)]
    for first, end in itertools.pairwise(starts):
        table.cell(first + 1, 0).merge(table.cell(end, 0))
    document.save(str(path))
    return path


def write_table_xlsx(path: Path, title: str = TABLE_TITLE) -> Path:
    """The same table in Excel: the title in a merged first row, the header, the rows (category cells merged)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append([title])
    sheet.merge_cells("A1:D1")
    sheet.append(list(HEADER))
    for row in TABLE_ROWS:
        sheet.append([int(cell) if cell.isdigit() else cell for cell in row])
    workbook.save(str(path))
    return path


def write_regulation_pdf(path: Path) -> Path:
    lines = [line for line in (FIXTURES / "chaoze-regulation.txt").read_text("utf-8").splitlines() if line.strip()]
    physical = [piece for line in lines for piece in wrap(line, 60)]
    pages = [physical[start : start + 8] for start in range(0, len(physical), 8)]
    write_pdf(path, [["潮泽市人大常委会公报", *page, f"- {n} -"] for n, page in enumerate(pages, start=1)])
    return path


def write_batch(folder: Path) -> Path:
    """A folder as a policy office receives it: opinions (.docx) with their table (.docx), another city's opinions
    as a web page and its regulation as a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    write_paragraphs_docx(folder / "澜川市实施意见.docx", LANCHUAN_OPINIONS)
    write_table_docx(folder / "附件-任务分工表.docx")
    (folder / "chaoze-opinions.html").write_bytes((FIXTURES / "chaoze-implementation-opinions.html").read_bytes())
    write_regulation_pdf(folder / "潮泽市科技成果转化促进条例.pdf")
    return folder
