"""Reading the TOML data files ingestion is configured by: the manifest, the agency registry, the jurisdictions."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from graph.errors import ConfigError


def read_toml(path: Path, what: str) -> dict[str, Any]:
    """The file's table; ConfigError naming the file when it is missing or not TOML (`what` says which file)."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: {what} not found") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML ({error})") from None
