"""The task-division matrix of the Beijing table (tasks × units, ● leads, ○ participates), reached from the table's page.

Its contract: a table with id="matrix" whose lead cells have class "lead" and show ●, and whose participating
cells have class "participating" and show ○. The expected counts are the table's assignments in the live graph.
"""

from __future__ import annotations

from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By

from tests.browser.site import TABLE, Endpoint, follow, path

ASSIGNMENTS = (
    "SELECT (COUNT(DISTINCT ?pair) AS ?n) WHERE {{ ?task pkg:document <{table}> ; "
    "pkg:assignment [ pkg:unit ?unit ; pkg:role pkg:{role} ] . BIND(CONCAT(STR(?task), ' ', STR(?unit)) AS ?pair) }}"
)


def assignments(sparql: Endpoint, role: str) -> int:
    (row,) = sparql.select(ASSIGNMENTS.format(table=TABLE, role=role))
    return int(row["n"])


def test_matrix_shows_every_assignment_of_the_table(browser: Chrome, site: str, sparql: Endpoint) -> None:
    leads, joins = assignments(sparql, "lead"), assignments(sparql, "participating")
    assert leads and joins
    browser.get(site + path(TABLE))
    links = [
        a for a in browser.find_elements(By.CSS_SELECTOR, "main a[href]") if "matrix" in (a.get_attribute("href") or "")
    ]
    assert links, "the task table's page does not link to its matrix"
    follow(browser, links[0])

    matrix = browser.find_element(By.CSS_SELECTOR, "table#matrix")
    lead_cells = matrix.find_elements(By.CSS_SELECTOR, ".lead")
    joined_cells = matrix.find_elements(By.CSS_SELECTOR, ".participating")
    assert len(lead_cells) == leads and all("●" in cell.text for cell in lead_cells)
    assert len(joined_cells) == joins and all("○" in cell.text for cell in joined_cells)
    marked = [cell for cell in matrix.find_elements(By.CSS_SELECTOR, "tbody td") if {"●", "○"} & set(cell.text)]
    assert len(marked) == leads + joins  # no mark in any other cell
