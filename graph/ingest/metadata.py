"""A document's metadata inferred from its text alone: title, number, issuers, dates, jurisdiction and kind.

Pure functions over the text of an official document (通知, 意见, 方案, 任务分工表) or of a law or regulation. Each
inferred field carries its evidence (the line it came from and its number); a field the text does not give is
reported as missing, with the command-line flag that sets it, never guessed.

Where things are in such a text: the heading lines before the document number, the date lines and the salutation
are its title; the sign-off at the end is the issuing bodies' names, one a line, followed by the date (成文日期);
a law's title line is followed by its adoption (通过), amendment (修正) and revision (修订) lines, each with the
body that acted, and its last article says when it took effect (本法自…起施行).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Literal, TypeVar

from graph.ingest.jurisdictions import Jurisdictions, Place, load_jurisdictions
from graph.ingest.numbers import DocumentNumber, parse_number
from graph.text import chinese_numeral

T = TypeVar("T")

_CN_DIGIT = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_YEAR = "[0-9０-９]{4}|[〇○零一二三四五六七八九]{4}"
_MONTH_DAY = "[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3}"
_SP = r"[ \u3000]{0,2}"
DATE = re.compile(rf"(?P<year>{_YEAR}){_SP}年{_SP}(?P<month>{_MONTH_DAY}){_SP}月{_SP}(?P<day>{_MONTH_DAY}){_SP}日")
_EVENT = re.compile(rf"(?P<date>{DATE.pattern})(?P<rest>[^。；;]{{0,160}}?)(?P<verb>通过|修正|修订)")
_IN_FORCE = re.compile(
    rf"本(?:法|条例|规定|办法|细则|规则|决定|意见|方案|通知|规章)?{_SP}自{_SP}(?P<date>{DATE.pattern}){_SP}起{_SP}(?:施行|实施|执行)"
)
_STRUCTURE = re.compile(
    r"^(?:第[一二三四五六七八九十百千零〇0-9]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
)
_DEBRIS = re.compile(r"^(?:\[bookmark: [^\]]*\]|[-—–]\s*[0-9]+\s*[-—–]|第\s*[0-9]+\s*页(?:\s*共\s*[0-9]+\s*页)?)$")
_ORDINAL = "第[一二三四五六七八九十百零〇0-9]{1,6}"
_SESSION = re.compile(rf"{_ORDINAL}届")
_MEETING = re.compile(rf"{_ORDINAL}次(?:全体|常务|执行)?$")  # 国务院第30次常务会议: 国务院
# The last character of a body's name in a sign-off: 委员会, 局, 厅, 办公室, 人民政府, 学院, 部, 协会, 中心, 公司…
_BODY_ENDINGS = "会委局厅室府院部署办心行司团处所社校盟联"
_OPEN, _CLOSE = "（(〔[【", "）)〕]】"
# An order's promulgation sentence names what it promulgates: 《科技成果登记管理条例》已经…通过，现予公布
_PROMULGATED = re.compile(r"^《(?P<title>[^《》]{2,80})》(?:已经|已于|经)[^。]{0,120}?(?:通过|审议|公布|发布)")
_SENTENCE_ENDS = "。；;，,！!？?、"
_LONGEST_TITLE = 80
_LONGEST_BODY = 40


@dataclass(frozen=True)
class Evidence:
    """Where a field came from: the line (1-based) as written, and which rule read it."""

    line: int
    text: str
    rule: str


@dataclass(frozen=True)
class Inferred(Generic[T]):
    """A field's value and the lines it was read from."""

    value: T
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Missing:
    """A field the text does not give: its name, the flag of `policykg add` that sets it, and why."""

    field: str
    flag: str
    reason: str

    def message(self) -> str:
        return f"{self.field}: not found in the text ({self.reason}); give it with {self.flag}"


@dataclass(frozen=True)
class EffectLevel:
    """A legal effect level (效力级别): 法律, 行政法规, 地方性法规, 部门规章, 地方政府规章, 规范性文件."""

    slug: str
    zh: str
    en: str


@dataclass(frozen=True)
class Kind:
    """A document kind (its manifest slug) with its Chinese and English labels and its legal effect level."""

    slug: str
    zh: str
    en: str
    level: EffectLevel


LEVELS = {
    level.slug: level
    for level in (
        EffectLevel("law", "法律", "Law"),
        EffectLevel("administrative-regulation", "行政法规", "Administrative regulation"),
        EffectLevel("local-regulation", "地方性法规", "Local regulation"),
        EffectLevel("departmental-rules", "部门规章", "Departmental rules"),
        EffectLevel("local-government-rules", "地方政府规章", "Local government rules"),
        EffectLevel("normative-document", "规范性文件", "Normative document"),
    )
}
_NORMATIVE = LEVELS["normative-document"]
KINDS = {
    kind.slug: kind
    for kind in (
        Kind("guiding-opinions", "指导意见", "Guiding opinions", _NORMATIVE),
        Kind("implementation-opinions", "实施意见", "Implementation opinions", _NORMATIVE),
        Kind("opinions", "意见", "Opinions", _NORMATIVE),
        Kind("work-plan", "工作方案", "Work plan", _NORMATIVE),
        Kind("notice", "通知", "Notice", _NORMATIVE),
        Kind("task-division-table", "任务分工表", "Task-division table", _NORMATIVE),
        Kind("law", "法律", "Law", LEVELS["law"]),
        Kind("administrative-regulation", "行政法规", "Administrative regulation", LEVELS["administrative-regulation"]),
        Kind("local-regulation", "地方性法规", "Local regulation", LEVELS["local-regulation"]),
        Kind("departmental-rules", "部门规章", "Departmental rules", LEVELS["departmental-rules"]),
        Kind("local-government-rules", "地方政府规章", "Local government rules", LEVELS["local-government-rules"]),
    )
}
EVENTS = {"通过": "adopted", "修正": "amended", "修订": "revised"}


@dataclass(frozen=True)
class LawEvent:
    """One date line under a law's title: adopted, amended or revised on a date by a body."""

    event: Literal["adopted", "amended", "revised"]
    date: dt.date
    body: str  # 全国人民代表大会常务委员会, 北京市人民代表大会常务委员会; "" when the line names none
    evidence: Evidence


@dataclass(frozen=True)
class DocumentMetadata:
    """What the text says about the document; None for a field it does not give (listed in `missing`)."""

    title: Inferred[str] | None
    number: Inferred[DocumentNumber] | None
    issuers: Inferred[tuple[str, ...]] | None
    date: Inferred[dt.date] | None
    in_force: Inferred[dt.date] | None
    jurisdiction: Inferred[Place] | None
    kind: Inferred[Kind] | None
    events: tuple[LawEvent, ...] = ()
    missing: tuple[Missing, ...] = field(default=())

    @property
    def issuer_code(self) -> str | None:
        """The number's issuer code (机关代字): 京科转发, 国办发, 国务院令."""
        return self.number.value.issuer_code if self.number else None

    @property
    def edition(self) -> str | None:
        """The version a law's title is cited with: "2021年修订" after a revision, "2015年修正" after an amendment."""
        latest = self.events[-1] if self.events else None
        if latest is None or latest.event == "adopted":
            return None
        return f"{latest.date.year}年{'修订' if latest.event == 'revised' else '修正'}"


# ---------------------------------------------------------------------------------------------------------- lines


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, counting every line of the text
    text: str  # stripped
    indented: bool  # starts with a tab: a table cell of a Word export, not a heading

    def evidence(self, rule: str) -> Evidence:
        return Evidence(self.number, self.text, rule)


def text_lines(text: str) -> list[Line]:
    """The non-blank lines of `text`, stripped, without export debris (bookmarks, page numbers)."""
    lines = []
    for index, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped and not _DEBRIS.match(stripped):
            lines.append(Line(index, stripped, raw.startswith("\t")))
    return lines


def _unbracketed(text: str) -> str:
    """The text without one pair of brackets around all of it: （2019年11月27日…通过） -> 2019年11月27日…通过."""
    if len(text) > 1 and text[0] in _OPEN and text[-1] in _CLOSE:
        return text[1:-1].strip()
    return text


def _is_sentence(text: str) -> bool:
    return "。" in text or text[-1] in _SENTENCE_ENDS or len(text) > _LONGEST_TITLE


def _is_salutation(text: str) -> bool:
    return text[-1] in "：:"


# ---------------------------------------------------------------------------------------------------------- dates


def _numeral(text: str) -> int | None:
    if text.isdigit():
        return int("".join(str(int(ch)) for ch in text))  # full-width digits too
    if all(ch in _CN_DIGIT for ch in text) and len(text) == 4:
        return int("".join(str(_CN_DIGIT[ch]) for ch in text))  # 二〇二一: digit by digit
    return chinese_numeral(text)


def parse_date(match: re.Match[str]) -> dt.date | None:
    """The date a DATE match holds (2021年7月16日, 二〇二一年七月十六日, ２０２１年７月１６日), None if impossible."""
    year, month, day = (_numeral(match[name]) for name in ("year", "month", "day"))
    if year is None or month is None or day is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def date_of_line(text: str) -> dt.date | None:
    """The date a line is, when the line is nothing but a date (a sign-off's 成文日期)."""
    match = DATE.fullmatch(_unbracketed(text))
    return parse_date(match) if match else None


# ------------------------------------------------------------------------------------------------------- the head


def _head(lines: Sequence[Line]) -> list[Line]:
    """The lines before the body: up to the first numbered heading (一、, 第一章, 第一条) or table cell."""
    head = []
    for line in lines:
        if _STRUCTURE.match(line.text) or line.indented:
            break
        head.append(line)
    return head


def _number_at(lines: Sequence[Line], index: int) -> tuple[DocumentNumber, list[Line]] | None:
    """The number line `index` is; an order number may be split: 中华人民共和国主席令 / 第五十七号."""
    text = _unbracketed(lines[index].text)
    head = re.split(r"[ \u3000]{2,}|签发人", text)[0]
    number = parse_number(head)
    if number:
        return number, [lines[index]]
    if text.endswith("令") and index + 1 < len(lines):
        joined = parse_number(text + _unbracketed(lines[index + 1].text))
        if joined:
            return joined, [lines[index], lines[index + 1]]
    return None


def infer_number(lines: Sequence[Line]) -> Inferred[DocumentNumber] | None:
    """The document's own number: a line of the head that is a number (not a number cited in a sentence)."""
    head = _head(lines)
    for index, line in enumerate(head):
        if _is_sentence(line.text):
            continue
        found = _number_at(head, index)
        if found:
            return Inferred(found[0], tuple(line.evidence("number line") for line in found[1]))
    return None


def _ends_title(line: Line) -> bool:
    text = line.text
    return (
        _is_sentence(text)
        or _is_salutation(text)
        or date_of_line(text) is not None
        or _EVENT.search(_unbracketed(text)) is not None
        or parse_number(re.split(r"[ \u3000]{2,}|签发人", _unbracketed(text))[0]) is not None
        or text.endswith("令")
    )


def _title_lines(lines: Iterable[Line]) -> list[Line]:
    """The heading lines at the start of `lines`, up to a number, date, salutation or sentence line."""
    title: list[Line] = []
    for line in lines:
        if _ends_title(line):
            break
        if not title and line.text.endswith("文件") and len(line.text) < _LONGEST_BODY:
            continue  # the letterhead: 北京市科学技术委员会文件
        if not (line.text[0] in _OPEN and line.text[-1] in _CLOSE):
            title.append(line)
    return title


def infer_title(lines: Sequence[Line], signed: int | None) -> Inferred[str] | None:
    """The heading lines before the number; else, in a notice that transmits a document, that document's title
    (the heading line after the sign-off date, as in 京科转发〔2022〕226号)."""
    title = _title_lines(_head(lines))
    rule = "title line"
    if not title and signed is not None:
        after = [line for line in lines if line.number > signed]
        title, rule = _title_lines(after[:1]), "title of the transmitted document (after the sign-off date)"
    if not title:
        for line in _head(lines):  # an order (国务院令 / 第七百九十九号) promulgating the title
            promulgated = _PROMULGATED.match(line.text)
            if promulgated:
                return Inferred(promulgated["title"], (line.evidence("title in the order's promulgation sentence"),))
        return None
    return Inferred("".join(line.text for line in title), tuple(line.evidence(rule) for line in title))


# ------------------------------------------------------------------------------------------------ the law's lines


def _acting_body(rest: str) -> str:
    """The body in 第十三届全国人民代表大会常务委员会第三十二次会议…: 全国人民代表大会常务委员会."""
    rest = rest.strip()
    if "会议" in rest:
        meeting = rest[: rest.index("会议")]
        return _MEETING.sub("", _SESSION.sub("", meeting)).strip()
    if rest.startswith("《") and "关于" in rest:
        return rest[1 : rest.index("关于")]  # 《全国人民代表大会常务委员会关于修改…的决定》
    return ""


def infer_events(lines: Sequence[Line]) -> tuple[LawEvent, ...]:
    """The adoption, amendment and revision lines under a law's title, in the order written."""
    events = []
    for line in _head(lines):
        for match in _EVENT.finditer(_unbracketed(line.text)):
            date = parse_date(match)
            if date is not None:
                verb = EVENTS[match["verb"]]
                events.append(LawEvent(verb, date, _acting_body(match["rest"]), line.evidence(f"{verb} line")))  # type: ignore[arg-type]
    return tuple(events)


def infer_in_force(lines: Sequence[Line]) -> tuple[Inferred[dt.date] | None, Line | None]:
    """The date of the last 本法自…起施行 article, and its line."""
    found = None
    for line in lines:
        for match in _IN_FORCE.finditer(line.text):
            date = parse_date(match)
            if date is not None:
                found = (Inferred(date, (line.evidence("in-force article"),)), line)
    return found if found else (None, None)


# ------------------------------------------------------------------------------------------------------ sign-off


def _looks_like_body(text: str) -> bool:
    return len(text) <= _LONGEST_BODY and text[-1] in _BODY_ENDINGS and not _is_sentence(text) and "：" not in text


def _sign_off_lines(lines: Sequence[Line], end: int) -> list[Line]:
    """The body-name lines just before position `end`."""
    start = end
    while start > 0 and _looks_like_body(lines[start - 1].text) and not lines[start - 1].indented:
        start -= 1
    if start == end and end > 0 and lines[end - 1].indented and _looks_like_body(lines[end - 1].text):
        start = end - 1  # a table export's sign-off is one indented line
    return list(lines[start:end])


def _join_departments(lines: list[Line], places: Jurisdictions) -> list[tuple[str, list[Line]]]:
    """One name per body: a line 北京市人民政府 followed by a line that names no place (国有资产监督管理委员会)
    is one body, 北京市人民政府国有资产监督管理委员会, whose name the layout broke."""
    names: list[tuple[str, list[Line]]] = []
    for line in lines:
        if names and names[-1][0].endswith("人民政府") and places.place_of(line.text) is None:
            names[-1] = (names[-1][0] + line.text, [*names[-1][1], line])
        else:
            names.append((line.text, [line]))
    return names


def _signed_date(lines: Sequence[Line]) -> int | None:
    """Index of the last line that is only a date."""
    for index in range(len(lines) - 1, -1, -1):
        if date_of_line(lines[index].text):
            return index
    return None


def infer_sign_off(
    lines: Sequence[Line], places: Jurisdictions
) -> tuple[Inferred[tuple[str, ...]] | None, Inferred[dt.date] | None]:
    """The issuing bodies' names and the date of the sign-off (the last date line, or the last lines when undated)."""
    index = _signed_date(lines)
    end = len(lines) if index is None else index
    names = _join_departments(_sign_off_lines(lines, end), places)
    issuers = None
    if names:
        rule = "sign-off" if index is not None else "sign-off (undated)"
        evidence = tuple(line.evidence(rule) for _, group in names for line in group)
        issuers = Inferred(tuple(name for name, _ in names), evidence)
    date = None
    if index is not None:
        value = date_of_line(lines[index].text)
        assert value is not None
        date = Inferred(value, (lines[index].evidence("sign-off date"),))
    return issuers, date


# -------------------------------------------------------------------------------------------------- jurisdiction


def _place_sources(
    issuers: Inferred[tuple[str, ...]] | None,
    events: Sequence[LawEvent],
    title: Inferred[str] | None,
) -> list[tuple[str, Evidence]]:
    """Names that may open with a place, most telling first: the issuers, the acting bodies, the title."""
    sources: list[tuple[str, Evidence]] = []
    if issuers:
        sources += [(name, issuers.evidence[0]) for name in issuers.value]
    sources += [(event.body, event.evidence) for event in reversed(events) if event.body]
    if title:
        sources.append((title.value, title.evidence[0]))
    return sources


def _number_place(number: Inferred[DocumentNumber] | None, places: Jurisdictions) -> Inferred[Place] | None:
    if number is None:
        return None
    body = number.value.issuing_body
    place = places.place_of(body) if body else None
    if place is None and body is None:
        jurisdiction = places.from_issuer_code(number.value.issuer_code)
        place = Place(jurisdiction) if jurisdiction else None
    rule = "issuing body of the order number" if body else "issuer code of the number"
    return Inferred(place, (replace_rule(number.evidence[0], rule),)) if place else None


def replace_rule(evidence: Evidence, rule: str) -> Evidence:
    return Evidence(evidence.line, evidence.text, rule)


def infer_jurisdiction(
    places: Jurisdictions,
    issuers: Inferred[tuple[str, ...]] | None,
    events: Sequence[LawEvent],
    title: Inferred[str] | None,
    number: Inferred[DocumentNumber] | None,
) -> Inferred[Place] | None:
    """The place the issuers' names, the acting body, the title or the number's issuer code open with, in that
    order; a city named alone gets its province when another source names the city within it."""
    found: list[Inferred[Place]] = []
    for name, evidence in _place_sources(issuers, events, title):
        place = places.place_of(name)
        if place:
            found.append(Inferred(place, (replace_rule(evidence, "place named in " + evidence.rule),)))
    by_number = _number_place(number, places)
    if by_number:
        found.append(by_number)
    if not found:
        return None
    first = found[0]
    if first.value.jurisdiction is None:
        within = [p for p in found if p.value.city == first.value.city and p.value.jurisdiction]
        return within[0] if within else first
    return first


# ---------------------------------------------------------------------------------------------------------- kind


@dataclass(frozen=True)
class _Facts:
    """What the kind rules look at."""

    title: str
    number: DocumentNumber | None
    bodies: tuple[str, ...]  # issuers and acting bodies
    place: Place | None


def _bare_title(title: str) -> str:
    """The title without a trailing edition note: 中华人民共和国…法（2021年修订） -> 中华人民共和国…法."""
    return re.sub(r"[（(][^（）()]*[）)]$", "", title)


def _is_law(facts: _Facts) -> bool:
    title = _bare_title(facts.title)
    return title.startswith("中华人民共和国") and title.endswith("法")


def _is_local_regulation(facts: _Facts) -> bool:
    congress = any("人民代表大会" in body for body in facts.bodies)
    local = facts.place is not None and facts.place.level != "national"
    return congress and local and _bare_title(facts.title).endswith(("条例", "规定", "办法"))


def _order_issuer(facts: _Facts) -> str | None:
    return facts.number.issuing_body if facts.number else None


def _is_administrative_regulation(facts: _Facts) -> bool:
    return _order_issuer(facts) in ("国务院", "中华人民共和国国务院") or (
        _bare_title(facts.title).endswith("条例") and any(body == "国务院" for body in facts.bodies)
    )


def _is_local_government_rules(facts: _Facts) -> bool:
    issuer = _order_issuer(facts)
    return issuer is not None and issuer.endswith("人民政府") and facts.place is not None


def _is_departmental_rules(facts: _Facts) -> bool:
    issuer = _order_issuer(facts)
    return issuer is not None and issuer not in ("国务院", "中华人民共和国主席") and not issuer.endswith("人民政府")


def _title_ends(*endings: str) -> Callable[[_Facts], bool]:
    return lambda facts: _bare_title(facts.title).endswith(endings)


# Tried in order: the first rule that holds gives the kind.
KIND_RULES: tuple[tuple[str, Callable[[_Facts], bool]], ...] = (
    ("law", _is_law),
    ("local-regulation", _is_local_regulation),
    ("administrative-regulation", _is_administrative_regulation),
    ("local-government-rules", _is_local_government_rules),
    ("departmental-rules", _is_departmental_rules),
    ("task-division-table", lambda facts: "任务分工" in facts.title or facts.title.endswith("分工表")),
    ("guiding-opinions", _title_ends("指导意见")),
    ("implementation-opinions", _title_ends("实施意见")),
    ("opinions", _title_ends("意见")),  # 若干意见, 意见: neither guiding nor implementation opinions by their title
    ("work-plan", _title_ends("方案", "计划")),
    ("notice", _title_ends("通知")),
)


def infer_kind(
    title: Inferred[str] | None,
    number: Inferred[DocumentNumber] | None,
    bodies: tuple[str, ...],
    place: Inferred[Place] | None,
) -> Inferred[Kind] | None:
    """The kind the first of KIND_RULES that holds names; its evidence is the title (and the number)."""
    if title is None:
        return None
    facts = _Facts(title.value, number.value if number else None, bodies, place.value if place else None)
    for slug, holds in KIND_RULES:
        if holds(facts):
            evidence = title.evidence + (number.evidence if number else ())
            return Inferred(KINDS[slug], evidence)
    return None


# ------------------------------------------------------------------------------------------------ the whole record


def _law_date(events: Sequence[LawEvent]) -> Inferred[dt.date] | None:
    """A law's date: its latest adoption, amendment or revision."""
    if not events:
        return None
    latest = max(events, key=lambda event: event.date)
    return Inferred(latest.date, (latest.evidence,))


def _law_issuers(events: Sequence[LawEvent]) -> Inferred[tuple[str, ...]] | None:
    acting = [event for event in events if event.body]
    if not acting:
        return None
    latest = max(acting, key=lambda event: event.date)
    return Inferred((latest.body,), (latest.evidence,))


def _order_issuers(number: Inferred[DocumentNumber] | None) -> Inferred[tuple[str, ...]] | None:
    """The body an order number names (科学技术部 for 科学技术部令第19号), when no sign-off names one."""
    body = number.value.issuing_body if number else None
    if number is None or body is None:
        return None
    return Inferred((body,), tuple(replace_rule(e, "issuing body of the order number") for e in number.evidence))


def _current_in_force(
    in_force: Inferred[dt.date] | None, events: Sequence[LawEvent]
) -> tuple[Inferred[dt.date] | None, str]:
    """The in-force date, unless the article predates the last amendment (an amended law keeps its first text's
    article; the amendment's own date of effect is in the amending decision, not in this text)."""
    if in_force is None:
        return None, "no 本法自…起施行 article"
    latest = max((event.date for event in events), default=None)
    if latest is not None and in_force.value < latest:
        article = in_force.evidence[0].text
        return None, f"「{article}」 dates the text before its {latest.isoformat()} amendment"
    return in_force, ""


_FLAGS = {
    "title": "--title",
    "number": "--number",
    "issuers": "--issuer",
    "date": "--date",
    "in_force": "--in-force",
    "jurisdiction": "--jurisdiction",
    "kind": "--kind",
}
_REASONS = {
    "title": "no heading line before the number, date or salutation",
    "number": "no line of the head is a document number",
    "issuers": "no sign-off lines naming bodies, and no acting body under a title",
    "date": "no date line in a sign-off, and no adoption or revision line",
    "jurisdiction": "neither the issuers, the title nor the number's issuer code names a place",
    "kind": "the title does not end in a kind this program knows (意见, 方案, 通知, 法, 条例, 令…)",
}


def _missing(metadata: dict[str, object], in_force_reason: str) -> tuple[Missing, ...]:
    kind = metadata["kind"]
    normative = isinstance(kind, Inferred) and kind.value.level is _NORMATIVE
    legislation = isinstance(kind, Inferred) and kind.value.slug in ("law", "local-regulation")
    missing = []
    for name, value in metadata.items():
        if value is not None or (name == "number" and legislation) or (name == "in_force" and normative):
            continue
        reason = in_force_reason if name == "in_force" else _REASONS[name]
        missing.append(Missing(name, _FLAGS[name], reason))
    return tuple(missing)


# Labelled fields government pages set above the text (发文字号：…), as graph/readers/html_text keeps them.
_PAGE_LABELS = "标题|名称|发文字号|文号|成文日期|发文机关|发布机构|索引号|主题分类|发布日期|公文种类"
_PAGE_FIELD = re.compile(rf"^({_PAGE_LABELS})[:：]\s*(.*)$")
_PAGE_TITLE = re.compile(r"_[^_]*(?:门户网站|人民政府|政策文件|政府信息公开)")  # <title>文件_栏目_网站</title>


def page_fields(lines: Sequence[Line]) -> tuple[dict[str, Line], list[Line]]:
    """A web page's labelled fields by label (value lines), and the lines without them or the page's <title>."""
    fields: dict[str, Line] = {}
    rest: list[Line] = []
    for line in lines:
        match = _PAGE_FIELD.match(line.text)
        if match:
            if match[2]:
                fields.setdefault(match[1], Line(line.number, match[2].strip(), line.indented))
        elif not _PAGE_TITLE.search(line.text):
            rest.append(line)
    return fields, rest


def _from_page(
    fields: dict[str, Line], number: Inferred[DocumentNumber] | None, date: Inferred[dt.date] | None
) -> tuple[Inferred[DocumentNumber] | None, Inferred[dt.date] | None]:
    """The page's 发文字号 and 成文日期 where the text itself gives none."""
    line = fields.get("发文字号") or fields.get("文号")
    parsed = parse_number(line.text) if line else None
    if number is None and line is not None and parsed is not None:
        number = Inferred(parsed, (line.evidence("发文字号 field of the page"),))
    line = fields.get("成文日期")
    day = date_of_line(line.text) if line else None
    if date is None and line is not None and day is not None:
        date = Inferred(day, (line.evidence("成文日期 field of the page"),))
    return number, date


def infer_metadata(text: str, jurisdictions: Jurisdictions | None = None) -> DocumentMetadata:
    """Everything the text of one document says about it; see the module docstring for where each field is read."""
    places = jurisdictions or load_jurisdictions()
    page, lines = page_fields(text_lines(text))
    number = infer_number(lines)
    events = infer_events(lines)
    issuers, date = infer_sign_off(lines, places)
    number, date = _from_page(page, number, date)
    if events:
        issuers, date = issuers or _law_issuers(events), date or _law_date(events)
    issuers = issuers or _order_issuers(number)
    signed = date.evidence[0].line if date and not events else None
    title = infer_title(lines, signed)
    if title is None and ("标题" in page or "名称" in page):
        line = page.get("标题") or page["名称"]
        title = Inferred(line.text, (line.evidence("标题 field of the page"),))
    in_force, in_force_reason = _current_in_force(infer_in_force(lines)[0], events)
    place = infer_jurisdiction(places, issuers, events, title, number)
    bodies = (issuers.value if issuers else ()) + tuple(event.body for event in events)
    kind = infer_kind(title, number, bodies, place)
    fields: dict[str, object] = {
        "title": title,
        "number": number,
        "issuers": issuers,
        "date": date,
        "in_force": in_force,
        "jurisdiction": place,
        "kind": kind,
    }
    return DocumentMetadata(
        title, number, issuers, date, in_force, place, kind, events, _missing(fields, in_force_reason)
    )
