"""The README tells the truth: its commands are the ones CI runs, its settings exist, its outputs are real."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from api.cli import main
from api.settings import Settings
from graph import bundled
from graph.release.build import Built
from graph.release.write import write_release
from graph.store.queries import load_queries
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONSOLE = re.compile(r"```console\n\$ (?P<command>[^\n]+)\n(?P<output>.*?)```", re.S)


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", README, re.S)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    commands = [block.strip() for block in code_blocks("sh") if "pytest" in block]
    assert len(commands) == 1
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert commands[0] in ci


def test_every_setting_is_documented() -> None:
    for name in Settings.model_fields:
        assert f"`POLICYKG_{name.upper()}`" in README, name


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory, built: Built) -> Path:
    out = tmp_path_factory.mktemp("readme") / "build"
    write_release(built, out)
    return out


@pytest.mark.parametrize("example", CONSOLE.findall(README), ids=lambda e: e[0] if isinstance(e, str) else None)
def test_readme_query_outputs_are_real(example: tuple[str, str], out: Path, capsys: pytest.CaptureFixture[str]) -> None:
    command, output = example
    argv = shlex.split(command)
    assert argv[0] == "policykg"
    assert main([*argv[1:], "--out", str(out)]) == 0
    assert capsys.readouterr().out == output


def test_there_are_three_query_examples_and_their_sparql_is_the_stored_query() -> None:
    assert len(CONSOLE.findall(README)) == 3
    stored = {query.text for query in load_queries(bundled.folder("queries")).values()}
    for block in code_blocks("sparql"):
        assert any(text.endswith(block.rstrip("\n")) for text in stored), block[:60]


def test_every_image_the_readme_shows_exists() -> None:
    images = re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)", README)
    assert images
    for image in images:
        assert (ROOT / image).is_file(), image
