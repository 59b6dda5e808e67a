"""A normalised view of a document's text for matching, with offsets back into the original.

Documents arrive with full-width and half-width punctuation mixed, in Simplified or Traditional characters,
and from mirror sites that insert pinyin glosses into words (``經(jīng)貿(mào)委``). The parser matches
patterns against one normalised form, but every span it reports must point into the text as published.
:class:`NormalizedText` keeps both: ``norm`` for matching and :meth:`to_original` to map offsets back.

Character replacements are one-to-one (``str.translate``); only removals (glosses, zero-width characters)
and the separators the parser inserts into tables whose cells ran together (:meth:`NormalizedText.insert`)
shift offsets, and those are rare, so the common case costs one ``translate`` call and no offset table.
"""

from __future__ import annotations

import bisect
import re
from functools import cache
from importlib import resources

# Full-width ASCII variants (！ to ～) map to their ASCII counterparts; the ideographic space and other
# exotic spaces become a plain space. Chinese-specific punctuation (、。《》“”【】) is kept: it carries meaning.
_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_SPACES = {0x3000: " ", 0x00A0: " ", 0x2002: " ", 0x2003: " ", 0x2009: " ", 0x202F: " "}
_PUNCT = {
    "﹙": "(", "﹚": ")", "﹝": "〔", "﹞": "〕",
    "﹐": ",", "﹑": "、", "﹔": ";", "﹕": ":", "︰": ":", "∶": ":",
    "﹖": "?", "﹗": "!", "‧": "·", "・": "·", "•": "·", "﹒": ".", "․": ".",
    "﹣": "-", "–": "-", "〜": "~",
    "「": "“", "」": "”", "『": "“", "』": "”",
}
# Characters removed from the normalised text (offsets shift): zero-width space/joiners, soft hyphen, BOM.
_REMOVED = "\u200b\u200c\u200d\u00ad\ufeff"

# Pinyin glosses that some mirror sites insert after characters: 經(jīng)貿(mào)委. Tone-marked vowels make
# them unmistakable; plain ASCII words in parentheses ((PPP), (5G)) are left alone.
_TONE_VOWELS = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü"
_GLOSS = re.compile(r"[(（][a-zü]*[" + _TONE_VOWELS + r"][a-zü" + _TONE_VOWELS + r"]*[)）]")
_REMOVABLE = re.compile("[" + _REMOVED + "]")
# Mirror sites that lost the encoding of the ideographic spaces indenting each paragraph print ?? instead.
_LOST_INDENT = re.compile(r"^([ \t]*)(\?{1,4})(?=[^\s?])", re.MULTILINE)


_LINE_BREAKS = re.compile(r"\n(?:[ \t]*\n)*")


def _doubled_breaks(text: str) -> list[tuple[int, int]]:
    """The spans to remove where every line is followed by a blank one, so that the blank lines go.

    An HTML page's paragraphs come out a blank line apart, as a browser shows them, and some exports
    double-space every line; the parser reads a blank line as a break in a table or between items, which
    those blank lines are not. A run of ``k`` line breaks keeps ``ceil(k / 2)`` of them, so a real blank line
    (an empty cell printed as two blank lines) still shows as one.
    """
    content_end = len(text.rstrip())
    runs = list(_LINE_BREAKS.finditer(text, 0, content_end))  # not the text's last newlines
    single = sum(1 for m in runs if m.group() == "\n")
    if len(runs) < 8 or single > 0.15 * len(runs):  # (a page's few header lines may be single-spaced)
        return []
    removals = []
    for m in runs:
        breaks = [m.start() + i for i, ch in enumerate(m.group()) if ch == "\n"]
        drop = len(breaks) - (len(breaks) + 1) // 2
        if drop:
            removals.append((breaks[0], breaks[drop]))
    return removals


def _unmask_indents(text: str) -> str:
    """``??一、…`` at the start of a line read as the indent it was (one character for one)."""
    if "\n?" not in text and not text.startswith("?"):
        return text
    return _LOST_INDENT.sub(lambda m: m.group(1) + " " * len(m.group(2)), text)


@cache
def _traditional_map() -> dict[int, str]:
    """Character-level Traditional → Simplified table from OpenCC's dictionary (first candidate wins).

    Only one-to-one replacements are used so that normalisation never changes the text's length;
    phrase-level conversion would be more idiomatic but is not needed for matching names and keywords.
    """
    table: dict[int, str] = {}
    data = resources.files("opencc").joinpath("dictionary", "TSCharacters.txt").read_text("utf-8")
    for line in data.splitlines():
        parts = line.split("\t")
        if len(parts) == 2 and len(parts[0]) == 1:
            target = parts[1].split(" ")[0]
            if len(target) == 1 and target != parts[0]:
                table[ord(parts[0])] = target
    # Variants the dictionary leaves as they are but that real pages use interchangeably.
    for trad, simp in {"臺": "台", "檯": "台", "颱": "台", "綫": "线", "衆": "众", "爲": "为", "裏": "里"}.items():
        table[ord(trad)] = simp
    return table


@cache
def _translation() -> dict[int, int | str]:
    table: dict[int, int | str] = {}
    table.update(_traditional_map())
    table.update(_FULLWIDTH)
    table.update(_SPACES)
    table.update({ord(k): v for k, v in _PUNCT.items()})
    return table


def normalize(text: str) -> str:
    """One-to-one normalisation: same length as ``text``. Use it for lexicons and short strings."""
    return text.translate(_translation())


def simplify(text: str) -> str:
    """Normalise and also drop removable characters and pinyin glosses (for names, not for spans)."""
    return _REMOVABLE.sub("", _GLOSS.sub("", normalize(text)))


class NormalizedText:
    """``norm`` is ``original`` normalised for matching; :meth:`to_original` maps offsets back."""

    __slots__ = ("original", "norm", "_cuts", "_shifts", "_inserted_cuts", "_inserted_shifts")

    def __init__(self, original: str) -> None:
        self.original = original
        translated = _unmask_indents(normalize(original))
        removals = [m.span() for m in _GLOSS.finditer(translated)]
        removals += [m.span() for m in _REMOVABLE.finditer(translated)]
        removals += _doubled_breaks(translated)
        # _cuts[i] is a position in ``norm``; _shifts[i] is how many original characters were removed
        # before it. Empty when nothing was removed, which makes mapping the identity.
        self._cuts: list[int] = []
        self._shifts: list[int] = []
        # The same for separators inserted afterwards (see :meth:`insert`): shifts are negative there.
        self._inserted_cuts: list[int] = []
        self._inserted_shifts: list[int] = []
        if not removals:
            self.norm = translated
            return
        removals.sort()
        pieces: list[str] = []
        last = 0
        removed = 0
        for start, end in removals:
            if start < last:  # overlapping (a zero-width char inside a gloss)
                start = last
                if start >= end:
                    continue
            pieces.append(translated[last:start])
            removed += end - start
            self._cuts.append(start - removed + (end - start))
            self._shifts.append(removed)
            last = end
        pieces.append(translated[last:])
        self.norm = "".join(pieces)

    def insert(self, insertions: list[tuple[int, str]]) -> None:
        """Insert separators into ``norm`` (``(position, text)``, positions ascending, in the current ``norm``).

        A character inserted at a position maps to the original characters from there on, so a span that
        starts or ends right beside it maps exactly; spans are trimmed of the white space inserted here.
        """
        if not insertions:
            return
        pieces: list[str] = []
        last = 0
        added = 0
        for at, text in insertions:
            pieces.append(self.norm[last:at])
            pieces.append(text)
            added += len(text)
            self._inserted_cuts.append(at + added)
            self._inserted_shifts.append(-added)
            last = at
        pieces.append(self.norm[last:])
        self.norm = "".join(pieces)

    def to_original(self, pos: int) -> int:
        """Map a position in ``norm`` to the corresponding position in ``original``."""
        if self._inserted_cuts:
            i = bisect.bisect_right(self._inserted_cuts, pos)
            pos += self._inserted_shifts[i - 1] if i else 0
        if not self._cuts:
            return pos
        i = bisect.bisect_right(self._cuts, pos)
        return pos + (self._shifts[i - 1] if i else 0)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Map a half-open ``norm`` range to the original text, trimming removed characters at its edges."""
        if not self._cuts and not self._inserted_cuts:
            return start, end
        o_start = self.to_original(start)
        o_end = self.to_original(end - 1) + 1 if end > start else o_start
        return o_start, o_end
