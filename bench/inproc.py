"""An in-process system of the benchmarks, run in its own process by bench/run.py (so its memory is its own and a
runaway query can be stopped by killing it): pyoxigraph on the release's on-disk store (read-only, as the service's
query workers open it; the floor the service is measured against), or rdflib's in-memory Dataset parsing the
release's N-Quads (queries prepared once). Both get the same query text as the HTTP systems (bench/mix.py).

Each answer is produced as bytes, as an endpoint must: SPARQL JSON results for SELECT and ASK, N-Triples for
graphs (pyoxigraph's own serialisers, rdflib's own). Commands arrive as JSON lines on stdin, answers leave as JSON
lines on stdout:
  {"cmd": "latency", "query": NAME, "reps": N, "budget": S}     -> {"event": "latency", "timing": {...}}
  {"cmd": "throughput", "works": [[NAME, ...], ...], "seconds": S}  one thread per list -> {"event": "throughput"}
  {"cmd": "exit"}
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import threading
import time
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pyoxigraph

from bench import mix
from bench.measure import time_calls
from graph.store.embedded import EmbeddedStore


class Oxigraph:
    name = "pyoxigraph in-process"

    def __init__(self, release: Path) -> None:
        self.store = EmbeddedStore.open(release / "store")

    def run(self, call: mix.Call, count: bool) -> int:
        result = self.store.query(call.http_text)
        if isinstance(result, pyoxigraph.QueryTriples):
            body = result.serialize(format=pyoxigraph.RdfFormat.N_TRIPLES) or b""
            return body.count(b"\n")
        body = result.serialize(format=pyoxigraph.QueryResultsFormat.JSON) or b""
        if not count:
            return 0
        data = json.loads(body)
        return int(data["boolean"]) if "boolean" in data else len(data["results"]["bindings"])


class Rdflib:
    name = "rdflib in-process"

    def __init__(self, release: Path) -> None:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        self.dataset.parse(release / "policykg.nq", format="nquads")
        self.prepared: dict[str, Any] = {}

    def run(self, call: mix.Call, count: bool) -> int:
        from rdflib.plugins.sparql import prepareQuery

        prepared = self.prepared.get(call.http_text)
        if prepared is None:
            prepared = self.prepared[call.http_text] = prepareQuery(call.http_text)
        result = self.dataset.query(prepared)
        body = result.serialize(format="nt" if call.graph_result else "json") or b""
        if call.graph_result:
            return body.count(b"\n")
        return int(bool(result.askAnswer)) if result.type == "ASK" else len(result)


ENGINES = {"oxigraph": Oxigraph, "rdflib": Rdflib}


def emit(**event: Any) -> None:
    sys.stdout.write(json.dumps(event) + "\n")
    sys.stdout.flush()


def peak_kb() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def throughput(engine: Oxigraph | Rdflib, plan: mix.Plan, works: Sequence[Sequence[str]], seconds: float) -> dict:
    """One thread per work list, each cycling through its queries' calls for `seconds`."""
    done: dict[str, int] = {}
    lock = threading.Lock()
    start_at = time.perf_counter() + 0.1
    end = start_at + seconds

    def client(names: Sequence[str]) -> None:
        calls = [call for name in names for call in plan.calls[name]]
        index = 0
        while time.perf_counter() < start_at:
            time.sleep(0.001)
        while time.perf_counter() < end:
            call = calls[index % len(calls)]
            engine.run(call, False)
            index += 1
            with lock:
                done[call.name] = done.get(call.name, 0) + 1

    cpu = time.process_time()
    threads = [threading.Thread(target=client, args=(names,)) for names in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start_at
    requests = sum(done.values())
    return {"requests": requests, "per_second": requests / elapsed, "done": done, "elapsed": elapsed,
            "cores": (time.process_time() - cpu) / elapsed}  # fmt: skip


def latency(engine: Oxigraph | Rdflib, plan: mix.Plan, command: dict[str, Any]) -> dict[str, Any]:
    calls = plan.calls[command["query"]]
    return time_calls(lambda i, count: engine.run(calls[i], count), len(calls), command["reps"], command["budget"],
                      lambda: emit(event="warm", query=command["query"])).as_dict()  # fmt: skip


def serve(engine: Oxigraph | Rdflib, plan: mix.Plan) -> None:
    for line in sys.stdin:
        command = json.loads(line)
        if command["cmd"] == "latency":
            emit(event="latency", query=command["query"], timing=latency(engine, plan, command))
        elif command["cmd"] == "throughput":
            emit(event="throughput", result=throughput(engine, plan, command["works"], command["seconds"]))
        else:
            break
    emit(event="end", peak_kb=peak_kb())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("engine", choices=sorted(ENGINES))
    parser.add_argument("release", type=Path, help="a release folder (store/ and policykg.nq)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    warnings.simplefilter("ignore")
    plan = mix.plan(EmbeddedStore.open(args.release / "store"), args.seed)
    before = peak_kb()
    started = time.perf_counter()
    engine = ENGINES[args.engine](args.release)
    emit(event="ready", load_seconds=time.perf_counter() - started, peak_kb=peak_kb(), peak_before_load_kb=before)
    serve(engine, plan)
    return 0


if __name__ == "__main__":
    sys.exit(main())
