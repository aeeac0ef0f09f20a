"""Property tests of the table readers: whatever bytes or table shape a file holds, reading it gives a TaskTable
or an InputError naming the file, never another exception; a well-formed CSV gives back exactly its cells."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import bundled
from graph.errors import InputError
from graph.ingest.agencies import Registry, load_registry
from graph.ingest.kinds import read_table
from graph.ingest.table import TaskTable, interpret
from graph.text import clean_text

HEADER = ["分类", "任务编号", "任务内容", "责任单位"]
SUFFIXES = st.sampled_from([".txt", ".csv"])
REGISTRY: Registry = load_registry(bundled.registry_file())  # read-only, shared by every example
PROPERTY = settings(max_examples=200, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip

# Pieces a hostile or broken table is made of: separators, quotes, line breaks, NUL, invisible and CJK characters.
PIECES = [
    *"ab 1２,，;；\t\"'、。\n\r\x00\u200b\u3000\ufeff",
    "一、",
    "市教委",
    "任务编号",
    "分类",
    "任务内容",
    "责任单位",
]
CELLS = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)


def read(data: bytes, suffix: str) -> TaskTable | InputError:
    """Read `data` as a file with `suffix` in a directory of its own; the table, or the InputError it gave."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"table{suffix}"
        path.write_bytes(data)
        try:
            return interpret(read_table(path), REGISTRY)
        except InputError as error:
            assert error.where.file == str(path) and str(error).startswith(str(path)), str(error)
            return error


@st.composite
def csv_files(draw: st.DrawFn) -> bytes:
    """A CSV of random shape: a header (the real one, shuffled, or random cells), ragged rows of random cells."""
    header = draw(st.permutations(HEADER)) if draw(st.booleans()) else draw(st.lists(CELLS, max_size=6))
    rows = draw(st.lists(st.lists(CELLS, max_size=7), max_size=6))
    buffer = io.StringIO()
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    delimiter = draw(st.sampled_from([",", "\t", ";"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=quoting).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16"]))
    return buffer.getvalue().encode(encoding, errors="replace")


@st.composite
def text_exports(draw: st.DrawFn) -> bytes:
    """A Word text export of random shape: blocks of tab-indented cells, stray lines, blank lines."""
    blocks = [draw(st.permutations(HEADER)), *draw(st.lists(st.lists(CELLS, max_size=6), max_size=6))]
    lines: list[str] = []
    for block in blocks:
        lines.extend(("\t" if draw(st.integers(0, 9)) else "") + cell for cell in block)
        lines.append("")
    return "\n".join(lines).encode()


@PROPERTY
@given(data=st.binary(max_size=400), suffix=SUFFIXES)
def test_any_bytes_give_a_task_table_or_an_input_error(data: bytes, suffix: str) -> None:
    assert isinstance(read(data, suffix), TaskTable | InputError)


@PROPERTY
@given(data=csv_files(), suffix=SUFFIXES)
def test_any_csv_shape_gives_a_task_table_or_an_input_error(data: bytes, suffix: str) -> None:
    assert isinstance(read(data, suffix), TaskTable | InputError)


@PROPERTY
@given(data=text_exports())
def test_any_text_export_shape_gives_a_task_table_or_an_input_error(data: bytes) -> None:
    assert isinstance(read(data, ".txt"), TaskTable | InputError)


TEXTS = (
    st.lists(
        st.sampled_from([*"ab ;,\t\"'|:#甲乙。，；、", "\n", "\r\n", "市教委", "'a'", '"b"']), min_size=1, max_size=10
    )
    .map("".join)
    .filter(lambda text: clean_text(text) != "")
)
UNITS = st.sampled_from(["市教委", "市财政局", "市教委，市财政局", "市科委、中关村管委会", "市教委; 市财政局"])


@PROPERTY
@given(
    rows=st.lists(st.tuples(TEXTS, UNITS), min_size=1, max_size=6),
    delimiter=st.sampled_from([",", "\t", ";"]),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_a_well_formed_csv_gives_back_exactly_its_cells(
    rows: list[tuple[str, str]], delimiter: str, newline: str
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(HEADER)
    writer.writerows(["一、甲" if number == 1 else "", str(number), text, units] for number, (text, units) in
                     enumerate(rows, start=1))  # fmt: skip
    read_back = read(buffer.getvalue().encode(), ".csv")
    assert isinstance(read_back, TaskTable), read_back
    assert [task.text for task in read_back.tasks] == [clean_text(text) for text, _ in rows]
    assert [task.row.cell("责任单位") for task in read_back.tasks] == [units for _, units in rows]
