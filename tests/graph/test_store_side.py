"""The read side stays light: a query worker or the store loads neither rdflib nor the build, ingest or check path."""

from __future__ import annotations

import json
import subprocess
import sys

from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from graph.rdf.namespaces import ELI, PKG
from graph.rdf.prefixes import PREFIXES

HEAVY = ["rdflib", "pyshacl", "docx", "graph.release", "graph.ingest", "graph.checks", "graph.readers"]


def test_importing_the_store_side_loads_no_rdflib_validation_or_ingestion() -> None:
    code = (
        "import json, sys\n"
        "import graph.store.embedded, graph.store.remote, graph.store.workers, graph.store.releases\n"
        f"print(json.dumps([name for name in {HEAVY!r} if name in sys.modules]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(done.stdout) == []


def test_the_plain_prefixes_are_the_rdflib_namespaces() -> None:
    namespaces = [PKG._NS, ELI, ORG, SKOS, DCTERMS, PROV, FOAF, DCAT, VOID, OWL, RDF, RDFS, XSD]
    assert list(PREFIXES.values()) == [str(namespace) for namespace in namespaces]
