"""The reconciliation service (/reconcile) as OpenRefine 3.x uses it: requests built the way it builds them."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote, urlencode

import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import html

from api.main import create_app
from api.settings import Settings
from graph.ingest.agencies import Registry
from graph.reconcile import match as rc
from graph.store.embedded import EmbeddedStore

BASE = "https://w3id.org/policykg/"
PKG = BASE + "ontology#"
FORM = "application/x-www-form-urlencoded; charset=UTF-8"  # what OpenRefine's Java side sends
FINANCE = "agency/bj-finance"
STI = "agency/bj-sti-zgc"
TASK = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1/task/{}"
GUOBANFA = "eli/cn/guobanfa/2021/26"
ORIGIN = "http://127.0.0.1:3333"  # OpenRefine's own address
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
SKOS = "http://www.w3.org/2004/02/skos/core#"
OWL = "http://www.w3.org/2002/07/owl#"


def post_queries(client: TestClient, batch: dict[str, Any], **headers: str) -> Response:
    """A batch as OpenRefine posts it: one form field `queries` holding the JSON."""
    body = urlencode({"queries": json.dumps(batch, ensure_ascii=False)})
    return client.post("/reconcile", content=body, headers={"content-type": FORM, **headers})


def results(client: TestClient, batch: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    response = post_queries(client, batch)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")
    answer = response.json()
    assert set(answer) == set(batch)
    for result in answer.values():
        for candidate in result["result"]:  # the 0.2 result schema: id, name, score required; match a boolean
            assert isinstance(candidate["id"], str) and isinstance(candidate["name"], str)
            assert 0 <= candidate["score"] <= 100 and isinstance(candidate["match"], bool)
            assert all(set(t) == {"id", "name"} for t in candidate["type"])
        scores = [c["score"] for c in result["result"]]
        assert scores == sorted(scores, reverse=True)
    return {name: result["result"] for name, result in answer.items()}


def sparql(client: TestClient, query: str) -> list[dict[str, str]]:
    response = client.get("/sparql", params={"query": query}, headers={"accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return [{k: v["value"] for k, v in row.items()} for row in response.json()["results"]["bindings"]]


def error(response: Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message"}
    return str(body["message"])


# --- the manifest ---------------------------------------------------------------------------------------------
def test_the_manifest_describes_the_service(client: TestClient) -> None:
    response = client.get("/reconcile")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    manifest = response.json()
    assert manifest["versions"] == ["0.2"]
    assert "PolicyKG" in manifest["name"] and "责任单位" in manifest["name"] and "agencies" in manifest["name"]
    assert manifest["identifierSpace"] == BASE and manifest["schemaSpace"] == PKG
    types = {t["id"]: t["name"] for t in manifest["defaultTypes"]}
    assert set(types) == {PKG + "Agency", PKG + "ResponsibleUnit", PKG + "Task", PKG + "Policy"}
    assert types[PKG + "Agency"] == "机构 / agency"  # the ontology's own labels
    assert manifest["batchSize"] == rc.MAX_BATCH
    assert {"entity", "type", "property"} <= set(manifest["suggest"])
    assert manifest["extend"]["propose_properties"]["service_path"] == "/properties"
    assert manifest["extend"]["property_settings"][0]["name"] == "limit"


def test_the_view_and_preview_templates_lead_to_pages_about_the_entity(client: TestClient) -> None:
    manifest = client.get("/reconcile").json()
    view = manifest["view"]["url"].replace("{{id}}", FINANCE)  # as OpenRefine fills them in
    page = client.get(view, headers={"accept": "text/html"})
    assert page.status_code == 200 and "北京市财政局" in page.text
    preview_url = manifest["preview"]["url"].replace("{{id}}", quote(FINANCE, safe=""))
    preview = client.get(preview_url)
    assert preview.status_code == 200 and preview.headers["content-type"].startswith("text/html")
    document = html.fromstring(preview.text)
    assert document.findtext(".//h1") == "北京市财政局"
    assert "Beijing Municipal Finance Bureau" in document.text_content()
    assert manifest["preview"]["width"] > 0 and manifest["preview"]["height"] > 0


def test_the_manifest_comes_as_jsonp_the_way_openrefine_3_asks(client: TestClient) -> None:
    callback = "jQuery33105932478129573745_1701338475128"
    response = client.get("/reconcile", params={"callback": callback, "_": "1701338475129"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/javascript")
    assert response.headers["x-content-type-options"] == "nosniff"
    match = re.fullmatch(rf"/\*\*/{callback}\((.*)\);", response.text, re.S)
    assert match is not None
    assert json.loads(match.group(1)) == client.get("/reconcile").json()


@pytest.mark.parametrize("callback", ["alert(1)//", "a</script><script>alert(1)", "x y", "1abc", "a" * 600, ""])
def test_a_callback_that_is_not_a_javascript_name_is_refused(client: TestClient, callback: str) -> None:
    response = client.get("/reconcile", params={"callback": callback})
    assert response.status_code in (400, 422)
    assert response.headers["content-type"] == "application/json"
    assert "<script>" not in response.text and "alert(1)" not in response.text


# --- matching ------------------------------------------------------------------------------------------------
def test_a_batch_posted_like_openrefine_matches_names_abbreviations_numbers(client: TestClient) -> None:
    agency = {"type": PKG + "Agency", "type_strict": "should"}
    batch = {
        "q0": {"query": "市财政局", **agency, "properties": [{"pid": "kind", "v": "agency"}]},
        "q1": {"query": "北京市财政局", **agency},
        "q2": {"query": "  beijing municipal FINANCE bureau ", **agency},
        "q3": {"query": "市科委", **agency},
        "q4": {"query": "北京市财正局", **agency},  # 正 for 政: a typo
        "q5": {"query": "3", "type": PKG + "Task", "type_strict": "should"},
        "q6": {"query": "国办发[2021]26号", "type": PKG + "Policy", "type_strict": "should"},
        "q7": {"query": "ＢＥＩＪＩＮＧ　ＭＵＮＩＣＩＰＡＬ　ＦＩＮＡＮＣＥ　ＢＵＲＥＡＵ", **agency},  # full width
    }
    found = results(client, batch)
    for name in ("q0", "q1", "q2", "q7"):
        top = found[name][0]
        assert (top["id"], top["name"], top["match"], top["score"]) == (FINANCE, "北京市财政局", True, 100), name
        assert top["type"] == [{"id": PKG + "Agency", "name": "机构 / agency"}]
        assert top["description"] == "Beijing Municipal Finance Bureau"
    assert found["q3"][0]["id"] == STI and found["q3"][0]["match"] is True
    assert found["q3"][0]["name"] == "北京市科学技术委员会、中关村科技园区管理委员会"
    typo = found["q4"]
    assert typo[0]["id"] == FINANCE and not any(c["match"] for c in typo) and typo[0]["score"] < 100
    assert found["q5"][0]["id"] == TASK.format(3) and found["q5"][0]["match"] is True
    assert found["q5"][0]["name"] == "任务3"
    assert found["q6"][0]["id"] == GUOBANFA and found["q6"][0]["match"] is True
    assert found["q6"][0]["name"] == "国务院办公厅关于完善科技成果评价机制的指导意见"
    assert "国办发〔2021〕26号" in found["q6"][0]["description"]


@pytest.mark.parametrize(
    "number", ["国办发〔2021〕26号", "国办发（2021）26号", "国办发(2021)26号", "国办发 【2021】 26 号"]
)
def test_document_numbers_match_whatever_brackets_they_are_written_with(client: TestClient, number: str) -> None:
    found = results(client, {"q": {"query": number}})["q"]
    assert [c["id"] for c in found if c["match"]] == [GUOBANFA]


def test_a_match_is_only_an_exact_and_unique_hit(client: TestClient) -> None:
    found = results(client, {"vague": {"query": "北京市"}, "partial": {"query": "财政"}, "none": {"query": "火星局"}})
    assert len(found["vague"]) > 3 and not any(c["match"] for c in found["vague"])
    # 财政 is part of 财政部 (national) and of 北京市财政局: candidates, neither a match
    assert {c["id"] for c in found["partial"][:2]} == {FINANCE, "agency/cn-mof"}
    assert not any(c["match"] for c in found["partial"])
    assert found["none"] == []


def test_national_bodies_are_found_by_any_of_their_names_and_filtered_by_their_kind(client: TestClient) -> None:
    names = {"full": "国家发展和改革委员会", "short": "发展改革委", "usual": "国家发展改革委", "english": "NDRC"}
    found = results(client, {key: {"query": name} for key, name in names.items() if key != "english"})
    assert {key: [c["id"] for c in found[key] if c["match"]] for key in found} == {
        "full": ["agency/cn-ndrc"], "short": ["agency/cn-ndrc"], "usual": ["agency/cn-ndrc"],
    }  # fmt: skip
    ministries = {"query": "国家", "limit": 50, "properties": [{"pid": "kind", "v": "国务院组成部门"}]}
    administrations = {"query": "国家", "limit": 50, "properties": [{"pid": "kind", "v": "national-administration"}]}
    by_kind = results(client, {"ministries": ministries, "administrations": administrations})
    assert "agency/cn-ndrc" in {c["id"] for c in by_kind["ministries"]}
    assert "agency/cn-nea" not in {c["id"] for c in by_kind["ministries"]}
    assert "agency/cn-nea" in {c["id"] for c in by_kind["administrations"]}
    assert "agency/cn-ndrc" not in {c["id"] for c in by_kind["administrations"]}


def test_tasks_are_found_by_their_text(client: TestClient) -> None:
    rows = sparql(client, f"SELECT ?text WHERE {{ <{BASE}{TASK.format(8)}> pkg:text ?text }}")
    text = rows[0]["text"]
    found = results(client, {"whole": {"query": text}, "part": {"query": text[2:14]}})
    assert found["whole"][0]["id"] == TASK.format(8) and found["whole"][0]["match"] is True
    assert found["part"][0]["id"] == TASK.format(8) and found["part"][0]["match"] is False


def test_the_type_is_respected(client: TestClient) -> None:
    found = results(
        client,
        {
            "as_task": {"query": "市财政局", "type": PKG + "Task"},
            "group_as_agency": {"query": "各区政府", "type": "pkg:Agency"},
            "group_as_unit": {"query": "各区政府", "type": PKG + "ResponsibleUnit"},
            "short_type": {"query": "各区政府", "type": "agencygroup"},
        },
    )
    assert FINANCE not in [c["id"] for c in found["as_task"]]
    assert "agency/bj-district-governments" not in [c["id"] for c in found["group_as_agency"]]
    assert found["group_as_unit"][0]["id"] == "agency/bj-district-governments" and found["group_as_unit"][0]["match"]
    assert found["short_type"][0]["id"] == "agency/bj-district-governments"


def test_properties_filter_and_reorder_candidates(client: TestClient) -> None:
    office = "agency/bj-sti-zgc-office"
    found = results(
        client,
        {
            "plain": {"query": "北京市科学技术委员会办公室"},
            "with_parent": {"query": "北京市科学技术委员会办公室", "properties": [{"pid": "parent", "v": "市科委"}]},
            "wrong_parent": {"query": "市科委、中关村管委会办公室", "properties": [{"pid": "parent", "v": "市财政局"}]},
            "groups_only": {"query": "北京市", "properties": [{"pid": "kind", "v": "group"}]},
            "reconciled_value": {
                "query": "北京市科学技术委员会办公室",
                "properties": [{"pid": "parent", "v": {"id": STI}}],
            },
            "properties_only": {"properties": [{"pid": "number", "v": "国办发（2021）26号"}]},
        },
    )
    plain = {c["id"]: c["score"] for c in found["plain"]}
    boosted = {c["id"]: c["score"] for c in found["with_parent"]}
    assert boosted[office] > plain[office] and found["with_parent"][0]["id"] == office
    assert {c["id"]: c["score"] for c in found["reconciled_value"]}[office] == boosted[office]
    wrong = found["wrong_parent"][0]
    assert wrong["id"] == office and wrong["match"] is False  # the name is exact, but the parent objects
    assert [c["id"] for c in found["groups_only"]] == ["agency/bj-district-governments"]
    assert found["properties_only"][0]["id"] == GUOBANFA


def test_get_and_the_single_query_form_answer_as_post_does(client: TestClient) -> None:
    batch = {"q0": {"query": "市财政局", "type": PKG + "Agency"}}
    by_get = client.get("/reconcile", params={"queries": json.dumps(batch)})
    assert by_get.status_code == 200 and by_get.json() == post_queries(client, batch).json()
    single = client.get("/reconcile", params={"query": "市财政局"})
    assert single.status_code == 200 and single.json()["result"][0]["id"] == FINANCE
    as_json = client.get("/reconcile", params={"query": json.dumps({"query": "市财政局", "limit": 1})})
    assert [c["id"] for c in as_json.json()["result"]] == [FINANCE]


def test_limits_are_obeyed_and_capped(client: TestClient) -> None:
    found = results(client, {"one": {"query": "北京市", "limit": 1}, "huge": {"query": "北京市", "limit": 10**9}})
    assert len(found["one"]) == 1
    assert 1 < len(found["huge"]) <= rc.MAX_LIMIT


# --- hostile input -------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("queries", "status", "words"),
    [
        ('{"q0": {"query": "市财政局"', 400, "not valid JSON"),
        ("[1, 2]", 400, "JSON object of queries"),
        ('{"q0": "市财政局"}', 400, 'query "q0" must be a JSON object'),
        ('{"q0": {"query": "x", "limit": -1}}', 400, "limit must be a positive integer"),
        ('{"q0": {"query": "x", "limit": "ten"}}', 400, "limit must be a positive integer"),
        ('{"q0": {"query": "x", "limit": 1e999}}', 400, "limit must be a positive integer"),
        ('{"q0": {"query": "x", "limit": Infinity}}', 400, "Infinity is not JSON"),
        ('{"q0": {"query": "x", "limit": NaN}}', 400, "NaN is not JSON"),
        ('{"q0": {"query": ["x"]}}', 400, "query must be a string"),
        ('{"q0": {"type": "pkg:Agency"}}', 400, "needs a non-empty query string or properties"),
        ('{"q0": {"query": "x", "type_strict": "maybe"}}', 400, "type_strict"),
        ('{"q0": {"query": "x", "properties": [{"pid": "colour", "v": "red"}]}}', 400, 'property "colour"'),
        ('{"q0": {"query": "x", "properties": [{"v": "red"}]}}', 400, "pid"),
        ('{"q0": {"query": "' + "长" * 2000 + '"}}', 400, "longer than 1000"),
        ("[" * 100_000 + "]" * 100_000, 400, "nested too deeply"),
        (json.dumps({f"q{i}": {"query": "市财政局"} for i in range(rc.MAX_BATCH + 1)}), 413, "at most 100 queries"),
    ],
)
def test_malformed_batches_get_a_clear_refusal(client: TestClient, queries: str, status: int, words: str) -> None:
    response = client.post("/reconcile", content=urlencode({"queries": queries}), headers={"content-type": FORM})
    assert words in error(response, status)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
QUERY = st.fixed_dictionaries(
    {},
    optional={
        "query": JSON | st.text(max_size=30),
        "type": JSON | st.sampled_from(["agency", PKG + "Task", "pkg:Policy", "nothing"]),
        "limit": JSON,
        "type_strict": JSON | st.sampled_from(rc.TYPE_STRICT),
        "properties": st.lists(st.fixed_dictionaries({"pid": st.sampled_from([*rc.MATCHERS, "x"]), "v": JSON})),
    },
)


@given(st.dictionaries(st.text(max_size=8), QUERY | JSON, max_size=5) | JSON)
@settings(max_examples=300, deadline=None, database=None)
def test_any_json_gets_an_answer_or_a_refusal_never_a_server_error(client: TestClient, batch: object) -> None:
    response = client.post(
        "/reconcile", content=urlencode({"queries": json.dumps(batch)}), headers={"content-type": FORM}
    )
    assert response.status_code in (200, 400), response.text
    if response.status_code == 200:
        assert set(response.json()) == set(batch)  # type: ignore[arg-type]


EXTEND = st.fixed_dictionaries(
    {},
    optional={
        "ids": JSON | st.lists(st.sampled_from([FINANCE, GUOBANFA, TASK.format(1), "nobody"]) | st.text(max_size=9)),
        "properties": JSON
        | st.lists(
            st.fixed_dictionaries({"id": st.sampled_from(["leads", "number", "x"])}, optional={"settings": JSON})
        ),
    },
)


@given(EXTEND | JSON)
@settings(max_examples=200, deadline=None, database=None)
def test_any_extension_gets_an_answer_or_a_refusal_never_a_server_error(client: TestClient, extend: object) -> None:
    response = client.post(
        "/reconcile", content=urlencode({"extend": json.dumps(extend)}), headers={"content-type": FORM}
    )
    assert response.status_code in (200, 400), response.text


def test_a_full_batch_of_100_is_answered(client: TestClient) -> None:
    batch = {f"q{i}": {"query": "市财政局" if i % 2 else "北京市财正局"} for i in range(rc.MAX_BATCH)}
    found = results(client, batch)
    assert all(found[f"q{i}"][0]["id"] == FINANCE for i in range(rc.MAX_BATCH))


def test_other_bodies_are_refused_by_status(client: TestClient) -> None:
    as_json = client.post("/reconcile", json={"queries": {"q0": {"query": "x"}}})
    assert "form" in error(as_json, 415)
    twice = client.post("/reconcile", content="queries=%7B%7D&queries=%7B%7D", headers={"content-type": FORM})
    assert "more than once" in error(twice, 400)
    latin1 = client.post("/reconcile", content=b"queries=%E9", headers={"content-type": FORM})
    assert "UTF-8" in error(latin1, 400)


# --- data extension ------------------------------------------------------------------------------------------
def test_extend_gives_names_and_the_task_counts_the_graph_has(client: TestClient) -> None:
    ids = [FINANCE, STI, "agency/bj-health", TASK.format(8), GUOBANFA, "agency/nobody"]
    props = ["iri", "name_zh", "name_en", "kind", "leads_count", "joins_count", "leads", "joins", "policies"]
    query = {"ids": ids, "properties": [{"id": p} for p in props]}
    response = client.post(
        "/reconcile", content=urlencode({"extend": json.dumps(query)}), headers={"content-type": FORM}
    )
    assert response.status_code == 200, response.text
    answer = response.json()
    assert [m["id"] for m in answer["meta"]] == props and all(" / " in m["name"] for m in answer["meta"])
    assert {m["id"]: m.get("type", {}).get("id") for m in answer["meta"]}["leads"] == PKG + "Task"
    rows = answer["rows"]
    assert set(rows) == set(ids)
    for unit in (FINANCE, STI, "agency/bj-health"):
        iri = BASE + unit
        for role, prop in (("leadAgency", "leads"), ("participatingAgency", "joins")):
            tasks = sparql(client, f"SELECT ?n WHERE {{ ?t pkg:{role} <{iri}> ; pkg:taskNumber ?n }} ORDER BY ?n")
            assert rows[unit][f"{prop}_count"] == [{"int": len(tasks)}]
            assert [v["name"] for v in rows[unit][prop]] == [f"任务{t['n']}" for t in tasks]
        label = sparql(client, f'SELECT ?l WHERE {{ <{iri}> skos:prefLabel ?l FILTER(lang(?l) = "en") }}')
        assert rows[unit]["name_en"] == [{"str": label[0]["l"]}]
        assert rows[unit]["iri"] == [{"str": iri}] and rows[unit]["kind"] == [{"str": "agency"}]
    assert rows[FINANCE]["name_zh"] == [{"str": "北京市财政局"}]
    assert rows[STI]["leads_count"][0]["int"] > 0 and rows[STI]["policies"][0]["name"] == "落实《实施意见》任务分工表"
    assert rows[TASK.format(8)]["name_zh"] == [{"str": "任务8"}] and rows[TASK.format(8)]["leads_count"] == []
    assert rows["agency/nobody"] == {p: [] for p in props}


def test_extend_by_get_for_tasks_and_policies_with_a_limit_setting(client: TestClient) -> None:
    query = {
        "ids": [TASK.format(8), GUOBANFA],
        "properties": [{"id": "number"}, {"id": "lead"}, {"id": "participating", "settings": {"limit": 1}}],
    }
    rows = client.get("/reconcile", params={"extend": json.dumps(query)}).json()["rows"]
    assert rows[TASK.format(8)]["number"] == [{"int": 8}]
    assert rows[TASK.format(8)]["lead"] == [{"id": STI, "name": "北京市科学技术委员会、中关村科技园区管理委员会"}]
    assert len(rows[TASK.format(8)]["participating"]) == 1
    assert rows[GUOBANFA]["number"] == [{"str": "国办发〔2021〕26号"}] and rows[GUOBANFA]["lead"] == []


@pytest.mark.parametrize(
    ("extend", "status", "words"),
    [
        ('{"ids": "agency/bj-finance", "properties": []}', 400, "ids must be a list"),
        ('{"ids": [], "properties": [{"id": "salary"}]}', 400, "unknown properties salary"),
        ('{"ids": [], "properties": [{"id": "leads", "settings": {"limit": -2}}]}', 400, "limit setting"),
        (json.dumps({"ids": ["x"] * 101, "properties": []}), 413, "at most 100 ids"),
        ("{", 400, "extend is not valid JSON"),
    ],
)
def test_malformed_extensions_get_a_clear_refusal(client: TestClient, extend: str, status: int, words: str) -> None:
    response = client.post("/reconcile", content=urlencode({"extend": extend}), headers={"content-type": FORM})
    assert words in error(response, status)


def test_properties_are_proposed_per_type(client: TestClient) -> None:
    agency = client.get("/reconcile/properties", params={"type": PKG + "Agency"}).json()
    assert agency["type"] == PKG + "Agency"
    ids = [p["id"] for p in agency["properties"]]
    assert {"name_zh", "name_en", "leads_count", "leads", "parent"} <= set(ids) and "text" not in ids
    task = client.get("/reconcile/properties", params={"type": PKG + "Task", "limit": 3}).json()
    assert len(task["properties"]) == 3 and task["limit"] == 3
    assert "unknown type" in error(client.get("/reconcile/properties", params={"type": "Person"}), 400)
    jsonp = client.get("/reconcile/properties", params={"type": PKG + "Policy", "callback": "cb"})
    assert jsonp.text.startswith("/**/cb(") and "tasks_count" in jsonp.text


# --- suggest, flyout, preview --------------------------------------------------------------------------------
def test_entities_are_suggested_by_prefix(client: TestClient) -> None:
    found = client.get("/reconcile/suggest/entity", params={"prefix": "市财"}).json()["result"]
    assert found[0]["id"] == FINANCE and found[0]["name"] == "北京市财政局"
    assert found[0]["notable"] == [{"id": PKG + "Agency", "name": "机构 / agency"}]
    english = client.get("/reconcile/suggest/entity", params={"prefix": "beijing municipal fin"}).json()["result"]
    assert [e["id"] for e in english] == [FINANCE]
    policies = client.get("/reconcile/suggest/entity", params={"prefix": "国办发", "type": "policy"}).json()
    assert [e["id"] for e in policies["result"]] == [GUOBANFA]
    first = client.get("/reconcile/suggest/entity", params={"prefix": "北京市"}).json()["result"]
    more = client.get("/reconcile/suggest/entity", params={"prefix": "北京市", "cursor": 2}).json()["result"]
    assert len(first) == 10 and more[0] == first[2]


def test_types_and_properties_are_suggested(client: TestClient) -> None:
    types = client.get("/reconcile/suggest/type", params={"prefix": "任"}).json()["result"]
    assert types == [{"id": PKG + "Task", "name": "任务 / task"}]
    english = client.get("/reconcile/suggest/type", params={"prefix": "ag"}).json()["result"]
    assert {t["id"] for t in english} == {PKG + "Agency", PKG + "AgencyGroup"}
    props = client.get("/reconcile/suggest/property", params={"prefix": "par", "type": "agency"}).json()["result"]
    assert [p["id"] for p in props] == ["parent"] and "对账" in props[0]["description"]


def test_the_flyout_is_the_preview_card(client: TestClient) -> None:
    response = client.get("/reconcile/flyout/entity", params={"id": GUOBANFA, "callback": "fly"})
    data = json.loads(re.fullmatch(r"/\*\*/fly\((.*)\);", response.text, re.S).group(1))  # type: ignore[union-attr]
    assert data["id"] == GUOBANFA
    card = html.fromstring(data["html"])
    assert "国办发〔2021〕26号" in card.text_content()
    assert card.find(".//a").get("href") == f"http://testserver/{GUOBANFA}"  # absolute: shown in OpenRefine's page
    assert client.get("/reconcile/flyout/entity", params={"id": "agency/nobody"}).status_code == 404


def test_previews_escape_what_the_graph_holds() -> None:
    """A name with markup (from an uploaded graph) is shown as text, never as markup."""
    agency = pyoxigraph.NamedNode(BASE + "agency/evil")
    graph = pyoxigraph.NamedNode(BASE + "graph/agencies")
    quads = [
        pyoxigraph.Quad(agency, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(PKG + "Agency"), graph),
        pyoxigraph.Quad(
            agency,
            pyoxigraph.NamedNode(SKOS + "prefLabel"),
            pyoxigraph.Literal("<b>坏</b><script>x()</script>", language="zh"),
            graph,
        ),
        pyoxigraph.Quad(
            agency, pyoxigraph.NamedNode(SKOS + "altLabel"), pyoxigraph.Literal('"><img src=x>', language="zh"), graph
        ),
    ]
    client = TestClient(create_app(Settings(query_workers=0), store=EmbeddedStore.in_memory(quads)))
    page = client.get("/reconcile/preview", params={"id": "agency/evil"})
    assert page.status_code == 200
    document = html.fromstring(page.text)
    assert document.findtext(".//h1") == "<b>坏</b><script>x()</script>"
    assert not document.findall(".//b") and not document.findall(".//img") and len(document.findall(".//script")) == 0
    match = client.get("/reconcile", params={"query": '"><img src=x>'}).json()["result"]
    assert match[0]["id"] == "agency/evil" and match[0]["match"] is True


def test_a_unit_is_found_by_its_identifier_in_another_registry() -> None:
    """An owl:sameAs or skos:exactMatch IRI (data/agencies.toml `same_as`, `exact_match`) names the unit too."""
    graph = pyoxigraph.NamedNode(BASE + "graph/agencies")
    unit = pyoxigraph.NamedNode(BASE + "agency/bj-finance")
    elsewhere = "http://www.wikidata.org/entity/Q10000001"
    quads = [
        pyoxigraph.Quad(unit, pyoxigraph.NamedNode(RDF_TYPE), pyoxigraph.NamedNode(PKG + "Agency"), graph),
        pyoxigraph.Quad(
            unit, pyoxigraph.NamedNode(SKOS + "prefLabel"), pyoxigraph.Literal("北京市财政局", language="zh"), graph
        ),
        pyoxigraph.Quad(unit, pyoxigraph.NamedNode(OWL + "sameAs"), pyoxigraph.NamedNode(elsewhere), graph),
    ]
    client = TestClient(create_app(Settings(query_workers=0), store=EmbeddedStore.in_memory(quads)))
    found = client.get("/reconcile", params={"query": elsewhere}).json()["result"]
    assert [(c["id"], c["match"]) for c in found] == [(FINANCE, True)]
    extended = client.get(
        "/reconcile", params={"extend": json.dumps({"ids": [FINANCE], "properties": [{"id": "same_as"}]})}
    )
    assert extended.json()["rows"][FINANCE]["same_as"] == [{"str": elsewhere}]


# --- CORS ----------------------------------------------------------------------------------------------------
def test_cross_origin_requests_are_allowed_without_credentials(client: TestClient) -> None:
    preflight = client.options(
        "/reconcile",
        headers={
            "origin": ORIGIN,
            "access-control-request-method": "POST",
            "access-control-request-headers": "content-type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    assert "content-type" in preflight.headers["access-control-allow-headers"].lower()
    posted = post_queries(client, {"q0": {"query": "市财政局"}}, origin=ORIGIN)
    assert posted.status_code == 200 and posted.headers["access-control-allow-origin"] == "*"
    assert "access-control-allow-credentials" not in posted.headers
    for path in ("/reconcile", "/reconcile/suggest/entity?prefix=市", f"/reconcile/preview?id={FINANCE}"):
        response = client.get(path, headers={"origin": ORIGIN})
        assert response.status_code == 200 and response.headers["access-control-allow-origin"] == "*", path


# --- where people find it ------------------------------------------------------------------------------------
def test_the_home_page_links_the_service(client: TestClient) -> None:
    page = html.fromstring(client.get("/", headers={"accept": "text/html"}).text)
    assert "/reconcile" in page.xpath("//a/@href")


def test_every_name_in_the_registry_reconciles_to_its_unit(client: TestClient, registry: Registry) -> None:
    """Each full name, English name and other name of data/agencies.toml is an exact, unique match."""
    asked = {}
    for unit in registry.units.values():
        for number, name in enumerate((unit.name, unit.name_en, *unit.names)):
            if name:
                asked[f"{unit.id}-{number}"] = (unit.id, name)
    keys = list(asked)
    found = {}
    for start in range(0, len(keys), rc.MAX_BATCH):  # the national registry has more names than one batch holds
        batch = {
            key: {"query": asked[key][1], "type": PKG + "ResponsibleUnit"} for key in keys[start : start + rc.MAX_BATCH]
        }
        found.update(results(client, batch))
    for key, (unit_id, name) in asked.items():
        matched = [c["id"] for c in found[key] if c["match"]]
        assert matched == [f"agency/{unit_id}"], name
