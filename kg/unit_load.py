"""Workload per unit: explainable numbers for "who carries the most work".

Counts are plain: tasks a unit leads, shares (按职责分工负责 with no lead) or assists (配合). The weighted
load is one documented formula, so a supervisor can check it by hand::

    weighted(u) = Σ over tasks t where u has role r:  w[r] / n_r(t)

where ``n_r(t)`` is the number of units holding role ``r`` in task ``t``. With the default weights
(lead 1, shared 1, co 0.5) a task one unit leads alone weighs 1, a task shared by k units weighs 1/k on each,
two co-leads carry 1/2 each, and assisting units share half a task between them. Change the weights with
``--weights lead=…,shared=…,co=…``.

The functions return plain rows (lists of dicts) so the same numbers serve the CLI, ``workload.csv``, the
HTML views and notebooks (``pandas.DataFrame(kg.workload(...))``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

from kg.model import Document, Task, Unit

DEFAULT_WEIGHTS: dict[str, float] = {"lead": 1.0, "shared": 1.0, "co": 0.5}
ISSUING_RELATIONS = ("issues", "drafts", "revises")
UNIT_COLUMNS = ["unit", "unit_id", "jurisdiction", "aliases", "kind", "lead", "shared", "co", "total", "weighted",
                "targets", "plans", "partners"]


def parse_weights(text: str | None) -> dict[str, float]:
    """``"lead=1,shared=0.5,co=0.25"`` → weights (missing roles keep their default)."""
    weights = dict(DEFAULT_WEIGHTS)
    if not text:
        return weights
    for part in text.split(","):
        if not part.strip():
            continue
        key, _, value = part.partition("=")
        key = key.strip()
        if key not in weights or not value.strip():
            raise ValueError(f"weights are role=number pairs for lead, shared, co; got {part.strip()!r}")
        try:
            weights[key] = float(value)
        except ValueError:
            raise ValueError(f"weight of {key} is not a number: {value.strip()!r}") from None
        if weights[key] < 0:
            raise ValueError(f"weight of {key} must not be negative")
    return weights


def _task_contributions(task: Task, weights: dict[str, float]) -> list[tuple[Unit, str, float]]:
    per_role = Counter(r.role for r in task.responsibilities)
    return [(r.unit, r.role, weights[r.role] / per_role[r.role]) for r in task.responsibilities]


class _Tally:
    __slots__ = ("unit", "roles", "tasks", "weighted", "targets", "plans", "partners")

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.roles: Counter = Counter()
        self.tasks: set[int] = set()
        self.weighted = 0.0
        self.targets = 0
        self.plans: set[str] = set()
        self.partners: set[tuple[str, str]] = set()

    def add(self, task: Task, role: str, weight: float) -> None:
        key = id(task)
        if key in self.tasks:
            return
        self.tasks.add(key)
        self.roles[role] += 1
        self.weighted += weight
        if role in ("lead", "shared"):
            self.targets += len(task.targets)
            self.plans.update(p.title for p in task.plans if p.relation in ISSUING_RELATIONS)
        self.partners.update(r.unit.key for r in task.responsibilities if r.unit.key != self.unit.key)

    def row(self) -> dict:
        u = self.unit
        return {
            "unit": u.name,
            "unit_id": u.id,
            "jurisdiction": u.jurisdiction,
            "aliases": sorted(u.aliases),
            "kind": u.kind,
            "lead": self.roles["lead"],
            "shared": self.roles["shared"],
            "co": self.roles["co"],
            "total": len(self.tasks),
            "weighted": round(self.weighted, 3),
            "targets": self.targets,
            "plans": len(self.plans),
            "partners": len(self.partners),
        }


def _sorted(rows: list[dict]) -> list[dict]:
    return sorted(rows, key=lambda r: (-r["weighted"], -r["total"], r.get("unit_id", ""), r.get("section", "")))


def unit_workload(documents: Iterable[Document], weights: dict[str, float] | None = None) -> list[dict]:
    """One row per unit, heaviest first."""
    weights = weights or DEFAULT_WEIGHTS
    tallies: dict[tuple[str, str], _Tally] = {}
    for doc in documents:
        for task in doc.tasks:
            for unit, role, weight in _task_contributions(task, weights):
                tally = tallies.get(unit.key)
                if tally is None:
                    tally = tallies[unit.key] = _Tally(unit)
                tally.add(task, role, weight)
    return _sorted([t.row() for t in tallies.values()])


def section_workload(documents: Iterable[Document], weights: dict[str, float] | None = None) -> list[dict]:
    """One row per (unit, section): where in each document a unit's work lies."""
    weights = weights or DEFAULT_WEIGHTS
    tallies: dict[tuple, _Tally] = {}
    titles: dict[tuple, tuple[str, str, str]] = {}
    for doc in documents:
        section_titles = {s.path: s.title for s in doc.sections}
        for task in doc.tasks:
            section = ".".join(task.section_path)
            for unit, role, weight in _task_contributions(task, weights):
                key = (unit.key, doc.digest, task.section_path)
                tally = tallies.get(key)
                if tally is None:
                    tally = tallies[key] = _Tally(unit)
                    titles[key] = (doc.attachment_title or doc.title or doc.source, section,
                                   section_titles.get(task.section_path, ""))
                tally.add(task, role, weight)
    rows = []
    for key, tally in tallies.items():
        document, section, title = titles[key]
        row = tally.row()
        rows.append({"unit": row["unit"], "unit_id": row["unit_id"], "document": document, "section": section,
                     "section_title": title, **{k: row[k] for k in ("lead", "shared", "co", "total", "weighted",
                                                                    "targets", "plans", "partners")}})
    return _sorted(rows)


def kind_workload(documents: Iterable[Document], weights: dict[str, float] | None = None) -> list[dict]:
    """One row per unit kind (government department, party organ, collective …)."""
    rows = unit_workload(documents, weights)
    by_kind: dict[str, dict] = defaultdict(lambda: {"units": 0, "lead": 0, "shared": 0, "co": 0, "total": 0,
                                                   "weighted": 0.0, "targets": 0})
    for row in rows:
        agg = by_kind[row["kind"]]
        agg["units"] += 1
        for key in ("lead", "shared", "co", "total", "targets"):
            agg[key] += row[key]
        agg["weighted"] += row["weighted"]
    result = [{"kind": kind, **agg, "weighted": round(agg["weighted"], 3)} for kind, agg in by_kind.items()]
    return sorted(result, key=lambda r: (-r["weighted"], r["kind"]))


def document_workload(documents: Iterable[Document]) -> list[dict]:
    """One row per document, to compare years and cities."""
    rows = []
    for doc in documents:
        tasks = doc.tasks
        units = doc.units()
        leads = Counter(r.unit.key for t in tasks for r in t.responsibilities if r.role == "lead")
        rows.append({
            "document": doc.attachment_title or doc.title or doc.source,
            "doc_number": doc.doc_number,
            "jurisdiction": doc.jurisdiction,
            "date": doc.signed_date or doc.published_date,
            "tasks": len(tasks),
            "units": len(units),
            "tasks_with_lead": sum(1 for t in tasks if any(r.role == "lead" for r in t.responsibilities)),
            "tasks_without_unit": sum(1 for t in tasks if not t.responsibilities),
            "responsibilities": sum(len(t.responsibilities) for t in tasks),
            "targets": sum(len(t.targets) for t in tasks),
            "plans": sum(len(t.plans) for t in tasks),
            "projects": sum(len(t.projects) for t in tasks),
            "max_lead": max(leads.values(), default=0),
        })
    return sorted(rows, key=lambda r: (r["jurisdiction"] or "", r["date"] or "", r["document"]))


def workload(documents: Iterable[Document], by: str = "unit", weights: dict[str, float] | None = None) -> list[dict]:
    """The workload table grouped ``by`` unit, section, kind or document."""
    documents = list(documents)
    if by == "unit":
        return unit_workload(documents, weights)
    if by == "section":
        return section_workload(documents, weights)
    if by == "kind":
        return kind_workload(documents, weights)
    if by == "document":
        return document_workload(documents)
    raise ValueError(f"cannot group workload by {by!r}: choose unit, section, kind or document")
