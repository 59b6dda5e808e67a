"""Minting IRIs: the one place that decides what every node is called.

IRIs are deterministic — built from what the document says, never from counters or run order — so that
building the same input twice gives the same graph, and the same bureau named in two documents of one
jurisdiction is one node:

==============  ==================================================================
document        ``{base}doc/{issuer}/{发文字号}``, or ``{base}doc/sha256-{digest}`` without a number
section, task   ``{document}/section/{path}``, ``{document}/task/{path}`` (numbering labels)
facts           ``{task}/responsibility/{unit}``, ``{task}/target/{n}``, ``{task}/plan/{n}``, ``{task}/project/{n}``
unit            ``{base}unit/{jurisdiction}/{canonical name}``
plan            ``{base}plan/{normalised title}``
project         ``{base}project/{jurisdiction}/{normalised name}``
place           ``{base}place/{jurisdiction}``
named graph     ``{document}/graph`` per document, ``{base}graph/shared`` for units, plans and places
==============  ==================================================================

Names stay readable (IRIs allow Chinese); only characters IRIs forbid are percent-encoded.
A text position is ``{document}#char={start},{end}`` (RFC 5147 fragment identifiers).
"""

from __future__ import annotations

import re
from functools import lru_cache

from kg.text import simplify
from kg.vocab import DEFAULT_BASE_IRI

# ASCII characters allowed unescaped in an IRI path segment (RFC 3987 iunreserved / sub-delims / ":@");
# everything else ASCII is percent-encoded, and non-ASCII characters (Chinese) stay as they are.
_SAFE_ASCII = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~!$&'()*+,;=:@")
_NEEDS_ESCAPE = re.compile(r"[^\u0080-\U0010ffff" + re.escape("".join(sorted(_SAFE_ASCII))) + r"]")
_BAD_UNICODE = re.compile(r"[\u0080-\u009f\ufff0-\uffff\ud800-\udfff\ue000-\uf8ff]")


@lru_cache(maxsize=200_000)
def segment(text: str) -> str:
    """One path segment: normalised (widths, Simplified), no spaces, IRI-safe (cached: names recur)."""
    value = re.sub(r"\s+", "", simplify(text)) or "_"

    def encode(match: re.Match[str]) -> str:
        return "".join(f"%{b:02X}" for b in match.group(0).encode("utf-8"))

    value = _NEEDS_ESCAPE.sub(encode, value)
    value = _BAD_UNICODE.sub(encode, value)
    # "." and ".." would be removed when a relative reference is resolved against @base.
    return value.replace(".", "%2E") if value in (".", "..") else value


def check_base(base: str) -> str:
    """A base IRI must be absolute and end with ``/`` or ``#`` so that paths append cleanly."""
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", base):
        raise ValueError(f"not an absolute IRI: {base!r}")
    return base if base.endswith(("/", "#")) else base + "/"


class Minter:
    """Mints every IRI of a build under one base IRI."""

    def __init__(self, base: str = DEFAULT_BASE_IRI) -> None:
        self.base = check_base(base)
        self.shared_graph = f"{self.base}graph/shared"

    def document(self, issuer: str | None, doc_number: str | None, digest: str) -> str:
        if doc_number:
            return f"{self.base}doc/{segment(issuer or '_')}/{segment(doc_number)}"
        return f"{self.base}doc/sha256-{digest[:32]}"

    @staticmethod
    def graph(document: str) -> str:
        return f"{document}/graph"

    @staticmethod
    def section(document: str, path: tuple[str, ...]) -> str:
        return f"{document}/section/" + "/".join(segment(p) for p in path)

    @staticmethod
    def task(document: str, path: tuple[str, ...], task_id: str) -> str:
        suffix = task_id[task_id.index("~"):] if "~" in task_id else ""
        return f"{document}/task/" + "/".join(segment(p) for p in path) + suffix

    @staticmethod
    def fact(owner: str, kind: str, key: str | int) -> str:
        return f"{owner}/{kind}/{segment(str(key))}"

    @staticmethod
    def position(document: str, start: int, end: int) -> str:
        return f"{document}#char={start},{end}"

    def unit(self, jurisdiction: str, name: str) -> str:
        return f"{self.base}unit/{segment(jurisdiction)}/{segment(name)}"

    def place(self, jurisdiction: str) -> str:
        return f"{self.base}place/{segment(jurisdiction)}"

    def plan(self, title: str) -> str:
        return f"{self.base}plan/{segment(title)}"

    def project(self, jurisdiction: str, name: str) -> str:
        return f"{self.base}project/{segment(jurisdiction)}/{segment(name)}"
