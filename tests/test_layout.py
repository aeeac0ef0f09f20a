"""The layout holds: graph/ is a few rooms whose imports point one way, and graph/ never imports api/.

Read from the source with `ast` (every import counts, those under TYPE_CHECKING or inside functions too), so a new
import that points the wrong way fails here with the file and line, before anyone has to untangle a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GRAPH = ROOT / "graph"

LEAVES = {"errors", "text", "bundled"}  # graph/<leaf>.py: shared by every room, importing no room
# What each room may import besides itself and the shared leaves. Everything else is a layering error.
ROOMS: dict[str, set[str]] = {
    "rdf": set(),
    "readers": set(),
    "ingest": {"rdf", "readers"},
    "links": {"rdf", "ingest"},
    "checks": {"rdf", "readers", "ingest"},
    "store": {"rdf"},
    "release": {"rdf", "readers", "ingest", "links", "checks", "store"},
    "views": {"rdf", "store"},
    "pictures": {"rdf", "views"},
    "matrix": {"rdf", "views", "pictures"},
    "reconcile": {"rdf", "views"},
}
LEAF_IMPORTS = {"errors": set(), "text": set(), "bundled": {"errors"}}


@dataclass(frozen=True)
class Import:
    source: Path
    line: int
    module: str  # absolute dotted module
    names: tuple[str, ...]  # names taken from it (empty for `import x`)

    def where(self) -> str:
        return f"{self.source.relative_to(ROOT)}:{self.line}"


def _module_of(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(package: str) -> list[Import]:
    found = []
    for source in sorted((ROOT / package).rglob("*.py")):
        if "_bundled" in source.parts:
            continue
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found += [Import(source, node.lineno, alias.name, ()) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.append(Import(source, node.lineno, node.module, tuple(a.name for a in node.names)))
    return found


def _targets(item: Import) -> list[str]:
    """The modules an import reaches: `from graph.store import embedded` reaches graph.store.embedded."""
    if not item.names:
        return [item.module]
    candidates = [f"{item.module}.{name}" for name in item.names]
    modules = [c for c in candidates if _is_module(c)]
    return modules if len(modules) == len(candidates) else [item.module, *modules]


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _room(dotted: str) -> str | None:
    """graph.store.embedded -> 'store'; graph.text -> 'text'; graph -> None."""
    parts = dotted.split(".")
    return parts[1] if parts[0] == "graph" and len(parts) > 1 else None


GRAPH_IMPORTS = _imports("graph")
API_IMPORTS = _imports("api")


def test_graph_never_imports_api() -> None:
    wrong = [f"{i.where()} imports {i.module}" for i in GRAPH_IMPORTS if i.module.split(".")[0] == "api"]
    assert not wrong, "\n".join(wrong)


def test_every_module_of_graph_lives_in_a_room_or_is_a_shared_leaf() -> None:
    loose = sorted(p.stem for p in GRAPH.glob("*.py") if p.stem not in LEAVES | {"__init__"})
    folders = sorted(p.name for p in GRAPH.iterdir() if (p / "__init__.py").is_file())
    assert loose == []
    assert folders == sorted(ROOMS)


def test_imports_between_rooms_point_one_way() -> None:
    allowed = {**{room: deps | LEAVES | {room} for room, deps in ROOMS.items()}}
    allowed.update({leaf: deps | {leaf} for leaf, deps in LEAF_IMPORTS.items()})
    wrong = []
    for item in GRAPH_IMPORTS:
        here = _room(_module_of(item.source))
        for target in _targets(item):
            there = _room(target)
            if target == "graph":  # the package itself holds only its version
                continue
            if target.split(".")[0] == "graph" and here is not None and (there is None or there not in allowed[here]):
                wrong.append(f"{item.where()}: {here} imports {target}")
    assert not wrong, "see ROOMS in this file for what each room may import:\n" + "\n".join(wrong)


def test_the_rooms_form_no_cycle() -> None:
    """ROOMS itself must be acyclic, or 'one way' means nothing."""
    order: list[str] = []
    pending = dict(ROOMS)
    while pending:
        ready = sorted(room for room, deps in pending.items() if deps <= set(order))
        assert ready, f"a cycle among {sorted(pending)}"
        order += ready
        for room in ready:
            del pending[room]


def test_no_private_name_is_imported_from_another_module() -> None:
    private = [
        f"{item.where()} imports {name} from {item.module}"
        for item in GRAPH_IMPORTS + API_IMPORTS + _imports("bench") + _imports("tests")
        if item.module.split(".")[0] in {"graph", "api", "bench", "tests"}
        for name in item.names
        if name.startswith("_") and not name.startswith("__")
    ]
    assert not private, "what is shared gets a public name in the module that owns it:\n" + "\n".join(private)


@pytest.mark.parametrize("room", sorted(ROOMS))
def test_each_room_says_what_lives_there_and_names_its_public_surface(room: str) -> None:
    init = GRAPH / room / "__init__.py"
    tree = ast.parse(init.read_text("utf-8"))
    docstring = ast.get_docstring(tree) or ""
    assert "Imports" in docstring, f"{init}: the docstring says what the room may import"
    exported = _all(tree)
    assert exported, f"{init}: __all__ names the public surface"
    modules = {p.stem for p in (GRAPH / room).glob("*.py") if p.stem != "__init__"}
    modules |= {p.name for p in (GRAPH / room).iterdir() if (p / "__init__.py").is_file()}
    defined = _defined_names(tree)
    unknown = [name for name in exported if name not in modules | defined]
    assert unknown == [], f"{init}: __all__ names what does not exist"


def test_other_rooms_and_api_use_only_what_a_room_makes_public() -> None:
    """A module of a room that its __all__ does not name is the room's own business."""
    public = {room: set(_all(ast.parse((GRAPH / room / "__init__.py").read_text("utf-8")))) for room in ROOMS}
    wrong = []
    for item in GRAPH_IMPORTS + API_IMPORTS:
        here = _room(_module_of(item.source)) if item.source.is_relative_to(GRAPH) else "api"
        for target in _targets(item):
            parts = target.split(".")
            if parts[0] != "graph" or len(parts) < 3 or parts[1] == here or parts[1] not in ROOMS:
                continue
            if parts[2] not in public[parts[1]]:
                wrong.append(f"{item.where()} imports {target}, which graph/{parts[1]}/__init__.py does not name")
    assert not wrong, "\n".join(wrong)


def _all(tree: ast.Module) -> list[str]:
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
            value = ast.literal_eval(node.value)
            assert isinstance(value, list)
            return [str(name) for name in value]
    return []


def _defined_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.ImportFrom):
            names.update(alias.asname or alias.name for alias in node.names)
    return names
