"""The parser against the hand-checked gold annotations of real documents (tests/corpus)."""

from __future__ import annotations

import json

import pytest

from benchmarks.accuracy import Score, evaluate, evaluate_real, gold_files, real_documents
from conftest import CORPUS
from kg.errors import InputError
from kg.parse import parse_path
from kg.parse.targets import find_targets
from kg.text import simplify


def test_sample_has_80_tasks_in_11_sections(sample_doc, taian_gold):
    assert len(sample_doc.tasks) == 80
    assert [t.id for t in sample_doc.tasks] == [str(n) for n in range(1, 81)]
    assert [(s.label, s.title) for s in sample_doc.sections] == [(s["label"], s["title"]) for s in taian_gold["sections"]]
    by_section = {s["label"]: [str(n) for n in s["tasks"]] for s in taian_gold["sections"]}
    for label, ids in by_section.items():
        assert [t.id for t in sample_doc.tasks if t.section_path == (label,)] == ids


def test_sample_titles_match_gold(sample_doc, taian_gold):
    assert [t.title for t in sample_doc.tasks] == [t["title"] for t in taian_gold["tasks"]]


def test_sample_unit_roles_exactly(sample_doc, taian_gold):
    for task, gold in zip(sample_doc.tasks, taian_gold["tasks"], strict=True):
        assert [r.raw for r in task.responsibilities if r.role == "lead"] == gold["lead"], task.id
        assert [r.raw for r in task.responsibilities if r.role == "shared"] == gold["shared"], task.id
        assert not [r for r in task.responsibilities if r.role == "co"], task.id


def test_sample_plans_exactly(sample_doc, taian_gold):
    for task, gold in zip(sample_doc.tasks, taian_gold["tasks"], strict=True):
        assert [(p.title, p.relation) for p in task.plans] == [(p["title"], p["relation"]) for p in gold["plans"]]
    assert [(p.title, p.relation) for p in sample_doc.references] == [
        (r["title"], r["relation"]) for r in taian_gold["document"]["references"]
    ]


def test_sample_metadata(sample_doc, taian_gold):
    gold = taian_gold["document"]
    assert sample_doc.title == gold["title"]
    assert sample_doc.attachment_title == gold["attachment_title"]
    assert sample_doc.issuer == gold["issuer"]
    assert sample_doc.doc_number == gold["doc_number"]
    assert sample_doc.signed_date == gold["signed_date"]
    assert sample_doc.published_date == gold["published_date"]
    assert sample_doc.jurisdiction == "泰安市"


def test_sample_task_16_has_two_leads_and_77_to_80_have_no_unit(sample_doc):
    tasks = {t.id: t for t in sample_doc.tasks}
    assert [u.name for u in tasks["16"].units("lead")] == ["市工业和信息化局", "市通信发展办"]
    for n in ("77", "78", "79", "80"):
        assert tasks[n].responsibilities == []


@pytest.mark.parametrize("gold_path", gold_files(), ids=lambda p: p.name.split(".")[0])
def test_gold_tasks_and_unit_roles(gold_path):
    doc, scores = evaluate(gold_path)
    assert scores["tasks"].recall == 1.0 and scores["tasks"].precision == 1.0
    assert scores["units"].f1 == 1.0, scores["units"]


def test_sample_targets_and_projects_close_to_gold():
    _, scores = evaluate(CORPUS / "taian_2023_green_lowcarbon.gold.json")
    assert scores["targets"].f1 >= 0.95
    assert scores["metrics"].f1 >= 0.8, scores["metrics"]  # the measured thing named as the gold names it
    assert scores["deadlines"].f1 == 1.0, scores["deadlines"]  # the date the target's sentence gives, or none
    assert scores["plans"].f1 == 1.0
    assert scores["projects"].f1 >= 0.85


@pytest.mark.parametrize("name", ["02_xianan_2023", "05_caidian_2023", "09_guobanhan_2016"])
def test_other_documents_targets(name):
    _, scores = evaluate(CORPUS / f"{name}.gold.json")
    assert scores["targets"].f1 >= 0.9, scores["targets"]
    assert scores["deadlines"].f1 == 1.0, scores["deadlines"]


def test_target_values_comparators_and_deadlines(sample_doc):
    tasks = {t.id: t for t in sample_doc.tasks}
    assert [(t.value, t.unit, t.op, t.deadline) for t in tasks["11"].targets] == [
        (3, "个", "=", "2023年年底"), (7, "个", "=", "2023年年底")]
    assert [(t.value, t.op) for t in tasks["4"].targets] == [(30, ">="), (100, "="), (5, ">="), (20, ">=")]
    assert [(t.value, t.unit, t.op) for t in tasks["32"].targets] == [(12.24, "亿立方米", "<="), (1.43, "亿立方米", ">=")]
    assert [(t.value, t.op, t.deadline) for t in tasks["28"].targets] == [(700, "~", "2023年")]
    assert [t.value for t in tasks["13"].targets] == [500]  # 500万元 qualifies the projects, it is no target


def test_target_metrics_name_the_counted_thing(sample_doc):
    tasks = {t.id: t for t in sample_doc.tasks}
    # A leading verb is dropped; a noun after the number is the metric when only a verb precedes it.
    assert [t.metric for t in tasks["1"].targets] == ["高端学术交流活动", "落地创新创业平台"]
    # Items listed with 和 or 、 each have their own metric ...
    assert [t.metric for t in tasks["27"].targets] == ["在建的现代物流重点项目", "在谈的储备项目"]
    assert [t.metric for t in tasks["31"].targets] == ["造林", "森林抚育", "义务植树"]
    assert tasks["2"].targets[1].metric == "市级创新创业共同体建设"
    # ... while names listed without a number of their own belong to the next one's metric.
    assert tasks["40"].targets[0].metric == "新建、改造城市绿道"
    # Values listed after levels or things listed in the same order (分别) each measure their own.
    assert [t.metric for t in tasks["4"].targets[-2:]] == ["新增省技术创新示范企业", "新增市技术创新示范企业"]
    assert [t.metric for t in tasks["65"].targets] == ["省级试点", "市级试点", "县级试点"]
    text = "地区生产总值和一般公共预算收入分别增长7%、8%"
    assert [(t.metric, t.value) for t in find_targets(text, 0, len(text))] == [("地区生产总值增长", 7),
                                                                              ("一般公共预算收入增长", 8)]


def test_spans_point_into_the_original_text(sample_doc):
    text = sample_doc.text
    for task in sample_doc.tasks:
        assert text[task.span.start:task.span.end] == task.text
        for r in task.responsibilities:
            assert text[r.span.start:r.span.end] == r.raw
        for t in task.targets:
            assert text[t.span.start:t.span.end] == t.text
        for p in task.projects:
            assert text[p.span.start:p.span.end] == p.name
        for p in task.plans:
            assert simplify(text[p.span.start + 1:p.span.end - 1]) == simplify(p.title)


def test_traditional_document_keeps_names_as_written():
    gold = json.loads((CORPUS / "14_xianyang_2022_trad.gold.json").read_text("utf-8"))
    doc, _ = evaluate(CORPUS / "14_xianyang_2022_trad.gold.json")
    task = doc.tasks[0]
    assert task.title == gold["tasks"][0]["title"]
    assert [r.raw for r in task.responsibilities] == gold["tasks"][0]["lead"] + gold["tasks"][0]["co"]
    # Canonical names are Simplified, so the same bureau merges with Simplified documents.
    assert task.responsibilities[0].unit.name == "市政府办公室"
    assert doc.jurisdiction == "咸阳市"


def test_real_captures_unit_roles():
    # 360 pages captured as published (tests/realdocs/README.md): the (unit, role) pairs the parser finds,
    # over all of them. Measured 3996 found, 117 wrong, 649 missed (P 0.972, R 0.860) when this was written.
    total = Score()
    refused = []
    for path in real_documents():
        result = evaluate_real(path)  # anything but an InputError fails the test
        total += result.scores["units"]
        if not result.tasks:
            refused.append(path.name.removesuffix(".expect.json"))
    assert len(real_documents()) == 360
    assert total.precision >= 0.965 and total.recall >= 0.855, (total.tp, total.fp, total.fn)
    # Layouts not read yet (README: known misses): a progress table whose cells ran together with no header,
    # a box-drawn table, rows numbered inside running prose, a prose duty list (由X督促), a report whose
    # projects are numbered 01 02 with a space, one row of label/value lines, unnumbered news paragraphs with the units in labels, pages that hold one
    # unnumbered project (a paragraph and its 承办部门, a table's only row), a machine translation, a notice
    # whose attachment was not captured, a town table of one cell per line without row numbers, a garbled
    # cell-per-line table with sub-rows, a news report, duties in '--' paragraphs with the unit as the
    # sentence's subject, a cell-per-line list broken by runs of bare |, projects whose teams are label lines
    # (组长 / 副组长 / 成员单位), a forum repost full of junk, news whose units only appear inside sentences,
    # a one-cell-per-line table whose rows print no number and two leaders before the unit, a progress
    # report in one paragraph (X牵头的第1…,第2…).
    assert refused == ["r02_qingyang_wjw2023", "s05_pingxiang_banshishi2008",
                       "s08_fymate_funv_weisheng", "u03_changsha_zrfj2012", "y04_fymate_boxtable", "z09_banshishi_label_lines", "za03_tongxin_gzbg2023_trad_cells",
                       "zb12_wuxi_banshishi2009_news",
                       "zc02_taiyuan_shishi_english", "zc04_tongling2018_minsheng_xmda",
                       "zc06_huaibei2010_minsheng_nolabel", "zc07_yanglao_trad_cellperline",
                       "zc10_jiaoyu_huimin2020_row", "zd03_sichuan2017_dangdaihui_notice",
                       "ze08_minhang2010_caishichang_fsou_p2", "zf02_jiangbei2023_msss_trad_cells",
                       "zg02_sheng_xiaoshe_gongcheng_chengyuan_zhize_fsou",
                       "zg10_zhangdian2023_zhengwu_gongkai_changtaihua_qingdan",
                       "zi01_jiaxian_xiangmu_gongjianyue_chengyuan",
                       "zk03_zhen_jiegan_jinshao_cuoshi_trad_forum_noise",
                       "zk09_chenghua_qinglong_jiedao2017_beijie_xiaoxiang_news",
                       "zk12_xianan2018_gaokao_baohu_news_yaoqiu",
                       "zn07_yuhang2018_gzbg_renwufenjiebiao_nonumber",
                       "zt08_chizhou2025_zeren_qingdan_jinzhan_prose_qiantou_di_n"]


def test_real_captures_targets_and_plans():
    # 231 of the pages also have their targets (value, comparator, unit of measure) and 《》 plans (title,
    # relation) read by hand. Measured targets 834 found, 53 wrong, 94 missed; plans 196 / 18 / 20 (the wrong
    # targets are mostly a progress report's figures, zf04).
    totals: dict[str, Score] = {}
    for path in real_documents():
        for facet, score in evaluate_real(path).scores.items():
            totals[facet] = totals.get(facet, Score()) + score
    targets, plans = totals["target_units"], totals["plans"]
    assert targets.tp + targets.fn == 928 and plans.tp + plans.fn == 216
    assert targets.precision >= 0.93 and targets.recall >= 0.89, (targets.tp, targets.fp, targets.fn)
    assert plans.precision >= 0.9 and plans.recall >= 0.9, (plans.tp, plans.fp, plans.fn)


def test_real_captures_give_no_empty_tasks():
    # A garbled page's stray markers (?。ǘ┩ for (二)) once gave tasks with no text and no unit.
    empty = []
    for path in real_documents():
        stem = path.name.removesuffix(".expect.json")
        source = next(p for p in path.parent.glob(stem + ".*") if not p.name.endswith(".json"))
        try:
            doc = parse_path(source)
        except InputError:
            continue
        empty += [f"{stem} {t.id}" for t in doc.tasks if not t.text.strip() and not t.responsibilities]
    assert empty == []
