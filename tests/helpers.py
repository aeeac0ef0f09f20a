"""Small helpers shared by tests (fixtures live in conftest.py)."""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from graph.ingest.manifest import Document

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "corpus" / "beijing-2022-task-division-table.txt"
SEED_ID = "beijing-2022-task-division-table"


def task_iri(document: Document, number: int) -> URIRef:
    return URIRef(f"{document.iri}/task/{number}")
