"""Who is overloaded, and where responsibility is missing or diffuse: what a supervisor (督查) looks for.

Overload is flagged by a robust rule on the weighted load (see :mod:`kg.unit_load`), so that one very busy
bureau does not hide the others the way a mean and standard deviation would:

* ``mad`` (default): weighted > median + k · 1.4826 · MAD, with k = 3 — the scaled median absolute
  deviation estimates the standard deviation of a normal sample without being pulled by outliers;
* ``iqr``: weighted > Q3 + k · IQR (Tukey's fences; k = 1.5 is the classic choice);
* ``top``: the k percent heaviest units (k = 10 by default).

Each flagged unit carries its reason in words. The opposite failures are findings too: tasks no unit
leads, tasks with no unit at all, tasks whose responsibility is spread over many units with no lead, and
units named only once (often a variant spelling of another unit, worth adding to the gazetteer).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Iterable

from kg.model import Document
from kg.unit_load import unit_workload

METHODS = {"mad": 3.0, "iqr": 1.5, "top": 10.0}
#: A task with no lead and at least this many units has diffuse responsibility.
DIFFUSE_UNITS = 5


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * q
    low, high = math.floor(position), math.ceil(position)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def threshold(values: list[float], method: str = "mad", k: float | None = None) -> float:
    """The weighted load above which a unit is overloaded."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: choose {', '.join(METHODS)}")
    k = METHODS[method] if k is None else k
    if not values:
        return math.inf
    if method == "mad":
        median = statistics.median(values)
        mad = statistics.median(abs(v - median) for v in values)
        return median + k * 1.4826 * mad
    if method == "iqr":
        q1, q3 = _quantile(values, 0.25), _quantile(values, 0.75)
        return q3 + k * (q3 - q1)
    count = max(1, math.ceil(len(values) * k / 100))
    return sorted(values, reverse=True)[count - 1] - 1e-9


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def reason(row: dict, median: float) -> str:
    """Why a unit stands out, in words a supervisor can check against the table."""
    parts = []
    if row["lead"]:
        parts.append(f"leads {_plural(row['lead'], 'task')}")
    if row["shared"]:
        parts.append(f"shares {_plural(row['shared'], 'task')}")
    if row["co"]:
        parts.append(f"assists in {_plural(row['co'], 'task')}")
    ratio = row["weighted"] / median if median > 0 else math.inf
    parts.append(f"weighted load {row['weighted']:g}, {ratio:.1f}× the median" if math.isfinite(ratio)
                 else f"weighted load {row['weighted']:g}")
    if row["targets"]:
        parts.append(_plural(row["targets"], "quantitative target"))
    if row["plans"]:
        parts.append(f"{_plural(row['plans'], 'plan')} to issue, draft or revise")
    if row["partners"]:
        parts.append(_plural(row["partners"], "partner unit"))
    return "; ".join(parts)


def overloaded(documents: Iterable[Document], method: str = "mad", k: float | None = None,
               weights: dict[str, float] | None = None, workload_rows: list[dict] | None = None) -> list[dict]:
    """Overloaded units, heaviest first, each with ``unit``, ``weighted``, ``threshold`` and ``reason``.

    ``workload_rows`` (from :func:`kg.unit_load.unit_workload` with the same weights) saves computing them.
    """
    rows = workload_rows if workload_rows is not None else unit_workload(documents, weights)
    values = [r["weighted"] for r in rows]
    limit = threshold(values, method, k)
    median = statistics.median(values) if values else 0.0
    flagged = []
    for rank, row in enumerate((r for r in rows if r["weighted"] > limit), 1):
        flagged.append({
            "rank": rank,
            "unit": row["unit"],
            "unit_id": row["unit_id"],
            "kind": row["kind"],
            "lead": row["lead"],
            "shared": row["shared"],
            "co": row["co"],
            "total": row["total"],
            "weighted": row["weighted"],
            "median": round(median, 3),
            "threshold": round(limit, 3),
            "targets": row["targets"],
            "partners": row["partners"],
            "reason": reason(row, median),
        })
    return flagged


def findings(documents: Iterable[Document], diffuse_units: int = DIFFUSE_UNITS) -> list[dict]:
    """Missing, diffuse and doubtful responsibility: one row per finding."""
    documents = list(documents)
    rows: list[dict] = []
    mentions: Counter = Counter()
    names: dict[tuple[str, str], str] = {}
    for doc in documents:
        where = doc.attachment_title or doc.title or doc.source
        for task in doc.tasks:
            units = task.responsibilities
            for r in units:
                mentions[r.unit.key] += 1
                names[r.unit.key] = r.unit.id
            leads = [r for r in units if r.role == "lead"]
            subject = f"{where} / task {task.id}"
            if not units:
                rows.append({"finding": "no-unit", "subject": subject, "title": task.title,
                             "detail": "no unit is responsible for this task"})
            elif not leads:
                detail = f"no lead; {_plural(len(units), 'unit')} share it"
                if len(units) >= diffuse_units:
                    rows.append({"finding": "diffuse", "subject": subject, "title": task.title,
                                 "detail": detail + " — responsibility is diffuse"})
                else:
                    rows.append({"finding": "no-lead", "subject": subject, "title": task.title, "detail": detail})
    for key, count in sorted(mentions.items(), key=lambda kv: names[kv[0]]):
        if count == 1:
            rows.append({"finding": "named-once", "subject": names[key], "title": "",
                         "detail": "named in a single task: a rare unit, or a variant spelling of another"})
    order = {"no-unit": 0, "diffuse": 1, "no-lead": 2, "named-once": 3}
    return sorted(rows, key=lambda r: order[r["finding"]])
