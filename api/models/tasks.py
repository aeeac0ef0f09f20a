"""Response models of `/api/tasks`: tasks with their units, assignments and source rows."""

from __future__ import annotations

from typing import Any, Literal, cast

from pydantic import BaseModel, Field

from api.models.common import Page, Ref, TaskRef, labels, page_of, ref, with_examples
from api.models.examples import TASK_8, TASK_8_SUMMARY
from graph.views import records


class Assignment(BaseModel):
    """A unit's responsibility for a task: its role and its place in the 责任单位 cell."""

    model_config = with_examples(TASK_8["assignments"][1])
    agency: Ref
    role: Literal["lead", "participating"]
    position: int = Field(description="1 for the first unit named in the 责任单位 cell.")
    verbatim_name: str | None = Field(description="The name as the table writes it.")


class SourceRow(BaseModel):
    """The table row a task was read from, its four cells verbatim, and which row a merged cell continues."""

    model_config = with_examples(TASK_8["source_row"])
    iri: str
    id: str
    row: int = Field(description="Row number in the source table (the header is row 1).")
    cells: dict[str, str] = Field(
        description="The verbatim cells, keyed by column: 分类, 任务编号, 任务内容, 责任单位."
    )
    category_continues_row: int | None = Field(description="The row whose merged 分类 cell this row continues.")
    units_continue_row: int | None = Field(description="The row whose merged 责任单位 cell this row continues.")


class TaskSummary(TaskRef):
    """A task as lists show it."""

    model_config = with_examples(TASK_8_SUMMARY)
    text: str
    category: Ref
    policy: Ref = Field(description="The task-division table the task belongs to.")
    lead: Ref | None = Field(description="The lead unit (牵头单位).")
    participating: list[Ref] = Field(description="The participating units (配合单位), in table order.")


class Task(TaskSummary):
    """A task with every assignment and its source row."""

    model_config = with_examples(TASK_8)
    assignments: list[Assignment]
    source_row: SourceRow | None


class TaskPage(Page[TaskSummary]):
    model_config = with_examples(page_of(TASK_8_SUMMARY, 19))


def _task_fields(task: records.Task) -> dict[str, Any]:
    return {
        "iri": task.iri,
        "id": task.id,
        "labels": labels(task.label),
        "number": task.number,
        "text": task.text,
        "category": ref(task.category),
        "policy": ref(task.policy),
        "lead": ref(task.lead) if task.lead else None,
        "participating": [ref(agency) for agency in task.participating],
    }


def task_summary(task: records.Task) -> TaskSummary:
    return TaskSummary(**_task_fields(task))


def assignment(item: records.Assignment) -> Assignment:
    role = cast(Literal["lead", "participating"], item.role)
    return Assignment(agency=ref(item.agency), role=role, position=item.position, verbatim_name=item.verbatim_name)


def source_row(row: records.SourceRow, base: str) -> SourceRow:
    return SourceRow(
        iri=row.iri,
        id=row.iri.removeprefix(base),
        row=row.row,
        cells=row.cells,
        category_continues_row=row.category_continues_row,
        units_continue_row=row.units_continue_row,
    )


def task(item: records.Task, base: str) -> Task:
    return Task(
        **_task_fields(item),
        assignments=[assignment(each) for each in item.assignments],
        source_row=source_row(item.source_row, base) if item.source_row else None,
    )
