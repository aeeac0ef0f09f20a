"""How PolicyKG mints IRIs. Same input, same IRIs: every IRI is derived from stable keys in the input.

policy with a number  {BASE}eli/{jurisdiction}/{code slug}/{year}/{serial}   from 京科转发〔2022〕226号
                      {BASE}eli/{jurisdiction}/{code slug}/{serial}          from an order, 国务院令第731号
policy without one    {BASE}eli/{eli path from the manifest}
attachment            {policy}/attachment/{n}
category, task, row   {document}/category/{n}, {document}/task/{n}, {document}/row/{n}
assignment            {task}/assignment/{position}
unit                  {BASE}agency/{registry id}   (unregistered: agency/unregistered-{sha256 of name})
named graph           {BASE}graph/{manifest id}
source file           {BASE}source/sha256/{hex digest}
"""

from __future__ import annotations

import re

from rdflib import URIRef

BASE = "https://w3id.org/policykg/"
ONTOLOGY = URIRef(BASE + "ontology")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
REGISTRY_GRAPH = URIRef(BASE + "graph/agencies")
CATALOGUE_GRAPH = URIRef(BASE + "graph/catalogue")
PROVENANCE_GRAPH = URIRef(BASE + "graph/provenance")

DOCUMENT_NUMBER = re.compile(r"^(?P<code>[\u4e00-\u9fff]+)〔(?P<year>\d{4})〕(?P<serial>\d+)号$")
ORDER_NUMBER = re.compile(r"^(?P<code>[\u4e00-\u9fff]+令)第(?P<serial>\d+)号$")  # 国务院令第731号
_SEGMENT = re.compile(r"^[a-z0-9]+(?:[-.][a-z0-9]+)*$")


def safe_segment(value: str) -> str:
    """A path segment from configuration: lower-case ASCII words only, so no input can inject IRI syntax."""
    if not _SEGMENT.match(value):
        raise ValueError(f"{value!r} is not a safe IRI segment (lower-case ASCII letters, digits, '-', '.')")
    return value


def policy_from_number(jurisdiction: str, slug: str, year: str, serial: str) -> URIRef:
    return URIRef(f"{BASE}eli/{safe_segment(jurisdiction)}/{safe_segment(slug)}/{int(year)}/{int(serial)}")


def policy_from_order(jurisdiction: str, slug: str, serial: str) -> URIRef:
    """An order (令) has no year: 国务院令第731号 -> eli/cn/guowuyuanling/731."""
    return URIRef(f"{BASE}eli/{safe_segment(jurisdiction)}/{safe_segment(slug)}/{int(serial)}")


def policy_from_path(path: str) -> URIRef:
    return URIRef(BASE + "eli/" + "/".join(safe_segment(part) for part in path.split("/")))


def jurisdiction_of(policy: URIRef) -> str | None:
    """The jurisdiction a policy IRI names: eli/cn-bj/... -> "cn-bj"; None for an IRI outside eli/."""
    path = str(policy).removeprefix(BASE)
    if not path.startswith("eli/") or path == str(policy):
        return None
    return path.split("/")[1] or None


def attachment(policy: URIRef, number: int) -> URIRef:
    return URIRef(f"{policy}/attachment/{int(number)}")


def part(document: URIRef, kind: str, number: int) -> URIRef:
    """A numbered part of a document: its category, task or source row."""
    return URIRef(f"{document}/{safe_segment(kind)}/{int(number)}")


def assignment(task: URIRef, position: int) -> URIRef:
    return URIRef(f"{task}/assignment/{int(position)}")


def unit(unit_id: str) -> URIRef:
    return URIRef(f"{BASE}agency/{safe_segment(unit_id)}")


def named_graph(document_id: str) -> URIRef:
    return URIRef(f"{BASE}graph/{safe_segment(document_id)}")


def source_file(sha256: str) -> URIRef:
    if not re.fullmatch(r"[0-9a-f]{64}", sha256):
        raise ValueError(f"{sha256!r} is not a SHA-256 hex digest")
    return URIRef(f"{BASE}source/sha256/{sha256}")


def build(release: str) -> URIRef:
    return URIRef(f"{BASE}build/{safe_segment(release.lower())}")
