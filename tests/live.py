"""Running the real service: `policykg serve` in its own process, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import httpx

POLICYKG = str(Path(sys.executable).parent / "policykg")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Iterator[str]:
    """Start `policykg serve ARGS` and yield its base URL once /health answers; stop it afterwards."""
    with server(*args, env=env, cwd=cwd) as (base, _process):
        yield base


@contextmanager
def server(
    *args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None
) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """Like `serving`, yielding the process too (to watch its workers)."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    environment.update(env or {})
    with tempfile.TemporaryFile("w+") as log:  # a file, not a pipe: a busy server's log never blocks it
        process = subprocess.Popen(
            [POLICYKG, "serve", "--host", "127.0.0.1", "--port", str(port), *map(str, args)],
            env=environment,
            cwd=cwd,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            _wait(base, process, log)
            yield base, process
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait(base: str, process: subprocess.Popen[str], log: IO[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError(f"policykg serve exited with {process.returncode}:\n{log.read()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"policykg serve did not answer on {base} within {seconds} s")


def children(pid: int) -> list[int]:
    """The processes whose parent is `pid` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry.name))
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User plus system CPU time used so far by the given processes (those still alive)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")
