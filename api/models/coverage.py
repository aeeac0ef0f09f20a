"""Response models of `/api/coverage`: how far the measures of a document are taken up by tasks."""

from __future__ import annotations

from pydantic import BaseModel, Field

from api.models.common import Ref, ref, with_examples
from api.models.examples import COVERAGE, MEASURE_3_COVERAGE, NATIONAL_COVERAGE
from api.models.provisions import LinkedTask, ProvisionSummary, linked_task, provision_summary
from graph.views import records


class MeasureCoverage(BaseModel):
    """A measure and the tasks that implement it (curated links; `primary` marks a task's main measure)."""

    model_config = with_examples(MEASURE_3_COVERAGE)
    measure: ProvisionSummary
    tasks: list[LinkedTask]


class DocumentCoverage(BaseModel):
    """How far the measures of one document are taken up by local tasks."""

    model_config = with_examples(NATIONAL_COVERAGE)
    document: Ref
    measure_count: int
    covered_count: int = Field(description="Measures at least one task implements.")
    measures: list[MeasureCoverage] = Field(description="Every measure in document order.")
    uncovered: list[ProvisionSummary] = Field(description="The measures no task implements.")


class Coverage(BaseModel):
    """Coverage of the measures of one document, or of every document that has measures."""

    model_config = with_examples(COVERAGE)
    documents: list[DocumentCoverage]


def document_coverage(item: records.Coverage) -> DocumentCoverage:
    measures = [
        MeasureCoverage(
            measure=provision_summary(entry.measure),
            tasks=[linked_task(each) for each in entry.tasks],
        )
        for entry in item.measures
    ]
    return DocumentCoverage(
        document=ref(item.document),
        measure_count=len(item.measures),
        covered_count=item.covered,
        measures=measures,
        uncovered=[each.measure for each in measures if not each.tasks],
    )
