"""Readers of the files documents come in: task tables (Word text export `text_export`, .docx `docx_table`, .csv
and .xlsx `tabular`), each yielding the same RawTable (`base`) for the same table, its columns mapped by their
header words (`header`); prose text as lines
(`lines`: .txt; `docx_text`, `html_text`, `pdf_text`), each yielding the same SourceText for the same document,
which `prose` reads into parts/items or chapters/articles; and the encoding sniffer they share (`encoding`).
Which reader reads which input kind is graph.ingest.kinds's table.

Imports only the shared leaves (`graph.errors`, `graph.text`).
"""

__all__ = [
    "base",
    "docx_table",
    "docx_text",
    "encoding",
    "header",
    "html_text",
    "lines",
    "pdf_text",
    "prose",
    "tabular",
    "text_export",
]
