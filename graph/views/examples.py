"""Examples of the records for the JSON API's documentation (OpenAPI): real values of the bundled table
京科转发〔2022〕226号 附件1 and of the national measures it implements. The tests check that the API answers
exactly these. Only documentation: no code reads them."""

from __future__ import annotations

from typing import Any

from pydantic import ConfigDict

BASE = "https://w3id.org/policykg/"
TABLE_ID = "eli/cn-bj/jingkezhuanfa/2022/226/attachment/1"
OPINIONS_ID = "eli/cn-bj/jingkezhuanfa/2022/226"
TASK_8_ID = f"{TABLE_ID}/task/8"


def with_examples(*examples: dict[str, Any]) -> ConfigDict:
    """A model's configuration that shows `examples` in its JSON Schema."""
    return ConfigDict(json_schema_extra={"examples": list(examples)})


def _ref(identifier: str, zh: str | None, en: str | None) -> dict[str, Any]:
    return {"iri": BASE + identifier, "id": identifier, "labels": {"zh": zh, "en": en}}


FINANCE = _ref("agency/bj-finance", "北京市财政局", "Beijing Municipal Finance Bureau")
STI_ZGC = _ref(
    "agency/bj-sti-zgc",
    "北京市科学技术委员会、中关村科技园区管理委员会",
    "Beijing Municipal Science and Technology Commission / Administrative Commission of Zhongguancun Science Park",
)
HEALTH = _ref("agency/bj-health", "北京市卫生健康委员会", "Beijing Municipal Health Commission")
SASAC = _ref(
    "agency/bj-sasac",
    "北京市人民政府国有资产监督管理委员会",
    "State-owned Assets Supervision and Administration Commission of the Beijing Municipal Government",
)
TABLE = _ref(TABLE_ID, "落实《实施意见》任务分工表", "Task-division table for implementing the Implementation Opinions")
OPINIONS = _ref(
    OPINIONS_ID,
    "北京市关于落实完善科技成果评价机制的实施意见",
    "Beijing Implementation Opinions on Improving the Mechanism for Evaluating Scientific and Technological "
    "Achievements",
)
NATIONAL = _ref(
    "eli/cn/guobanfa/2021/26",
    "国务院办公厅关于完善科技成果评价机制的指导意见",
    "Guiding Opinions of the General Office of the State Council on Improving the Mechanism for Evaluating "
    "Scientific and Technological Achievements",
)
CATEGORY_5 = _ref(
    f"{TABLE_ID}/category/5", "持续推进科研管理改革试点", "Continue the pilot reform of research management"
)
TASK_7_REF = {**_ref(f"{TABLE_ID}/task/7", "任务7", "Task 7"), "number": 7}
TASK_8_REF = {**_ref(TASK_8_ID, "任务8", "Task 8"), "number": 8}
TASK_18_REF = {**_ref(f"{TABLE_ID}/task/18", "任务18", "Task 18"), "number": 18}
TASK_8_TEXT = "深入推进科研管理改革试点，加快建立科技计划成果后评估制度。"
TASK_8_SUMMARY = {
    **TASK_8_REF,
    "text": TASK_8_TEXT,
    "category": CATEGORY_5,
    "policy": TABLE,
    "lead": STI_ZGC,
    "leads": [STI_ZGC],
    "participating": [FINANCE],
    "responsible": [],
    "guiding": [],
}
TASK_8 = {
    **TASK_8_SUMMARY,
    "assignments": [
        {"agency": STI_ZGC, "role": "lead", "position": 1, "verbatim_name": "市科委、中关村管委会"},
        {"agency": FINANCE, "role": "participating", "position": 2, "verbatim_name": "市财政局"},
    ],
    "source_row": {
        "iri": f"{BASE}{TABLE_ID}/row/9",
        "id": f"{TABLE_ID}/row/9",
        "row": 9,
        "cells": {"分类": "", "任务编号": "8", "任务内容": TASK_8_TEXT, "责任单位": "市科委、中关村管委会，市财政局"},
        "category_continues_row": 8,
        "units_continue_row": None,
    },
}
CATEGORY = {**CATEGORY_5, "number": 5, "notation": "五", "policy": TABLE, "task_count": 2}
CATEGORY_DETAIL = {**CATEGORY, "tasks": [TASK_7_REF, TASK_8_REF]}
# citations: the Beijing opinions say they implement 国办发〔2021〕26号; the 2021 law is made under the constitution
OPINIONS_SENTENCE = (
    "为贯彻落实《国务院办公厅关于完善科技成果评价机制的指导意见》(国办发〔2021〕26号),发挥科技成果评价“指挥棒”作用,"
    "推动高质量成果产出、营造良好创新生态,助力北京国际科技创新中心建设,特制定《北京市关于落实完善科技成果评价机制的实施意见》,"
    "现印发给你们,请遵照执行。"
)
CITATION_LINK = {
    "link": _ref("link/eac7e86890392fae", "落实（自动）", "implements (automatic)"),
    "kind": "implements",
    "method": "automatic",
    "rank": 1,
    "primary": False,
    "reason": {
        "zh": OPINIONS_SENTENCE,
        "en": "The text says it implements 《国务院办公厅关于完善科技成果评价机制的指导意见》(国办发〔2021〕26号) "
        "(the sentence, quoted as the Chinese reason)",
    },
    "score": None,
    "source": OPINIONS,
    "target": NATIONAL,
    "document": NATIONAL,
}
LAW_2021_ID = "eli/cn/law/2021/science-and-technology-progress"
UNRESOLVED_CITATION = {
    **_ref("citation/6358e6711508cab8", "引用宪法", "Citation of 宪法"),
    "text": "宪法",
    "title": "宪法",
    "number": None,
    "sentence": "为了全面促进科学技术进步，发挥科学技术第一生产力、创新第一动力、人才第一资源的作用，"
    "促进科技成果向现实生产力转化，推动科技创新支撑和引领经济社会发展，全面建设社会主义现代化国家，根据宪法，制定本法。",
    "kind": "implements",
    "cited_in": _ref(f"{LAW_2021_ID}/article/1", "第一条", "Article 1"),
    "order": 1,
}
POLICY_SUMMARY = {
    **OPINIONS,
    "number": "京科转发〔2022〕226号",
    "kind": _ref("ontology#implementationOpinions", "实施意见", "implementation opinions"),
    "date": "2022-09-23",
    "attachment_of": None,
}
POLICY = {
    **POLICY_SUMMARY,
    "issuers": [FINANCE, STI_ZGC],  # two of its eleven issuers
    "implements": [NATIONAL],
    "implemented_by": [],
    "attachments": [TABLE],
    "sources": [_ref("source/sha256/b5542528c90a86e77bec9018798abf8807b570449d96a06971a7f0a844a8d611", None, None)],
    "description": {
        "zh": "仅有通知和意见开头部分；任务分工表为其附件。",
        "en": "Only the notice and the opening of the opinions are available; the task-division table is its "
        "attachment.",
    },
    "published": None,
    "in_force": None,
    "cites": [CITATION_LINK],
    "cited_in": [],
    "unresolved_citations": [],
}
AGENCY_SUMMARY = {**FINANCE, "kind": "agency", "leads": 0, "joins": 2}
AGENCY = {
    **AGENCY_SUMMARY,
    "names": ["市财政局"],
    "parent": None,
    "same_as": [],
    "exact_match": [],
    "lead_tasks": [],
    "participating_tasks": [TASK_8_REF, TASK_18_REF],
    "collaborators": [
        {"agency": STI_ZGC, "shared_tasks": 2},
        {"agency": HEALTH, "shared_tasks": 1},
        {"agency": SASAC, "shared_tasks": 1},
    ],
}


# provisions and links: 国办发〔2021〕26号 二（三）, which task 8 implements (curated), and 二（八）, which no task does
PART_2_ID = "eli/cn/guobanfa/2021/26/part/2"
MEASURE_3 = {
    **_ref(f"{PART_2_ID}/item/3", "二（三）加快推进国家科技项目成果评价改革", "Measure 2.3"),
    "kind": "item",
    "measure": True,
    "number": 3,
    "notation": "（三）",
    "heading": "加快推进国家科技项目成果评价改革",
    "document": NATIONAL,
    "parent": _ref(PART_2_ID, "二、主要工作措施", "Part 2"),
}
MEASURE_8 = {
    **MEASURE_3,
    **_ref(
        f"{PART_2_ID}/item/8", "二（八）坚决破解科技成果评价中的“唯论文、唯职称、唯学历、唯奖项”问题", "Measure 2.8"
    ),
    "number": 8,
    "notation": "（八）",
    "heading": "坚决破解科技成果评价中的“唯论文、唯职称、唯学历、唯奖项”问题",
}
LINK_8_3 = {
    "link": _ref("link/f912486fb323461b", "落实（人工）", "implements (curated)"),
    "kind": "implements",
    "method": "curated",
    "rank": 1,
    "primary": True,
    "reason": {
        "zh": "沿用二（三）原文：深入推进科研管理改革试点，建立科技计划成果后评估制度",
        "en": "Reuses 2.3: deepen the research-management pilot and set up post-evaluation of programme results",
    },
    "score": None,
}
RELATED_8 = {**LINK_8_3, "target": MEASURE_3}
LINKED_TASK_8 = {**LINK_8_3, "task": TASK_8_SUMMARY}
PROVISION = {
    **MEASURE_3,
    "text": "按照“四个面向”要求深入推进科研管理改革试点，抓紧建立科技计划成果后评估制度。……",
    "ancestors": [MEASURE_3["parent"]],
    "children": [],
    "implemented_by": [LINKED_TASK_8],  # one of the four tasks that implement 二（三）
    "cited_by": [],
    "candidates": [],
    "cites": [],
    "cited_in": [],
}
TASK_RELATED = {"task": TASK_8_REF, "items": [RELATED_8]}
MEASURE_3_COVERAGE = {"measure": MEASURE_3, "tasks": [LINKED_TASK_8]}
NATIONAL_COVERAGE = {
    "document": NATIONAL,
    "measure_count": 10,
    "covered_count": 9,
    "measures": [MEASURE_3_COVERAGE, {"measure": MEASURE_8, "tasks": []}],  # two of the ten
    "uncovered": [MEASURE_8],
}
COVERAGE = {"documents": [NATIONAL_COVERAGE]}
