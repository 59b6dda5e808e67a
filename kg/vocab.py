"""The vocabulary: namespaces and the kt: terms, each IRI typed once.

kg reuses W3C vocabularies where they fit — ORG for units (``org:Organization``, ``org:classification``),
PROV-O for provenance and the qualified responsibility pattern, DCTERMS for document metadata, SKOS for
labels and the role and relation schemes, ELI for documents and their dates — and defines the rest in the
kt: namespace (``ontology/kg.ttl``). The fast graph writer needs plain strings; rdflib users get
:class:`rdflib.Namespace` objects with the same IRIs.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

KT_IRI = "https://w3id.org/keytasks/ontology#"
DEFAULT_BASE_IRI = "https://w3id.org/keytasks/id/"
ELI_IRI = "http://data.europa.eu/eli/ontology#"
OA_IRI = "http://www.w3.org/ns/oa#"

KT = Namespace(KT_IRI)
ELI = Namespace(ELI_IRI)
OA = Namespace(OA_IRI)

#: Prefixes used in every serialisation and in the named queries.
PREFIXES: dict[str, str] = {
    "kt": KT_IRI,
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "eli": ELI_IRI,
    "oa": OA_IRI,
    "sh": str(SH),
}


# Terms as plain IRI strings, for the graph writer.
RDF_TYPE = str(RDF.type)
XSD_DECIMAL = str(XSD.decimal)
XSD_INTEGER = str(XSD.integer)
XSD_DATE = str(XSD.date)
XSD_BOOLEAN = str(XSD.boolean)

SKOS_PREF_LABEL = str(SKOS.prefLabel)
SKOS_ALT_LABEL = str(SKOS.altLabel)
RDFS_LABEL = str(RDFS.label)
DCT_TITLE = str(DCTERMS.title)
DCT_IDENTIFIER = str(DCTERMS.identifier)
DCT_IS_PART_OF = str(DCTERMS.isPartOf)
DCT_CREATOR = str(DCTERMS.creator)
DCT_SPATIAL = str(DCTERMS.spatial)
DCT_SOURCE = str(DCTERMS.source)
PROV_WAS_DERIVED_FROM = str(PROV.wasDerivedFrom)
ORG_ORGANIZATION = str(ORG.Organization)
ORG_CLASSIFICATION = str(ORG.classification)
ELI_DATE_DOCUMENT = ELI_IRI + "date_document"
ELI_DATE_PUBLICATION = ELI_IRI + "date_publication"

# kt: classes
KT_DOCUMENT = KT_IRI + "Document"
KT_SECTION = KT_IRI + "Section"
KT_TASK = KT_IRI + "Task"
KT_RESPONSIBILITY = KT_IRI + "Responsibility"
KT_PLAN = KT_IRI + "Plan"
KT_PLAN_REFERENCE = KT_IRI + "PlanReference"
KT_PROJECT = KT_IRI + "Project"
KT_TARGET = KT_IRI + "Target"
KT_JURISDICTION = KT_IRI + "Jurisdiction"

# kt: properties
KT_ATTACHMENT_TITLE = KT_IRI + "attachmentTitle"
KT_CONTENT_DIGEST = KT_IRI + "contentDigest"
KT_LABEL = KT_IRI + "label"
KT_TASK_ID = KT_IRI + "taskId"
KT_DOCUMENT_PROP = KT_IRI + "document"
KT_TEXT = KT_IRI + "text"
KT_DEADLINE = KT_IRI + "deadline"
KT_DEADLINE_DATE = KT_IRI + "deadlineDate"
KT_QUOTE = KT_IRI + "quote"
KT_HAS_RESPONSIBILITY = KT_IRI + "hasResponsibility"
KT_UNIT = KT_IRI + "unit"
KT_ROLE = KT_IRI + "role"
KT_HAS_PLAN_REFERENCE = KT_IRI + "hasPlanReference"
KT_PLAN_PROP = KT_IRI + "plan"
KT_RELATION = KT_IRI + "relation"
KT_VERB = KT_IRI + "verb"
KT_MENTIONS_PROJECT = KT_IRI + "mentionsProject"
KT_HAS_TARGET = KT_IRI + "hasTarget"
KT_METRIC = KT_IRI + "metric"
KT_VALUE = KT_IRI + "value"
KT_UNIT_OF_MEASURE = KT_IRI + "unitOfMeasure"
KT_COMPARATOR = KT_IRI + "comparator"
KT_IN_GAZETTEER = KT_IRI + "inGazetteer"
KT_UNIT_ID = KT_IRI + "unitId"
KT_NAME_KEY = KT_IRI + "nameKey"
KT_PUBLISHES = KT_IRI + "publishes"
ONTOLOGY_IRI = "https://w3id.org/keytasks/ontology"

#: Shortcut task → unit property for each role (materialised next to the qualified responsibility).
ROLE_SHORTCUTS: dict[str, str] = {"lead": KT_IRI + "leadUnit", "shared": KT_IRI + "sharedUnit", "co": KT_IRI + "coUnit"}
#: SKOS concepts of the role scheme.
ROLE_CONCEPTS: dict[str, str] = {"lead": KT_IRI + "lead", "shared": KT_IRI + "shared", "co": KT_IRI + "co"}
#: Shortcut (task or document) → plan property for each relation.
RELATION_SHORTCUTS: dict[str, str] = {
    "issues": KT_IRI + "issuesPlan",
    "drafts": KT_IRI + "draftsPlan",
    "revises": KT_IRI + "revisesPlan",
    "implements": KT_IRI + "implementsPlan",
    "references": KT_IRI + "referencesPlan",
}
RELATION_CONCEPTS: dict[str, str] = {r: KT_IRI + r for r in RELATION_SHORTCUTS}
#: SKOS concepts for unit kinds.
KIND_CONCEPTS_BASE = KT_IRI + "kind-"

#: The comparator of a target as a SKOS notation; kept as a plain literal (">=") for simple filters.
COMPARATORS = (">=", "<=", "=", "~")

__all__ = [name for name in dir() if name.isupper() or name in ("KT", "ELI", "OA")]
