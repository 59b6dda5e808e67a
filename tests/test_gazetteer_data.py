"""Integrity checks for ``ontology/gazetteer.csv``.

Reads the CSV with the ``csv`` module, independently of :mod:`kg.units` (only the list of kinds is
shared), so a bug in the resolver cannot hide a bug in the data. The small resolver below mirrors the
documented lookup rule (strip a level prefix of the row's prefix class, then match stem or alias) just far
enough to check the data.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from kg.model import UNIT_KINDS

GAZETTEER = Path(__file__).resolve().parents[1] / "ontology" / "gazetteer.csv"

COLUMNS = ["stem", "aliases", "kind", "en", "prefixes"]
KINDS = set(UNIT_KINDS)
PREFIX_CLASSES = {"gov", "party", "none"}
GOV_PREFIXES = ("国家", "省", "市", "区", "县", "州", "盟", "旗", "乡", "镇")
PARTY_PREFIXES = ("省委", "市委", "区委", "县委", "州委")
PLACEHOLDER = "{Level}"
FORBIDDEN_CHARS = set(" \t\r\n,|()（）、\uff0c;；:：{}\u3000")

# Gold-annotation names whose canonical form must equal the name as written (prefix + stem).
MUST_BE_STEMS = """
市乡村振兴局 市交通运输局 市人力资源社会保障局 市住房城乡建设局 市公路事业发展中心 市农业农村局 市卫生健康委
市发展改革委 市司法局 市商务局 市国资委 市地方金融监管局 市城市管理局 市大数据中心 市委宣传部 市委组织部
市委编办 市工业和信息化局 市市场监管局 市应急局 市政府办公室 市教育局 市文化和旅游局 市林业局 市民政局
市水利局 市生态环境局 市科协 市科技局 市能源局 市自然资源和规划局 市行政审批服务局 市财政局 市通信发展办
区交通运输局 区农业农村局 区发展和改革局 区商务局 区林业局 区科技和经信局 区税务局 区经发集团
区自然资源和规划局 区财政局 县市场监管局 县行政审批局 发展改革委 交通运输部 人力资源社会保障部
工业和信息化部 水利部 财政部 市行政审批制度改革工作领导小组办公室
""".split()

# Gold-annotation variants that resolve through an alias.
ALIAS_VARIANTS = {
    "区发改局": "区发展和改革局",
    "县发改局": "县发展和改革局",
    "区科经局": "区科技和经信局",
    "区人社局": "区人力资源社会保障局",
    "市人民政府办公室": "市政府办公室",
    "区人民政府办公室": "区政府办公室",
    "县政府办": "县政府办公室",
}

# Free text handled by rules in the code: must not resolve through the gazetteer.
FREE_TEXT = """
各乡镇人民政府 县直各有关单位 相关乡镇办 市级各有关部门 各县市区政府 新泰市政府 泰山区政府 肥城市政府
泰山管委 徂汶景区管委 国网泰安供电公司 市生态环境局咸安分局
""".split()


def _read_raw() -> bytes:
    return GAZETTEER.read_bytes()


def _read_rows() -> list[dict[str, str]]:
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _aliases(row: dict[str, str]) -> list[str]:
    return [a for a in row["aliases"].split("|")] if row["aliases"] else []


@pytest.fixture(scope="module")
def rows() -> list[dict[str, str]]:
    return _read_rows()


@pytest.fixture(scope="module")
def index(rows) -> dict[str, dict[str, str]]:
    """prefix class -> {written stem or alias -> stem}."""
    idx: dict[str, dict[str, str]] = {c: {} for c in PREFIX_CLASSES}
    for row in rows:
        table = idx[row["prefixes"]]
        table[row["stem"]] = row["stem"]
        for alias in _aliases(row):
            table[alias] = row["stem"]
    return idx


def _interpretations(name: str, idx: dict[str, dict[str, str]]) -> set[str]:
    """Every canonical name the gazetteer could give ``name``."""
    found: set[str] = set()
    if name in idx["none"]:
        found.add(idx["none"][name])
    for prefix in ("",) + GOV_PREFIXES:
        rest = name[len(prefix):]
        if name.startswith(prefix) and rest in idx["gov"]:
            found.add(prefix + idx["gov"][rest])
    for prefix in PARTY_PREFIXES:
        rest = name[len(prefix):]
        if name.startswith(prefix) and rest in idx["party"]:
            found.add(prefix + idx["party"][rest])
    return found


# ---------------------------------------------------------------- file format


def test_utf8_without_bom_and_exact_header():
    raw = _read_raw()
    assert not raw.startswith(b"\xef\xbb\xbf"), "gazetteer.csv must not start with a BOM"
    text = raw.decode("utf-8")
    assert text.splitlines()[0] == ",".join(COLUMNS)


def test_every_row_has_five_fields():
    with GAZETTEER.open(encoding="utf-8", newline="") as fh:
        for lineno, record in enumerate(csv.reader(fh), start=1):
            assert len(record) == len(COLUMNS), f"line {lineno}: {record}"


def test_columns_present(rows):
    assert rows, "gazetteer is empty"
    assert list(rows[0].keys()) == COLUMNS


def test_sorted_by_kind_then_stem(rows):
    keys = [(r["kind"], r["stem"]) for r in rows]
    assert keys == sorted(keys), "keep gazetteer.csv sorted by kind, then stem"


# ---------------------------------------------------------------- field values


def test_kinds_valid(rows):
    bad = [(r["stem"], r["kind"]) for r in rows if r["kind"] not in KINDS]
    assert not bad


def test_prefixes_valid(rows):
    bad = [(r["stem"], r["prefixes"]) for r in rows if r["prefixes"] not in PREFIX_CLASSES]
    assert not bad


def test_stems_nonempty_unique_and_clean(rows):
    stems = [r["stem"] for r in rows]
    assert all(stems)
    dupes = {s for s in stems if stems.count(s) > 1}
    assert not dupes, f"duplicate stems: {sorted(dupes)}"
    dirty = [s for s in stems if set(s) & FORBIDDEN_CHARS]
    assert not dirty, dirty


def test_aliases_well_formed(rows):
    for row in rows:
        aliases = _aliases(row)
        assert all(aliases), f"empty alias in {row['stem']!r}: {row['aliases']!r}"
        assert len(aliases) == len(set(aliases)), f"repeated alias in {row['stem']!r}"
        assert row["stem"] not in aliases, f"{row['stem']!r} lists itself as an alias"
        dirty = [a for a in aliases if set(a) & FORBIDDEN_CHARS]
        assert not dirty, (row["stem"], dirty)


def test_no_alias_under_two_stems(rows):
    owner: dict[str, str] = {}
    clashes = []
    for row in rows:
        for alias in _aliases(row):
            if alias in owner and owner[alias] != row["stem"]:
                clashes.append((alias, owner[alias], row["stem"]))
            owner[alias] = row["stem"]
    assert not clashes, clashes


def test_no_stem_is_another_stems_alias(rows):
    alias_owner = {a: r["stem"] for r in rows for a in _aliases(r)}
    clashes = [(r["stem"], alias_owner[r["stem"]]) for r in rows if r["stem"] in alias_owner]
    assert not clashes, clashes


def test_english_labels(rows):
    for row in rows:
        en = row["en"]
        if en == "":
            continue  # a row may lack an English label; one that has it must be meaningful
        assert en.strip() == en and en.strip(), f"{row['stem']!r}: bad en {en!r}"
        assert "  " not in en, f"{row['stem']!r}: double space in {en!r}"
        if row["prefixes"] == "none":
            assert PLACEHOLDER not in en, f"{row['stem']!r} has no level but en has {PLACEHOLDER}"
        else:
            assert en.count(PLACEHOLDER) == 1, f"{row['stem']!r}: en needs {PLACEHOLDER} once: {en!r}"
        # No other braces: the code only substitutes {Level}.
        assert "{" not in en.replace(PLACEHOLDER, "") and "}" not in en.replace(PLACEHOLDER, "")


def test_english_without_level_reads_cleanly(rows):
    for row in rows:
        if PLACEHOLDER in row["en"]:
            bare = row["en"].replace(PLACEHOLDER + " ", "").replace(PLACEHOLDER, "")
            assert bare.strip() == bare and "  " not in bare and bare, (row["stem"], bare)


# ---------------------------------------------------------------- lookup behaviour


def test_gold_names_are_stems(index):
    for name in MUST_BE_STEMS:
        assert _interpretations(name, index) == {name}, name


@pytest.mark.parametrize("written,canonical", sorted(ALIAS_VARIANTS.items()))
def test_gold_variants_resolve_through_alias(index, written, canonical):
    assert _interpretations(written, index) == {canonical}


@pytest.mark.parametrize("name", FREE_TEXT)
def test_free_text_units_not_in_gazetteer(index, name):
    assert _interpretations(name, index) == set()


def test_no_ambiguous_lookups(index):
    """Every name, bare or with any prefix of its class, has exactly one reading.

    Catches e.g. a national name listed under ``none`` that also splits into ``国家`` + a
    ``gov`` stem with a different canonical form.
    """
    problems = []
    candidates = set(index["none"])
    for name in index["gov"]:
        candidates.update(p + name for p in ("",) + GOV_PREFIXES)
    for name in index["party"]:
        candidates.update(p + name for p in PARTY_PREFIXES)
    for written in sorted(candidates):
        readings = _interpretations(written, index)
        if len(readings) != 1:
            problems.append((written, sorted(readings)))
    assert not problems, problems
