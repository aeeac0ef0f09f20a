"""One slow query must not stall other clients: evaluation runs off the event loop, outside the GIL."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx

from tests.live import serving

# seconds of work that does not depend on the data (300³ rows counted), and a query that needs none
_NUMBERS = " ".join(str(n) for n in range(300))
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?a {{ {_NUMBERS} }} VALUES ?b {{ {_NUMBERS} }} VALUES ?c {{ {_NUMBERS} }} }}"
QUICK = "ASK {}"


def test_a_quick_query_is_answered_while_a_slow_one_runs(release_out: Path) -> None:
    finished: dict[str, float] = {}
    with serving("--out", release_out) as base:

        def slow() -> None:
            httpx.get(f"{base}/sparql", params={"query": SLOW}, headers={"user-agent": "slow-client"}, timeout=60)
            finished["slow"] = time.monotonic()

        worker = threading.Thread(target=slow)
        worker.start()
        time.sleep(0.3)  # let the slow query start
        answers = []
        with httpx.Client(base_url=base, timeout=60, headers={"user-agent": "quick-client"}) as quick:
            for _ in range(3):
                answers.append(quick.get("/sparql", params={"query": QUICK}).json()["boolean"])
                answers.append(quick.get("/health").status_code)
        finished["quick"] = time.monotonic()
        worker.join()
    assert answers == [True, 200] * 3
    assert finished["quick"] < finished["slow"], "the quick requests waited for the slow query"
