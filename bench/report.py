"""The Markdown sections bench/run.py writes into bench/RESULTS.md (its own sections only) and the target checks."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.measure import geomean
from bench.mix import WHAT

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SYSTEMS = ("oxigraph", "service", "rdflib", "endpoint")
HEAD = {
    "oxigraph": "(a) pyoxigraph",
    "service": "(b) service",
    "rdflib": "(c) rdflib",
    "endpoint": "(d) rdflib-endpoint",
}
DEFERRED = ("(deferred)",)


def describe_timing(timing: dict[str, Any]) -> str:
    if timing.get("dnf"):
        return f"did not finish ({timing['dnf']})"
    return f"p50 {ms(timing['p50'])} p95 {ms(timing['p95'])} (n={timing['n']}, rows {timing['rows']})"


def ms(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    value = seconds * 1000
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms" if value < 10_000 else f"{seconds:.0f} s"


def ratio(top: float | None, bottom: float | None) -> str:
    if not top or not bottom:
        return "—"
    value = top / bottom
    return f"{value:.2f}×" if value < 10 else f"{value:.0f}×"


def _p50(size: dict[str, Any], system: str, query: str) -> float | None:
    timing = size["systems"].get(system, {}).get("latency", {}).get(query)
    return None if not timing or timing.get("dnf") else timing.get("p50")


def _cell(size: dict[str, Any], system: str, query: str) -> str:
    timing = size["systems"].get(system, {}).get("latency", {}).get(query)
    if timing is None:
        return "not run"
    if timing.get("dnf"):
        return "DNF"
    return f"{ms(timing['p50'])} ({ms(timing['p95'])})"


def latency_table(size: dict[str, Any]) -> list[str]:
    queries = list(next(iter(size["systems"].values()))["latency"]) if size["systems"] else []
    lines = [
        "| query | " + " | ".join(f"{HEAD[s]} p50 (p95)" for s in SYSTEMS) + " | b/a | c/b | d/b |",
        "|---|" + "---:|" * (len(SYSTEMS) + 3),
    ]
    for query in queries:
        a, b, c, d = (_p50(size, s, query) for s in SYSTEMS)
        cells = " | ".join(_cell(size, s, query) for s in SYSTEMS)
        lines.append(f"| {query} | {cells} | {ratio(b, a)} | {ratio(c, b)} | {ratio(d, b)} |")
    return lines


def per_query_throughput(size: dict[str, Any], system: str, clients: int) -> dict[str, float]:
    found = size["systems"].get(system, {}).get("throughput", {})
    return {
        key.split("/")[0]: value["per_second"]
        for key, value in found.items()
        if key.endswith(f"/{clients}") and not key.startswith("mix/") and value.get("per_second")
    }


def throughput_table(size: dict[str, Any]) -> list[str]:
    common = size.get("mix", {}).get("queries", [])
    lines = [
        "| system | mix, 1 client | mix, 4 clients | cores used (4 clients) | geomean per query, 1 | geomean, 4 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for system in SYSTEMS:
        found = size["systems"].get(system, {}).get("throughput", {})
        if "mix/1" not in found:
            lines.append(f"| {HEAD[system]} | not run | not run | — | — | — |")
            continue
        cells = [f"{found[f'mix/{c}'].get('per_second', 0):.1f}/s" for c in (1, 4)]
        cores = found["mix/4"].get("cores")
        means = [geomean([v for q, v in per_query_throughput(size, system, c).items() if q in common]) for c in (1, 4)]
        text = " | ".join(cells)
        core_text = f"{cores:.2f}" if cores is not None else "—"
        lines.append(f"| {HEAD[system]} | {text} | {core_text} | {_rate(means[0])} | {_rate(means[1])} |")
    return lines


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}/s"


def start_table(size: dict[str, Any]) -> list[str]:
    lines = ["| system | ready after | first query | peak memory |", "|---|---:|---:|---:|"]
    for system in SYSTEMS:
        info = size["systems"].get(system)
        if not info:
            continue
        start = info.get("start", {})
        memory = info.get("memory", {})
        peak = memory.get("peak_kb") or start.get("peak_kb")
        first = start.get("first_query_seconds")
        lines.append(
            f"| {HEAD[system]} | {start.get('load_seconds', 0):.2f} s | {ms(first) if first else '—'} | "
            f"{(peak or 0) / 1024:.0f} MiB ({memory.get('processes', 1)} process(es)) |"
        )
    return lines


def targets(results: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    """(target, met?, what was measured); None when the size was not run."""
    found: list[tuple[str, bool | None, str]] = []
    big = results["sizes"].get("1m")
    if big:
        found += _latency_targets(big)
        start = big["systems"].get("service", {}).get("start", {}).get("load_seconds")
        found.append(("service ready on an existing 1M-triple store in under 2 s", start is not None and start < 2,
                      f"{start:.2f} s" if start is not None else "not run"))  # fmt: skip
    mid = results["sizes"].get("100k")
    if mid:
        found += _throughput_targets(mid)
    return found


def _latency_targets(size: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    slow, fast = [], []
    for query in size["systems"].get("service", {}).get("latency", {}):
        a, b = _p50(size, "oxigraph", query), _p50(size, "service", query)
        if a is None or b is None:
            continue
        if a > 0.010:
            slow.append((query, b / a <= 2, f"{query} {ratio(b, a)}"))
        elif a < 0.001:
            fast.append((query, b - a <= 0.003, f"{query} +{ms(b - a)}"))
    return [
        ("1M: HTTP p50 within 2× of in-process for queries over 10 ms", all(ok for _, ok, _ in slow) if slow else None,
         ", ".join(text for _, _, text in slow) or "no query over 10 ms"),
        ("1M: at most 3 ms added on sub-millisecond queries", all(ok for _, ok, _ in fast) if fast else None,
         ", ".join(text for _, _, text in fast) or "no sub-millisecond query"),
    ]  # fmt: skip


def _throughput_targets(size: dict[str, Any]) -> list[tuple[str, bool | None, str]]:
    common = size.get("mix", {}).get("queries", [])
    found: list[tuple[str, bool | None, str]] = []
    for clients in (1, 4):
        means = {
            s: geomean([v for q, v in per_query_throughput(size, s, clients).items() if q in common]) for s in SYSTEMS
        }
        b = means["service"]
        for other, factor in (("rdflib", 10), ("endpoint", 10)):
            value = means[other]
            met = None if not b or not value else b / value >= factor
            found.append((f"100k, {clients} client(s): geomean throughput ≥ {factor}× {HEAD[other]}", met,
                          f"{ratio(b, value)} ({_rate(b)} vs {_rate(value)})"))  # fmt: skip
        asks = {s: per_query_throughput(size, s, clients).get("ask") for s in ("service", "endpoint")}
        met = None if not asks["service"] or not asks["endpoint"] else asks["service"] / asks["endpoint"] >= 2
        found.append((f"100k, {clients} client(s): ASK throughput ≥ 2× rdflib-endpoint", met,
                      f"{ratio(asks['service'], asks['endpoint'])}"))  # fmt: skip
    cores = size["systems"].get("service", {}).get("throughput", {}).get("mix/4", {}).get("cores")
    measured = f"{cores:.2f} cores" if cores is not None else "not run"
    met = None if cores is None else cores > 1.2
    found.append(("100k: the service uses both cores under 4 clients (worker processes)", met, measured))
    return found


def _verdict(ok: bool | None) -> str:
    return "yes" if ok else "no" if ok is False else "not measured"


def queries_section(results: dict[str, Any]) -> str:
    machine = results["machine"]
    out = [
        "## Query benchmark",
        "",
        f"- date: {results['date']}",
        f"- command: `{results['command']}`",
        f"- machine: {machine['arch']}, {machine['cpus']} CPUs ({machine['cpu']}), {machine['ram_gib']} GiB; shared "
        "and noisy, so compare the systems within one size (measured side by side in one run), not across runs",
        f"- versions: Python {machine['python']}, pyoxigraph {machine['pyoxigraph']}, rdflib {machine['rdflib']}, "
        f"fastapi {machine['fastapi']}, uvicorn {machine['uvicorn']}, {machine['endpoint']}; commit "
        f"{machine['commit']}{' (with uncommitted changes)' if machine.get('dirty') else ''}",
        f"- limits: {results['limits']}",
        "- systems: (a) pyoxigraph in-process on the release's store, (b) `policykg serve` over HTTP (POST "
        "/sparql), (c) rdflib's in-memory Dataset in-process, (d) rdflib-endpoint over HTTP; the same query text "
        "and values everywhere (bench/mix.py)",
        "- latency: p50 (p95) of repeated calls after a warm-up; DNF = no answer within the cap",
        "",
        "Queries of the mix:",
        "",
        *[f"- `{name}`: {what}" for name, what in WHAT.items()],
        "",
        "### Targets",
        "",
        "| target | met | measured |",
        "|---|---|---|",
        *[
            f"| {t} | {'yes' if ok else 'no' if ok is False else 'not measured'} | {m} |"
            for t, ok, m in targets(results)
        ],
    ]
    for name, size in results["sizes"].items():
        shape = size["shape"]
        out += [
            "",
            f"### {name}: {shape['quads']:,} quads, {shape['tables']} tables, {shape['tasks']:,} tasks, "
            f"{shape['assignments']:,} assignments, {shape['agencies']} agencies, {shape['links']:,} links",
            "",
            "Start and memory:",
            "",
            *start_table(size),
            "",
            "Latency:",
            "",
            *latency_table(size),
            "",
            "Throughput (queries per second; the mix is every query fast enough on every loaded system: "
            f"{', '.join(size.get('mix', {}).get('queries', [])) or '—'}; left out: "
            f"{', '.join(size.get('mix', {}).get('left_out', [])) or 'none'}):",
            "",
            *throughput_table(size),
        ]
    return "\n".join(out) + "\n"


def ingest_section(found: dict[str, Any], command: str, date: str) -> str:
    batch = found["batch"]
    out = [
        "## Ingestion",
        "",
        f"- date: {date}",
        f"- command: `{command}`",
        f"- batch: {batch['tables']} synthetic task tables as CSV files ({batch['rows']:,} rows, "
        f"{batch['triples']:,} triples with the registry), built by `graph.release.build.build` "
        "(what `policykg build` runs) "
        f"and written as a release: **{batch['tables_per_second']:.1f} tables/s** "
        f"({batch['tables_per_second_without_write']:.1f} tables/s before writing the release); read and convert "
        f"{batch['read_convert_seconds']:.1f} s, SHACL validation {batch['validate_seconds']:.1f} s, writing dumps "
        f"and store {batch['write_seconds']:.1f} s; conforms: {batch['conforms']} ({batch['results']} findings, "
        "warnings and notes about the generated unregistered names and merged cells)",
        "",
        "Adding one document to the current release (`policykg add`, graph/release/add.py), at each corpus size:",
        "",
        "| corpus | tasks added | its triples | context triples | read+convert | validate | load | validate+load | "
        "dumps and version records (whole dataset) | total |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in found["add"]:
        out.append(
            f"| {row['size']} ({row['corpus_quads']:,} quads) | {row['tasks']} | {row['document_triples']:,} | "
            f"{row['context_triples']:,} | {row['ingest_seconds']:.2f} s | {row['validate_seconds']:.2f} s | "
            f"{row.get('load_seconds', 0):.2f} s | **{row['validate_load_seconds']:.2f} s** | "
            f"{row.get('dumps_seconds', 0):.2f} s | {row['total_seconds']:.2f} s |"
        )
    return "\n".join(out) + "\n"


def write_section(name: str, text: str) -> None:
    """Replace (or append) the section between `<!-- name:begin -->` and `<!-- name:end -->` in RESULTS.md."""
    current = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    block = f"<!-- {name}:begin -->\n{text}\n<!-- {name}:end -->"
    pattern = re.compile(rf"<!-- {name}:begin -->.*?<!-- {name}:end -->", re.S)
    updated = pattern.sub(lambda _m: block, current) if pattern.search(current) else current.rstrip() + f"\n\n{block}\n"
    RESULTS.write_text(updated, encoding="utf-8")


def write(results: dict[str, Any], say: Callable[[str], None] = print) -> None:
    if results.get("sizes"):
        write_section("queries", queries_section(results))
    if results.get("ingest"):
        write_section("ingest", ingest_section(results["ingest"], results["command"], results["date"]))
    for target, ok, measured in targets(results):
        say(f"target {'MET' if ok else 'MISSED' if ok is False else '—'}: {target}: {measured}")
