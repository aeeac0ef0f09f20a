"""Metadata read from the text alone, on the real corpus (values from its README and data/manifest.toml) and on
fictional documents written for these tests: each field with the line it came from, or reported missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.errors import ConfigError
from graph.ingest.jurisdictions import load_jurisdictions
from graph.ingest.metadata import DocumentMetadata, infer_metadata
from tests.helpers import ROOT

CORPUS = ROOT / "data" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


def read(path: Path) -> DocumentMetadata:
    return infer_metadata(path.read_text("utf-8"))


def missing(metadata: DocumentMetadata) -> dict[str, str]:
    return {item.field: item.flag for item in metadata.missing}


def test_the_guiding_opinions_are_national_normative_documents_of_the_state_council_general_office() -> None:
    m = read(CORPUS / "guobanfa-2021-26-guiding-opinions.txt")
    assert m.title and m.title.value == "国务院办公厅关于完善科技成果评价机制的指导意见"
    assert m.number and m.number.value.canonical == "国办发〔2021〕26号"
    assert m.number.evidence[0].line == 3
    assert m.issuers and m.issuers.value == ("国务院办公厅",)
    assert m.date and m.date.value == dt.date(2021, 7, 16)
    assert (m.date.evidence[0].line, m.date.evidence[0].text) == (57, "2021年7月16日")
    assert m.jurisdiction and m.jurisdiction.value.code == "cn"
    assert m.kind and (m.kind.value.slug, m.kind.value.level.zh) == ("guiding-opinions", "规范性文件")
    assert m.issuer_code == "国办发"
    assert m.missing == ()


def test_the_beijing_notice_gives_eleven_issuers_and_the_title_of_the_opinions_it_transmits() -> None:
    m = read(CORPUS / "beijing-2022-implementation-opinions-PARTIAL.txt")
    assert m.title and m.title.value == "北京市关于落实完善科技成果评价机制的实施意见"
    assert m.number and m.number.value.canonical == "京科转发〔2022〕226号"
    assert m.date and m.date.value == dt.date(2022, 9, 23)
    assert m.issuers and len(m.issuers.value) == 11
    assert m.issuers.value[0] == "北京市科学技术委员会、中关村科技园区管理委员会"  # one body, two names
    assert "北京市人民政府国有资产监督管理委员会" in m.issuers.value  # the layout broke it over two lines
    assert m.jurisdiction and m.jurisdiction.value.code == "cn-bj"
    assert m.kind and m.kind.value.slug == "implementation-opinions"


def test_the_task_table_says_what_it_is_and_not_where_or_when() -> None:
    m = read(CORPUS / "beijing-2022-task-division-table.txt")
    assert m.title and m.title.value == "落实《实施意见》任务分工表"
    assert m.kind and m.kind.value.slug == "task-division-table"
    assert m.issuers and m.issuers.value == ("市科委、中关村管委会办公室",)
    assert missing(m) == {"number": "--number", "date": "--date", "jurisdiction": "--jurisdiction"}


def test_the_2021_law_was_revised_by_the_npc_standing_committee_and_is_in_force_from_2022() -> None:
    m = read(CORPUS / "law-2021-science-and-technology-progress.txt")
    assert m.title and m.title.value == "中华人民共和国科学技术进步法"
    assert [(e.event, e.date) for e in m.events] == [
        ("adopted", dt.date(1993, 7, 2)),
        ("revised", dt.date(2007, 12, 29)),
        ("revised", dt.date(2021, 12, 24)),
    ]
    assert {e.body for e in m.events} == {"全国人民代表大会常务委员会"}
    assert m.date and m.date.value == dt.date(2021, 12, 24)
    assert m.in_force and m.in_force.value == dt.date(2022, 1, 1)
    assert m.in_force.evidence[0].text == "第一百一十七条 本法自2022年1月1日起施行。"
    assert m.issuers and m.issuers.value == ("全国人民代表大会常务委员会",)
    assert m.jurisdiction and m.jurisdiction.value.code == "cn"
    assert m.kind and (m.kind.value.slug, m.kind.value.level.zh) == ("law", "法律")
    assert m.edition == "2021年修订"
    assert m.missing == ()  # a law has no document number


def test_an_amended_law_does_not_take_its_first_texts_date_of_effect_for_the_amendments() -> None:
    m = read(CORPUS / "law-2015-promoting-transformation-of-sci-tech-achievements.txt")
    assert m.date and m.date.value == dt.date(2015, 8, 29)
    assert m.edition == "2015年修正"
    assert m.in_force is None  # 本法自1996年10月1日起施行 is the 1996 text's
    assert missing(m) == {"in_force": "--in-force"}
    assert "1996年10月1日" in m.missing[0].message()


def test_the_beijing_regulation_is_a_local_regulation_of_the_municipal_congress_standing_committee() -> None:
    m = read(CORPUS / "beijing-2019-regulations-promoting-transformation.txt")
    assert m.title and m.title.value == "北京市促进科技成果转化条例"
    assert [(e.event, e.date, e.body) for e in m.events] == [
        ("adopted", dt.date(2019, 11, 27), "北京市人民代表大会常务委员会")
    ]
    assert m.issuers and m.issuers.value == ("北京市人民代表大会常务委员会",)
    assert m.in_force and m.in_force.value == dt.date(2020, 1, 1)
    assert m.jurisdiction and m.jurisdiction.value.code == "cn-bj"
    assert m.kind and (m.kind.value.slug, m.kind.value.level.zh) == ("local-regulation", "地方性法规")


def test_a_city_opinion_with_a_two_line_title_two_bodies_and_a_chinese_numeral_date() -> None:
    m = read(FIXTURES / "lanchuan-implementation-opinions.txt")
    assert m.title and m.title.value == "澜川市科学技术局\u3000澜川市财政局关于落实完善科技成果评价机制的实施意见"
    assert [e.line for e in m.title.evidence] == [3, 4]  # the letterhead (…文件) is not the title
    assert m.number and m.number.value.canonical == "澜科发〔2023〕7号"
    assert m.number.value.text == "澜科发［２０２３] 7 号"
    assert m.issuers and m.issuers.value == ("澜川市科学技术局", "澜川市财政局")
    assert m.date and m.date.value == dt.date(2023, 3, 18)
    assert m.date.evidence[0].text == "二〇二三年三月十八日"
    place = m.jurisdiction.value if m.jurisdiction else None
    assert place and (place.level, place.city, place.code) == ("city", "澜川市", None)  # no code made up
    assert m.kind and m.kind.value.slug == "implementation-opinions"
    assert m.missing == ()


def test_a_provincial_work_plan_is_the_provinces() -> None:
    m = read(FIXTURES / "province-work-plan.txt")
    assert m.kind and m.kind.value.slug == "work-plan"
    assert m.number and m.number.value.canonical == "浙科办〔2024〕3号"
    assert m.jurisdiction and (m.jurisdiction.value.code, m.jurisdiction.value.level) == ("cn-zj", "provincial")
    assert m.date and m.date.value == dt.date(2024, 1, 9)
    assert m.issuers and m.issuers.value == ("浙江省科学技术厅",)


def test_a_departmental_rule_is_known_by_its_order_number() -> None:
    m = read(FIXTURES / "departmental-rule.txt")
    assert m.number and m.number.value.canonical == "中华人民共和国某某部令第12号"  # over two lines, full-width
    assert m.kind and (m.kind.value.slug, m.kind.value.level.zh) == ("departmental-rules", "部门规章")
    assert m.issuers and m.issuers.value == ("中华人民共和国某某部",)
    assert m.in_force and m.in_force.value == dt.date(2023, 5, 1)
    assert missing(m) == {"date": "--date"}


def test_an_administrative_regulation_promulgated_by_a_state_council_order() -> None:
    """The order comes first (国务院令 / 第七百九十九号, the promulgation sentence, the premier, the date), the
    regulation's own title only after it: the title is the one the promulgation sentence names."""
    m = read(FIXTURES / "state-council-order.txt")
    assert m.title and m.title.value == "科技成果登记管理条例"
    assert m.number and m.number.value.canonical == "中华人民共和国国务院令第799号"
    assert m.kind and (m.kind.value.slug, m.kind.value.level.zh) == ("administrative-regulation", "行政法规")
    assert m.issuers and m.issuers.value == ("国务院",)  # 国务院第30次常务会议: the council, not its meeting
    assert m.date and m.date.value == dt.date(2024, 5, 20)
    assert m.in_force and m.in_force.value == dt.date(2024, 9, 1)
    assert m.jurisdiction and m.jurisdiction.value.level == "national"


def test_opinions_that_are_neither_guiding_nor_implementation_opinions_are_opinions() -> None:
    m = infer_metadata("某省科学技术厅关于加快推进科技成果转化的若干意见\n某科成〔2024〕18号\n一、总体要求\n")
    assert m.kind and (m.kind.value.slug, m.kind.value.zh, m.kind.value.level.zh) == ("opinions", "意见", "规范性文件")


def test_what_an_undated_unnumbered_notice_does_not_say_is_reported_with_its_flag() -> None:
    m = read(FIXTURES / "undated-notice.txt")
    assert m.title and m.title.value == "青岚市人民政府办公室关于开展科技成果评价宣传月活动的通知"
    assert m.kind and m.kind.value.slug == "notice"
    assert m.jurisdiction and m.jurisdiction.value.label == "青岚市"
    assert missing(m) == {"number": "--number", "issuers": "--issuer", "date": "--date"}
    assert all(item.flag in item.message() for item in m.missing)


def test_nothing_is_guessed_from_a_text_without_metadata() -> None:
    m = infer_metadata("这是一段没有标题也没有日期的文字，说明了一些情况。\n")
    assert (m.title, m.number, m.issuers, m.date, m.jurisdiction, m.kind) == (None,) * 6
    assert set(missing(m).values()) == {
        "--title",
        "--number",
        "--issuer",
        "--date",
        "--in-force",
        "--jurisdiction",
        "--kind",
    }


def test_a_city_within_its_province_is_named_with_it() -> None:
    place = load_jurisdictions().place_of("广东省某某市人民政府")
    assert place and (place.code, place.city, place.label) == ("cn-gd", "某某市", "广东省某某市")


def test_the_jurisdictions_are_the_nation_and_the_34_provincial_level_divisions() -> None:
    places = load_jurisdictions()
    assert len(places) == 35
    codes = {item.code for item in places}
    assert {"cn", "cn-bj", "cn-gd", "cn-hk"} <= codes
    assert all(code == "cn" or (code.startswith("cn-") and len(code) == 5) for code in codes)
    assert len({item.short_name for item in places}) == 35
    beijing = places.from_issuer_code("京科转发")
    assert beijing and (beijing.name, beijing.name_en) == ("北京市", "Beijing")
    assert places.from_issuer_code("国办发") == places.national


def test_a_jurisdictions_file_without_the_nation_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "j.toml"
    path.write_text(
        '[[jurisdiction]]\ncode = "cn-bj"\nname = "北京市"\nshort_name = "京"\nstem = "北京"\nname_en = "Beijing"\n'
    )
    with pytest.raises(ConfigError, match="cn"):
        load_jurisdictions(path)


def test_a_megabyte_of_text_is_read() -> None:
    body = "第一条 本办法适用于全市。根据国办发〔2021〕26号和《某某条例》第三条，" * 20000
    m = infer_metadata("某某市关于某事的通知\n\n" + body + "\n某某市人民政府\n2024年1月1日\n")
    assert m.date and m.date.value == dt.date(2024, 1, 1)
    assert m.title and m.title.value == "某某市关于某事的通知"
