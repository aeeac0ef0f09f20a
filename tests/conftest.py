"""Shared fixtures: the bundled corpus, one build of it, and factories for tables written by tests."""

from __future__ import annotations

import pytest
from rdflib import Graph

from graph import bundled
from graph.ingest.agencies import Registry, load_registry
from graph.ingest.manifest import Document, load_manifest
from graph.rdf import iris
from graph.release.build import Built, build
from tests.helpers import SEED_ID


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry(bundled.registry_file())


@pytest.fixture(scope="session")
def seed_document() -> Document:
    return load_manifest(bundled.manifest_file()).document(SEED_ID)


@pytest.fixture(scope="session")
def built() -> Built:
    """One build of the bundled corpus, shared by the tests that only read it."""
    return build()


@pytest.fixture(scope="session")
def seed_graph(built: Built, seed_document: Document) -> Graph:
    """The task table's own named graph."""
    (graph,) = [g for g in built.graphs if g.identifier == iris.named_graph(seed_document.id)]
    return graph


@pytest.fixture(scope="session")
def union(built: Built) -> Graph:
    return built.union()
