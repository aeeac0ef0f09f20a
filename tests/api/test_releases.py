"""Releases for other registries: two builds of a modified copy of the data, the change list between them, the Atom
feed of it, versioned dumps and their checksums in the DCAT record."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import lxml.etree
import pyoxigraph
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, XSD

from api.main import create_app
from api.settings import Settings
from graph import bundled
from graph.rdf import iris
from graph.release.build import Inputs, build
from graph.release.changes import read_changes
from graph.release.write import write_release
from graph.store.releases import kept_releases

BASE = "https://w3id.org/policykg/"
ATOM = "{http://www.w3.org/2005/Atom}"
SPDX = "http://spdx.org/rdf/terms#"
TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
OLD_TEXT, NEW_TEXT = "规范探索知识产权证券化。", "规范探索知识产权证券化试点。"  # task 6, row 7


def unit(identifier: str, name: str, name_en: str) -> str:
    return f'\n[[unit]]\nid = "{identifier}"\nkind = "agency"\nname = "{name}"\nname_en = "{name_en}"\n'


@dataclass(frozen=True)
class Releases:
    out: Path
    first: Path
    second: Path


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Releases:
    """Build 1: the bundled data plus a temporary unit. Build 2: task 6's text changed, the temporary unit removed,
    another unit added."""
    root = tmp_path_factory.mktemp("releases")
    data = root / "data"
    shutil.copytree(bundled.folder("data"), data)
    registry = data / "agencies.toml"
    original = registry.read_text("utf-8")
    inputs = Inputs(manifest=data / "manifest.toml", registry=registry)
    out = root / "build"

    registry.write_text(original + unit("test-temporary", "临时测试办公室", "Temporary Test Office"), "utf-8")
    first = write_release(build(inputs), out)

    table = data / "corpus" / "beijing-2022-task-division-table.txt"
    text = table.read_text("utf-8")
    assert text.count(OLD_TEXT) == 1
    table.write_text(text.replace(OLD_TEXT, NEW_TEXT), "utf-8")
    registry.write_text(original + unit("test-added", "新增测试局", "Added Test Bureau"), "utf-8")
    second = write_release(build(inputs), out)
    return Releases(out, first, second)


@pytest.fixture(scope="module")
def client(releases: Releases) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(out_dir=releases.out, query_workers=0))) as client:
        yield client


# --- the change list --------------------------------------------------------------------------------------
def test_the_second_release_lists_exactly_what_changed(releases: Releases) -> None:
    changes = read_changes(releases.second)
    assert changes is not None and changes.previous == releases.first.name
    assert [r.iri for r in changes.added] == [str(iris.unit("test-added"))]
    assert [r.iri for r in changes.withdrawn] == [str(iris.unit("test-temporary"))]
    assert [r.iri for r in changes.changed] == [f"{BASE}{TABLE}/row/7", f"{BASE}{TABLE}/task/6"]
    assert changes.added[0].label_zh == "新增测试局" and changes.added[0].label_en == "Added Test Bureau"
    assert changes.withdrawn[0].graphs == (str(iris.REGISTRY_GRAPH),)


def test_a_first_release_has_nothing_to_compare(releases: Releases) -> None:
    changes = read_changes(releases.first)
    assert changes is not None and changes.previous is None
    assert not changes.added and not changes.changed and not changes.withdrawn


def test_build_json_records_the_version_and_the_previous_release(releases: Releases) -> None:
    info = json.loads((releases.second / "build.json").read_text("utf-8"))
    assert info["version"] == releases.second.name and info["previous"] == releases.first.name
    assert info["issued"].endswith("Z")
    for name, dump in info["dumps"].items():
        data = (releases.second / name).read_bytes()
        assert dump == {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    assert kept_releases(releases.out / "releases") == [releases.second, releases.first]


# --- the feed ---------------------------------------------------------------------------------------------
def feed(client: TestClient) -> lxml.etree._Element:
    response = client.get("/feed.atom")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/atom+xml; charset=utf-8"
    return lxml.etree.fromstring(response.content)


def test_the_feed_is_well_formed_atom(client: TestClient, releases: Releases) -> None:
    root = feed(client)
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{required}") is not None, required
    assert root.findtext(f"{ATOM}author/{ATOM}name") == "PolicyKG"
    info = json.loads((releases.second / "build.json").read_text("utf-8"))
    assert root.findtext(f"{ATOM}updated") == info["issued"]
    entries = root.findall(f"{ATOM}entry")
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.findtext(f"{ATOM}{required}"), lxml.etree.tostring(entry)
        assert entry.findtext(f"{ATOM}id").startswith("tag:w3id.org,2026:policykg/release/")
    ids = [entry.findtext(f"{ATOM}id") for entry in entries]
    assert len(ids) == len(set(ids))


def test_the_feed_lists_exactly_the_added_changed_and_withdrawn_resources(client: TestClient) -> None:
    listed: dict[str, set[str]] = {}
    for entry in feed(client).findall(f"{ATOM}entry"):
        kind = entry.find(f"{ATOM}category").get("term")
        listed.setdefault(kind, set()).add(entry.find(f"{ATOM}link").get("href"))
    assert listed["added"] == {str(iris.unit("test-added"))}
    assert listed["withdrawn"] == {str(iris.unit("test-temporary"))}
    assert listed["changed"] == {f"{BASE}{TABLE}/task/6", f"{BASE}{TABLE}/row/7"}
    assert len(listed["release"]) == 2  # one summary entry per release


def test_feed_titles_are_bilingual_and_ids_stable(client: TestClient, releases: Releases) -> None:
    entries = {e.find(f"{ATOM}category").get("term"): e for e in feed(client).findall(f"{ATOM}entry")}
    assert entries["added"].findtext(f"{ATOM}title") == "新增：新增测试局 · Added: Added Test Bureau"
    assert entries["withdrawn"].findtext(f"{ATOM}title") == "撤销：临时测试办公室 · Withdrawn: Temporary Test Office"
    again = {e.findtext(f"{ATOM}id") for e in feed(client).findall(f"{ATOM}entry")}
    assert {e.findtext(f"{ATOM}id") for e in entries.values()} <= again
    added = entries["added"].findtext(f"{ATOM}id")
    assert added == f"tag:w3id.org,2026:policykg/release/{releases.second.name}/added/{iris.unit('test-added')}"


def test_the_change_list_is_served(client: TestClient, releases: Releases) -> None:
    body = client.get(f"/releases/{releases.second.name}/changes.json").json()
    assert body["counts"] == {"added": 1, "changed": 2, "withdrawn": 1}
    assert client.get("/releases/../../etc/changes.json").status_code == 404
    assert client.get("/releases/20990101t000000z-00000000/changes.json").status_code == 404


def test_a_server_over_a_bare_store_has_no_feed(writable_client: Callable[..., TestClient]) -> None:
    with writable_client() as bare:
        assert bare.get("/feed.atom").status_code == 404


def test_the_home_page_links_the_feed(client: TestClient) -> None:
    page = lxml.etree.fromstring(client.get("/", headers={"accept": "text/html"}).content, lxml.etree.HTMLParser())
    links = page.xpath("//head/link[@rel='alternate'][@type='application/atom+xml']/@href")
    assert links == ["/feed.atom"]


# --- versioned dumps and checksums ------------------------------------------------------------------------
def catalogue(client: TestClient) -> Graph:
    response = client.get("/catalog", headers={"accept": "text/turtle"})
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


def test_dcat_checksums_are_the_sha256_of_the_bytes_served(client: TestClient) -> None:
    graph = catalogue(client)
    dataset = URIRef(BASE + "dataset")
    checked = 0
    for distribution in graph.objects(dataset, DCAT.distribution):
        url = graph.value(distribution, DCAT.downloadURL)
        if url is None:
            continue  # the change feed
        assert f"/dumps/{graph.value(dataset, URIRef(str(DCAT) + 'version'))}/" in str(url)
        served = client.get("/" + str(url)[len(BASE) :])
        assert served.status_code == 200
        checksum = graph.value(distribution, URIRef(SPDX + "checksum"))
        assert graph.value(checksum, URIRef(SPDX + "algorithm")) == URIRef(SPDX + "checksumAlgorithm_sha256")
        value = graph.value(checksum, URIRef(SPDX + "checksumValue"))
        assert value == Literal(hashlib.sha256(served.content).hexdigest(), datatype=XSD.hexBinary)
        assert int(graph.value(distribution, DCAT.byteSize)) == len(served.content)
        assert graph.value(distribution, DCTERMS.issued) is not None
        checked += 1
    assert checked == 5


def test_the_dataset_has_a_version_and_links_to_the_kept_releases(client: TestClient, releases: Releases) -> None:
    graph = catalogue(client)
    dataset = URIRef(BASE + "dataset")
    version = URIRef(str(DCAT) + "version")
    assert graph.value(dataset, version) == Literal(releases.second.name)
    assert graph.value(dataset, OWL.versionInfo) == Literal(releases.second.name)
    versions = {graph.value(v, version): v for v in graph.objects(dataset, DCTERMS.hasVersion)}
    assert set(versions) == {Literal(releases.first.name), Literal(releases.second.name)}
    newer, older = versions[Literal(releases.second.name)], versions[Literal(releases.first.name)]
    assert (newer, URIRef(str(DCAT) + "previousVersion"), older) in graph
    assert (older, RDF.type, DCAT.Dataset) in graph
    old_dumps = [str(graph.value(d, DCAT.downloadURL)) for d in graph.objects(older, DCAT.distribution)]
    assert len(old_dumps) == 5 and all(f"/dumps/{releases.first.name}/" in url for url in old_dumps)
    old = client.get("/" + old_dumps[0][len(BASE) :])
    assert old.status_code == 200 and old.content == (releases.first / old_dumps[0].rsplit("/", 1)[1]).read_bytes()


def test_the_dataset_conforms_to_the_served_shapes_and_offers_the_feed(client: TestClient) -> None:
    graph = catalogue(client)
    dataset = URIRef(BASE + "dataset")
    assert URIRef(BASE + "shapes") in set(graph.objects(dataset, DCTERMS.conformsTo))
    feeds = [
        d
        for d in graph.objects(dataset, DCAT.distribution)
        if graph.value(d, DCAT.accessURL) == URIRef(BASE + "feed.atom")
    ]
    assert len(feeds) == 1
    assert graph.value(feeds[0], DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/application/atom+xml"
    )
    shapes = client.get("/shapes")
    assert shapes.headers["content-type"] == "text/turtle; charset=utf-8"
    assert shapes.content == bundled.shapes_file().read_bytes()
    as_json = client.get("/shapes", headers={"accept": "application/ld+json"})
    assert as_json.headers["content-type"] == "application/ld+json; charset=utf-8"
    parsed = list(pyoxigraph.parse(as_json.content, pyoxigraph.RdfFormat.JSON_LD))
    assert len(parsed) == len(Graph().parse(bundled.shapes_file()))


def test_unknown_versions_and_names_are_404(client: TestClient, releases: Releases) -> None:
    assert client.get(f"/dumps/{releases.first.name}/policykg.ttl").status_code == 200
    assert client.get(f"/dumps/{releases.first.name}/build.json").status_code == 404
    assert client.get(f"/dumps/{releases.first.name}/store").status_code == 404
    assert client.get("/dumps/20990101t000000z-00000000/policykg.ttl").status_code == 404
    assert client.get("/dumps/..%2F..%2Fetc/passwd").status_code == 404
