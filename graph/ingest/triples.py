"""RDF for each part of the dataset: a task table, the catalogue of documents, the registry, provenance."""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, PROV, RDF, SKOS, XSD
from rdflib.term import Node

from graph.errors import Location
from graph.ingest.agencies import AGENCY, Registry, Unit, unregistered
from graph.ingest.deadlines import DATE, YEAR, YEAR_MONTH
from graph.ingest.jurisdictions import load_jurisdictions
from graph.ingest.manifest import KINDS, Document, Manifest, is_registry_id
from graph.ingest.table import Heading, Task, TaskTable
from graph.rdf import iris
from graph.rdf.namespaces import DCAT, DCTERMS, ELI, ORG, PKG, PREFIXES
from graph.readers.base import CATEGORY, NUMBER, TEXT, UNITS, RawRow
from graph.readers.header import GUIDING, LEAD, PARTICIPATING, RESPONSIBLE, Layout
from graph.readers.header import NUMBER as NUMBER_ROLE
from graph.readers.header import TEXT as TEXT_ROLE

_ROLE_LABELS = {
    PKG.lead: ("牵头", "lead"),
    PKG.participating: ("配合", "participating"),
    PKG.responsible: ("负责", "responsible"),
    PKG.guiding: ("指导", "guiding"),
}
_ROLES = {LEAD: PKG.lead, PARTICIPATING: PKG.participating, RESPONSIBLE: PKG.responsible, GUIDING: PKG.guiding}
_SHORTCUTS = {PKG.lead: PKG.leadAgency, PKG.participating: PKG.participatingAgency, PKG.guiding: PKG.guidingAgency}
UNIT_KIND_TERMS = {
    "general-office": PKG.generalOffice,
    "constituent-department": PKG.constituentDepartment,
    "special-organization": PKG.specialOrganization,
    "directly-affiliated-agency": PKG.directlyAffiliatedAgency,
    "administrative-office": PKG.administrativeOffice,
    "directly-affiliated-institution": PKG.directlyAffiliatedInstitution,
    "national-administration": PKG.nationalAdministration,
    "mass-organization": PKG.massOrganization,
}
_DATE_TYPES = {DATE: XSD.date, YEAR_MONTH: XSD.gYearMonth, YEAR: XSD.gYear}


def new_graph(identifier: URIRef | None = None) -> Graph:
    graph = Graph(identifier=identifier)
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, replace=True)
    return graph


def table_graph(document: Document, table: TaskTable, registry: Registry) -> Graph:
    """The content of one task-division table: categories, tasks, assignments and source rows."""
    graph = new_graph(iris.named_graph(document.id))
    for heading in table.categories:
        _category(graph, document, heading)
    for task in table.tasks:
        _task(graph, document, task, registry, table.layout)
    return graph


def category_iri(document: Document, heading: Heading) -> URIRef:
    """{document}/category/{n}; a heading inside another one: {its parent}/category/{n}."""
    parent = category_iri(document, heading.parent) if heading.parent else document.iri
    return iris.part(parent, "category", heading.number)


def _category(graph: Graph, document: Document, heading: Heading) -> None:
    node = category_iri(document, heading)
    graph.add((node, RDF.type, PKG.Category))
    if heading.parent is not None:
        graph.add((node, SKOS.broader, category_iri(document, heading.parent)))
    graph.add((node, PKG.document, document.iri))
    graph.add((node, PKG.categoryNumber, Literal(heading.number)))
    if heading.notation:
        graph.add((node, SKOS.notation, Literal(heading.notation)))
    graph.add((node, SKOS.prefLabel, Literal(heading.label, lang="zh")))
    english = document.category_en.get(heading.number) if heading.parent is None else None
    if english:
        graph.add((node, SKOS.prefLabel, Literal(english, lang="en")))


def _task(graph: Graph, document: Document, task: Task, registry: Registry, table_layout: Layout | None) -> None:
    node = iris.part(document.iri, "task", task.number)
    row = _source_row(graph, document, task, table_layout)
    graph.add((node, RDF.type, PKG.Task))
    graph.add((node, SKOS.prefLabel, Literal(f"任务{task.number}", lang="zh")))
    graph.add((node, SKOS.prefLabel, Literal(f"Task {task.number}", lang="en")))
    graph.add((node, PKG.taskNumber, Literal(task.number)))
    graph.add((node, PKG.document, document.iri))
    if task.category is not None:
        graph.add((node, PKG.category, category_iri(document, task.category)))
    graph.add((node, PKG.text, Literal(task.text, lang="zh")))
    graph.add((node, PKG.sourceRow, row))
    for position, (name, role) in enumerate(task.unit_roles(), start=1):
        unit = registry.resolve(name)
        if not unit.registered:
            _unit(graph, unit, document.place)
        _assignment(graph, node, task.number, position, name, unit, _ROLES[role])
    _task_details(graph, node, task)


def _task_details(graph: Graph, node: URIRef, task: Task) -> None:
    """What a table with more columns says of a task: its heading, deadline (as written, and as a date where it
    names one) and notes."""
    if task.heading:
        graph.add((node, PKG.heading, Literal(task.heading, lang="zh")))
    if task.deadline is not None:
        graph.add((node, PKG.deadline, Literal(task.deadline.text)))
        if task.deadline.value and task.deadline.datatype:
            graph.add(
                (node, PKG.deadlineDate, Literal(task.deadline.value, datatype=_DATE_TYPES[task.deadline.datatype]))
            )
    for header, cell in task.notes:
        graph.add((node, PKG.note, Literal(f"{header}：{cell}", lang="zh")))


def _assignment(graph: Graph, task: URIRef, number: int, position: int, name: str, unit: Unit, role: URIRef) -> None:
    node = iris.assignment(task, position)
    unit_iri = iris.unit(unit.id)
    zh_role, en_role = _ROLE_LABELS[role]
    graph.add((task, PKG.assignment, node))
    if role in _SHORTCUTS:
        graph.add((task, _SHORTCUTS[role], unit_iri))
    graph.add((task, PKG.responsibleAgency, unit_iri))
    graph.add((node, RDF.type, PKG.Assignment))
    graph.add((node, PKG.unit, unit_iri))
    graph.add((node, PKG.role, role))
    graph.add((node, PKG.position, Literal(position)))
    graph.add((node, PKG.verbatimName, Literal(name)))
    graph.add((node, SKOS.prefLabel, Literal(f"任务{number}：{name}（{zh_role}）", lang="zh")))
    graph.add((node, SKOS.prefLabel, Literal(f"Task {number}: {unit.name_en or unit.name} ({en_role})", lang="en")))


def _source_row(graph: Graph, document: Document, task: Task, table_layout: Layout | None) -> URIRef:
    row = task.row
    node = iris.part(document.iri, "row", row.number)
    graph.add((node, RDF.type, PKG.SourceRow))
    graph.add((node, SKOS.prefLabel, Literal(f"第{row.number}行", lang="zh")))
    graph.add((node, SKOS.prefLabel, Literal(f"Row {row.number}", lang="en")))
    graph.add((node, PKG.rowOf, document.iri))
    graph.add((node, PKG.rowNumber, Literal(row.number)))
    if table_layout is not None and not table_layout.legacy:
        _cells(graph, node, table_layout, row)
    else:
        _legacy_cells(graph, node, row)
    if task.category_from is not None:
        graph.add((node, PKG.inheritsCategoryFrom, iris.part(document.iri, "row", task.category_from)))
    if task.units_from is not None:
        graph.add((node, PKG.inheritsUnitsFrom, iris.part(document.iri, "row", task.units_from)))
    return node


def _cells(graph: Graph, row_node: URIRef, table_layout: Layout, row: RawRow) -> None:
    """A headed table's row: its number and text cells as the four-column form keeps them, and every cell with
    its column's position, header and role."""
    graph.add((row_node, PKG.verbatimTaskNumber, Literal(row.cells[table_layout.of(NUMBER_ROLE)[0]])))
    graph.add((row_node, PKG.verbatimText, Literal(row.cells[table_layout.of(TEXT_ROLE)[-1]])))
    for column, cell in zip(table_layout.columns, row.cells, strict=True):
        node = URIRef(f"{row_node}/cell/{column.position}")
        graph.add((row_node, PKG.cell, node))
        graph.add((node, RDF.type, PKG.SourceCell))
        graph.add((node, PKG.columnNumber, Literal(column.position)))
        graph.add((node, PKG.columnHeader, Literal(column.header)))
        graph.add((node, PKG.columnRole, Literal(column.role)))
        graph.add((node, PKG.verbatimCell, Literal(cell)))


def _legacy_cells(graph: Graph, node: URIRef, row: RawRow) -> None:
    for column, prop in (
        (CATEGORY, PKG.verbatimCategory),
        (NUMBER, PKG.verbatimTaskNumber),
        (TEXT, PKG.verbatimText),
        (UNITS, PKG.verbatimUnits),
    ):
        graph.add((node, prop, Literal(row.cell(column))))


def registry_graph(registry: Registry) -> Graph:
    """Every unit of the agency registry with its names, kind and links to other registries."""
    graph = new_graph(iris.REGISTRY_GRAPH)
    for unit in registry.units.values():
        _unit(graph, unit)
    return graph


def _unit(graph: Graph, unit: Unit, place: tuple[str, str] | None = None) -> None:
    node = iris.unit(unit.id)
    if unit.registered:
        graph.add((node, RDF.type, PKG.AgencyGroup if unit.is_group else PKG.Agency))
        graph.add((node, PKG.registryId, Literal(unit.id)))
        if unit.unit_kind:
            graph.add((node, PKG.unitKind, UNIT_KIND_TERMS[unit.unit_kind]))
    else:
        graph.add((node, RDF.type, PKG.ResponsibleUnit))
    if not unit.registered and unit.jurisdiction is not None:
        _unregistered_labels(graph, node, unit, unit.jurisdiction, place)
        return
    graph.add((node, SKOS.prefLabel, Literal(unit.name, lang="zh")))
    if unit.name_en:
        graph.add((node, SKOS.prefLabel, Literal(unit.name_en, lang="en")))
    for name in unit.names:
        graph.add((node, SKOS.altLabel, Literal(name, lang="zh")))
    if unit.parent:
        graph.add((node, ORG.subOrganizationOf, iris.unit(unit.parent)))
    for other in unit.same_as:
        graph.add((node, OWL.sameAs, URIRef(other)))
    for other in unit.exact_match:
        graph.add((node, SKOS.exactMatch, URIRef(other)))


def _unregistered_labels(
    graph: Graph, node: URIRef, unit: Unit, jurisdiction: str, place: tuple[str, str] | None = None
) -> None:
    """A name no registry entry holds, labelled with where it was read: 市教委（浙江省）, not Beijing's 市教委; a
    city's names come from the manifest's [places] (`place`)."""
    known = load_jurisdictions().get(jurisdiction)
    zh, en = (known.name, known.name_en) if known else place or (jurisdiction, jurisdiction)
    if unit.name.startswith((zh, known.stem if known else zh)):  # 浙江省人民政府办公厅 names its place already
        graph.add((node, SKOS.prefLabel, Literal(unit.name, lang="zh")))
        return
    graph.add((node, SKOS.prefLabel, Literal(f"{unit.name}（{zh}）", lang="zh")))
    graph.add((node, SKOS.prefLabel, Literal(f"{unit.name} ({en})", lang="en")))
    graph.add((node, SKOS.altLabel, Literal(unit.name, lang="zh")))


def catalogue_graph(manifest: Manifest, only: Document | None = None, registry: Registry | None = None) -> Graph:
    """Every document of the manifest (or `only` that one) with its metadata and place in the implementation chain.

    Issuers given by name are read in the document's jurisdiction with `registry`; a name it does not hold (or any
    name, without a registry) is minted there as an unregistered unit, described in this graph."""
    graph = new_graph(iris.CATALOGUE_GRAPH)
    for document in manifest.documents if only is None else (only,):
        _policy(graph, manifest, document)
        for issuer in issuer_units(document, registry):
            graph.add((document.iri, DCTERMS.creator, iris.unit(issuer.id)))
            if not issuer.registered:
                _unit(graph, issuer, document.place)
    return graph


def issuer_units(document: Document, registry: Registry | None) -> list[Unit]:
    """The units that issued a document: registry ids as they are, names resolved within its jurisdiction."""
    units = []
    for issuer in document.issuers:
        if is_registry_id(issuer):
            known = registry.units.get(issuer) if registry else None
            units.append(known or Unit(issuer, issuer, AGENCY))  # an id: its IRI; the registry graph describes it
        elif registry is not None:
            units.append(registry.within(document.jurisdiction).resolve(issuer))
        else:
            units.append(unregistered(issuer, document.jurisdiction))
    return units


def _policy(graph: Graph, manifest: Manifest, document: Document) -> None:
    node = document.iri
    graph.add((node, RDF.type, PKG.Policy))
    graph.add((node, DCTERMS.title, Literal(document.title, lang="zh")))
    if document.title_en:  # without one, pages show the Chinese title and validation warns
        graph.add((node, DCTERMS.title, Literal(document.title_en, lang="en")))
    graph.add((node, ELI.type_document, KINDS[document.kind]))
    if document.number:
        graph.add((node, PKG.documentNumber, Literal(document.number)))
    for prop, value in (
        (ELI.date_document, document.date),
        (ELI.date_publication, document.published),
        (ELI.first_date_entry_in_force, document.in_force),
    ):
        if value is not None:
            graph.add((node, prop, Literal(value, datatype=XSD.date)))
    if document.attachment_of:
        graph.add((node, PKG.attachmentOf, manifest.document(document.attachment_of).iri))
    for target in document.implements:
        graph.add((node, ELI.implements, manifest.document(target).iri))
    for text, lang in ((document.note, "zh"), (document.note_en, "en")):
        if text:
            graph.add((node, DCTERMS.description, Literal(text, lang=lang)))


SOFTWARE = URIRef(iris.BASE + "software/policykg")


def provenance_graph(
    release: str,
    started: dt.datetime,
    ended: dt.datetime,
    sources: list[tuple[Document, str, int, str | None]],
    version: str,
) -> Graph:
    """What this build read (each file with its SHA-256 and size), when, and with which software."""
    graph = new_graph(iris.PROVENANCE_GRAPH)
    build = iris.build(release)
    graph.add((build, RDF.type, PROV.Activity))
    graph.add((build, SKOS.prefLabel, Literal(f"构建 {release}", lang="zh")))
    graph.add((build, SKOS.prefLabel, Literal(f"Build {release}", lang="en")))
    graph.add((build, PROV.startedAtTime, Literal(started.isoformat(), datatype=XSD.dateTime)))
    graph.add((build, PROV.endedAtTime, Literal(ended.isoformat(), datatype=XSD.dateTime)))
    graph.add((build, PROV.wasAssociatedWith, SOFTWARE))
    graph.add((SOFTWARE, RDF.type, PROV.SoftwareAgent))
    graph.add((SOFTWARE, SKOS.prefLabel, Literal(f"PolicyKG {version}", lang="zh")))
    graph.add((SOFTWARE, SKOS.prefLabel, Literal(f"PolicyKG {version}", lang="en")))
    for document, sha256, size, encoding in sources:
        source = iris.source_file(sha256)
        graph.add((build, PROV.used, source))
        graph.add((document.iri, PROV.wasDerivedFrom, source))
        graph.add((source, RDF.type, PROV.Entity))
        graph.add((source, PKG.fileName, Literal(document.file.name)))
        graph.add((source, PKG.sha256, Literal(sha256)))
        graph.add((source, DCAT.byteSize, Literal(size, datatype=XSD.nonNegativeInteger)))
        if encoding:
            graph.add((source, PKG.encoding, Literal(encoding)))
    return graph


def source_places(document: Document, table: TaskTable, registry: Registry) -> dict[Node, Location]:
    """Where in the source file each node of a table came from, to point report lines at rows."""
    places: dict[Node, Location] = {}
    source = str(document.file)
    for heading in table.categories:
        places[category_iri(document, heading)] = Location(source, row=heading.row, column=CATEGORY)
    for task in table.tasks:
        row = Location(source, row=task.row.number, line=task.row.line)
        task_iri = iris.part(document.iri, "task", task.number)
        places[task_iri] = row
        places[iris.part(document.iri, "row", task.row.number)] = row
        for position, name in enumerate(task.units, start=1):
            cell = Location(source, row=task.row.number, column=UNITS if not task.roles else None, line=task.row.line)
            places[iris.assignment(task_iri, position)] = cell
            places.setdefault(iris.unit(registry.resolve(name).id), cell)
    return places
