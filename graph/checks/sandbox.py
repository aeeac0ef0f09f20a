"""Running one CPU-heavy call (SHACL validation of an upload) in a child process that is killed at a deadline.

pyshacl cannot be interrupted and a thread cannot be stopped, so each call runs in its own process, forked
from a forkserver that has already imported the module doing the work (a fork costs milliseconds; a fresh
interpreter importing rdflib and pyshacl costs seconds). Past the deadline the child is killed, which frees its
CPU and memory at once; it also runs under an address-space limit, so a hostile upload costs only the child.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import resource
from collections.abc import Callable
from typing import Any

_CONTEXT = multiprocessing.get_context("forkserver")
_PRELOAD = ["graph.checks.upload"]


class Timeout(Exception):
    """The call did not finish within its time; its process was killed."""


class Lost(Exception):
    """The child died without an answer (the memory limit, or a crash in a native library)."""


def _child(
    function: Callable[..., Any], args: tuple[Any, ...], connection: multiprocessing.connection.Connection, memory: int
) -> None:
    if memory > 0:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    connection.send(function(*args))
    connection.close()


def run(function: Callable[..., Any], args: tuple[Any, ...], timeout: float, memory_bytes: int = 0) -> Any:
    """`function(*args)` in a child process; Timeout after `timeout` seconds, Lost if the child dies.

    Blocking: call it from a worker thread. The function, its arguments and its result must pickle."""
    _CONTEXT.set_forkserver_preload(_PRELOAD)  # takes effect when the forkserver first starts
    receiver, sender = _CONTEXT.Pipe(duplex=False)
    process = _CONTEXT.Process(target=_child, args=(function, args, sender, memory_bytes), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise Timeout
        return receiver.recv()
    except (EOFError, OSError):
        raise Lost from None
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()
