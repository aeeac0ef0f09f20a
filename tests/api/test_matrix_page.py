"""/matrix as a browser, a spreadsheet and a picture get it: the table parsed with lxml, the files opened."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import lxml.html
import openpyxl
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from graph.rdf.namespaces import PKG
from graph.release.build import Built
from tests.helpers import SEED_ID

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def page(client: TestClient, url: str) -> lxml.html.HtmlElement:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


def words(element: lxml.html.HtmlElement) -> str:
    return " ".join(element.text_content().split())


def roles(seed_graph: Graph) -> tuple[int, int]:
    return (
        len(list(seed_graph.subjects(PKG.role, PKG.lead))),
        len(list(seed_graph.subjects(PKG.role, PKG.participating))),
    )


def test_the_page_has_one_row_per_task_in_category_groups(client: TestClient, built: Built) -> None:
    source = built.tables[SEED_ID]
    document = page(client, "/matrix")
    (table,) = document.xpath("//table[@id='matrix']")
    assert "19" in words(table.xpath("caption")[0])
    groups = table.xpath("tbody")
    assert [words(g.xpath("tr[@class='category']/th[@scope='rowgroup']")[0]) for g in groups] == [
        f"{h.notation}、{h.label}" for h in source.categories
    ]
    for group, heading in zip(groups, source.categories, strict=True):
        numbers = [int(n) for n in group.xpath("tr[@class='task']/th[@scope='row']/a[@class='number']/text()")]
        assert numbers == [task.number for task in source.tasks if task.category.number == heading.number]
    assert len(table.xpath("tbody/tr[@class='task']")) == len(source.tasks)
    columns = table.xpath("thead/tr/th[@scope='col']")
    assert len(columns) == 2 + len({name for task in source.tasks for name in task.units})


def test_lead_and_participating_cells_match_the_graph(client: TestClient, seed_graph: Graph) -> None:
    table = page(client, "/matrix")
    leads, participating = roles(seed_graph)
    assert len(table.xpath("//table[@id='matrix']//td[@class='lead']")) == leads
    assert len(table.xpath("//table[@id='matrix']//td[@class='participating']")) == participating
    cell = table.xpath("//td[@class='lead']")[0]
    assert cell.xpath("span[@aria-hidden='true']/text()") == ["●"]
    assert cell.xpath("span[@class='visually-hidden']/text()") == ["牵头"]
    totals = table.xpath("//table[@id='matrix']/tfoot/tr[@class='leads']/td")
    assert sum(int(td.text_content()) for td in totals[:-1]) == int(totals[-1].text_content()) == leads


def test_the_columns_name_the_units_as_the_table_does_with_full_names(client: TestClient) -> None:
    document = page(client, "/matrix")
    first = document.xpath("//table[@id='matrix']/thead/tr/th[@class='unit']")[0]
    assert words(first) == "市科委、中关村管委会"
    assert first.xpath("a/@href") == ["/agency/bj-sti-zgc"]
    assert first.xpath("a/@title") == ["北京市科学技术委员会、中关村科技园区管理委员会"]
    units = document.xpath("//section[@id='units']//tbody/tr")
    assert "北京市财政局" in " ".join(words(row) for row in units)


def test_the_english_page(client: TestClient) -> None:
    document = page(client, "/matrix?lang=en")
    assert document.get("lang") == "en"
    assert words(document.xpath("//table[@id='matrix']/caption")[0]).startswith("Responsibility matrix: 19 tasks")
    assert document.xpath("//td[@class='participating']/span[@class='visually-hidden']/text()")[0] == "participating"
    heading = document.xpath("//tbody[@id='category-1']/tr[@class='category']/th")[0]
    assert "Define the objects and content" in words(heading)
    assert all(href.endswith("lang=en") for href in document.xpath("//p[@class='downloads']/a/@href"))


@pytest.mark.parametrize("start", ["/", f"/{TABLE}"])
def test_the_home_and_table_pages_link_to_the_matrix(client: TestClient, start: str) -> None:
    links = page(client, start).xpath("//p[@class='matrix-link']/a/@href")
    assert len(links) == 1 and links[0].startswith("/matrix")
    assert page(client, links[0]).xpath("//table[@id='matrix']")


@pytest.mark.parametrize(
    ("url", "accept", "media_type", "extension"),
    [
        ("/matrix.csv", None, "text/csv", "csv"),
        (f"/matrix?policy={SEED_ID}&format=xlsx", None, XLSX, "xlsx"),
        (f"/matrix.svg?policy={TABLE}", None, "image/svg+xml", "svg"),
        ("/matrix", "text/csv", "text/csv", "csv"),
        ("/matrix", "image/svg+xml", "image/svg+xml", "svg"),
        ("/matrix", XLSX, XLSX, "xlsx"),
    ],
)
def test_files_by_extension_format_or_accept(
    client: TestClient, url: str, accept: str | None, media_type: str, extension: str
) -> None:
    response = client.get(url, headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == media_type
    assert response.headers["vary"].startswith("Accept")
    disposition = response.headers["content-disposition"]
    assert disposition.endswith(
        f'filename="responsibility-matrix-eli-cn-bj-jingkezhuanfa-2022-226-attachment-1.{extension}"'
    )
    assert disposition.startswith("inline" if extension == "svg" else "attachment")


def test_the_downloads_hold_what_the_page_shows(client: TestClient, seed_graph: Graph) -> None:
    leads, participating = roles(seed_graph)
    data = client.get("/matrix.csv").content
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    marks = [cell for row in rows for cell in row]
    assert (marks.count("●"), marks.count("○")) == (leads, participating)
    header = page(client, "/matrix").xpath("//table[@id='matrix']/thead/tr/th[@class='unit']")
    assert rows[0][2:-1] == [words(th) for th in header]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/matrix.xlsx").content)).worksheets[0]
    assert [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)] == rows
    svg = ET.fromstring(client.get("/matrix.svg").content)
    assert "Noto Sans CJK SC" in svg.attrib["font-family"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/matrix?policy=guobanfa-2021-26", 404),  # a document without tasks
        ("/matrix?policy=nothing-here", 404),
        ("/matrix?policy=a%20b", 422),
        ("/matrix.pdf", 406),
    ],
)
def test_what_is_not_there(client: TestClient, url: str, status: int) -> None:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == status
    assert "Traceback" not in response.text
