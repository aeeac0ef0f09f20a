"""The prefixes PolicyKG declares in every query and dump, as plain IRI strings.

A module of its own, without rdflib, so that the store and its query workers declare them without loading rdflib;
`graph.rdf.namespaces` builds the rdflib namespaces from the same strings.
"""

from __future__ import annotations

PREFIXES = {
    "pkg": "https://w3id.org/policykg/ontology#",
    "eli": "http://data.europa.eu/eli/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dct": "http://purl.org/dc/terms/",
    "prov": "http://www.w3.org/ns/prov#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
