"""Settings, read once from the environment (prefix POLICYKG_) into one typed object.

Every field is documented in the README's settings table; a test fails when one is missing there.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from graph.release.build import Inputs
from graph.release.files import build_folder_manifest


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
    keep_releases: int = Field(default=3, ge=1, description="How many releases `policykg build` keeps.")
    host: str = Field(default="127.0.0.1", description="Interface `policykg serve` listens on.")
    port: int = Field(default=8000, ge=0, le=65535, description="Port `policykg serve` listens on.")
    store: str | None = Field(
        default=None,
        description="A pyoxigraph store folder, or a SPARQL 1.1 endpoint URL (e.g. Virtuoso's /sparql), to serve "
        "instead of the current release's store.",
    )
    store_user: str | None = Field(default=None, description="User name for a remote store (HTTP Digest).")
    store_password: SecretStr | None = Field(default=None, description="Password for a remote store (HTTP Digest).")
    base_iri: str = Field(
        default="https://w3id.org/policykg/",
        pattern=r"^https?://\S+/$",
        description="The IRI namespace this server answers for: {base_iri}{path} is served at /{path}.",
    )
    admin_token: SecretStr | None = Field(
        default=None,
        description="Bearer token that allows SPARQL Update and Graph Store writes; unset means read-only.",
    )
    cors_origins: list[str] = Field(
        default=["*"],
        description="Origins allowed to read cross-site (CORS), as a JSON list; never with credentials.",
    )
    max_query_bytes: int = Field(default=1_000_000, ge=1, description="Largest SPARQL request body (413 above).")
    max_upload_bytes: int = Field(default=20_000_000, ge=1, description="Largest Graph Store upload (413 above).")
    max_page_size: int = Field(default=500, ge=1, description="Largest `limit` a JSON list accepts.")
    query_timeout: float = Field(
        default=30, gt=0, description="Seconds a SPARQL query may run before its worker is killed (504)."
    )
    query_workers: int = Field(
        default=2, ge=0, description="Worker processes evaluating SPARQL queries; 0 runs them in threads (no timeout)."
    )
    worker_memory_mb: int = Field(
        default=1024, ge=0, description="Address-space limit of each query worker in MiB; 0 for none."
    )
    max_result_rows: int = Field(
        default=100_000, ge=1, description="Most rows (or triples) a SPARQL result holds; beyond, it is truncated."
    )
    max_result_bytes: int = Field(
        default=32_000_000, ge=1, description="Most bytes a SPARQL result holds; beyond, it is truncated."
    )
    max_queries_per_client: int = Field(
        default=1, ge=1, description="Queries one client (address and user agent) may run at once (429 beyond)."
    )
    feed_entries: int = Field(
        default=1000, ge=1, description="Most resource entries the change feed (/feed.atom) lists over all releases."
    )
    validate_max_bytes: int = Field(
        default=10_000_000, ge=1, description="Largest file POST /api/validate and /validate accept (413 above)."
    )
    validate_timeout: float = Field(
        default=60, gt=0, description="Seconds a validation may run before its process is killed (504)."
    )
    queue_wait: float = Field(
        default=10, ge=0, description="Seconds a query waits for a free worker before a 503 with Retry-After."
    )

    @property
    def store_is_remote(self) -> bool:
        return self.store is not None and self.store.startswith(("http://", "https://"))

    @property
    def store_auth(self) -> tuple[str, str] | None:
        if self.store_user is None or self.store_password is None:
            return None
        return self.store_user, self.store_password.get_secret_value()

    def inputs(self, out_dir: Path | None = None, manifest: Path | None = None, registry: Path | None = None) -> Inputs:
        """The manifest and registry given (on a command line), else these settings'; else the build folder's
        manifest (that `policykg add FILE` writes) when it exists, and the bundled ones."""
        defaults = Inputs()
        folder_manifest = build_folder_manifest((out_dir or self.out_dir).resolve())
        return Inputs(
            manifest=manifest or self.manifest or (folder_manifest if folder_manifest.is_file() else None)
            or defaults.manifest,
            registry=registry or self.registry or defaults.registry,
        )  # fmt: skip
