"""A small layered (Sugiyama-style) layout for directed graphs of labelled boxes, deterministic throughout:
layers by longest path with at most `width` nodes to a layer, crossings reduced by barycentres, and x positions
pulled towards each node's neighbours by least squares without overlaps. Nodes are strings; a chain is the list of
nodes (with dummies in the layers it crosses) that one edge passes through, from top to bottom."""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Sequence

Rows = list[list[str]]


def layers(nodes: Sequence[str], below: dict[str, set[str]], priority: dict[str, int], width: int) -> Rows:
    """Nodes by layer, each below every node that has it in `below`, at most `width` to a layer (a node that does not
    fit goes lower). Edges closing a cycle are ignored. Higher `priority` nodes are placed first within a rank."""
    below = {node: set(below.get(node, ())) & set(nodes) for node in nodes}
    _break_cycles(sorted(nodes), below)
    above: dict[str, set[str]] = defaultdict(set)
    for upper, lowers in below.items():
        for lower in lowers:
            above[lower].add(upper)
    rank: dict[str, int] = {}
    for node in _topological(sorted(nodes), below):
        rank[node] = max((rank[u] + 1 for u in above[node]), default=0)
    found: Rows = []
    layer_of: dict[str, int] = {}
    for node in sorted(nodes, key=lambda n: (rank[n], -priority.get(n, 0), n)):
        layer = max((layer_of[u] + 1 for u in above[node]), default=0)
        while layer < len(found) and len(found[layer]) >= width:
            layer += 1
        found += [[] for _ in range(layer + 1 - len(found))]
        found[layer].append(node)
        layer_of[node] = layer
    return found


def _break_cycles(nodes: list[str], below: dict[str, set[str]]) -> None:
    """Drop the edges that close a cycle (found depth first, in node order), so that layers can be ranked."""
    state: dict[str, int] = {}

    def visit(node: str) -> None:
        state[node] = 1
        for lower in sorted(below[node]):
            if state.get(lower) == 1:
                below[node].discard(lower)
            elif lower not in state:
                visit(lower)
        state[node] = 2

    for node in nodes:
        if node not in state:
            visit(node)


def _topological(nodes: list[str], below: dict[str, set[str]]) -> list[str]:
    indegree = dict.fromkeys(nodes, 0)
    for lowers in below.values():
        for lower in lowers:
            indegree[lower] += 1
    ready = sorted(node for node, count in indegree.items() if count == 0)
    ordered = []
    while ready:
        node = ready.pop(0)
        ordered.append(node)
        for lower in sorted(below[node]):
            indegree[lower] -= 1
            if indegree[lower] == 0:
                ready.append(lower)
        ready.sort()
    return ordered


def order(rows: Rows, chains: Sequence[Sequence[str]], sweeps: int = 12) -> None:
    """Reorder each layer by the mean position of its neighbours in the layer above, then below (barycentres)."""
    up: dict[str, list[str]] = defaultdict(list)
    down: dict[str, list[str]] = defaultdict(list)
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            down[a].append(b)
            up[b].append(a)
    for sweep in range(sweeps):
        if sweep % 2 == 0:
            for index in range(1, len(rows)):
                rows[index] = _by_barycentre(rows[index], rows[index - 1], up)
        else:
            for index in range(len(rows) - 2, -1, -1):
                rows[index] = _by_barycentre(rows[index], rows[index + 1], down)


def _by_barycentre(row: list[str], reference: list[str], neighbours: dict[str, list[str]]) -> list[str]:
    """`row` sorted by the mean index of each node's neighbours in `reference`; a node without any keeps its place."""
    at = {node: i for i, node in enumerate(reference)}
    current = {node: i for i, node in enumerate(row)}

    def key(node: str) -> tuple[float, int]:
        seen = [at[n] for n in neighbours[node] if n in at]
        return (sum(seen) / len(seen) if seen else current[node], current[node])

    return sorted(row, key=key)


def place(
    rows: Rows, widths: dict[str, float], chains: Sequence[Sequence[str]], gap: float, sweeps: int = 16
) -> dict[str, float]:
    """The x of each node's centre: packed in order, then pulled towards its neighbours' centres (least squares)."""
    neighbours: dict[str, list[str]] = defaultdict(list)
    for chain in chains:
        for a, b in itertools.pairwise(chain):
            neighbours[a].append(b)
            neighbours[b].append(a)
    centre: dict[str, float] = {}
    for row in rows:
        x = -(sum(widths[n] for n in row) + gap * (len(row) - 1)) / 2
        for node in row:
            centre[node] = x + widths[node] / 2
            x += widths[node] + gap
    for sweep in range(sweeps):
        for row in rows if sweep % 2 == 0 else rows[::-1]:
            wanted = [
                sum(centre[n] for n in neighbours[node]) / len(neighbours[node]) if neighbours[node] else centre[node]
                for node in row
            ]
            for node, x in zip(row, spread(wanted, [widths[n] for n in row], gap), strict=True):
                centre[node] = x
    return centre


def spread(wanted: Sequence[float], widths: Sequence[float], gap: float) -> list[float]:
    """Centres as close as possible (least squares) to `wanted`, in the given order, `gap` apart at least: nodes
    pushed together form a block placed at its members' mean (pool-adjacent-violators)."""
    offsets, total = [], 0.0
    for w in widths:
        offsets.append(total + w / 2)  # each centre from the row's start when the row is packed tight
        total += w + gap
    blocks: list[list[int]] = []
    starts: list[float] = []  # where each block's packed row would start
    for index in range(len(widths)):
        blocks.append([index])
        starts.append(wanted[index] - offsets[index])
        while len(blocks) > 1 and starts[-2] > starts[-1]:
            merged = blocks[-2] + blocks[-1]
            blocks[-2:] = [merged]
            starts[-2:] = [sum(wanted[i] - offsets[i] for i in merged) / len(merged)]
    found = [0.0] * len(widths)
    for block, start in zip(blocks, starts, strict=True):
        for index in block:
            found[index] = start + offsets[index]
    return found
