"""Turning deadlines as written (到2023年年底, 6月底前, 2024年上半年) into dates an analyst can sort by.

A deadline resolves to the last day of the period it names. Without a year (6月底前) the document's own
year is used: the year in its title (2023年重点工作任务) or, failing that, the year it was signed.
Phrases that name no period (长期坚持, 持续推进) do not resolve.
"""

from __future__ import annotations

import calendar
import re

_YEAR_MONTH = re.compile(r"(?:(?P<y>(?:19|20)\d{2})年)?\s*(?P<m>\d{1,2})月(?:份)?(?P<d>\d{1,2})?")
_YEAR_ONLY = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<rest>年底|年末|底|末|年内|内|全年|上半年|下半年|第[一二三四1-4]季度)?")
_QUARTER = {"一": 3, "二": 6, "三": 9, "四": 12, "1": 3, "2": 6, "3": 9, "4": 12}
_TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")


def document_year(title: str | None, signed_date: str | None) -> int | None:
    if title:
        m = _TITLE_YEAR.search(title)
        if m:
            return int(m.group(1))
    if signed_date:
        return int(signed_date[:4])
    return None


def _last_day(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}-{calendar.monthrange(year, month)[1]:02d}"


def resolve_deadline(text: str | None, default_year: int | None) -> str | None:
    """ISO date of the last day of the period ``text`` names, or None."""
    if not text:
        return None
    m = _YEAR_MONTH.search(text)
    if m:
        year = int(m.group("y")) if m.group("y") else default_year
        month = int(m.group("m"))
        if year is None or not 1 <= month <= 12:
            return None
        if m.group("d"):
            day = int(m.group("d"))
            if 1 <= day <= calendar.monthrange(year, month)[1]:
                return f"{year:04d}-{month:02d}-{day:02d}"
        return _last_day(year, month)
    m = _YEAR_ONLY.search(text)
    if m:
        year = int(m.group("y"))
        rest = m.group("rest") or ""
        if rest == "上半年":
            return _last_day(year, 6)
        if rest.startswith("第"):
            return _last_day(year, _QUARTER[rest[1]])
        return _last_day(year, 12)
    if default_year and re.search(r"年底|年末|年内|全年", text):
        return _last_day(default_year, 12)
    if default_year and re.search(r"上半年", text):
        return _last_day(default_year, 6)
    return None
