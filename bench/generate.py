"""Synthetic corpora in the shape of PolicyKG's real one, for the benchmarks of bench/run.py.

Run: .venv/bin/python bench/generate.py [--sizes 10k,100k,1m] [--seed 1]
     (writes bench/.data/synthetic-SIZE-sSEED/: the N-Quads and a release folder that `policykg serve --out` serves)

The world, per size: a registry of a few hundred units (every department of a few regions, a district-governments
group per region, national bodies); national guiding opinions (parts, items, the items of part 二 measures); laws
and local regulations (chapters, articles numbered through the law, paragraphs); and local policies, each an
implementation opinion (a short prose document implementing one national document) with its task-division table
(~8 categories, ~20 tasks; one lead unit per task and 0–12 participants, drawn from a Zipf distribution over the
units; a few merged 责任单位 cells and unregistered names), curated links (each task implements 1–2 measures of
its national document and, for half of them, cites an article of a law) and automatic candidates (top 3 measures
and top 3 articles, with scores). Text is sentences and headings of data/corpus, shuffled, so CJK n-grams are real.

Nothing here mints IRIs or triples by hand: the documents are built as the project's own records (Document,
RawTable, ProseDocument, Link) and turned into RDF by graph.ingest.table.interpret, graph.ingest.triples,
graph.ingest.provisions, graph.links.linkset and graph.links.linker, exactly as `policykg build` does, so the output
has the build's IRIs, terms and named graphs. Each document is generated from its own seeded random stream, so the
same seed gives the same quads (up to blank node labels) and one document can be made on its own (bench/ingest.py
adds "one new document" that way). Documents are added until the target number of triples is reached.
Simplification: units are drawn from one Zipf distribution over all regions, so a table may name another region's
bureau.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import hashlib
import itertools
import json
import random
import re
import shutil
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef

from graph import bundled
from graph.ingest.agencies import AGENCY, GROUP, Registry, Unit
from graph.ingest.kinds import read_table
from graph.ingest.manifest import Document, Manifest, load_manifest
from graph.ingest.provisions import prose_graph
from graph.ingest.table import TaskTable, interpret
from graph.ingest.triples import catalogue_graph, new_graph, provenance_graph, registry_graph, table_graph
from graph.links.linker import Linking, Parameters
from graph.links.linkset import CURATED_GRAPH, Link, links_graph
from graph.rdf import iris
from graph.rdf.namespaces import PKG
from graph.readers.base import RawRow, RawTable
from graph.readers.prose import ProseDocument, Provision
from graph.store.releases import CURRENT, RELEASES, STORE
from graph.text import to_chinese_numeral

VERSION = "1"  # bump when the generated data changes, so cached corpora are regenerated
HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
SIZES = {"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
EPOCH = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

# (Chinese name, short name as tables write it, English name, id slug) of a region's departments.
DEPARTMENTS = [
    ("科学技术委员会", "科委", "Science and Technology Commission", "sti"),
    ("财政局", "财政局", "Finance Bureau", "finance"),
    ("教育委员会", "教委", "Education Commission", "education"),
    ("经济和信息化局", "经信局", "Bureau of Economy and Information Technology", "economy-it"),
    ("人力资源和社会保障局", "人力社保局", "Human Resources and Social Security Bureau", "hrss"),
    ("卫生健康委员会", "卫健委", "Health Commission", "health"),
    ("市场监督管理局", "市场监管局", "Administration for Market Regulation", "market-regulation"),
    ("知识产权局", "知识产权局", "Intellectual Property Office", "ipo"),
    ("地方金融监督管理局", "金融监管局", "Local Financial Supervision and Administration", "financial-regulation"),
    ("人民政府国有资产监督管理委员会", "国资委", "State-owned Assets Supervision Commission", "sasac"),
    ("科学技术协会", "科协", "Association for Science and Technology", "sast"),
    ("发展和改革委员会", "发展改革委", "Development and Reform Commission", "development-reform"),
    ("农业农村局", "农业农村局", "Bureau of Agriculture and Rural Affairs", "agriculture-rural"),
    ("生态环境局", "生态环境局", "Ecology and Environment Bureau", "ecology-environment"),
    ("商务局", "商务局", "Commerce Bureau", "commerce"),
    ("住房和城乡建设委员会", "住房城乡建设委", "Housing and Urban-Rural Development Commission", "housing"),
    ("交通委员会", "交通委", "Transport Commission", "transport"),
    ("司法局", "司法局", "Justice Bureau", "justice"),
    ("统计局", "统计局", "Statistics Bureau", "statistics"),
    ("审计局", "审计局", "Audit Bureau", "audit"),
    ("文化和旅游局", "文化旅游局", "Culture and Tourism Bureau", "culture-tourism"),
    ("体育局", "体育局", "Sports Bureau", "sports"),
    ("应急管理局", "应急局", "Emergency Management Bureau", "emergency"),
    ("民政局", "民政局", "Civil Affairs Bureau", "civil-affairs"),
    ("水务局", "水务局", "Water Authority", "water"),
    ("规划和自然资源委员会", "规划自然资源委", "Planning and Natural Resources Commission", "planning"),
    ("城市管理委员会", "城市管理委", "Urban Management Commission", "urban-management"),
    ("政务服务管理局", "政务服务局", "Government Services Administration", "government-services"),
    ("医疗保障局", "医保局", "Healthcare Security Administration", "healthcare-security"),
    ("税务局", "税务局", "Taxation Bureau", "taxation"),
]
# (name, one-character abbreviation used in document numbers, pinyin of the abbreviation, English, id prefix)
REGIONS = [
    ("北京市", "京", "jing", "Beijing", "bj"), ("上海市", "沪", "hu", "Shanghai", "sh"),
    ("天津市", "津", "jin", "Tianjin", "tj"), ("重庆市", "渝", "yu", "Chongqing", "cq"),
    ("广东省", "粤", "yue", "Guangdong", "gd"), ("江苏省", "苏", "su", "Jiangsu", "js"),
    ("浙江省", "浙", "zhe", "Zhejiang", "zj"), ("山东省", "鲁", "lu", "Shandong", "sd"),
    ("四川省", "川", "chuan", "Sichuan", "sc"), ("湖北省", "鄂", "e", "Hubei", "hb"),
    ("湖南省", "湘", "xiang", "Hunan", "hn"), ("福建省", "闽", "min", "Fujian", "fj"),
    ("安徽省", "皖", "wan", "Anhui", "ah"), ("河南省", "豫", "yu", "Henan", "ha"),
    ("陕西省", "陕", "shan", "Shaanxi", "sn"), ("辽宁省", "辽", "liao", "Liaoning", "ln"),
]  # fmt: skip
NATIONAL_BODIES = [
    ("cn-general-office-state-council", "国务院办公厅", "General Office of the State Council"),
    ("cn-state-council", "国务院", "State Council"),
    ("cn-most", "中华人民共和国科学技术部", "Ministry of Science and Technology"),
    ("cn-npc-standing-committee", "全国人民代表大会常务委员会", "Standing Committee of the National People's Congress"),
]
NATIONAL_CODES = [("国办发", "guobanfa", "cn-general-office-state-council"), ("国发", "guofa", "cn-state-council"),
                  ("国科发", "guokefa", "cn-most")]  # fmt: skip
LAW_TOPICS = ["科学技术进步", "促进科技成果转化", "专利", "标准化", "数据安全", "科学技术普及", "中小企业促进",
              "促进技术转移", "知识产权保护", "技术市场管理"]  # fmt: skip
UNREGISTERED = ["各有关高等院校", "相关科研院所", "各行业协会", "有关国有企业", "各孵化器运营单位", "相关金融机构",
                "各区科技主管部门", "第三方评价机构", "有关医疗卫生机构", "各技术转移机构"]  # fmt: skip
SEPARATORS = ["，", "，", "，", ",", "、"]


@dataclass(frozen=True)
class Profile:
    """How big and how shaped the documents are; `for_target` picks the registry size for a corpus size."""

    regions: int = 9
    departments: int = len(DEPARTMENTS)
    zipf: float = 1.1
    tasks: tuple[int, int] = (14, 26)
    categories: tuple[int, int] = (6, 10)
    participants_mean: float = 3.0
    participants_max: int = 12
    merged_units: float = 0.03
    unregistered: float = 0.01
    tables_per_national: int = 8
    tables_per_law: int = 12
    parts: tuple[int, int] = (3, 4)
    measures: tuple[int, int] = (8, 12)
    chapters: tuple[int, int] = (4, 8)
    articles: tuple[int, int] = (30, 70)
    cites: float = 0.5
    candidates: int = 3

    @classmethod
    def for_target(cls, target: int) -> Profile:
        """A few hundred units at 100k triples and more, fewer on small corpora (the registry is a fixed cost)."""
        units = 100 if target <= 20_000 else 300 if target <= 300_000 else 400
        return cls(regions=max(1, round(units / (len(DEPARTMENTS) + 2))))


@dataclass(frozen=True)
class Texts:
    """Sentences and short headings of the bundled corpus, read with the project's own readers."""

    sentences: tuple[str, ...]
    headings: tuple[str, ...]

    @classmethod
    def from_corpus(cls) -> Texts:
        from graph.readers.prose import read_law, read_opinions

        sentences: list[str] = []
        headings: list[str] = []
        manifest = load_manifest(bundled.manifest_file())
        for document in manifest.documents:
            if document.reader in ("opinions", "law"):
                reader = read_opinions if document.reader == "opinions" else read_law
                for node in reader(document.file, document.encoding).all():
                    if node.heading and 2 <= len(node.heading) <= 20:
                        headings.append(node.heading)
                    sentences.extend(_sentences(node.text))
            elif document.reader:
                for row in read_table(document.file, document.reader).rows:
                    sentences.extend(_sentences(row.cells[2]))
        return cls(tuple(dict.fromkeys(sentences)), tuple(dict.fromkeys(headings)))


def _sentences(text: str) -> list[str]:
    found = [part.strip() + "。" for part in re.split(r"[。\n]", text) if part.strip()]
    return [s for s in found if 8 <= len(s) <= 160 and sum("\u4e00" <= c <= "\u9fff" for c in s) > len(s) // 2]


# --- the registry ----------------------------------------------------------------------------------------------
def make_registry(profile: Profile) -> tuple[Registry, list[Unit]]:
    """Every department of the first `profile.regions` regions, a group and a congress per region, national
    bodies; and the local units in Zipf rank order (the first is the busiest)."""
    units = [Unit(id=i, kind=AGENCY, name=zh, name_en=en) for i, zh, en in NATIONAL_BODIES]
    local: list[Unit] = []
    for name, _abbr, _pinyin, english, prefix in REGIONS[: profile.regions]:
        short = name[:-1]
        for zh, abbreviation, en, slug in DEPARTMENTS[: profile.departments]:
            local.append(Unit(id=f"{prefix}-{slug}", kind=AGENCY, name=name + zh, name_en=f"{english} {en}",
                              names=(short + abbreviation,)))  # fmt: skip
        local.append(Unit(id=f"{prefix}-district-governments", kind=GROUP, name=f"{name}各区人民政府",
                          name_en=f"People's Governments of the Districts of {english}",
                          names=(f"{short}各区政府",)))  # fmt: skip
        units.append(Unit(id=f"{prefix}-people-congress-standing-committee", kind=AGENCY,
                          name=f"{name}人民代表大会常务委员会",
                          name_en=f"Standing Committee of the {english} People's Congress"))  # fmt: skip
    ranked = local[:]
    random.Random("units").shuffle(ranked)
    return Registry(units + local), ranked


class Zipf:
    """Draws from `items` with probability proportional to 1 / rank**s."""

    def __init__(self, items: Sequence[Unit], s: float) -> None:
        self.items = list(items)
        self.cumulative = list(itertools.accumulate(1 / (rank**s) for rank in range(1, len(items) + 1)))

    def draw(self, rng: random.Random) -> Unit:
        return self.items[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]

    def distinct(self, rng: random.Random, count: int) -> list[Unit]:
        chosen: dict[str, Unit] = {}
        while len(chosen) < min(count, len(self.items)):
            unit = self.draw(rng)
            chosen.setdefault(unit.id, unit)
        return list(chosen.values())


# --- documents -------------------------------------------------------------------------------------------------
@dataclass
class Prose:
    document: Document
    prose: ProseDocument

    def measures(self) -> list[URIRef]:
        return [URIRef(f"{self.document.iri}/part/{p.number}/item/{i.number}") for p in self.prose.provisions
                if p.number in self.document.measure_parts for i in p.children]  # fmt: skip

    def articles(self) -> list[URIRef]:
        return [URIRef(f"{self.document.iri}/article/{node.number}") for node in self.prose.all()
                if node.kind == "article"]  # fmt: skip


@dataclass
class Local:
    """One local policy: its implementation opinions, the task-division table attached to them, and links."""

    opinions: Prose
    table: Document
    raw: RawTable
    national: Prose
    law: Prose


class World:
    """The documents of one corpus, each made from its own seeded random stream."""

    def __init__(self, seed: int, profile: Profile) -> None:
        self.seed = seed
        self.profile = profile
        self.texts = Texts.from_corpus()
        self.registry, ranked = make_registry(profile)
        self.zipf = Zipf(ranked, profile.zipf)
        self.regions = REGIONS[: profile.regions]
        self.documents: list[Document] = []
        self.nationals: list[Prose] = []
        self.laws: list[Prose] = []

    def rng(self, kind: str, index: int) -> random.Random:
        return random.Random(f"{self.seed}/{kind}/{index}")

    def sentences(self, rng: random.Random, low: int, high: int) -> str:
        return "".join(rng.choice(self.texts.sentences) for _ in range(rng.randint(low, high)))

    def heading(self, rng: random.Random) -> str:
        return rng.choice(self.texts.headings)

    # --- national guiding opinions and laws -----------------------------------------------------------------
    def national(self, index: int) -> Prose:
        rng = self.rng("national", index)
        code, slug, issuer = NATIONAL_CODES[index % len(NATIONAL_CODES)]
        year = 2015 + index % 10
        serial = 1 + index // 10
        document = Document(
            id=f"syn-national-{index:04d}", file=Path(f"national-{index}.txt"), kind="guiding-opinions",
            title=f"{'国务院办公厅' if code == '国办发' else '国务院'}关于{self.heading(rng)}的指导意见（{index}）",
            title_en=f"Guiding Opinions No. {index}", iri=iris.policy_from_number("cn", slug, str(year), str(serial)),
            number=f"{code}〔{year}〕{serial}号", issuers=(issuer,), date=dt.date(year, 1 + index % 12, 1 + index % 28),
            measure_parts=(2,),
        )  # fmt: skip
        parts = [self._part(rng, n, self.profile.measures if n == 2 else (2, 4)) for n in
                 range(1, rng.randint(*self.profile.parts) + 1)]  # fmt: skip
        return self._prose(document, "opinions", parts, rng)

    def _part(self, rng: random.Random, number: int, items: tuple[int, int]) -> Provision:
        children = [
            Provision("item", m, f"（{to_chinese_numeral(m)}）", 0, self.heading(rng), [self.sentences(rng, 1, 4)])
            for m in range(1, rng.randint(*items) + 1)
        ]
        return Provision("part", number, to_chinese_numeral(number), 0, self.heading(rng), children=children)

    def law(self, index: int) -> Prose:
        rng = self.rng("law", index)
        year = 2000 + index % 24
        topic = LAW_TOPICS[index % len(LAW_TOPICS)]
        local = index % 3 == 2
        region = self.regions[index % len(self.regions)]
        path = (
            f"cn-{region[4]}/local-regulation/{year}/synthetic-{index}" if local else f"cn/law/{year}/synthetic-{index}"
        )
        document = Document(
            id=f"syn-law-{index:04d}", file=Path(f"law-{index}.txt"), kind="local-regulation" if local else "law",
            title=f"{region[0] if local else '中华人民共和国'}{topic}{'条例' if local else '法'}（第{index}号）",
            title_en=f"{'Regulations' if local else 'Law'} No. {index} on {topic}", iri=iris.policy_from_path(path),
            issuers=(f"{region[4]}-people-congress-standing-committee" if local else "cn-npc-standing-committee",),
            date=dt.date(year, 1 + index % 12, 1 + index % 28), in_force=dt.date(year + 1, 1, 1),
        )  # fmt: skip
        return self._prose(document, "law", self._chapters(rng), rng)

    def _chapters(self, rng: random.Random) -> list[Provision]:
        chapters = rng.randint(*self.profile.chapters)
        articles = rng.randint(max(chapters, self.profile.articles[0]), max(chapters, self.profile.articles[1]))
        cuts = sorted(rng.sample(range(1, articles), chapters - 1)) if chapters > 1 else []
        bounds = list(zip([0, *cuts], [*cuts, articles], strict=True))
        nodes = []
        for number, (first, last) in enumerate(bounds, start=1):
            children = [self._article(rng, n) for n in range(first + 1, last + 1)]
            nodes.append(Provision("chapter", number, f"第{to_chinese_numeral(number)}章", 0, self.heading(rng),
                                   children=children))  # fmt: skip
        return nodes

    def _article(self, rng: random.Random, number: int) -> Provision:
        count = rng.choices((1, 2, 3), weights=(50, 35, 15))[0]
        paragraphs = [
            Provision("paragraph", k, f"第{to_chinese_numeral(k)}款", 0, None, [self.sentences(rng, 1, 2)])
            for k in range(1, count + 1)
        ]
        return Provision("article", number, f"第{to_chinese_numeral(number)}条", 0, None, children=paragraphs)

    def _prose(self, document: Document, structure: str, nodes: list[Provision], rng: random.Random) -> Prose:
        preamble = [document.title, self.sentences(rng, 1, 2)]
        self.documents.append(document)
        return Prose(document, ProseDocument(str(document.file), structure, nodes, preamble, [], False, "utf-8", []))

    # --- local policies ---------------------------------------------------------------------------------------
    def local(self, index: int, national: Prose, law: Prose) -> Local:
        """Implementation opinions and their task table; the graphs are made by `local_graphs`."""
        rng = self.rng("local", index)
        name, abbr, pinyin, english, prefix = self.regions[index % len(self.regions)]
        year = 2016 + index % 9
        serial = 1 + index // len(self.regions)
        issuer = f"{prefix}-sti" if self.profile.departments else self.zipf.items[0].id
        opinions_doc = Document(
            id=f"syn-opinions-{index:05d}", file=Path(f"opinions-{index}.txt"), kind="implementation-opinions",
            title=f"{name}关于{self.heading(rng)}的实施意见（{index}）",
            title_en=f"{english} Implementation Opinions No. {index}",
            iri=iris.policy_from_number(f"cn-{prefix}", f"{pinyin}kefa", str(year), str(serial)),
            number=f"{abbr}科发〔{year}〕{serial}号", issuers=(issuer,),
            date=dt.date(year, 1 + index % 12, 1 + index % 28),
            implements=(national.document.id,),
        )  # fmt: skip
        parts = [self._part(rng, n, (1, 3)) for n in range(1, rng.randint(2, 3) + 1)]
        opinions = self._prose(opinions_doc, "opinions", parts, rng)
        raw, category_en = self.table_rows(rng, f"syn-table-{index:05d}")
        table = Document(
            id=f"syn-table-{index:05d}", file=Path(f"syn-table-{index:05d}.csv"), kind="task-division-table",
            title=f"落实《{name}实施意见》任务分工表（{index}）", title_en=f"Task-division table No. {index}",
            iri=iris.attachment(opinions_doc.iri, 1), reader="csv", attachment_of=opinions_doc.id, issuers=(issuer,),
            date=opinions_doc.date, category_en=category_en,
        )  # fmt: skip
        self.documents.append(table)
        return Local(opinions, table, raw, national, law)

    def table_rows(self, rng: random.Random, source: str) -> tuple[RawTable, dict[int, str]]:
        """The verbatim rows of a task-division table (分类, 任务编号, 任务内容, 责任单位), header being row 1."""
        tasks = rng.randint(*self.profile.tasks)
        categories = min(tasks, rng.randint(*self.profile.categories))
        starts = {1, *(1 + c for c in rng.sample(range(1, tasks), categories - 1))} if categories > 1 else {1}
        labels = rng.sample(self.texts.headings, categories)
        rows: list[RawRow] = []
        category = 0
        for number in range(1, tasks + 1):
            cell = ""
            if number in starts:
                category += 1
                cell = f"{to_chinese_numeral(category)}、{labels[category - 1]}"
            merged = number > 1 and rng.random() < self.profile.merged_units
            units = "" if merged else self.units_cell(rng)
            rows.append(RawRow(number + 1, (cell, str(number), self.sentences(rng, 1, 3), units)))
        return RawTable(source, rows, "utf-8"), {n: f"Category {n}" for n in range(1, categories + 1)}

    def units_cell(self, rng: random.Random) -> str:
        participants = min(self.profile.participants_max, int(rng.expovariate(1 / self.profile.participants_mean)))
        units = self.zipf.distinct(rng, 1 + participants)
        names = [rng.choice((unit.name, *unit.names)) for unit in units]
        if rng.random() < self.profile.unregistered:
            names.insert(rng.randint(1, len(names)), rng.choice(UNREGISTERED))
        separator = rng.choice(SEPARATORS)
        return separator.join(names)

    def local_graphs(self, local: Local, index: int) -> list[Graph]:
        """The table's named graph, the opinions' provisions, and the table's curated and automatic links."""
        rng = self.rng("links", index)
        table = interpret(local.raw, self.registry)
        graphs = [table_graph(local.table, table, self.registry), prose_graph(local.opinions.document,
                  local.opinions.prose)[0]]  # fmt: skip
        graphs.append(links_graph(self.curated(rng, local, table), CURATED_GRAPH))
        graphs.extend(self.automatic(rng, local, table, index))
        return graphs

    def tasks(self, local: Local, table: TaskTable) -> list[URIRef]:
        return [iris.part(local.table.iri, "task", task.number) for task in table.tasks]

    def curated(self, rng: random.Random, local: Local, table: TaskTable) -> list[Link]:
        links = []
        measures, articles = local.national.measures(), local.law.articles()
        for task in self.tasks(local, table):
            for rank, measure in enumerate(rng.sample(measures, min(len(measures), rng.randint(1, 2))), start=1):
                links.append(Link(task, measure, PKG.implementation, PKG.curated, rank, "任务内容与该措施相应",
                                  "The task takes up this measure"))  # fmt: skip
            if articles and rng.random() < self.profile.cites:
                links.append(Link(task, rng.choice(articles), PKG.legalBasis, PKG.curated, 1, "任务依据该条款",
                                  "The task rests on this article"))  # fmt: skip
        return links

    def automatic(self, rng: random.Random, local: Local, table: TaskTable, index: int) -> list[Graph]:
        graphs = []
        started = EPOCH + dt.timedelta(minutes=index)
        for target in (local.national, local.law):
            units = target.measures() or target.articles()
            links = []
            for task in self.tasks(local, table):
                chosen = rng.sample(units, min(len(units), self.profile.candidates))
                scores = sorted((round(rng.uniform(0.05, 0.6), 4) for _ in chosen), reverse=True)
                links += [Link(task, unit, PKG.similarity, PKG.automatic, rank, score=score)
                          for rank, (unit, score) in enumerate(zip(chosen, scores, strict=True), start=1)]  # fmt: skip
            linking = Linking(local.table.id, target.document.id, local.table.iri, target.document.iri, Parameters(),
                              started)  # fmt: skip
            graphs.append(linking.graph(links))
        return graphs

    def step(self, index: int) -> list[Graph]:
        """The graphs of local policy `index`, preceded by a new national document or law when one is due."""
        graphs = []
        if index % self.profile.tables_per_national == 0:
            self.nationals.append(self.national(len(self.nationals)))
            graphs.append(prose_graph(self.nationals[-1].document, self.nationals[-1].prose)[0])
        if index % self.profile.tables_per_law == 0:
            self.laws.append(self.law(len(self.laws)))
            graphs.append(prose_graph(self.laws[-1].document, self.laws[-1].prose)[0])
        rng = self.rng("pick", index)
        local = self.local(index, rng.choice(self.nationals), rng.choice(self.laws))
        return graphs + self.local_graphs(local, index)

    def table(self, index: int) -> tuple[Document, RawTable]:
        """A task table on its own (no opinions, no links), as someone would upload it to be checked."""
        rng = self.rng("table", index)
        raw, category_en = self.table_rows(rng, f"syn-upload-{index:05d}.csv")
        document = Document(
            id=f"syn-upload-{index:05d}", file=Path(raw.source), kind="task-division-table", reader="csv",
            title=f"待校验任务分工表（{index}）", title_en=f"Uploaded task-division table No. {index}",
            iri=URIRef(f"{iris.BASE}upload/synthetic-{index}"), category_en=category_en,
        )  # fmt: skip
        return document, raw

    def new_policy(self, index: int) -> tuple[list[Graph], set[URIRef]]:
        """One more local policy (opinions, table, links, catalogue entries) for a corpus made with this seed and
        profile, implementing its first national document and citing its first law; and the IRIs it refers to
        outside itself (national document, measures, articles, law), which a validation needs the types of."""
        national, law = self.national(0), self.law(0)
        self.documents.clear()
        local = self.local(index, national, law)
        graphs = self.local_graphs(local, index)
        known = Manifest(Path("synthetic"), (national.document, local.opinions.document, local.table))
        catalogue = catalogue_graph(known)
        catalogue.remove((national.document.iri, None, None))
        referred = {national.document.iri, law.document.iri, *national.measures(), *law.articles()}
        return [*graphs, catalogue], referred

    def fixed_graphs(self) -> list[Graph]:
        ontology = new_graph(iris.ONTOLOGY_GRAPH)
        ontology.parse(bundled.ontology_file(), format="turtle")
        return [ontology, registry_graph(self.registry)]

    def closing_graphs(self) -> list[Graph]:
        release = f"synthetic-{self.seed}"
        provenance = provenance_graph(release, EPOCH, EPOCH, [], f"bench-generate-{VERSION}")
        return [catalogue_graph(Manifest(Path("synthetic"), tuple(self.documents))), provenance]


# --- the corpus: documents until the target ------------------------------------------------------------------
def corpus(seed: int, target: int, profile: Profile | None = None) -> Iterator[Graph]:
    """The corpus's named graphs in a fixed order, documents added until about `target` triples; the catalogue
    and provenance graphs come last. A named graph may come in several pieces (the links, one per table)."""
    world = World(seed, profile or Profile.for_target(target))
    total = 0
    for graph in world.fixed_graphs():
        total += len(graph)
        yield graph
    for index in itertools.count():
        for graph in world.step(index):
            total += len(graph)
            yield graph
        if total + 20 * len(world.documents) >= target:  # the catalogue adds about 20 triples per document
            break
    yield from world.closing_graphs()


class Converter:
    """rdflib terms to pyoxigraph terms, IRIs cached (they repeat a lot)."""

    def __init__(self) -> None:
        self._iris: dict[str, pyoxigraph.NamedNode] = {}

    def iri(self, value: str) -> pyoxigraph.NamedNode:
        node = self._iris.get(value)
        if node is None:
            node = self._iris[value] = pyoxigraph.NamedNode(value)
        return node

    def term(self, node: object) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, Literal):
            if node.language:
                return pyoxigraph.Literal(str(node), language=node.language)
            return pyoxigraph.Literal(str(node), datatype=self.iri(str(node.datatype)) if node.datatype else None)
        if isinstance(node, BNode):
            return pyoxigraph.BlankNode(str(node))
        raise TypeError(f"not an RDF term: {node!r}")

    def quads(self, graph: Graph) -> list[pyoxigraph.Quad]:
        name = self.iri(str(graph.identifier))
        term = self.term
        return [pyoxigraph.Quad(term(s), term(p), term(o), name) for s, p, o in graph]


def nquads(graphs: Iterable[Graph], converter: Converter | None = None) -> Iterator[bytes]:
    """Each graph as N-Quads, lines sorted (so that the same graphs give the same bytes)."""
    converter = converter or Converter()
    for graph in graphs:
        data = pyoxigraph.serialize(converter.quads(graph), format=pyoxigraph.RdfFormat.N_QUADS) or b""
        yield b"".join(sorted(data.splitlines(keepends=True)))


# --- on disk ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Corpus:
    """A generated corpus on disk: `out` is laid out as a release folder, so `policykg serve --out out` serves it."""

    name: str
    folder: Path
    meta: dict[str, object]

    @property
    def out(self) -> Path:
        return self.folder / "out"

    @property
    def release(self) -> Path:
        return self.out / CURRENT

    @property
    def nquads(self) -> Path:
        return self.release / "policykg.nq"

    @property
    def store(self) -> Path:
        return self.release / STORE


def corpus_folder(size: str, seed: int) -> Path:
    return DATA / f"synthetic-{size}-s{seed}"


def ensure(size: str, seed: int = 1, say: Callable[[str], None] = print) -> Corpus:
    """The corpus of `size` (10k, 100k, 1m) for `seed`, generated and loaded unless cached in bench/.data/."""
    folder = corpus_folder(size, seed)
    meta_file = folder / "meta.json"
    if meta_file.is_file():
        meta = json.loads(meta_file.read_text())
        if meta.get("version") == VERSION:
            return Corpus(size, folder, meta)
    shutil.rmtree(folder, ignore_errors=True)
    meta = write(folder, f"synthetic-{size}-s{seed}-v{VERSION}", seed, SIZES[size], say)
    meta_file.write_text(json.dumps(meta, ensure_ascii=False, indent=2))
    return Corpus(size, folder, meta)


def write(
    folder: Path, release_id: str, seed: int, target: int, say: Callable[[str], None] = print
) -> dict[str, object]:
    """Generate the N-Quads into a release folder, bulk-load its store, point `current` at it."""
    release = folder / "out" / RELEASES / release_id
    release.mkdir(parents=True)
    started = time.perf_counter()
    digest = hashlib.sha256()
    lines = 0
    with open(release / "policykg.nq", "wb") as handle:
        for chunk in nquads(corpus(seed, target)):
            handle.write(chunk)
            digest.update(chunk)
            lines += chunk.count(b"\n")
    generated = time.perf_counter() - started
    say(f"generated {lines:,} quads in {generated:.1f} s; bulk-loading the store")
    started = time.perf_counter()
    store = pyoxigraph.Store(str(release / STORE))
    store.bulk_load(path=str(release / "policykg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    store.flush()
    triples = len(store)
    del store
    loaded = time.perf_counter() - started
    (folder / "out" / CURRENT).symlink_to(Path(RELEASES) / release_id)
    say(f"loaded {triples:,} quads in {loaded:.1f} s")
    return {"version": VERSION, "seed": seed, "target": target, "quads": triples, "sha256": digest.hexdigest(),
            "generate_seconds": round(generated, 2), "bulk_load_seconds": round(loaded, 2)}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the synthetic corpora of the benchmarks (cached).")
    parser.add_argument("--sizes", default="10k,100k,1m", help="comma-separated: 10k, 100k, 1m")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for size in args.sizes.split(","):
        if size not in SIZES:
            parser.error(f"unknown size {size!r}; sizes are {', '.join(SIZES)}")
        corpus = ensure(size, args.seed)
        print(f"{size}: {corpus.meta['quads']:,} quads in {corpus.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
