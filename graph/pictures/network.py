"""The collaboration network of responsible units: two units are linked when they are assigned to the same tasks
(the weight is how many), and a unit's disc has an area proportional to the tasks it leads and joins, the tasks it
leads as a dark inner disc. The layout is computed here, deterministically: the busiest unit (or, for one unit's
network, that unit) in the middle, the others on a ring ordered so that units sharing tasks sit near each other."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph

from graph.pictures import svg
from graph.pictures.svg import Words, element, number
from graph.views.records import Labels, Views

Href = Callable[[str], str]  # the address a picture links a resource IRI to; "" for none
LEAD_COLOUR, JOIN_COLOUR, EDGE_COLOUR, EGO_EDGE_COLOUR = "#9b1c1c", "#f2b8a8", "#8a94a3", "#b4541e"
SMOOTHING_ROUNDS = 40  # passes of the ring ordering; it settles long before on the bundled data
LABEL_WIDTH = 210.0  # longest label, in px; longer names are cut (the tooltip and the unit's page have them whole)


@dataclass(frozen=True)
class Unit:
    iri: str
    id: str
    label: Labels
    short: str  # the name the task tables use for it most often (else its Chinese label)
    leads: int
    joins: int

    @property
    def tasks(self) -> int:
        return self.leads + self.joins


@dataclass(frozen=True)
class Pair:
    """Two units (by IRI, in IRI order) and the number of tasks both are assigned to."""

    first: str
    second: str
    shared: int


@dataclass(frozen=True)
class Network:
    units: list[Unit]  # busiest first
    pairs: list[Pair]

    def unit(self, iri: str) -> Unit | None:
        return next((unit for unit in self.units if unit.iri == iri), None)

    def ego(self, iri: str) -> Network:
        """The unit `iri`, the units it shares tasks with, and every pair among them."""
        around = {iri} | {p.second if p.first == iri else p.first for p in self.pairs if iri in (p.first, p.second)}
        units = [unit for unit in self.units if unit.iri in around]
        return Network(units, [p for p in self.pairs if p.first in around and p.second in around])

    def weighted_degree(self, iri: str) -> int:
        return sum(p.shared for p in self.pairs if iri in (p.first, p.second))


def _value(term: object) -> str:
    return term.value if isinstance(term, pyoxigraph.NamedNode | pyoxigraph.Literal) else ""


def collaboration_network(views: Views) -> Network:
    """Every unit that has a task, and every pair of them assigned to the same tasks (queries/views)."""
    names: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for row in views.rows("unit-names"):
        names[_value(row["agency"])].append((-int(_value(row["uses"])), _value(row["name"])))
    units = [
        Unit(a.iri, a.id, a.labels, _short(names.get(a.iri, []), a.labels), a.leads, a.joins)
        for a in views.agencies()
        if a.leads + a.joins > 0
    ]
    known = {unit.iri for unit in units}
    pairs = []
    for row in views.rows("collaboration"):
        first, second = _value(row["agency"]), _value(row["other"])
        if first in known and second in known:
            pairs.append(Pair(first, second, int(_value(row["shared"]))))
    return Network(units, pairs)


def _short(uses: list[tuple[int, str]], label: Labels) -> str:
    """The name used most often, the shorter one on a tie."""
    if not uses:
        return label.any
    return min(uses, key=lambda use: (use[0], len(use[1]), use[1]))[1]


# --- layout ----------------------------------------------------------------------------------------------
def ring_order(network: Network, centre: str) -> list[str]:
    """The units other than `centre` in ring order: each moves towards the units it shares most tasks with."""
    weights: dict[str, dict[str, int]] = defaultdict(dict)
    for pair in network.pairs:
        if centre not in (pair.first, pair.second):
            weights[pair.first][pair.second] = weights[pair.second][pair.first] = pair.shared
    ring = [u.iri for u in sorted(network.units, key=lambda u: (-network.weighted_degree(u.iri), u.iri))]
    ring = [iri for iri in ring if iri != centre]
    for _ in range(SMOOTHING_ROUNDS):
        angle = {iri: 2 * math.pi * index / max(len(ring), 1) for index, iri in enumerate(ring)}
        keys = {}
        for iri in ring:
            x = 2 * math.cos(angle[iri]) + sum(w * math.cos(angle[o]) for o, w in weights[iri].items())
            y = 2 * math.sin(angle[iri]) + sum(w * math.sin(angle[o]) for o, w in weights[iri].items())
            keys[iri] = (round(math.atan2(y, x) % (2 * math.pi), 9), iri)
        reordered = sorted(ring, key=keys.__getitem__)
        if reordered == ring:
            break
        ring = reordered
    return ring


@dataclass(frozen=True)
class Placed:
    unit: Unit
    x: float
    y: float
    angle: float | None  # None for the unit in the middle
    radius: float
    inner: float


def layout(network: Network, centre: str, largest: float) -> tuple[list[Placed], float]:
    """Positions of every unit, centred on (0, 0), and the radius of the ring."""
    ring = ring_order(network, centre)
    most = max((unit.tasks for unit in network.units), default=1) or 1
    by_iri = {unit.iri: unit for unit in network.units}
    ring_radius = min(230.0, max(110.0, 15.0 * len(ring)))
    placed = []
    for index, iri in enumerate([centre, *ring]):
        unit = by_iri[iri]
        radius = max(4.0, largest * math.sqrt(unit.tasks / most))
        inner = largest * math.sqrt(unit.leads / most)
        if index == 0:
            placed.append(Placed(unit, 0.0, 0.0, None, radius, inner))
            continue
        angle = -math.pi / 2 + 2 * math.pi * (index - 1) / len(ring)
        x, y = svg.polar(0.0, 0.0, ring_radius, angle)
        placed.append(Placed(unit, x, y, angle, radius, inner))
    return placed, ring_radius


# --- drawing ---------------------------------------------------------------------------------------------
LEGEND_HEIGHT = 104.0


def network_svg(
    network: Network, href: Href, lang: str = "zh", ego: str | None = None, standalone: bool = False
) -> str:
    """The whole network, or (`ego`) one unit's: it in the middle, its pairs highlighted, the others' faint."""
    if ego is not None and network.unit(ego) is None:
        raise ValueError(f"{ego} has no task, so it is not in the network")
    shown = network.ego(ego) if ego else network
    centre = ego or _busiest(shown)
    largest = 30.0 if ego is None else 26.0
    placed, ring_radius = layout(shown, centre, largest) if centre else ([], 0.0)
    across, down = ring_radius + LABEL_WIDTH + largest + 14, ring_radius + largest + 44  # room for the labels
    width, height = 2 * across, 2 * down + LEGEND_HEIGHT
    title, description = _words(shown, ego)
    ident = "network-ego" if ego else "network"
    root = svg.document(width, height, title.shown(lang), description.shown(lang), lang, ident)
    element(root, "rect", width=number(width), height=number(height), fill=svg.PAPER)
    scene = element(root, "g", transform=f"translate({number(across)},{number(down)})")
    positions = {p.unit.iri: p for p in placed}
    _draw_pairs(scene, shown, positions, ego, lang)
    ring = len(placed) - 1
    # a label above or below the ring may reach, on either side, as far as its neighbours' discs (whose labels
    # run away from it): the width between them
    spacing = 2 * ring_radius * math.sin(2 * math.pi / ring) - 16 if ring > 4 else LABEL_WIDTH
    for each in placed:
        _draw_unit(scene, each, href, lang, each.unit.iri == ego, spacing)
    if not placed:
        element(scene, "text", Words("没有承担任务的单位", "No unit has a task").both(lang), text_anchor="middle")
    elif ego and len(placed) == 1:
        words = Words("与其他单位没有共同任务", "Shares no task with another unit")
        element(scene, "text", words.both(lang), y=number(placed[0].radius + 40), text_anchor="middle", fill=svg.MUTED)
    _legend(root, 2 * down + 8, shown, ego, lang)
    return svg.serialize(root, standalone)


def _busiest(network: Network) -> str:
    """The unit sharing the most tasks with others (by IRI on a tie); '' for an empty network."""
    ranked = sorted(network.units, key=lambda u: (-network.weighted_degree(u.iri), u.iri))
    return ranked[0].iri if ranked else ""


def _words(network: Network, ego: str | None) -> tuple[Words, Words]:
    units, pairs = len(network.units), len(network.pairs)
    how = Words(
        "圆面积表示牵头和配合的任务数之和，深色内圆表示牵头任务；连线表示共同承担任务，线越粗共同任务越多。",
        "A disc's area is the number of tasks the unit leads and joins, the dark inner disc the tasks it leads; "
        "a line joins units assigned to the same tasks, thicker for more shared tasks.",
    )
    unit = network.unit(ego) if ego else None
    if unit is None:
        title = Words("责任单位协作网络", "Collaboration network of responsible units")
        counts = Words(
            f"{units} 个承担任务的责任单位，{pairs} 对单位共同承担任务。",
            f"{units} responsible units with tasks; {pairs} pairs of them share tasks.",
        )
    else:
        name = Words(unit.label.zh or unit.short, unit.label.en or unit.label.any)
        title = Words(f"{name.zh}的协作单位", f"Units working with {name.en}")
        counts = Words(
            f"{name.zh}与 {units - 1} 个单位共同承担任务（高亮连线）；图中其他连线是这些单位之间的合作。",
            f"{name.en} shares tasks with {units - 1} units (highlighted lines); the other lines join "
            "those units to each other.",
        )
    return title, Words(counts.zh + how.zh, counts.en + " " + how.en)


def _draw_pairs(scene: ET.Element, network: Network, at: dict[str, Placed], ego: str | None, lang: str) -> None:
    most = max((pair.shared for pair in network.pairs), default=1)
    group = element(scene, "g", class_="pairs", fill="none", stroke_linecap="round")
    ordered = sorted(network.pairs, key=lambda p: (ego in (p.first, p.second), p.shared, p.first, p.second))
    for pair in ordered:
        one, two = at[pair.first], at[pair.second]
        mine = ego in (pair.first, pair.second)
        line = element(
            group,
            "line",
            x1=number(one.x),
            y1=number(one.y),
            x2=number(two.x),
            y2=number(two.y),
            stroke=EGO_EDGE_COLOUR if mine else EDGE_COLOUR,
            stroke_width=number(0.8 + 5.2 * pair.shared / most),
            stroke_opacity="0.85" if mine else ("0.25" if ego else "0.45"),
            class_="pair",
            data_first=one.unit.id,
            data_second=two.unit.id,
            data_shared=pair.shared,
        )
        names = f"{one.unit.short} — {two.unit.short}"
        shared = Words(f"共同任务 {pair.shared} 项", f"{pair.shared} shared tasks")
        element(line, "title", f"{names} · {shared.both(lang)}")


def _draw_unit(scene: ET.Element, placed: Placed, href: Href, lang: str, highlighted: bool, spacing: float) -> None:
    unit = placed.unit
    counts = Words(f"牵头 {unit.leads} 项，配合 {unit.joins} 项", f"leads {unit.leads}, joins {unit.joins}")
    names = Words(unit.label.zh or unit.short, unit.label.en or unit.label.any)
    link = element(
        scene, "a", href=href(unit.iri) or None, class_="unit", aria_label=f"{names.shown(lang)}: {counts.shown(lang)}"
    )
    group = element(link, "g", data_id=unit.id, data_leads=unit.leads, data_joins=unit.joins)
    element(group, "title", f"{names.both(lang)}\n{counts.both(lang)}")
    x, y = number(placed.x), number(placed.y)
    element(
        group,
        "circle",
        cx=x,
        cy=y,
        r=number(placed.radius),
        fill=JOIN_COLOUR,
        stroke=svg.INK if highlighted else svg.PAPER,
        stroke_width=2.5 if highlighted else 1.5,
    )
    if unit.leads:
        element(group, "circle", cx=x, cy=y, r=number(placed.inner), fill=LEAD_COLOUR)
    _label(group, placed, lang, spacing)


def _label(group: ET.Element, placed: Placed, lang: str, spacing: float) -> None:
    """Two lines beside the disc, away from the middle: the name in the page language, then in the other."""
    unit = placed.unit
    names = Words(unit.short, unit.label.en or unit.short)
    room = LABEL_WIDTH
    if placed.angle is None:
        x, y, anchor = placed.x, placed.y + placed.radius + 15, "middle"
    else:
        cos, sin = math.cos(placed.angle), math.sin(placed.angle)
        x, y = svg.polar(placed.x, placed.y, placed.radius + 6, placed.angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        y += 4 if anchor != "middle" else (12 if sin > 0 else -20)
        room = LABEL_WIDTH if anchor != "middle" else min(LABEL_WIDTH, spacing)
    first, second = svg.shorten(names.shown(lang), 12, room), svg.shorten(names.other(lang), 12, room)
    halo: svg.Attributes = {"stroke": svg.PAPER, "stroke_width": 3, "paint_order": "stroke", "stroke_linejoin": "round"}
    text = element(group, "text", x=number(x), y=number(y), text_anchor=anchor, **halo)
    element(text, "tspan", first, lang=svg.LANGUAGES[lang], font_weight=600 if placed.angle is None else None)
    other = "zh" if lang == "en" else "en"
    element(text, "tspan", second, x=number(x), dy=14, font_size=12, fill=svg.MUTED, lang=svg.LANGUAGES[other])


def _legend(root: ET.Element, top: float, network: Network, ego: str | None, lang: str) -> None:
    legend = element(root, "g", class_="legend", transform=f"translate(16,{number(top)})", font_size=12)
    element(legend, "circle", cx=10, cy=10, r=10, fill=JOIN_COLOUR)
    element(legend, "circle", cx=10, cy=10, r=5, fill=LEAD_COLOUR)
    element(
        legend,
        "text",
        Words("深色：牵头任务；浅色：配合任务", "dark: tasks led; light: tasks joined").both(lang),
        x=28,
        y=14,
    )
    most = max((pair.shared for pair in network.pairs), default=1)
    element(legend, "line", x1=0, y1=38, x2=20, y2=38, stroke=EDGE_COLOUR, stroke_width=6, stroke_opacity="0.6")
    words = Words(f"连线：共同承担的任务（最粗 = {most} 项）", f"line: tasks shared (thickest = {most})")
    element(legend, "text", words.both(lang), x=28, y=42)
    below = 62
    if ego:  # a line of its own: appended to the one above, it ran past a small picture's edge
        element(legend, "text", Words("橙色：与本单位共同承担", "orange: shared with this unit").both(lang), x=28, y=62)
        below = 82
    element(
        legend,
        "text",
        Words("点击单位打开其页面", "Select a unit to open its page").both(lang),
        x=28,
        y=below + 6,
        fill=svg.MUTED,
    )
