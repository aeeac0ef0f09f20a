"""What the service is serving right now, and switching it atomically when a new release is built.

A request takes one `Served` snapshot (store, views, query workers) at its start and uses it to the end, so it
sees the old graph or the new one, never a mix. When `build/current` points at a new release, the new store is
opened and its workers started in the background; only then does the snapshot switch. The old workers are
stopped once the queries they may still be running have had their time.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from api.settings import Settings
from graph.store.base import Store
from graph.store.embedded import EmbeddedStore
from graph.store.releases import CURRENT, STORE, current_release
from graph.store.remote import RemoteStore
from graph.store.workers import WorkerPool
from graph.views.records import Views

_RELOAD_CHECK_SECONDS = 0.5


@dataclass
class Served:
    release: Path | None
    store: Store
    views: Views
    pool: WorkerPool | None


class Service:
    def __init__(self, settings: Settings, store: Store | None = None) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}  # queries running per client
        self._checked = 0.0
        self._reloading = False
        self._out = settings.out_dir.resolve()
        if store is not None:
            self._served = Served(None, store, Views(store, settings.base_iri), None)
            self._watch = False
        elif settings.store is not None and settings.store_is_remote:
            remote = RemoteStore(settings.store, settings.base_iri, settings.query_timeout, settings.store_auth)
            self._served = Served(None, remote, Views(remote, settings.base_iri), None)
            self._watch = False
        elif settings.store is not None:
            self._served = self._open(None, Path(settings.store))
            self._watch = False
        else:
            release = current_release(self._out)
            if release is None:
                raise FileNotFoundError(f"{self._out}: no build yet; run `policykg build` first")
            self._served = self._open(release, release / STORE)
            self._watch = True

    def warm_up(self) -> None:
        """Start the query workers in the background, so the first query does not wait for them to spawn."""
        pool = self._served.pool
        if pool is None:
            return

        def start() -> None:
            with contextlib.suppress(RuntimeError, OSError):  # the first query tries again and reports why
                pool.ensure_started()

        threading.Thread(target=start, daemon=True, name="policykg-warm-up").start()

    def begin_query(self, client: str, limit: int) -> bool:
        """Count a query of `client` in, unless it already runs `limit` of them."""
        with self._lock:
            if self._running.get(client, 0) >= limit:
                return False
            self._running[client] = self._running.get(client, 0) + 1
            return True

    def end_query(self, client: str) -> None:
        with self._lock:
            self._running[client] -= 1
            if not self._running[client]:
                del self._running[client]

    @property
    def writable(self) -> bool:
        return self.settings.admin_token is not None

    def _open(self, release: Path | None, store_path: Path) -> Served:
        store = EmbeddedStore.open(store_path, self.writable)
        pool = None
        if self.settings.query_workers > 0:
            pool = WorkerPool(store_path, self.settings.query_workers, self.settings.worker_memory_mb * 1024 * 1024)
        return Served(release, store, Views(store, self.settings.base_iri), pool)

    def current(self) -> Served:
        """The snapshot a request should use; also notices a new release (at most twice a second)."""
        if self._watch and time.monotonic() - self._checked > _RELOAD_CHECK_SECONDS:
            self._checked = time.monotonic()
            self._maybe_reload()
        return self._served

    def _current_target(self) -> Path | None:
        """The release `current` points at now, None when it cannot be read."""
        try:
            return (self._out / os.readlink(self._out / CURRENT)).resolve()
        except OSError:
            return None

    def _maybe_reload(self) -> None:
        target = self._current_target()
        if target is None:
            return
        with self._lock:
            if self._reloading or target == self._served.release:
                return
            self._reloading = True
        threading.Thread(target=self._reload, args=(target,), daemon=True, name="policykg-reload").start()

    def _reload(self, release: Path) -> None:
        try:
            served = self._open(release, release / STORE)
            if served.pool is not None:
                served.pool.start()
        except (OSError, RuntimeError):
            with self._lock:
                self._reloading = False
            return  # keep serving the release we have; the next check tries again
        self._swap(served)

    def served_release(self) -> Path | None:
        """The release folder served, None for a store named directly or a remote one."""
        return self._served.release if self._watch else None

    def reload_now(self) -> None:
        """Serve the current release at once (after a write of this process, such as a curation decision)."""
        target = self._current_target()
        if target is not None and target != self._served.release:
            with self._lock:
                self._reloading = True
            self._reload(target)

    def restart_workers(self) -> None:
        """After a write: workers hold a read-only snapshot of the store, so start fresh ones."""
        old = self._served
        if old.pool is None or old.store.path is None:
            return
        pool = WorkerPool(old.store.path, old.pool.size, old.pool.memory_bytes)
        pool.start()
        self._swap(Served(old.release, old.store, old.views, pool))

    def _swap(self, served: Served) -> None:
        with self._lock:
            old, self._served = self._served, served
            self._reloading = False
        if old.pool is not None and old.pool is not served.pool:
            grace = self.settings.query_timeout + 5
            timer = threading.Timer(grace, old.pool.close)
            timer.daemon = True
            timer.start()

    def close(self) -> None:
        """Stop the workers; a later query starts fresh ones (an app may be started and stopped repeatedly)."""
        if isinstance(self._served.store, RemoteStore):
            self._served.store.close()
        pool = self._served.pool
        if pool is not None:
            pool.close()
            self._served = Served(self._served.release, self._served.store, self._served.views, pool.fresh())
