"""Response models of `/api/policies`: policy documents."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.models.common import Labels, Page, Ref, labels, page_of, ref, refs, with_examples
from api.models.examples import POLICY, POLICY_SUMMARY
from graph.views import records


class PolicySummary(Ref):
    """A policy document as lists show it; `labels` is its title."""

    model_config = with_examples(POLICY_SUMMARY)
    number: str | None = Field(description="The document number (文号), e.g. 国办发〔2021〕26号.")
    kind: Ref | None = Field(description="The kind of document (ELI resource type).")
    date: str | None = Field(description="Date of the document (ISO 8601).")
    attachment_of: Ref | None = Field(description="The document this one is an attachment of.")


class Policy(PolicySummary):
    """A policy document with its issuers, the documents it implements and is implemented by, and its files."""

    model_config = with_examples(POLICY)
    issuers: list[Ref]
    implements: list[Ref]
    implemented_by: list[Ref]
    attachments: list[Ref]
    sources: list[Ref] = Field(description="The source files it was read from (by SHA-256).")
    description: Labels | None
    published: str | None = Field(description="Date of publication (ISO 8601).")
    in_force: str | None = Field(description="Date of entry into force (ISO 8601).")


class PolicyPage(Page[PolicySummary]):
    model_config = with_examples(page_of(POLICY_SUMMARY, 6))


def _policy_fields(item: records.Policy) -> dict[str, Any]:
    return {
        "iri": item.iri,
        "id": item.id,
        "labels": labels(item.title),
        "number": item.number,
        "kind": ref(item.kind) if item.kind else None,
        "date": item.date,
        "attachment_of": ref(item.attachment_of) if item.attachment_of else None,
    }


def policy_summary(item: records.Policy) -> PolicySummary:
    return PolicySummary(**_policy_fields(item))


def policy(item: records.Policy) -> Policy:
    links, facts = item.links, item.facts
    zh, en = facts.get("description_zh") or facts.get("description"), facts.get("description_en")
    return Policy(
        **_policy_fields(item),
        issuers=refs(links.get("issuer", [])),
        implements=refs(links.get("implements", [])),
        implemented_by=refs(links.get("implemented_by", [])),
        attachments=refs(links.get("attachment", [])),
        sources=refs(links.get("source", [])),
        description=Labels(zh=zh, en=en) if zh or en else None,
        published=facts.get("published"),
        in_force=facts.get("in_force"),
    )
