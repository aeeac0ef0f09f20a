"""JSON API: tasks of the task-division tables, filtered by unit, role, category, document or text."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request, Response

from api.deps import ViewsDep
from api.errors import APIError
from api.identifiers import ID_MAX_LENGTH, ID_PATTERN, agency_id
from api.models.common import ErrorBody, TaskPage
from api.paging import PagingDep, page_headers
from graph.views.records import LinkKind, LinkMethod, Task, TaskFilter, TaskRelated, TaskSummary

router = APIRouter(prefix="/api/tasks", tags=["Tasks"])
ERRORS: dict[int | str, dict[str, object]] = {
    404: {"model": ErrorBody, "description": "No such task"},
    422: {"model": ErrorBody, "description": "A malformed parameter, named in the message"},
}
_TABLE = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"


def _id(description: str, example: str) -> object:
    return Query(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, description=description, examples=[example])


@router.get("", summary="List tasks", responses=ERRORS)
def list_tasks(
    request: Request,
    response: Response,
    views: ViewsDep,
    paging: PagingDep,
    agency: Annotated[str | None, _id("A responsible unit: `agency/bj-finance` or `bj-finance`.", "bj-finance")] = None,
    role: Annotated[
        Literal["lead", "participating", "responsible", "guiding"] | None,
        Query(description="The role of `agency` (or, alone, of any unit) in the task."),
    ] = None,
    category: Annotated[str | None, _id("A category id.", f"{_TABLE}/category/5")] = None,
    policy: Annotated[str | None, _id("A task-division table's id.", _TABLE)] = None,
    q: Annotated[
        str | None,
        Query(
            max_length=200,
            description="Words in the task's text, its category or its units' names (zh or en).",
            examples=["科研"],
        ),
    ] = None,
) -> TaskPage:
    """Tasks in table and number order. Filters combine; an id that names nothing (an unknown unit, category or
    table) gives an empty list, not an error. `q` is matched as plain text, case-insensitively, against the task's
    text, its category's labels and its units' Chinese and English names; an empty `q` matches every task."""
    where = TaskFilter(
        agency=views.iri(agency_id(agency)) if agency else None,
        role=role,
        category=views.iri(category) if category else None,
        policy=views.iri(policy) if policy else None,
        q=q,
    )
    iris = views.task_iris(where)
    page_headers(request, response, paging, len(iris))
    items = list[TaskSummary](views.tasks(paging.window(iris)))
    return TaskPage(total=len(iris), limit=paging.limit, offset=paging.offset, items=items)


# Declared before `/{id:path}`, which would otherwise take `…/task/8/related` for a task id.
@router.get("/{id:path}/related", summary="What a task implements and rests on", responses=ERRORS)
def get_related(
    id: Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, examples=[f"{_TABLE}/task/8"])],
    views: ViewsDep,
    kind: Annotated[
        LinkKind | None,
        Query(description="implements (national measures), cites (law articles it rests on) or similar."),
    ] = None,
    method: Annotated[
        LinkMethod | None,
        Query(description="curated (read and checked) or automatic (proposed by text similarity, with a score)."),
    ] = None,
) -> TaskRelated:
    """The provisions a task is linked to: the national measures it implements, the law articles it rests on and
    automatically proposed similar provisions, each with its kind, method, rank (1 is primary), reason, score and
    document. Curated links come first, then implements, cites, similar, each by rank."""
    related = views.task_related(views.iri(id), kind, method)
    if related is None:
        raise APIError(404, "not_found", f"no task with id {id!r}")
    return related


@router.get("/{id:path}", summary="One task", responses=ERRORS)
def get_task(
    id: Annotated[str, Path(pattern=ID_PATTERN, max_length=ID_MAX_LENGTH, examples=[f"{_TABLE}/task/8"])],
    views: ViewsDep,
) -> Task:
    """A task with its text, category, table, lead and participating units, every assignment (role, position,
    the name as written) and its source row: the four cells verbatim and the row a merged cell continues."""
    task = views.task(views.iri(id), with_row=True)
    if task is None:
        raise APIError(404, "not_found", f"no task with id {id!r}")
    return task
