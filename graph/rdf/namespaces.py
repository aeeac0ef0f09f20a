"""RDF namespaces as rdflib terms, from the prefixes of `graph.rdf.prefixes`. PKG is closed: a misspelt term
raises instead of minting a new IRI."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD, DefinedNamespace
from rdflib.term import URIRef

from graph.rdf.prefixes import PREFIXES

ELI = Namespace(PREFIXES["eli"])
SH = Namespace("http://www.w3.org/ns/shacl#")


class PKG(DefinedNamespace):
    """The PolicyKG ontology (ontology/policykg.ttl); tests keep this list and the file in step."""

    _NS = Namespace(PREFIXES["pkg"])
    _fail = True

    # classes
    Policy: URIRef
    Category: URIRef
    Task: URIRef
    ResponsibleUnit: URIRef
    Agency: URIRef
    AgencyGroup: URIRef
    Role: URIRef
    Assignment: URIRef
    SourceRow: URIRef
    PolicyKind: URIRef
    EffectLevel: URIRef
    Provision: URIRef
    Part: URIRef
    Item: URIRef
    Measure: URIRef
    Chapter: URIRef
    Section: URIRef
    Article: URIRef
    Paragraph: URIRef
    Link: URIRef
    LinkKind: URIRef
    LinkMethod: URIRef
    SourceCell: URIRef  # tables with any header (step 8b)
    UnitKind: URIRef  # the national registry's kinds of unit
    # object properties
    parent: URIRef
    linkSource: URIRef
    linkTarget: URIRef
    linkKind: URIRef
    linkMethod: URIRef
    category: URIRef
    document: URIRef
    attachmentOf: URIRef
    assignment: URIRef
    unit: URIRef
    role: URIRef
    responsibleAgency: URIRef
    leadAgency: URIRef
    participatingAgency: URIRef
    sourceRow: URIRef
    rowOf: URIRef
    inheritsCategoryFrom: URIRef
    inheritsUnitsFrom: URIRef
    effectLevel: URIRef
    guidingAgency: URIRef  # tables with any header (step 8b)
    cell: URIRef
    unitKind: URIRef
    # datatype properties
    taskNumber: URIRef
    categoryNumber: URIRef
    text: URIRef
    position: URIRef
    verbatimName: URIRef
    documentNumber: URIRef
    registryId: URIRef
    rowNumber: URIRef
    verbatimCell: URIRef
    verbatimCategory: URIRef
    verbatimTaskNumber: URIRef
    verbatimText: URIRef
    verbatimUnits: URIRef
    sha256: URIRef
    fileName: URIRef
    encoding: URIRef
    heading: URIRef
    provisionNumber: URIRef
    preamble: URIRef
    incomplete: URIRef
    rank: URIRef
    score: URIRef
    reason: URIRef
    deadline: URIRef  # tables with any header (step 8b)
    deadlineDate: URIRef
    note: URIRef
    columnNumber: URIRef
    columnHeader: URIRef
    columnRole: URIRef
    # individuals
    lead: URIRef
    participating: URIRef
    guidingOpinions: URIRef
    implementationOpinions: URIRef
    taskDivisionTable: URIRef
    law: URIRef
    localRegulation: URIRef
    opinions: URIRef
    workPlan: URIRef
    notice: URIRef
    administrativeRegulation: URIRef
    departmentalRules: URIRef
    localGovernmentRules: URIRef
    lawLevel: URIRef
    administrativeRegulationLevel: URIRef
    localRegulationLevel: URIRef
    departmentalRulesLevel: URIRef
    localGovernmentRulesLevel: URIRef
    normativeDocumentLevel: URIRef
    implementation: URIRef
    legalBasis: URIRef
    similarity: URIRef
    curated: URIRef
    automatic: URIRef
    # citations not (yet) resolved to a document of the graph
    UnresolvedCitation: URIRef
    citedIn: URIRef
    citingDocument: URIRef
    citationKind: URIRef
    citedTitle: URIRef
    citedNumber: URIRef
    citationText: URIRef
    sentence: URIRef
    citationOrder: URIRef
    responsible: URIRef  # tables with any header (step 8b)
    guiding: URIRef
    generalOffice: URIRef  # unit kinds of the national registry
    constituentDepartment: URIRef
    specialOrganization: URIRef
    directlyAffiliatedAgency: URIRef
    administrativeOffice: URIRef
    directlyAffiliatedInstitution: URIRef
    nationalAdministration: URIRef
    massOrganization: URIRef


__all__ = [
    "DCAT",
    "DCTERMS",
    "ELI",
    "FOAF",
    "ORG",
    "OWL",
    "PKG",
    "PREFIXES",
    "PROV",
    "RDF",
    "RDFS",
    "SH",
    "SKOS",
    "VOID",
    "XSD",
]
