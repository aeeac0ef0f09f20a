"""Every stored query of queries/*.rq runs through `/api/queries/{name}`, with parameters bound, never spliced."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from api.routes.stored import get_stored_queries
from api.settings import Settings
from graph import bundled
from graph.release.build import Built
from graph.release.write import write_release
from graph.store.embedded import EmbeddedStore
from graph.store.queries import StoredQuery, load_queries, load_query

STORED = sorted(bundled.folder("queries").glob("*.rq"))
FINANCE = "https://w3id.org/policykg/agency/bj-finance"
TEXT_QUERY = """\
# name: tasks-containing
# title: 含有某词的任务 / Tasks containing words
# description: Tasks whose text contains the words, above a task number.
# param: words string = "科研"
# param: above integer = 0
SELECT ?task ?words ?above WHERE {
  ?task pkg:text ?text ; pkg:taskNumber ?number .
  FILTER(CONTAINS(STR(?text), ?words) && ?number > ?above)
}
ORDER BY ?number
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory, built: Built) -> FastAPI:
    out = tmp_path_factory.mktemp("stored-queries") / "build"
    write_release(built, out)
    return create_app(Settings(out_dir=out))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as client:
        yield client


@pytest.fixture
def text_query(app: FastAPI, tmp_path: Path) -> Iterator[StoredQuery]:
    """A stored query with a string and an integer parameter, served next to the bundled ones."""
    path = tmp_path / "tasks-containing.rq"
    path.write_text(TEXT_QUERY, encoding="utf-8")
    query = load_query(path)
    app.dependency_overrides[get_stored_queries] = lambda: {
        **load_queries(bundled.folder("queries")),
        query.name: query,
    }
    yield query
    app.dependency_overrides.clear()


def plain(term: object) -> str:
    assert isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal | pyoxigraph.BlankNode)
    return term.value


def test_the_list_names_every_stored_query_with_its_parameters(client: TestClient) -> None:
    listed = {query["name"]: query for query in client.get("/api/queries").json()}
    assert set(listed) == {path.stem for path in STORED}
    assert listed["agency-tasks"]["parameters"] == [{"name": "agency", "type": "iri", "default": f"<{FINANCE}>"}]
    assert listed["agency-workload"]["parameters"] == []
    assert all(query["url"] == f"/api/queries/{name}" and query["title"] for name, query in listed.items())


@pytest.mark.parametrize("path", STORED, ids=lambda path: path.stem)
def test_each_stored_query_runs_with_its_defaults_as_it_does_on_the_store(
    client: TestClient, app: FastAPI, path: Path
) -> None:
    response = client.get(f"/api/queries/{path.stem}")
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["name"] == path.stem and answer["count"] == len(answer["rows"]) > 0

    query = load_query(path)
    store: EmbeddedStore = app.state.service.current().store
    direct = store.query(query.text, query.bindings({}))
    assert isinstance(direct, pyoxigraph.QuerySolutions)
    variables = [variable.value for variable in direct.variables]
    expected = [{name: plain(row[name]) for name in variables if row[name] is not None} for row in direct]
    assert answer["variables"] == variables
    assert [{name: term["value"] for name, term in row.items()} for row in answer["rows"]] == expected


def test_terms_carry_their_type_language_and_datatype(client: TestClient) -> None:
    rows = client.get("/api/queries/agency-tasks").json()["rows"]
    assert [row["task"]["value"] for row in rows] == ["8", "18"]
    first = rows[0]
    assert first["agency"] == {"type": "uri", "value": FINANCE}
    assert first["task"] == {"type": "literal", "value": "8", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}
    assert first["role"] == {"type": "literal", "value": "配合", "lang": "zh"}


def test_an_iri_parameter_is_bound(client: TestClient) -> None:
    sasac = "https://w3id.org/policykg/agency/bj-sasac"
    answer = client.get("/api/queries/agency-tasks", params={"agency": sasac}).json()
    assert answer["count"] == 5 and {row["agency"]["value"] for row in answer["rows"]} == {sasac}
    unknown = client.get("/api/queries/agency-tasks", params={"agency": "https://example.org/nobody"}).json()
    assert unknown["count"] == 0


@pytest.mark.parametrize(
    "value",
    [
        f"{FINANCE}> }} UNION {{ ?a ?b ?c }} #",
        f"{FINANCE}> . ?s ?p ?o",
        "x> <y",
        'https://w3id.org/policykg/agency/bj-finance" || true',
        "not an iri",
    ],
)
def test_an_iri_parameter_that_is_not_an_iri_is_refused(client: TestClient, value: str) -> None:
    response = client.get("/api/queries/agency-tasks", params={"agency": value})
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_parameter"
    assert response.json()["message"].startswith("parameter agency (iri)")


def test_a_string_parameter_is_bound_as_a_literal(client: TestClient, text_query: StoredQuery) -> None:
    def tasks(**params: str) -> list[str]:
        response = client.get(f"/api/queries/{text_query.name}", params=params)
        assert response.status_code == 200, response.text
        return [row["task"]["value"].rsplit("/", 1)[1] for row in response.json()["rows"]]

    assert tasks() == ["7", "8", "16", "19"]
    assert tasks(above="16") == ["19"]
    assert tasks(words="科研机构") == ["19"]
    for hostile in ['x") || true) } #', "x')) } UNION { ?task ?p ?o } #", '科研" || "1" = "1']:
        assert tasks(words=hostile) == [], hostile


def test_an_integer_parameter_must_be_an_integer(client: TestClient, text_query: StoredQuery) -> None:
    response = client.get(f"/api/queries/{text_query.name}", params={"above": "0) || true"})
    assert response.status_code == 422 and response.json()["message"].startswith("parameter above (integer)")


def test_unknown_and_repeated_parameters_are_refused(client: TestClient) -> None:
    unknown = client.get("/api/queries/agency-workload", params={"limit": "1"})
    assert unknown.status_code == 422 and "limit" in unknown.json()["message"]
    twice = client.get(f"/api/queries/agency-tasks?agency={FINANCE}&agency={FINANCE}")
    assert twice.status_code == 422 and "agency" in twice.json()["message"]


@pytest.mark.parametrize(("name", "status"), [("no-such-query", 404), ("Agency_Tasks", 422)])
def test_a_query_name_that_names_nothing(client: TestClient, name: str, status: int) -> None:
    response = client.get(f"/api/queries/{name}")
    assert response.status_code == status
    assert set(response.json()) == {"error", "message"}


# --- the queries over provisions and links (curated links only, so automatic candidates change nothing) ------
NATIONAL = "https://w3id.org/policykg/eli/cn/guobanfa/2021/26"
STI = "https://w3id.org/policykg/agency/bj-sti-zgc"


def values(client: TestClient, name: str, **params: str) -> list[dict[str, str]]:
    response = client.get(f"/api/queries/{name}", params=params)
    assert response.status_code == 200, response.text
    return [{key: term["value"] for key, term in row.items()} for row in response.json()["rows"]]


def test_only_measure_2_8_has_no_beijing_task(client: TestClient) -> None:
    rows = values(client, "measures-without-tasks")
    assert [(row["measure"], row["document"]) for row in rows] == [(f"{NATIONAL}/part/2/item/8", NATIONAL)]
    assert rows[0]["label"].startswith("二（八）坚决破解")
    assert values(client, "measures-without-tasks", document="https://w3id.org/policykg/eli/cn/no-such/thing") == []


def test_the_science_commission_leads_all_three_tasks_implementing_measure_2_10(client: TestClient) -> None:
    assert values(client, "measure-lead-agencies") == [
        {
            "measure": f"{NATIONAL}/part/2/item/10",
            "agency": STI,
            "name": "北京市科学技术委员会、中关村科技园区管理委员会",
            "tasks": "3",
        }
    ]
    assert values(client, "measure-lead-agencies", measure=f"{NATIONAL}/part/2/item/8") == []


def test_the_law_articles_behind_the_sasac_tasks(client: TestClient) -> None:
    rows = values(client, "agency-law-articles")
    found = [(row["label"], row["task"], row["role"]) for row in rows]
    assert found == [
        ("第二十条", "17", "配合"),
        ("第十四条", "10", "配合"),
        ("第十四条", "11", "配合"),
        ("第六十八条", "19", "配合"),
        ("第十九条", "18", "配合"),
        ("第十九条", "19", "配合"),
        ("第二十二条", "17", "配合"),
    ]
    assert rows[3]["article"] == "https://w3id.org/policykg/eli/cn/law/2021/science-and-technology-progress/article/68"
    assert rows[3]["law"] == "中华人民共和国科学技术进步法（2021年修订）"
    finance = values(client, "agency-law-articles", agency=FINANCE)
    assert [(row["label"], row["task"]) for row in finance] == [("第十九条", "18")]  # task 8 rests on no law
    lead = values(client, "agency-law-articles", agency=STI)
    assert {row["role"] for row in lead} == {"牵头"} and len({row["task"] for row in lead}) == 14


def test_a_stored_answer_over_the_row_budget_says_it_was_cut(release_out: Path) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    client = TestClient(create_app(Settings(out_dir=release_out, max_result_rows=3)))
    answer = client.get("/api/queries/agency-workload").json()
    assert answer["truncated"] is True and answer["count"] == 3 and len(answer["rows"]) == 3
    whole = client.get("/api/queries/task-implementation-chain").json()
    assert whole["truncated"] is False and whole["count"] == 3
