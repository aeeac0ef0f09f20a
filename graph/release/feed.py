"""The change feed: an Atom document (RFC 4287) of what the last releases added, changed and withdrew.

Each release is one summary entry; each resource it added, changed or withdrew is one more entry, so another
registry can follow the feed and fetch only what changed. A first release (nothing to compare with) is one
entry pointing at its dumps. Entry ids are tag: URIs of the release and the resource, stable across requests
and servers; `updated` is when the release was issued (RFC 3339).
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.etree import ElementTree

from graph.release.changes import KINDS, Changes, Resource, read_changes

ATOM = "http://www.w3.org/2005/Atom"
MEDIA_TYPE = "application/atom+xml"
_KIND_TITLES = {"added": ("新增", "Added"), "changed": ("修改", "Changed"), "withdrawn": ("撤销", "Withdrawn")}
_TAG_SAFE = ":/?@!$&'()*+,;=-._~"


def tag(base: str, *parts: str) -> str:
    """A tag: URI (RFC 4151) minted under the base IRI's host; '#' and other characters percent-encoded."""
    host = urlsplit(base).hostname or "localhost"
    return f"tag:{host},2026:policykg/" + "/".join(quote(part, safe=_TAG_SAFE) for part in parts)


def atom_feed(base: str, releases: list[Path], max_entries: int) -> bytes:
    """The feed over `releases` (newest first): at most `max_entries` resource entries in all."""
    found = [c for c in (read_changes(folder) for folder in releases) if c is not None]
    feed = ElementTree.Element("feed", {"xmlns": ATOM})  # plain names: attributes stay unqualified
    _text(feed, "id", base + "feed.atom")
    _text(feed, "title", "PolicyKG 政策知识图谱变更 · PolicyKG changes")
    _text(feed, "subtitle", "每次构建新增、修改和撤销的资源 · Resources added, changed and withdrawn by each build")
    _text(feed, "updated", found[0].issued if found else "1970-01-01T00:00:00Z")
    author = ElementTree.SubElement(feed, "author")
    _text(author, "name", "PolicyKG")
    _text(author, "uri", base)
    _link(feed, base + "feed.atom", "self", MEDIA_TYPE)
    _link(feed, base, "alternate", "text/html")
    _text(feed, "generator", "PolicyKG")
    budget = max_entries
    for release in found:
        _summary(feed, base, release)
        for kind in KINDS:
            for resource in getattr(release, kind)[: max(budget, 0)]:
                _entry(feed, base, release, kind, resource)
            budget -= len(getattr(release, kind))
    ElementTree.indent(feed)
    return ElementTree.tostring(feed, encoding="utf-8", xml_declaration=True)


def _summary(feed: ElementTree.Element, base: str, release: Changes) -> None:
    entry = ElementTree.SubElement(feed, "entry")
    _text(entry, "id", tag(base, "release", release.release))
    if release.previous is None:
        title = f"版本 {release.release}（无上一版本可比较） · Release {release.release} (nothing earlier to compare)"
        summary = "此前没有可比较的版本：请下载全部数据。 · Nothing to compare with: download the dumps."
    else:
        counts = {kind: len(getattr(release, kind)) for kind in KINDS}
        title = (
            f"版本 {release.release}：新增 {counts['added']}，修改 {counts['changed']}，撤销 {counts['withdrawn']} · "
            f"Release {release.release}: {counts['added']} added, {counts['changed']} changed, "
            f"{counts['withdrawn']} withdrawn"
        )
        summary = f"与版本 {release.previous} 相比 · Compared with release {release.previous}"
    _text(entry, "title", title)
    _text(entry, "updated", release.issued)
    _text(entry, "summary", summary)
    _link(entry, f"{base}releases/{release.release}/changes.json", "alternate", "application/json")
    _link(entry, f"{base}dumps/{release.release}/policykg.nq", "enclosure", "application/n-quads")
    _category(entry, base, "release", "版本", "Release")


def _entry(feed: ElementTree.Element, base: str, release: Changes, kind: str, resource: Resource) -> None:
    entry = ElementTree.SubElement(feed, "entry")
    _text(entry, "id", tag(base, "release", release.release, kind, resource.iri))
    zh, en = _KIND_TITLES[kind]
    name_zh = resource.label_zh or resource.label_en or resource.iri
    name_en = resource.label_en or resource.label_zh or resource.iri
    _text(entry, "title", f"{zh}：{name_zh} · {en}: {name_en}")
    _text(entry, "updated", release.issued)
    graphs = ", ".join(resource.graphs) or "—"
    _text(entry, "summary", f"{resource.iri} · 版本 release {release.release} · 所在图 graphs: {graphs}")
    _link(entry, resource.iri, "alternate" if kind != "withdrawn" else "related")
    _category(entry, base, kind, zh, en)


def _category(entry: ElementTree.Element, base: str, term: str, zh: str, en: str) -> None:
    ElementTree.SubElement(entry, "category", {"term": term, "scheme": base + "feed/kind", "label": f"{zh} · {en}"})


def _text(parent: ElementTree.Element, name: str, text: str) -> None:
    ElementTree.SubElement(parent, name).text = text


def _link(parent: ElementTree.Element, href: str, rel: str, media_type: str | None = None) -> None:
    attributes = {"href": href, "rel": rel}
    if media_type:
        attributes["type"] = media_type
    ElementTree.SubElement(parent, "link", attributes)
