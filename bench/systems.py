"""The four systems bench/run.py compares, each started on one release folder and driven the same way.

  oxigraph   (a) pyoxigraph in-process on the release's store: bench/inproc.py in its own process
  service    (b) `policykg serve --out OUT` over HTTP (its SPARQL workers, default settings except the time limit)
  rdflib     (c) rdflib's in-memory Dataset in-process: bench/inproc.py in its own process
  endpoint   (d) rdflib-endpoint serving the release's N-Quads over HTTP, from its own virtual environment

Every system answers `latency(query)` (a Timing as a dict, or a "did not finish" mark) and `throughput(works,
seconds)`; HTTP systems are loaded by a pool of client processes. A call that does not finish within the cap is
stopped: the in-process worker or rdflib-endpoint is killed and restarted (neither can cancel a query); the service
stops it itself (its own time limit is set to the cap and answers 504).
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
import venv
from pathlib import Path
from typing import Any

from bench import mix
from bench.measure import (
    ClientPool,
    HttpError,
    HttpSparql,
    Work,
    ask_path,
    count_rows,
    cpu_seconds,
    descendants,
    free_port,
    process_name,
    status_kb,
    time_calls,
    wait_until,
)

ROOT = Path(__file__).resolve().parents[1]
PYTHON = Path(sys.executable)
ENDPOINT_VENV = ROOT / "bench" / ".venv-rdflib-endpoint"
ENDPOINT_REQUIREMENTS = ("rdflib-endpoint[cli]==0.6.3", "rdflib==7.6.0")
LABELS = {
    "oxigraph": "(a) pyoxigraph in-process",
    "service": "(b) PolicyKG service, HTTP",
    "rdflib": "(c) rdflib in-process",
    "endpoint": "(d) rdflib-endpoint, HTTP",
}
LOAD_TIMEOUT = 900


def ensure_endpoint_venv(say: Any = print) -> Path:
    """bench/.venv-rdflib-endpoint with rdflib-endpoint from PyPI (not a project dependency)."""
    executable = ENDPOINT_VENV / "bin" / "rdflib-endpoint"
    if not executable.exists():
        say(f"creating {ENDPOINT_VENV} and installing {' '.join(ENDPOINT_REQUIREMENTS)}")
        venv.create(ENDPOINT_VENV, with_pip=True)
        pip = [str(ENDPOINT_VENV / "bin" / "pip"), "install", "-q", *ENDPOINT_REQUIREMENTS]
        subprocess.run(pip, check=True)
    return executable


def endpoint_versions() -> str:
    command = [str(ENDPOINT_VENV / "bin" / "python"), "-c",
               "from importlib.metadata import version as v; print(v('rdflib-endpoint'), v('rdflib'))"]  # fmt: skip
    found = subprocess.run(command, capture_output=True, text=True, check=False).stdout.split()
    return f"rdflib-endpoint {found[0]} (rdflib {found[1]})" if len(found) == 2 else "rdflib-endpoint ?"


def _stop(process: subprocess.Popen[Any] | None) -> None:
    """Stop a process this script started, and whatever it started (the service's query workers)."""
    if process is None or process.poll() is not None:
        return
    family = descendants(process.pid)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    for pid in family[1:]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _pump(stream: Any, lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line)
    lines.put("")


class Inproc:
    """(a) or (c): bench/inproc.py in a child process, commanded over stdin/stdout."""

    http = False

    def __init__(self, engine: str, release: Path, seed: int, log: Path) -> None:
        self.engine, self.release, self.seed, self.log = engine, release, seed, log
        self.process: subprocess.Popen[str] | None = None
        self.lines: queue.Queue[str] = queue.Queue()

    def start(self) -> dict[str, Any]:
        command = [str(PYTHON), "-m", "bench.inproc", self.engine, str(self.release), "--seed", str(self.seed)]
        with open(self.log, "a") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=log, text=True, bufsize=1)  # fmt: skip
        self.lines = queue.Queue()
        threading.Thread(target=_pump, args=(self.process.stdout, self.lines), daemon=True).start()
        ready = self._read(LOAD_TIMEOUT)
        if ready is None:
            raise RuntimeError(f"{self.engine} did not load {self.release} in {LOAD_TIMEOUT} s; see {self.log}")
        return {"load_seconds": ready["load_seconds"], "peak_kb": ready["peak_kb"]}

    def _read(self, timeout: float) -> dict[str, Any] | None:
        """The next event line, or None after `timeout` s. (A reader thread, not select() on the buffered pipe:
        two lines arriving together would leave the second in the buffer, unseen by select.)"""
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            return None
        return json.loads(line) if line else None

    def _send(self, **command: Any) -> None:
        assert self.process is not None and self.process.stdin is not None
        self.process.stdin.write(json.dumps(command) + "\n")
        self.process.stdin.flush()

    def latency(self, query: str, reps: int, budget: float, cap: float) -> dict[str, Any]:
        self._send(cmd="latency", query=query, reps=reps, budget=budget)
        warm = self._read(cap)
        answer = self._read(cap + budget + 5) if warm else None
        if answer is None:
            self.restart()
            return {"dnf": f"no answer within {cap:g} s"}
        return dict(answer["timing"])

    def throughput(self, works: list[list[str]], seconds: float, plan: mix.Plan) -> dict[str, Any]:
        self._send(cmd="throughput", works=works, seconds=seconds)
        answer = self._read(seconds + 300)
        if answer is None:
            self.restart()
            return {"error": "no answer"}
        return dict(answer["result"])

    def restart(self) -> None:
        _stop(self.process)
        self.start()

    def memory(self) -> dict[str, Any]:
        assert self.process is not None
        return {"peak_kb": status_kb(self.process.pid), "processes": 1}

    def pids(self) -> list[int]:
        return [self.process.pid] if self.process else []

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self._send(cmd="exit")
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                _stop(self.process)


class Http:
    """(b) or (d): a server process on a free port, queried by this process (latency) and client processes."""

    http = True

    def __init__(self, kind: str, release: Path, log: Path, cap: float) -> None:
        self.kind, self.release, self.log, self.cap = kind, release, log, cap
        self.path = "/sparql" if kind == "service" else "/"  # rdflib-endpoint's CLI serves SPARQL at its root
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.pool: ClientPool | None = None
        self.plan: mix.Plan | None = None

    def _command(self) -> list[str]:
        if self.kind == "service":
            return [str(PYTHON.parent / "policykg"), "serve", "--out", str(self.release.parent.parent),
                    "--port", str(self.port)]  # fmt: skip
        return [str(ensure_endpoint_venv()), "serve", "--host", "127.0.0.1", "--port", str(self.port),
                str(self.release / "policykg.nq")]  # fmt: skip

    def start(self) -> dict[str, Any]:
        self.port = free_port()
        env = {**os.environ, "POLICYKG_QUERY_TIMEOUT": str(self.cap)}
        started = time.perf_counter()
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(self._command(), cwd=ROOT, env=env, stdout=log, stderr=log)
        probe = HttpSparql(self.port, self.path, timeout=self.cap)
        path = "/health" if self.kind == "service" else ask_path(self.path)
        answers: list[int] = []
        ready = wait_until(lambda: answers.append(probe.get(path)) or answers[-1] in (200, 404), LOAD_TIMEOUT)
        if ready is None or answers[-1] != 200:
            raise RuntimeError(f"{self.kind} did not answer {path} in {LOAD_TIMEOUT} s ({answers[-1:]}); {self.log}")
        first = time.perf_counter()
        probe.query("ASK {}", graph=False)
        info = {"load_seconds": time.perf_counter() - started, "first_query_seconds": time.perf_counter() - first}
        probe.close()
        return info

    def latency(self, query: str, reps: int, budget: float, cap: float) -> dict[str, Any]:
        assert self.plan is not None
        calls = self.plan.calls[query]
        client = HttpSparql(self.port, self.path, timeout=cap + 5)

        def call(index: int, count: bool) -> int:
            body = client.query(calls[index].http_text, calls[index].graph_result)
            return count_rows(body, calls[index].graph_result) if count else 0

        try:
            return time_calls(call, len(calls), reps, budget).as_dict()
        except TimeoutError:
            self.restart()
            return {"dnf": f"no answer within {cap:g} s"}
        except HttpError as error:
            return {"dnf": f"HTTP {error.status}"}
        finally:
            client.close()

    def throughput(self, works: list[list[str]], seconds: float, plan: mix.Plan) -> dict[str, Any]:
        if self.pool is None:
            self.pool = ClientPool(self.port, 4, self.path)
        http_works: list[Work] = [
            [(call.name, call.http_text, call.graph_result) for name in names for call in plan.calls[name]]
            for names in works
        ]
        family = descendants(self.process.pid) if self.process else []
        clients = self.pool.pids[: len(works)]
        before, wall = cpu_seconds(family + clients), time.perf_counter()
        result = self.pool.run(http_works, seconds)
        elapsed = time.perf_counter() - wall
        after = cpu_seconds(family + clients)
        used = {pid: (after[pid] - before[pid]) / elapsed for pid in family + clients}
        result["cpu"] = {f"{pid} {process_name(pid)}": round(used[pid], 2) for pid in family}
        result["cores"] = sum(used[pid] for pid in family)
        result["client_cores"] = sum(used[pid] for pid in clients)
        return result

    def restart(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        _stop(self.process)
        self.start()

    def memory(self) -> dict[str, Any]:
        assert self.process is not None
        family = descendants(self.process.pid)
        peaks = {pid: status_kb(pid) or 0 for pid in family}
        return {"peak_kb": sum(peaks.values()), "processes": len(family),
                "each_kb": {f"{pid} {process_name(pid)}": kb for pid, kb in peaks.items()}}  # fmt: skip

    def pids(self) -> list[int]:
        return descendants(self.process.pid) if self.process else []

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool = None
        _stop(self.process)
