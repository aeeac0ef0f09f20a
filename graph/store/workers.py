"""SPARQL evaluation in worker processes that the server can kill: the only real query timeout pyoxigraph allows.

pyoxigraph's Python API has no timeout or cancel, and a cartesian COUNT(*) ignores signals; a thread cannot be
stopped. So each query runs in one of a few worker processes, each holding the on-disk store open read-only.
The worker evaluates the query and returns already-serialised bytes within a row and byte budget. When the
deadline passes (or the client goes away), the server kills that worker, which frees its CPU and memory at once,
and starts a replacement. Each worker also runs under an address-space limit, so a query that would exhaust
memory kills only its worker. A crash in the engine costs a worker, never the server.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import ctypes
import ctypes.util
import multiprocessing
import multiprocessing.connection
import os
import resource
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph

from graph.store.results import Budget, serialize_boolean, serialize_solutions, serialize_triples
from graph.store.sparql_text import names_dataset

# A worker is a fresh interpreter running only this module (no forked copies of the server's threads and locks).
# Not multiprocessing's "spawn": it re-imports the parent's main script in the child, which under `policykg serve`
# is the command line and with it rdflib, pyshacl and the whole build path (827 modules, ~77 MB per worker).
_WORKER_COMMAND = "import sys; from graph.store.workers import serve_jobs; serve_jobs(sys.argv[1:])"


@dataclass(frozen=True)
class Job:
    """A query and how to answer it: a results format name (json/xml/csv/tsv) or an RDF media type."""

    query: str
    results_format: str
    rdf_media_type: str
    budget: Budget
    prefixes: dict[str, str] = field(default_factory=dict)
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    base_iri: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What a worker answered: bytes and whether they were cut short, or an error with a stable code."""

    body: bytes = b""
    kind: str = ""  # results | boolean | graph
    truncated: bool = False
    rows: int = 0
    error: str | None = None
    message: str = ""
    seconds: float = 0.0


class QueryTimeout(Exception):
    pass


class WorkerLost(Exception):
    """The worker died: the engine crashed or the query went past the memory limit."""


class WorkersUnavailable(RuntimeError):
    """No query worker could be started (after retries): the store is unreadable or the memory limit too low."""


class PoolBusy(Exception):
    pass


# --- the worker process --------------------------------------------------------------------------------


def evaluate(store: pyoxigraph.Store, job: Job) -> Outcome:
    """Evaluate and serialise a job on `store` in this thread (pyoxigraph results never leave it)."""
    started = time.monotonic()
    options: dict[str, Any] = {"prefixes": job.prefixes, "base_iri": job.base_iri}
    try:
        if job.default_graphs or job.named_graphs:
            options["default_graph"] = [pyoxigraph.NamedNode(iri) for iri in job.default_graphs]
            options["named_graphs"] = [pyoxigraph.NamedNode(iri) for iri in job.named_graphs]
        elif not names_dataset(job.query):
            options["use_default_graph_as_union"] = True
        result = store.query(job.query, **options)
        if isinstance(result, pyoxigraph.QueryBoolean):
            return Outcome(serialize_boolean(bool(result), job.results_format), "boolean", seconds=_since(started))
        if isinstance(result, pyoxigraph.QuerySolutions):
            done = serialize_solutions(result, job.results_format, job.budget)
            return Outcome(done.body, "results", done.truncated, done.rows, seconds=_since(started))
        fmt = pyoxigraph.RdfFormat.from_media_type(job.rdf_media_type) or pyoxigraph.RdfFormat.TURTLE
        graph = serialize_triples(result, fmt, job.prefixes, job.budget)
        return Outcome(graph.body, "graph", graph.truncated, graph.rows, seconds=_since(started))
    except SyntaxError as error:
        return Outcome(error="query_syntax", message=f"the query is not valid SPARQL: {_short(error)}")
    except (RuntimeError, ValueError) as error:
        return Outcome(error="query_error", message=f"the query could not be evaluated: {_short(error)}")
    except OSError:
        return Outcome(error="store_error", message="the store could not answer; try again")


def _since(started: float) -> float:
    return round(time.monotonic() - started, 6)


def _short(error: Exception) -> str:
    return " ".join(str(error).split())[:500]


def worker_main(store_path: str, connection: multiprocessing.connection.Connection, memory_bytes: int) -> None:
    """Open the store read-only once, then answer jobs until told to stop (None) or killed."""
    if memory_bytes > 0:
        _few_malloc_arenas()
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = pyoxigraph.Store.read_only(store_path)
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        if job is None:
            return
        connection.send(evaluate(store, job))


def serve_jobs(argv: list[str]) -> None:
    """The worker process's entry point: STORE_PATH PIPE_FD MEMORY_BYTES, as `_spawn_unstarted` passes them."""
    store_path, descriptor, memory_bytes = argv
    _die_with_parent()
    worker_main(store_path, multiprocessing.connection.Connection(int(descriptor)), int(memory_bytes))


def _die_with_parent() -> None:
    """End this worker when the server is gone, even in the middle of a query (which has no cancel of its own).

    Not prctl(PR_SET_PDEATHSIG): it fires when the server *thread* that started the worker ends, and workers are
    started from short-lived threads."""
    server = os.getppid()

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True, name="policykg-parent-watch").start()


def _few_malloc_arenas() -> None:
    """Cap glibc's malloc arenas, each of which reserves 64 MiB of address space.

    The engine's threads each get an arena of their own, up to 8 per core; under the address-space limit that
    reservation, not real use, made a worker die at start ("std::system_error: Resource temporarily unavailable"
    from a thread it could not create) when the machine was busy and more threads raced to allocate.
    """
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.mallopt(_M_ARENA_MAX, 2)


_M_ARENA_MAX = -8  # from glibc's malloc.h


# --- the pool, in the server process -------------------------------------------------------------------


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]
    connection: multiprocessing.connection.Connection

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.connection.close()


class WorkerPool:
    """`size` worker processes over the store at `store_path`; `run_async` evaluates a job in one of them."""

    def __init__(self, store_path: Path, size: int, memory_bytes: int, start_timeout: float = 60) -> None:
        self.store_path = str(store_path)
        self.size = size
        self.memory_bytes = memory_bytes
        self.start_timeout = start_timeout
        self._idle: list[_Worker] = []
        self._waiting: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[_Worker]]] = (
            collections.deque()
        )
        self._lock = threading.Lock()
        self._closed = False
        self._started = False
        self._start_lock = threading.Lock()
        self._starting = 0
        self._processes: list[subprocess.Popen[bytes]] = []  # every worker started, so none outlives the pool
        weakref.finalize(self, _reap, self._processes)

    def fresh(self) -> WorkerPool:
        """An unstarted pool like this one."""
        return WorkerPool(Path(self.store_path), self.size, self.memory_bytes, self.start_timeout)

    def ensure_started(self) -> None:
        """Start the workers unless started; a caller arriving while another starts them waits for that start."""
        with self._start_lock:
            if self._started:
                return
            self.start()

    def start(self) -> None:
        """Start every worker, retrying each a few times; WorkersUnavailable if one never comes up.

        `started` turns true only once the workers are idle and ready, so a request never waits for workers
        that a failing start will not deliver."""
        workers = [self._spawn_unstarted() for _ in range(self.size)]
        try:
            for index, worker in enumerate(workers):
                workers[index] = self._ready_or_retry(worker)
        except RuntimeError:
            for worker in workers:
                worker.kill()
            raise  # `started` stays false: the next request tries again
        with self._lock:
            self._idle.extend(workers)
            self._started = True

    def _spawn_unstarted(self) -> _Worker:
        parent, child = multiprocessing.Pipe()
        descriptor = child.fileno()
        process = subprocess.Popen(
            [sys.executable, "-c", _WORKER_COMMAND, self.store_path, str(descriptor), str(self.memory_bytes)],
            pass_fds=[descriptor],
            stdin=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": os.pathsep.join(path for path in sys.path if path)},  # as the server
        )
        child.close()
        with self._lock:
            self._processes[:] = [*(p for p in self._processes if p.poll() is None), process]
        return _Worker(process, parent)

    def _await_ready(self, worker: _Worker) -> None:
        try:
            ready = worker.connection.poll(self.start_timeout) and worker.connection.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            worker.kill()
            raise RuntimeError(f"a query worker did not start on {self.store_path}")

    def _ready_or_retry(self, worker: _Worker, attempts: int = 3) -> _Worker:
        for attempt in range(attempts):
            try:
                self._await_ready(worker)
                return worker
            except RuntimeError:
                if attempt == attempts - 1:
                    raise WorkersUnavailable(
                        f"no query worker could start on {self.store_path} ({attempts} attempts)"
                    ) from None
                worker = self._spawn_unstarted()
        raise AssertionError("unreachable")

    def _replace(self) -> None:
        """Start a replacement worker in the background (spawning takes a moment)."""

        def spawn() -> None:
            try:
                worker = self._spawn_unstarted()
                self._await_ready(worker)
            except (RuntimeError, OSError, EOFError):
                with self._lock:
                    self._starting -= 1
                return
            with self._lock:
                self._starting -= 1
                if self._closed:
                    worker.kill()
                    return
                self._give(worker)

        with self._lock:
            self._starting += 1
        threading.Thread(target=spawn, daemon=True).start()

    async def checkout(self, wait: float) -> _Worker:
        """An idle worker, or the first one checked in within `wait` s (first come, first served); PoolBusy."""
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._idle:
                return self._idle.pop()
            if self._closed:
                raise PoolBusy("the query workers are shutting down")
            handed: asyncio.Future[_Worker] = loop.create_future()
            self._waiting.append((loop, handed))
        try:
            return await asyncio.wait_for(handed, wait)
        except TimeoutError:
            raise PoolBusy("every query worker is busy") from None

    def checkin(self, worker: _Worker) -> None:
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._give(worker)

    def _give(self, worker: _Worker) -> None:
        """To the longest-waiting request, else to the idle list; the condition is held."""
        while self._waiting:
            loop, handed = self._waiting.popleft()
            if not handed.done():
                loop.call_soon_threadsafe(self._deliver, handed, worker)
                return
        self._idle.append(worker)

    def _deliver(self, handed: asyncio.Future[_Worker], worker: _Worker) -> None:
        """In the waiter's loop: a waiter that gave up meanwhile passes the worker on."""
        if handed.done():
            self.checkin(worker)
        else:
            handed.set_result(worker)

    async def run_async(
        self, job: Job, timeout: float, wait: float, cancelled: Callable[[], bool] = lambda: False
    ) -> Outcome:
        """Evaluate `job` in a worker: QueryTimeout after `timeout` s or when `cancelled()` (the worker is killed),
        PoolBusy when no worker is free within `wait` s, WorkerLost when it dies. The answer is awaited on the
        worker's pipe from the event loop, with no thread hand-off."""
        worker = await self.checkout(wait)
        try:
            worker.connection.send(job)
            outcome = await self._receive_async(worker, timeout, cancelled)
        except BaseException:
            worker.kill()
            self._replace()
            raise
        self.checkin(worker)
        return outcome

    @staticmethod
    async def _receive_async(worker: _Worker, timeout: float, cancelled: Callable[[], bool]) -> Outcome:
        loop = asyncio.get_running_loop()
        readable = asyncio.Event()
        descriptor = worker.connection.fileno()
        loop.add_reader(descriptor, readable.set)
        try:
            deadline = loop.time() + timeout
            while not readable.is_set():
                remaining = deadline - loop.time()
                if remaining <= 0 or cancelled():
                    raise QueryTimeout
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(readable.wait(), min(remaining, 0.25))
        finally:
            loop.remove_reader(descriptor)
            os.set_blocking(descriptor, True)  # uvloop made it non-blocking; recv() must wait for the whole answer
        try:  # the worker writes its whole answer at once; a dead worker's pipe reads as end of file
            answer: Outcome = worker.connection.recv()
        except (EOFError, OSError):
            raise WorkerLost from None
        return answer

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
            waiting, self._waiting = list(self._waiting), collections.deque()
        for loop, handed in waiting:
            loop.call_soon_threadsafe(_refuse, handed)
        for worker in idle:
            with contextlib.suppress(OSError):
                worker.connection.send(None)
            worker.kill()

    @property
    def started(self) -> bool:
        return self._started

    @property
    def pids(self) -> list[int]:
        with self._lock:
            return [worker.process.pid for worker in self._idle]


def _reap(processes: list[subprocess.Popen[bytes]]) -> None:
    """Kill and wait for the workers of a pool that was dropped without `close` (a test's app, a reload's pool)."""
    for process in processes:
        if process.poll() is None:
            process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=5)


def _refuse(handed: asyncio.Future[_Worker]) -> None:
    if not handed.done():
        handed.set_exception(PoolBusy("the query workers are shutting down"))


def default_size() -> int:
    return max(2, os.cpu_count() or 2)
