"""One document, every format: a .txt, a .docx, a government web page and a PDF of it read as the same provisions.

The documents are fictional (tests/graph/fixtures/README.md): 潮泽市's implementation opinion (一、 parts, （一） items)
and its regulation (第一章 chapters, 第一条 articles). The .txt is the reference; the .docx and the PDF are written
here from it, the web page is a committed GBK-encoded fixture with navigation, a metadata table, share bar, scripts
and a footer around the body.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from graph.errors import InputError
from graph.ingest.kinds import KINDS, PROSE_KINDS, TABLE_KINDS, TEXT_FORMATS, detect_kind, read_prose, read_text
from graph.readers.prose import ProseDocument, Provision
from tests.graph.pdf_writer import wrap, write_pdf
from tests.graph.test_readers import seed_rows
from tests.graph.test_readers import write_docx as write_table_docx

FIXTURES = Path(__file__).parent / "fixtures"
OPINIONS = FIXTURES / "chaoze-implementation-opinions.txt"
REGULATION = FIXTURES / "chaoze-regulation.txt"
PAGE = FIXTURES / "chaoze-implementation-opinions.html"


def shape(node: Provision) -> tuple[Any, ...]:
    """A provision as a reader sees it, without where in the file it stood."""
    return (
        node.kind,
        node.number,
        node.notation,
        node.heading,
        tuple(node.paragraphs),
        tuple(map(shape, node.children)),
    )


def provisions(document: ProseDocument) -> list[tuple[Any, ...]]:
    return [shape(node) for node in document.provisions]


def paragraphs(path: Path) -> list[str]:
    return [line for line in path.read_text("utf-8").splitlines() if line.strip()]


def write_docx(path: Path, lines: list[str]) -> None:
    """The document as Word keeps it: one paragraph a line, a soft line break inside one, a layout table up top."""
    document = docx.Document()
    header = document.add_table(rows=1, cols=2)
    header.cell(0, 0).text, header.cell(0, 1).text = "签发人", "某某"
    for line in lines:
        if line.startswith("市科技局会同") and document.paragraphs:
            run = document.paragraphs[-1].add_run()
            run.add_break()
            run.add_text(line)
        else:
            document.add_paragraph(line)
    document.save(str(path))


def write_numbered_docx(path: Path, lines: list[str]) -> None:
    """The opinion with 一、 and （一） drawn by Word's automatic numbering, not typed: the text holds no numbers."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.append(
        parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
            '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
            '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
            "</w:abstractNum>"
        )
    )
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for line in lines:
        level = 0 if line[0] in "一二三" and line[1] == "、" else 1 if line.startswith("（") else None
        if level is None:
            document.add_paragraph(line)
            continue
        paragraph = document.add_paragraph(line.split("、", 1)[1] if level == 0 else line.split("）", 1)[1])
        paragraph._p.get_or_add_pPr().append(
            parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
        )
    document.save(str(path))


def write_document_pdf(path: Path, lines: list[str], per_page: int = 10) -> None:
    """The document set as a PDF: lines wrapped at the page width, a running header and a "- N -" page number."""
    physical = [piece for line in lines for piece in wrap(line, 60)]
    pages = [physical[start : start + per_page] for start in range(0, len(physical), per_page)]
    write_pdf(path, [["潮泽市人民政府公报", *page, f"- {n} -"] for n, page in enumerate(pages, start=1)])


@pytest.fixture(scope="module")
def formats(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("formats")
    made = {"opinions.docx": write_docx, "regulation.docx": write_docx, "numbered.docx": write_numbered_docx}
    for name, writer in made.items():
        writer(folder / name, paragraphs(REGULATION if name.startswith("regulation") else OPINIONS))
    write_document_pdf(folder / "opinions.pdf", paragraphs(OPINIONS))
    write_document_pdf(folder / "regulation.pdf", paragraphs(REGULATION))
    return {name: folder / name for name in [*made, "opinions.pdf", "regulation.pdf"]}


def test_the_reference_texts_have_their_structure() -> None:
    opinions = read_prose(OPINIONS, "opinions")
    assert [(p.notation, p.heading, len(p.children)) for p in opinions.provisions] == [
        ("一", "总体要求", 2), ("二", "重点任务", 3), ("三", "保障措施", 2),
    ]  # fmt: skip
    assert opinions.sign_off == ["潮泽市人民政府办公室", "2024年3月8日"]
    regulation = read_prose(REGULATION, "law")
    assert (regulation.count("chapter"), regulation.count("article"), regulation.count("item")) == (3, 7, 4)


@pytest.mark.parametrize("name", ["opinions.docx", "numbered.docx", "opinions.pdf"])
def test_the_opinion_reads_the_same_from_every_format(formats: dict[str, Path], name: str) -> None:
    expected = read_prose(OPINIONS, "opinions")
    got = read_prose(formats[name], "opinions")
    assert provisions(got) == provisions(expected)
    assert got.sign_off == expected.sign_off
    assert got.count("item") == 7 and got.provisions[1].children[0].paragraphs == [
        "基础研究成果以同行评议为主，应用研究成果以用户和市场评价为主。",
        "市科技局会同市财政局制定分类评价指引，每两年修订一次。",
    ]


@pytest.mark.parametrize("name", ["regulation.docx", "regulation.pdf"])
def test_the_regulation_reads_the_same_from_every_format(formats: dict[str, Path], name: str) -> None:
    expected = read_prose(REGULATION, "law")
    got = read_prose(formats[name], "law")
    assert provisions(got) == provisions(expected)
    assert (got.count("chapter"), got.count("article"), got.count("paragraph"), got.count("item")) == (3, 7, 8, 4)


def test_the_government_web_page_reads_as_the_text() -> None:
    page = read_prose(PAGE, "opinions")
    expected = read_prose(OPINIONS, "opinions")
    assert provisions(page) == provisions(expected)
    assert page.sign_off == expected.sign_off
    assert page.encoding == "gb18030"  # declared gb2312 in http-equiv, read as its superset


def test_the_web_page_keeps_its_title_and_metadata_rows_and_drops_its_furniture() -> None:
    text = read_text(PAGE)
    lines = [line.text for line in text.lines]
    assert lines[0].startswith("潮泽市人民政府办公室关于推进科技成果评价改革的实施意见_政策文件")
    assert "发文字号：潮政办发〔2024〕15号" in lines and "成文日期：2024年03月08日" in lines
    assert "发文机关：潮泽市人民政府办公室" in lines
    for furniture in (
        "首页",
        "政务公开",
        "分享到",
        "网站标识码",
        "相关文件",
        "统计代码",
        "脚本",
        "注释",
        "样式",
        "搜索",
    ):
        assert furniture not in text.text, furniture
    (item,) = [line for line in text.lines if line.text.startswith("（一）指导思想")]
    assert PAGE.read_bytes().decode("gb18030").splitlines()[item.line - 1].lstrip().startswith("<p>")


def write_page(path: Path, body: str, charset: str = "utf-8", declared: str | None = None) -> Path:
    meta = f'<meta charset="{declared or charset}">' if declared or charset else ""
    path.write_bytes(f"<html><head>{meta}<title>测试页面</title></head><body>{body}</body></html>".encode(charset))
    return path


def test_a_page_without_known_containers_is_read_from_its_densest_block(tmp_path: Path) -> None:
    body = (
        "<div class='menu'><a>首页</a><a>机构设置</a><a>政策文件</a></div>"
        "<div class='wrap'><div class='box'><p>一、总体要求</p><p>（一）目标。到明年完成全部改革任务。</p>"
        "<p>（二）原则。坚持问题导向和目标导向相结合的原则。</p></div><div>版权所有：某某单位</div></div>"
    )
    document = read_prose(write_page(tmp_path / "plain.html", body), "opinions")
    assert [(p.heading, [c.heading for c in p.children]) for p in document.provisions] == [
        ("总体要求", ["目标", "原则"])
    ]
    assert "首页" not in " ".join(document.preamble)


def test_hostile_html_scripts_entities_and_a_megabyte_page(tmp_path: Path) -> None:
    filler = "<p>本段为填充文字，用于测试较大页面的读取速度与稳定性。&amp;&lt;b&gt;&#x4E00;&nbsp;</p>" * 9000
    body = (
        "<div id='UCAP-CONTENT'><p>一、总体要求</p>"
        "<p>（一）目标。<script>alert('（九）不是正文')</script>达成目标&mdash;&ldquo;全面&rdquo;。</p>"
        f"<style>p{{color:red}}</style>{filler}"
        + "<div>" * 1500
        + "（二）深层。嵌套很深的文字。"
        + "</div>" * 1500
        + "</div>"
    )
    path = write_page(tmp_path / "big.html", body)
    assert path.stat().st_size > 1_000_000
    started = time.perf_counter()
    document = read_prose(path, "opinions")
    assert time.perf_counter() - started < 10
    first = document.provisions[0].children[0]
    assert first.paragraphs[0] == "达成目标—“全面”。"
    assert "不是正文" not in str(provisions(document)) and "alert" not in str(provisions(document))
    assert first.paragraphs[1] == "本段为填充文字，用于测试较大页面的读取速度与稳定性。&<b>一"
    assert [c.heading for c in document.provisions[0].children] == ["目标", "深层"]


def test_a_page_nested_beyond_the_parser_is_an_error_not_a_loss(tmp_path: Path) -> None:
    body = "<div class='content'><p>一、总体要求</p>" + "<div>" * 5000 + "（一）深层。" + "</div>" * 5000 + "</div>"
    with pytest.raises(InputError, match=r"deep\.html, line 1: cannot be read past this point \(Excessive depth"):
        read_prose(write_page(tmp_path / "deep.html", body), "opinions")


def test_a_page_declaring_the_wrong_charset_is_read_and_reported(tmp_path: Path) -> None:
    path = write_page(
        tmp_path / "wrong.html",
        "<div class='content'><p>一、总体要求</p><p>（一）目标。完成任务。</p></div>",
        "utf-8",
        "gbk",
    )
    text = read_text(path)
    assert text.encoding == "utf-8" and "一、总体要求" in text.text
    assert ["declares charset 'gbk'" in notice.message for notice in text.notices] == [True]


def test_pdf_lines_name_their_page_and_page_furniture_is_reported(formats: dict[str, Path]) -> None:
    text = read_text(formats["regulation.pdf"])
    article = next(line for line in text.lines if line.text.startswith("第五条"))
    assert article.page == 2 and text.where(article).describe().endswith("page 2, line 9")
    ignored = [notice.message for notice in text.notices]
    assert "ignored page number: - 2 -" in ignored and "ignored page header or footer: 潮泽市人民政府公报" in ignored
    assert "公报" not in text.text and "- 1 -" not in text.text
    law = read_prose(formats["regulation.pdf"], "law")
    five = next(node for node in law.all() if node.notation == "第五条")
    assert (five.page, five.line) == (2, 9)


def test_a_scanned_pdf_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "scan.pdf"
    write_pdf(path, [[], []], scanned=True)
    with pytest.raises(InputError, match=r"scan\.pdf: has no text layer \(a scanned PDF\?\); run OCR first"):
        read_prose(path, "law")


def test_a_damaged_pdf_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\nnot really a pdf")
    with pytest.raises(InputError, match=r"broken\.pdf: is not a readable PDF"):
        read_prose(path, "law")


def test_prose_kinds_read_every_text_format_and_tables_keep_their_kinds() -> None:
    assert set(TABLE_KINDS) == {"text-export", "docx", "csv", "xlsx"}
    assert set(PROSE_KINDS) == {"opinions", "law"} and set(KINDS) == set(TABLE_KINDS) | set(PROSE_KINDS)
    assert set(TEXT_FORMATS) == {".txt", ".docx", ".html", ".htm", ".pdf"}
    assert all(kind.suffixes == tuple(TEXT_FORMATS) for kind in PROSE_KINDS.values())
    with pytest.raises(InputError, match=r"opinions\.rtf: no prose reader for files ending in '\.rtf'"):
        read_prose(Path("opinions.rtf"), "opinions")


def test_the_kind_of_a_file_is_told_by_its_content(formats: dict[str, Path], tmp_path: Path) -> None:
    table = tmp_path / "table.docx"
    write_table_docx(table, seed_rows())
    assert detect_kind(table) == "docx"
    assert detect_kind(formats["opinions.docx"]) == "opinions"
    assert detect_kind(formats["regulation.docx"]) == "law"
    assert detect_kind(formats["regulation.pdf"]) == "law"
    assert detect_kind(PAGE) == "opinions"
    assert detect_kind(OPINIONS) == "opinions"
    from tests.helpers import SEED

    assert detect_kind(SEED) == "text-export"
