"""Timing, process and HTTP helpers shared by the benchmark scripts (no PolicyKG code here).

Latency: one warm-up call, then repetitions cycling through the query's parameter values until `reps` calls or
`budget` seconds (at least one). Throughput: `clients` callers each calling in a loop for a fixed duration;
requests per second = calls completed / wall time. CPU and peak memory come from /proc (utime + stime of a process
and its descendants; VmHWM of each).
"""

from __future__ import annotations

import http.client
import json
import math
import multiprocessing
import os
import socket
import statistics
import time
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


# --- statistics ------------------------------------------------------------------------------------------------
@dataclass
class Timing:
    """Latencies of one query on one system, in seconds; `dnf` when a call did not finish within the cap."""

    samples: list[float] = field(default_factory=list)
    warm: float | None = None
    rows: int | None = None
    dnf: str | None = None

    @property
    def p50(self) -> float | None:
        return statistics.median(self.samples) if self.samples else None

    @property
    def p95(self) -> float | None:
        if not self.samples:
            return None
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]

    @property
    def mean(self) -> float | None:
        return statistics.fmean(self.samples) if self.samples else None

    def as_dict(self) -> dict[str, Any]:
        return {"p50": self.p50, "p95": self.p95, "mean": self.mean, "n": len(self.samples), "warm": self.warm,
                "rows": self.rows, "dnf": self.dnf}  # fmt: skip


def time_calls(
    call: Callable[[int, bool], int], count: int, reps: int, budget: float, warmed: Callable[[], None] = lambda: None
) -> Timing:
    """Warm up with call(0, True), which counts the rows of its answer (then `warmed()`), then call(i % count,
    False) until `reps` calls or `budget` seconds (at least one)."""
    started = time.perf_counter()
    rows = call(0, True)
    timing = Timing(warm=time.perf_counter() - started, rows=rows)
    warmed()
    spent = 0.0
    index = 1
    while len(timing.samples) < reps and (spent < budget or not timing.samples):
        started = time.perf_counter()
        call(index % count, False)
        elapsed = time.perf_counter() - started
        timing.samples.append(elapsed)
        spent += elapsed
        index += 1
    return timing


def geomean(values: Sequence[float]) -> float | None:
    positive = [v for v in values if v and v > 0]
    return math.exp(statistics.fmean(math.log(v) for v in positive)) if positive else None


# --- processes -------------------------------------------------------------------------------------------------
def _stat(pid: int) -> list[str] | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            text = handle.read()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from 3 (state) on


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (fields := _stat(int(entry))):
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        queue.extend(children.get(current, []))
    return found


def cpu_seconds(pids: Sequence[int]) -> dict[int, float]:
    """User + system CPU seconds of each process (0 for one that is gone)."""
    result = {}
    for pid in pids:
        fields = _stat(pid)
        result[pid] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS if fields else 0.0
    return result


def status_kb(pid: int, key: str = "VmHWM") -> int | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


def process_name(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            parts = handle.read().split(b"\0")
    except OSError:
        return "?"
    text = " ".join(part.decode(errors="replace") for part in parts if part)
    return "query worker" if "spawn_main" in text or "multiprocessing" in text else text[-60:]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- HTTP --------------------------------------------------------------------------------------------------------
class HttpSparql:
    """A keep-alive client for one SPARQL endpoint; `query` returns the body (raises on a non-200 answer)."""

    def __init__(self, port: int, path: str = "/sparql", agent: str = "policykg-bench", timeout: float = 60) -> None:
        self.port, self.path, self.agent, self.timeout = port, path, agent, timeout
        self.connection: http.client.HTTPConnection | None = None

    def _connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        return self.connection

    def query(self, text: str, graph: bool) -> bytes:
        accept = "application/n-triples" if graph else "application/sparql-results+json"
        headers = {"Content-Type": "application/sparql-query", "Accept": accept, "User-Agent": self.agent}
        try:
            connection = self._connect()
            connection.request("POST", self.path, body=text.encode(), headers=headers)
            response = connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.close()
            raise
        if response.status != 200:
            raise HttpError(response.status, body[:300])
        return body

    def get(self, path: str) -> int:
        try:
            connection = self._connect()
            connection.request("GET", path, headers={"User-Agent": self.agent})
            response = connection.getresponse()
            response.read()
            return response.status
        except (OSError, http.client.HTTPException):
            self.close()
            return 0

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


class HttpError(Exception):
    def __init__(self, status: int, body: bytes) -> None:
        super().__init__(f"HTTP {status}: {body.decode(errors='replace')}")
        self.status = status


def count_rows(body: bytes, graph: bool) -> int:
    if graph:
        return body.count(b"\n")
    data = json.loads(body)
    return int(data["boolean"]) if "boolean" in data else len(data["results"]["bindings"])


def wait_until(check: Callable[[], bool], timeout: float, interval: float = 0.02) -> float | None:
    """Seconds until check() was true, or None after `timeout`."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if check():
            return time.perf_counter() - started
        time.sleep(interval)
    return None


def ask_path(path: str = "/sparql") -> str:
    return path + "?query=" + urllib.parse.quote("ASK {}")


# --- load generator ------------------------------------------------------------------------------------------------
Work = list[tuple[str, str, bool]]  # (query name, text, graph result)


def _client_main(port: int, agent: str, connection: Any, path: str = "/sparql") -> None:
    client = HttpSparql(port, path, agent=agent, timeout=120)
    connection.send("ready")
    while True:
        command = connection.recv()
        if command is None:
            return
        work, start_at, seconds = command
        connection.send(_loop(client, work, start_at, seconds))


def _loop(client: HttpSparql, work: Work, start_at: float, seconds: float) -> dict[str, Any]:
    while time.time() < start_at:
        time.sleep(0.001)
    done: dict[str, int] = {}
    errors: dict[str, int] = {}
    index = 0
    end = start_at + seconds
    while time.time() < end:
        name, text, graph = work[index % len(work)]
        index += 1
        try:
            client.query(text, graph)
            done[name] = done.get(name, 0) + 1
        except (HttpError, OSError, http.client.HTTPException) as error:
            key = f"{name}: {getattr(error, 'status', type(error).__name__)}"
            errors[key] = errors.get(key, 0) + 1
    return {"done": done, "errors": errors, "elapsed": time.time() - start_at}


class ClientPool:
    """`size` client processes, each with its own connection and User-Agent (the service limits queries per
    client address and agent, as a real crowd of clients would have different ones)."""

    def __init__(self, port: int, size: int = 4, path: str = "/sparql") -> None:
        context = multiprocessing.get_context("spawn")
        self.connections = []
        self.processes = []
        for index in range(size):
            parent, child = context.Pipe()
            process = context.Process(target=_client_main, args=(port, f"policykg-bench-client-{index}", child, path))
            process.start()
            self.connections.append(parent)
            self.processes.append(process)
        for connection in self.connections:  # spawned clients take a while to import; runs start when all are up
            if connection.recv() != "ready":
                raise RuntimeError("a benchmark client did not start")

    @property
    def pids(self) -> list[int]:
        return [process.pid for process in self.processes if process.pid is not None]

    def run(self, works: Sequence[Work], seconds: float) -> dict[str, Any]:
        """Client i runs works[i] (rotated so clients do not move in lock step) for `seconds`; totals."""
        start_at = time.time() + 0.3
        for connection, work in zip(self.connections, works, strict=False):
            connection.send((work, start_at, seconds))
        results = [connection.recv() for connection in self.connections[: len(works)]]
        done: dict[str, int] = {}
        errors: dict[str, int] = {}
        for result in results:
            for key, value in result["done"].items():
                done[key] = done.get(key, 0) + value
            for key, value in result["errors"].items():
                errors[key] = errors.get(key, 0) + value
        elapsed = max(result["elapsed"] for result in results)
        return {"requests": sum(done.values()), "per_second": sum(done.values()) / elapsed, "done": done,
                "errors": errors, "elapsed": elapsed}  # fmt: skip

    def close(self) -> None:
        for connection in self.connections:
            connection.send(None)
        for process in self.processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
