"""Readers: encodings are detected, HTML and DOCX reduce to the document's text, bad files are refused."""

from __future__ import annotations

import codecs
import io
import zipfile

import pytest

from kg.errors import InputError
from kg.loaders import read_bytes, read_source
from kg.parse import parse_source
from kg.text import NormalizedText, normalize, simplify


def _sample_text(sample_file) -> str:
    return sample_file.read_text("utf-8")


ENCODINGS = {
    "utf-8": lambda t: t.encode("utf-8"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16-le-bom": lambda t: codecs.BOM_UTF16_LE + t.encode("utf-16-le"),
    "utf-16-be-bom": lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_of_the_sample_parses_to_the_same_80_tasks(encoding, sample_file, sample_doc):
    source = read_bytes(ENCODINGS[encoding](_sample_text(sample_file)), f"sample.{encoding}.txt", ".txt")
    assert source.text == sample_doc.text
    doc = parse_source(source)
    assert [(t.id, t.span, [(r.raw, r.role) for r in t.responsibilities]) for t in doc.tasks] == [
        (t.id, t.span, [(r.raw, r.role) for r in t.responsibilities]) for t in sample_doc.tasks
    ]


def test_gbk_is_read_as_gb18030():
    text = "一、总体要求\n1.加强组织领导。(责任单位:市发展改革委牵头负责)\n"
    source = read_bytes(text.encode("gbk"), "gbk.txt")
    assert source.text == text and source.encoding == "gb18030"


def test_sample_wrapped_in_an_html_page_gives_the_same_tasks(sample_file, sample_doc):
    body = "".join(f"<p>{line}</p>\n" for line in _sample_text(sample_file).splitlines())
    page = (
        "<!DOCTYPE html><html><head><meta charset='gb2312'><title>泰安市人民政府</title>"
        "<script>var nav = '1.不是任务(责任单位:假单位牵头负责)';</script><style>p{margin:0}</style></head><body>"
        "<div class='nav-menu'><a href='/'>首页</a><a href='/xxgk'>信息公开</a></div>"
        f"<div id='zoom'>{body}</div><div class='footer'>版权所有:泰安市人民政府办公室 网站标识码3709000001</div>"
        "</body></html>"
    )
    source = read_bytes(page.encode("gb18030"), "page.html", ".html")
    doc = parse_source(source)
    assert len(doc.tasks) == 80
    assert [[(r.raw, r.role) for r in t.responsibilities] for t in doc.tasks] == [
        [(r.raw, r.role) for r in t.responsibilities] for t in sample_doc.tasks]
    assert "假单位" not in source.text and "首页" not in source.text


def test_html_saved_as_txt_is_sniffed():
    page = "<html><body><p>一、任务</p><p>1.推进工作。(市发展改革委牵头)</p><p>2.加强监管。(市市场监管局负责)</p></body></html>"
    source = read_bytes(page.encode("utf-8"), "page.txt", ".txt")
    assert source.media_type == "text/html"
    assert len(parse_source(source).tasks) == 2


def test_html_source_line_breaks_are_white_space_not_lines():
    # An editor wrapped the source mid-sentence and mid-clause; the page shows each <p> as one line.
    page = ("<html><body><p>一、任务</p>\n<p>1.推进重大\n    项目建设。(市发展改革委\n牵头,市财政局配合)</p>\n"
            "<p>2.推进 5G\nnetwork 建设。<br>(市工业和信息化局负责)</p><pre>保留\n换行</pre></body></html>")
    source = read_bytes(page.encode("utf-8"), "page.html", ".html")
    assert "1.推进重大项目建设。(市发展改革委牵头,市财政局配合)\n" in source.text
    assert "2.推进 5G network 建设。\n(市工业和信息化局负责)" in source.text and "保留\n换行" in source.text
    doc = parse_source(source)
    assert [(t.title, [(r.raw, r.role) for r in t.responsibilities]) for t in doc.tasks] == [
        ("推进重大项目建设", [("市发展改革委", "lead"), ("市财政局", "co")]),
        ("推进 5G network 建设", [("市工业和信息化局", "shared")])]


def test_html_table_cells_merged_over_rows_or_columns_stay_under_their_column():
    page = ("<html><body><table>"
            "<tr><th>序号</th><th>任务</th><th>牵头单位</th><th>时限</th></tr>"
            "<tr><td colspan='4'>一、投资</td></tr>"
            "<tr><td>1</td><td>甲</td><td rowspan='2'>市发改委</td><td>6月</td></tr>"
            "<tr><td>2</td><td>乙</td><td>9月</td></tr>"
            "<tr><td>3</td><td colspan='2'>丙</td><td>年底</td></tr>"
            "<tr><td>4</td><td><table><tr><td>内</td></tr></table></td><td>市财政局</td><td></td></tr>"
            "</table></body></html>")
    lines = [line for line in read_bytes(page.encode("utf-8"), "t.html", ".html").text.splitlines() if line]
    assert lines[:5] == ["序号\t任务\t牵头单位\t时限", "一、投资", "1\t甲\t市发改委\t6月", "2\t乙\t市发改委\t9月",
                         "3\t丙\t\t年底"]
    assert lines[5].startswith("4\t") and lines[5].endswith("\t市财政局")  # a nested table stays in its cell


def _docx(paragraphs: list[tuple[str, int | None]], table: list[list] | None = None) -> bytes:
    """A minimal .docx: paragraphs (text, list level or None) using Word list numbering, and a table.

    A table cell is its text, or (text, cell properties) such as ``("", '<w:vMerge/>')``.
    """
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = []
    for text, level in paragraphs:
        numbering = f'<w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="1"/></w:numPr></w:pPr>' \
            if level is not None else ""
        body.append(f"<w:p>{numbering}<w:r><w:t>{text}</w:t></w:r></w:p>")
    if table:
        def cell(c: str | tuple[str, str]) -> str:
            text, props = c if isinstance(c, tuple) else (c, "")
            return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

        rows = "".join("<w:tr>" + "".join(cell(c) for c in row) + "</w:tr>" for row in table)
        body.append(f"<w:tbl>{rows}</w:tbl>")
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {w}><w:body>{"".join(body)}</w:body></w:document>'
    numbering = (
        f'<?xml version="1.0" encoding="UTF-8"?><w:numbering {w}><w:abstractNum w:abstractNumId="0">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl>'
        '</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", document)
        archive.writestr("word/numbering.xml", numbering)
    return buffer.getvalue()


def test_docx_table_cells_merged_over_rows_or_columns_stay_under_their_column():
    data = _docx([("某市2024年重点工作任务分解表", None)], table=[
        ["序号", "任务", "牵头单位", "时限"],
        ["1", "推进重大项目建设。", ("市发展改革委", '<w:vMerge w:val="restart"/>'), "6月底"],
        ["2", "推进专项债券项目。", ("", "<w:vMerge/>"), "9月底"],
        ["3", ("加快城市更新。", '<w:gridSpan w:val="2"/>'), "年底"],
    ])
    lines = read_bytes(data, "t.docx", ".docx").text.splitlines()
    assert lines[1:] == ["序号\t任务\t牵头单位\t时限", "1\t推进重大项目建设。\t市发展改革委\t6月底",
                         "2\t推进专项债券项目。\t市发展改革委\t9月底", "3\t加快城市更新。\t\t年底"]


def test_docx_with_word_list_numbering():
    data = _docx([
        ("某市2024年重点工作任务", None),
        ("扩大有效投资", 0),
        ("推进重大项目建设,完成投资100亿元以上。(市发展改革委牵头负责)", 1),
        ("加快城市更新。(市住房城乡建设局、市自然资源和规划局按职责分工负责)", 1),
        ("优化营商环境", 0),
        ("深化“放管服”改革。(市政府办公室牵头,市级各有关部门配合)", 1),
    ])
    source = read_bytes(data, "plan.docx", ".docx")
    # Word restarts a lower list level after a higher one, as it displays it.
    assert "一、扩大有效投资" in source.text and "二、优化营商环境\n1.深化" in source.text
    doc = parse_source(source)
    assert [t.id for t in doc.tasks] == ["一.1", "一.2", "二.1"]
    assert [t.section_path for t in doc.tasks] == [("一",), ("一",), ("二",)]
    assert [(r.raw, r.role) for r in doc.tasks[2].responsibilities] == [("市政府办公室", "lead"), ("市级各有关部门", "co")]
    assert [(t.value, t.op) for t in doc.tasks[0].targets] == [(100, ">=")]


def test_docx_table_rows_become_tasks():
    data = _docx([("某县2024年重点任务分解表", None)], table=[
        ["序号", "重点任务", "牵头单位", "责任单位"],
        ["1", "新建农村公路50公里", "县交通运输局", "各乡镇人民政府"],
        ["2", "改造老旧小区12个", "县住建局", ""],
    ])
    doc = parse_source(read_bytes(data, "table.docx", ".docx"))
    assert [(t.id, t.title) for t in doc.tasks] == [("1", "新建农村公路50公里"), ("2", "改造老旧小区12个")]
    assert [(r.raw, r.role) for r in doc.tasks[0].responsibilities] == [("县交通运输局", "lead"), ("各乡镇人民政府", "co")]


@pytest.mark.parametrize("data,problem", [
    (b"", "empty file"),
    (b"   \n\n  ", "empty file"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(4000), "binary"),
])
def test_bad_bytes_are_refused_with_the_problem(data, problem):
    with pytest.raises(InputError) as error:
        read_bytes(data, "bad.txt")
    assert problem in str(error.value) and "bad.txt" in str(error.value)


def test_bad_docx_is_refused():
    with pytest.raises(InputError, match="not a valid .docx"):
        read_bytes(b"PK\x03\x04 this is no zip", "broken.docx", ".docx")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_source(tmp_path / "missing.txt")
    with pytest.raises(InputError, match="is a directory"):
        read_source(tmp_path)


def test_normalized_text_maps_offsets_back_across_removed_glosses():
    original = "市經(jīng)貿(mào)委牽頭,(5G)不是拼音"
    nt = NormalizedText(original)
    assert nt.norm == "市经贸委牵头,(5G)不是拼音"
    start = nt.norm.index("经贸委")
    a, b = nt.span(start, start + 3)
    assert original[a:b] == "經(jīng)貿(mào)委"
    assert nt.to_original(nt.norm.index("牵头")) == original.index("牽頭")
    assert simplify("經(jīng)貿(mào)委") == "经贸委"


def test_inserted_separators_map_back_beside_removed_glosses():
    original = "1推進經(jīng)貿(mào)合作。市商務局市財政局2"
    nt = NormalizedText(original)
    at = nt.norm.index("市商务局")
    nt.insert([(1, "\t"), (at, "\t"), (at + 4, "\t")])
    assert nt.norm == "1\t推进经贸合作。\t市商务局\t市财政局2"
    for name in ("推进", "经贸合作", "市商务局", "市财政局"):
        start = nt.norm.index(name)
        a, b = nt.span(start, start + len(name))
        assert normalize(original[a:b]).replace("(jīng)", "").replace("(mào)", "") == name
    assert nt.to_original(nt.norm.index("2")) == original.index("2")


def test_normalize_is_one_to_one():
    text = "（责任单位：市發改委、市財政局；按職責分工負責）１２３　"
    assert len(normalize(text)) == len(text)
    assert normalize(text) == "(责任单位:市发改委、市财政局;按职责分工负责)123 "
