"""Running the real service: `policykg serve` in its own process, on a free loopback port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

POLICYKG = str(Path(sys.executable).parent / "policykg")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(*args: str | Path, env: dict[str, str] | None = None, cwd: Path | None = None) -> Iterator[str]:
    """Start `policykg serve ARGS` and yield its base URL once /health answers; stop it afterwards."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    environment.update(env or {})
    process = subprocess.Popen(
        [POLICYKG, "serve", "--host", "127.0.0.1", "--port", str(port), *map(str, args)],
        env=environment,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def _wait(base: str, process: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise RuntimeError(f"policykg serve exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError(f"policykg serve did not answer on {base} within {seconds} s")
