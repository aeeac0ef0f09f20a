"""Hostile RDF uploads (HOSTILE-INPUTS 23-28): through the Graph Store with the admin token, and through
`policykg validate` (graph.checks.upload.check_file). Refused fast with a clear message; nothing fetched or opened."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.checks.upload import check_file
from graph.errors import InputError
from tests.helpers import ROOT
from tests.security.conftest import Listener, error_of

TOKEN = "s3cret"
GRAPH = {"graph": "http://example.org/upload"}
RDF_XML, TURTLE, JSON_LD = "application/rdf+xml", "text/turtle", "application/ld+json"
RDF_HEAD = '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
NO_DTD = "DOCTYPE and ENTITY declarations are not allowed in RDF/XML input"
UNKNOWN_CONTEXT = "unknown JSON-LD context: remote and file contexts are never fetched; inline it"


def xxe(system: str) -> str:
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "{system}">]>\n{RDF_HEAD}\n'
        '<rdf:Description rdf:about="http://example.org/s"><ex:p>&xxe;</ex:p></rdf:Description></rdf:RDF>'
    )


def laughs(levels: int) -> str:
    """A billion-laughs file: each entity ten of the one before, `levels` deep (10**levels copies of 'lol')."""
    entities = '<!ENTITY a0 "lol">' + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels + 1))
    return (
        f'<?xml version="1.0"?><!DOCTYPE r [{entities}]>{RDF_HEAD}'
        f'<rdf:Description rdf:about="http://example.org/s"><ex:p>&a{levels};</ex:p></rdf:Description></rdf:RDF>'
    )


HOSTILE_XML = {
    "xxe-file": xxe("file:///etc/passwd"),
    "xxe-missing-file": xxe("file:///no/such/file"),
    "external-dtd": f'<?xml version="1.0"?><!DOCTYPE rdf:RDF SYSTEM "file:///etc/passwd">{RDF_HEAD}</rdf:RDF>',
    "parameter-entity": (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % remote SYSTEM "{base}/evil.dtd"> %remote;]>'
        f"{RDF_HEAD}</rdf:RDF>"
    ),
    "lower-case-doctype": xxe("file:///etc/passwd").replace("DOCTYPE", "doctype"),
    "after-a-bom": "\ufeff" + xxe("file:///etc/passwd"),
    "laughs-6": laughs(6),
    "laughs-9": laughs(9),
}


def put(client: TestClient, body: str | bytes, content_type: str) -> httpx.Response:
    headers = {"content-type": content_type, "authorization": f"Bearer {TOKEN}"}
    return client.put("/graph-store", params=GRAPH, content=body, headers=headers)


@pytest.fixture
def writable(writable_client: Callable[..., TestClient]) -> Iterator[TestClient]:
    with writable_client(token=TOKEN) as client:
        yield client


def assert_nothing_written(client: TestClient) -> None:
    assert client.get("/graph-store", params=GRAPH).status_code == 404


# --- RDF/XML: entities ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", HOSTILE_XML)
def test_rdf_xml_with_a_doctype_is_rejected_at_once_400_bad_rdf(
    writable: TestClient, listener: Listener, opened: list[str], name: str
) -> None:
    body = HOSTILE_XML[name].replace("{base}", listener.base)
    started = time.monotonic()
    response = put(writable, body.encode(), RDF_XML)
    assert time.monotonic() - started < 1
    assert error_of(response, 400, "bad_rdf") == NO_DTD
    assert "root:" not in response.text
    assert listener.seen == [] and not [path for path in opened if "passwd" in path or "no/such" in path]
    assert_nothing_written(writable)


def test_the_billion_laughs_files_are_small() -> None:
    assert len(laughs(6).encode()) <= 700 and len(laughs(9).encode()) <= 1000


def test_utf16_rdf_xml_cannot_smuggle_a_doctype_past_the_check(writable: TestClient) -> None:
    for encoding in ("utf-16", "utf-16-le", "utf-32"):
        response = put(writable, xxe("file:///etc/passwd").encode(encoding), RDF_XML)
        message = error_of(response, 400, "bad_rdf")
        assert message.startswith("is not valid RDF/XML (") or message == NO_DTD
        assert "root:" not in response.text
    assert_nothing_written(writable)


# --- JSON-LD: contexts ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "context",
    ["{base}/ctx.jsonld", ["{base}/ctx.jsonld"], "file:///etc/passwd", "file:///no/such/file.jsonld",
     "file:///etc/", "//127.0.0.1/ctx", [{"ex": "http://example.org/"}, "{base}/second.jsonld"]],
    ids=["remote", "remote-in-list", "existing-file", "missing-file", "directory", "scheme-relative", "second-in-list"],
)  # fmt: skip
def test_json_ld_with_a_remote_or_file_context_is_400_with_one_message(
    writable: TestClient, listener: Listener, opened: list[str], context: str | list[object]
) -> None:
    filled = json.loads(json.dumps(context).replace("{base}", listener.base))
    document = {"@context": filled, "@id": "http://example.org/s", "ex:p": "x"}
    response = put(writable, json.dumps(document), JSON_LD)
    assert error_of(response, 400, "bad_rdf") == UNKNOWN_CONTEXT
    assert listener.seen == [] and not [path for path in opened if path.startswith(("/etc", "/no/such"))]
    assert_nothing_written(writable)


@pytest.mark.parametrize(
    "document",
    [
        {"@context": {"@import": "{base}/ctx.jsonld"}, "@id": "http://example.org/s"},
        {"@context": {"ex": "http://example.org/"}, "ex:p": {"@context": "{base}/nested.jsonld", "@id": "ex:o"}},
        {"@context": {"ex": {"@id": "http://example.org/p", "@context": "{base}/scoped.jsonld"}}, "ex": {"a": 1}},
    ],
    ids=["import", "nested", "scoped"],
)
def test_json_ld_import_nested_and_scoped_contexts_are_400(
    writable: TestClient, listener: Listener, document: dict[str, object]
) -> None:
    body = json.dumps(document).replace("{base}", listener.base)
    message = error_of(put(writable, body, JSON_LD), 400, "bad_rdf")
    assert "never fetched" in message
    assert listener.seen == []
    assert_nothing_written(writable)


# --- deep nesting and size --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("<http://example.org/s> <http://example.org/p> " + "(" * 5000 + ")" * 5000 + " .", TURTLE),
        ("<http://example.org/s> <http://example.org/p> " + "(" * 5000 + "1" + ")" * 5000 + " .", TURTLE),
        ("<http://example.org/s> <http://example.org/p> " + "[ <http://example.org/p> " * 5000 + "1" + " ]" * 5000
         + " .", TURTLE),
        ('{"@id": "http://example.org/s", "http://example.org/p": ' + "[" * 5000 + "]" * 5000 + "}", JSON_LD),
        ('{"@id": "http://example.org/s", "http://example.org/p": ' + '{"http://example.org/p": ' * 5000 + "1"
         + "}" * 5000 + "}", JSON_LD),
    ],
    ids=["turtle-empty-lists", "turtle-lists", "turtle-blank-nodes", "json-ld-arrays", "json-ld-objects"],
)  # fmt: skip
def test_5000_deep_nesting_is_400_or_accepted_never_500(writable: TestClient, body: str, content_type: str) -> None:
    started = time.monotonic()
    response = put(writable, body, content_type)
    assert time.monotonic() - started < 10
    if response.status_code in (200, 201, 204):
        stored = writable.get("/graph-store", params=GRAPH, headers={"accept": "application/n-triples"})
        assert stored.status_code == 200 and stored.text.count("\n") >= 1
    else:
        message = error_of(response, 400, "bad_rdf")
        assert "too deeply nested" in message or message.startswith("is not valid")
    assert writable.get("/health").status_code == 200


def test_an_upload_over_max_upload_bytes_is_413_too_large(writable_client: Callable[..., TestClient]) -> None:
    with writable_client(token=TOKEN, max_upload_bytes=1000) as client:
        body = "<http://example.org/s> <http://example.org/p> " + '"x" , ' * 300 + '"y" .'
        assert "1,000 bytes" in error_of(put(client, body, TURTLE), 413, "too_large")

        def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
            yield b"<http://example.org/s> <http://example.org/p> "
            for _ in range(100):
                yield b'"xxxxxxxxxxxxxxxxxxxx" , '
            yield b'"y" .'

        headers = {"content-type": TURTLE, "authorization": f"Bearer {TOKEN}"}
        streamed = client.put("/graph-store", params=GRAPH, content=chunks(), headers=headers)
        error_of(streamed, 413, "too_large")
        assert_nothing_written(client)
        small = put(client, "<http://example.org/s> <http://example.org/p> 1 .", TURTLE)
        assert small.status_code == 201


def test_uploads_without_the_token_or_a_content_type_are_refused(
    writable: TestClient, writable_client: Callable[..., TestClient], service: TestClient
) -> None:
    body = "<http://example.org/s> <http://example.org/p> 1 ."
    error_of(
        service.put("/graph-store", params=GRAPH, content=body, headers={"content-type": TURTLE}), 403, "read_only"
    )
    wrong = writable.put("/graph-store", params=GRAPH, content=body,
                         headers={"content-type": TURTLE, "authorization": "Bearer nope"})  # fmt: skip
    error_of(wrong, 401, "unauthorized")
    bare = writable.put("/graph-store", params=GRAPH, content=body, headers={"authorization": f"Bearer {TOKEN}"})
    error_of(bare, 415, "unsupported_media_type")
    assert_nothing_written(writable)


# --- `policykg validate` on the same files ----------------------------------------------------------------
FILES = {
    "xxe.rdf": (xxe("file:///etc/passwd"), NO_DTD),
    "laughs.rdf": (laughs(9), NO_DTD),
    "laughs.owl": (laughs(6), NO_DTD),
    "remote-context.jsonld": (json.dumps({"@context": "{base}/ctx.jsonld", "@id": "http://example.org/s"}),
                              UNKNOWN_CONTEXT),
    "file-context.jsonld": (json.dumps({"@context": "file:///etc/passwd", "@id": "http://example.org/s"}),
                            UNKNOWN_CONTEXT),
    "deep.jsonld": ('{"@id": "http://example.org/s", "http://example.org/p": ' + "[" * 5000 + "]" * 5000 + "}",
                    "is too deeply nested to read"),
    "broken.ttl": ("<http://example.org/s> <http://example.org/p> .", "is not valid Turtle ("),
}  # fmt: skip


@pytest.mark.parametrize("name", FILES)
def test_policykg_validate_refuses_hostile_rdf_files_with_an_input_error(
    tmp_path: Path, listener: Listener, opened: list[str], name: str
) -> None:
    text, expected = FILES[name]
    path = tmp_path / name
    path.write_text(text.replace("{base}", listener.base), encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        check_file(path)
    assert time.monotonic() - started < 5
    assert str(caught.value).startswith(f"{path}: {expected}")
    assert "\n" not in str(caught.value) and "root:" not in str(caught.value)
    assert listener.seen == [] and not [path for path in opened if "passwd" in path]


def test_policykg_validate_does_not_follow_owl_imports(tmp_path: Path, listener: Listener) -> None:
    path = tmp_path / "imports.ttl"
    path.write_text(
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        f"<http://example.org/o> a owl:Ontology ; owl:imports <{listener.base}/imp.owl> .\n",
        encoding="utf-8",
    )
    checked = check_file(path)
    assert len(checked.graph) == 2
    assert listener.seen == []


def test_shapes_inside_an_upload_change_nothing_in_validation(tmp_path: Path) -> None:
    fixture = ROOT / "tests" / "shapes" / "fixtures" / "PolicyShape.violation.two-dates.ttl"
    plain = tmp_path / "plain.ttl"
    plain.write_text(fixture.read_text(encoding="utf-8"), encoding="utf-8")
    lenient = tmp_path / "lenient.ttl"
    lenient.write_text(
        fixture.read_text(encoding="utf-8")
        + "\n@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        + "<https://w3id.org/policykg/shapes#PolicyShape> sh:deactivated true .\n"
        + "<http://example.org/Lenient> a sh:NodeShape ; sh:targetClass pkg:Policy ; sh:deactivated true ;\n"
        + "    sh:property [ sh:path pkg:documentNumber ; sh:maxCount 9 ] .\n",
        encoding="utf-8",
    )

    def violations(path: Path) -> list[tuple[str, str, str | None]]:
        report = check_file(path).report
        return sorted((str(r.focus), r.shape, r.path) for r in report.of("violation"))

    expected = violations(plain)
    assert expected and any("PolicyShape" in shape for _, shape, _ in expected)
    assert violations(lenient) == expected
