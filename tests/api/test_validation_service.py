"""Validation as a service: POST /api/validate and the /validate page, against the same shapes as `policykg validate`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from httpx import Response

from api.main import create_app
from api.settings import Settings
from graph.checks.report import findings, severity_counts
from graph.checks.upload import check_file
from tests.helpers import ROOT, SEED

SH = "http://www.w3.org/ns/shacl#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
FIXTURES = ROOT / "tests" / "shapes" / "fixtures"
TWO_LEADS = FIXTURES / "TaskShape.violation.two-leads.ttl"
TABLE_NAME = "任务分工表.txt"


@pytest.fixture(scope="module")
def client(release_out: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(out_dir=release_out, query_workers=0))) as client:
        yield client


def upload(
    client: TestClient, name: str, data: bytes, content_type: str = "application/octet-stream", **form: str
) -> Response:
    return client.post("/api/validate", files={"file": (name, data, content_type)}, data=form)


def error(response: Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == code
    return str(body["message"])


def triples(client: TestClient) -> int:
    return int(client.get("/health").json()["triples"])


# --- tables -------------------------------------------------------------------------------------------------
def test_the_bundled_table_gets_the_report_policykg_validate_gives(client: TestClient) -> None:
    response = upload(client, TABLE_NAME, SEED.read_bytes(), "text/plain")
    assert response.status_code == 200, response.text
    body = response.json()
    checked = check_file(SEED)
    expected = findings(checked.report, checked.notices, checked.places.get, SEED.parent, checked.graph)
    assert body["file"] == TABLE_NAME and body["kind"] == "text-export"
    assert body["conforms"] is True
    assert body["summary"] == severity_counts(expected) and body["summary"]["warning"] >= 1
    merged = [f for f in body["findings"] if f["severity"] == "warning" and f.get("row") == 12]
    assert merged, body["findings"]
    assert merged[0]["file"] == TABLE_NAME and merged[0]["line"] == 59
    assert merged[0]["where"] == f"{TABLE_NAME}, row 12, line 59"
    assert merged[0]["value_where"] == f"{TABLE_NAME}, row 11, line 54"  # the row whose units it continues
    assert merged[0]["message_zh"] != merged[0]["message_en"]
    assert all({"severity", "message_en", "message_zh"} <= set(f) for f in body["findings"] if "shape" in f)


def test_a_gb18030_table_reads_as_the_utf8_one(client: TestClient) -> None:
    utf8 = upload(client, "a.txt", SEED.read_bytes()).json()
    gb = upload(client, "b.txt", SEED.read_text("utf-8").encode("gb18030")).json()
    assert gb["summary"] == utf8["summary"]
    assert [f["message_en"] for f in gb["findings"]] == [f["message_en"] for f in utf8["findings"]]


def test_a_file_in_another_encoding_is_422_naming_file_and_line(client: TestClient) -> None:
    message = error(
        upload(client, "big5.csv", "分類,任務編號,任務內容,責任單位\n".encode("big5")), 422, "unreadable_file"
    )
    assert message.startswith("big5.csv, line 1: cannot be decoded")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "分类,任务编号,任务内容,责任单位\n一、甲,0,任务。,市教委\n",
            "table.csv, row 2, column 任务编号: the task number '0'",
        ),
        (
            "分类,任务编号,任务内容,责任单位\n一、甲,1,,市教委\n",
            "table.csv, row 2, column 任务内容: task 1 has no text",
        ),
        ("分类,编号,内容\n一、甲,1,任务。\n", "table.csv"),
    ],
)
def test_a_malformed_table_is_422_naming_row_and_column(client: TestClient, body: str, expected: str) -> None:
    assert error(upload(client, "table.csv", body.encode()), 422, "unreadable_file").startswith(expected)


def test_findings_speak_of_the_uploaded_file_not_of_our_data_files(client: TestClient) -> None:
    body = "分类,任务编号,任务内容,责任单位\n一、甲,1,任务。,市某某局\n".encode()
    response = upload(client, "mine.csv", body)
    assert response.status_code == 200, response.text
    messages = [f.get(key, "") for f in response.json()["findings"] for key in ("message_en", "message_zh")]
    assert any("not in the agency registry" in m for m in messages)  # the unknown unit is reported
    assert any("no English label" in m for m in messages)  # and the category without an English heading
    for word in ("agencies.toml", "manifest", "category_en", "清单"):
        assert not [m for m in messages if word in m], word


def test_a_raw_body_is_read_by_its_content_type(client: TestClient) -> None:
    body = "分类,任务编号,任务内容,责任单位\n一、评价,1,完善评价机制。,市科委、中关村管委会\n".encode()
    response = client.post(
        "/api/validate", content=body, headers={"content-type": "text/csv"}, params={"filename": "mine.csv"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["file"] == "mine.csv" and response.json()["kind"] == "csv"


def test_kind_overrides_the_suffix(client: TestClient) -> None:
    body = "分类,任务编号,任务内容,责任单位\n一、评价,1,完善评价机制。,市教委\n".encode()
    assert upload(client, "export.dat", body, kind="csv").json()["kind"] == "csv"
    message = error(upload(client, "export.dat", body), 415, "unsupported_media_type")
    assert "export.dat" in message and "csv" in message
    error(upload(client, "x.csv", body, kind="pdf"), 415, "unsupported_media_type")


def test_a_file_name_cannot_reach_outside(client: TestClient) -> None:
    body = "分类,任务编号,任务内容,责任单位\n一、评价,1,完善评价机制。,市教委\n".encode()
    response = upload(client, "../../etc/cron.d/evil.csv", body)
    assert response.status_code == 200 and response.json()["file"] == "evil.csv"


# --- RDF from another agency --------------------------------------------------------------------------------
def test_rdf_with_a_violation_is_reported_with_focus_and_path(client: TestClient) -> None:
    body = upload(client, TWO_LEADS.name, TWO_LEADS.read_bytes()).json()
    assert body["conforms"] is False and body["kind"] == "turtle"
    violations = [f for f in body["findings"] if f["severity"] == "violation"]
    assert violations and violations[0]["shape"] == "TaskShape"
    assert violations[0]["focus"].startswith("https://w3id.org/policykg/")
    assert body["summary"]["violation"] == len(violations)


@pytest.mark.parametrize(
    ("accept", "fmt"),
    [("text/turtle", pyoxigraph.RdfFormat.TURTLE), ("application/ld+json", pyoxigraph.RdfFormat.JSON_LD)],
)
def test_the_report_as_rdf_is_a_shacl_validation_report(
    client: TestClient, accept: str, fmt: pyoxigraph.RdfFormat
) -> None:
    response = client.post(
        "/api/validate", files={"file": (TWO_LEADS.name, TWO_LEADS.read_bytes())}, headers={"accept": accept}
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    parsed = list(pyoxigraph.parse(response.content, fmt))
    reports = [t.subject for t in parsed if t.predicate.value == RDF_TYPE and t.object.value == SH + "ValidationReport"]
    assert len(reports) == 1
    conforms = [t.object.value for t in parsed if t.subject == reports[0] and t.predicate.value == SH + "conforms"]
    assert conforms == ["false"]
    assert any(t.predicate.value == SH + "resultSeverity" and t.object.value == SH + "Violation" for t in parsed)


def test_format_parameter_and_406(client: TestClient) -> None:
    files = {"file": (TWO_LEADS.name, TWO_LEADS.read_bytes())}
    assert (
        client.post("/api/validate", params={"format": "nt"}, files=files)
        .headers["content-type"]
        .startswith("application/n-triples")
    )
    error(client.post("/api/validate", files=files, headers={"accept": "image/png"}), 406, "not_acceptable")


def test_rdf_xml_with_entities_is_refused(client: TestClient) -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"></rdf:RDF>'
    )
    message = error(upload(client, "other-agency.rdf", xxe.encode()), 422, "unreadable_file")
    assert message == "other-agency.rdf: DOCTYPE and ENTITY declarations are not allowed in RDF/XML input"


def test_json_ld_with_a_remote_context_is_refused(client: TestClient) -> None:
    body = b'{"@context": "https://schema.org/", "@id": "https://example.org/a", "name": "x"}'
    message = error(upload(client, "other.jsonld", body), 422, "unreadable_file")
    assert message == "other.jsonld: unknown JSON-LD context: remote and file contexts are never fetched; inline it"


# --- limits ---------------------------------------------------------------------------------------------------
def test_an_upload_over_the_limit_is_413(release_out: Path) -> None:
    with TestClient(create_app(Settings(out_dir=release_out, query_workers=0, validate_max_bytes=1000))) as small:
        error(upload(small, TABLE_NAME, SEED.read_bytes()), 413, "too_large")


def test_a_validation_past_the_time_limit_is_504(release_out: Path) -> None:
    with TestClient(create_app(Settings(out_dir=release_out, query_workers=0, validate_timeout=0.05))) as slow:
        message = error(upload(slow, TABLE_NAME, SEED.read_bytes()), 504, "validation_timeout")
        assert "0.05 s" in message
        assert slow.get("/health").status_code == 200


def test_empty_and_formless_uploads_are_400(client: TestClient) -> None:
    error(upload(client, "empty.csv", b""), 400, "bad_request")
    error(client.post("/api/validate", data={"kind": "csv"}, files={"other": ("x.csv", b"a")}), 400, "bad_request")


def test_validation_never_touches_the_served_graph(client: TestClient) -> None:
    before = triples(client)
    upload(client, TWO_LEADS.name, TWO_LEADS.read_bytes())
    upload(client, TABLE_NAME, SEED.read_bytes())
    assert triples(client) == before
    ask = "ASK { ?s ?p ?o FILTER(STRSTARTS(STR(?s), 'https://w3id.org/policykg/upload/')) }"
    assert client.get("/sparql", params={"query": ask}).json()["boolean"] is False


# --- the page -------------------------------------------------------------------------------------------------
def page(response: Response) -> lxml.html.HtmlElement:
    assert response.headers["content-type"].startswith("text/html")
    return lxml.html.fromstring(response.text)


@pytest.mark.parametrize(("lang", "heading"), [("zh", "数据校验"), ("en", "Validate a file")])
def test_the_upload_page_is_a_plain_form_in_both_languages(client: TestClient, lang: str, heading: str) -> None:
    html = page(client.get("/validate", params={"lang": lang}))
    assert html.xpath("string(//h1)").startswith(heading)
    (form,) = html.xpath("//form[@class='validate']")
    assert form.get("method") == "post" and form.get("enctype") == "multipart/form-data"
    assert form.get("action") == ("/validate?lang=en" if lang == "en" else "/validate")
    assert html.xpath("//form[@class='validate']//input[@type='file'][@name='file']")
    assert not html.xpath("//script")


def test_posting_the_form_renders_the_report(client: TestClient) -> None:
    response = client.post("/validate", params={"lang": "en"}, files={"file": (TWO_LEADS.name, TWO_LEADS.read_bytes())})
    assert response.status_code == 200
    html = page(response)
    assert html.xpath("string(//p[contains(@class, 'verdict')])").strip() == "Does not conform"
    rows = html.xpath("//table[@class='findings']/tbody/tr[@class='violation']")
    assert rows and "violation" in rows[0].xpath("string(td[1])")


def test_the_form_shows_what_is_wrong_with_a_table(client: TestClient) -> None:
    body = "分类,任务编号,任务内容,责任单位\n一、甲,0,任务。,市教委\n".encode()
    response = client.post("/validate", files={"file": ("表.csv", body)})
    assert response.status_code == 422
    message = page(response).xpath("string(//section[@id='error']//p[@class='message'])")
    assert message.startswith("表.csv, row 2, column 任务编号")


def test_the_home_page_links_to_the_validation_page(client: TestClient) -> None:
    html = page(client.get("/", headers={"accept": "text/html"}))
    assert html.xpath("//a[@href='/validate']")


def test_a_third_validation_at_once_is_503(release_out: Path) -> None:
    app = create_app(Settings(out_dir=release_out, query_workers=0))
    slots = app.state.validation_slots
    with TestClient(app) as busy:
        taken = [slots.acquire(blocking=False) for _ in range(2)]
        try:
            response = upload(busy, TABLE_NAME, SEED.read_bytes())
        finally:
            for _ in taken:
                slots.release()
        error(response, 503, "busy")
        assert response.headers["retry-after"] == "5"
        assert upload(busy, TABLE_NAME, SEED.read_bytes()).status_code == 200
