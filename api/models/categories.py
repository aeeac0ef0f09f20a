"""Response models of `/api/categories`: the categories (分类) of the task-division tables."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from api.models.common import Page, Ref, TaskRef, labels, page_of, ref, task_ref, with_examples
from api.models.examples import CATEGORY, CATEGORY_DETAIL
from graph.views import records


class Category(Ref):
    """A category (分类) of a task-division table."""

    model_config = with_examples(CATEGORY)
    number: int
    notation: str | None = Field(description="The numeral the table writes, e.g. 五.")
    policy: Ref
    task_count: int


class CategoryDetail(Category):
    """A category with its tasks."""

    model_config = with_examples(CATEGORY_DETAIL)
    tasks: list[TaskRef]


class CategoryPage(Page[Category]):
    model_config = with_examples(page_of(CATEGORY, 8))


def _category_fields(item: records.Category) -> dict[str, Any]:
    return {
        "iri": item.iri,
        "id": item.id,
        "labels": labels(item.label),
        "number": item.number,
        "notation": item.notation,
        "policy": ref(item.policy),
        "task_count": item.task_count,
    }


def category(item: records.Category) -> Category:
    return Category(**_category_fields(item))


def category_detail(item: records.Category, tasks: list[records.Task]) -> CategoryDetail:
    return CategoryDetail(**_category_fields(item), tasks=[task_ref(each) for each in tasks])
