"""The parser on documents written in the genre's other styles (tests/genre/*.expected.json).

Each fixture is written in one style of the genre: three numbering levels with restarting numbers,
labelled clauses on their own lines, clauses in prose, a table in an HTML page, a page whose line breaks
were lost, Traditional characters with mirror-site pinyin glosses, a provincial 分工方案 whose clauses are
labelled lines (部门分工:X牵头,各地、各部门配合) after a line naming the responsible leader, a table
printed one cell per line with | borders, a table with section rows and a row whose units went onto the
next lines, labels in brackets of their own (【责任单位】X, 【牵头单位】X【配合单位】Y), 〔〕 clauses, X(牵头)
in a list, the convention 排名第一的为牵头单位 stated for one clause or for the whole document, units
separated by spaces, labels on one line (牵头领导:X 牵头单位:Y 配合单位:Z), and clauses that open the task
(市质监局负责,市工商局配合,开展…), an HTML table whose lead and deadline cells are merged over rows, and brackets after the last sentence
that hold only unit names, a national 分工 with deadlines (年内持续推进) and 落实 inside the clause, and a table with two task columns
(工作任务 names the task, 具体措施 details it) and a column of responsible leaders, and headings that only
name the responsible unit (三、市建设局负责:) over the sub-items that are the tasks.
A rule stated in brackets at the end of a list (列第一位的为工作牵头单位,下同) holds from there on; a remark
after a clause's roles (…按职责分工负责。具体任务均涉及…) names no units; 各县、市、区政府 is one collective;
哈尔滨、黑河、绥芬河市政府 and 公安、交通部门 share their head word; 区财政局区税务局 are two units; the 和 of
中国电信和田分公司 begins a place, not a second unit; 包片单位 before a name is its role, not its name.
Unnumbered paragraphs under a heading, each closed by its own clause, are tasks numbered in order.
A clause on its own line after an item's last sub-item closes that item, whose sub-items are its text
(unless items like the sub-items carry clauses throughout: tests/test_parse_genre.py checks that too).
A space-separated table row whose merged (empty) cell left two spaces is still split into its cells.
A capture that starts mid-document (items 7–9, then 四、; or (4)–(5), then 4、X负责:) keeps that heading
above its own items.
A table printed one cell per line with | borders, a row of empty cells (||), no 序号 column and a skipped
row number; items whose text starts with digits (6、98年元旦前…).
Tables printed one row per line with | borders: rows that start with the heading cells they fall under
(一、… | (一)… | 1.… | 科室牵头,办公室配合) and rows whose first cell (政策解读) reads like page furniture.
A 考核 table whose category column comes before 序号 (printed once per group), with a column for the
unit of measure (单位) and one for who scores the work (评分部门): neither names the responsible units.
A table printed one cell per line whose 责任单位 cell holds one unit per line (民生实事 names the task).
A ledger: 问题整改责任单位:X 整改时限:3天 after a site's sub-problems, 项目责任人 and 实际完成情况 labels,
a sentence after 牵头单位:X。, and a first-listed rule in brackets after the first unit. A notice with two
attachments, each a table: both are the body.
A table one cell per line with a 章节 column whose cell (1.便利市场准入退出) is printed once for its rows.
A heading that names the lead of the items under it (一、县示范区管委会牵头工作(3项)); 由张三副市长负责,
县发改委牵头,相关部门配合 in the paragraph under a heading; 支持单位 lines; 等各部门 after a unit; X、Y主办,Z协办.
A table one cell per line captured from its 24th row, whose rows miss a merged cell in the middle: the
person, lead and co cells still land in their columns.
A one-cell-per-line table with columns of other data between the task and the unit (建设地点, 建设时间,
年度投资金额 (万元)); the first-listed rule said among the principles of a 分工 notice, before its tasks
(由多个单位负责的,排在第一位的为牵头单位), where 多个单位 is no unit. Paragraphs under a heading that each end
in 由X同志负责,A、B承办 (承办: the units do the work; the person does not count). A table one cell per line, blank lines between,
whose 协同单位 cell lists nine units one per line and whose category cell is printed on a group's first row only.
A bureau's rows picked out of the county's list (3, 68, 69, 73), one cell per line, under section rows.
Unnumbered lines that each end in their own label (…,责任单位为区发改委;), maybe two indicators to a line (the
second, …比重16.5%(…), is no unit of the first label): a label ends in 为 as well as in a
colon, and consecutive labelled lines are one clause only while they give roles the others did not.
Lists by department: a heading that is a unit's name (二、省发改委) over its items, or an item whose first
sentence is (一)市公安局。负责… — the unit shares what follows (not in a ledger, whose 1. 市科技馆 is a site).
A page on one line whose (一) (二) markers are glued to the unit before them (…质监站(二)小街巷专项整治…).
办公室牵头,各科室、局属各单位具体落实: 具体落实 / 具体实施 are role words, not part of the last name.
A department's items picked out of the province's list (5., 7., 18., 21.), each closed by its units.
An item with no clause of its own over sub-items that each have one: the sub-items are the tasks.
A division of duties after an item (其职责分工为: / 区委宣传部:制订… / 教委:负责…): each line a task of its unit.
A | table whose header has no 序号 and column names up to 12 characters (1-9月份工作完成情况).
Unnumbered targets run together on one line, each closed by its bracket (…左右。(市公安局牵头)万元…): a task each.
A mirror that printed the ideographic spaces indenting each paragraph as ?? (??1.推進…). A heading that ends like a
unit but opens with a verb (二、建设数字政府) names no unit for the items under it. A bare bracket of units
that closes the task's sentence (…增长11%(市发改委,各县市区政府)。) rather than following it.
A provincial 部门分工的意见 whose paragraph holds several runs of sentences, each closed by its own bracket: a
task each; the rule 列第一位的为牵头部门,其他部门和单位按职责分工负责,下同 holds from its bracket on.
A one-cell-per-line table whose progress cell (98.4%) is no item marker 98,
nor a deadline (its column is 当前进度). A | table whose numbered rows have
unnumbered sub-item rows under them (with no unit of their own): those are the row's text, not rows, and
their task cells hold more of its targets (their progress cells none).
A county bureau's table whose 责任股室 column names its sections (文化宣传股, 文物股): …股 is a unit.
A one-cell-per-line table whose task column carries a remark (重点工作任务(本市2项配合工作…)): the remark's 配合
does not make it a unit column; a row number 2* (a task the city leads) is a row number.
▲发改局,各部门: the unit marked ▲ leads, the others assist. A | row with more cells than its header has
columns, out of line with it: a cell under the unit column that names no unit (100, 完成) gives no unit.
A cell that lists its units separated by spaces only (安监站 安监所 派出所).
A table whose cells ran together with no separator (序号重点工作任务第一责任单位配合单位1地区生产总值…。市发展改革委各县…
2社会…): rows start at the next number after a list of units, never at a number in the text (1200个, 2021年);
the first of two unit columns leads, and a section row (—2—二、改善民生) between rows stays a section.
此项工作由X主办,Y协办 / 该项工作由X负责: the words before 由 are not part of the unit's name.
A paragraph whose runs of sentences each close with a bracket of bare unit names (…培训(县卫健局、农业农村局)。
做好…(县发改局、财政局)。): a task each. 列第一位者为牵头单位 states the first-listed rule too; 等县级相关单位
after a name is the collective it sums up, not part of the name.
Targets phrased 30余家, 1亿多元, 14个工作日内, 6‰以内, ≥2.5%; a subsidy rule (给予最高200万元资助) and who qualifies for
it (5000万元以上的) are not targets, nor are the parts of a slogan (三个“一号工程”); 比2020年 is no deadline.
Items indented by spaces, with no clause, each a line of its own; 3项目标的责任单位… counts goals, it sets none.
A | table whose rows open with their merged category cell and a bare number (一、… | 1 | …), whose lead cell
names the bureau and then its head (市民政局 伍某某), and whose tasks raise a level 从574元…提高到609元 (the old
level is no target).
Text from a PDF with stray spaces: targets 123.1 万吨、13.31 万吨 以 内, base levels 比 2010 年 的 132.4 万 吨 that
are no targets, and names a space broke (住房城乡 建设厅, 各市(州) 人民政府) kept whole.
A | row longer than a line may run whose plan cell numbers its steps (1.…3月底前新建成2家;… 2.…): one row, whose
steps hold more targets, each due by its month.
Headings that name the lead of the work under them ((二)省审计厅牵头的工作) over an unnumbered sentence or over
items, with the co units on a 协同单位: line after an item: the heading's lead, the line's co units;
确保《政府工作报告》…落到实处 implements the report.
资金来源:中央资金50%、自治区资金40% says who pays which share: no targets.
A notice that issues three titles listed one after another (《A》《B》《C》已经…通过,现印发给你们), a plan cited as
issued by someone else (办公厅印发的《X》: referenced), 深入实施《X》 (implemented), 现将《X》下发 (issued); targets
given as ranges (7.5%—8%, 8-10个: at least the lower end).
A table printed one cell per line under a 主要责任单位 / 责任单位 header whose unit cells give one name per line with
nothing between the two cells: each run of names under a goal, the first leading as the columns' order says.
Brackets that say which work each unit takes and what it does after 负责 or 牵头 (本部分工作由X,Y等部门负责制定方案并
组织实施; 村庄规划工作由市规划局牵头组织实施,…配合).
A list of duties whose items open with the unit that does them ((一)市建委负责建筑工地的…, 全市各部门和相关单位要负责…).
A | row short of its merged 牵头单位 cell: its task cell (…除颤仪47台) is no unit's name (no name counts things).
A news item listing a county's 民生实事 (1)…(6) on one line, with no unit named: the genre still (its targets).
各州(市)党委和政府 is two units as written (the committee, 政府), the second the government of the same places.
A notice's standing rule (除特别注明的外,各县(市、区)政府、市开发区管委会都是配合单位): co units of every task.
A | table whose 明细 column details the task: its targets are the task's (its 执行落实情况 progress is not).
A one-cell-per-line header whose narrow cells wrapped their names (牵头 / 部门, 完成 / 时间): one column each.
A spaced table header run into the end of the notice's last line (…任务分解表 序号 名称 工作任务 牵头责任单位).
现将《A》《B》印发给你们 issues both; 印发《政府工作报告》重点任务分工方案 implements the report; 根据《X》 refers to X.
Numbered duties that open with their unit and a colon (14.市卫生局:负责…), unnumbered ones with a wide gap (法规处  负责…),
and a paragraph of duties sentence by sentence (市农业农村局、市财政局负责…;市发改委(粮食局)负责…): each unit shares.
各市、县(市、区)教育局 and 各县、市、区教育局 are one collective each, 各县、市场监管局 two; 形成《X报告》 issues X; a
document-sharing site's file name in 《》 (….docx(31页珍藏版)) is no title cited.
A progress report's figures (已完成12公里, 占24%, 正在建设20公里, 下余…推进中, a paragraph 此项工作已完成。截至…) are no targets.
A table printed one cell per line without row numbers: each row ends with its unit cell (a list on one line,
区发改局、各街道) and the progress cell after it; the 项目名称 cell merged over rows opens the first row only.
Duties under a unit's heading (负责人 is no role word), long unit lists before 负责, X、Y主要做好…, duty lines
X负责… under a heading, 各区、县级市外经贸局 as one collective; -- items whose clauses have 参加 units; a text with no
numbered item whose lines (县住建局:负责…) or sentences (县水务局牵头,组织开展…) each give a unit its task; a
heading's count (工商分局(1项)), the document's own lists (首批建设的22个单位) and stages (拟分2批) are no
targets, rates (0.16公斤/亩, 500吨/日) keep their unit. A page that opens in the middle of a duty list: its
lines before the first heading are tasks too. ★ before the lead in a 牵头单位 column; letter-spaced one-cell-per-line
headers (责 任 单 位); a unit line listing names with commas; a 职责分工 column; rows that open with their unit
cell (相关部门 / 职责分工); a news text's 公安部门要… sentences and duties after a comma (县文体局负责双江街道,…);
distances that say where a rule applies (学校周边50米内) are no targets; a 相关依据 list cites its titles.
Collectives bracketed with 〔〕 or 〈〉 (各县〔市、区〕政府, 各县区政府〈管委会〉); rates per thousand (4批次/千人).
由排名首位的部门牵头负责。下同 inside a clause holds from there on; 主办单位 after 牵头单位 assist; ──由X会同… lines;
unnumbered paragraphs each followed by their own 责任单位 line are tasks. A one-cell-per-line table with 责任单位
and 配合单位 columns, rows without numbers under section rows, one 配合单位 cell left empty. A district's 板块 (zones)
are a collective; what 等部门、单位 leaves after 等 is no unit.
Word and PDF exports' one-character numerals ⒈ and ⑴ number items as 1. and (1) do, kept as printed; a
section whose first 1. heads sub-items still restarts the numbering (一.⒉ and 二.⒈, not ⒉ and ⒈).
An HTML page whose table was pasted as one paragraph per cell (a blank line between every two lines, as
for any page of <p>s), its header names wrapped (责任 / 科室, 攻坚目标 / 任务, 第二季度 / 完成情况) and printed again
at the top of the next page; the 完成情况 cells report progress (已完成…5公里), no targets.
(X、Y、Z按职责牵头负责): each unit leads its part, closing unnumbered lines (two on one line) that are tasks
each; 等3项指标分解到各县 counts indicators, it sets none.
A title given a short name (《X》(以下简称《纲要》)) is X wherever 《纲要》 is cited, in the notice and in the tasks;
a year a PDF's spacing broke inside a title (20 21年) is one; a report on 《政府工作报告》目标任务完成情况 implements it.
A one-cell-per-line progress table whose header names no 序号 (工作任务 / 牵头责任单位 / 一季度进展情况): rows open
with their number, a unit cell may list two units one per line, a progress cell may list its steps (1. 印发…);
the progress figures are no targets, and a last row cut in its task text has no units.
A one-cell-per-line header whose office name wrapped before its column (区政府办 / 协管责任人: one person column),
unit cells wrapped over lines, and a remark on what a unit leads (区统计局(数据统计评估牵头单位)) that is no part
of its name.
A progress report whose items are each followed by a labelled line (推进情况:目前累计完成…,完成年度任务的42.14%):
that line's figures are progress, no targets.
Projects with 项目内容: and 责任单位: lines; 和 between two governments or management committees (相关区市县政府和先导区管委会,
中山区政府和沙河口区政府) separates two units.
A report with no numbered item that counts off points in a sentence, each closed by its clause (一是…(责任单位:X);
二是…): a task each.
A |-bordered table one cell per line whose 序号 and 项目 cells are merged over groups of rows, each task numbered
in its own cell (1.… 2.… restarting per group) with its own ★ lead: the groups are headings, the numbered cells
tasks (一.1.1); two leaders in the 牵头领导 cell are one cell.
A duty whose list of units runs on after a comma (…各区、县级市,以及广州海关、黄埔海关…负责…): one list; 海关 are units.
Decimal numbering (1.1, 1.2, 2.1 under 一、 二、), beside items whose text starts with a number (2.1月底前…, 3.5G基站…).
Table rows numbered under their group's row (1 | 稳定经济增长, then 1-1 | … | 市发展改革委), or 1.1, 1.2, 2.1; and so
numbered, a table printed one cell per line.
The next item of a line's own numbering run on after its clause ((一)…。(省发改委负责)(二)…, 1.…协办)2.…) is an item of
its own; a ranking after semicolons (1、金寨县;2、金安区) is not.
Columns named 实施主体 (who does the work) and 协作单位 (who helps). The role words alone as labels, with a colon or
in brackets of their own (牵头:X;配合:Y, 【牵头】X【配合】Y, 责任:X, 主责:X;协同:Y). A role word followed by 、
and more units with their own role word (X牵头、Y配合; X和Y分别牵头、Z、W配合). A sentence whose last phrases say
who is what (…,市大数据局为牵头单位,市委网信办为配合单位。 / …,各县市区政府为责任主体。).
Hard-wrapped lines (a PDF's or a fixed-width text's): a sentence broken mid-word goes on, and a role word broken
inside a clause (各县(市、区)政府配 / 合) is still the role word, not part of the name.
The person in charge in brackets after a unit (市发展改革委(张三)) is no part of its name; markers spaced from their
punctuation (一 、, 1 、, 2 .).
A table printed one cell per line whose 具体举措 cell lists its steps a line each (1.加快项目审批; / 2.强化要素保障。):
the steps are that cell, not heading rows.
"""

from __future__ import annotations

import html
import io
import json
import zipfile

import pytest

from conftest import GENRE
from kg.loaders import read_bytes
from kg.parse import parse_path, parse_source

CASES = sorted(GENRE.glob("*.expected.json"))


def _source(expected_path):
    stem = expected_path.name.removesuffix(".expected.json")
    return next(p for p in GENRE.iterdir() if p.name.startswith(stem + ".") and not p.name.endswith(".json"))


@pytest.mark.parametrize("expected_path", CASES, ids=lambda p: p.name.split(".")[0])
def test_genre_fixture(expected_path):
    expected = json.loads(expected_path.read_text("utf-8"))
    doc = parse_path(_source(expected_path))
    tasks = {t.id: t for t in doc.tasks}
    assert sorted(tasks) == sorted(expected["tasks"])
    for task_id, want in expected["tasks"].items():
        task = tasks[task_id]
        for role in ("lead", "shared", "co"):
            assert [r.raw for r in task.responsibilities if r.role == role] == want[role], (task_id, role)
        if "deadline" in want:
            assert task.deadline == want["deadline"], task_id
        if "title" in want:
            assert task.title == want["title"], task_id
    for task_id, want in expected.get("targets", {}).items():
        assert [[t.value, t.op] for t in tasks[task_id].targets] == want, task_id
    for task_id, want in expected.get("plans", {}).items():
        assert [[p.title, p.relation] for p in tasks[task_id].plans] == want, task_id
    if "references" in expected:
        assert [[p.title, p.relation] for p in doc.references] == expected["references"]


def _as_html_page(text: str) -> bytes:
    """``text`` published as a CMS prints it: a <p> per line (&nbsp; where spaces must stay), a <table> per run
    of tab-separated rows, inside a page with navigation, a script and a footer."""
    body: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            if not body or not body[-1].endswith("</tr>"):
                body.append("<table border=1>")
            body.append("<tr>" + "".join(f"<td><p>{html.escape(c)}</p></td>" for c in line.split("\t")) + "</tr>")
            continue
        if body and body[-1].endswith("</tr>"):
            body.append("</table>")
        body.append(f"<p>{html.escape(line).replace(' ', '&nbsp;')}</p>" if line.strip() else "<p>&nbsp;</p>")
    if body and body[-1].endswith("</tr>"):
        body.append("</table>")
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>t</title><script>var a = '<p>1.x</p>';</script>"
            "</head><body><div class='nav'><a href='/'>首页</a> &gt; 政务公开</div><div class='TRS_Editor'>\n"
            + "\n".join(body) + "\n</div><div class='footer'>版权所有</div></body></html>").encode("utf-8")


def _as_docx(text: str) -> bytes:
    """``text`` saved by Word: a paragraph per line (its spaces kept), a table per run of tab-separated rows."""
    def run(t: str) -> str:
        return f'<w:p><w:r><w:t xml:space="preserve">{html.escape(t, quote=False)}</w:t></w:r></w:p>'

    body: list[str] = []
    rows: list[str] = []
    for line in text.split("\n"):
        if "\t" in line:
            rows.append("<w:tr>" + "".join(f"<w:tc>{run(c)}</w:tc>" for c in line.split("\t")) + "</w:tr>")
            continue
        if rows:
            body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
            rows = []
        body.append(run(line))
    if rows:
        body.append("<w:tbl>" + "".join(rows) + "</w:tbl>")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>'
                                              f'{"".join(body)}</w:body></w:document>')
    return buffer.getvalue()


@pytest.mark.parametrize("suffix, publish", [(".html", _as_html_page), (".docx", _as_docx)], ids=["html", "docx"])
@pytest.mark.parametrize("source", sorted(GENRE.glob("*.txt")), ids=lambda p: p.stem)
def test_fixture_published_as_a_page_or_saved_by_word_reads_the_same(source, suffix, publish):
    # A browser shows a page of <p>s a blank line apart and collapses the spaces of its source; Word keeps a
    # paragraph per line and puts tables in cells. The parser must read either as it reads the text.
    as_text = parse_path(source)
    published = parse_source(read_bytes(publish(source.read_text("utf-8")), source.stem + suffix, suffix))
    assert [(t.id, [(r.raw, r.role) for r in t.responsibilities]) for t in published.tasks] == \
        [(t.id, [(r.raw, r.role) for r in t.responsibilities]) for t in as_text.tasks]


@pytest.mark.parametrize("ending", ["", "\n", "\n\n"])
def test_a_double_spaced_text_reads_as_its_single_spaced_self(ending):
    # A table one cell per line, its header names wrapped, with a blank line after every line (as the text
    # of a page of <p>s reads), a couple of single-spaced lines of page header, and whatever the file ends with.
    from kg.loaders import SourceText, read_source

    cells = read_source(GENRE / "paragraph_cells.html").text.strip("\n").split("\n\n")
    single = parse_source(SourceText("s.txt", "\n".join(cells) + "\n"))
    double = parse_source(SourceText("d.txt", "来源:某镇人民政府\n发布时间:2024-08-01\n浏览次数:\n字号:[大 中 小]\n" + "\n\n".join(cells) + ending))
    assert [[(r.raw, r.role) for r in t.responsibilities] for t in double.tasks] == \
        [[(r.raw, r.role) for r in t.responsibilities] for t in single.tasks] == \
        [[("水库工程政策处理工作领导小组", "shared")], [("乡村振兴办", "shared")], [("农业农村办", "shared")]]
    assert all(double.text[r.span.start:r.span.end] == r.raw for t in double.tasks for r in t.responsibilities)


def test_html_page_chrome_and_scripts_are_dropped():
    doc = parse_path(GENRE / "table_rows.html")
    assert "tracker" not in doc.text and "首页" not in doc.text and "版权所有" not in doc.text
    assert doc.title == "某市2024年重点工作任务分解表"
    assert all("不是" not in p.title for t in doc.tasks for p in t.plans)


def test_a_capture_without_a_title_is_titled_after_its_file():
    from kg.loaders import SourceText
    from kg.parse import parse_source

    text = "一、稳增长\n1.推进重大项目建设。(市发展改革委牵头)\n2.扩大消费。(市商务局负责)\n"
    doc = parse_source(SourceText(source="captures/05_excerpt.txt", text=text))
    assert doc.title == "05_excerpt"
    assert "no title found; titled after the file: 05_excerpt" in doc.warnings


def test_cells_run_together_keep_exact_spans():
    # The separators put back between glued cells are not in the text: every span still quotes it exactly.
    doc = parse_path(GENRE / "glued_table.txt")
    spans = [(r.raw, r.span) for t in doc.tasks for r in t.responsibilities]
    assert len(spans) == 16
    assert all(doc.text[span.start:span.end] == raw for raw, span in spans)
    assert [doc.text[t.span.start:t.span.start + 6] for t in doc.tasks[:2]] == ["地区生产总值", "社会消费品零"]
    assert all(doc.text[t.targets[0].span.start:t.targets[0].span.end] == t.targets[0].text
               for t in doc.tasks if t.targets)


def test_targets_keep_measure_words_and_take_no_base_year_as_deadline():
    # 1亿多元 is more than 1 亿元 (多 between the multiplier and the measure word), 7个乡镇卫生院 counts 个, and
    # 比2020年下降 names the year compared with, not the year the target is due.
    doc = parse_path(GENRE / "target_plan_phrasing.txt")
    found = [(t.value, t.unit, t.deadline) for task in doc.tasks for t in task.targets]
    assert found == [(30, "家", None), (100, "家", None), (1, "亿元", None), (14, "个工作日", None), (6, "‰", None),
                     (2.5, "%", None), (16, "个", None), (13.5, "%", None), (7, "个", None)]


def test_indented_items_end_where_the_next_item_starts():
    # "  2.第三产业…" is indented: its line starts before its marker, and still belongs to item 2 alone.
    doc = parse_path(GENRE / "indented_items.txt")
    assert [t.text for t in doc.tasks[:2]] == ["地区生产总值增长15%;", "第三产业增加值达到1000亿元;"]
    spans = [t.span for t in doc.tasks]
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:], strict=False))


def test_milestones_in_a_plan_cell_are_targets_due_by_their_month():
    # 3月底前新建成2家;6月底前…: the 1. 2. 3. inside the cell are steps of the row, each target due by its month.
    doc = parse_path(GENRE / "pipe_cell_steps.txt")
    found = [(t.value, t.deadline) for t in doc.tasks[0].targets]
    assert found == [(7, None), (500, None), (2, "3月底前"), (2, "6月底前"), (7, "9月底前"), (100, "3月底前"),
                     (200, "6月底前"), (500, "9月底前")]


def test_a_standing_rule_in_the_notice_quotes_the_notice():
    # 除特别注明的外,X、Y都是配合单位: the co units every task gets point to the rule's words, not to the task.
    doc = parse_path(GENRE / "standing_co_rule.txt")
    standing = [r for t in doc.tasks for r in t.responsibilities if r.raw == "市开发区管委会"]
    assert len(standing) == 2 and all(doc.text[r.span.start:r.span.end] == r.raw for r in standing)
    assert all(r.span.start < doc.tasks[0].span.start for r in standing)


def test_a_government_named_after_its_committee_is_the_government_of_the_same_places():
    # 各州(市)党委和政府: two units, named as written; 政府 is 各州(市)'s, not one 政府 for every such clause.
    doc = parse_path(GENRE / "committee_and_government.txt")
    names = {r.raw: r.unit.name for t in doc.tasks for r in t.responsibilities}
    assert names["政府"] == "各州(市)政府" and names["人民政府"] == "各县(市、区)人民政府"
    assert names["管委会"] == "高新区管委会"
