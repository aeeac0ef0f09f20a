"""Pictures of the graph drawn as SVG in Python: the agency collaboration network, the coverage of national measures
by local tasks, and the ontology. Nothing is fetched and no script runs: each picture is one self-contained SVG
document with a title and description in the page's language, bilingual labels and links to the pages it shows.

Imports `graph.views`, `graph.rdf` and the shared leaves.
"""

__all__ = ["coverage", "layered", "network", "ontology", "svg"]
