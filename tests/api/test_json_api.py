"""The JSON API (`/api/...`) as a client sees it, over the whole bundled task-division table."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from pydantic import BaseModel

import api.models
from api.main import create_app
from api.models.common import AgencyPage, SearchPage, TaskPage
from api.models.stored import QueryAnswer, StoredQueryInfo
from api.settings import Settings
from graph.release.build import Built
from graph.release.write import write_release
from graph.views.examples import AGENCY, AGENCY_SUMMARY, CATEGORY_DETAIL, POLICY, POLICY_SUMMARY, TASK_8
from graph.views.records import Agency, CategoryDetail, Policy, Task

TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
OPINIONS = "eli/cn-bj/jingkezhuanfa/2022/226"
NATIONAL = "eli/cn/guobanfa/2021/26"
CATEGORY_5 = f"{TABLE}/category/5"
HOSTILE_TEXT = 'x" || true) } #'


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Iterator[TestClient]:
    out = tmp_path_factory.mktemp("json-api") / "build"
    write_release(built, out)
    with TestClient(create_app(Settings(out_dir=out))) as client:
        yield client


def ok(client: TestClient, url: str, **params: Any) -> Any:
    response = client.get(url, params=params)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    return response.json()


def numbers(page: dict[str, Any]) -> list[int]:
    return [item["number"] for item in page["items"]]


def task_numbers(client: TestClient, **params: Any) -> list[int]:
    page = ok(client, "/api/tasks", **params)
    assert page["total"] == len(page["items"])
    return numbers(page)


def error(response: Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"} and body["error"] == code
    return str(body["message"])


# --- tasks ---------------------------------------------------------------------------------------------------
def test_the_task_list_has_all_19_tasks_in_number_order(client: TestClient) -> None:
    response = client.get("/api/tasks")
    page = response.json()
    assert page["total"] == 19 and page["limit"] == 50 and page["offset"] == 0
    assert numbers(page) == list(range(1, 20))
    assert response.headers["x-total-count"] == "19"
    first = page["items"][0]
    assert first["id"] == f"{TABLE}/task/1" and first["iri"] == f"https://w3id.org/policykg/{TABLE}/task/1"
    assert first["labels"] == {"zh": "任务1", "en": "Task 1"}
    assert first["lead"]["id"] == "agency/bj-sti-zgc"


@pytest.mark.parametrize("agency", ["bj-finance", "agency/bj-finance"])
def test_the_finance_bureau_participates_in_tasks_8_and_18(client: TestClient, agency: str) -> None:
    page = ok(client, "/api/tasks", agency=agency)
    assert numbers(page) == [8, 18]
    for task in page["items"]:
        assert "agency/bj-finance" in [unit["id"] for unit in task["participating"]]
        assert task["lead"]["id"] != "agency/bj-finance"
    assert task_numbers(client, agency=agency, role="participating") == [8, 18]
    assert task_numbers(client, agency=agency, role="lead") == []


def test_role_alone_and_an_unknown_role(client: TestClient) -> None:
    assert len(task_numbers(client, role="lead")) == 19
    assert 15 not in task_numbers(client, role="participating")  # task 15 has a lead unit only
    assert "role" in error(client.get("/api/tasks", params={"role": "boss"}), 422, "invalid_parameter")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("科研", [7, 8, 16, 19]),
        ("finance", [8, 18]),  # in no task text: the English name of 市财政局
        ("FINANCE", [8, 18]),
        ("Pilot Reform", [7, 8]),  # the English label of their category 持续推进科研管理改革试点
        ("市财政局", [8, 18]),  # a short name as the table writes it
        ("", list(range(1, 20))),
        (HOSTILE_TEXT, []),
        ('nomatch" || true) } #', []),
    ],
)
def test_text_filter(client: TestClient, q: str, expected: list[int]) -> None:
    assert task_numbers(client, q=q) == expected


def test_category_and_policy_filters(client: TestClient) -> None:
    assert task_numbers(client, category=CATEGORY_5) == [7, 8]
    assert task_numbers(client, category=CATEGORY_5, agency="bj-finance") == [8]
    assert len(task_numbers(client, policy=TABLE)) == 19
    assert task_numbers(client, policy=OPINIONS) == []  # the tasks belong to the attached table


def test_unknown_filter_ids_give_an_empty_list_not_an_error(client: TestClient) -> None:
    for params in ({"agency": "no-such-unit"}, {"category": f"{TABLE}/category/99"}, {"policy": "eli/cn/none"}):
        assert task_numbers(client, **params) == [], params


def test_paging_walks_all_tasks_once_by_the_link_header(client: TestClient) -> None:
    url: str | None = "/api/tasks?limit=5"
    seen: list[int] = []
    offsets = []
    while url is not None:
        response = client.get(url)
        page = response.json()
        assert page["total"] == 19 and response.headers["x-total-count"] == "19"
        offsets.append(page["offset"])
        seen += numbers(page)
        links = response.links
        assert links["first"]["url"] == "/api/tasks?limit=5&offset=0"
        assert links["last"]["url"] == "/api/tasks?limit=5&offset=15"
        assert ("prev" in links) == (page["offset"] > 0)
        url = links.get("next", {}).get("url")
    assert offsets == [0, 5, 10, 15]
    assert seen == list(range(1, 20))


def test_paging_keeps_the_filters_and_points_back(client: TestClient) -> None:
    response = client.get("/api/tasks", params={"q": "科研", "limit": 2, "offset": 2})
    assert numbers(response.json()) == [16, 19]
    links = response.links
    assert set(links) == {"first", "prev", "last"}
    assert links["prev"]["url"] == "/api/tasks?q=%E7%A7%91%E7%A0%94&limit=2&offset=0"


@pytest.mark.parametrize(
    ("params", "name"), [({"limit": 501}, "limit"), ({"limit": 0}, "limit"), ({"offset": -1}, "offset")]
)
def test_paging_limits(client: TestClient, params: dict[str, int], name: str) -> None:
    assert error(client.get("/api/tasks", params=params), 422, "invalid_parameter").startswith(name)


def test_a_page_past_the_end_is_empty(client: TestClient) -> None:
    page = ok(client, "/api/tasks", offset=40)
    assert page["total"] == 19 and page["items"] == []


def test_task_8_is_the_documented_example(client: TestClient) -> None:
    assert ok(client, f"/api/tasks/{TABLE}/task/8") == TASK_8


def test_task_11_continues_the_merged_units_cell_of_task_10s_row(client: TestClient) -> None:
    task_10 = ok(client, f"/api/tasks/{TABLE}/task/10")
    task_11 = ok(client, f"/api/tasks/{TABLE}/task/11")
    row = task_11["source_row"]
    assert row["row"] == 12 and task_10["source_row"]["row"] == 11
    assert row["units_continue_row"] == 11
    assert row["cells"]["责任单位"] == "" and row["cells"]["任务编号"] == "11"
    assert set(row["cells"]) == {"分类", "任务编号", "任务内容", "责任单位"}
    assert task_10["source_row"]["units_continue_row"] is None
    assert [a["agency"]["id"] for a in task_11["assignments"]] == [a["agency"]["id"] for a in task_10["assignments"]]


# --- categories ----------------------------------------------------------------------------------------------
def test_categories(client: TestClient) -> None:
    page = ok(client, "/api/categories")
    assert page["total"] == 8 and numbers(page) == list(range(1, 9))
    assert sum(item["task_count"] for item in page["items"]) == 19
    assert ok(client, "/api/categories", policy=TABLE)["total"] == 8
    assert ok(client, "/api/categories", policy=OPINIONS)["total"] == 0
    assert ok(client, f"/api/categories/{CATEGORY_5}") == CATEGORY_DETAIL


# --- policies ------------------------------------------------------------------------------------------------
def test_the_beijing_opinions_implement_the_national_opinions_and_have_the_table_attached(client: TestClient) -> None:
    opinions = ok(client, f"/api/policies/{OPINIONS}")
    assert opinions["number"] == "京科转发〔2022〕226号"
    assert [policy["id"] for policy in opinions["implements"]] == [NATIONAL]
    assert ok(client, f"/api/policies/{NATIONAL}")["number"] == "国办发〔2021〕26号"
    assert [policy["id"] for policy in opinions["attachments"]] == [TABLE]
    assert opinions["description"] == POLICY["description"]
    assert opinions["kind"]["labels"]["zh"] == "实施意见"
    assert [source["id"] for source in opinions["sources"]] == [source["id"] for source in POLICY["sources"]]
    assert len(opinions["issuers"]) == 11
    assert all(issuer in opinions["issuers"] for issuer in POLICY["issuers"])
    assert ok(client, f"/api/policies/{TABLE}")["attachment_of"]["id"] == OPINIONS
    assert [policy["id"] for policy in ok(client, f"/api/policies/{NATIONAL}")["implemented_by"]] == [OPINIONS]


def test_policy_list_and_title_filter(client: TestClient) -> None:
    page = ok(client, "/api/policies")
    assert page["total"] == 6
    dates = [item["date"] for item in page["items"]]
    assert dates == sorted(dates, reverse=True)
    assert page["items"][0] == POLICY_SUMMARY
    assert [item["id"] for item in ok(client, "/api/policies", title="Guiding")["items"]] == [NATIONAL]
    assert ok(client, "/api/policies", title='nomatch" || true) } #')["total"] == 0


# --- agencies ------------------------------------------------------------------------------------------------
def test_the_science_commission_leads_every_task_and_works_most_with_health(client: TestClient) -> None:
    agency = ok(client, "/api/agencies/bj-sti-zgc")
    assert agency == ok(client, "/api/agencies/agency/bj-sti-zgc")
    assert agency["leads"] == 19 and [task["number"] for task in agency["lead_tasks"]] == list(range(1, 20))
    assert agency["participating_tasks"] == []
    assert "市科委" in agency["names"] and "中关村管委会" in agency["names"]
    shared = {c["agency"]["id"]: c["shared_tasks"] for c in agency["collaborators"]}
    assert shared["agency/bj-health"] == 10
    assert agency["collaborators"][0]["agency"]["id"] == "agency/bj-health"  # most shared first


def test_the_finance_bureau_is_the_documented_example(client: TestClient) -> None:
    assert ok(client, "/api/agencies/bj-finance") == AGENCY


def test_agency_list(client: TestClient) -> None:
    page = ok(client, "/api/agencies")
    assert page["items"][0]["id"] == "agency/bj-sti-zgc"  # busiest first
    finance = next(item for item in page["items"] if item["id"] == "agency/bj-finance")
    assert finance == AGENCY_SUMMARY
    groups = ok(client, "/api/agencies", kind="group")
    assert [item["id"] for item in groups["items"]] == ["agency/bj-district-governments"]
    assert groups["total"] + ok(client, "/api/agencies", kind="agency")["total"] <= page["total"]


# --- search --------------------------------------------------------------------------------------------------
def test_search_finds_units_by_any_name_and_tasks_by_text(client: TestClient) -> None:
    hits = ok(client, "/api/search", q="财政")["items"]
    assert [(hit["kind"], hit["id"]) for hit in hits] == [
        ("agency", "agency/bj-finance"),
        ("agency", "agency/cn-mof"),  # 财政部, of the national registry
        ("task", f"{TABLE}/task/1"),
    ]
    assert "财政" in hits[2]["text"]
    assert [hit["id"] for hit in ok(client, "/api/search", q="Finance Bureau")["items"]] == ["agency/bj-finance"]
    short = ok(client, "/api/search", q="中关村管委会")["items"]  # a short name, not part of the full name
    assert "agency/bj-sti-zgc" in {hit["id"] for hit in short}
    policies = ok(client, "/api/search", q="指导意见")["items"]
    assert [(hit["kind"], hit["id"]) for hit in policies] == [("policy", NATIONAL)]
    assert ok(client, "/api/search", q=HOSTILE_TEXT)["total"] == 0
    assert error(client.get("/api/search"), 422, "invalid_parameter").startswith("q")


# --- errors --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("route", ["tasks", "policies", "categories", "agencies"])
def test_an_unknown_id_is_a_json_404(client: TestClient, route: str) -> None:
    message = error(client.get(f"/api/{route}/eli/cn/no-such/thing"), 404, "not_found")
    assert "eli/cn/no-such/thing" in message


@pytest.mark.parametrize("route", ["tasks", "agencies"])
def test_an_item_of_another_kind_is_not_found(client: TestClient, route: str) -> None:
    other = "agency/bj-finance" if route == "tasks" else f"{TABLE}/task/8"
    error(client.get(f"/api/{route}/{other}"), 404, "not_found")


@pytest.mark.parametrize(
    "bad",
    [f"{TABLE}/task/8> <http://evil.example/x", "bj finance", 'bj-"finance', "Agency/bj-finance", "a..b", "a//b"],
)
@pytest.mark.parametrize("route", ["tasks", "policies", "categories", "agencies"])
def test_a_malformed_id_is_refused_before_it_becomes_an_iri(client: TestClient, route: str, bad: str) -> None:
    assert error(client.get(f"/api/{route}/{bad}"), 422, "invalid_parameter").startswith("id")


@pytest.mark.parametrize("name", ["agency", "category", "policy"])
def test_a_malformed_filter_id_is_refused(client: TestClient, name: str) -> None:
    response = client.get("/api/tasks", params={name: "bj-finance> <http://evil.example/x"})
    assert error(response, 422, "invalid_parameter").startswith(name)


# --- OpenAPI -------------------------------------------------------------------------------------------------
def test_openapi_documents_the_routes_with_examples(client: TestClient) -> None:
    document = ok(client, "/openapi.json")  # the suite's filterwarnings=error catches duplicate operation ids
    paths = document["paths"]
    ids = [
        operation["operationId"]
        for path, item in paths.items()
        if path.startswith("/api/")
        for operation in item.values()
    ]
    assert len(ids) == len(set(ids)) == 17
    assert "post" in paths["/api/validate"]
    assert "post" in paths["/api/links/{link_id}/decision"]  # curation behind the admin token
    for path in ("/api/tasks", "/api/tasks/{id}", "/api/tasks/{id}/related", "/api/policies", "/api/policies/{id}",
                 "/api/categories", "/api/categories/{id}", "/api/agencies", "/api/agencies/{id}", "/api/provisions",
                 "/api/provisions/{id}", "/api/coverage", "/api/search", "/api/queries",
                 "/api/queries/{name}"):  # fmt: skip
        assert "get" in paths[path], path
    schemas = document["components"]["schemas"]
    modules = [importlib.import_module(f"api.models.{each.name}") for each in pkgutil.iter_modules(api.models.__path__)]
    ours = {name for module in modules for name, value in vars(module).items()
            if isinstance(value, type) and issubclass(value, BaseModel)}  # fmt: skip
    assert {"Task", "TaskPage", "Policy", "PolicyPage", "CategoryDetail", "CategoryPage", "Agency", "AgencyPage",
            "SearchPage", "StoredQueryInfo", "QueryAnswer", "ErrorBody"} <= set(schemas)  # fmt: skip
    for name in ours & set(schemas):
        assert schemas[name].get("examples"), name
    task = paths["/api/tasks/{id}"]["get"]["responses"]
    assert task["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Task")
    assert task["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert schemas["Task"]["examples"][0]["text"] == "深入推进科研管理改革试点，加快建立科技计划成果后评估制度。"


def test_documented_examples_validate_against_their_models() -> None:
    for model in (Task, TaskPage, Policy, CategoryDetail, Agency,
                  AgencyPage, SearchPage, StoredQueryInfo, QueryAnswer):  # fmt: skip
        for example in model.model_json_schema()["examples"]:
            model.model_validate(example)
