"""Responsibility clauses: who leads a task, who shares it, who assists.

The genre writes them in many ways — ``(责任单位:X、Y按职责分工负责)``, ``(牵头单位:X,责任单位:Y,Z)``,
``责任单位:X`` on its own line, ``(X、Y牵头,Z及W按职责分工负责)``, ``由X牵头,相关部门配合`` in prose — but
they share one grammar: optional labelled segments, each a list of unit names, each list optionally
followed by a role marker. We parse that grammar once and assign roles for the whole clause at the end,
because a role depends on the rest of the clause: ``责任单位`` units are ``shared`` when nobody leads and
``co`` when someone does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kg.model import Role
from kg.parse.lexicon import (
    CO_LABELS,
    CO_MARKERS,
    COLLECTIVE_PREFIXES,
    DEADLINE_LABELS,
    LEAD_LABELS,
    LEAD_MARKERS,
    NEUTRAL_LABELS,
    NOTE_LABELS,
    PERSON_LABELS,
    PERSON_TITLES,
    SHARED_MARKERS,
    SHORT_COLLECTIVES,
    SHORT_ROLE_LABELS,
    SURNAMES,
    UNIT_SUFFIXES,
    alternation,
)
from kg.units import default_gazetteer

_LABEL_ROLE: dict[str, str] = {}
for _label in LEAD_LABELS:
    _LABEL_ROLE[_label] = "lead"
for _label in CO_LABELS:
    _LABEL_ROLE[_label] = "co"
for _label in NEUTRAL_LABELS:
    _LABEL_ROLE[_label] = "neutral"
for _label in PERSON_LABELS:
    _LABEL_ROLE[_label] = "person"
for _label in DEADLINE_LABELS:
    _LABEL_ROLE[_label] = "deadline"
for _label in NOTE_LABELS:
    _LABEL_ROLE[_label] = "note"

# A label ends with a colon, a space or 为 (责任单位:X, 责任单位为X) or sits in brackets of its own (【责任单位】X).
_SHORT_LABEL = rf"(?<![\u4e00-\u9fff])(?:{alternation(list(SHORT_ROLE_LABELS))})"
_PLAIN_LABEL = re.compile(rf"(?P<label>{alternation(list(_LABEL_ROLE))}|{_SHORT_LABEL}(?=\s*[::]))"
                          rf"\s*(?:[::]\s*|为|\s+(?=\S))")
_BOXED_LABEL = re.compile(rf"[【\[]\s*(?P<label>{alternation(list(_LABEL_ROLE) + list(SHORT_ROLE_LABELS))})\s*[】\]]"
                          rf"\s*[::]?\s*")
_LABEL_ROLE.update(SHORT_ROLE_LABELS)
LABEL = re.compile(f"{_BOXED_LABEL.pattern}|{_PLAIN_LABEL.pattern}".replace("(?P<label>", "(?:", 1))


def _plain_and_boxed(plain: re.Pattern[str], boxed: re.Pattern[str], text: str, start: int,
                     end: int) -> list[re.Match[str]]:
    """Matches of both forms of a label in ``text[start:end]``, in order.

    Two searches rather than one pattern with both forms: the boxed form is rare and the combined pattern
    costs three times as much on every clause, so it is looked for only where a 【 or [ is.
    """
    found = list(plain.finditer(text, start, end))
    if text.find("【", start, end) >= 0 or text.find("[", start, end) >= 0:
        found = sorted(found + list(boxed.finditer(text, start, end)), key=lambda m: m.start())
    return found


def find_labels(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The labels in ``text[start:end]``, in order (group ``label`` is the label's name)."""
    return _plain_and_boxed(_PLAIN_LABEL, _BOXED_LABEL, text, start, end)
DEADLINE_LINE = re.compile(rf"(?:{alternation(DEADLINE_LABELS)})\s*[::]\s*(?P<when>[^\n]+)")
_ROLE_LABELS = alternation(LEAD_LABELS + CO_LABELS + NEUTRAL_LABELS)
_PLAIN_ROLE_LABEL = re.compile(rf"(?:{_ROLE_LABELS})\s*(?:[::]|为)|{_SHORT_LABEL}\s*[::]")
_BOXED_ROLE_LABEL = re.compile(rf"[【\[]\s*(?:{_ROLE_LABELS}|{alternation(list(SHORT_ROLE_LABELS))})\s*[】\]]")


def _labelled(text: str, start: int, end: int) -> bool:
    """Does ``text[start:end]`` (a bracket's body) open with a label or hold one that gives units a role?"""
    return bool(LABEL.match(text[start:end].lstrip()) or find_role_labels(text, start, end))


def find_role_labels(text: str, start: int, end: int) -> list[re.Match[str]]:
    """Labels that give units a role (牵头单位:, 【责任单位】), in order."""
    return _plain_and_boxed(_PLAIN_ROLE_LABEL, _BOXED_ROLE_LABEL, text, start, end)
# "排名第一的为牵头单位": the document's convention that the first unit listed leads.
FIRST_LISTED_LEADS = re.compile(
    r"(?:(?:排名|排序|排在|列|名列)(?:第一|首位|首个|第1)(?:位|个|名)?(?:的|者)?(?:单位|部门|责任单位)?(?:为|是)?"
    r"|(?:第一|首位|首个|第1)(?:位|个|名)?(?:的|者)?(?:单位|部门|责任单位)?(?:为|是))(?:工作)?牵头"
    r"(?:单位|部门)?(?:或汇总(?:单位|部门))?"
)  # 列第一位的为牵头单位; 由排名首位的部门牵头负责
# The same said in brackets in a unit list: 市卫生健康委(除标注“分别牵头”外,列第一位为牵头或汇总单位,下同) at its end,
# 县发改局(首位单位为牵头单位,下同)、县财政局 after its first unit.
_FIRST_LISTED_NOTE = re.compile(r"\((?P<note>[^()]*(?:第|首)[^()]*)\)")
# A role written after one unit of a list: 市政务服务局(牵头)、市市场监管局.
_UNIT_ROLE_NOTE = re.compile(r"\((?P<note>牵头(?:单位|部门)?|配合(?:单位|部门)?)\)$")

_MARKER_ROLE: dict[str, str] = {}
for _m in SHARED_MARKERS:
    _MARKER_ROLE[_m] = "neutral"
for _m in CO_MARKERS:
    _MARKER_ROLE[_m] = "co"
for _m in LEAD_MARKERS:
    _MARKER_ROLE[_m] = "lead"
ROLE_MARKER = re.compile(rf"(?:{alternation(list(_MARKER_ROLE))})$")  # a role word closing a piece
_MARKER_ANYWHERE = re.compile(alternation(list(_MARKER_ROLE)))

_SEPARATORS = "、,;/"
# A role word that closes its units before a 、 (市发展改革委牵头、市财政局配合): the end of a piece.
_MARKER_THEN_LIST = re.compile(r"(?<=牵头|配合|负责|参与|协办|协助)、")


def _before_last_chars(text: str, start: int, end: int, count: int) -> int:
    """Where the last ``count`` characters of ``text[start:end]`` that are not white space begin: a role word
    that a hard-wrapped line broke (政府配\n合) is still the piece's last word."""
    pos = end
    while count and pos > start:
        pos -= 1
        if not text[pos].isspace():
            count -= 1
    while pos > start and text[pos - 1].isspace():
        pos -= 1
    return pos


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A clause segment's pieces (absolute offsets), each units and the role word closing them: split on ; and ,
    outside brackets, and after a role word followed by 、."""
    pieces = []
    for ps, pe in depth_split(text[start:end], ";,"):
        cut = start + ps
        for m in _MARKER_THEN_LIST.finditer(text, start + ps, start + pe):
            pieces.append((cut, m.start()))
            cut = m.end()
        pieces.append((cut, start + pe))
    return pieces
# Spaces or a line break between two names also separate them (责任单位:市发改委 市财政局; a table cell with
# one unit per line); letter-spaced names (市 发 改 委) are not split: their parts are no units.
_CONJUNCTIONS = re.compile(r"以及|及|和|与|会同|\s+")
# Before a name: a verb of the clause, the work it is about (村庄规划工作由市规划局牵头), or the role written as a
# noun (由陈家坝沿线包片单位县职教中心负责).
_TRIM_LEFT = re.compile(r"^(?:(?:此项|该项|本项|本部分|以上|上述|[^,、;。\s]{0,20}?(?<=工作|任务))?由|会同|联合|请|其中|即|以及|"
                        r"[::,、;\s─━—]|"
                        r"[^,、;。\s]{0,8}?包(?:片|联|保|村)单位)+")
# After a name: a trailing 等 with the collective it sums up (等部门, 等市级相关单位, 等各有关区直部门).
_TRIM_RIGHT = re.compile(r"(?:等[^,,、;;。\s等]{0,8}?(?:部门|单位|机构)|等|[。.;,、:\s])+$")
_UNIT_ENDING = re.compile(rf"(?:{alternation(UNIT_SUFFIXES)})$")
_COLLECTIVE = re.compile(rf"^(?:{alternation(COLLECTIVE_PREFIXES)})")
_PERSON_TITLE = re.compile(rf"(?:{alternation(PERSON_TITLES)})$")
_HAN = re.compile(r"^[\u4e00-\u9fff]+$")
_DEADLINE = re.compile(
    r"^(?:(?:\d{4}年)?(?:\d{1,2}月)?(?:\d{1,2}日)?(?:年底|年末|年内|月底|月末|上半年|下半年|底|末|中旬|上旬|下旬|份|"
    r"第?[一二三四1-4]季度)*(?:前|以前|之前|底前|内)?(?:完成|落实|出台|到位|实现|见效|建成|启动|持续推进|持续实施|持续开展|推进)?"
    r"|长期坚持|持续推进|持续实施|常态化推进|常态化开展|长期|常态化|年内完成|全年|持续开展|长期推进|持续|按年度推进)$"
)
_HAS_TIME = re.compile(r"\d|年|月|季度|长期|持续|常态")
_PARENTHESIZED = re.compile(r"\([^()]*\)$")


@dataclass(slots=True)
class ClauseUnit:
    start: int  # span of the name in the normalised text
    end: int
    role: Role

    def looks_like_a_unit(self, text: str) -> bool:
        """Does the name, in ``text`` (the normalised text), look like an organisation's (see is_unit_like)?"""
        return is_unit_like(re.sub(r"\s+", "", text[self.start:self.end]))


@dataclass(slots=True)
class Clause:
    start: int
    end: int
    units: list[ClauseUnit] = field(default_factory=list)
    deadline: tuple[int, int] | None = None

    def lead_first_listed(self) -> None:
        """Apply the convention that the first unit listed leads, when no unit is marked as lead."""
        if self.units and not any(u.role == "lead" for u in self.units):
            self.units[0].role = "lead"
            for unit in self.units[1:]:
                if unit.role == "shared":
                    unit.role = "co"


# Brackets a unit's name may hold separators in: 各县(市、区)政府, 相关县〔市、区〕政府, 各县区政府〈管委会〉.
_OPENING_BRACKETS = "([【《“〔〈"
_CLOSING_BRACKETS = ")]】》”〕〉"


def depth_split(text: str, separators: str) -> list[tuple[int, int]]:
    """Split on separators outside brackets; returns (start, end) offsets into ``text``."""
    parts = []
    depth = 0
    last = 0
    for i, ch in enumerate(text):
        if ch in _OPENING_BRACKETS:
            depth += 1
        elif ch in _CLOSING_BRACKETS and depth:
            depth -= 1
        elif depth == 0 and ch in separators:
            parts.append((last, i))
            last = i + 1
    parts.append((last, len(text)))
    return parts


# 由多个单位负责的 / 两个以上部门: a number of units, said of the rule, not a unit.
_COUNTED = re.compile(r"^(?:多|几|两|[二三四五六七八九十\d]+)个(?:以上)?(?:单位|部门)")


# No organisation's name holds a share, an amount or a count of things (…比重16.5%, 新增配置除颤仪47台): that is a
# task's text, out of line with its header. (第2人民医院 and 13个街道 are names.)
QUANTITY_IN_NAME = re.compile(r"\d(?:\.\d+)?\s*(?:%|‰|亿|万元|元|台|套|辆|户|项|人(?!民))")


@cache
def is_unit_like(name: str) -> bool:
    """Does ``name`` (normalised, no spaces) look like the name of an organisation?"""
    if len(name) < 2 or _COUNTED.match(name) or QUANTITY_IN_NAME.search(name) or name.startswith(_DUTY_WORDS) \
            or name in _GENERIC_ALONE:
        return False
    if _COLLECTIVE.match(name) and len(name) >= 3 and not _DOES_SOMETHING.search(name) or name in SHORT_COLLECTIVES:
        return True
    return is_named_unit(name)


# What is left of 等部门、单位 after 等: a kind of body, not one.
_GENERIC_ALONE = frozenset({"单位", "部门", "机构", "单位等", "部门等"})
# 负责张广宁市长记者见面会 ends like a unit (…会) but opens with what is done: a duty, not a name.
_DUTY_WORDS = ("负责", "协助", "配合", "参与", "做好", "组织")
# 各高校要及时公开信息 opens like a collective but says what it does: a sentence, not a name.
_DOES_SOMETHING = re.compile(r"要|应当|负责|及时|积极|切实|认真|加强|做好|确保")


@cache
def is_named_unit(name: str) -> bool:
    """Does ``name`` end like an organisation's name (…局, …委员会) or is it one the gazetteer knows?

    Stricter than :func:`is_unit_like`, which also takes anything that opens like a collective (各县区…)."""
    bare = _PARENTHESIZED.sub("", name) or name
    if _UNIT_ENDING.search(bare):
        return not _PERSON_TITLE.search(name)
    return default_gazetteer().lookup(name) is not None


_UNIT_START = re.compile(rf"^(?:{alternation(COLLECTIVE_PREFIXES)}|[省市区县州旗盟乡镇]|国家|国务院|中共|中国|团)")


# What is left of 中国电信和田分公司 or 人民银行和县中心支行 after a 和 that begins a place name: not a unit.
_BRANCH_OF_A_PLACE = re.compile(r"^[^\W\d_]{0,2}(?:[省市县区州旗])?(?:分公司|支公司|分行|支行|中心支行|营业部|供电公司|分局)$")
_ORG_END = re.compile(r"(?:公司|集团|银行|支行|分行|中心|办公室|委员会|管委会|[区县市镇乡州旗]政府|人民政府)$")


def starts_like_a_unit(name: str) -> bool:
    """After 和/及/与, a second unit begins with a level or collective prefix, is a known unit, or is a
    named organisation (…公司, …银行, …中心, 先导区管委会).

    Together with a left side of at least three characters, this keeps names such as 国网和平供电公司 or
    市工业和信息化局 whole while 市公共资源交易中心及国网衢州供电公司 is two units.
    """
    if _UNIT_START.match(name) or default_gazetteer().lookup(name) is not None:
        return True
    return len(name) >= 4 and bool(_ORG_END.search(name)) and name not in GOVERNMENT_ALONE


def is_person(name: str) -> bool:
    if _PERSON_TITLE.search(name):
        return True
    return bool(_HAN.match(name)) and 2 <= len(name) <= 3 and name[0] in SURNAMES and not is_unit_like(name)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    left = _TRIM_LEFT.match(chunk)
    if left:
        start += left.end()
        chunk = text[start:end]
    right = _TRIM_RIGHT.search(chunk)
    if right and right.start() > 0:
        end = start + right.start()
    return start, end


# A collective whose levels are listed with 、: 各县、市、区政府 (各市、县(市、区)教育局, 各县、市、区教育局) is one
# unit, not 各县, 市 and 区政府.
_LEVELS_COLLECTIVE_START = re.compile(r"各[县市区旗镇乡]$")
_LEVELS_COLLECTIVE_PART = re.compile(r"(?P<level>县级市|[县市区旗镇乡])(?P<bracket>\([^()]*\))?(?P<body>.*)$")
# Two names written without a separator, both at the same level: 区财政局区税务局.
_RUN_TOGETHER = re.compile(r"(?<=[局委办厅院部])(?=[省市区县])")


def split_units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Unit-name spans in ``text[start:end]``: split on 、,; and on 及/和/与 or white space where both sides
    are units."""
    pieces = [_trim(text, start + s, start + e) for s, e in depth_split(text[start:end], _SEPARATORS + ",")]
    pieces = [(s, e) for s, e in pieces if e > s]
    if text.find("各", start, end) >= 0:
        pieces = _join_listed_levels(text, pieces)
    spans: list[tuple[int, int]] = []
    for s, e in pieces:
        for cs, ce in _split_conjunctions(text, s, e):
            spans.extend(_split_run_together(text, cs, ce))
    return spans


def _join_listed_levels(text: str, pieces: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Pieces split on 、 joined again where they list the levels of one collective (各县、市、区政府).

    Bare levels (市) continue the list; a level with a body ends it (区政府, 县(市、区)教育局) — when that body is a
    government, follows bare levels or comes after a bracket of levels or 县级市 (各区、县级市外经贸局), so that
    各县、市场监管局 stays two.
    """
    joined: list[tuple[int, int]] = []
    i = 0
    while i < len(pieces):
        s, e = pieces[i]
        j = i + 1
        if _LEVELS_COLLECTIVE_START.match(text, s, e):
            while j < len(pieces) and (part := _LEVELS_COLLECTIVE_PART.match(text, *pieces[j])):
                body = part.group("body")
                if body and not (body in _NAMES_NO_UNIT_ALONE or body == "委" or j > i + 1 or part.group("bracket")
                                 or part.group("level") == "县级市"):
                    break
                j += 1
                if body:
                    break  # the body ends the list
        joined.append((s, pieces[j - 1][1]))
        i = j
    return joined


def _split_conjunctions(text: str, start: int, end: int) -> list[tuple[int, int]]:
    chunk = text[start:end]
    depth_ok = [True] * len(chunk)
    depth = 0
    for i, ch in enumerate(chunk):
        if ch in _OPENING_BRACKETS:
            depth += 1
        elif ch in _CLOSING_BRACKETS and depth:
            depth -= 1
        depth_ok[i] = depth == 0
    for m in _CONJUNCTIONS.finditer(chunk):
        if not depth_ok[m.start()]:
            continue
        left = re.sub(r"\s+", "", chunk[: m.start()])
        right = re.sub(r"\s+", "", chunk[m.end():])
        if m.group().isspace() and _HEAD_OF_UNIT.match(chunk, m.end()) and is_unit_like(left) and \
                not is_unit_like(right) and not _MARKER_ANYWHERE.search(right):
            return [_trim(text, start, start + m.start())]  # 市民政局 伍泽国: the bureau, then its head
        # 各县(市、区)党委和人民政府: the party committee and the government, two units (named as written), as
        # A及B always is; a space before 人民政府 is a PDF's, inside one name.
        body_and_government = not m.group().isspace() and right in _NAMES_NO_UNIT_ALONE
        if len(left) >= 3 and is_unit_like(left) and is_unit_like(right) and \
                (starts_like_a_unit(right) or body_and_government or m.group().isspace() and _spaced_units(chunk, m)) \
                and not _BRANCH_OF_A_PLACE.match(right):
            rs, re_ = _trim(text, start + m.end(), end)
            return [_trim(text, start, start + m.start())] + _split_conjunctions(text, rs, re_)
    return [(start, end)]


# A person's name after a unit in a 牵头单位及主要负责人 cell: two or three characters, nothing after them.
_HEAD_OF_UNIT = re.compile(r"[\u4e00-\u9fff]{2,3}\s*$")


# Governments written without their place, after the place's party committee: 各州(市)党委和政府.
GOVERNMENT_ALONE = frozenset({"人民政府", "政府", "管委会"})
# Words that name no unit without the place before them: 各市(州) 人民政府, as a PDF spaces it, is one name.
_NAMES_NO_UNIT_ALONE = GOVERNMENT_ALONE | {"党委", "党委和政府"}


def _spaced_units(chunk: str, gap: re.Match[str]) -> bool:
    """Are the words on either side of a space each a unit's name (安监站 安监所, a table cell's list)? Letter-
    spaced names (市 发 改 委), a prefix set apart (市 财政局) and a name a PDF broke (住房城乡 建设厅, 各市(州)
    人民政府) are not."""
    before = chunk[:gap.start()].split()
    after = chunk[gap.end():].split()
    return bool(before and after) and is_named_unit(before[-1]) and is_named_unit(after[0]) and \
        not before[-1].endswith("城乡") and after[0] not in _NAMES_NO_UNIT_ALONE


def _split_run_together(text: str, start: int, end: int) -> list[tuple[int, int]]:
    if end - start < 7 or text[start] not in "省市区县" or text.find("(", start, end) >= 0:
        return [(start, end)]
    for m in _RUN_TOGETHER.finditer(text, start + 3, end - 2):
        cut = m.start()
        if text[cut] == text[start] and is_unit_like(text[start:cut]) and is_unit_like(text[cut:end]):
            return [(start, cut), *_split_run_together(text, cut, end)]
    return [(start, end)]


@dataclass(slots=True)
class _Group:
    role: str  # lead | co | neutral
    spans: list[tuple[int, int]]


def parse_clause(text: str, start: int, end: int, *, strict: bool) -> Clause | None:
    """Parse ``text[start:end]`` (the body of a clause, without brackets).

    ``strict`` is for text that might not be a clause at all (an unlabelled bracket, a prose sentence):
    then every piece must be a deadline or be followed by a role marker in its segment, and every name must
    look like a unit.
    """
    labels = find_labels(text, start, end)
    if labels and labels[0].start() > start and text[start:labels[0].start()].strip(" ,;、"):
        # Text before the first label is an unlabelled segment (rare: "X牵头;配合单位:Y").
        segments = [(None, start, labels[0].start())]
    else:
        segments = []
    first_leads = False
    note = _FIRST_LISTED_NOTE.search(text, start, end) if text.find("第", start, end) >= 0 or \
        text.find("首", start, end) >= 0 else None
    if note and FIRST_LISTED_LEADS.search(note.group("note")):
        first_leads = True  # the convention, not a unit's name
        if not text[note.end():end].strip(" 。;,)"):
            end = note.start()
    else:
        note = None
    end = _end_of_roles(text, start, end, labels)
    labels = [m for m in labels if m.end() <= end]
    led = any("牵头" in m.group("label") for m in labels)
    for i, m in enumerate(labels):
        seg_end = labels[i + 1].start() if i + 1 < len(labels) else end
        role = _LABEL_ROLE[m.group("label")]
        if led and role == "lead" and m.group("label").startswith("主办"):
            role = "co"  # 牵头单位:市农办;主办单位:市编办、…: the 主办 units work under the lead
        segments.append((role, m.end(), seg_end))
    if not labels:
        segments = [(None, start, end)]
    if strict and labels:
        strict = False  # a label makes it a clause
    groups: list[_Group] = []
    deadline: tuple[int, int] | None = None
    for label_role, seg_start, seg_end in segments:
        if label_role in ("person", "note"):
            continue
        if label_role == "deadline":
            s, e = _trim(text, seg_start, seg_end)
            if e > s:
                deadline = (s, e)
            continue
        pending: list[tuple[int, int]] = []  # unmarked pieces waiting for the next marker in this segment
        for ps, pe in _pieces(text, seg_start, seg_end):
            ps, pe = _trim(text, ps, pe)
            if pe <= ps:
                continue
            piece = re.sub(r"\s+", "", text[ps:pe])
            if note is None and ("第" in piece or "首" in piece) and FIRST_LISTED_LEADS.search(piece):
                first_leads = True  # the convention, stated in the clause: not a unit
                continue
            if piece in ("下同", "以下同", "后同"):
                continue
            if _HAS_TIME.search(piece) and _DEADLINE.match(piece):
                deadline = deadline or (ps, pe)
                continue
            marker = ROLE_MARKER.search(piece)
            if marker:
                role = _MARKER_ROLE[marker.group(0)]
                units_end = _before_last_chars(text, ps, pe, len(marker.group(0)))
                spans = [s for s in split_units(text, ps, units_end) if s[1] > s[0]]
                spans = pending + spans
                pending = []
                if spans:
                    groups.append(_Group(role, spans))
                continue
            spans = split_units(text, ps, pe)
            if label_role is None:  # waits for a marker later in the segment (X,Y、Z按职责分工负责)
                pending.extend(spans)
            else:
                groups.append(_Group(label_role, spans))
        if pending:
            if strict:
                return None
            groups.append(_Group(label_role or "neutral", pending))
    if not groups:
        return None
    clause = Clause(start=start, end=end, deadline=deadline)
    if note is not None and note.end() < end:  # the rule written after the first unit: not part of its name
        for g in groups:
            g.spans = [(s, note.start()) if s < note.start() < e else (s, e) for s, e in g.spans]
    if "(" in text[start:end]:
        _apply_unit_role_notes(text, groups)
    if any(mark in text[start:end] for mark in LEAD_MARKS):
        _apply_lead_marks(text, groups)
    # Only a unit marked as leading (牵头, 牵头单位, 主要责任单位) leads: in "X负责,Y配合" or "责任单位:X;配合单位:Y"
    # X is responsible without being named the lead, so X is shared and Y assists.
    has_lead = any(g.role == "lead" for g in groups)
    for g in groups:
        role: Role = "lead" if g.role == "lead" else "co" if g.role == "co" else ("co" if has_lead else "shared")
        for k, (s, e) in enumerate(g.spans):
            name = re.sub(r"\s+", "", text[s:e])
            if not name:
                continue
            if is_person(name):
                continue
            if strict and not is_unit_like(name) and not _shares_a_head(text, g.spans, k):
                return None
            clause.units.append(ClauseUnit(s, e, role))
    if not clause.units:
        return None
    clause.units.sort(key=lambda u: u.start)
    if first_leads:
        clause.lead_first_listed()
    return clause


_SHARED_HEAD = re.compile(r"(?:[省市县区州盟旗](?:人民)?政府|部门)$")


def _shares_a_head(text: str, spans: list[tuple[int, int]], k: int) -> bool:
    """哈尔滨、黑河、绥芬河市政府 and 公安、交通部门: short names listed before the head word they share."""
    for s, e in spans[k:]:
        name = text[s:e].strip()
        if _SHARED_HEAD.search(name):
            return True
        if not 2 <= len(name) <= 4:
            return False
    return False


def _end_of_roles(text: str, start: int, end: int, labels: list[re.Match[str]]) -> int:
    """Where the roles of a clause end: a sentence after them is a remark, not more units
    (〔责任单位:省发展改革委、商务厅按职责分工负责。具体任务均涉及相关市(州)人民政府,不再做分工,下同。〕,
    牵头单位:市教体局。其中,8月份…)."""
    stop = text.find("。", start, end)
    while stop >= 0:
        if not any(m.start() > stop for m in labels) and \
                ((labels and labels[-1].end() <= stop) or ROLE_MARKER.search(text[start:stop].rstrip())):
            return stop if text[stop + 1:end].strip(" 。)") else end
        stop = text.find("。", stop + 1, end)
    return end


def _apply_unit_role_notes(text: str, groups: list[_Group]) -> None:
    """``X(牵头)、Y、Z``: X leads (the note is not part of its name); a note 配合 makes a unit co."""
    for group in list(groups):
        for k, (s, e) in enumerate(group.spans):
            note = _UNIT_ROLE_NOTE.search(text, s, e)
            if note is None or note.start() == s:
                continue
            _give_role(groups, group, k, "lead" if note.group("note").startswith("牵头") else "co", (s, note.start()))


#: Marks before the unit that leads (▲为牵头单位, as Zhejiang's lists write it; ★ in some).
LEAD_MARKS = "▲★"


def _apply_lead_marks(text: str, groups: list[_Group]) -> None:
    """``▲发改局,各部门,各镇乡(街道)``: the unit marked ▲ (or ★) leads."""
    for group in list(groups):
        for k, (s, e) in enumerate(group.spans):
            name = text[s:e].lstrip()
            if name and name[0] in LEAD_MARKS:
                _give_role(groups, group, k, "lead", (e - len(name) + 1, e))


def _give_role(groups: list[_Group], group: _Group, k: int, role: str, name: tuple[int, int]) -> None:
    """The ``k``-th name of ``group`` is ``name`` (its mark or note cut off) and has ``role``: kept in place
    when the group has that role already, otherwise emptied there and moved into a group of its own."""
    if group.role == role:
        group.spans[k] = name
        return
    group.spans[k] = (group.spans[k][0], group.spans[k][0])
    groups.append(_Group(role, [name]))


# --- finding clauses in a task -------------------------------------------------------------------------

_OPEN = {"(": ")", "[": "]", "【": "】", "〔": "〕"}
_PROSE = re.compile(
    r"由(?P<lead>[^,。;:()《》“”]{2,80}?)(?:牵头|负责)(?:[^,。;]{0,8}?)?"
    r"(?:[,][^,。;:《》]{2,80}?牵头)?"  # 由杨志武副市长负责,市发改委牵头,相关部门配合: a leader, then the units
    r"(?:[,](?P<co>[^,。;:《》]{2,80}?)(?:配合|参与|协助))?"
)


_BRACKETS = re.compile(r"[()\[\]【】〔〕《》]")
# 负责人 (the person in charge) and 负责同志 are no role word.
# (a long list may go on after a comma: …各区、县级市,以及广州海关、黄埔海关负责…)
_DUTY_OPENING = re.compile(r"\s*(?:[^,。;:()《》“”\n]|,(?=以及))"
                           r"{2,200}?(?:(?:要|应)?负责(?!人|同志)|主要做好)(?=[^,。;:\n]{2})")
_OPENING = re.compile(
    r"\s*(?:由)?[^,。;:()《》“”\n]{2,60}?(?:牵头负责|负责|牵头)"
    r"(?:,[^,。;:《》“”\n]{2,160}?(?:配合|参与|协助|协办))?"
    # or a heading, maybe over the task's text: 一、县示范区管委会牵头工作(8项), (一)省监察厅牵头的工作
    r"(?=[,:;。]|(?:的?工作(?:任务)?)?(?:\(\d+项\))?[ \t]*(?:\n|$))"
)


def bracket_groups(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level bracket groups ``(…)`` ``[…]`` ``【…】`` in ``text[start:end]``, outside 《》."""
    groups = []
    in_title = 0
    opener = ""
    depth = 0
    open_at = -1
    for m in _BRACKETS.finditer(text, start, end):
        ch = m.group(0)
        if ch == "《":
            in_title += 1
        elif ch == "》":
            in_title = max(0, in_title - 1)
        elif in_title:
            continue
        elif not opener:
            if ch in _OPEN:
                opener, depth, open_at = ch, 1, m.start()
        elif ch == opener:
            depth += 1
        elif ch == _OPEN[opener]:
            depth -= 1
            if depth == 0:
                groups.append((open_at, m.end()))
                opener = ""
    return groups


def find_clauses(text: str, start: int, end: int, line_starts: list[int]) -> list[Clause]:
    """All responsibility clauses in a task's text ``text[start:end]``.

    ``line_starts`` are the positions where the task's lines start, for clauses on their own line.
    """
    clauses: list[Clause] = []
    bare: tuple[int, int] | None = None
    closing_sentences: list[tuple[int, int]] = []  # brackets with no role word that close a sentence
    for gs, ge in bracket_groups(text, start, end):
        inner_start, inner_end = gs + 1, ge - 1
        body = text[inner_start:inner_end]
        if _labelled(text, inner_start, inner_end):
            clause = parse_clause(text, inner_start, inner_end, strict=False)
        elif _MARKER_ANYWHERE.search(body):
            clause = parse_clause(text, inner_start, inner_end, strict=True)
        else:
            clause = None
            if text.startswith(("。", ";"), ge):
                closing_sentences.append((gs, ge))
            if not text[ge:end].strip(" \n。.;") and (gs == start or text[gs - 1] in "。.;!?)】\n "
                                                      or text.startswith(("。", ";"), ge)):
                # A bracket after the task's last sentence, or closing it (…增长11%(市发改委,…)。): maybe a
                # bare list of units.
                bare = (gs, ge)
        if clause is not None:
            clause.start, clause.end = gs, ge
            clauses.append(clause)
    if clauses:
        return clauses
    # Labels outside brackets: on their own line or after the task's last sentence.
    found_lines = set()
    for m in find_role_labels(text, start, end):
        line_end = text.find("\n", m.start(), end)
        line_end = end if line_end < 0 else line_end
        line_start = max((p for p in line_starts if p <= m.start()), default=start)
        if line_start in found_lines:
            continue
        found_lines.add(line_start)
        clause = parse_clause(text, m.start(), line_end, strict=False)
        if clause is not None:
            clauses.append(clause)
    if clauses:
        clauses = _merge_line_clauses(clauses)
        if not any(u.role == "lead" for c in clauses for u in c.units) and \
                (opening := _opening_clause(text, start, end)) is not None:
            clauses.insert(0, opening)  # (二)省审计厅牵头的工作 / … / 协同单位:省直各部门: the heading leads
        if clauses[0].deadline is None:
            deadline = DEADLINE_LINE.search(text, start, end)
            if deadline:
                clauses[0].deadline = _trim(text, deadline.start("when"), deadline.end("when"))
        return clauses
    # Prose: "由X牵头,Y配合".
    for m in _PROSE.finditer(text, start, end):
        clause = parse_clause(text, m.start() + 1, m.end(), strict=True)
        if clause is not None:
            clauses.append(clause)
    if clauses:
        return clauses
    # (市发展改革委、市统计局) after the last sentence: units with no role word share the task. A paragraph
    # whose runs of sentences each close with such a bracket (…培训(县卫健局、农业农村局)。做好…(县发改局)。)
    # has a clause for each run.
    if bare is not None and (clause := _bare_units(text, bare[0] + 1, bare[1] - 1)) is not None:
        clause.start, clause.end = bare
        for gs, ge in closing_sentences:
            if gs < bare[0] and (earlier := _bare_units(text, gs + 1, ge - 1)) is not None:
                earlier.start, earlier.end = gs, ge
                clauses.append(earlier)
        return [*clauses, clause]
    # A clause opening the task: "市工商局负责,市经贸委、市农业局配合,严格实施…", "4、茄子河区政府负责:".
    if (opening := _opening_clause(text, start, end)) is not None:
        return [opening]
    # A list of duties: (七)市建委负责建筑工地的病媒生物防制工作 — the unit that opens the item does its work.
    if (duty := _DUTY_OPENING.match(text, start, end)) and (clause := _duty_clause(text, duty)) is not None:
        return [clause]
    # A paragraph of duties, sentence by sentence: 市农业农村局、市财政局负责落实…;市发改委负责…;… Two at least.
    duties = _duty_runs(text, start, end)
    if len(duties) >= 2:
        return duties
    # A last sentence that is nothing but a clause: "…。市发展改革委牵头负责。" — of each paragraph, when the
    # item's paragraphs each close with their own (…。由X同志负责,A、B承办。 / …。由Y同志负责,C承办。).
    para_start = start
    while para_start < end:
        para_end = text.find("\n", para_start, end)
        para_end = end if para_end < 0 else para_end
        body = text[para_start:para_end].rstrip(" \n。.;")
        cut = max(body.rfind("。"), body.rfind(";"))
        if cut >= 0 or para_start > start:
            clause = parse_clause(text, para_start + cut + 1, para_start + len(body), strict=True)
            if clause is not None:
                clauses.append(clause)
        para_start = para_end + 1
    # The sentence's last phrases say who is what (…,市大数据局为牵头单位,市委网信办为配合单位。).
    if not clauses and (said := _SAID_OF_UNITS.search(text, start, end)) is not None:
        clause = parse_clause(text, said.start("clause"), said.end("clause"), strict=True)
        if clause is not None:
            clauses.append(clause)
    return clauses


_SAID_OF_UNITS = re.compile(r",(?P<clause>(?:[^,。;()\n]{2,40}为(?:牵头|配合|责任)(?:单位|部门|主体)[,、]?)+?)[。;]?\s*$")


def _duty_runs(text: str, start: int, end: int) -> list[Clause]:
    """Clauses of the sentences (after 。 ; : , or a line break) that open with units and 负责: each names units
    that share the item's work."""
    clauses = []
    for m in _SENTENCE_START.finditer(text, start, end):
        if (clause := _duty_at(text, m.end(), end)) is not None and all(u.looks_like_a_unit(text) for u in clause.units):
            clauses.append(clause)
    return clauses


def duty_sentences(text: str, start: int, end: int, *, with_must: bool = False) -> list[tuple[int, int, Clause]]:
    """(start, end, clause) of the sentences of a text with no numbered items that open with the units that
    do them: 县水务局牵头,组织开展… / 市财政局负责保证… (a news report, a page of a duty list); ``with_must``
    also 工商部门要取缔… (where nothing else in the text is a task: in a notice, 各地要… is an exhortation)."""
    found = []
    for m in _SENTENCE_START.finditer(text, start, end):
        if m.end() >= end:
            continue
        sentence_end = next((k + 1 for k in range(m.end(), end) if text[k] in "。;\n"), end)
        opening = _OPENING.match(text, m.end(), sentence_end)
        clause = parse_clause(text, m.end(), opening.end(), strict=True) if opening else None
        if clause is None:
            clause = _duty_at(text, m.end(), sentence_end)
        if clause is None and with_must and (must := _MUST_SENTENCE.match(text, m.end(), sentence_end)):
            # 公安部门要组织…: 要 says the work is theirs — of a named unit, not 各地各部门要… (an exhortation).
            clause = _shared_units(text, must.start(), must.end() - 1)
            if clause is not None and not all(_is_named_not_collective(text[u.start:u.end]) for u in clause.units):
                clause = None
        if clause is not None and all(u.looks_like_a_unit(text) for u in clause.units):
            found.append((m.end(), sentence_end, clause))
    # Duties run on after a comma (县文体局负责双江街道,县工商局负责小街街道): each ends where the next begins.
    return [(s, min(e, found[k + 1][0] - 1) if k + 1 < len(found) else e, c) for k, (s, e, c) in enumerate(found)]


# 一是…(责任单位:X);二是…: the points of a sentence, counted in words.
_COUNTED_POINT = re.compile(r"(?:^|(?<=[:;。,\s]))(?P<n>[一二三四五六七八九十])是")
_COUNT_WORDS = "一二三四五六七八九十"


def counted_points(text: str, start: int, end: int) -> list[tuple[int, int, Clause]]:
    """(start, end, clause) of the points a text with no numbered items counts off in words, each closed by
    its own clause in brackets: 一是维修改造中小学校13所(责任单位:市教育局);二是…(责任单位:市医保局). Only points
    counted in order from 一是, and only those whose bracket names the units."""
    points = [m for m in _COUNTED_POINT.finditer(text, start, end)]
    found = []
    expected = 1
    for k, m in enumerate(points):
        if _COUNT_WORDS.index(m.group("n")) + 1 != expected:
            continue
        expected += 1
        point_end = points[k + 1].start() if k + 1 < len(points) else \
            next((i + 1 for i in range(m.end(), end) if text[i] in "。\n"), end)
        clause = None
        for gs, ge in bracket_groups(text, m.end(), point_end):
            if _labelled(text, gs + 1, ge - 1) and (parsed := parse_clause(text, gs + 1, ge - 1, strict=False)) is not None:
                clause = parsed
                clause.start, clause.end = gs, ge  # the brackets are the clause's, not the point's text
        if clause is not None:
            found.append((m.end(), point_end, clause))
    return found


def _duty_at(text: str, pos: int, end: int) -> Clause | None:
    """The duty a sentence at ``pos`` opens with (X、Y负责… / X主要做好…), unless its names stand apart by a wide
    gap (法规处  负责…: a line of a division of duties, which :func:`kg.parse.document` reads by lines)."""
    duty = _DUTY_SENTENCE.match(text, pos, end)
    if duty is None or _WIDE_GAP.search(duty.group()):
        return None
    return _duty_clause(text, duty)


def _duty_clause(text: str, duty: re.Match[str]) -> Clause | None:
    """The units that open a duty (X、Y负责… / X、Y主要做好…): they share it. Read as names alone, before the
    duty's word, where there is no role word (主要做好) or the list runs on after a comma (…,以及Y负责)."""
    if ",以及" in duty.group():
        word = "负责"
    elif duty.group().endswith(_MAIN_WORK):
        word = _MAIN_WORK
    else:
        return parse_clause(text, duty.start(), duty.end(), strict=True)
    clause = _shared_units(text, duty.start(), duty.end() - len(word))
    if clause is not None:
        clause.end = duty.end()
    return clause


def _shared_units(text: str, start: int, end: int) -> Clause | None:
    """``text[start:end]`` as names of units with no role word, who share the work; None unless all are."""
    clause = parse_unit_list(text, start, end)
    if clause is None or any(u.role not in ("neutral", "shared") for u in clause.units):
        return None
    for unit in clause.units:
        unit.role = "shared"
    return clause


def _is_named_not_collective(name: str) -> bool:
    name = re.sub(r"\s+", "", name)
    return is_named_unit(name) and not _COLLECTIVE.match(name)


_MAIN_WORK = "主要做好"
# In a text with no numbered item: 工商部门要坚决取缔… — the units a sentence opens with, before 要 (not 要求).
_MUST_SENTENCE = re.compile(r"[ \t\u3000]*[^,。;:《》“”\n]{2,40}?要(?!求)")


_SENTENCE_START = re.compile(r"(?<=[。;:,\n])|^")
_DUTY_SENTENCE = re.compile(r"[ \t\u3000]*[^,。;:《》“”\n]{2,40}?(?:(?:要|应)?负责(?!人|同志)|主要做好)(?=[^,。;:\n]{2})")  # 市发改委(粮食局)负责…
# 法规处  负责…: a name set apart by a wide gap opens a line of a division of duties (see _unit_led_lines).
_WIDE_GAP = re.compile(r"\S(?: {2,}|\t)\S")


def _opening_clause(text: str, start: int, end: int) -> Clause | None:
    opening = _OPENING.match(text, start, end)
    return parse_clause(text, start, opening.end(), strict=True) if opening else None


def parse_unit_list(text: str, start: int, end: int) -> Clause | None:
    """``text[start:end]`` read as a clause only when every name in it looks like a unit: a bracket or a table
    cell that may hold unit names, with their role words if any, or something else altogether."""
    clause = parse_clause(text, start, end, strict=False)
    if clause is None or not all(u.looks_like_a_unit(text) for u in clause.units):
        return None
    return clause


def _bare_units(text: str, start: int, end: int) -> Clause | None:
    """A bracket ending the task that holds nothing but unit names: (市发展改革委、市统计局) — they share it."""
    clause = parse_unit_list(text, start, end)
    return clause if clause is not None and clause.deadline is None else None


def _merge_line_clauses(clauses: list[Clause]) -> list[Clause]:
    """Consecutive labelled lines (牵头单位:X / 配合单位:Y) are one clause: roles depend on each other.

    A line that gives a role the lines before it already gave, or names a lead, starts a clause of its own:
    paragraphs that each end in their own label (…,责任单位为区发改委; / …,责任单位为区经信局;) are so many
    clauses.
    """
    groups: list[list[Clause]] = []
    roles: set[str] = set()
    for clause in clauses:
        own = {u.role for u in clause.units}
        if groups and not own & roles and "lead" not in own:  # a clause names its lead first
            groups[-1].append(clause)
            roles |= own
        else:
            groups.append([clause])
            roles = set(own)
    return [_merged(group) for group in groups]


def _merged(clauses: list[Clause]) -> Clause:
    if len(clauses) == 1:
        return clauses[0]
    has_lead = any(u.role == "lead" for c in clauses for u in c.units)
    merged = Clause(start=clauses[0].start, end=clauses[-1].end)
    for c in clauses:
        for u in c.units:
            merged.units.append(ClauseUnit(u.start, u.end, "co" if has_lead and u.role == "shared" else u.role))
        merged.deadline = merged.deadline or c.deadline
    return merged
