"""A curator accepts or rejects an automatic candidate: links.toml records it, the next release serves it at once
(no build), and a full build from the same files makes the same links."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pyoxigraph
import pytest
from rdflib import RDF, URIRef

from graph.errors import ConfigError
from graph.ingest.manifest import load_manifest
from graph.links.curation import candidates
from graph.links.linkset import AUTOMATIC_GRAPH, CURATED_GRAPH
from graph.release.build import Inputs, build
from graph.release.curate import decide
from graph.release.files import build_folder_manifest
from graph.release.write import write_release
from graph.store.releases import STORE, current_release

LINK = "https://w3id.org/policykg/ontology#Link"


def _links(out: Path) -> dict[str, set[str]]:
    """The links of each links graph of the current release, by IRI."""
    store = pyoxigraph.Store.read_only(str(current_release(out) / STORE))  # type: ignore[operator]
    found: dict[str, set[str]] = {str(CURATED_GRAPH): set(), str(AUTOMATIC_GRAPH): set()}
    for name in found:
        for quad in store.quads_for_pattern(
            None, pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            pyoxigraph.NamedNode(LINK), pyoxigraph.NamedNode(name),
        ):  # fmt: skip
            found[name].add(quad.subject.value)  # type: ignore[union-attr]
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("curation") / "build"
    write_release(build(Inputs()), out)
    return out


def test_accept_and_reject_serve_at_once_and_a_build_agrees(built: Path) -> None:
    inputs = Inputs()
    manifest = load_manifest(inputs.manifest)
    store = pyoxigraph.Store.read_only(str(current_release(built) / STORE))  # type: ignore[operator]
    open_ones = [c for c in candidates(store, manifest) if not c.accepted]
    del store
    to_accept, to_reject = open_ones[0], open_ones[1]
    before = _links(built)

    accepted = decide(built, inputs, to_accept.id, accept=True, reason="二者都讲成果信息", reason_en="Both", by="测试")
    rejected = decide(built, inputs, f"link/{to_reject.id}", accept=False, reason="不相关")

    # Written beside the build folder's manifest (the bundled one is not ours to change), which extends the bundled.
    assert accepted.linkset == rejected.linkset == built / "links.toml"
    assert 'extends = "bundled"' in build_folder_manifest(built).read_text("utf-8")
    data = tomllib.loads(accepted.linkset.read_text("utf-8"))
    kind = accepted.decision.kind
    (entry,) = [e for e in data["links"] if e["source"] == to_accept.source_ref and kind in e]
    assert kind == ("cites" if "law" in to_accept.target_ref or "regulations" in to_accept.target_ref else "implements")
    assert entry[kind][0]["target"] == to_accept.target_ref and entry[kind][0]["reason"] == "二者都讲成果信息"
    assert data["rejected"] == [
        {"source": to_reject.source_ref, "target": to_reject.target_ref, "reason": "不相关",
         "date": rejected.decision.date}
    ]  # fmt: skip

    served = _links(built)
    assert accepted.link is not None
    assert served[str(CURATED_GRAPH)] == before[str(CURATED_GRAPH)] | {str(accepted.link.iri)}
    assert served[str(AUTOMATIC_GRAPH)] == before[str(AUTOMATIC_GRAPH)] - {str(to_reject.iri)}

    # A full build from the same files (the build folder's manifest, which extends the bundled one) agrees.
    rebuilt = build(Inputs(manifest=build_folder_manifest(built)))
    rebuilt_links = {
        str(graph.identifier): {str(s) for s in graph.subjects(RDF.type, URIRef(LINK))}
        for graph in rebuilt.graphs
        if str(graph.identifier) in served
    }
    assert rebuilt_links == served

    with pytest.raises(ConfigError, match="already a curated link"):
        decide(built, inputs, to_accept.id, accept=True, reason="再来一次")
    with pytest.raises(ConfigError, match="no automatic candidate"):
        decide(built, inputs, to_reject.id, accept=False, reason="再来一次")
    with pytest.raises(ConfigError, match="needs a reason"):
        decide(built, inputs, open_ones[2].id, accept=False, reason="  ")
    assert len(tomllib.loads(accepted.linkset.read_text("utf-8"))["rejected"]) == 1  # refused decisions wrote nothing


def test_a_link_file_is_served_without_a_build_replacing_the_same_pair(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rdflib import Graph

    from api.cli import main

    out = tmp_path / "build"
    write_release(build(Inputs()), out)
    monkeypatch.setenv("POLICYKG_OUT_DIR", str(out))
    before = _links(out)[str(AUTOMATIC_GRAPH)]
    written = tmp_path / "fewer.ttl"
    pair = ("beijing-2022-task-division-table", "guobanfa-2021-26")
    assert main(["link", "--source", pair[0], "--target", pair[1], "--top", "1", "--out", str(written)]) == 0
    in_file = {str(s) for s in Graph().parse(written).subjects(RDF.type, URIRef(LINK))}

    assert main(["add", str(written)]) == 0

    after = _links(out)[str(AUTOMATIC_GRAPH)]
    assert in_file <= after
    store = pyoxigraph.Store.read_only(str(current_release(out) / STORE))  # type: ignore[operator]
    of_pair = {c.iri for c in candidates(store, load_manifest(Inputs().manifest), pair[0])
               if c.target_ref.startswith(pair[1] + "/")}  # fmt: skip
    assert {str(iri) for iri in of_pair} == in_file  # the top 3 of the bundled file replaced by this top 1
    assert len(after) < len(before)
    # Kept under the pair's name beside the build folder's manifest, so a build reads it instead of the bundled file.
    assert (build_folder_manifest(out).parent / "links-automatic" / f"{pair[0]}--{pair[1]}.ttl").is_file()
    rebuilt = build(Inputs(manifest=build_folder_manifest(out)))
    (automatic,) = [graph for graph in rebuilt.graphs if graph.identifier == AUTOMATIC_GRAPH]
    assert {str(s) for s in automatic.subjects(RDF.type, URIRef(LINK))} == after

    (tmp_path / "plain.ttl").write_text("<urn:a> <urn:b> <urn:c> .\n", encoding="utf-8")
    assert main(["add", str(tmp_path / "plain.ttl")]) == 2  # no candidates in it: an error naming the file


def test_the_link_page_form_behind_the_admin_token_curates(built: Path) -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from api.settings import Settings

    client = TestClient(create_app(Settings(out_dir=built, admin_token="s3cret", query_workers=0)))
    store = pyoxigraph.Store.read_only(str(current_release(built) / STORE))  # type: ignore[operator]
    candidate = next(c for c in candidates(store, load_manifest(Inputs().manifest)) if not c.accepted)
    del store
    path = "/" + str(candidate.iri).removeprefix("https://w3id.org/policykg/")
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.status_code == 200 and f"/api/links/{candidate.id}/decision" in page.text

    form = {"decision": "accept", "reason": "页面上采纳", "kind": "implements"}
    refused = client.post(f"/api/links/{candidate.id}/decision", data={**form, "token": "wrong"})
    assert refused.status_code == 401
    done = client.post(f"/api/links/{candidate.id}/decision", data={**form, "token": "s3cret"}, follow_redirects=False)
    assert done.status_code == 303
    shown = client.get(done.headers["location"], headers={"Accept": "text/html"})
    assert shown.status_code == 200 and "页面上采纳" in shown.text  # the new release is served at once
    assert "页面上采纳" in (built / "links.toml").read_text("utf-8")
    task = client.get(
        "/" + str(candidate.source).removeprefix("https://w3id.org/policykg/"), headers={"Accept": "text/html"}
    )
    (row,) = [r for r in re.findall(r"<tr class=\"link similar\">.*?</tr>", task.text, re.S) if candidate.id in r]
    assert "已采纳为人工关联" in row  # the candidate is marked on its task's page
