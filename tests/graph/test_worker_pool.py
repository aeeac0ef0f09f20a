"""The query-worker pool hands a returning worker to the request that waited longest, and a request that waited
too long gets PoolBusy (503) without losing the worker for the next one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from graph.store.workers import PoolBusy, WorkerPool


class FakeWorker:
    def __init__(self, name: str) -> None:
        self.name = name
        self.killed = False

    def kill(self) -> None:
        self.killed = True


def pool_with(*workers: Any) -> WorkerPool:
    pool = WorkerPool(Path("/nonexistent"), len(workers), 0)
    pool._idle.extend(workers)
    return pool


def test_a_returned_worker_goes_to_the_longest_waiting_request_and_a_timed_out_one_gets_busy() -> None:
    async def scenario() -> list[str]:
        only = FakeWorker("w")
        pool = pool_with(only)
        held = await pool.checkout(0.1)
        first = asyncio.create_task(pool.checkout(2))
        second = asyncio.create_task(pool.checkout(2))
        impatient = asyncio.create_task(pool.checkout(0.05))
        await asyncio.sleep(0.2)
        with pytest.raises(PoolBusy):
            await impatient
        order = []
        pool.checkin(held)
        order.append(f"first:{(await first).name}")
        assert not second.done()
        pool.checkin(only)
        order.append(f"second:{(await second).name}")
        return order

    assert asyncio.run(scenario()) == ["first:w", "second:w"]


def test_a_worker_returned_after_its_waiter_gave_up_stays_available() -> None:
    async def scenario() -> str:
        worker = FakeWorker("w")
        pool = pool_with(worker)
        held = await pool.checkout(0.1)
        with pytest.raises(PoolBusy):
            await pool.checkout(0.05)  # gives up; its place in the queue must not swallow the worker
        pool.checkin(held)
        return (await pool.checkout(0.1)).name

    assert asyncio.run(scenario()) == "w"


def test_closing_the_pool_refuses_the_waiting_requests() -> None:
    async def scenario() -> None:
        pool = pool_with(FakeWorker("w"))
        await pool.checkout(0.1)
        waiting = asyncio.create_task(pool.checkout(5))
        await asyncio.sleep(0.05)
        pool.close()
        with pytest.raises(PoolBusy):
            await waiting

    asyncio.run(scenario())


def test_answers_arrive_whole_under_uvloop_with_concurrent_requests(tmp_path: Path) -> None:
    """uvicorn runs on uvloop, whose add_reader leaves the pipe non-blocking: reading a large answer then failed
    half-way, and a quarter of the benchmark's concurrent queries came back as 503 "worker lost"."""
    import pyoxigraph
    import uvloop

    from graph.store.results import Budget
    from graph.store.workers import Job

    store = pyoxigraph.Store(str(tmp_path / "store"))
    predicate = pyoxigraph.NamedNode("http://example.org/text")
    store.extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/s{i}"), predicate, pyoxigraph.Literal("政策" * 20))
        for i in range(5_000)
    )
    store.flush()
    del store
    pool = WorkerPool(tmp_path / "store", 2, 1024 * 1024 * 1024)
    pool.start()
    job = Job(query="SELECT * WHERE { ?s ?p ?o }", results_format="json", rdf_media_type="text/turtle",
              budget=Budget(100_000, 32_000_000))  # fmt: skip

    async def client() -> list[int]:
        return [(await pool.run_async(job, 30, 10)).rows for _ in range(5)]

    async def scenario() -> list[list[int]]:
        return list(await asyncio.gather(*(client() for _ in range(4))))

    try:
        assert uvloop.run(scenario()) == [[5_000] * 5] * 4
    finally:
        pool.close()
