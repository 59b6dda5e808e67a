"""Detect the encoding of a document: UTF-8 (with or without BOM), UTF-16 (with or without BOM), GB18030.

Government sites publish in all of these, and mirror sites re-encode. We detect rather than assume: BOMs
first, then strict decodes in order of how unambiguous they are, each checked for plausibility so that a
binary file or a wrong guess is rejected instead of producing mojibake.
"""

from __future__ import annotations

import codecs
import re

from kg.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Characters that do not occur in text documents: C0/C1 controls other than tab/newline/CR/FF, and the
# replacement character. A few may survive copy-paste; many mean binary data or a wrong encoding.
_IMPLAUSIBLE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff]")
_SAMPLE = 65536


def _plausible(text: str) -> bool:
    sample = text[:_SAMPLE]
    if not sample:
        return False
    bad = len(_IMPLAUSIBLE.findall(sample))
    return bad <= max(2, len(sample) // 200)


# What Chinese documents are made of: ASCII, CJK ideographs, CJK and full-width punctuation, a few symbols.
_COMMON = re.compile(r"[\t\n\r\x20-\x7e\u00b7\u2010-\u2027\u2030-\u206f\u2160-\u2188\u2460-\u24ff"
                     r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef\u00d7\u00a0]")


def _common_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    return len(_COMMON.findall(sample)) / len(sample) if sample else 0.0


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """BOM-less UTF-16 is recognised by decoding to almost nothing but common characters.

    UTF-8 or GB18030 bytes read as UTF-16 give code units scattered over Hangul, surrogates and rare
    blocks, so a high ratio of ordinary characters is a reliable signal in either byte order.
    """
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _common_ratio(text) >= 0.97 and _plausible(text):
            return text, encoding
    return None


def decode(data: bytes, source: str) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`InputError` for binary or undecodable data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                raise InputError(source, f"starts with a {encoding} byte-order mark but is not valid {encoding}") from None
            if not _plausible(text):
                raise InputError(source, "binary data, not a text document")
            return text, encoding
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if _plausible(text):
            return text, "utf-8"
    utf16 = _utf16_without_bom(data)
    if utf16:
        return utf16
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    else:
        if _plausible(text) and _common_ratio(text) >= 0.9:
            return text, "gb18030"
    raise InputError(source, "binary data or an unknown encoding (expected UTF-8, UTF-16 or GB18030)")
