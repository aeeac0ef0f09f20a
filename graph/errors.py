"""User-facing errors and warnings of ingestion, each naming where in the input it arose."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where something is in an input file: the file, and optionally a table row, column, page and text line.

    `line` counts lines of a text file, paragraphs of a .docx, source lines of a web page, and lines within `page`
    of a PDF.
    """

    file: str
    row: int | None = None
    column: str | None = None
    line: int | None = None
    page: int | None = None

    def relative_to(self, root: Path) -> Location:
        """The same place with the file named relative to `root` when it lies under it."""
        path = Path(self.file)
        if path.is_absolute() and path.is_relative_to(root):
            return replace(self, file=str(path.relative_to(root)))
        return self

    def sort_key(self) -> tuple[str, int, int]:
        return (self.file, self.row or 0, (self.page or 0) * 1_000_000 + (self.line or 0))

    def describe(self) -> str:
        parts = [self.file]
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        return ", ".join(parts)


class PolicyKGError(Exception):
    """Base class of errors caused by input or configuration, reported to users without a traceback."""


class InputError(PolicyKGError):
    """A file that cannot be read as what it claims to be, with the place and a hint at the fix."""

    def __init__(self, where: Location, message: str) -> None:
        self.where = where
        self.message = message
        super().__init__(f"{where.describe()}: {message}")


class ConfigError(PolicyKGError):
    """A manifest, registry or setting that is missing or inconsistent."""


@dataclass(frozen=True)
class Notice:
    """A warning or note about the input that does not stop a build (an unknown agency, a merged cell)."""

    where: Location
    message: str
    severity: str = "warning"

    def __str__(self) -> str:
        return f"{self.where.describe()}: {self.message}"
