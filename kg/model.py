"""The typed model of a key-task document.

Everything downstream (RDF, Neo4j, workload, views) is built from these classes, so they hold facts only:
no formatting, no IRIs (see :mod:`kg.iri`), no graph code. Every extracted fact keeps the character span
of the text it came from, because analysts must be able to check each claim against the published page.
Spans index into :attr:`Document.text`, the decoded text of the input (for HTML and DOCX, the text
extracted from it), never into a normalised copy.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal, NamedTuple

Role = Literal["lead", "shared", "co"]
Relation = Literal["issues", "drafts", "revises", "implements", "references"]
Comparator = Literal[">=", "<=", "=", "~"]

ROLES: tuple[Role, ...] = ("lead", "shared", "co")
RELATIONS: tuple[Relation, ...] = ("issues", "drafts", "revises", "implements", "references")
COMPARATORS: tuple[Comparator, ...] = (">=", "<=", "=", "~")

#: Unit kinds, from the gazetteer or inferred from the name's ending.
UNIT_KINDS: tuple[str, ...] = (
    "party_organ",
    "government_department",
    "county_government",
    "management_committee",
    "public_institution",
    "mass_organization",
    "enterprise",
    "collective",
    "other",
)


class Span(NamedTuple):
    """Half-open character range ``[start, end)`` into :attr:`Document.text`."""

    start: int
    end: int


@dataclass(slots=True)
class Unit:
    """A responsible organisation, resolved within one jurisdiction.

    ``name`` is the canonical name (Simplified characters, gazetteer short form); ``aliases`` collects
    the names as written in the documents. Two documents of the same jurisdiction naming the same bureau
    share one ``Unit`` identity (same ``jurisdiction`` and ``name``).
    """

    name: str
    jurisdiction: str
    kind: str = "other"
    en: str | None = None
    known: bool = False
    aliases: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return (self.jurisdiction, self.name)

    @property
    def id(self) -> str:
        """A stable, base-independent identifier: ``泰安市/市发展改革委``.

        Jurisdictions never contain ``/``, so the name is what follows the first one.
        """
        return f"{self.jurisdiction}/{self.name}"


@dataclass(slots=True)
class Responsibility:
    unit: Unit
    role: Role
    raw: str
    span: Span


@dataclass(slots=True)
class PlanReference:
    """A cited plan 《…》 and what the citing text asks to do with it."""

    title: str
    relation: Relation
    span: Span
    verb: str | None = None


@dataclass(slots=True)
class Project:
    name: str
    span: Span


@dataclass(slots=True)
class Target:
    """A quantitative target: ``metric op value unit`` (by ``deadline``)."""

    text: str
    metric: str
    value: float
    unit: str
    op: Comparator
    span: Span
    deadline: str | None = None


@dataclass(slots=True)
class Section:
    path: tuple[str, ...]
    title: str
    span: Span

    @property
    def label(self) -> str:
        return self.path[-1] if self.path else ""


@dataclass(slots=True)
class Task:
    """A numbered task.

    ``id`` identifies the task within its document the way the document itself does: the printed number
    where numbering is continuous (``"12"``), the section path where it restarts per section
    (``"一.(一)"``); the parser makes it unique.
    """

    path: tuple[str, ...]
    title: str
    text: str
    span: Span
    id: str = ""
    section_path: tuple[str, ...] = ()
    deadline: str | None = None
    responsibilities: list[Responsibility] = field(default_factory=list)
    plans: list[PlanReference] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def number(self) -> str:
        return self.path[-1] if self.path else ""

    def units(self, role: Role | None = None) -> list[Unit]:
        return [r.unit for r in self.responsibilities if role is None or r.role == role]


@dataclass(slots=True)
class Document:
    source: str
    text: str
    digest: str
    title: str | None = None
    attachment_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    jurisdiction: str | None = None
    signed_date: str | None = None
    published_date: str | None = None
    url: str | None = None
    references: list[PlanReference] = field(default_factory=list)  # cited outside every task (notice, 相关依据)
    sections: list[Section] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def units(self) -> list[Unit]:
        """Distinct units named in this document, in order of first mention."""
        seen: dict[tuple[str, str], Unit] = {}
        for task in self.tasks:
            for resp in task.responsibilities:
                seen.setdefault(resp.unit.key, resp.unit)
        return list(seen.values())
