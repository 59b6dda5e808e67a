"""Rows and summaries for people: what ``kg parse --format table|csv`` shows of a document."""

from __future__ import annotations

from kg.model import Document


def _names(task, role: str) -> list[str]:
    return [r.unit.name for r in task.responsibilities if r.role == role]


def parse_rows(documents: list[Document], *, brief: bool = False) -> list[dict]:
    """One row per task: its numbering, title, units by role, deadline and what it cites and promises."""
    rows = []
    for doc in documents:
        for task in doc.tasks:
            row = {} if brief else {"source": doc.source}
            row.update({
                "id": task.id,
                "title": task.title,
                "lead": _names(task, "lead"),
                "shared": _names(task, "shared"),
                "co": _names(task, "co"),
                "deadline": task.deadline,
                "plans": [f"《{p.title}》{p.relation}" for p in task.plans] if not brief else len(task.plans),
                "projects": [p.name for p in task.projects] if not brief else len(task.projects),
                "targets": [f"{t.metric} {t.op} {t.value:g}{t.unit}" for t in task.targets] if not brief
                else len(task.targets),
            })
            if not brief:
                row["path"] = ".".join(task.path)
            rows.append(row)
    return rows


def parse_summary(doc: Document) -> str:
    lines = [f"{doc.source}", f"  title:        {doc.title or '-'}"]
    if doc.attachment_title and doc.attachment_title != doc.title:
        lines.append(f"  attachment:   {doc.attachment_title}")
    lines += [
        f"  issuer:       {doc.issuer or '-'}    number: {doc.doc_number or '-'}",
        f"  jurisdiction: {doc.jurisdiction or '-'}    signed: {doc.signed_date or '-'}    "
        f"published: {doc.published_date or '-'}",
        f"  {len(doc.sections)} sections, {len(doc.tasks)} tasks, {len(doc.units())} units, "
        f"{sum(len(t.plans) for t in doc.tasks) + len(doc.references)} plan references, "
        f"{sum(len(t.targets) for t in doc.tasks)} targets, {sum(len(t.projects) for t in doc.tasks)} projects",
    ]
    for ref in doc.references:
        lines.append(f"  {ref.relation}: 《{ref.title}》")
    for warning in doc.warnings:
        lines.append(f"  note: {warning}")
    return "\n".join(lines)
