"""Zip bombs as tables (HOSTILE-INPUTS 40): a .docx or .xlsx whose zip directory promises far more than a table can
be is refused before any of it is inflated, by `policykg validate` and by the validation service alike."""

from __future__ import annotations

import io
import resource
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from fastapi.testclient import TestClient

from api.main import create_app
from api.settings import Settings
from graph.checks.upload import check_file
from graph.errors import InputError
from graph.readers.base import MAX_PACKING_RATIO, MAX_UNPACKED_BYTES


def bomb(inflated: int) -> bytes:
    """A zip with one member of `inflated` zero bytes (it deflates about a thousand times)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("word/document.xml", "w") as member,
    ):
        chunk = b"\0" * (1 << 20)
        for _ in range(inflated >> 20):
            member.write(chunk)
    return buffer.getvalue()


def a_real_docx() -> bytes:
    document = Document()
    table = document.add_table(rows=2, cols=4)
    for cell, text in zip(table.rows[0].cells, ["分类", "任务编号", "任务内容", "责任单位"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["一、甲", "1", "任务。", "市教委"], strict=True):
        cell.text = text
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def client(release_out: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(out_dir=release_out, query_workers=0))) as client:
        yield client


@pytest.mark.parametrize("suffix", [".docx", ".xlsx"])
def test_a_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"table{suffix}"
    path.write_bytes(bomb(64 << 20))
    assert path.stat().st_size < (64 << 20) // MAX_PACKING_RATIO
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(InputError) as raised:
        check_file(path)
    assert str(raised.value).startswith(f"{path}: would unpack")
    assert "zip bomb" in str(raised.value)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 32 << 10  # KiB: nothing was inflated


def test_a_zip_promising_more_than_the_limit_is_refused_naming_both_sizes(tmp_path: Path) -> None:
    path = tmp_path / "huge.docx"
    path.write_bytes(bomb(MAX_UNPACKED_BYTES + (1 << 20)))
    with pytest.raises(InputError, match=f"would unpack to {MAX_UNPACKED_BYTES + (1 << 20):,} bytes"):
        check_file(path)


def test_the_validation_service_refuses_a_zip_bomb_with_422_and_keeps_serving(client: TestClient) -> None:
    before = client.get("/health").json()["triples"]
    response = client.post("/api/validate", files={"file": ("bomb.docx", bomb(64 << 20), "application/octet-stream")})
    assert response.status_code == 422, response.text
    assert response.json()["message"].startswith("bomb.docx: would unpack")
    assert client.get("/health").json()["triples"] == before


def test_a_real_docx_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "table.docx"
    path.write_bytes(a_real_docx())
    checked = check_file(path)
    assert checked is not None
