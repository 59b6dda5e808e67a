"""Document metadata: title, issuer, 发文字号, jurisdiction, dates, and where the body starts.

Published pages put a notice (通知) in front of the document it issues: header metadata (索引号, 发文字号,
发布日期), the notice title (X关于印发Y的通知), a short body, the issuer's signature and date, then the
attachment (Y) with its own title, preamble and numbered content. We read the metadata from wherever it is
and start the body after the signature date, so the notice's own numbered paragraphs are not tasks.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from kg.text import NormalizedText, simplify

_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,12}[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*第?\s*\d{1,4}\s*号")
_DATE_CN = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_DATE_CN_WORDS = re.compile(r"([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日")
_DATE_ISO = re.compile(r"((?:19|20)\d{2})[-/.](\d{1,2})[-/.](\d{1,2})")
_SIGNATURE_DATE = re.compile(
    r"^\s*(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[〇零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,3}月[一二三四五六七八九十]{1,3}日)"
    r"\s*(?:\(此件[^)]*\))?\s*$"
)
_PUBLISHED = re.compile(r"(?:发布日期|发布时间|发文日期|颁布时间|公开日期|印发日期|生成日期)\s*[:: ]\s*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2})")
_ISSUER_FIELD = re.compile(r"(?:发布机构|发文单位|发文机关|发布单位|制发机关)\s*[:: ]\s*([\u4e00-\u9fff]{2,30}?)(?=\s|$|发文|文号|成文)")
_NOTICE_TITLE = re.compile(
    r"([\u4e00-\u9fff]{2,40}?(?:人民政府|政府|办公室|办公厅|委员会|领导小组|指挥部|局|委|厅|部|院))"
    r"关于(?:印发|转发|下发|做好)[^\n]{2,120}?(?:的)?(?:通知|意见|决定|函)"
)
_ATTACHMENT_LINE = re.compile(r"^\s*附件\s*\d*\s*[::]?\s*$")
_GENRE = re.compile(r"重点工作|工作任务|任务分解|任务分工|责任分解|分工方案|工作要点|实施方案|行动方案|行动计划|工作方案|"
                    r"分解方案|目标任务|重点任务|责任清单|任务清单|措施|责任单位|牵头单位|民生实事|办实事|实事项目")
_PLACE_SUFFIX = "省市区县州旗盟"
_ISSUER_TAIL = re.compile(r"(?:人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办公厅|政府办|办公室|办公厅|委员会|"
                          r"党委|市委|县委|区委|省委)$")
# A city first (杭州市 must not stop at 州), then the other levels.
_PLACES = [re.compile(r"^([\u4e00-\u9fff]{1,8}?(?:自治州|自治县|自治旗|特别行政区|市))"),
           re.compile(rf"^([\u4e00-\u9fff]{{1,8}}?[{_PLACE_SUFFIX}])")]
_PROVINCE = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:省|自治区)(?=[\u4e00-\u9fff]{2,})")
_NATIONAL = re.compile(r"^(?:国务院|中共中央|全国|国家)")
# Words that show a "place" match is really the start of a phrase (关于推进城市…, 全面深化…).
_NOT_PLACE = re.compile(r"关于|推进|加快|推动|深化|全面|进一步|实施|开展|做好|优化|工作|发展|建设|年|的|^(?:全|本|我|各|该)[省市区县州]$")


@dataclass(slots=True)
class Metadata:
    title: str | None = None
    attachment_title: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    jurisdiction: str | None = None
    signed_date: str | None = None
    published_date: str | None = None
    body_start: int = 0  # in the normalised text
    title_end: int = 0  # end of the attachment title line, where the preamble starts


def iso_date(text: str) -> str | None:
    for pattern in (_DATE_CN, _DATE_ISO):
        m = pattern.search(text)
        if m:
            year, month, day = (int(g) for g in m.groups())
            if 1 <= month <= 12 and 1 <= day <= 31:
                return f"{year:04d}-{month:02d}-{day:02d}"
    m = _DATE_CN_WORDS.search(text)
    if m:
        from kg.parse.outline import cn_to_int

        year = int("".join(str("〇一二三四五六七八九".index(c) if c in "〇一二三四五六七八九" else 0) for c in m.group(1)))
        month, day = cn_to_int(m.group(2)), cn_to_int(m.group(3))
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def jurisdiction_of(name: str | None) -> str | None:
    """泰安市人民政府办公室 → 泰安市; 国务院办公厅 → 全国; None when the name holds no place."""
    if not name:
        return None
    name = simplify(name)
    if _NATIONAL.match(name):
        return "全国"
    stem = _ISSUER_TAIL.sub("", name)
    for pattern in _PLACES:
        m = pattern.match(stem)
        if m and len(m.group(1)) >= 2 and not _NOT_PLACE.search(m.group(1)):
            place = m.group(1)
            # 山东省泰安市 → 泰安市: units are resolved within the city.
            province = _PROVINCE.match(place)
            return place[province.end():] if province and place.endswith(("市", "州", "县", "区")) else place
    return None


def _lines(norm: str) -> list[tuple[int, int]]:
    spans = []
    pos = 0
    for line in norm.split("\n"):
        spans.append((pos, pos + len(line)))
        pos += len(line) + 1
    return spans


def read_metadata(
    nt: NormalizedText, start: int, has_items_after: Callable[[int], bool], container_title: str | None
) -> Metadata:
    """Metadata from the text after ``start`` (past capture headers).

    ``has_items_after(pos)`` says whether numbered items follow ``pos`` in the normalised text.
    """
    norm = nt.norm

    def original(s: int, e: int) -> str:
        a, b = nt.span(s, e)
        return nt.original[a:b]

    meta = Metadata(body_start=start)
    head_end = min(len(norm), start + 6000)
    head = norm[:head_end]
    for number in _DOC_NUMBER.finditer(head, start):
        if number.start() > 0 and norm[number.start() - 1] in "(《":
            continue  # the number of a cited document: (鄂政办发〔2022〕52号)
        meta.doc_number = re.sub(r"\s+", "", original(number.start(), number.end()))
        break
    notice = next((m for m in _NOTICE_TITLE.finditer(head, start) if m.start() == 0 or norm[m.start() - 1] != "《"),
                  None)
    if notice:
        meta.title = original(notice.start(), notice.end()).strip()
        meta.issuer = original(notice.start(1), notice.end(1)).strip()
        # Drop a 发文字号 glued in front of the title on the same line.
        if meta.doc_number and meta.issuer.startswith(meta.doc_number):
            meta.issuer = meta.issuer[len(meta.doc_number):].strip()
    published = _PUBLISHED.search(head, start)
    if published:
        meta.published_date = iso_date(published.group(1))
    lines = [(s, e) for s, e in _lines(norm) if s >= start]
    # The body starts after the last signature date that is followed by numbered items (or a table), or at
    # the first attachment after it: 附件2 is more of the body, not where it starts.
    signature_index = None
    in_attachments = False
    for index, (s, e) in enumerate(lines):
        line = norm[s:e]
        if _SIGNATURE_DATE.match(line) and has_items_after(e):
            signature_index = index
            in_attachments = False
        elif _ATTACHMENT_LINE.match(line) and has_items_after(e) and not in_attachments:
            signature_index = index
            in_attachments = True
    if signature_index is not None:
        s, e = lines[signature_index]
        date = iso_date(norm[s:e])
        if date:
            meta.signed_date = date
            # The signing body is the last non-blank line above the date; it names the place when the
            # notice title says only 区人民政府办公室.
            for ps, pe in reversed(lines[:signature_index]):
                above = norm[ps:pe].strip()
                if above:
                    if len(above) <= 40 and re.search(r"(政府|办公室|办公厅|委员会|局|委|厅|部|院|小组|指挥部)$", above):
                        signer = original(ps, pe).strip()
                        if not meta.issuer or (not jurisdiction_of(meta.issuer) and jurisdiction_of(signer)):
                            meta.issuer = signer
                    break
        meta.body_start = e + 1
    # The attachment title: the first non-blank line of the body, when it is not a numbered item.
    for s, e in lines:
        if s < meta.body_start:
            continue
        text = norm[s:e].strip()
        if not text:
            continue
        if len(text) <= 80 and not re.match(r"^(?:[一二三四五六七八九十]+、|\(|\d{1,3}[.、]|各|为|根据|按照)", text) and \
                not text.endswith((":", "。")):
            meta.attachment_title = original(s, e).strip()
            meta.title_end = e
        break
    if not meta.issuer:
        field = _ISSUER_FIELD.search(head, start)
        if field:
            meta.issuer = original(field.start(1), field.end(1))
    if not meta.signed_date:
        written = re.search(r"成文日期\s*[:: ]\s*((?:19|20)\d{2}[-/.年]\d{1,2}[-/.月]\d{1,2})", head)
        if written:
            meta.signed_date = iso_date(written.group(1))
    if not meta.title:
        meta.title = meta.attachment_title or container_title
    meta.jurisdiction = (
        jurisdiction_of(meta.issuer)
        or jurisdiction_of(meta.attachment_title)
        or jurisdiction_of(meta.title)
        or jurisdiction_of(container_title)
    )
    return meta


def looks_like_genre(norm: str) -> bool:
    return bool(_GENRE.search(norm[:20000]))
