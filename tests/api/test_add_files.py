"""`policykg add FOLDER` as a policy office would run it: documents in the forms they arrive in, no manifest editing.

The documents are fictional (tests/graph/added_documents.py): 澜川市's implementation opinions (.docx) with their
task table (.docx), 潮泽市's implementation opinions (a GB2312 web page) and regulation (a PDF); then 澜川市's
table again as an .xlsx. What is checked is what a person reads in them: titles, numbers, dates, kinds, places;
the counts; units kept in their own city; the citations as links with their sentences; the served pages.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import docx
import lxml.html
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph

from api.main import create_app
from api.settings import Settings
from graph import bundled
from tests.graph.added_documents import (
    BEIJING_NAMESAKES,
    LANCHUAN_OPINIONS,
    LANCHUAN_OPINIONS_TITLE,
    TABLE_ROWS,
    TABLE_TITLE,
    TABLE_UNITS,
    write_batch,
    write_table_xlsx,
)

POLICYKG = str(Path(sys.executable).parent / "policykg")
HTML = {"Accept": "text/html"}
LANCHUAN = "/eli/cn-lanchuan/lanzhengbanfa/2024/9"
CHAOZE = "/eli/cn-chaoze/chaozhengbanfa/2024/15"
LAW_ARTICLE_30 = "/eli/cn/law/2015/promoting-transformation-of-sci-tech-achievements/article/30"
UNITS_OF_TASKS = """PREFIX pkg: <https://w3id.org/policykg/ontology#>
SELECT ?task ?unit WHERE { ?task pkg:document <TABLE> ; pkg:responsibleAgency ?unit }"""
LABELS_OF_UNITS = """PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT DISTINCT ?label WHERE {
  ?task pkg:document <TABLE> ; pkg:responsibleAgency ?unit . ?unit skos:prefLabel ?label . FILTER(LANG(?label) = "zh")
}"""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYKG, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin"}
    )


def entries(workdir: Path) -> dict[str, dict[str, object]]:
    """The build folder's manifest entries by the file they were made from."""
    manifest = tomllib.loads((workdir / "build" / "manifest.toml").read_text("utf-8"))
    return {Path(str(entry["file"])).name: entry for entry in manifest["document"]}


def select(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def beijing_tasks(client: TestClient) -> dict[str, int]:
    """How many tasks each of Beijing's namesake units has (by its registry IRI)."""
    rows = select(
        client,
        """PREFIX pkg: <https://w3id.org/policykg/ontology#> PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?unit (COUNT(DISTINCT ?task) AS ?n) WHERE {
          ?task pkg:responsibleAgency ?unit . FILTER(STRSTARTS(STR(?unit), "https://w3id.org/policykg/agency/bj-"))
        } GROUP BY ?unit""",
    )
    return {row["unit"]: int(row["n"]) for row in rows}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh folder: `policykg build` of the bundled corpus, then `policykg add batch/` of four new documents."""
    root = tmp_path_factory.mktemp("add-files")
    assert run("build", cwd=root).returncode == 0
    before = TestClient(create_app(Settings(out_dir=root / "build")))
    (root / "beijing-before.txt").write_text(repr(sorted(beijing_tasks(before).items())), "utf-8")
    write_batch(root / "batch")
    result = run("add", "batch", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    (root / "add.out").write_text(result.stdout + result.stderr, "utf-8")
    return root


@pytest.fixture(scope="module")
def client(workdir: Path) -> TestClient:
    return TestClient(create_app(Settings(out_dir=workdir / "build")))


def page(client: TestClient, path: str) -> lxml.html.HtmlElement:
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.text)


def test_each_file_is_added_with_what_was_found_in_it(workdir: Path) -> None:
    said = " ".join((workdir / "add.out").read_text("utf-8").split())
    assert "added 澜川市实施意见.docx as lanzhengbanfa-2024-9 (2 parts, 5 items)" in said
    assert (
        "added 附件-任务分工表.docx as " in said and f"({len({r[0] for r in TABLE_ROWS if r[0]})} categories, " in said
    )
    assert f"{len(TABLE_ROWS)} tasks" in said and f"{len(TABLE_UNITS)} units" in said
    assert "added 潮泽市科技成果转化促进条例.pdf as " in said and "3 chapters" in said and "7 articles" in said
    assert "added chaoze-opinions.html as chaozhengbanfa-2024-15 (3 parts, 7 items)" in said
    assert "entries written to" in said and "manifest.toml" in said
    assert " to guobanfa-2021-26: " in said and "candidate links for " in said  # the table, linked on arrival


def test_the_metadata_is_what_the_texts_say(workdir: Path) -> None:
    found = entries(workdir)
    opinions = found["澜川市实施意见.docx"]
    assert opinions["title"] == LANCHUAN_OPINIONS_TITLE == LANCHUAN_OPINIONS[0]
    assert (opinions["number"], opinions["kind"], str(opinions["date"])) == (
        "澜政办发〔2024〕9号", "implementation-opinions", "2024-04-02",
    )  # fmt: skip
    assert opinions["issuers"] == ["澜川市人民政府办公室"] and opinions["implements"] == ["guobanfa-2021-26"]

    table = found["附件-任务分工表.docx"]
    assert (table["title"], table["kind"], table["attachment_of"]) == (
        TABLE_TITLE, "task-division-table", "lanzhengbanfa-2024-9",
    )  # fmt: skip
    assert "number" not in table and "date" not in table  # the table states neither: nothing is guessed

    regulation = found["潮泽市科技成果转化促进条例.pdf"]
    assert (regulation["title"], regulation["kind"]) == ("潮泽市科技成果转化促进条例", "local-regulation")
    assert (str(regulation["date"]), str(regulation["in_force"])) == ("2023-11-20", "2024-03-01")
    assert regulation["issuers"] == ["潮泽市人民代表大会常务委员会"]

    web = found["chaoze-opinions.html"]
    assert (web["number"], web["kind"], web["implements"]) == (
        "潮政办发〔2024〕15号", "implementation-opinions", ["guobanfa-2021-26"],
    )  # fmt: skip


def test_the_manifest_says_where_each_field_was_read_and_names_the_cities(workdir: Path) -> None:
    text = (workdir / "build" / "manifest.toml").read_text("utf-8")
    assert "# number: paragraph 2 (number line): 澜政办发〔2024〕9号" in text
    assert "give it with --date" in text  # the table's missing date: the flag that sets it
    places = tomllib.loads(text)["places"]
    assert places["cn-lanchuan"] == {"name": "澜川市", "name_en": "Lanchuan"}
    assert places["cn-chaoze"]["name"] == "潮泽市"


def test_the_citys_units_are_its_own_and_beijing_is_unchanged(workdir: Path, client: TestClient) -> None:
    table = "https://w3id.org/policykg/eli/cn-lanchuan/lanzhengbanfa/2024/9/attachment/1"
    rows = select(client, UNITS_OF_TASKS.replace("TABLE", table))
    assert len({row["task"] for row in rows}) == len(TABLE_ROWS)
    assert all("/agency/unregistered-cn-lanchuan-" in row["unit"] for row in rows), rows
    labels = {row["label"] for row in select(client, LABELS_OF_UNITS.replace("TABLE", table))}
    assert labels == {f"{name}（澜川市）" for name in TABLE_UNITS}
    assert (workdir / "beijing-before.txt").read_text("utf-8") == repr(sorted(beijing_tasks(client).items()))
    education = page(client, "/agency/bj-education")
    assert "澜川" not in education.text_content()
    assert all(name in TABLE_UNITS for name in BEIJING_NAMESAKES)


def test_the_citations_are_links_with_their_sentences(client: TestClient) -> None:
    policy = client.get(f"/api/policies{LANCHUAN}").json()
    cites = {(link["kind"], link["method"], link["target"]["id"]): link for link in policy["cites"]}
    implements = cites[("implements", "automatic", "eli/cn/guobanfa/2021/26")]
    assert "为贯彻落实《国务院办公厅关于完善科技成果评价机制的指导意见》" in implements["reason"]["zh"]
    article = cites[("cites", "automatic", LAW_ARTICLE_30.lstrip("/"))]
    assert "依照《中华人民共和国促进科技成果转化法》第三十条" in article["reason"]["zh"]
    assert policy["unresolved_citations"] == []
    web = client.get(f"/api/policies{CHAOZE}").json()
    assert ("implements", "automatic", "eli/cn/guobanfa/2021/26") in {
        (link["kind"], link["method"], link["target"]["id"]) for link in web["cites"]
    }


def test_the_pages_show_the_new_documents_and_their_links(client: TestClient) -> None:
    html = page(client, LANCHUAN)
    assert LANCHUAN_OPINIONS_TITLE in html.xpath("//h1")[0].text_content()
    cited = " ".join(html.xpath("//section[@id='cites']")[0].text_content().split())
    assert "国务院办公厅关于完善科技成果评价机制的指导意见" in cited and "第三十条" in cited
    article = " ".join(page(client, LAW_ARTICLE_30).xpath("//section[@id='cited-in']")[0].text_content().split())
    assert "依照《中华人民共和国促进科技成果转化法》第三十条" in article
    national = " ".join(page(client, "/eli/cn/guobanfa/2021/26").text_content().split())
    assert LANCHUAN_OPINIONS_TITLE in national and "潮泽市人民政府办公室关于推进科技成果评价改革的实施意见" in national


def test_the_table_is_linked_on_arrival_to_the_measures_it_carries_out(workdir: Path, client: TestClient) -> None:
    """The table is attached to opinions that implement 国办发〔2021〕26号: the same `policykg add` gives each task the
    linker's candidates among that document's measures, and writes them where `policykg build` reads them."""
    table = "eli/cn-lanchuan/lanzhengbanfa/2024/9/attachment/1"
    related = client.get(f"/api/tasks/{table}/task/9/related", params={"method": "automatic", "kind": "similar"})
    assert related.status_code == 200, related.text
    targets = [item["target"]["id"] for item in related.json()["items"]]
    assert targets and all(target.startswith("eli/cn/guobanfa/2021/26/part/2/") for target in targets), targets
    third_party = client.get("/api/provisions/eli/cn/guobanfa/2021/26/part/2/item/6").json()
    assert "第三方评价" in third_party["heading"] and third_party["id"] in targets[:3], (
        targets
    )  # 第三方评价机构名录: （六）引导规范科技成果第三方评价
    files = sorted((workdir / "build" / "links-automatic").glob("*.ttl"))
    assert len(files) == 1 and files[0].name.endswith("--guobanfa-2021-26.ttl"), files
    header = files[0].read_text("utf-8").splitlines()[1]
    assert header.startswith("# command: policykg link --source ") and "--target guobanfa-2021-26" in header
    # The command in the header, run by hand on the build folder's manifest, proposes the same pairs.
    again = workdir / "again.ttl"
    command = header.removeprefix("# command: policykg ").split()
    result = run(*command, "--manifest", workdir / "build" / "manifest.toml", "--out", again, cwd=workdir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _pairs(Graph().parse(again)) == _pairs(Graph().parse(files[0]))
    served = select(
        client,
        f"""PREFIX pkg: <https://w3id.org/policykg/ontology#>
        SELECT ?task ?target WHERE {{ ?link pkg:linkSource ?task ; pkg:linkMethod pkg:automatic ; pkg:linkTarget ?target .
          ?target pkg:document <https://w3id.org/policykg/eli/cn/guobanfa/2021/26> .
          ?task pkg:document <https://w3id.org/policykg/{table}> }}""",
    )
    assert {(row["task"], row["target"]) for row in served} == _pairs(Graph().parse(files[0]))
    assert len({row["task"] for row in served}) >= len(TABLE_ROWS) // 2  # most tasks get candidates


def _pairs(links: Graph) -> set[tuple[str, str]]:
    query = "SELECT ?s ?t WHERE { ?l <https://w3id.org/policykg/ontology#linkSource> ?s ; <https://w3id.org/policykg/ontology#linkTarget> ?t }"
    return {(str(row[0]), str(row[1])) for row in links.query(query)}


def test_the_same_table_as_xlsx_reads_the_same(workdir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(workdir / "build", copy / "build", symlinks=True)
    write_table_xlsx(copy / "任务分工表.xlsx", title=TABLE_TITLE.replace("任务分工表", "任务分工表（Excel版）"))

    result = run("add", "任务分工表.xlsx", "--dry-run", cwd=copy)

    assert result.returncode == 0, result.stdout + result.stderr
    said = " ".join((result.stdout + result.stderr).split())
    assert f"{len(TABLE_ROWS)} tasks" in said and f"{len(TABLE_UNITS)} units" in said
    assert 'attachment_of = "lanzhengbanfa-2024-9"' in said and 'kind = "task-division-table"' in said
    assert "nothing written" in said
    assert (copy / "build" / "manifest.toml").read_bytes() == (workdir / "build" / "manifest.toml").read_bytes()


def test_validate_says_what_it_found_in_a_table_and_reads_its_title_outside_the_table(workdir: Path) -> None:
    result = run("validate", "batch/附件-任务分工表.docx", "--json", cwd=workdir)

    report = json.loads(result.stdout)
    assert report["counts"]["tasks"] == len(TABLE_ROWS) and report["counts"]["units"] == len(TABLE_UNITS)
    assert report["metadata"]["title"]["value"] == TABLE_TITLE  # not "附件" + the title + the header cells
    assert "issuers" not in report["metadata"]  # the table's last row names units, not the issuer


def write_plan_docx(path: Path) -> Path:
    """A provincial notice with its task table in another form: 序号 / 重点任务 / 牵头单位 / 配合单位 / 完成时限, no
    categories, two leads in one cell, 无 for none."""
    document = docx.Document()
    for line in (
        "浙江省人民政府办公厅关于印发浙江省科技成果转化三年行动方案的通知",
        "浙政办发〔2024〕12号",
        "各市、县（市、区）人民政府，省政府直属各单位：",
        "现将《浙江省科技成果转化三年行动方案》印发给你们，请认真贯彻执行。",
    ):
        document.add_paragraph(line)
    rows = [
        ("序号", "重点任务", "牵头单位", "配合单位", "完成时限"),
        ("1", "建设省级科技成果转化平台。", "省科技厅", "省财政厅、省教育厅", "2025年12月"),
        ("2", "开展高校科技成果评价试点。", "省教育厅", "省科技厅", "2026年6月"),
        ("3", "完善成果转化收益分配政策。", "省人力社保厅、省财政厅", "无", "2026年"),
    ]
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph("浙江省人民政府办公厅")
    document.add_paragraph("2024年3月15日")
    document.save(str(path))
    return path


def test_a_table_without_categories_and_with_two_leads_is_listed_and_drawn(workdir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(workdir / "build", copy / "build", symlinks=True)
    write_plan_docx(copy / "浙江省行动方案.docx")
    result = run("add", "浙江省行动方案.docx", cwd=copy)
    assert result.returncode == 0, result.stdout + result.stderr
    client = TestClient(create_app(Settings(out_dir=copy / "build")))
    plan = "eli/cn-zj/zhezhengbanfa/2024/12"

    tasks = client.get("/api/tasks", params={"policy": plan}).json()["items"]
    assert [task["number"] for task in tasks] == [1, 2, 3] and all(task["category"] is None for task in tasks)
    third = tasks[2]
    assert [unit["labels"]["zh"] for unit in third["leads"]] == ["省人力社保厅（浙江省）", "省财政厅（浙江省）"]
    assert third["participating"] == []
    html = page(client, f"/{plan}")
    listed = html.xpath("//section[@id='uncategorised']//table[contains(@class, 'tasks')]/tbody/tr")
    assert [" ".join(row.xpath("td")[2].text_content().split()) for row in listed][2] == (
        "省人力社保厅（浙江省）、省财政厅（浙江省）"
    )
    matrix = client.get("/matrix.csv", params={"policy": plan}).text.splitlines()
    (row,) = [line for line in matrix if line.startswith("3,")]
    assert row.split(",")[1] == "完善成果转化收益分配政策。" and row.count("●") == 2


def test_a_citys_units_registered_in_a_data_file_of_its_own_are_used(tmp_path: Path) -> None:
    """A registry file for 澜川市 (kept by whoever adds its documents), included by a copy of the registry: the
    table's 市教委 is that entry, with its full name; Beijing's 市教委 keeps its own tasks."""
    registry = tmp_path / "registry"
    registry.mkdir()
    bundled_registry = Path(str(bundled.registry_file()))
    for source in bundled_registry.parent.glob("agencies*.toml"):
        shutil.copy(source, registry / source.name)
    main = registry / "agencies.toml"
    text = main.read_text("utf-8")
    assert text.count("include = [") == 1
    main.write_text(text.replace("include = [", 'include = ["agencies-lanchuan.toml", ', 1), "utf-8")
    (registry / "agencies-lanchuan.toml").write_text(
        """[[unit]]
id = "lc-education"
kind = "agency"
name = "澜川市教育委员会"
name_en = "Lanchuan Municipal Education Commission"
names = ["市教委"]
jurisdiction = "cn-lanchuan"
""",
        "utf-8",
    )
    assert run("build", "--registry", main, cwd=tmp_path).returncode == 0
    write_batch(tmp_path / "batch")
    result = run("add", "batch", "--registry", main, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    client = TestClient(create_app(Settings(out_dir=tmp_path / "build")))

    table = "https://w3id.org/policykg/eli/cn-lanchuan/lanzhengbanfa/2024/9/attachment/1"
    units = {row["unit"] for row in select(client, UNITS_OF_TASKS.replace("TABLE", table))}
    assert "https://w3id.org/policykg/agency/lc-education" in units
    assert "https://w3id.org/policykg/agency/bj-education" not in units
    education = client.get("/api/agencies/agency/lc-education").json()
    assert education["labels"] == {"zh": "澜川市教育委员会", "en": "Lanchuan Municipal Education Commission"}
