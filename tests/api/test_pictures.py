"""The pictures as the service serves them: SVG at their own addresses and inline on the pages, checked against
the graph (the network) and the JSON API (coverage), parsed as XML."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from urllib.parse import urlencode

import lxml.etree
import lxml.html
import pytest
from fastapi.testclient import TestClient
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from api.pages.pictures import linker
from graph import bundled
from graph.pictures.network import EDGE_COLOUR, EGO_EDGE_COLOUR
from graph.pictures.svg import FONT_STACK
from graph.rdf.namespaces import PKG

SVG = "{http://www.w3.org/2000/svg}"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
BASE = "https://w3id.org/policykg/"
Element = lxml.etree._Element


def svg(client: TestClient, url: str) -> Element:
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "image/svg+xml"
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>')
    return lxml.etree.fromstring(response.content)  # well-formed XML, or this raises


def page(client: TestClient, url: str) -> lxml.html.HtmlElement:
    response = client.get(url, headers=BROWSER)
    assert response.status_code == 200, response.text
    return lxml.html.fromstring(response.text)


def inline_svgs(document: lxml.html.HtmlElement) -> list[Element]:
    """The SVG pictures inside the page's figures, re-read as XML (so they must be well-formed there too)."""
    return [lxml.etree.fromstring(lxml.html.tostring(node)) for node in document.xpath("//figure//svg")]


def units(root: Element) -> dict[str, Element]:
    return {g.get("data-id"): g for g in root.iter(f"{SVG}g") if g.get("data-id")}


def pairs(root: Element) -> dict[frozenset[str], int]:
    lines = [line for line in root.iter(f"{SVG}line") if line.get("class") == "pair"]
    found = {
        frozenset((line.get("data-first"), line.get("data-second"))): int(line.get("data-shared")) for line in lines
    }
    assert len(found) == len(lines), "a pair is drawn twice"
    return found


@pytest.fixture(scope="module")
def assigned(union: Graph) -> dict[str, set[str]]:
    """Each task's responsible units, by id, read from the built graph with rdflib (not through the service)."""
    found: dict[str, set[str]] = {}
    for task in union.subjects(PKG.assignment, None, unique=True):
        units_ = {str(union.value(a, PKG.unit)) for a in union.objects(task, PKG.assignment)}
        found[str(task)] = {iri.removeprefix(BASE) for iri in units_}
    return found


@pytest.fixture(scope="module")
def co_assigned(assigned: dict[str, set[str]]) -> Counter[frozenset[str]]:
    return Counter(frozenset(pair) for units_ in assigned.values() for pair in itertools.combinations(units_, 2))


# --- every picture ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("path", ["/network.svg", "/network.svg?agency=bj-sti-zgc", "/coverage.svg", "/ontology.svg"])
@pytest.mark.parametrize(("lang", "code"), [("zh", "zh-Hans"), ("en", "en")])
def test_every_picture_is_an_accessible_svg_with_the_cjk_font_stack(
    client: TestClient, path: str, lang: str, code: str
) -> None:
    root = svg(client, path + ("&" if "?" in path else "?") + f"lang={lang}")
    assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("lang") == code
    assert root.get("font-family") == FONT_STACK
    title, description = root.findtext(f"{SVG}title"), root.findtext(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{root.get('id')}-title {root.get('id')}-desc"
    chinese = any("\u4e00" <= char <= "\u9fff" for char in title + description)
    assert title and description and chinese == (lang == "zh")


# --- the network -----------------------------------------------------------------------------------------
def test_the_network_is_an_accessible_svg_in_the_page_language(client: TestClient) -> None:
    chinese, english = svg(client, "/network.svg"), svg(client, "/network.svg?lang=en")
    for root, lang in ((chinese, "zh-Hans"), (english, "en")):
        assert root.tag == f"{SVG}svg" and root.get("role") == "img" and root.get("lang") == lang
        assert root.get("font-family") == FONT_STACK and "'Noto Sans CJK SC'" in FONT_STACK
        assert root.get("aria-labelledby") == "network-title network-desc"
    assert chinese.findtext(f"{SVG}title") == "责任单位协作网络"
    assert english.findtext(f"{SVG}title") == "Collaboration network of responsible units"
    assert "19 个承担任务的责任单位" in chinese.findtext(f"{SVG}desc")
    assert english.findtext(f"{SVG}desc").startswith("19 responsible units with tasks")


def test_the_network_has_every_unit_with_a_task_and_a_line_for_every_co_assigned_pair(
    client: TestClient, assigned: dict[str, set[str]], co_assigned: Counter[frozenset[str]]
) -> None:
    root = svg(client, "/network.svg")
    assert set(units(root)) == set().union(*assigned.values())
    assert pairs(root) == dict(co_assigned)
    assert len(pairs(root)) == len(co_assigned) == 96


def test_a_disc_has_an_area_proportional_to_the_tasks_led_and_joined_the_inner_disc_to_those_led(
    client: TestClient,
) -> None:
    api = {item["id"]: item for item in client.get("/api/agencies?limit=500").json()["items"]}
    areas, led = [], []
    for identifier, group in units(svg(client, "/network.svg")).items():
        outer, *inner = [float(c.get("r")) for c in group.iter(f"{SVG}circle")]
        leads, joins = api[identifier]["leads"], api[identifier]["joins"]
        assert (int(group.get("data-leads")), int(group.get("data-joins"))) == (leads, joins)
        areas.append(math.pi * outer**2 / (leads + joins))
        assert bool(inner) == (leads > 0)
        led += [math.pi * inner[0] ** 2 / leads] if inner else []
    assert max(areas) / min(areas) < 1.02 and led and max(led) / min(areas) < 1.02


def test_units_link_to_their_pages_keeping_the_language(client: TestClient) -> None:
    root = svg(client, "/network.svg?lang=en")
    links = {a.find(f"{SVG}g").get("data-id"): a.get("href") for a in root.iter(f"{SVG}a")}
    assert links and all(href == f"/{identifier}?lang=en" for identifier, href in links.items())
    assert client.get(links["agency/bj-finance"], headers=BROWSER).status_code == 200
    names = {a.find(f"{SVG}g").get("data-id"): a.get("aria-label") for a in root.iter(f"{SVG}a")}
    assert names["agency/bj-finance"] == "Beijing Municipal Finance Bureau: leads 0, joins 2"


def test_one_units_network_is_it_and_its_collaborators_with_its_own_pairs_highlighted(
    client: TestClient, co_assigned: Counter[frozenset[str]]
) -> None:
    root = svg(client, "/network.svg?agency=bj-finance")
    api = client.get("/api/agencies/bj-finance").json()
    collaborators = {c["agency"]["id"]: c["shared_tasks"] for c in api["collaborators"]}
    assert set(units(root)) == {"agency/bj-finance", *collaborators}
    drawn = pairs(root)
    own = {
        next(iter(pair - {"agency/bj-finance"})): shared
        for pair, shared in drawn.items()
        if "agency/bj-finance" in pair
    }
    assert own == collaborators
    among = set(units(root))
    assert drawn == {pair: n for pair, n in co_assigned.items() if pair <= among}
    strokes = {
        ("agency/bj-finance" in (line.get("data-first"), line.get("data-second")), line.get("stroke"))
        for line in root.iter(f"{SVG}line")
        if line.get("class") == "pair"
    }
    assert strokes == {(True, EGO_EDGE_COLOUR), (False, EDGE_COLOUR)}
    assert root.findtext(f"{SVG}title") == "北京市财政局的协作单位"


@pytest.mark.parametrize(
    ("agency", "message"),
    [("nobody", "no responsible unit"), ("cn-general-office-state-council", "has no task"), ("a b", None)],
)
def test_a_unit_without_a_network_is_not_found(client: TestClient, agency: str, message: str | None) -> None:
    response = client.get("/network.svg?" + urlencode({"agency": agency}))
    assert response.status_code in (404, 422)
    if message:
        assert response.status_code == 404 and message in response.json()["message"]


def test_the_agency_page_embeds_its_network(client: TestClient) -> None:
    document = page(client, "/agency/bj-finance")
    (picture,) = inline_svgs(document)
    assert picture.findtext(f"{SVG}title") == "北京市财政局的协作单位"
    assert "agency/bj-sti-zgc" in units(picture)
    assert document.xpath("//figcaption/a[@type='image/svg+xml']/@href") == ["/network.svg?agency=agency/bj-finance"]
    assert client.get("/network.svg?agency=agency/bj-finance").status_code == 200


def test_the_network_page_is_linked_from_home_and_lists_every_pair(
    client: TestClient, co_assigned: Counter[frozenset[str]]
) -> None:
    assert "/network" in page(client, "/").xpath("//main//a/@href")
    document = page(client, "/network?lang=en")
    (picture,) = inline_svgs(document)
    assert picture.findtext(f"{SVG}title") == "Collaboration network of responsible units"
    rows = document.xpath("//table[@class='pairs']/tbody/tr")
    assert len(rows) == len(co_assigned)
    first = rows[0].xpath("td/a/@href") + rows[0].xpath("td[3]/text()")
    assert first[2] == str(max(co_assigned.values())) and all(href.endswith("?lang=en") for href in first[:2])


# --- coverage --------------------------------------------------------------------------------------------
def rows(root: Element) -> list[Element]:
    return [g for g in root.iter(f"{SVG}g") if "measure" in (g.get("class") or "").split()]


def test_the_coverage_chart_has_a_row_per_measure_and_marks_exactly_the_measures_without_tasks(
    client: TestClient,
) -> None:
    documents = client.get("/api/coverage").json()["documents"]
    assert documents
    for document in documents:
        root = svg(client, "/coverage.svg?" + urlencode({"document": document["document"]["id"]}))
        drawn = rows(root)
        assert [g.get("data-id") for g in drawn] == [m["measure"]["id"] for m in document["measures"]]
        gaps = [g for g in drawn if "gap" in g.get("class").split()]
        assert [g.get("data-id") for g in gaps] == [m["id"] for m in document["uncovered"]]
        for group, measure in zip(drawn, document["measures"], strict=True):
            blocks = [a for a in group.iter(f"{SVG}a") if a.get("class") == "task"]
            assert [a.findtext(f"{SVG}text") for a in blocks] == [str(t["task"]["number"]) for t in measure["tasks"]]
            assert [a.get("href") for a in blocks] == ["/" + t["task"]["id"] for t in measure["tasks"]]
            labels = [t.text for t in group.iter(f"{SVG}text") if t.get("class") == "gap-label"]
            assert labels == (["无地方任务 / no local task"] if not measure["tasks"] else [])


def test_the_bundled_gap_is_measure_two_eight(client: TestClient) -> None:
    root = svg(client, "/coverage.svg?lang=en")
    (gap,) = [g for g in rows(root) if "gap" in g.get("class").split()]
    assert gap.get("data-id").endswith("/part/2/item/8")
    assert root.findtext(f"{SVG}title") == "National measures and the local tasks implementing them"
    assert "no local task / 无地方任务" in "".join(gap.itertext())
    assert gap.find(f"{SVG}rect").get("fill") == "url(#coverage-hatch)"


def test_the_coverage_page_embeds_the_chart(client: TestClient) -> None:
    document = page(client, "/coverage")
    pictures = inline_svgs(document)
    api = client.get("/api/coverage").json()["documents"]
    assert len(pictures) == len(api)
    assert [len(rows(p)) for p in pictures] == [d["measure_count"] for d in api]
    ids = [node.get("id") for p in pictures for node in p.iter() if node.get("id")]
    assert len(ids) == len(set(ids)), "ids repeat on the page"


# --- the ontology ----------------------------------------------------------------------------------------
def test_the_ontology_picture_is_served_and_shown_on_the_ontology_page(client: TestClient) -> None:
    served = svg(client, "/ontology.svg")
    boxes = {g.get("data-term"): g.getparent().get("href") for g in served.iter(f"{SVG}g") if g.get("class") == "class"}
    ontology = Graph().parse(bundled.folder("ontology") / "policykg.ttl")
    own = {
        c for c in ontology.subjects(RDF.type, OWL.Class) if str(c).startswith("https://w3id.org/policykg/ontology#")
    }
    assert boxes["pkg:Task"] == "/ontology#Task" and len(boxes) == len(own)  # one box a class of our own
    (picture,) = inline_svgs(page(client, "/ontology"))
    assert {g.get("data-term") for g in picture.iter(f"{SVG}g") if g.get("class") == "class"} == set(boxes)
    assert svg(client, "/ontology.svg?lang=en").findtext(f"{SVG}title") == "PolicyKG ontology 0.1.0"


def test_pictures_link_local_paths_in_the_page_language_and_never_scripts() -> None:
    href = linker(BASE, "en")
    assert href(BASE + "agency/bj-finance") == "/agency/bj-finance?lang=en"
    assert href(BASE + "ontology#Task") == "/ontology?lang=en#Task"
    assert href("https://example.org/x") == "https://example.org/x"
    assert href("javascript:alert(1)") == href("data:text/html,x") == ""
    assert linker(BASE, "zh")(BASE + "ontology#Task") == "/ontology#Task"
