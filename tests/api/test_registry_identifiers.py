"""Identifiers of other registries on agency records: data/agencies.toml → owl:sameAs / skos:exactMatch → page and JSON.

The bundled registry carries no external identifiers (none could be verified), so these tests use a copy of it
with identifiers added to one unit, as another agency would add its own.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import lxml.html
import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import URIRef
from rdflib.namespace import OWL, SKOS

from api.main import create_app
from api.settings import Settings
from graph import bundled
from graph.errors import ConfigError
from graph.ingest.agencies import load_registry
from graph.ingest.triples import registry_graph
from graph.rdf import iris
from graph.rdf.terms import triples_of
from graph.store.embedded import EmbeddedStore
from graph.store.releases import STORE, current_release

WIKIDATA = "https://www.wikidata.org/entity/Q123456789"  # a made-up item: the fixture shows the mechanism
RECORD = "https://registry.example.gov.cn/org/110000-finance"


def registry_copy(tmp_path: Path, fields: str) -> Path:
    """The bundled registry with `fields` added to the 北京市财政局 entry."""
    text = bundled.registry_file().read_text(encoding="utf-8")
    anchor = 'id = "bj-finance"\n'
    assert anchor in text
    path = tmp_path / "agencies.toml"
    path.write_text(text.replace(anchor, anchor + fields + "\n"), encoding="utf-8")
    national = bundled.registry_file().parent / "agencies-national.toml"  # the file it includes
    (tmp_path / national.name).write_bytes(national.read_bytes())
    return path


def test_same_as_and_exact_match_become_links_in_the_registry_graph(tmp_path: Path) -> None:
    path = registry_copy(tmp_path, f'same_as = ["{WIKIDATA}"]\nexact_match = ["{RECORD}"]')
    graph = registry_graph(load_registry(path))
    finance = iris.unit("bj-finance")
    assert list(graph.objects(finance, OWL.sameAs)) == [URIRef(WIKIDATA)]
    assert list(graph.objects(finance, SKOS.exactMatch)) == [URIRef(RECORD)]
    assert not list(graph.objects(iris.unit("bj-education"), OWL.sameAs))


def test_the_bundled_registry_has_no_unverified_identifiers() -> None:
    graph = registry_graph(load_registry(bundled.registry_file()))
    assert not list(graph.subject_objects(OWL.sameAs))
    assert not list(graph.subject_objects(SKOS.exactMatch))


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ('same_as = ["Q123456789"]', "bj-finance has same_as 'Q123456789', which is not an http"),
        ('exact_match = ["https://example.org/a b"]', "bj-finance has exact_match 'https://example.org/a b'"),
        ('same_as = ["file:///etc/passwd"]', "not an http"),
        (f'same_as = "{WIKIDATA}"', "give a list of IRIs"),
    ],
)
def test_a_bad_identifier_stops_the_build_naming_the_unit(tmp_path: Path, fields: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_registry(registry_copy(tmp_path, fields))


@pytest.fixture(scope="module")
def linked(release_out: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The service over the bundled build with the agencies graph of a registry that links 北京市财政局 out."""
    path = registry_copy(tmp_path_factory.mktemp("registry"), f'same_as = ["{WIKIDATA}"]\nexact_match = ["{RECORD}"]')
    release = current_release(release_out)
    assert release is not None
    agencies = pyoxigraph.NamedNode(str(iris.REGISTRY_GRAPH))
    source = pyoxigraph.Store.read_only(str(release / STORE))
    quads = [q for q in source if q.graph_name != agencies]
    quads += [
        pyoxigraph.Quad(t.subject, t.predicate, t.object, agencies)
        for t in triples_of(registry_graph(load_registry(path)))
    ]
    with TestClient(create_app(Settings(out_dir=release_out), store=EmbeddedStore.in_memory(quads))) as client:
        yield client


def test_the_agency_json_lists_both_kinds_of_identifier(linked: TestClient) -> None:
    body = linked.get("/api/agencies/bj-finance").json()
    assert body["same_as"] == [WIKIDATA]
    assert body["exact_match"] == [RECORD]
    assert linked.get("/api/agencies/bj-education").json()["same_as"] == []


def test_the_agency_page_links_out_in_both_languages(linked: TestClient) -> None:
    for lang, heading in (("zh", "其他名录中的同一单位"), ("en", "The same unit in other registries")):
        page = lxml.html.fromstring(
            linked.get("/agency/bj-finance", params={"lang": lang}, headers={"accept": "text/html"}).text
        )
        terms = [dt.text_content().strip() for dt in page.xpath("//dl[@class='facts']/dt")]
        assert heading in terms
        assert [a.get("href") for a in page.xpath("//ul[@class='same-as']//a")] == [WIKIDATA]
        assert [a.get("href") for a in page.xpath("//ul[@class='exact-match']//a")] == [RECORD]


def test_the_agency_turtle_carries_owl_same_as(linked: TestClient) -> None:
    turtle = linked.get("/agency/bj-finance.nt").text
    assert f"<{iris.unit('bj-finance')}> <{OWL.sameAs}> <{WIKIDATA}> ." in turtle
    assert f"<{iris.unit('bj-finance')}> <{SKOS.exactMatch}> <{RECORD}> ." in turtle
