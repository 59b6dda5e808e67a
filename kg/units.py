"""Resolving unit names as written to canonical units of a jurisdiction.

Documents write the same bureau many ways (市发展改革委, 市发改委, 市发展和改革委员会) and different bureaus
the same way (泰安's 市科技局 is not 武汉's). A name is therefore resolved in two steps: strip the level
prefix (市, 区, 县委 …) and look the rest up in the gazetteer (``ontology/gazetteer.csv``) to get the
canonical short form, kind and English label; then pair it with the document's jurisdiction. Names the
gazetteer does not know are kept as written (normalised), with a kind guessed from their ending, and
reported so that the gazetteer can grow.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache, lru_cache

from kg.model import Unit
from kg.resources import ontology_dir
from kg.text import simplify

GOV_PREFIXES: dict[str, str] = {
    "国家": "National", "自治区": "Regional", "省": "Provincial", "市": "Municipal", "州": "Prefectural",
    "盟": "League", "区": "District", "县": "County", "旗": "Banner", "乡": "Township", "镇": "Town", "": "",
}
PARTY_PREFIXES: dict[str, str] = {
    "省委": "Provincial", "市委": "Municipal", "区委": "District", "县委": "County", "州委": "Prefectural",
    "旗委": "Banner", "盟委": "League",
}


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    stem: str
    kind: str
    en: str | None
    prefixes: str  # gov | party | none


@dataclass(frozen=True, slots=True)
class Resolution:
    """What a name resolves to, before it is tied to a jurisdiction."""

    name: str
    kind: str
    en: str | None
    known: bool


class Gazetteer:
    """Index of the gazetteer: normalised stem or alias → entry."""

    def __init__(self, entries: list[tuple[GazetteerEntry, list[str]]]) -> None:
        self._index: dict[str, GazetteerEntry] = {}
        for entry, aliases in entries:
            for name in [entry.stem, *aliases]:
                key = simplify(name)
                if key:
                    self._index.setdefault(key, entry)

    @classmethod
    def load(cls, path: str | None = None) -> Gazetteer:
        file = path or str(ontology_dir() / "gazetteer.csv")
        entries: list[tuple[GazetteerEntry, list[str]]] = []
        with open(file, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                stem = (row.get("stem") or "").strip()
                if not stem:
                    continue
                aliases = [a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()]
                entry = GazetteerEntry(
                    stem=stem,
                    kind=(row.get("kind") or "other").strip(),
                    en=(row.get("en") or "").strip() or None,
                    prefixes=(row.get("prefixes") or "gov").strip(),
                )
                entries.append((entry, aliases))
        return cls(entries)

    def lookup(self, name: str) -> tuple[str, str, GazetteerEntry] | None:
        """Split ``name`` (normalised) into (prefix, level word, entry) if the gazetteer knows its stem."""
        entry = self._index.get(name)
        if entry is not None and entry.prefixes == "none":
            return "", "", entry
        for prefix, level in PARTY_PREFIXES.items():
            if name.startswith(prefix):
                entry = self._index.get(name[len(prefix):])
                if entry is not None and entry.prefixes == "party":
                    return prefix, level, entry
        for prefix, level in GOV_PREFIXES.items():
            if prefix and not name.startswith(prefix):
                continue
            entry = self._index.get(name[len(prefix):])
            if entry is not None and entry.prefixes == "gov":
                return prefix, level, entry
        return None


@cache
def default_gazetteer() -> Gazetteer:
    return Gazetteer.load()


_PLACE_GOVERNMENT = re.compile(r"^(.{2,12}?[省市区县州旗盟乡镇])人民政府$")
_COLLECTIVE = re.compile(r"^(各|相关|有关|其他|其它|市直|县直|区直|省直|市级各|县级各|区级各|全市各|全县各|全区各)|"
                         r"(各有关|各相关|有关部门|相关部门|有关单位|相关单位|各部门|各单位)")
_KIND_BY_ENDING: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(中共)?.{0,8}?(省委|市委|区委|县委|州委)|党委$|党组$|纪委|监委|党工委"), "party_organ"),
    (re.compile(r"(管委|管委会|管理委员会|管理局)$"), "management_committee"),
    (re.compile(r"政府$"), "county_government"),
    (re.compile(r"(公司|集团|银行|有限公司|股份|企业)$"), "enterprise"),
    (re.compile(r"(科协|工会|团委|团市委|团县委|团区委|妇联|残联|工商联|红十字会|文联|社科联|侨联|作协)$"), "mass_organization"),
    (re.compile(r"(中心|院|所|站|馆|台|学校|大学|学院|医院|报社|电视台|出版社)$"), "public_institution"),
    (re.compile(r"(局|委|办|厅|部|署|办公室|分局|委员会|小组|指挥部)$"), "government_department"),
    (re.compile(r"[省市区县州旗]$"), "county_government"),
]


def guess_kind(name: str) -> str:
    if _COLLECTIVE.search(name):
        return "collective"
    for pattern, kind in _KIND_BY_ENDING:
        if pattern.search(name):
            return kind
    return "other"


def resolve_name(raw: str, gazetteer: Gazetteer | None = None) -> Resolution:
    """Canonical name, kind and English label for a unit name as written (any script or width)."""
    if gazetteer is None or gazetteer is default_gazetteer():
        return _resolve_default(raw)
    return _resolve(raw, gazetteer)


@lru_cache(maxsize=50_000)
def _resolve_default(raw: str) -> Resolution:
    """Resolutions against the bundled gazetteer, cached: documents name the same bureaus over and over."""
    return _resolve(raw, default_gazetteer())


def _resolve(raw: str, gazetteer: Gazetteer) -> Resolution:
    name = re.sub(r"\s+", "", simplify(raw))
    found = gazetteer.lookup(name)
    if found is not None:
        prefix, level, entry = found
        en = None
        if entry.en:
            en = entry.en.replace("{Level}", level).strip() if "{Level}" in entry.en else entry.en
            en = re.sub(r"\s{2,}", " ", en)
        return Resolution(name=prefix + entry.stem, kind=entry.kind, en=en, known=True)
    kind = guess_kind(name)
    place = _PLACE_GOVERNMENT.match(name)
    if place and kind != "collective":
        name = place.group(1) + "政府"
    return Resolution(name=name, kind=kind, en=None, known=False)


class UnitRegistry:
    """One :class:`Unit` per (jurisdiction, canonical name); merges the aliases seen in every document."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self.gazetteer = gazetteer or default_gazetteer()
        self.units: dict[tuple[str, str], Unit] = {}
        self._cache: dict[str, Resolution] = {}

    def unit(self, raw: str, jurisdiction: str) -> Unit:
        resolution = self._cache.get(raw)
        if resolution is None:
            resolution = self._cache[raw] = resolve_name(raw, self.gazetteer)
        key = (jurisdiction, resolution.name)
        unit = self.units.get(key)
        if unit is None:
            unit = self.units[key] = Unit(
                name=resolution.name, jurisdiction=jurisdiction, kind=resolution.kind, en=resolution.en,
                known=resolution.known,
            )
        unit.aliases.add(raw)
        return unit

    def adopt(self, unit: Unit) -> Unit:
        """Merge a unit made elsewhere (another process, another document) into this registry."""
        mine = self.units.get(unit.key)
        if mine is None:
            self.units[unit.key] = mine = Unit(
                name=unit.name, jurisdiction=unit.jurisdiction, kind=unit.kind, en=unit.en, known=unit.known,
            )
        mine.aliases |= unit.aliases
        return mine
