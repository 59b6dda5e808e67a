"""Parser accuracy against hand-checked gold annotations (``tests/corpus/*.gold.json``).

Run ``python -m benchmarks.accuracy [GOLD.json ...]`` to print precision, recall and F1 per document for
tasks, (unit, role) pairs, plans, targets (and their metrics and deadlines) and projects. The tests assert
the same numbers, computed by :func:`score_document`, so what is printed here is what CI checks.

``python -m benchmarks.accuracy --real`` scores the (unit, role) pairs of the real captures in
``tests/realdocs/`` (pages as published, many cut short; see its README), per document and in total.

Conventions of the gold files (see ``tests/corpus/README.md``): tasks are identified by their printed
number (with the section prefix where numbering restarts); unit names are as written; ``responsible`` is
the older name of ``shared``; entries listed as doubtful count neither for nor against the parser.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError
from kg.model import Document
from kg.parse import parse_path
from kg.text import simplify

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "corpus"
REAL = CORPUS.parent / "realdocs"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def __add__(self, other: Score) -> Score:
        return Score(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)


def _compare(predicted: Counter, gold: Counter, ignored: set = frozenset()) -> Score:
    score = Score()
    for key, count in predicted.items():
        matched = min(count, gold.get(key, 0))
        score.tp += matched
        if key not in ignored:
            score.fp += count - matched
    for key, count in gold.items():
        score.fn += max(0, count - predicted.get(key, 0))
    return score


def _gold_id(task: dict) -> str:
    return str(task.get("id", task.get("num")))


def _task_ids(doc: Document) -> dict[str, object]:
    return {t.id: t for t in doc.tasks}


def score_document(doc: Document, gold: dict) -> dict[str, Score]:
    """Scores of one parsed document against its gold annotation."""
    tasks = _task_ids(doc)
    gold_tasks = {_gold_id(t): t for t in gold["tasks"]}
    scores: dict[str, Score] = {}
    # Tasks: every gold task must be found; extra tasks count only in documents annotated completely.
    complete = "sections" in gold
    task_score = Score(tp=len(set(tasks) & set(gold_tasks)), fn=len(set(gold_tasks) - set(tasks)))
    if complete:
        task_score.fp = len(set(tasks) - set(gold_tasks))
    scores["tasks"] = task_score
    covered = set(gold_tasks) if not complete else set(tasks) | set(gold_tasks)

    predicted_units: Counter = Counter()
    for tid, task in tasks.items():
        if tid in covered:
            for r in task.responsibilities:
                predicted_units[(tid, simplify(r.raw), r.role)] += 1
    gold_units: Counter = Counter()
    for tid, task in gold_tasks.items():
        for key, role in (("lead", "lead"), ("shared", "shared"), ("responsible", "shared"), ("co", "co")):
            for name in task.get(key) or []:
                gold_units[(tid, simplify(name), role)] += 1
    scores["units"] = _compare(predicted_units, gold_units)

    if "targets" in next(iter(gold_tasks.values()), {}):
        predicted: Counter = Counter()
        for tid, task in tasks.items():
            if tid in covered:
                for t in task.targets:
                    predicted[(tid, round(t.value, 4), t.op)] += 1
        expected: Counter = Counter()
        doubtful: set = set()
        for tid, task in gold_tasks.items():
            for t in task.get("targets", []):
                expected[(tid, round(float(t["value"]), 4), t["op"])] += 1
            for t in task.get("targets_doubtful", []):
                doubtful.add((tid, round(float(t["value"]), 4), t["op"]))
        scores["targets"] = _compare(predicted, expected, doubtful)
        # The same targets, counted only when the measured thing (the metric) is also what the gold says.
        predicted = Counter((tid, round(t.value, 4), t.op, simplify(t.metric)) for tid, task in tasks.items()
                            if tid in covered for t in task.targets)
        expected = Counter((tid, round(float(t["value"]), 4), t["op"], simplify(t["metric"]))
                           for tid, task in gold_tasks.items() for t in task.get("targets", []))
        scores["metrics"] = _compare(predicted, expected, {key for key in predicted if key[:3] in doubtful})
        # And with the deadline the sentence gives (None where it gives none).
        predicted = Counter((tid, round(t.value, 4), t.op, simplify(t.deadline or "")) for tid, task in tasks.items()
                            if tid in covered for t in task.targets)
        expected = Counter((tid, round(float(t["value"]), 4), t["op"], simplify(t["deadline"] or ""))
                           for tid, task in gold_tasks.items() for t in task.get("targets", []))
        scores["deadlines"] = _compare(predicted, expected, {key for key in predicted if key[:3] in doubtful})

    if complete:
        predicted = Counter((tid, simplify(p.title), p.relation) for tid, t in tasks.items() for p in t.plans)
        predicted.update(("doc", simplify(p.title), p.relation) for p in doc.references)
        expected = Counter((tid, simplify(p["title"]), p["relation"]) for tid, t in gold_tasks.items()
                           for p in t.get("plans", []))
        expected.update(("doc", simplify(p["title"]), p["relation"]) for p in gold["document"].get("references", []))
        scores["plans"] = _compare(predicted, expected)

        predicted = Counter((tid, simplify(p.name)) for tid, t in tasks.items() for p in t.projects)
        expected = Counter((tid, simplify(p)) for tid, t in gold_tasks.items() for p in t.get("projects", []))
        ignored = {(tid, simplify(p)) for tid, t in gold_tasks.items() for p in t.get("projects_doubtful", [])}
        scores["projects"] = _compare(predicted, expected, ignored)
    return scores


def gold_files() -> list[Path]:
    return sorted(CORPUS.glob("*.gold.json"))


def evaluate(gold_path: Path) -> tuple[Document, dict[str, Score]]:
    gold = json.loads(gold_path.read_text("utf-8"))
    doc = parse_path(gold_path.with_name(gold_path.name.replace(".gold.json", ".txt")))
    return doc, score_document(doc, gold)


def _name_key(name: str) -> str:
    """A unit's name or a title for comparing: normalised, without the spaces a page's layout left inside it
    (市 财政局 from a Word conversion is the parser's 市财政局)."""
    return "".join(simplify(name).split())


def real_documents() -> list[Path]:
    return sorted(REAL.glob("*.expect.json"))


@dataclass
class RealResult:
    """The parser on one real capture: tasks found, and a score per annotated facet.

    ``units`` is always there; ``targets`` (value and comparator), ``target_units`` (the same with the unit
    of measure) and ``plans`` (title and relation) only for the pages whose annotation has them.
    """

    tasks: int
    scores: dict[str, Score]


def evaluate_real(expect_path: Path) -> RealResult:
    """Score one real capture, comparing over the whole document rather than per task.

    A capture cut short ends in a task its annotation leaves out, and the annotators number unnumbered
    items their own way. A document the parser refuses scores nothing found.
    """
    expected = json.loads(expect_path.read_text("utf-8"))
    stem = expect_path.name.removesuffix(".expect.json")
    source = next(p for p in expect_path.parent.glob(stem + ".*") if not p.name.endswith(".json"))
    try:
        doc = parse_path(source)
    except InputError:
        doc = None
    tasks = doc.tasks if doc else []
    predicted = Counter((_name_key(r.raw), r.role) for t in tasks for r in t.responsibilities)
    gold = Counter((_name_key(name), role) for t in expected["tasks"] for role in ("lead", "shared", "co")
                   for name in t.get(role, []))
    scores = {"units": _compare(predicted, gold)}
    if "targets" in expected:
        found = [(t.value, t.op, t.unit) for task in tasks for t in task.targets]
        # Targets are facts of tasks: goals stated in the preamble (task "doc") are out of scope.
        wanted = [(t["value"], t["op"], t["unit"]) for t in expected["targets"] if t["task"] != "doc"]
        doubtful = [(t["value"], t["op"], t["unit"]) for t in expected.get("targets_doubtful", [])]
        for facet, with_unit in (("targets", False), ("target_units", True)):
            def key(value: float, op: str, unit: str, with_unit: bool = with_unit) -> tuple:
                return (round(float(value), 4), op) + ((simplify(unit),) if with_unit else ())
            scores[facet] = _compare(Counter(key(*t) for t in found), Counter(key(*t) for t in wanted),
                                     {key(*t) for t in doubtful})
    if "plans" in expected:  # titles, like names, without the spaces a page's layout left inside them
        predicted = Counter((_name_key(p.title), p.relation) for t in tasks for p in t.plans)
        predicted.update((_name_key(p.title), p.relation) for p in (doc.references if doc else []))
        gold = Counter((_name_key(p["title"]), p["relation"]) for p in expected["plans"])
        scores["plans"] = _compare(predicted, gold)
    return RealResult(len(tasks), scores)


def _print_real() -> None:
    totals: dict[str, Score] = {}
    print(f"{'document':36} {'facet':12} {'tasks':>5} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for path in real_documents():
        result = evaluate_real(path)
        name = path.name.removesuffix(".expect.json")
        for facet, s in result.scores.items():
            totals[facet] = totals.get(facet, Score()) + s
            print(f"{name:36} {facet:12} {result.tasks:5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   "
                  f"{s.tp}/{s.fp}/{s.fn}")
    for facet, s in totals.items():
        print(f"{'total':36} {facet:12} {'':5} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   {s.tp}/{s.fp}/{s.fn}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.accuracy", description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: every tests/corpus/*.gold.json)")
    parser.add_argument("--real", action="store_true", help="score the real captures in tests/realdocs/ instead")
    args = parser.parse_args(argv)
    if args.real:
        _print_real()
        return 0
    paths = args.gold or gold_files()
    missing = [p for p in paths if not p.is_file() or not p.with_name(p.name.replace(".gold.json", ".txt")).is_file()]
    if missing:
        parser.error(f"{missing[0]}: no such gold file (or no .txt beside it)")
    print(f"{'document':36} {'facet':9} {'P':>6} {'R':>6} {'F1':>6}   tp/fp/fn")
    for path in paths:
        _, scores = evaluate(path)
        for facet, s in scores.items():
            name = path.name.replace(".gold.json", "")
            print(f"{name:36} {facet:9} {s.precision:6.3f} {s.recall:6.3f} {s.f1:6.3f}   {s.tp}/{s.fp}/{s.fn}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
