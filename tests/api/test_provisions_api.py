"""The JSON API over provisions and links: what a task implements and rests on, a measure's tasks, coverage.

Assertions name curated links only, or a link a test adds itself, so that they hold with or without the automatic
candidates of graph/links-automatic in the build.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import BaseModel

from api.models.common import Coverage, ProvisionPage
from graph.views.examples import LINKED_TASK_8, MEASURE_3, MEASURE_8, RELATED_8
from graph.views.records import (
    DocumentCoverage,
    LinkedTask,
    LinkFacts,
    MeasureCoverage,
    Provision,
    ProvisionSummary,
    RelatedProvision,
    TaskRelated,
)

TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
TASK = f"{TABLE}/task"
NATIONAL = "eli/cn/guobanfa/2021/26"
MEASURE = f"{NATIONAL}/part/2/item"
LAW_2021 = "eli/cn/law/2021/science-and-technology-progress"
REGULATIONS_2019 = "eli/cn-bj/local-regulation/2019/promoting-transformation-of-sci-tech-achievements"
STI = "agency/bj-sti-zgc"
BASE = "https://w3id.org/policykg/"
CANDIDATE = f"{BASE}link/test-automatic-candidate"
# An automatic candidate from task 8 to 二（九）, as the linker would write it, into the automatic links' graph.
INSERT_CANDIDATE = f"""
PREFIX pkg: <https://w3id.org/policykg/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
INSERT DATA {{ GRAPH <{BASE}graph/links-automatic> {{
  <{CANDIDATE}> a pkg:Link ; pkg:linkSource <{BASE}{TASK}/8> ; pkg:linkTarget <{BASE}{MEASURE}/9> ;
    pkg:linkKind pkg:similarity ; pkg:linkMethod pkg:automatic ; pkg:rank 1 ; pkg:score "0.8125"^^xsd:decimal ;
    skos:prefLabel "相似（自动）"@zh , "similar to (automatic)"@en .
}} }}
"""


def ok(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:300]}"
    return response.json()


def error(response: Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code
    return str(body["message"])


def targets(items: list[dict[str, Any]]) -> list[str]:
    return [item["target"]["id"] for item in items]


@pytest.fixture
def with_candidate(writable_client: Callable[..., TestClient]) -> TestClient:
    """A service over a copy of the build holding one more link: an automatic candidate from task 8 to 二（九）."""
    client = writable_client(token="s3cret")
    headers = {"content-type": "application/sparql-update", "authorization": "Bearer s3cret"}
    response = client.post("/sparql", content=INSERT_CANDIDATE, headers=headers)
    assert response.status_code == 204, response.text
    return client


# --- a task's links ------------------------------------------------------------------------------------------
def test_task_8_implements_measure_2_3_as_its_primary_curated_link(client: TestClient) -> None:
    answer = ok(client, f"/api/tasks/{TASK}/8/related")
    assert answer["task"]["id"] == f"{TASK}/8" and answer["task"]["number"] == 8
    first = answer["items"][0]
    assert (first["kind"], first["method"], first["rank"], first["primary"]) == ("implements", "curated", 1, True)
    assert first["target"]["id"] == f"{MEASURE}/3"
    assert first["target"]["labels"] == {"zh": "二（三）加快推进国家科技项目成果评价改革", "en": "Measure 2.3"}
    assert first["target"]["heading"] == "加快推进国家科技项目成果评价改革"
    assert first["target"]["document"]["id"] == NATIONAL
    assert first["target"]["parent"]["id"] == f"{NATIONAL}/part/2"
    assert first["target"]["kind"] == "item" and first["target"]["measure"] is True
    assert first["reason"]["zh"].startswith("沿用二（三）原文") and first["reason"]["en"].startswith("Reuses 2.3")
    assert first["score"] is None
    assert first["link"]["id"].startswith("link/")
    curated = [item for item in answer["items"] if item["method"] == "curated"]
    assert targets(curated) == [f"{MEASURE}/3"]  # task 8 has no basis in the three laws


def test_task_19_rests_on_article_68_of_the_2021_law(client: TestClient) -> None:
    cites = ok(client, f"/api/tasks/{TASK}/19/related", kind="cites")["items"]
    assert targets(cites) == [f"{LAW_2021}/article/68", f"{REGULATIONS_2019}/article/19"]
    assert [(item["rank"], item["primary"]) for item in cites] == [(1, True), (2, False)]
    article = cites[0]["target"]
    assert article["labels"] == {"zh": "第六十八条", "en": "Article 68"}
    assert article["kind"] == "article" and article["measure"] is False and article["number"] == 68
    assert article["document"]["labels"]["zh"] == "中华人民共和国科学技术进步法（2021年修订）"
    assert cites[0]["reason"]["zh"] == "履行了勤勉尽责义务的予以免责"


def test_related_lists_curated_links_first_implements_then_cites_by_rank(client: TestClient) -> None:
    items = ok(client, f"/api/tasks/{TASK}/17/related")["items"]
    curated = [(item["kind"], item["rank"], item["target"]["id"]) for item in items if item["method"] == "curated"]
    assert curated == [
        ("implements", 1, f"{MEASURE}/10"),
        ("cites", 1, "eli/cn/law/2015/promoting-transformation-of-sci-tech-achievements/article/20"),
        ("cites", 2, f"{REGULATIONS_2019}/article/22"),
    ]
    methods = [item["method"] for item in items]
    assert methods == sorted(methods, key=["curated", "automatic"].index)


@pytest.mark.parametrize(
    ("kind", "expected"), [("implements", [f"{MEASURE}/2", f"{MEASURE}/1"]), ("cites", [f"{LAW_2021}/article/14"])]
)
def test_the_kind_filter(client: TestClient, kind: str, expected: list[str]) -> None:
    items = ok(client, f"/api/tasks/{TASK}/9/related", kind=kind, method="curated")["items"]
    assert targets(items) == expected
    assert {item["kind"] for item in items} == {kind}


def test_the_method_filter_separates_curated_links_from_automatic_candidates(with_candidate: TestClient) -> None:
    everything = ok(with_candidate, f"/api/tasks/{TASK}/8/related")["items"]
    assert CANDIDATE in [item["link"]["iri"] for item in everything]
    assert everything[0]["method"] == "curated"  # curated before any candidate
    automatic = ok(with_candidate, f"/api/tasks/{TASK}/8/related", method="automatic")["items"]
    assert {item["method"] for item in automatic} == {"automatic"}
    (candidate,) = [item for item in automatic if item["link"]["iri"] == CANDIDATE]
    assert candidate["kind"] == "similar" and candidate["score"] == 0.8125 and candidate["primary"] is False
    assert candidate["target"]["id"] == f"{MEASURE}/9" and candidate["reason"] is None
    curated = ok(with_candidate, f"/api/tasks/{TASK}/8/related", method="curated")["items"]
    assert targets(curated) == [f"{MEASURE}/3"]
    similar = ok(with_candidate, f"/api/tasks/{TASK}/8/related", kind="similar")["items"]
    assert CANDIDATE in [item["link"]["iri"] for item in similar]
    assert ok(with_candidate, f"/api/tasks/{TASK}/8/related", kind="similar", method="curated")["items"] == []


def test_the_related_route_leaves_the_task_route_alone(client: TestClient) -> None:
    assert ok(client, f"/api/tasks/{TASK}/8")["text"] == "深入推进科研管理改革试点，加快建立科技计划成果后评估制度。"


# --- provisions ----------------------------------------------------------------------------------------------
def test_measure_2_10_is_implemented_by_tasks_17_18_19_each_led_by_the_science_commission(client: TestClient) -> None:
    provision = ok(client, f"/api/provisions/{MEASURE}/10")
    assert provision["labels"]["zh"] == "二（十）完善科技成果评价激励和免责机制"
    assert provision["heading"] == "完善科技成果评价激励和免责机制"
    assert provision["text"].startswith("把科技成果转化绩效作为核心要求")
    assert [each["id"] for each in provision["ancestors"]] == [f"{NATIONAL}/part/2"]
    assert provision["document"]["id"] == NATIONAL and provision["children"] == []
    implementing = provision["implemented_by"]
    assert [each["task"]["number"] for each in implementing] == [17, 18, 19]
    assert {each["task"]["lead"]["id"] for each in implementing} == {STI}
    assert implementing[0]["task"]["lead"]["labels"]["zh"] == "北京市科学技术委员会、中关村科技园区管理委员会"
    assert all(each["primary"] and each["method"] == "curated" for each in implementing)
    assert all(each["task"]["policy"]["id"] == TABLE for each in implementing)
    participating = {each["task"]["number"]: [a["id"] for a in each["task"]["participating"]] for each in implementing}
    assert "agency/bj-finance" in participating[18] and "agency/bj-sasac" in participating[19]
    assert provision["cited_by"] == []


def test_article_68_is_cited_by_task_19_and_sits_in_chapter_6(client: TestClient) -> None:
    article = ok(client, f"/api/provisions/{LAW_2021}/article/68")
    assert [each["task"]["number"] for each in article["cited_by"]] == [19]
    assert article["implemented_by"] == []
    assert [each["labels"]["zh"] for each in article["ancestors"]] == ["第六章 科学技术人员"]
    assert article["parent"]["id"] == f"{LAW_2021}/chapter/6"
    assert [each["id"] for each in article["children"]] == [f"{LAW_2021}/article/68/paragraph/1"]
    assert article["children"][0]["kind"] == "paragraph"


def test_a_paragraphs_ancestors_run_from_its_chapter_down(client: TestClient) -> None:
    paragraph = ok(client, f"/api/provisions/{LAW_2021}/article/68/paragraph/1")
    assert [each["id"] for each in paragraph["ancestors"]] == [f"{LAW_2021}/chapter/6", f"{LAW_2021}/article/68"]


def test_a_part_lists_its_items_in_order(client: TestClient) -> None:
    part = ok(client, f"/api/provisions/{NATIONAL}/part/2")
    assert [child["number"] for child in part["children"]] == list(range(1, 11))
    assert all(child["measure"] for child in part["children"])
    assert part["ancestors"] == [] and part["parent"]["id"] == NATIONAL


def test_a_provision_lists_automatic_candidates_apart(with_candidate: TestClient) -> None:
    measure = ok(with_candidate, f"/api/provisions/{MEASURE}/9")
    assert [each["task"]["number"] for each in measure["implemented_by"]] == [12, 14]
    assert 8 in [each["task"]["number"] for each in measure["candidates"]]
    assert {each["method"] for each in measure["candidates"]} == {"automatic"}


@pytest.mark.parametrize("document", ["guobanfa-2021-26", NATIONAL])
def test_the_provision_list_takes_a_document_id_or_its_manifest_id(client: TestClient, document: str) -> None:
    measures = ok(client, "/api/provisions", document=document, kind="measure")
    assert measures["total"] == 10
    assert [item["id"] for item in measures["items"]] == [f"{MEASURE}/{n}" for n in range(1, 11)]
    everything = ok(client, "/api/provisions", document=document, limit=100)
    assert everything["total"] == 19  # three parts, 2 + 10 + 4 items
    assert [item["id"] for item in everything["items"][:4]] == [
        f"{NATIONAL}/part/1", f"{NATIONAL}/part/1/item/1", f"{NATIONAL}/part/1/item/2", f"{NATIONAL}/part/2",
    ]  # fmt: skip


def test_the_provision_list_pages_and_filters_by_kind(client: TestClient) -> None:
    articles = client.get("/api/provisions", params={"document": LAW_2021, "kind": "article", "limit": 50})
    assert articles.status_code == 200
    body = articles.json()
    assert body["total"] == int(articles.headers["X-Total-Count"]) > 50
    assert [item["number"] for item in body["items"][:3]] == [1, 2, 3]
    assert 'rel="next"' in articles.headers["Link"]
    chapters = ok(client, "/api/provisions", document=LAW_2021, kind="chapter")
    assert chapters["items"][0]["labels"]["zh"] == "第一章 总则"
    assert ok(client, "/api/provisions", document="eli/cn/no-such/thing")["total"] == 0
    everything = ok(client, "/api/provisions", kind="measure")
    assert everything["total"] == 10


# --- coverage ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("params", [{"document": "guobanfa-2021-26"}, {"document": NATIONAL}, {}])
def test_coverage_of_the_national_measures(client: TestClient, params: dict[str, str]) -> None:
    (national,) = ok(client, "/api/coverage", **params)["documents"]
    assert national["document"]["id"] == NATIONAL
    assert (national["measure_count"], national["covered_count"]) == (10, 9)
    assert [item["id"] for item in national["uncovered"]] == [f"{MEASURE}/8"]
    assert national["uncovered"][0]["labels"]["zh"].startswith("二（八）坚决破解")
    tasks = {entry["measure"]["number"]: [(t["task"]["number"], t["primary"]) for t in entry["tasks"]]
             for entry in national["measures"]}  # fmt: skip
    assert list(tasks) == list(range(1, 11))
    assert tasks[8] == []
    assert tasks[3] == [(1, True), (7, False), (8, True), (13, True)]
    assert tasks[10] == [(17, True), (18, True), (19, True)]
    assert all(t["method"] == "curated" and t["kind"] == "implements"
               for entry in national["measures"] for t in entry["tasks"])  # fmt: skip


def test_coverage_ignores_automatic_candidates(with_candidate: TestClient) -> None:
    (national,) = ok(with_candidate, "/api/coverage", document="guobanfa-2021-26")["documents"]
    nine = next(entry for entry in national["measures"] if entry["measure"]["number"] == 9)
    assert [t["task"]["number"] for t in nine["tasks"]] == [12, 14]


def test_a_document_without_measures_has_empty_coverage(client: TestClient) -> None:
    (law,) = ok(client, "/api/coverage", document=LAW_2021)["documents"]
    assert (law["measure_count"], law["covered_count"], law["measures"], law["uncovered"]) == (0, 0, [], [])


# --- errors --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "url",
    [
        f"/api/provisions/{NATIONAL}/part/2/item/99",
        f"/api/provisions/{NATIONAL}",  # a document, not a provision
        f"/api/provisions/{TASK}/8",
        f"/api/tasks/{TASK}/99/related",
        f"/api/tasks/{MEASURE}/3/related",  # a provision, not a task
        "/api/coverage?document=no-such-document",
        "/api/coverage?document=eli/cn/no-such/thing",
    ],
)
def test_an_id_that_names_nothing_is_a_json_404(client: TestClient, url: str) -> None:
    error(client.get(url), 404, "not_found")


@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        (f"/api/provisions/{MEASURE}/3> <http://evil.example/x", "id"),
        ("/api/provisions/Eli/cn", "id"),
        (f"/api/tasks/{TASK}/8%20x/related", "id"),
        (f"/api/tasks/{TASK}/8/related?kind=implemented", "kind"),
        (f"/api/tasks/{TASK}/8/related?method=manual", "method"),
        ("/api/provisions?kind=clause", "kind"),
        ("/api/provisions?document=guobanfa 2021", "document"),
        ('/api/coverage?document=x"y', "document"),
        ("/api/provisions?limit=0", "limit"),
    ],
)
def test_a_malformed_parameter_is_a_json_422_naming_it(client: TestClient, url: str, parameter: str) -> None:
    assert error(client.get(url), 422, "invalid_parameter").startswith(parameter)


# --- OpenAPI -------------------------------------------------------------------------------------------------
def test_the_new_routes_are_documented_with_examples(client: TestClient) -> None:
    paths = ok(client, "/openapi.json")["paths"]
    for path in ("/api/tasks/{id}/related", "/api/provisions", "/api/provisions/{id}", "/api/coverage"):
        assert "get" in paths[path], path
    related = paths["/api/tasks/{id}/related"]["get"]["responses"]
    assert related["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/TaskRelated")


@pytest.mark.parametrize(
    "model",
    [ProvisionSummary, ProvisionPage, Provision, LinkFacts, RelatedProvision, TaskRelated, LinkedTask,
     MeasureCoverage, DocumentCoverage, Coverage],
    ids=lambda model: model.__name__,
)  # fmt: skip
def test_documented_examples_validate_against_their_models(model: type[BaseModel]) -> None:
    examples = model.model_json_schema()["examples"]
    assert examples
    for example in examples:
        model.model_validate(example)


def test_the_documented_examples_are_real(client: TestClient) -> None:
    related = ok(client, f"/api/tasks/{TASK}/8/related")
    assert related["items"][0] == RELATED_8 | {"target": related["items"][0]["target"]}
    assert related["items"][0]["target"] == MEASURE_3
    (national,) = ok(client, "/api/coverage", document="guobanfa-2021-26")["documents"]
    assert national["uncovered"] == [MEASURE_8]
    measure = ok(client, f"/api/provisions/{MEASURE}/3")
    assert LINKED_TASK_8 in measure["implemented_by"]
