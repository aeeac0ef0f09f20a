"""The query-worker pool hands a returning worker to the request that waited longest, and a request that waited
too long gets PoolBusy (503) without losing the worker for the next one."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from graph.workers import PoolBusy, WorkerPool


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
