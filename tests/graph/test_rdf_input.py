"""RDF from outside (`policykg validate FILE`) is parsed without reaching outside (HOSTILE-INPUTS 23-28)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat

from graph.errors import InputError
from graph.rdf.parse import parse_rdf, parse_rdf_file


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server that records every request it receives."""
    seen: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "application/ld+json")
            self.end_headers()
            self.wfile.write(b'{"@context": {"x": "http://example.org/x"}}')

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


XXE = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&xxe;</ex:p></rdf:Description>
</rdf:RDF>"""

LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{"&lol%s;" % (i - 1 if i > 1 else "") * 10}">' for i in range(1, 9))
    + ']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
    + '<rdf:Description rdf:about="http://example.org/s"><ex:p>&lol8;</ex:p></rdf:Description></rdf:RDF>'
)


def test_rdf_xml_with_an_external_entity_is_rejected() -> None:
    with pytest.raises(InputError, match="DOCTYPE and ENTITY declarations are not allowed"):
        parse_rdf(XXE.encode(), RdfFormat.RDF_XML, "upload.rdf")


def test_billion_laughs_is_rejected_at_once() -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="not allowed"):
        parse_rdf(LAUGHS.encode(), RdfFormat.RDF_XML, "laughs.rdf")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize("context", ["{base}/ctx.jsonld", "file:///etc/passwd", "file:///no/such/file.jsonld"])
def test_json_ld_remote_and_file_contexts_are_never_fetched(listener: tuple[str, list[str]], context: str) -> None:
    base, seen = listener
    document = {"@context": context.format(base=base), "@id": "http://example.org/s", "x": "y"}
    with pytest.raises(InputError) as caught:
        parse_rdf(json.dumps(document).encode(), RdfFormat.JSON_LD, "upload.jsonld")
    # the same message whether or not a file exists, so errors reveal nothing about the disk
    assert (
        str(caught.value)
        == "upload.jsonld: unknown JSON-LD context: remote and file contexts are never fetched; inline it"
    )
    assert seen == []


def test_json_ld_import_and_nested_remote_contexts_are_refused(listener: tuple[str, list[str]]) -> None:
    base, seen = listener
    nested = {
        "@context": {"@version": 1.1, "ex": "http://example.org/"},
        "ex:p": {"@context": f"{base}/c", "@id": "ex:o"},
    }
    imported = {"@context": {"@import": f"{base}/c"}, "@id": "http://example.org/s"}
    for document in (nested, imported):
        with pytest.raises(InputError):
            parse_rdf(json.dumps(document).encode(), RdfFormat.JSON_LD, "upload.jsonld")
    assert seen == []


def test_inline_json_ld_contexts_are_fine() -> None:
    document = {"@context": {"ex": "http://example.org/"}, "@id": "ex:s", "ex:p": "中文"}
    assert len(parse_rdf(json.dumps(document).encode(), RdfFormat.JSON_LD, "ok.jsonld")) == 1


def test_owl_imports_in_turtle_are_not_followed(listener: tuple[str, list[str]]) -> None:
    base, seen = listener
    owl = "http://www.w3.org/2002/07/owl#"
    data = f"<http://example.org/o> a <{owl}Ontology> ; <{owl}imports> <{base}/imp.owl> ."
    assert len(parse_rdf(data.encode(), RdfFormat.TURTLE, "imports.ttl")) == 2
    assert seen == []


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        ("<http://example.org/s> <http://example.org/p> " + "(" * 5000 + ")" * 5000 + " .", RdfFormat.TURTLE),
        ('{"@id": "http://example.org/s", "http://example.org/p": ' + "[" * 5000 + "]" * 5000 + "}", RdfFormat.JSON_LD),
    ],
)
def test_deep_nesting_is_a_clear_error_not_a_crash(data: str, fmt: RdfFormat) -> None:
    try:
        parsed = parse_rdf(data.encode(), fmt, "deep")
    except InputError as error:
        assert "too deeply nested" in str(error) or "is not valid" in str(error)
    else:
        assert len(parsed) >= 1


def test_syntax_errors_are_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text("<a> <b> .", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        parse_rdf_file(path)
    assert str(caught.value).startswith(f"{path}: is not valid Turtle (") and "\n" not in str(caught.value)


def test_lexical_forms_are_kept_so_validation_can_see_them() -> None:
    data = '<http://example.org/t> <http://example.org/n> "１２"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    (literal,) = parse_rdf(data.encode(), RdfFormat.TURTLE, "x.ttl").objects()
    assert str(literal) == "１２"
