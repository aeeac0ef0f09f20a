"""OWL consistency check of the ontology and data with the HermiT reasoner (bundled with owlready2).

Why it is wrapped like this rather than calling `owlready2.sync_reasoner` in the caller's process:

* owlready2 follows owl:imports over the network, even with only_local=True, so every owl:imports triple is
  removed before the graphs reach it; the ontology declares the external terms it uses instead.
* owlready2's reasoner call has no timeout, and HermiT can run for a very long time on some inputs. The
  reasoning therefore runs in a child process (`python -m graph.checks.owl FILE`) in a session of its own,
  and when the timeout passes the whole process group, HermiT's Java process included, is killed.
* The child loads the triples into a fresh in-memory owlready2 World, never the default world or an SQLite
  file: the quadstore's file lock would keep a second process (a second check, a test run) out.
* owlready2 reports a missing Java as a bare FileNotFoundError; this module says what to install instead.

Literals whose datatype is outside the OWL 2 datatype map (the data uses xsd:date, as ELI prescribes for
eli:date_document) make HermiT reject the whole input. When there are any, HermiT is told to treat them as
opaque values, and the result lists them in `ConsistencyResult.unsupported_datatypes` so that it is visible.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal

from graph.errors import ConfigError, PolicyKGError

JAVA_MISSING = "the HermiT reasoner needs Java (a JRE); install e.g. Debian's default-jre-headless"

INCONSISTENT = (
    "HermiT found the ontology and data inconsistent: no interpretation satisfies them all. Look for an "
    "individual typed with two disjoint classes, a functional property with two distinct values, or an "
    "owl:differentFrom/owl:AllDifferent contradicting what the axioms force to be the same."
)

# The OWL 2 datatype map (OWL 2 Structural Specification, section 4), plus rdf:langString (RDF 1.1).
_XSD_NAMES = """
    decimal integer nonNegativeInteger nonPositiveInteger positiveInteger negativeInteger long int short byte
    unsignedLong unsignedInt unsignedShort unsignedByte double float string normalizedString token language
    Name NCName NMTOKEN boolean hexBinary base64Binary anyURI dateTime dateTimeStamp
"""
OWL2_DATATYPES = frozenset(
    {RDF.PlainLiteral, RDF.XMLLiteral, RDF.langString, RDFS.Literal, OWL.real, OWL.rational}
    | {XSD[name] for name in _XSD_NAMES.split()}
)

_INPUT = "input.nt"
_CHECK_IRI = "https://w3id.org/policykg/consistency-check/"
_SUMMARY = "Check the consistency of an N-Triples file with HermiT, answering with one line of JSON."


class ReasonerError(PolicyKGError):
    """HermiT refused the input (for instance a construct outside OWL 2 DL) or the reasoning failed."""


class ReasonerTimeoutError(ConfigError, TimeoutError):
    """The reasoning did not finish within the timeout; the reasoner was stopped."""


@dataclass(frozen=True)
class ConsistencyResult:
    """The reasoner's verdict. `seconds` is the wall time of the whole check, child process included."""

    consistent: bool
    explanation: str | None
    seconds: float
    unsatisfiable: tuple[str, ...] = ()
    unsupported_datatypes: tuple[str, ...] = ()


def check_consistency(graphs: Iterable[Graph], timeout: float = 120, java: str | None = None) -> ConsistencyResult:
    """Whether the union of `graphs` is consistent according to HermiT.

    Raises ConfigError when Java is missing, ReasonerTimeoutError (a ConfigError and a TimeoutError) when
    `timeout` seconds pass, and ReasonerError when HermiT rejects the input.
    """
    started = time.monotonic()
    java = _find_java(java)
    merged = _without_imports(graphs)
    unsupported = unsupported_datatypes(merged)
    with tempfile.TemporaryDirectory(prefix="policykg-hermit-") as folder:
        merged.serialize(Path(folder) / _INPUT, format="nt", encoding="utf-8")
        command = [sys.executable, "-m", "graph.checks.owl", _INPUT, "--java", java]
        if unsupported:
            command.append("--ignore-unsupported-datatypes")
        answer = _run_child(command, Path(folder), timeout)
    return _result(answer, time.monotonic() - started, unsupported)


def unsupported_datatypes(graph: Graph) -> tuple[str, ...]:
    """The datatypes of the graph's literals that are not in the OWL 2 datatype map, sorted."""
    found = {
        str(term.datatype)
        for term in graph.objects()
        if isinstance(term, Literal) and term.datatype is not None and term.datatype not in OWL2_DATATYPES
    }
    return tuple(sorted(found))


def _find_java(java: str | None) -> str:
    if java is None:
        import owlready2

        java = str(owlready2.JAVA_EXE)
    found = shutil.which(java)
    if found is None:
        raise ConfigError(f"{JAVA_MISSING} (no {java!r} executable found)")
    return found


def _without_imports(graphs: Iterable[Graph]) -> Graph:
    merged = Graph()
    for graph in graphs:
        merged += graph
    merged.remove((None, OWL.imports, None))
    return merged


def _run_child(command: list[str], folder: Path, timeout: float) -> dict[str, Any]:
    """Run the reasoning child in `folder` (its TMPDIR too, so HermiT's input file is removed with it)."""
    environment = {**os.environ, "TMPDIR": str(folder)}
    with subprocess.Popen(
        command,
        cwd=folder,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as child:
        try:
            output, errors = child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise ReasonerTimeoutError(
                f"the HermiT consistency check did not finish within {timeout:g} s and was stopped; "
                "raise the timeout or check the ontology for costly constructs"
            ) from None
        finally:
            _kill_group(child)
    return _answer(output, errors, child.returncode)


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    """Kill the child and everything it started (HermiT's JVM), unless it has already finished."""
    if child.poll() is not None:
        return
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        child.kill()
    child.wait()


def _answer(output: bytes, errors: bytes, returncode: int | None) -> dict[str, Any]:
    lines = output.decode("utf-8", "replace").strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        tail = errors.decode("utf-8", "replace").strip()[-2000:]
        raise ReasonerError(f"the consistency-check process failed (exit status {returncode}):\n{tail}") from None
    if not isinstance(answer, dict):
        raise ReasonerError(f"the consistency-check process answered {answer!r}")
    return answer


def _result(answer: dict[str, Any], seconds: float, unsupported: tuple[str, ...]) -> ConsistencyResult:
    status = answer.get("status")
    if status == "java-missing":
        raise ConfigError(f"{JAVA_MISSING} ({answer.get('message')})")
    if status == "reasoner-error":
        raise ReasonerError(f"HermiT rejected the input:\n{answer.get('message')}")
    if status not in ("consistent", "inconsistent"):
        raise ReasonerError(f"the consistency-check process answered {answer!r}")
    consistent = status == "consistent"
    return ConsistencyResult(
        consistent=consistent,
        explanation=None if consistent else INCONSISTENT,
        seconds=seconds,
        unsatisfiable=tuple(answer.get("unsatisfiable", ())),
        unsupported_datatypes=unsupported,
    )


# The child process: `python -m graph.checks.owl FILE`, answering with one line of JSON on stdout.


def reason(path: Path, java: str, ignore_unsupported_datatypes: bool = False) -> dict[str, Any]:
    """Load the N-Triples file into a fresh in-memory World and run HermiT on it (in this process)."""
    import owlready2

    world = owlready2.World()  # no filename: an in-memory quadstore that locks nobody out
    with path.open("rb") as triples:  # a file object: owlready2 then looks nowhere else for the ontology
        world.get_ontology(_CHECK_IRI).load(only_local=True, fileobj=triples, format="ntriples")
    default_java, owlready2.JAVA_EXE = owlready2.JAVA_EXE, java
    try:
        owlready2.sync_reasoner_hermit(
            world,
            infer_property_values=False,
            debug=0,
            ignore_unsupported_datatypes=ignore_unsupported_datatypes,
        )
    except owlready2.OwlReadyInconsistentOntologyError:
        return {"status": "inconsistent"}
    except owlready2.OwlReadyJavaError as error:
        return {"status": "reasoner-error", "message": _hermit_message(str(error))}
    except FileNotFoundError as error:  # owlready2 starts Java with subprocess, which raises this
        if error.filename != java:
            raise
        return {"status": "java-missing", "message": f"{java!r} could not be run"}
    finally:
        owlready2.JAVA_EXE = default_java
    unsatisfiable = sorted(
        str(cls.iri) for cls in world.inconsistent_classes() if cls is not owlready2.Nothing and hasattr(cls, "iri")
    )
    return {"status": "consistent", "unsatisfiable": unsatisfiable}


def _hermit_message(text: str) -> str:
    """HermiT's exception message without the Java stack trace."""
    kept = [line for line in text.splitlines() if not line.lstrip().startswith("at ")]
    return "\n".join(kept).removeprefix("Java error message is:\n").strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m graph.checks.owl", description=_SUMMARY)
    parser.add_argument("file", type=Path, help="an N-Triples file without owl:imports")
    parser.add_argument("--java", default="java", help="the Java executable HermiT runs on")
    parser.add_argument("--ignore-unsupported-datatypes", action="store_true")
    arguments = parser.parse_args(argv)
    answer = reason(arguments.file, arguments.java, arguments.ignore_unsupported_datatypes)
    print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
