"""The coverage chart: one row per measure of a national document, a bar of one block per local task implementing
it (curated links; the task's number on the block, the task's main measure solid, a further one lighter), and the
measures no task implements marked as gaps: a red hatched block labelled 无地方任务 / no local task."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable

from graph.pictures import svg
from graph.pictures.svg import Words, element, number
from graph.views.records import DocumentCoverage, Labels, MeasureCoverage

Href = Callable[[str], str]  # the address a picture links a resource IRI to; "" for none
PRIMARY, SECONDARY, GAP = "#0b57a4", "#9ec3e8", "#c62828"
LABEL_WIDTH, BLOCK, ROW, BAR, HEADING, TOP, LEGEND = 330.0, 34.0, 40.0, 24.0, 34.0, 64.0, 56.0
NO_TASK = Words("无地方任务", "no local task")


def coverage_svg(
    coverages: list[DocumentCoverage], href: Href, lang: str = "zh", standalone: bool = False, ident: str = "coverage"
) -> str:
    """The chart for each document's measures, one document under another; `ident` prefixes its element ids."""
    most = max((len(entry.tasks) for c in coverages for entry in c.measures), default=0)
    bars = max(most, 3) * BLOCK + 150
    width = 16 + LABEL_WIDTH + bars
    rows = sum(len(c.measures) for c in coverages)
    height = TOP + len(coverages) * HEADING + max(rows, 1) * ROW + LEGEND
    title, description = _words(coverages)
    root = svg.document(width, height, title.shown(lang), description.shown(lang), lang, ident)
    defs = element(root, "defs")
    pattern = element(
        defs,
        "pattern",
        id=f"{ident}-hatch",
        width=6,
        height=6,
        patternUnits="userSpaceOnUse",
        patternTransform="rotate(45)",
    )
    element(pattern, "rect", width=6, height=6, fill="#fde8e8")
    element(pattern, "line", x1=0, y1=0, x2=0, y2=6, stroke=GAP, stroke_width=2.5)
    element(root, "rect", width=number(width), height=number(height), fill=svg.PAPER)
    element(root, "text", title.both(lang), x=16, y=24, font_size=15, font_weight=600)
    _axis(root, most, rows, len(coverages), lang)
    y = TOP
    for coverage in coverages:
        element(root, "a", href=href(coverage.document.iri) or None).append(_heading(coverage, y, lang))
        y += HEADING
        for entry in coverage.measures:
            _row(root, entry, y, href, lang, ident)
            y += ROW
    if not rows:
        element(root, "text", Words("没有含有措施的文件", "No document has measures").both(lang), x=16, y=y + 20)
    _legend(root, height - LEGEND + 12, width, lang, ident)
    return svg.serialize(root, standalone)


def _words(coverages: list[DocumentCoverage]) -> tuple[Words, Words]:
    title = Words("国家措施的地方落实情况", "National measures and the local tasks implementing them")
    zh, en = [], []
    for c in coverages:
        name = Words(c.document.labels.zh or c.document.id, c.document.labels.en or c.document.labels.any)
        gaps = [m.labels.zh or m.id for m in c.uncovered]
        gaps_en = [m.labels.en or m.labels.any for m in c.uncovered]
        zh.append(
            f"{name.zh}共 {len(c.measures)} 项措施，{c.covered_count} 项有地方任务落实"
            + (f"，{len(gaps)} 项没有：{'；'.join(gaps)}。" if gaps else "，全部有任务落实。")
        )
        en.append(
            f"{name.en}: {len(c.measures)} measures, {c.covered_count} implemented by local tasks"
            + (f", {len(gaps)} by none: {'; '.join(gaps_en)}." if gaps else ", all of them.")
        )
    how = Words(
        "每行一项措施，条形中每格是一项落实该措施的地方任务（格内为任务编号，浅色为次要关联）。",
        "One row per measure; each block of a bar is a local task implementing it (its number inside; "
        "lighter when the measure is not the task's main one).",
    )
    return title, Words("".join(zh) + how.zh, " ".join([*en, how.en]))


def _axis(root: ET.Element, most: int, rows: int, documents: int, lang: str) -> None:
    left = 16 + LABEL_WIDTH
    bottom = TOP + documents * HEADING + rows * ROW
    axis = element(root, "g", class_="axis", font_size=12, fill=svg.MUTED)
    element(axis, "text", Words("落实任务数", "tasks implementing it").both(lang), x=number(left), y=TOP - 24)
    for count in range(most + 1):
        x = number(left + count * BLOCK)
        element(axis, "line", x1=x, y1=TOP - 4, x2=x, y2=number(bottom), stroke=svg.LINE, stroke_width=1)
        element(axis, "text", str(count), x=x, y=TOP - 9, text_anchor="middle")


def _heading(coverage: DocumentCoverage, y: float, lang: str) -> ET.Element:
    label = coverage.document.labels
    words = Words(label.zh or coverage.document.id, label.en or label.any)
    heading = element(None, "text", x=16, y=number(y + 22), font_size=13, font_weight=600, fill=svg.LINK)
    element(heading, "tspan", svg.shorten(words.shown(lang), 13, LABEL_WIDTH + 300), lang=svg.LANGUAGES[lang])
    return heading


def _row(root: ET.Element, entry: MeasureCoverage, y: float, href: Href, lang: str, ident: str) -> None:
    measure = entry.measure
    state = "covered" if entry.tasks else "gap"
    row = element(root, "g", class_=f"measure {state}", data_id=measure.id, data_tasks=len(entry.tasks))
    label = Words(measure.labels.zh or measure.id, measure.labels.en or measure.labels.any or measure.id)
    link = element(row, "a", href=href(measure.iri) or None, aria_label=label.shown(lang))
    _measure_label(link, measure.labels, measure.id, y, lang)
    left = 16 + LABEL_WIDTH
    top = y + (ROW - BAR) / 2
    if not entry.tasks:
        element(
            row,
            "rect",
            x=number(left),
            y=number(top),
            width=number(BLOCK),
            height=number(BAR),
            fill=f"url(#{ident}-hatch)",
            stroke=GAP,
            stroke_width=1.5,
            class_="gap-bar",
        )
        element(
            row,
            "text",
            NO_TASK.both(lang),
            x=number(left + BLOCK + 8),
            y=number(top + BAR / 2 + 4),
            fill=GAP,
            font_weight=700,
            class_="gap-label",
        )
        return
    for index, linked in enumerate(entry.tasks):
        task = linked.task
        primary = linked.primary
        kind = Words("主要落实措施", "its main measure") if primary else Words("次要关联", "a further measure")
        name = Words(f"任务 {task.number}（{kind.zh}）", f"task {task.number} ({kind.en})")
        block = element(row, "a", href=href(task.iri) or None, class_="task", aria_label=name.shown(lang))
        element(
            block,
            "title",
            f"{task.policy.labels.any} · {Words('任务', 'task').shown(lang)} {task.number}"
            f" · {kind.both(lang)}\n{task.text}",
        )
        x = left + index * BLOCK
        element(
            block,
            "rect",
            x=number(x + 1),
            y=number(top),
            width=number(BLOCK - 2),
            height=number(BAR),
            rx=2,
            fill=PRIMARY if primary else SECONDARY,
            data_primary=str(primary).lower(),
        )
        element(
            block,
            "text",
            str(task.number),
            x=number(x + BLOCK / 2),
            y=number(top + BAR / 2 + 4),
            text_anchor="middle",
            font_size=12,
            font_weight=600,
            fill=svg.PAPER if primary else svg.INK,
        )
    count = Words(f"{len(entry.tasks)} 项任务", f"{len(entry.tasks)} task" + ("s" if len(entry.tasks) > 1 else ""))
    element(
        row,
        "text",
        count.both(lang),
        x=number(left + len(entry.tasks) * BLOCK + 8),
        y=number(top + BAR / 2 + 4),
        font_size=12,
        fill=svg.MUTED,
    )


def _measure_label(link: ET.Element, label: Labels, fallback: str, y: float, lang: str) -> None:
    words = Words(label.zh or fallback, label.en or label.any or fallback)
    text = element(link, "text", x=16, y=number(y + 16), fill=svg.LINK)
    element(text, "tspan", svg.shorten(words.shown(lang), 12, LABEL_WIDTH - 12), lang=svg.LANGUAGES[lang])
    other = "zh" if lang == "en" else "en"
    element(
        text,
        "tspan",
        svg.shorten(words.other(lang), 12, LABEL_WIDTH - 12),
        x=16,
        dy=14,
        font_size=12,
        fill=svg.MUTED,
        lang=svg.LANGUAGES[other],
    )
    element(link, "title", words.both(lang, "\n"))


def _legend(root: ET.Element, y: float, width: float, lang: str, ident: str) -> None:
    legend = element(root, "g", class_="legend", font_size=12, transform=f"translate(16,{number(y)})")
    entries = [
        ({"fill": PRIMARY}, Words("主要落实该措施的任务", "task whose main measure it is")),
        ({"fill": SECONDARY}, Words("次要关联的任务", "task linked to it as a further measure")),
        ({"fill": f"url(#{ident}-hatch)", "stroke": GAP}, NO_TASK),
    ]
    x, line = 0.0, 0.0
    for style, words in entries:
        text = words.both(lang)
        wide = 24 + svg.text_width(text, 12) + 22
        if x and x + wide > width - 32:
            x, line = 0.0, line + 20
        element(legend, "rect", x=number(x), y=number(line), width=18, height=14, rx=2, **style)
        element(legend, "text", text, x=number(x + 24), y=number(line + 11))
        x += wide
