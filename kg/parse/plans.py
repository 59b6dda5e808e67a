"""Plans cited as 《…》, with what the citing text asks to do with them.

The relation comes from the governing verb before the title, within its clause: 出台/印发/制定 → issues,
编制 → drafts, 修订 → revises, 落实/贯彻/执行 → implements, anything else (根据, 按照, 对照) → references.
Titles listed one after another (《A》和《B》, 《A》《B》) share the verb. A notice that says 《X》已经…同意,
现印发给你们 (or 现将《X》印发给你们) issues X itself, with the verb after the title, and 确保《X》…落到实处
implements it; one that issues 《X》重点任务分工方案 implements X. A short name given to a title (《X》(以下简称《Y》))
stands for X wherever 《Y》 is cited after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.parse.lexicon import PLAN_VERBS, alternation

_VERB = re.compile(alternation(list(PLAN_VERBS)))
_CLAUSE_BREAK = re.compile(r"[,。;:!?\n]")
_JOINERS = re.compile(r"^(?:\s|和|及|与|以及|、|,|\([^()]{0,30}\)|“|”)*$")
_ISSUED_AFTER = re.compile(r"^[^。;]{0,40}?(?:现印发|印发给|印发你们|现予印发|予以印发|现予发布|印发|下发给|下发你们|予以下发|下发)")
# 现将《A》《B》印发给你们: the verb comes after the titles, announced before them.
_LISTED_TITLES = re.compile(r"^(?:(?:\s|和|及|与|以及|、|,)*《[^》]*》)+")
_ANNOUNCES = re.compile(r"(?:现将|特将|兹将|现把)\s*$")
# 印发《政府工作报告》重点任务分工方案: the document breaks the cited one down into tasks, so it implements it
# (the verb before the title governs the whole noun phrase, not the title).
# 《政府工作报告》目标任务一季度完成情况: a report on how the cited one's tasks are carried out implements it too.
_BROKEN_DOWN = re.compile(r"^[^,。;、《]{0,24}?(?:分工|分解|责任清单|任务清单|任务[^,。;、《]{0,8}?(?:完成|落实|推进|进展)情况)")
_SHORT_NAME = re.compile(r"\s*\(\s*(?:以下)?简称\s*")
_AFTER_VERB = re.compile(r"^[^,。;]{0,6}?(出台|印发|发布|修订|编制)")
# 确保《政府工作报告》…的各项工作任务落到实处: what the title asks is carried out, said after it.
_CARRIED_OUT = re.compile(r"^[^。;]{0,40}?(落到实处|落实到位|得到落实)")
# 《潍坊政务公开工作要点实施方案.docx(31页珍藏版)》: a document-sharing site's file name, not a title cited.
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|wps|xlsx?|pptx?|txt)\b|\(\d+页", re.IGNORECASE)


@dataclass(slots=True)
class PlanMention:
    title_start: int  # span of the title, brackets excluded, in the normalised text
    title_end: int
    start: int  # span including 《》
    end: int
    relation: str
    verb: str | None
    # The full title's span where the text cites a title by the short name it gave it (《规划纲要》).
    full_title: tuple[int, int] | None = None


_TITLE_BRACKETS = re.compile("[《》]")


def find_titles(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Outermost 《…》 spans (brackets included); nested 〈〉 or 《》 stay inside the title."""
    spans: list[tuple[int, int]] = []
    if text.find("《", start, end) < 0:
        return spans
    depth = 0
    open_at = -1
    for m in _TITLE_BRACKETS.finditer(text, start, end):
        ch, i = m.group(0), m.start()
        if ch == "《":
            if depth == 0:
                open_at = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((open_at, i + 1))
    return spans


def find_short_names(text: str) -> dict[str, tuple[int, int]]:
    """The short names the text gives titles (《X》(以下简称《纲要》)): 纲要 → the span of X's title."""
    if "简称" not in text:
        return {}
    names: dict[str, tuple[int, int]] = {}
    titles = find_titles(text, 0, len(text))
    for (fs, fe), (ss, se) in zip(titles, titles[1:], strict=False):
        if _SHORT_NAME.fullmatch(text, fe, ss):
            names[text[ss + 1:se - 1].strip()] = names.get(text[fs + 1:fe - 1].strip(), (fs + 1, fe - 1))
    return names


def find_plans(text: str, start: int, end: int,
               short_names: dict[str, tuple[int, int]] | None = None) -> list[PlanMention]:
    """The titles cited between ``start`` and ``end``; ``short_names`` (see :func:`find_short_names`) are
    cited as the titles they stand for."""
    mentions: list[PlanMention] = []
    previous: PlanMention | None = None
    short_names = short_names or {}
    for ts, te in find_titles(text, start, end):
        title = text[ts + 1:te - 1].strip()
        if not title or _FILE_NAME.search(title):
            continue
        if previous is not None and _SHORT_NAME.fullmatch(text, previous.end, ts):
            continue  # 《X》(以下简称《Y》): Y is X's name in what follows, not a title of its own
        relation, verb = None, None
        if previous is not None and _JOINERS.match(text[previous.end:ts]):
            relation, verb = previous.relation, previous.verb
        if relation is None:
            window_start = ts
            while window_start > start and not _CLAUSE_BREAK.match(text[window_start - 1]):
                window_start -= 1
            window = text[window_start:ts]
            # Titles earlier in the window are not the verb's text; blank them out.
            window = re.sub(r"《[^》]*》", lambda m: " " * len(m.group(0)), window)
            # 办公厅印发的《X》: a verb before 的 says who issued the title, not what this text does with it.
            verbs = [v for v in _VERB.finditer(window) if not window.startswith("的", v.end())]
            if verbs:
                verb = verbs[-1].group(0)
                relation = PLAN_VERBS[verb]
        after = text[te:min(end, te + 60)]
        # 《A》《B》《C》已经…研究通过,现印发给你们: the titles listed right after this one do not part it from its verb.
        after_titles = _LISTED_TITLES.sub("", text[te:min(end, te + 200)], count=1)[:60]
        if _BROKEN_DOWN.match(after):
            relation, verb = "implements", None
        elif relation is None:
            issued = _ISSUED_AFTER.match(after_titles)
            announced = _ANNOUNCES.search(text, max(start, ts - 4), ts)
            if issued and ("同意" in after_titles[: issued.end() + 4] or "现" in issued.group(0) or announced):
                relation, verb = "issues", "印发"
            elif later := _AFTER_VERB.match(after):
                verb = later.group(1)
                relation = PLAN_VERBS.get(verb, "references")
            elif carried := _CARRIED_OUT.match(after):
                relation, verb = "implements", carried.group(1)
        mention = PlanMention(ts + 1, te - 1, ts, te, relation or "references", verb, short_names.get(title))
        mentions.append(mention)
        previous = mention
    return mentions
