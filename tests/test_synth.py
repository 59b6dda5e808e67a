"""The synthetic corpus: realistic, deterministic, and parsed back exactly (tasks, units and roles, and more).

Every style the generator writes must parse back exactly; a style the parser cannot read yet stays in the
generator and gets a failing test here, not a quieter generator: its feature is listed in ``KNOWN_GAPS``
with the reason, the round trips leave it out, and a strict xfail reproduces it until the parser reads it.
"""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.cli import main
from kg.loaders import read_bytes
from kg.parse import parse_path, parse_source
from kg.synth import (
    CITIES,
    CLAUSE_STYLES,
    FEATURES,
    NUMBERINGS,
    TRUTH_FILE,
    CorpusShape,
    Jurisdiction,
    UnitPool,
    compare,
    document,
    generate,
    read_truth,
    write_corpus,
)
from kg.units import UnitRegistry

KNOWN_GAPS: dict[str, str] = {}
CLEAN = FEATURES - set(KNOWN_GAPS)


def parsed(doc):
    return parse_source(read_bytes(doc.content(), doc.name, "." + doc.format))


def differences(doc, fields=None):
    """Differences between a generated document and its parse (in ``fields`` only, when given)."""
    found = compare(doc.truth(), parsed(doc))
    return [d for d in found if fields is None or d[0] in fields]


# --- the generator -----------------------------------------------------------------------------------------


def test_same_seed_same_corpus_other_seed_other_corpus():
    first = [d.content() for d in generate(6, seed=3)]
    assert first == [d.content() for d in generate(6, seed=3)]
    assert first != [d.content() for d in generate(6, seed=4)]


def test_documents_look_like_the_genre():
    docs = generate(140, seed=1)
    sizes = sorted(len(d.content()) for d in docs if d.numbering != "table")
    assert 30_000 < sizes[len(sizes) // 2] < 50_000  # like the 泰安 sample: ~40 KB
    tasks = [len(d.tasks) for d in docs]
    assert 70 < sum(tasks) / len(tasks) < 90 and min(tasks) >= 64 and max(tasks) <= 96
    assert {d.numbering for d in docs} == set(NUMBERINGS)
    assert {s for d in docs for s in d.styles} == set(CLAUSE_STYLES)
    assert {(d.format, d.encoding) for d in docs} >= {("txt", "utf-8"), ("html", "utf-8"), ("txt", "gb18030")}
    task_styles = Counter(t.style for d in docs for t in d.tasks)
    assert 0.02 < task_styles["none"] / sum(task_styles.values()) < 0.1
    roles = Counter(role for d in docs for t in d.tasks for _, role in t.units)
    assert set(roles) == {"lead", "shared", "co"}
    text = "".join(d.text for d in docs)
    for form in ("关于印发", "各县(市、区)人民政府", "（责任单位：", "(牵头单位:", "配合单位", "分别牵头落实", "由",
                 "按职责分工负责", "《", "以上", "左右", "以内", "达到", "序号\t", "完成时限"):
        assert form in text, form


def test_units_recur_and_a_few_carry_most_of_the_work():
    docs = generate(120, seed=2)
    load = Counter((d.jurisdiction, unit) for d in docs for t in d.tasks for unit, _ in t.units)
    ranked = [count for _, count in load.most_common()]
    top = ranked[: max(1, len(ranked) // 10)]
    assert sum(top) / sum(ranked) > 0.3  # Zipf-like: the top tenth of units carry a third of the work
    per_place = Counter(d.jurisdiction for d in docs)
    assert max(per_place.values()) >= 3  # several documents per jurisdiction, so units are shared


@pytest.mark.parametrize("level", ["市", "区", "县"])
def test_every_spelling_of_a_pool_unit_is_one_unit(level):
    """Aliases (市发改委) are names the gazetteer resolves to the same unit as the usual spelling."""
    pool = UnitPool(Jurisdiction("某" + level, level, "某"), FEATURES)
    registry = UnitRegistry()
    for unit in pool.units:
        canonical = {registry.unit(spelling, "某地").name for spelling in unit.spellings}
        assert len(canonical) == 1, unit.spellings
        if not unit.key.startswith(("国网", "中国", "人民银行", "市生态环境局")):
            assert registry.unit(unit.key, "某地").known, unit.key


# --- round trips -------------------------------------------------------------------------------------------


def test_a_written_corpus_parses_back_exactly(tmp_path):
    """30 documents as files (text, HTML pages, GB18030): every field of the truth comes back."""
    summary = write_corpus(tmp_path / "corpus", 30, features=CLEAN, jobs=1)
    assert summary.documents == 30 and summary.html >= 2 and summary.gb18030 >= 2
    truths = read_truth(tmp_path / "corpus")
    assert len(truths) == 30
    for truth in truths:
        doc = parse_path(tmp_path / "corpus" / truth["name"])
        assert compare(truth, doc) == [], truth["name"]


def test_a_corpus_like_the_benchmarks_round_trips(tmp_path):
    """200 documents with every feature on, as the benchmarks write them: rare combinations (a task with no
    clause before one whose clause is on its own line; 和 beginning a place inside a company's name) show
    up only at this size."""
    write_corpus(tmp_path, 200, jobs=1)
    truths = read_truth(tmp_path)
    assert len(truths) == 200
    mismatched = {t["name"]: compare(t, parse_path(tmp_path / t["name"])) for t in truths}
    assert {name: diffs for name, diffs in mismatched.items() if diffs} == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    tasks=st.integers(3, 30),  # a single task is test_known_gap_single_row_table
    numberings=st.sets(st.sampled_from(NUMBERINGS), min_size=1),
    styles=st.sets(st.sampled_from([s for s in CLAUSE_STYLES if s != "table"]), min_size=1),
    off=st.sets(st.sampled_from(sorted(CLEAN))),
)
def test_round_trip_property(seed, tasks, numberings, styles, off):
    """Whatever the options, the parser recovers the tasks (ids) and the (unit, role) pairs exactly."""
    for doc in generate(3, seed=seed, tasks=tasks, numberings=tuple(sorted(numberings)),
                        clause_styles=tuple(sorted(styles)) + ("table",), features=CLEAN - off,
                        jurisdictions=3):
        assert differences(doc) == [], (doc.name, doc.numbering, doc.styles)


# --- styles the parser once misread -----------------------------------------------------------------------


def test_joined_companies_are_two_units():
    """市公共资源交易中心及国网衢州供电公司: a named organisation after 及 is a unit of its own."""
    doc = generate(1, seed=26, tasks=30, clause_styles=("marker",), numberings=("cn-num",), features=FEATURES)[0]
    assert "及国网" in doc.text
    assert differences(doc, {"units"}) == []


def test_a_table_with_a_single_row():
    """Its header line belongs to the table, not to the heading above it."""
    doc = generate(1, seed=2, tasks=1, numberings=("table",), features=CLEAN)[0]
    assert re.search(r"\n一、.*\n+序号\t工作任务\t责任单位\t完成时限\n1\t", doc.text) and len(doc.tasks) == 1
    assert differences(doc) == []


def _jurisdiction_of(place: Jurisdiction) -> str | None:
    shape = CorpusShape(n=1, places=(place,), years=(2023,), seed=0, tasks=3, features=CLEAN - {"notice"},
                        numberings=("cn-num",), clause_styles=("taian",))
    return parsed(document(shape, 0)).jurisdiction


@pytest.mark.parametrize("name,level", [("泰安市", "市"), ("乌鲁木齐市", "市"), ("福山县", "县"), ("嘉康区", "区")])
def test_jurisdiction_from_the_title(name, level):
    assert _jurisdiction_of(Jurisdiction(name, level, name[:-1])) == name


def test_jurisdiction_of_every_city():
    wrong = {}
    for stem in CITIES:
        got = _jurisdiction_of(Jurisdiction(stem + "市", "市", stem))
        if got != stem + "市":
            wrong[stem + "市"] = got
    assert wrong == {}


# --- the command -------------------------------------------------------------------------------------------


def test_kg_synth_writes_documents_and_truth(tmp_path):
    out = tmp_path / "c"
    result = CliRunner().invoke(main, ["synth", str(out), "-n", "4", "--tasks", "5", "--seed", "9", "--jobs", "1",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows[0]["documents"] == 4 and rows[0]["tasks"] == sum(len(t["tasks"]) for t in read_truth(out))
    assert sorted(p.name for p in out.iterdir()) == sorted([t["name"] for t in read_truth(out)] + [TRUTH_FILE])
    again = tmp_path / "d"
    CliRunner().invoke(main, ["synth", str(again), "-n", "4", "--tasks", "5", "--seed", "9", "--jobs", "1"])
    assert all((out / t["name"]).read_bytes() == (again / t["name"]).read_bytes() for t in read_truth(out))


@pytest.mark.parametrize("args,message", [
    (["--without", "nothing"], "unknown feature 'nothing'"),
    (["--years", "2030-2020"], "--years"),
    (["--years", "soon"], "--years"),
])
def test_kg_synth_misuse(tmp_path, args, message):
    result = CliRunner().invoke(main, ["synth", str(tmp_path / "x"), "-n", "1", *args])
    assert result.exit_code == 2 and message in result.output
