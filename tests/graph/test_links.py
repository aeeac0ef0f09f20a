"""The curated linkset: every Beijing task reaches a national measure, with reasons and provenance."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from graph import bundled
from graph.errors import ConfigError
from graph.ingest.manifest import Document
from graph.rdf.namespaces import ELI, PKG
from graph.release.build import Inputs, build
from tests.helpers import task_iri

GUOBANFA = "https://w3id.org/policykg/eli/cn/guobanfa/2021/26"


def links_of(union: Graph, task: URIRef, kind: URIRef) -> list[tuple[int, str]]:
    found = []
    for link in union.subjects(PKG.linkSource, task):
        if union.value(link, PKG.linkKind) == kind and union.value(link, PKG.linkMethod) == PKG.curated:
            found.append((int(union.value(link, PKG.rank)), str(union.value(link, PKG.linkTarget))))
    return sorted(found)


def test_every_task_has_a_curated_link_to_a_national_measure(union: Graph, seed_document: Document) -> None:
    for number in range(1, 20):
        links = links_of(union, task_iri(seed_document, number), PKG.implementation)
        assert links, f"task {number}"
        assert links[0][0] == 1
        assert all((URIRef(target), RDF.type, PKG.Measure) in union for _, target in links), number


def test_examples_and_shortcuts(union: Graph, seed_document: Document) -> None:
    task8 = task_iri(seed_document, 8)
    assert links_of(union, task8, PKG.implementation) == [(1, f"{GUOBANFA}/part/2/item/3")]
    assert (task8, ELI.implements, URIRef(f"{GUOBANFA}/part/2/item/3")) in union
    task19 = task_iri(seed_document, 19)
    cited = [target.rsplit("/eli/", 1)[1] for _, target in links_of(union, task19, PKG.legalBasis)]
    assert cited == ["cn/law/2021/science-and-technology-progress/article/68",
                     "cn-bj/local-regulation/2019/promoting-transformation-of-sci-tech-achievements/article/19"]  # fmt: skip
    for link in union.subjects(RDF.type, PKG.Link):
        if union.value(link, PKG.linkMethod) == PKG.curated:
            assert {r.language for r in union.objects(link, PKG.reason)} == {"zh", "en"}, link


def test_measures_without_a_beijing_task(union: Graph) -> None:
    implemented = {target for _, _, target in union.triples((None, ELI.implements, None))}
    gaps = sorted(str(m).rsplit("/", 1)[1] for m in union.subjects(RDF.type, PKG.Measure) if m not in implemented)
    assert gaps == ["8"]  # 二（八）唯论文、唯职称… has no Beijing task


def copy_data(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    shutil.copytree(bundled.folder("data"), data)
    return data


def test_a_link_to_a_missing_provision_is_a_violation(tmp_path: Path) -> None:
    data = copy_data(tmp_path)
    links = data / "links.toml"
    links.write_text(
        links.read_text("utf-8").replace("guobanfa-2021-26/part/2/item/4", "guobanfa-2021-26/part/2/item/40", 1),
        "utf-8",
    )
    built = build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
    (violation,) = built.report.of("violation")
    assert violation.shape == "LinkShape" and violation.path == str(PKG.linkTarget)
    assert "[[links]] #2" in built.places[violation.focus].describe()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            'source = "beijing-2022-task-division-table/task/1"',
            'source = "nowhere/task/1"',
            "unknown document 'nowhere'",
        ),
        ('source = "beijing-2022-task-division-table/task/1"', 'source = "task one"', "is not a reference"),
        (
            'cites = [\n    { target = "law-2015-promoting-transformation/article/11"',
            'inspires = [\n    { target = "x"',
            "unknown link kind",
        ),
    ],
)
def test_linkset_errors_name_the_entry(tmp_path: Path, old: str, new: str, message: str) -> None:
    data = copy_data(tmp_path)
    links = data / "links.toml"
    text = links.read_text("utf-8")
    assert old in text
    links.write_text(text.replace(old, new, 1), "utf-8")
    with pytest.raises(ConfigError, match=message):
        build(Inputs(manifest=data / "manifest.toml", registry=data / "agencies.toml"))
