"""Quantitative targets: ``metric op value unit``, with a deadline when the sentence gives one.

A target is a number with a measure word (``10场``, ``2.18万亿元``, ``54.5%``), optionally framed by a
comparator (以上/超过/突破/不少于 → ``>=``; 以内/不超过 → ``<=``; 左右 → ``~``; 达到/稳定在 → ``=``).
What is *not* a target matters as much: years, numbers inside 《》 titles or quoted slogans (“四个不摘”),
codes (G205, 5G), counts that name a scope (围绕…13条产业链), and thresholds that qualify another target
(投资500万元及以上工业技改项目500个以上: only the 500 projects are a target).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.lexicon import COMPARATOR_PREFIXES, COMPARATOR_SUFFIXES, MEASURES, MULTIPLIERS, alternation
from kg.parse.outline import cn_to_int

_CN_NUM = "[一二三四五六七八九十两百千]+"
# 10余家, 30多个, 1亿多元: "more than", written between the number and its measure word.
_APPROX = "多|余"
# Text taken from a PDF keeps stray spaces (123.1 万吨、13.31 万吨 以 内): one is allowed before a unit that
# starts with a magnitude (or %) and around a comparator word — not before any measure word, which would read
# a table's row number and the start of its text (3 人才引进) as a quantity.
_SPACED_SUFFIXES = "|".join(" ?".join(map(re.escape, word)) for word in sorted(COMPARATOR_SUFFIXES, key=len,
                                                                                  reverse=True))
_QUANTITY = re.compile(
    rf"(?P<num>\d+(?:\.\d+)?|{_CN_NUM}(?:点[一二三四五六七八九〇零]+)?)"
    rf"(?: (?={alternation(MULTIPLIERS)}|%))?"
    rf"(?P<unit>(?:(?:{alternation(MULTIPLIERS)})?(?:{_APPROX})?(?:{alternation(MEASURES)})|(?:{alternation(MULTIPLIERS)}))"
    # a rate: 0.16公斤/亩, 10吨/日, 500元/人
    rf"(?:/(?:{alternation(MULTIPLIERS)})?(?:{alternation(MEASURES)}|年|日|天|月|人|户|次))?)"
    rf"(?: ?(?P<suffix>{_SPACED_SUFFIXES}))?"
)
_PREFIX = re.compile(rf"(?:{alternation(list(COMPARATOR_PREFIXES))})\s*$")
_DEADLINE = re.compile(
    r"(?:到|至|在|于|力争|确保|争取)?(?P<when>\d{4}年(?:年底|年末|年内|底|末|上半年|下半年|\d{1,2}月(?:底|末|份)?)?(?:前|以前|之前)?"
    # Within the document's year: 3月底前新建成2家, 年内完成 (kg.dates resolves them against that year).
    r"|(?<![\d年])\d{1,2}月(?:底|末)(?:前|以前|之前)?|(?<![\d年])\d{1,2}月(?:前|以前|之前)|(?<!\d)年(?:内|底前))"
)
_CLAUSE = re.compile(r"[,。;:!?\n\t]| {2}")
_LIST_SEP = re.compile(r"^[、和及与]$")
_LIST_COUNTS = frozenset({"项", "条", "件", "个"})
_DISTANCES = frozenset({"米", "公里", "千米"})
_AREA_AROUND = re.compile(r"(?:以内|之内|内|范围|左右范围|的地带|的区域|的范围)")
_AROUND = re.compile(r"周边|周围|两侧|附近|沿线")
_STAGES = frozenset({"批", "期", "步", "年", "次", "个阶段"})
# Scope phrases: counts after these words describe the field of action, not a target.
_SCOPE_WORDS = ("围绕", "依托", "针对", "按照", "聚焦", "对照", "立足", "结合")
_NOT_AFTER = re.compile(r"^(?:级|大|强|型|期|号|代|类|化|届|次会|方面|个方面|项措施|条措施|条意见|种模式|张网|\+|×|\*|\d|G\b|K\b)")
# 4项目标的责任单位均为…, 主要包括3项约束性政府目标, 等3项指标分解到各县: a count of the document's goals, not a goal.
_COUNTS_GOALS = re.compile(r"[^,。;、\d]{0,8}?(?:目标|指标)(?:的|责任|分别|均|分解|[,。;])")
# The lower end of a range, right before its upper quantity: 7.5%— (8%), 8- (10个), 5个至 (10个).
_RANGE_LOW = re.compile(r"(?<![\d.])(?P<low>\d+(?:\.\d+)?)(?:%|[^\d\s,。;、]{0,2})?\s*(?:—{1,2}|–|-|~|～|至)\s*$")
_NOT_BEFORE = re.compile(r"(?:[A-Za-z×*+/\-~]|第|近|前|后|这|那|每)$")
_CN_IDIOM = re.compile(r"^(?:一|两)(?:个|张|条|项|批|家|件|次|体|线|网|窗|门|站|屏|号|套)")
_YEAR_UNIT = re.compile(r"^\d{4}$")


@dataclass(slots=True)
class TargetMention:
    start: int  # span of the quoted text in the normalised text
    end: int
    metric: str
    value: float
    unit: str
    op: str
    deadline: str | None


def _value(num: str) -> float | None:
    if num[0].isdigit():
        return float(num)
    if "点" in num:
        whole, frac = num.split("点", 1)
        digits = "".join(str(cn_to_int(ch)) for ch in frac)
        return float(f"{cn_to_int(whole)}.{digits}") if cn_to_int(whole) else None
    value = _cn_big(num)
    return float(value) if value else None


def _cn_big(text: str) -> int:
    """Chinese numerals up to the thousands (一千二百 → 1200); multipliers 万/亿 are units here."""
    total = 0
    current = 0
    digits = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
    for ch in text:
        if ch in digits:
            current = digits[ch]
        elif ch in "十百千":
            total += (current or 1) * {"十": 10, "百": 100, "千": 1000}[ch]
            current = 0
        else:
            return 0
    return total + current


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    return any(s <= pos < e for s, e in spans)


def _quoted_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans = []
    for opener, closer in (("《", "》"), ("“", "”"), ("〈", "〉")):
        i = start
        while True:
            a = text.find(opener, i, end)
            if a < 0:
                break
            b = text.find(closer, a + 1, end)
            if b < 0:
                break
            spans.append((a, b + 1))
            i = b + 1
    return spans


def find_targets(text: str, start: int, end: int, excluded: list[tuple[int, int]] = ()) -> list[TargetMention]:
    """Targets in ``text[start:end]``; ``excluded`` spans (responsibility clauses) are skipped."""
    skip = _quoted_spans(text, start, end) + list(excluded)
    raw: list[tuple[re.Match[str], str]] = []
    ranges: dict[int, tuple[float, int]] = {}  # a range's upper quantity (its start) → lower end, its start
    for m in _QUANTITY.finditer(text, start, end):
        num = m.group("num")
        if _inside(skip, m.start()):
            continue
        if num[0].isdigit():
            if m.start() > start and (text[m.start() - 1].isdigit() or text[m.start() - 1] == "."):
                continue
            if _YEAR_UNIT.match(num) and m.group("unit") in ("年",):
                continue
        else:
            # 一个/两张 idioms; 二套房 and 百家湖 are an ordinal and a name, not counts.
            if _CN_IDIOM.match(text[m.start():m.end()]) or len(num) == 1 and num in "一两二百千":
                continue
        after = text[m.end():m.end() + 4]
        if _NOT_AFTER.match(after) or _COUNTS_GOALS.match(text, m.end(), end):
            continue
        if m.group("unit") in _DISTANCES and (_AREA_AROUND.match(after) or _AROUND.search(text, max(start, m.start() - 4),
                                                                                             m.start())):
            continue  # 学校周边50米内, 两侧各1公里的地带: where the rule applies, not how far to get
        if text[m.start() - 1:m.start()] == "(" and after.startswith(")") and m.group("unit") in _LIST_COUNTS:
            continue  # 工商分局(1项), 重点工作(8项): how many items a heading has
        if after.startswith(("单位", "部门")) or text[m.start() - 1:m.start()] == "分" and m.group("unit") in _STAGES:
            continue  # 首批建设的22个单位是:…, 拟分2批建设: the document's own lists and schedule
        if not num[0].isdigit() and after.startswith(("“", "《", "\"")):  # 三个“一号工程”: a slogan's parts
            continue
        if num[0].isdigit() and (low := _RANGE_LOW.search(text, max(start, m.start() - 14), m.start())):
            # 增长7.5%—8%, 8-10个: a range, at least its lower end (the lower number is not a target of its own).
            raw = [(r, n) for r, n in raw if r.start() < low.start()]
            ranges[m.start()] = (float(low.group("low")), low.start())
        elif _NOT_BEFORE.search(text[max(start, m.start() - 1):m.start()]):
            continue
        raw.append((m, num))
    # A quantity followed in the same clause by another quantity, with nothing between them but words,
    # qualifies it (投资过10亿元项目40个以上, 10家领军企业产值突破1000亿元): it is not a target itself.
    raw = [(m, num) for k, (m, num) in enumerate(raw)
           if not any(_qualifies(text, m, other) for other, _ in raw[k + 1:]
                      if other.start() < _clause_end(text, m.end(), end))]
    mentions: list[TargetMention] = []
    i = 0
    while i < len(raw):
        # Group quantities listed with 、 (5家、20家以上): they share the comparator and the metric.
        group = [raw[i]]
        while i + 1 < len(raw) and _LIST_SEP.match(text[group[-1][0].end():raw[i + 1][0].start()]):
            group.append(raw[i + 1])
            i += 1
        i += 1
        first, last = group[0][0], group[-1][0]
        if _scope_phrase(text, start, first.start()) or _CONDITION.match(text, last.end(), end):
            continue
        clause_start = _listed_names_start(text, start, _clause_start(text, start, first.start()))
        if _base_value(text[clause_start:first.start()], text[last.end():min(end, last.end() + 40)]):
            continue  # 从每人每月574元提高到609元, 比2010年的132.4万吨减少7%: the level it changes from
        clause_end = _clause_end(text, last.end(), _next_excluded(excluded, last.end(), end))
        if _INCENTIVE.search(text, clause_start, clause_end) or _PROGRESS.search(text, clause_start, clause_end) or \
                _PROGRESS_PARAGRAPH.match(text, _last_of(text, "\n", start, first.start()), first.start()) or \
                text[first.start() - 1:first.start()] == "占" or \
                _FUNDING_LINE.match(text, _last_of(text, _SENTENCE_CHARS, start, first.start()), first.start()):
            continue
        before = text[clause_start:ranges[first.start()][1] if first.start() in ranges else first.start()]
        prefix = _PREFIX.search(before)
        suffix = (last.group("suffix") or "").replace(" ", "")
        op = COMPARATOR_SUFFIXES[suffix] if suffix else COMPARATOR_PREFIXES[prefix.group(0).strip()] if prefix else "="
        if op == "=" and re.search(_APPROX, last.group("unit")):
            op = ">="
        metric_text = before[: prefix.start()] if prefix else before
        metric = _metric(metric_text, text[last.end():clause_end])
        deadline = _deadline(text, start, first.start())
        quote_start = clause_start + (len(before) - len(before.lstrip(" ,、")))
        quote_end = clause_end
        while quote_end > quote_start and text[quote_end - 1] in " 、,((【[":
            quote_end -= 1
        metrics = _distributed(metric, len(group))
        for (m, num), metric in zip(group, metrics, strict=True):
            value = _value(num)
            if value is None:
                continue
            if m.start() in ranges:  # a range: at least its lower end
                value, mention_op = ranges[m.start()][0], ">="
            else:
                mention_op = op
            unit = re.sub(_APPROX, "", m.group("unit"))
            mentions.append(TargetMention(quote_start, quote_end, metric, value, unit, mention_op, deadline))
    return mentions


def _next_excluded(excluded: list[tuple[int, int]], pos: int, ceiling: int) -> int:
    """Where the next excluded span (a responsibility clause) starts: a target's quote stops before it."""
    return min((s for s, _ in excluded if pos <= s < ceiling), default=ceiling)


def _last_of(text: str, chars: str, floor: int, pos: int) -> int:
    """Position after the last of ``chars`` in ``text[floor:pos]`` (``floor`` when there is none)."""
    return max(floor, *(text.rfind(c, floor, pos) + 1 for c in chars))


_CLAUSE_CHARS = ",。;:!?\n\t、"
_SENTENCE_CHARS = "。;!?\n"


def _clause_start(text: str, floor: int, pos: int) -> int:
    """After the last clause mark before ``pos``, or after a run of spaces (between table cells)."""
    gap = text.rfind("  ", floor, pos)
    return max(_last_of(text, _CLAUSE_CHARS, floor, pos), gap + 2 if gap >= 0 else floor)


def _listed_names_start(text: str, floor: int, pos: int) -> int:
    """Move a clause start back over names listed with 、 that carry no number of their own.

    In 新建、改造城市绿道10.2公里 and 乡镇卫生院、社区卫生服务中心达标率达到100% the listed names belong to the
    metric; in 造林3000亩、森林抚育6000亩 the item before 、 is a target of its own.
    """
    while pos > floor and text[pos - 1] == "、":
        previous = _clause_start(text, floor, pos - 1)
        item = text[previous:pos - 1]
        if not item or len(item) > 12 or any(ch.isdigit() for ch in item):
            break
        pos = previous
    return pos


def _clause_end(text: str, pos: int, ceiling: int) -> int:
    m = _CLAUSE.search(text, pos, ceiling)
    return m.start() if m else ceiling


_SEPARATES = re.compile(r"[,。;:、]|和|与|以及")


def _qualifies(text: str, first: re.Match[str], later: re.Match[str]) -> bool:
    return not _SEPARATES.search(text, first.end(), later.start())


# 从每人每月574元、271元分别提高到…, 比2010年的132.4万吨、14.56万吨分别减少7.0%: the value before the
# change is no target.
_OTHER_VALUES = r"(?:吨|元|米)?(?:、\d+(?:\.\d+)?[^\d,。;、]{0,4})*(?:分别)?"  # (万 吨: the rest of a spaced unit)
_CHANGED_TO = re.compile(_OTHER_VALUES + r"(?:提高|增加|提升|降低|下降|调整|上调|下调|扩大|压减|减少)(?:到|至|为)")
_CHANGED_BY = re.compile(_OTHER_VALUES + r"(?:提高|增加|增长|提升|降低|下降|减少|削减)")


def _base_value(before: str, after: str) -> bool:
    """Is the quantity between ``before`` and ``after`` (its clause's text either side) a level that the
    clause changes? Spaces a PDF left inside words (分 别 减 少) do not count."""
    before, after = before.replace(" ", ""), after.replace(" ", "")
    if re.search(r"[从由]", before):
        return _CHANGED_TO.match(after) is not None
    if re.search(r"[比较]\d{4}年(?:底|末)?的$", before):
        return _CHANGED_BY.match(after) is not None
    return False
# Progress reported, not a goal set (已完成16件, 正在办理27件, 下余87个项目…推进中, 占37%, 未开工3个): reports on
# how the tasks stand are of the genre too, and their figures are facts of the past.
_PROGRESS = re.compile(r"已(?:经)?(?:完成|建成|开工|办结|实现|落实|投用|竣工|签约|到位|发放|整改)|正在|尚未|未开工|未完成"
                       r"|下余|进行中|推进中")
# A paragraph reporting how a task stands (此项工作已完成。截至2019年12月底,全市完成…; 截至目前,…; a line labelled
# 推进情况:目前累计完成…): its figures too.
_PROGRESS_PARAGRAPH = re.compile(r"\s*(?:(?:此项|该项|本项)?(?:工作)?已(?:全面)?完成|截至目前|截止目前|目前已|目前累计"
                                 r"|(?:推进|进展|完成|落实|执行)情况\s*:)")
# 按采购额的2%给予最高200万元资助: what a policy pays out under a rule, not what the task commits to.
_INCENTIVE = re.compile(r"给予[^,。;]{0,12}?(?:资助|补助|奖励|补贴|奖补)")
# 资金来源:中央资金50%、自治区资金40%: who pays what share, not a goal.
_FUNDING_LINE = re.compile(r"\s*(?:资金|经费)(?:来源|筹措|渠道)\s*[::]")
# 采购配套产品5000万元以上的,按…: the number says who qualifies, not what is to be achieved.
_CONDITION = re.compile(r"的[,,;]")


def _scope_phrase(text: str, floor: int, pos: int) -> bool:
    i = _clause_start(text, floor, pos)
    while i > floor and text[i - 1] == "、":
        i = _clause_start(text, floor, i - 1)
    clause = text[i:pos]
    return clause.startswith(_SCOPE_WORDS)


_METRIC_LEAD = re.compile(r"^(?:(?:力争|确保|争取|全年|年内|全市|实现|到|至|在)?(?:\d{4}年(?:年底|年末|年内|底|末)?(?:前)?)?"
                          r"(?:\d{1,2}月(?:底|末)?(?:前|以前|之前)?)?[,]?)+")
# Verbs that say what is done to the counted thing, not what it is (开展10场活动 counts 活动; 安排财政赤字 is
# 财政赤字); words that keep meaning (新增, 新建, 累计, 落地, 开工) are not among them.
_ACTION_VERBS = ("组织实施", "强力推动", "着力推进", "加快推进", "稳步推进", "梳理确定", "开展", "实施", "组织", "打造",
                 "抓好", "举办", "推进", "推动", "安排", "分别")
_LEADING_VERB = re.compile("^(?:" + "|".join(_ACTION_VERBS) + ")+")
_TRAILING_VERB = re.compile("(?:" + "|".join(_ACTION_VERBS) + ")$")
_METRIC_TAIL = re.compile(r"(?:以上|以内|左右)$")
# After the number: the counted noun runs up to the next listed item (和20个…, 、6000亩).
_TAIL_END = re.compile(r"(?:[、,;]|和|与|及|以及)?[\d一二三四五六七八九十两]")
_CONJUNCTION = ("和", "与", "及", "、")


def _metric(before: str, after: str) -> str:
    """The measured thing: the noun phrase before the number, or after it when only a verb precedes.

    ``before`` runs from the clause start to the number (comparator removed), ``after`` from the measure
    word to the clause end. 梳理确定20个在建项目和20个储备项目 gives 在建项目 and 储备项目; 造林3000亩、森林抚育6000亩
    gives 造林 and 森林抚育; 中央财政安排1000亿元专项奖补资金 gives 中央财政专项奖补资金.
    """
    lead = _LEADING_VERB.sub("", _METRIC_LEAD.sub("", before.lstrip(" \t\n,、")).strip(" ,、"))
    lead = lead.removesuffix("分别")  # 三级试点分别达到11个、14个: distributes the values, is not measured
    tail = "" if after[:1] in "、,;和与及" else after
    if end := _TAIL_END.search(tail):
        tail = tail[:end.start()]
    tail = _METRIC_TAIL.sub("", tail.strip(" ,、")).strip()
    if lead.endswith(_CONJUNCTION):  # 共同体和3家市级共同体: the number starts the next item
        return tail or lead[:-1]
    if tail and (verb := _TRAILING_VERB.search(lead)) and verb.start() > 0:
        return lead[:verb.start()] + tail
    if len(lead) <= 4 and tail:
        return (lead + tail).strip()
    return lead or tail or before.strip(" ,、")


# Levels listed in a metric whose values are listed in the same order: 新增省、市技术创新示范企业5家、20家.
_LISTED_LEVELS = re.compile(r"(?P<levels>(?:国家|省|市|县|区|乡镇|镇|村)(?:级)?(?:、(?:国家|省|市|县|区|乡镇|镇|村)(?:级)?)+)"
                            r"(?P<count>[二三四五两]级)?")


_ITEM_SEPARATOR = re.compile(r"、|和|与|及")


def _distributed(metric: str, values: int) -> list[str]:
    """One metric per listed value: each level of 省、市X gets its own (新增省X, 新增市X; 省、市、县三级试点 gives
    省级试点, 市级试点, 县级试点) where as many levels as values are listed, and each of as many things listed
    (X和Y分别增长7%、8%); else the shared metric for each."""
    listed = _LISTED_LEVELS.search(metric) if values > 1 else None
    levels = listed.group("levels").split("、") if listed else []
    if len(levels) != values:
        # 地区生产总值和财政收入分别增长7%、8%: as many measured things as values, in the same order.
        things, _, measured = metric.partition("分别")  # what is said after 分别 (增长) goes with each thing
        items = _ITEM_SEPARATOR.split(things) if values > 1 else []
        if len(items) == values and all(len(item) >= 2 for item in items):
            return [item + measured for item in items]
        return [metric] * values
    level_suffix = "级" if listed.group("count") else ""
    return [metric[:listed.start()] + level + ("" if level.endswith("级") else level_suffix) + metric[listed.end():]
            for level in levels]


_BASELINE = ("比", "较", "同", "由", "从")


def _deadline(text: str, floor: int, pos: int) -> str | None:
    """A date phrase earlier in the same sentence (到2023年年底, 2023年年内, 力争2023年)."""
    i = _last_of(text, _SENTENCE_CHARS, floor, pos)
    found = None
    for m in _DEADLINE.finditer(text, i, pos):
        if "《" in text[i:m.start()] and "》" not in text[m.start():pos]:
            continue
        if text[max(floor, m.start() - 1):m.start()] in _BASELINE:  # 比2015年下降24%, 由2010年的15元: the base year
            continue
        found = m.group("when")
    return found
