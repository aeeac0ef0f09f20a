"""SPARQL results for a terminal: an aligned plain-text table (widths in terminal cells, CJK double), CSV or JSON."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph
from rich.cells import cell_len

from graph.matrix.export import defuse
from graph.store.base import QueryResult


def term_text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, pyoxigraph.Literal | pyoxigraph.NamedNode):
        return term.value
    return str(term)


def rows_of(result: QueryResult) -> tuple[list[str], list[list[str]]]:
    if isinstance(result, pyoxigraph.QueryBoolean):
        return ["ask"], [[str(bool(result)).lower()]]
    if isinstance(result, pyoxigraph.QuerySolutions):
        names = [variable.value for variable in result.variables]
        return names, [[term_text(solution[name]) for name in names] for solution in result]
    return ["subject", "predicate", "object"], [
        [term_text(t.subject), term_text(t.predicate), term_text(t.object)] for t in result
    ]


def as_table(names: list[str], rows: list[list[str]]) -> str:
    widths = [max([cell_len(name)] + [cell_len(row[i]) for row in rows]) for i, name in enumerate(names)]

    def line(cells: list[str]) -> str:
        return "  ".join(cell + " " * (w - cell_len(cell)) for cell, w in zip(cells, widths, strict=True)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(names), rule, *(line(row) for row in rows)])


def as_csv(names: list[str], rows: list[list[str]]) -> str:
    return "\n".join(_csv_line(row) for row in [names, *([defuse(cell) for cell in row] for row in rows)])


def _csv_line(cells: list[str]) -> str:
    # the writer quotes a cell holding any character of its line terminator: with "\r\n", a bare CR is quoted
    # too, where "\n" alone would leave it to split the row (and start an undefused cell) in a spreadsheet
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(cells)
    return buffer.getvalue().removesuffix("\r\n")


def as_json(names: list[str], rows: list[list[str]]) -> str:
    return json.dumps([dict(zip(names, row, strict=True)) for row in rows], ensure_ascii=False, indent=2)


FORMATS = {"table": as_table, "csv": as_csv, "json": as_json}
