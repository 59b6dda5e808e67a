"""PDF input: real PDFs, printed by Chromium from the sample and from a ruled task table, read back.

The sample is printed in a narrow, justified column with a page number in every footer, so its lines wrap
inside units' names, numbers and 《》 titles, and pages break in the middle of tasks; read back, it must give
the same tasks, (unit, role) pairs, targets and plans as the text. The table has cells wrapped over several
lines, a lead unit merged over two rows and a task cell merged over two columns.
"""

from __future__ import annotations

import html
from pathlib import Path

import pdfplumber
import pytest

from kg.errors import InputError
from kg.loaders import read_bytes, read_source
from kg.parse import parse_path, parse_source

pytestmark = pytest.mark.browser

FOOTER = '<div style="font-size:9pt;width:100%;text-align:center">— <span class="pageNumber"></span> —</div>'


def print_pdf(browser, body: str, path: Path, style: str = "") -> Path:
    page = browser.new_page()
    try:
        page.set_content(f'<html><head><meta charset="utf-8"><style>body{{font-family:"WenQuanYi Micro Hei";'
                         f'font-size:12pt}} {style}</style></head><body>{body}</body></html>')
        page.pdf(path=str(path), format="A5", display_header_footer=True, header_template="<div></div>",
                 footer_template=FOOTER, margin={"top": "15mm", "bottom": "20mm", "left": "15mm", "right": "15mm"})
    finally:
        page.close()
    return path


@pytest.fixture(scope="module")
def sample_pdf(browser, sample_file, tmp_path_factory) -> Path:
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in sample_file.read_text("utf-8").splitlines())
    return print_pdf(browser, paragraphs, tmp_path_factory.mktemp("pdf") / "taian.pdf",
                     "p{margin:0;text-indent:2em;text-align:justify}")


TABLE = """<p>某县2024年重点工作任务分工表</p>
<table><tr><th>序号</th><th>重点任务</th><th>牵头单位</th><th>配合单位</th><th>完成时限</th></tr>
<tr><td>1</td><td>地区生产总值增长6%左右,城镇新增就业3500人以上。</td><td rowspan="2">县发展和改革局</td>
<td>县财政局、县统计局、县人力资源和社会保障局</td><td>2024年12月底</td></tr>
<tr><td>2</td><td>完成固定资产投资50亿元以上,制定《某县重大项目管理办法》。</td><td>县自然资源局</td><td>2024年12月底</td></tr>
<tr><td>3</td><td colspan="2">新增高新技术企业10家以上。</td><td>县科技和工业信息化局</td><td>2024年11月底</td></tr>
</table>"""


@pytest.fixture(scope="module")
def table_pdf(browser, tmp_path_factory) -> Path:
    return print_pdf(browser, TABLE, tmp_path_factory.mktemp("pdf") / "table.pdf",
                     "table{border-collapse:collapse;width:100%} td,th{border:1px solid #000;padding:3px;"
                     "vertical-align:top}")


def test_the_sample_printed_as_a_pdf_parses_like_the_text(sample_pdf, sample_doc):
    source = read_source(sample_pdf)
    assert source.media_type == "application/pdf"
    with pdfplumber.open(sample_pdf) as pdf:  # the print wraps lines and numbers its pages
        printed = pdf.pages[2].extract_text()
    assert "— 3 —" in printed and max(len(line) for line in printed.splitlines()) < 40
    assert "— 3 —" not in source.text
    doc = parse_path(sample_pdf)
    assert len(doc.tasks) == 80
    assert [[(r.raw, r.role) for r in t.responsibilities] for t in doc.tasks] == [
        [(r.raw, r.role) for r in t.responsibilities] for t in sample_doc.tasks]
    assert [[(g.value, g.op, g.unit) for g in t.targets] for t in doc.tasks] == [
        [(g.value, g.op, g.unit) for g in t.targets] for t in sample_doc.tasks]
    assert [(p.title, p.relation) for t in doc.tasks for p in t.plans] == [
        (p.title, p.relation) for t in sample_doc.tasks for p in t.plans]
    commerce = [t for t in doc.tasks if any(r.raw == "市商务局" and r.role == "lead" for r in t.responsibilities)]
    assert len(commerce) == 8
    for task in doc.tasks:  # provenance points into the text read from the PDF
        assert doc.text[task.span.start:task.span.end] == task.text
        assert all(r.raw in task.text for r in task.responsibilities)


def test_a_ruled_table_becomes_one_line_per_row(table_pdf):
    lines = [line for line in read_source(table_pdf).text.splitlines() if line.strip()]
    assert lines == [
        "某县2024年重点工作任务分工表",
        "序号\t重点任务\t牵头单位\t配合单位\t完成时限",
        "1\t地区生产总值增长6%左右,城镇新增就业3500人以上。\t县发展和改革局\t县财政局、县统计局、县人力资源和社会保障局"
        "\t2024年12月底",
        "2\t完成固定资产投资50亿元以上,制定《某县重大项目管理办法》。\t县发展和改革局\t县自然资源局\t2024年12月底",
        "3\t新增高新技术企业10家以上。\t\t县科技和工业信息化局\t2024年11月底",
    ]
    doc = parse_path(table_pdf)
    as_html = parse_source(read_bytes(f"<html><body>{TABLE}</body></html>".encode(), "table.html", ".html"))
    assert [(t.id, [(r.raw, r.role) for r in t.responsibilities]) for t in doc.tasks] == [
        (t.id, [(r.raw, r.role) for r in t.responsibilities]) for t in as_html.tasks]
    assert [(r.raw, r.role) for r in doc.tasks[1].responsibilities] == [("县发展和改革局", "lead"), ("县自然资源局", "co")]
    assert [(g.value, g.unit, g.op) for g in doc.tasks[0].targets] == [(6, "%", "~"), (3500, "人", ">=")]
    assert [(p.title, p.relation) for p in doc.tasks[1].plans] == [("某县重大项目管理办法", "issues")]


def test_a_pdf_without_text_is_refused_with_the_reason(browser, tmp_path):
    path = print_pdf(browser, '<div style="width:80mm;height:60mm;background:#333"></div>', tmp_path / "scan.pdf")
    with pytest.raises(InputError, match="no text layer"):
        read_source(path)


@pytest.mark.parametrize("data", [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", b"%PDF-1.7\ngarbage"])
def test_a_damaged_pdf_is_refused(data):
    with pytest.raises(InputError, match="not a readable PDF"):
        read_bytes(data, "broken.pdf", ".pdf")
