"""The JSON form of parsed documents: what ``kg parse --format json`` prints and ``documents.json`` holds.

Other tools and outside checks rely on these field names exactly (see the README), so they are defined
here once. The form is lossless: :func:`document_from_dict` rebuilds the model from it, which lets every
command work from a built folder without parsing again.
"""

from __future__ import annotations

from typing import Any

from kg.model import Document, PlanReference, Project, Responsibility, Section, Span, Target, Task, Unit
from kg.units import UnitRegistry


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _plan(plan: PlanReference) -> dict[str, Any]:
    return {"title": plan.title, "relation": plan.relation, "verb": plan.verb, "span": list(plan.span)}


def document_to_dict(doc: Document, *, with_text: bool = False) -> dict[str, Any]:
    data: dict[str, Any] = {
        "source": doc.source,
        "url": doc.url,
        "title": doc.title,
        "attachment_title": doc.attachment_title,
        "doc_number": doc.doc_number,
        "issuer": doc.issuer,
        "jurisdiction": doc.jurisdiction,
        "signed_date": doc.signed_date,
        "published_date": doc.published_date,
        "digest": doc.digest,
        "references": [_plan(p) for p in doc.references],
        "sections": [
            {"path": list(s.path), "label": s.label, "title": s.title, "span": list(s.span)} for s in doc.sections
        ],
        "tasks": [
            {
                "id": t.id,
                "path": list(t.path),
                "number": t.number,
                "section": list(t.section_path),
                "title": t.title,
                "text": t.text,
                "span": list(t.span),
                "deadline": t.deadline,
                "responsibilities": [
                    {"raw": r.raw, "unit": r.unit.name, "unit_id": r.unit.id, "role": r.role,
                     "span": list(r.span)}
                    for r in t.responsibilities
                ],
                "plans": [_plan(p) for p in t.plans],
                "projects": [{"name": p.name, "span": list(p.span)} for p in t.projects],
                "targets": [
                    {"text": g.text, "metric": g.metric, "value": _number(g.value), "unit": g.unit, "op": g.op,
                     "deadline": g.deadline, "span": list(g.span)}
                    for g in t.targets
                ],
            }
            for t in doc.tasks
        ],
        "units": [
            {"unit": u.name, "unit_id": u.id, "jurisdiction": u.jurisdiction, "kind": u.kind, "en": u.en,
             "known": u.known, "aliases": sorted(u.aliases)}
            for u in doc.units()
        ],
        "warnings": list(doc.warnings),
    }
    if with_text:
        data["text"] = doc.text
    return data


def document_from_dict(data: dict[str, Any], registry: UnitRegistry, text: str = "") -> Document:
    """Rebuild a :class:`Document`; units are merged into ``registry`` by (jurisdiction, name)."""
    units: dict[str, Unit] = {}
    for u in data.get("units", []):
        unit = Unit(name=u["unit"], jurisdiction=u["jurisdiction"], kind=u.get("kind", "other"), en=u.get("en"),
                    known=bool(u.get("known")), aliases=set(u.get("aliases", [])))
        units[u["unit_id"]] = registry.adopt(unit)
    doc = Document(
        source=data["source"], text=data.get("text", text), digest=data.get("digest", ""), title=data.get("title"),
        attachment_title=data.get("attachment_title"), issuer=data.get("issuer"), doc_number=data.get("doc_number"),
        jurisdiction=data.get("jurisdiction"), signed_date=data.get("signed_date"),
        published_date=data.get("published_date"), url=data.get("url"),
        references=[_plan_from(p) for p in data.get("references", [])],
        sections=[Section(path=tuple(s["path"]), title=s["title"], span=Span(*s["span"])) for s in data.get("sections", [])],
        warnings=list(data.get("warnings", [])),
    )
    for t in data.get("tasks", []):
        task = Task(path=tuple(t["path"]), title=t["title"], text=t["text"], span=Span(*t["span"]), id=t["id"],
                    section_path=tuple(t.get("section", [])), deadline=t.get("deadline"))
        task.responsibilities = [
            Responsibility(unit=units[r["unit_id"]], role=r["role"], raw=r["raw"], span=Span(*r["span"]))
            for r in t.get("responsibilities", [])
        ]
        task.plans = [_plan_from(p) for p in t.get("plans", [])]
        task.projects = [Project(name=p["name"], span=Span(*p["span"])) for p in t.get("projects", [])]
        task.targets = [
            Target(text=g["text"], metric=g["metric"], value=float(g["value"]), unit=g["unit"], op=g["op"],
                   span=Span(*g["span"]), deadline=g.get("deadline"))
            for g in t.get("targets", [])
        ]
        doc.tasks.append(task)
    return doc


def _plan_from(p: dict[str, Any]) -> PlanReference:
    return PlanReference(title=p["title"], relation=p["relation"], span=Span(*p["span"]), verb=p.get("verb"))
