"""A picture of the ontology, drawn from its triples: PolicyKG's classes as boxes, object properties as arrows from
domain to range, subclass edges as hollow-headed arrows, and the alignments to ELI, ORG, SKOS, Dublin Core, PROV and
FOAF written on the boxes and arrows (⊑ for a subclass or subproperty, ≡ for an enumerated class).

The layout is layered: ranges and subclasses sit below the classes that point at them, at most WIDTH boxes to a
layer, ordered to reduce crossings. `python -m graph.pictures.ontology` writes docs/ontology.svg from
ontology/policykg.ttl; `--check` fails when the committed picture is out of date.
"""

from __future__ import annotations

import argparse
import itertools
import sys
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from graph import bundled
from graph.pictures import layered, svg
from graph.pictures.svg import Words, element, number
from graph.rdf.namespaces import OWL, PREFIXES, RDF, RDFS

OWN = PREFIXES["pkg"]
PICTURE = Path("docs") / "ontology.svg"
WIDTH = 5  # most classes in one layer
BOX_MIN, BOX_MAX, PAD = 120.0, 250.0, 9.0
GAP_X, MARGIN = 34.0, 24.0
TITLE_SIZE, LINE_SIZE, SMALL_SIZE = 13.0, 11.0, 9.5
EDGE_COLOUR, SUBCLASS_COLOUR, ALIGN_COLOUR = "#3d4f66", "#7a4fa0", "#1c6e4a"
BOX_FILL, BOX_STROKE = "#eef3f9", "#6d8bb0"


# --- reading the ontology ----------------------------------------------------------------------------------
Node = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


class Triples:
    """The ontology's triples, indexed by subject and predicate."""

    def __init__(self, triples: Iterable[pyoxigraph.Triple | pyoxigraph.Quad]) -> None:
        self.objects: dict[tuple[str, str], list[Node]] = defaultdict(list)
        self.subjects: dict[tuple[str, str], list[str]] = defaultdict(list)
        for triple in triples:
            subject, predicate, value = _key(triple.subject), triple.predicate.value, triple.object
            if isinstance(value, pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal):
                self.objects[(subject, predicate)].append(value)
                if isinstance(value, pyoxigraph.NamedNode):
                    self.subjects[(value.value, predicate)].append(subject)

    def values(self, subject: str, predicate: str) -> list[Node]:
        return self.objects.get((subject, predicate), [])

    def typed(self, kind: str) -> list[str]:
        return sorted(s for s in set(self.subjects.get((kind, str(RDF.type)), [])) if not s.startswith("_:"))

    def words(self, subject: str, predicate: str) -> Words:
        """The Chinese and English values of a property (e.g. rdfs:label) of `subject`."""
        found: dict[str, str] = {}
        for value in self.values(subject, predicate):
            if isinstance(value, pyoxigraph.Literal):
                found.setdefault((value.language or "").split("-")[0], value.value)
        return Words(found.get("zh", ""), found.get("en", ""))

    def label(self, subject: str) -> Words:
        return self.words(subject, str(RDFS.label))

    def members(self, node: Node) -> list[str]:
        """A named class, or the members of a class given as owl:unionOf or owl:oneOf a list."""
        if isinstance(node, pyoxigraph.NamedNode):
            return [node.value]
        key = _key(node)
        for predicate in (str(OWL.unionOf), str(OWL.oneOf)):
            for head in self.values(key, predicate):
                return self._list(head)
        return []

    def _list(self, head: Node) -> list[str]:
        items: list[str] = []
        seen: set[str] = set()
        while isinstance(head, pyoxigraph.BlankNode) and _key(head) not in seen:
            seen.add(_key(head))
            items += [v.value for v in self.values(_key(head), str(RDF.first)) if isinstance(v, pyoxigraph.NamedNode)]
            head = next(iter(self.values(_key(head), str(RDF.rest))), pyoxigraph.NamedNode(str(RDF.nil)))
        return items


def _key(node: object) -> str:
    return "_:" + node.value if isinstance(node, pyoxigraph.BlankNode) else getattr(node, "value", "")


def curie(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@dataclass
class Box:
    """A class of the ontology with the lines its box shows."""

    iri: str
    label: Words
    aligned: list[str]  # external superclasses, as CURIEs
    one_of: list[str]
    attributes: list[str]  # datatype properties whose domain it is
    loops: list[list[str]] = field(default_factory=list)  # labels of properties from the class to itself
    members: list[Box] = field(default_factory=list)  # for a family: the subclasses drawn side by side in it
    width: float = 0.0
    height: float = 0.0
    slot: float = 0.0  # the width it takes in its layer: the box, and its loops' labels to the right
    layer: int = 0
    x: float = 0.0  # left of the slot
    y: float = 0.0

    @property
    def name(self) -> str:
        return curie(self.iri)


@dataclass(frozen=True)
class Arrow:
    """An object property (or several with the same domain and range), or a subclass edge."""

    source: str
    target: str
    subclass: bool
    labels: tuple[str, ...]


@dataclass
class Model:
    version: str
    title: Words
    boxes: dict[str, Box]
    arrows: list[Arrow]
    external: dict[str, list[str]]  # namespace prefix -> the classes of that vocabulary the ontology declares
    unplaced: list[str]  # object properties with a domain or range outside PolicyKG's classes


def read(triples: Triples) -> Model:
    """The classes, arrows and alignments of the ontology's own namespace."""
    classes = triples.typed(str(OWL.Class))
    own = [iri for iri in classes if iri.startswith(OWN)]
    boxes = {iri: _box(triples, iri) for iri in own}
    arrows = [Arrow(iri, s.value, True, ()) for iri in own for s in _supers(triples, iri) if s.value in boxes]
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    unplaced = []
    for prop in triples.typed(str(OWL.ObjectProperty)):
        if not prop.startswith(OWN):
            continue
        pairs = [(d, r) for d in _ends(triples, prop, RDFS.domain) for r in _ends(triples, prop, RDFS.range)]
        placed = [(d, r) for d, r in pairs if d in boxes and r in boxes]
        unplaced += [] if placed else [_property_label(triples, prop)]
        for pair in placed:
            grouped[pair].append(_property_label(triples, prop))
    for (domain, range_), labels in sorted(grouped.items()):
        if domain == range_:
            boxes[domain].loops.append(labels)
        else:
            arrows.append(Arrow(domain, range_, False, tuple(labels)))
    for prop in triples.typed(str(OWL.DatatypeProperty)):
        for domain in _ends(triples, prop, RDFS.domain):
            if prop.startswith(OWN) and domain in boxes:
                boxes[domain].attributes.append(curie(prop).removeprefix("pkg:"))
    _families(boxes, arrows)
    return Model(_version(triples), _title(triples), boxes, arrows, _external(classes), unplaced)


FAMILY = "family:"


def _families(boxes: dict[str, Box], arrows: list[Arrow]) -> None:
    """Subclasses with nothing else attached (no property, no subclass of their own) are drawn side by side in one
    frame under their superclass, with one hollow arrow (UML's shared generalisation): it keeps the picture narrow."""
    touching: dict[str, int] = defaultdict(int)
    for arrow in arrows:
        touching[arrow.source] += 1
        touching[arrow.target] += 1
    leaves: dict[str, list[str]] = defaultdict(list)
    for arrow in arrows:
        if arrow.subclass and touching[arrow.source] == 1 and not boxes[arrow.source].loops:
            leaves[arrow.target].append(arrow.source)
    for parent, members in sorted(leaves.items()):
        if len(members) < 2:
            continue
        family = FAMILY + parent
        boxes[family] = Box(family, Words("", ""), [], [], [], members=[boxes.pop(m) for m in sorted(members)])
        arrows[:] = [a for a in arrows if a.source not in members]
        arrows.append(Arrow(family, parent, True, ()))


def _box(triples: Triples, iri: str) -> Box:
    aligned = [curie(s.value) for s in _supers(triples, iri) if not s.value.startswith(OWN)]
    one_of = [curie(m) for v in triples.values(iri, str(OWL.equivalentClass)) for m in _one_of(triples, v)]
    return Box(iri, triples.label(iri), sorted(aligned), one_of, [])


def _supers(triples: Triples, iri: str) -> list[pyoxigraph.NamedNode]:
    found = [v for v in triples.values(iri, str(RDFS.subClassOf)) if isinstance(v, pyoxigraph.NamedNode)]
    return sorted(found, key=lambda node: node.value)


def _one_of(triples: Triples, node: Node) -> list[str]:
    return triples._list(next(iter(triples.values(_key(node), str(OWL.oneOf))), pyoxigraph.NamedNode(str(RDF.nil))))


def _ends(triples: Triples, prop: str, which: object) -> list[str]:
    return sorted({member for node in triples.values(prop, str(which)) for member in triples.members(node)})


def _property_label(triples: Triples, prop: str) -> str:
    supers = [
        curie(v.value) for v in triples.values(prop, str(RDFS.subPropertyOf)) if isinstance(v, pyoxigraph.NamedNode)
    ]
    return " ".join([curie(prop), *(f"⊑ {s}" for s in sorted(supers))])


def _external(classes: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for iri in classes:
        name = curie(iri)
        if not iri.startswith(OWN) and ":" in name and not name.startswith("http"):
            found[name.split(":")[0]].append(name)
    return dict(sorted(found.items()))


def _version(triples: Triples) -> str:
    for ontology in triples.typed(str(OWL.Ontology)):
        for value in triples.values(ontology, str(OWL.versionInfo)):
            return value.value
    return ""


def _title(triples: Triples) -> Words:
    for ontology in triples.typed(str(OWL.Ontology)):
        title = triples.words(ontology, PREFIXES["dct"] + "title")
        return Words(title.zh or "PolicyKG", title.en or "PolicyKG")
    return Words("PolicyKG 本体", "PolicyKG ontology")


# --- measuring boxes -------------------------------------------------------------------------------------
def box_lines(box: Box) -> list[tuple[str, float, str]]:
    """(text, font size, kind) of each line of a box: its name, labels, alignments, enumeration and attributes."""
    lines = [(box.name, TITLE_SIZE, "name")]
    if box.label.zh or box.label.en:
        lines.append((" · ".join(t for t in (box.label.zh, box.label.en) if t), LINE_SIZE, "label"))
    lines += [(f"⊑ {name}", SMALL_SIZE, "aligned") for name in box.aligned]
    if box.one_of:
        lines += [(line, SMALL_SIZE, "one-of") for line in _wrap("≡ {" + ", ".join(box.one_of) + "}", SMALL_SIZE)]
    if box.attributes:
        lines += [(line, SMALL_SIZE, "attributes") for line in _wrap(", ".join(sorted(box.attributes)), SMALL_SIZE)]
    return lines


def _wrap(text: str, size: float) -> list[str]:
    lines, current = [], ""
    for word in text.split(" "):
        trial = f"{current} {word}".strip()
        if current and svg.text_width(trial, size) > BOX_MAX - 2 * PAD:
            lines.append(current)
            trial = word
        current = trial
    return [*lines, current] if current else lines


FAMILY_PAD, FAMILY_GAP, FAMILY_ROW = 6.0, 8.0, 3


def _family_rows(box: Box) -> list[list[Box]]:
    return [box.members[i : i + FAMILY_ROW] for i in range(0, len(box.members), FAMILY_ROW)]


def measure(box: Box) -> None:
    if box.members:
        for member in box.members:
            measure(member)
        rows = _family_rows(box)
        box.width = max(sum(m.width for m in row) + FAMILY_GAP * (len(row) - 1) for row in rows) + 2 * FAMILY_PAD
        box.height = sum(max(m.height for m in row) for row in rows) + FAMILY_GAP * (len(rows) - 1) + 2 * FAMILY_PAD
        box.slot = box.width
        return
    lines = box_lines(box)
    widest = max(svg.text_width(text, size) for text, size, _ in lines)
    box.width = min(BOX_MAX, max(BOX_MIN, widest + 2 * PAD))
    box.height = 2 * PAD + sum(size + 4 for _, size, _ in lines)
    loop_labels = [svg.text_width(label, SMALL_SIZE) for labels in box.loops for label in labels]
    box.slot = box.width + (40 + max(loop_labels) if loop_labels else 0)


# --- layers and routes: long arrows pass through dummy points in the layers they cross -----------------------
def class_layers(model: Model) -> list[list[str]]:
    """Classes by layer: a property's range below its domain, a subclass below its superclass, WIDTH to a layer."""
    below: dict[str, set[str]] = defaultdict(set)
    for arrow in model.arrows:
        upper, lower = (arrow.target, arrow.source) if arrow.subclass else (arrow.source, arrow.target)
        below[upper].add(lower)
    degree = {iri: sum(iri in (a.source, a.target) for a in model.arrows) for iri in model.boxes}
    rows = layered.layers(sorted(model.boxes), below, degree, WIDTH)
    for index, row in enumerate(rows):
        for iri in row:
            model.boxes[iri].layer = index
    return rows


@dataclass
class Route:
    arrow: Arrow
    upper: str
    lower: str
    via: list[tuple[str, int]]  # a dummy node in each layer between, with its layer

    @property
    def chain(self) -> list[str]:
        return [self.upper, *(dummy for dummy, _ in self.via), self.lower]


def routes(model: Model, rows: list[list[str]]) -> list[Route]:
    """Each arrow from its upper to its lower end, with a dummy added to every layer between."""
    found = []
    for index, arrow in enumerate(model.arrows):
        one, two = model.boxes[arrow.source], model.boxes[arrow.target]
        upper, lower = (one, two) if one.layer < two.layer else (two, one)
        via = [(f"~{index}~{layer}", layer) for layer in range(upper.layer + 1, lower.layer)]
        for dummy, layer in via:
            rows[layer].append(dummy)
        found.append(Route(arrow, upper.iri, lower.iri, via))
    return found


DUMMY_WIDTH = 14.0


# --- drawing ---------------------------------------------------------------------------------------------
HEADER, LAYER_GAP, LABEL_LINE = 64.0, 44.0, 12.0
Point = tuple[float, float]


@dataclass
class Scene:
    """Where everything goes: slot centres, layer tops and heights, and each route's points."""

    centre: dict[str, float]
    tops: list[float]
    heights: list[float]
    points: list[list[Point]]
    routes: list[Route]
    width: float
    bottom: float


def ontology_svg(
    source: Iterable[pyoxigraph.Triple | pyoxigraph.Quad],
    lang: str = "zh",
    href: dict[str, str] | None = None,
    standalone: bool = False,
) -> str:
    """The picture of the ontology in `source`; `href` maps a class IRI to the address its box links to (default:
    the IRI itself)."""
    triples = Triples(source)
    model = read(triples)
    scene = lay_out(model)
    title = Words(f"{model.title.zh} {model.version}".strip(), f"{model.title.en} {model.version}".strip())
    description = _description(model)
    legend_top = scene.bottom + 28
    namespaces = list(model.external.items())
    height = legend_top + 70 + 16 * len(namespaces) + (16 if model.unplaced else 0)
    root = svg.document(scene.width, height, title.shown(lang), description.shown(lang), lang, "ontology")
    defs = element(root, "defs")
    svg.arrow_marker(defs, "ontology-arrow", EDGE_COLOUR)
    svg.arrow_marker(defs, "ontology-subclass", SUBCLASS_COLOUR, hollow=True)
    element(root, "rect", width=number(scene.width), height=number(height), fill=svg.PAPER)
    element(root, "text", title.both(lang), x=MARGIN, y=28, font_size=16, font_weight=600)
    source_words = Words("由 ontology/policykg.ttl 生成", "generated from ontology/policykg.ttl")
    element(root, "text", source_words.both(lang), x=MARGIN, y=46, font_size=10.5, fill=svg.MUTED)
    _draw_routes(root, model, scene, lang)
    for box in model.boxes.values():
        if box.members:
            element(
                root,
                "rect",
                x=number(box.x),
                y=number(box.y),
                width=number(box.width),
                height=number(box.height),
                rx=7,
                fill="none",
                stroke=SUBCLASS_COLOUR,
                stroke_dasharray="4 3",
                class_="family",
            )
        for each in box.members or [box]:
            _draw_box(root, triples, each, (href or {}).get(each.iri, each.iri) or None, lang)
    _draw_labels(root, model, scene)
    _legend(root, model, legend_top, lang)
    return svg.serialize(root, standalone)


def _description(model: Model) -> Words:
    classes, arrows = (
        sum(len(b.members) or 1 for b in model.boxes.values()),
        [a for a in model.arrows if not a.subclass],
    )
    properties = sum(len(a.labels) for a in arrows) + sum(
        len(labels) for b in model.boxes.values() for labels in b.loops
    )
    vocabularies = "、".join(model.external)
    return Words(
        f"PolicyKG 本体的 {classes} 个类（方框）、{properties} 个对象属性（从定义域指向值域的箭头）和子类关系"
        f"（空心箭头），以及与外部词表（{vocabularies}）的对齐（⊑ 表示子类或子属性）。",
        f"The {classes} classes of the PolicyKG ontology (boxes), its {properties} object properties (arrows from "
        f"domain to range) and subclass relations (hollow arrows), and its alignments with external vocabularies "
        f"({', '.join(model.external)}; ⊑ marks a subclass or subproperty).",
    )


def lay_out(model: Model) -> Scene:
    for box in model.boxes.values():
        measure(box)
    rows = class_layers(model)
    found = routes(model, rows)
    chains = [route.chain for route in found]
    layered.order(rows, chains)
    widths = {node: _slot(model, node) for row in rows for node in row}
    centre = layered.place(rows, widths, chains, GAP_X)
    left = min((centre[n] - _slot(model, n) / 2 for row in rows for n in row), default=0.0)
    centre = {node: x - left + MARGIN for node, x in centre.items()}
    heights = [max((model.boxes[n].height for n in row if n in model.boxes), default=20.0) for row in rows]
    gaps = [LAYER_GAP] * len(rows)
    for route in found:
        if route.arrow.labels:
            layer = model.boxes[route.upper].layer
            gaps[layer] = max(gaps[layer], 30 + LABEL_LINE * len(route.arrow.labels) * 1.6)
    tops, bottom = [], HEADER
    for height, gap in zip(heights, gaps, strict=True):
        tops.append(bottom)
        bottom += height + gap
    for box in model.boxes.values():
        box.x, box.y = centre[box.iri] - box.slot / 2, tops[box.layer]
        y = box.y + FAMILY_PAD
        for row in _family_rows(box) if box.members else []:
            x = box.x + FAMILY_PAD
            for member in row:
                member.x, member.y = x, y
                x += member.width + FAMILY_GAP
            y += max(m.height for m in row) + FAMILY_GAP
    points = [_points(model, route, centre, tops, heights, found) for route in found]
    right = max((centre[n] + _slot(model, n) / 2 for row in rows for n in row), default=0.0)
    return Scene(centre, tops, heights, points, found, max(right + MARGIN, 760.0), bottom - gaps[-1])


def _slot(model: Model, node: str) -> float:
    return model.boxes[node].slot if node in model.boxes else DUMMY_WIDTH


def _points(
    model: Model, route: Route, centre: dict[str, float], tops: list[float], heights: list[float], every: list[Route]
) -> list[Point]:
    upper, lower = model.boxes[route.upper], model.boxes[route.lower]
    points = [(_port(model, upper, route, every, below=True, centre=centre), upper.y + upper.height)]
    for dummy, layer in route.via:
        points += [(centre[dummy], tops[layer]), (centre[dummy], tops[layer] + heights[layer])]
    points.append((_port(model, lower, route, every, below=False, centre=centre), lower.y))
    return points


def _port(model: Model, box: Box, route: Route, every: list[Route], below: bool, centre: dict[str, float]) -> float:
    """Where a route leaves the bottom (or enters the top) of a box: ends spread in the order of their far ends."""
    attached = [r for r in every if (r.upper if below else r.lower) == box.iri]

    def far(r: Route) -> tuple[float, str]:
        chain = r.chain
        return (centre[chain[1] if below else chain[-2]], r.arrow.source + r.arrow.target)

    attached.sort(key=far)
    index = attached.index(route)
    return box.x + box.width * (index + 1) / (len(attached) + 1)


def _path(points: list[Point]) -> str:
    (x, y), rest = points[0], points[1:]
    parts = [f"M{number(x)},{number(y)}"]
    for bx, by in rest:
        middle = number((y + by) / 2)
        parts.append(f"C{number(x)},{middle} {number(bx)},{middle} {number(bx)},{number(by)}")
        x, y = bx, by
    return " ".join(parts)


def _draw_routes(root: ET.Element, model: Model, scene: Scene, lang: str) -> None:
    group = element(root, "g", class_="arrows", fill="none", stroke_width=1.3)
    for route, points in zip(scene.routes, scene.points, strict=True):
        arrow = route.arrow
        head_at_lower = arrow.target == route.lower
        marker = "url(#ontology-subclass)" if arrow.subclass else "url(#ontology-arrow)"
        path = element(
            group,
            "path",
            d=_path(points),
            stroke=SUBCLASS_COLOUR if arrow.subclass else EDGE_COLOUR,
            marker_end=marker if head_at_lower else None,
            marker_start=None if head_at_lower else marker,
            class_="subclass" if arrow.subclass else "property",
            data_source=" ".join(m.name for m in model.boxes[arrow.source].members) or curie(arrow.source),
            data_target=curie(arrow.target),
        )
        kind = Words("子类", "subclass of") if arrow.subclass else Words("对象属性", "object property")
        what = ", ".join(arrow.labels) if arrow.labels else kind.shown(lang)
        source = model.boxes[arrow.source]
        names = ", ".join(m.name for m in source.members) if source.members else source.name
        element(path, "title", f"{names} → {curie(arrow.target)}: {what}")
    for box in model.boxes.values():
        _draw_loops(group, box)


def _draw_loops(group: ET.Element, box: Box) -> None:
    right, middle = box.x + box.width, box.y + box.height / 2
    for index, labels in enumerate(box.loops):
        top, bottom = middle - 8 - 12 * index, middle + 8 + 12 * index
        reach = right + 30 + 10 * index
        d = (
            f"M{number(right)},{number(top)} C{number(reach)},{number(top - 14)} "
            f"{number(reach)},{number(bottom + 14)} {number(right)},{number(bottom)}"
        )
        path = element(
            group,
            "path",
            d=d,
            stroke=EDGE_COLOUR,
            marker_end="url(#ontology-arrow)",
            class_="property loop",
            data_source=box.name,
            data_target=box.name,
        )
        element(path, "title", f"{box.name} → {box.name}: {', '.join(labels)}")


def _draw_box(root: ET.Element, triples: Triples, box: Box, href: str | None, lang: str) -> None:
    link = element(root, "a", href=href, aria_label=f"{box.name} {box.label.shown(lang)}".strip())
    group = element(link, "g", class_="class", data_term=box.name)
    definition = triples.words(box.iri, PREFIXES["skos"] + "definition")
    tooltip = [
        box.name,
        box.label.both(lang),
        definition.both(lang, "\n"),
    ]
    element(group, "title", "\n".join(line for line in tooltip if line.strip(" /\n")))
    element(
        group,
        "rect",
        x=number(box.x),
        y=number(box.y),
        width=number(box.width),
        height=number(box.height),
        rx=5,
        fill=BOX_FILL,
        stroke=BOX_STROKE,
        stroke_width=1.2,
    )
    y = box.y + PAD
    colours = {
        "name": svg.INK,
        "label": svg.INK,
        "aligned": ALIGN_COLOUR,
        "one-of": ALIGN_COLOUR,
        "attributes": svg.MUTED,
    }
    for line, size, kind in box_lines(box):
        y += size + 1
        element(
            group,
            "text",
            line,
            x=number(box.x + PAD),
            y=number(y),
            font_size=number(size),
            fill=colours[kind],
            font_weight=600 if kind == "name" else None,
            class_=kind,
        )
        y += 3
    for index, labels in enumerate(box.loops):
        x, top = box.x + box.width + 42 + 10 * index, box.y + box.height / 2 - 6 * len(labels) + 9 + 24 * index
        text = element(
            group, "text", x=number(x), y=number(top), font_size=SMALL_SIZE, fill=EDGE_COLOUR, class_="loop-label"
        )
        for row, label in enumerate(labels):
            element(text, "tspan", label, x=number(x), dy=0 if row == 0 else LABEL_LINE)


def _draw_labels(root: ET.Element, model: Model, scene: Scene) -> None:
    """Each property's names on its arrow, in a gap between layers, on a white halo: at the first place along the
    arrow where they overlap no other names and no box."""
    group = element(
        root,
        "g",
        class_="property-labels",
        font_size=SMALL_SIZE,
        fill=EDGE_COLOUR,
        text_anchor="middle",
        stroke=svg.PAPER,
        stroke_width=3.5,
        paint_order="stroke",
        stroke_linejoin="round",
    )
    taken = [(b.x, b.y, b.width, b.height) for b in model.boxes.values()]
    for route, points in sorted(
        zip(scene.routes, scene.points, strict=True), key=lambda rp: (rp[1][0][1], rp[1][0][0])
    ):
        if not route.arrow.labels:
            continue
        width = max(svg.text_width(label, SMALL_SIZE) for label in route.arrow.labels) + 4
        height = LABEL_LINE * len(route.arrow.labels)
        spots = [
            _along(a, b, t, width, height)
            for a, b in itertools.pairwise(points)
            if a[0] != b[0] or a[1] != b[1]
            for t in (0.5, 0.35, 0.65, 0.2, 0.8)
        ]
        spot = next((spot for spot in spots if not any(_overlap(spot, other) for other in taken)), spots[0])
        taken.append(spot)
        x = spot[0] + width / 2
        text = element(group, "text", x=number(x), y=number(spot[1] + SMALL_SIZE), class_="property-label")
        for line, label in enumerate(route.arrow.labels):
            element(text, "tspan", label, x=number(x), dy=0 if line == 0 else LABEL_LINE)


Rect = tuple[float, float, float, float]


def _along(a: Point, b: Point, t: float, width: float, height: float) -> Rect:
    """The rectangle of a label centred at `t` of the way from a to b (on the curve _path draws between them)."""
    x = a[0] + (b[0] - a[0]) * (3 * t * t - 2 * t * t * t)  # the cubic with vertical tangents at both ends
    y = a[1] + (b[1] - a[1]) * t
    return (x - width / 2, y - height / 2, width, height)


def _overlap(one: Rect, two: Rect) -> bool:
    return (
        one[0] < two[0] + two[2] and two[0] < one[0] + one[2] and one[1] < two[1] + two[3] and two[1] < one[1] + one[3]
    )


def _legend(root: ET.Element, model: Model, top: float, lang: str) -> None:
    legend = element(root, "g", class_="legend", font_size=10.5, transform=f"translate({number(MARGIN)},{number(top)})")
    property_words = Words("对象属性：定义域 → 值域", "object property: domain → range").both(lang)
    element(legend, "path", d="M0,6 L34,6", stroke=EDGE_COLOUR, stroke_width=1.3, marker_end="url(#ontology-arrow)")
    element(legend, "text", property_words, x=42, y=10)
    x = 42 + svg.text_width(property_words, 10.5) + 30
    element(
        legend,
        "path",
        d=f"M{number(x)},6 L{number(x + 34)},6",
        stroke=SUBCLASS_COLOUR,
        stroke_width=1.3,
        marker_end="url(#ontology-subclass)",
    )
    element(
        legend,
        "text",
        Words(
            "子类 → 父类（虚线框：同一父类的子类）", "subclass → superclass (dashed frame: subclasses of one class)"
        ).both(lang),
        x=number(x + 42),
        y=10,
    )
    aligned = Words(
        "⊑ 与外部词表对齐（子类、子属性）；≡ 枚举；灰字为数据属性",
        "⊑ aligned with an external vocabulary (subclass, subproperty); ≡ one of; grey: datatype properties",
    )
    element(legend, "text", aligned.both(lang), x=0, y=30, fill=ALIGN_COLOUR)
    declared = Words("声明而不导入的外部类：", "external classes, declared, not imported:")
    element(legend, "text", declared.both(lang), x=0, y=50, font_weight=600)
    for index, (prefix, names) in enumerate(model.external.items()):
        line = element(legend, "text", x=0, y=number(66 + 16 * index), class_="namespace")
        element(line, "tspan", f"{prefix}: <{PREFIXES.get(prefix, '')}>", fill=svg.MUTED)
        element(line, "tspan", "  " + ", ".join(names), fill=ALIGN_COLOUR)
    if model.unplaced:
        y = 66 + 16 * len(model.external)
        other = Words("其他对象属性：", "other object properties: ")
        element(legend, "text", other.shown(lang) + ", ".join(model.unplaced), x=0, y=number(y), fill=svg.MUTED)


# --- the committed picture -------------------------------------------------------------------------------
def from_file(path: Path | None = None, lang: str = "zh") -> str:
    """The picture of the ontology file (default: the bundled ontology/policykg.ttl), as a standalone SVG."""
    with (path or bundled.ontology_file()).open("rb") as handle:
        triples = list(pyoxigraph.parse(handle, format=pyoxigraph.RdfFormat.TURTLE))
    return ontology_svg(triples, lang, standalone=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.pictures.ontology", description=__doc__.splitlines()[0])
    parser.add_argument("--ontology", type=Path, help="ontology file (default: the bundled ontology/policykg.ttl)")
    parser.add_argument("--out", type=Path, default=PICTURE, help=f"SVG file to write (default: {PICTURE})")
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date (exit 1 if not)")
    args = parser.parse_args(argv)
    picture = from_file(args.ontology)
    current = args.out.read_text("utf-8") if args.out.is_file() else None
    if args.check:
        if current != picture:
            print(f"{args.out} is out of date: run python -m graph.pictures.ontology", file=sys.stderr)
            return 1
        return 0
    if current != picture:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(picture, "utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
