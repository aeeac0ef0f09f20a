"""Where the ontology, shapes, stored queries and bundled data are, in a checkout or an installed wheel.

In the repository they are top-level folders; a wheel carries them inside the package as `_bundled/`.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from graph.errors import ConfigError

_PACKAGE = Path(__file__).resolve().parent
_FOLDERS = ("ontology", "shapes", "queries", "data")


@cache
def folder(name: str) -> Path:
    """The bundled folder `name` (ontology, shapes, queries or data)."""
    if name not in _FOLDERS:
        raise ValueError(f"unknown resource folder {name!r}")
    for candidate in (_PACKAGE / "_bundled" / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise ConfigError(f"the {name}/ folder is missing from this installation of PolicyKG")


def ontology_file() -> Path:
    return folder("ontology") / "policykg.ttl"


def shapes_file() -> Path:
    return folder("shapes") / "policykg.shapes.ttl"


def manifest_file() -> Path:
    return folder("data") / "manifest.toml"


def registry_file() -> Path:
    return folder("data") / "agencies.toml"


def is_bundled(path: Path) -> bool:
    """Whether `path` is one of the bundled files (the installed manifest, say), not one of the user's."""
    try:
        return path.resolve().is_relative_to(folder("data").resolve())
    except ConfigError:
        return False
