"""Chinese numerals both ways, as legal texts write them, and the label normalisation."""

from __future__ import annotations

import pytest

from graph.text import chinese_numeral, clean_label, parse_heading, parse_integer, to_chinese_numeral


@pytest.mark.parametrize(
    ("number", "written"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (105, "一百零五"),
        (110, "一百一十"),
        (114, "一百一十四"),
        (1010, "一千零一十"),
    ],
)
def test_numerals(number: int, written: str) -> None:
    assert to_chinese_numeral(number) == written
    assert chinese_numeral(written) == number


def test_every_numeral_up_to_a_thousand_round_trips() -> None:
    assert all(chinese_numeral(to_chinese_numeral(n)) == n for n in range(1, 1000))


def test_labels_and_numbers() -> None:
    assert clean_label(" 持续推进科研管理改革试点。\u200b ") == "持续推进科研管理改革试点"
    assert parse_heading("五、持续推进科研管理改革试点。") == (5, "五", "持续推进科研管理改革试点")
    assert parse_heading("十二．标题") == (12, "十二", "标题")
    assert parse_integer("  3") == 3 and parse_integer("１２") == 12 and parse_integer("1.5") is None
