"""Citations become links, as a user meets them: a fictional city's implementation opinion goes into a copy of the
data with `policykg build`, its page shows what it cites with each sentence and what it cites that is not in the
graph; `policykg add` of that cited document turns the unresolved citation into a link."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph import bundled

POLICYKG = str(Path(sys.executable).parent / "policykg")
FIXTURES = Path(__file__).parents[1] / "graph" / "fixtures"
OPINION = FIXTURES / "xihe-implementation-opinions.txt"
RULES = FIXTURES / "xihe-transformation-provisions.txt"
HTML = {"Accept": "text/html"}
OPINION_PATH = "/eli/cn-zj/xikefa/2024/9"
RULES_PATH = "/eli/cn-zj/local-regulation/2024/xihe-transformation-provisions"
LAW_ARTICLE_10 = "/eli/cn/law/2015/promoting-transformation-of-sci-tech-achievements/article/10"
OPINION_ENTRY = """
[[document]]
id = "xihe-2024-implementation-opinions"
file = "corpus/xihe-implementation-opinions.txt"
reader = "opinions"
title = "汐河市科学技术局关于加快科技成果转化的实施意见"
title_en = "Implementation Opinions of the Xihe Municipal Science and Technology Bureau on Speeding Up the Transformation of Scientific and Technological Achievements"
kind = "implementation-opinions"
number = "汐科发〔2024〕9号"
date = 2024-05-06
"""
RULES_ENTRY = """
[[document]]
id = "xihe-2024-transformation-provisions"
file = "corpus/xihe-transformation-provisions.txt"
reader = "law"
title = "汐河市科技成果转化若干规定"
title_en = "Xihe Municipal Provisions on the Transformation of Scientific and Technological Achievements"
kind = "local-regulation"
eli = "cn-zj/local-regulation/2024/xihe-transformation-provisions"
date = 2024-01-12
"""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [POLICYKG, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=300, env={"PATH": "/usr/bin:/bin"}
    )


def sentence_of(path: Path, needle: str) -> str:
    """The sentence of a fixture holding `needle`, as a person reads it there (a line's text up to its 。)."""
    for line in path.read_text("utf-8").splitlines():
        for sentence in line.split("。"):
            if needle in sentence:
                return sentence.strip() + "。"
    raise AssertionError(f"{needle} is not in {path.name}")


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the bundled data with the opinion listed, built by `policykg build`."""
    root = tmp_path_factory.mktemp("citations")
    data = root / "data"
    shutil.copytree(bundled.folder("data"), data)
    shutil.copy(OPINION, data / "corpus")
    manifest = data / "manifest.toml"
    text = manifest.read_text("utf-8")
    codes = '"京科转发" = {'
    assert codes in text
    text = text.replace(codes, '"汐科发" = { jurisdiction = "cn-zj", slug = "xikefa" }\n' + codes) + OPINION_ENTRY
    manifest.write_text(text, "utf-8")
    result = run("build", "--manifest", manifest, "--out", root / "build", cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def page(workdir: Path, path: str) -> lxml.html.HtmlElement:
    client = TestClient(create_app(Settings(out_dir=workdir / "build")))
    response = client.get(path, headers=HTML)
    assert response.status_code == 200, path
    return lxml.html.fromstring(response.text)


def rows(html: lxml.html.HtmlElement, section: str) -> list[dict[str, str]]:
    """The rows of the citations table in section `section`, by column class (source, relation, target, …)."""
    found = []
    for row in html.xpath(f"//section[@id='{section}']//table[contains(@class, 'citations')]/tbody/tr"):
        found.append({cell.get("class"): " ".join(cell.text_content().split()) for cell in row.xpath("td")})
    return found


def test_the_opinion_page_shows_what_it_implements_and_cites_with_the_sentences(workdir: Path) -> None:
    html = page(workdir, OPINION_PATH)
    cites = rows(html, "cites")

    implements = sentence_of(OPINION, "国办发〔2021〕26号")
    article = sentence_of(OPINION, "第十条")
    assert {
        "source": "汐河市科学技术局关于加快科技成果转化的实施意见",
        "relation": "落实",
        "target": "国务院办公厅关于完善科技成果评价机制的指导意见",
        "sentence": implements,
    } in cites
    law = "中华人民共和国促进科技成果转化法（2015年修正）"
    assert {
        "source": "一（一）明确转化责任",
        "relation": "依据",
        "target": f"第十条 · {law}",
        "sentence": article,
    } in cites
    assert {"source": "二（二）用好评价结果", "relation": "依据", "target": "国务院办公厅关于完善科技成果评价机制的指导意见",
            "sentence": sentence_of(OPINION, "国办发[2021]26号")} in cites  # fmt: skip
    assert all(row["sentence"] for row in cites)


def test_a_document_it_cites_that_is_not_in_the_graph_is_listed_as_such(workdir: Path) -> None:
    html = page(workdir, OPINION_PATH)

    heading = html.xpath("//section[@id='unresolved']/h3")[0].text_content()
    assert "引用但不在图中" in heading
    assert rows(html, "unresolved") == [
        {
            "cited": "《汐河市科技成果转化若干规定》",
            "source": "二（一）建立转化年度报告制度",
            "relation": "依据",
            "sentence": sentence_of(OPINION, "《汐河市科技成果转化若干规定》"),
        }
    ]
    english = TestClient(create_app(Settings(out_dir=workdir / "build"))).get(f"{OPINION_PATH}?lang=en", headers=HTML)
    assert "Cited, not in the graph" in english.text


def test_the_law_article_shows_the_opinion_item_that_cites_it(workdir: Path) -> None:
    html = page(workdir, LAW_ARTICLE_10)

    assert {
        "source": "一（一）明确转化责任",
        "relation": "依据",
        "sentence": sentence_of(OPINION, "第十条"),
    } in rows(html, "cited-in")


def test_the_json_of_the_opinion_lists_its_citation_links_with_kind_method_and_reason(workdir: Path) -> None:
    client = TestClient(create_app(Settings(out_dir=workdir / "build")))
    policy = client.get(f"/api/policies{OPINION_PATH}").json()

    assert {(link["kind"], link["method"], link["target"]["id"]) for link in policy["cites"]} >= {
        ("implements", "automatic", "eli/cn/guobanfa/2021/26"),
        ("cites", "automatic", LAW_ARTICLE_10.lstrip("/")),
    }
    assert all(link["reason"]["zh"] and link["score"] is None for link in policy["cites"])
    assert [c["title"] for c in policy["unresolved_citations"]] == ["汐河市科技成果转化若干规定"]
    assert client.get("/openapi.json").status_code == 200


def test_adding_the_cited_document_turns_the_unresolved_citation_into_a_link(workdir: Path, tmp_path: Path) -> None:
    shutil.copytree(workdir, tmp_path / "copy", symlinks=True)  # the other tests read the build before the add
    workdir = tmp_path / "copy"
    data = workdir / "data"
    shutil.copy(RULES, data / "corpus")
    with open(data / "manifest.toml", "a", encoding="utf-8") as manifest:
        manifest.write(RULES_ENTRY)

    result = run(
        "add", "xihe-2024-transformation-provisions", "--manifest", data / "manifest.toml", "--out", workdir / "build",
        cwd=workdir,
    )  # fmt: skip

    assert result.returncode == 0, result.stdout + result.stderr
    html = page(workdir, OPINION_PATH)
    assert html.xpath("//section[@id='unresolved']") == []
    sentence = sentence_of(OPINION, "《汐河市科技成果转化若干规定》")
    assert {"source": "二（一）建立转化年度报告制度", "relation": "依据", "target": "汐河市科技成果转化若干规定",
            "sentence": sentence} in rows(html, "cites")  # fmt: skip
    rules = page(workdir, RULES_PATH)
    assert {
        "source": "汐河市科学技术局关于加快科技成果转化的实施意见",
        "relation": "依据",
        "target": "汐河市科技成果转化若干规定",
        "sentence": sentence,
    } in rows(rules, "cited-in")
    # the added document's own citation: made under the 2015 law (根据《…》…制定本规定)
    assert {
        "source": "汐河市科技成果转化若干规定",
        "relation": "落实",
        "target": "中华人民共和国促进科技成果转化法（2015年修正）",
        "sentence": sentence_of(RULES, "根据《中华人民共和国促进科技成果转化法》").removeprefix("第一条　"),
    } in rows(rules, "cites")
