"""The Beijing task-division table, checked whole against an expectation typed from the source document."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from graph.ingest.manifest import Document
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from tests.helpers import task_iri

STI = "bj-sti-zgc"  # 市科委、中关村管委会: one body with two names
EDU, ECON, HEALTH, SAST = "bj-education", "bj-economy-it", "bj-health", "bj-sast"
FINREG, IPO, SASAC, FIN = "bj-financial-regulation", "bj-ipo", "bj-sasac", "bj-finance"
TASK_10_UNITS = [
    STI, EDU, ECON, "bj-ecology-environment", "bj-urban-management", "bj-transport", "bj-water",
    "bj-agriculture-rural", HEALTH, SASAC, "bj-forestry-parks", IPO, SAST,
]  # fmt: skip

# task number -> (category number, responsible units in the order the cell lists them)
EXPECTED = {
    1: (1, [STI, EDU, ECON, HEALTH, SAST]),
    2: (2, [STI, FINREG]),
    3: (2, [STI, EDU, "bj-hrss", HEALTH, SAST]),
    4: (3, [STI, "bj-market-regulation", SAST]),
    5: (4, [STI, FINREG]),
    6: (4, [STI, FINREG, IPO]),
    7: (5, [STI]),
    8: (5, [STI, FIN]),
    9: (6, [STI, EDU, HEALTH, SAST]),
    10: (6, TASK_10_UNITS),
    11: (6, TASK_10_UNITS),
    12: (6, [STI, SAST]),
    13: (6, [STI, EDU, HEALTH, IPO]),
    14: (7, [STI, ECON, HEALTH, "bj-district-governments", "bj-etdz"]),
    15: (7, [STI]),
    16: (7, [STI, SAST]),
    17: (8, [STI, EDU, HEALTH, SASAC]),
    18: (8, [STI, FIN, HEALTH, SASAC]),
    19: (8, [STI, EDU, HEALTH, SASAC]),
}
CATEGORIES = {
    1: "科学确定科技成果评价的对象和内容",
    2: "大力发展科技成果市场化评价",
    3: "引导规范科技成果第三方评价",
    4: "充分发挥金融投资在科技成果评价中的作用",
    5: "持续推进科研管理改革试点",
    6: "健全完善科技成果分类评价机制",
    7: "加强科技成果评价结果运用",
    8: "完善科技成果评价激励和免责机制",
}


def unit(unit_id: str) -> URIRef:
    return iris.unit(unit_id)


def assignments(graph: Graph, task: URIRef) -> list[tuple[int, URIRef, URIRef]]:
    rows = []
    for node in graph.objects(task, PKG.assignment):
        rows.append((int(graph.value(node, PKG.position)), graph.value(node, PKG.unit), graph.value(node, PKG.role)))
    return sorted(rows)


def test_every_task_has_its_category_and_units_in_order(seed_graph: Graph, seed_document: Document) -> None:
    tasks = set(seed_graph.subjects(RDF.type, PKG.Task))
    assert tasks == {task_iri(seed_document, n) for n in EXPECTED}
    for number, (category, units) in EXPECTED.items():
        task = task_iri(seed_document, number)
        assert seed_graph.value(task, PKG.taskNumber) == Literal(number)
        assert seed_graph.value(task, PKG.category) == URIRef(f"{seed_document.iri}/category/{category}"), number
        expected = [
            (position, unit(u), PKG.lead if position == 1 else PKG.participating)
            for position, u in enumerate(units, start=1)
        ]
        assert assignments(seed_graph, task) == expected, f"task {number}"
        assert seed_graph.value(task, PKG.leadAgency) == unit(units[0])
        assert set(seed_graph.objects(task, PKG.participatingAgency)) == {unit(u) for u in units[1:]}
        assert set(seed_graph.objects(task, PKG.responsibleAgency)) == {unit(u) for u in units}


def test_categories_are_the_eight_headings_without_numbering_or_full_stop(
    seed_graph: Graph, seed_document: Document
) -> None:
    labels = {}
    for category in seed_graph.subjects(RDF.type, PKG.Category):
        number = int(seed_graph.value(category, PKG.categoryNumber))
        labels[number] = [str(v) for v in seed_graph.objects(category, SKOS.prefLabel) if v.language == "zh"]
        assert [v for v in seed_graph.objects(category, SKOS.prefLabel) if v.language == "en"], number
    assert labels == {number: [label] for number, label in CATEGORIES.items()}
    five = URIRef(f"{seed_document.iri}/category/5")
    assert seed_graph.value(five, SKOS.notation) == Literal("五")
    assert set(seed_graph.subjects(PKG.category, five)) == {task_iri(seed_document, 7), task_iri(seed_document, 8)}


def test_the_issue_examples(union: Graph, seed_document: Document) -> None:
    responsible = set(union.objects(None, PKG.responsibleAgency))
    assert len(responsible) == 19
    assert {union.value(t, PKG.leadAgency) for t in union.subjects(RDF.type, PKG.Task)} == {unit(STI)}
    assert union.value(unit(STI), SKOS.prefLabel) is not None
    assert Literal("市科委、中关村管委会", lang="zh") in set(union.objects(unit(STI), SKOS.altLabel))

    def participating_in(unit_id: str) -> set[int]:
        return {int(union.value(t, PKG.taskNumber)) for t in union.subjects(PKG.participatingAgency, unit(unit_id))}

    assert participating_in(FIN) == {8, 18}
    assert participating_in(FINREG) == {2, 5, 6}
    for lonely in (7, 15):
        assert not list(union.objects(task_iri(seed_document, lonely), PKG.participatingAgency))
    task14 = set(union.objects(task_iri(seed_document, 14), PKG.responsibleAgency))
    assert {unit("bj-district-governments"), unit("bj-etdz")} <= task14
    assert (unit("bj-district-governments"), RDF.type, PKG.AgencyGroup) in union
    assert (unit("bj-etdz"), RDF.type, PKG.Agency) in union


def test_every_responsible_unit_has_full_chinese_and_english_names(union: Graph) -> None:
    for node in set(union.objects(None, PKG.responsibleAgency)):
        languages = sorted(label.language for label in union.objects(node, SKOS.prefLabel))
        assert languages == ["en", "zh"], node
        assert union.value(node, PKG.registryId) is not None, node
    finance = {str(v) for v in union.objects(unit(FIN), SKOS.prefLabel)}
    assert finance == {"北京市财政局", "Beijing Municipal Finance Bureau"}


def test_merged_cells_are_marked_with_the_row_they_continue(seed_graph: Graph, seed_document: Document) -> None:
    def row_of(task: int) -> URIRef:
        return seed_graph.value(task_iri(seed_document, task), PKG.sourceRow)

    # task 11's 责任单位 cell is empty: it continues task 10's cell
    assert seed_graph.value(row_of(11), PKG.inheritsUnitsFrom) == row_of(10)
    assert seed_graph.value(row_of(11), PKG.verbatimUnits) == Literal("")
    assert [r for r in seed_graph.subjects(PKG.inheritsUnitsFrom, None)] == [row_of(11)]
    # task 3's 分类 cell is empty: it continues the heading stated in task 2's row
    assert seed_graph.value(row_of(3), PKG.inheritsCategoryFrom) == row_of(2)
    assert seed_graph.value(row_of(13), PKG.inheritsCategoryFrom) == row_of(9)
    assert seed_graph.value(row_of(9), PKG.inheritsCategoryFrom) is None


def test_cells_are_kept_verbatim_and_labels_normalised(seed_graph: Graph, seed_document: Document) -> None:
    row3 = seed_graph.value(task_iri(seed_document, 3), PKG.sourceRow)
    assert seed_graph.value(row3, PKG.verbatimTaskNumber) == Literal("  3")
    assert seed_graph.value(row3, PKG.rowNumber) == Literal(4)
    row7 = seed_graph.value(task_iri(seed_document, 7), PKG.sourceRow)
    assert seed_graph.value(row7, PKG.verbatimCategory) == Literal("五、持续推进科研管理改革试点。")
    task1 = task_iri(seed_document, 1)
    row1 = seed_graph.value(task1, PKG.sourceRow)
    assert str(seed_graph.value(row1, PKG.verbatimText)).endswith("按规定公开。   ")
    assert str(seed_graph.value(task1, PKG.text)).endswith("按规定公开。")
    assert seed_graph.value(row1, PKG.verbatimUnits) == Literal(
        "市科委、中关村管委会，市教委，市经济和信息化局，市卫生健康委，市科协"
    )
    names = {str(seed_graph.value(a, PKG.verbatimName)) for a in seed_graph.objects(task1, PKG.assignment)}
    assert names == {"市科委、中关村管委会", "市教委", "市经济和信息化局", "市卫生健康委", "市科协"}


def test_every_task_traces_to_its_row_and_document(seed_graph: Graph, seed_document: Document) -> None:
    for number in EXPECTED:
        task = task_iri(seed_document, number)
        row = seed_graph.value(task, PKG.sourceRow)
        assert seed_graph.value(row, PKG.rowOf) == seed_document.iri
        assert seed_graph.value(task, PKG.document) == seed_document.iri
        assert seed_graph.value(row, PKG.rowNumber) == Literal(number + 1)  # the header is row 1
