"""Settings, read once from the environment (prefix POLICYKG_) into one typed object.

Every field is documented in the README's settings table; a test fails when one is missing there.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    out_dir: Path = Field(
        default=Path("build"),
        description="Folder where `policykg build` writes its releases; `current` points at the newest.",
    )
    manifest: Path | None = Field(
        default=None,
        description="Document manifest to build from; the bundled data/manifest.toml when unset.",
    )
    registry: Path | None = Field(
        default=None,
        description="Agency registry to build with; the bundled data/agencies.toml when unset.",
    )
    keep_releases: int = Field(
        default=3,
        ge=1,
        description="How many releases `policykg build` keeps; older ones are deleted.",
    )
