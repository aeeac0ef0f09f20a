"""The responsibility matrix of a task table: tasks down, units across, each cell the unit's role (`grid`), and the
same cells as CSV and XLSX (`export`) and as an SVG picture (`svg`).

Imports `graph.views`, `graph.pictures` and the shared leaves.
"""

__all__ = ["export", "grid", "svg"]
