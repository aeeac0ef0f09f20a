"""Response models of the JSON API (`/api/...`), one module per resource beside its routes (api/routes/<name>.py).

common.py holds the parts every response shares (labels, refs, errors, pages); examples.py the example values,
taken from the bundled data. Each module also turns the read models of graph/views/records.py into its models.
"""
