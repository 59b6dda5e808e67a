"""`kg parse`: the JSON contract other tools rely on, the human formats, and one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import CORPUS
from kg.cli import main


@pytest.fixture(scope="module")
def runner():
    return CliRunner()


def test_parse_json_contract_on_the_bundled_sample(runner):
    result = runner.invoke(main, ["parse", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert list(data) == ["documents"] and len(data["documents"]) == 1
    doc = data["documents"][0]
    for key in ("source", "title", "doc_number", "issuer", "jurisdiction", "signed_date", "references", "sections",
                "tasks"):
        assert key in doc
    assert doc["doc_number"] == "泰政办字〔2022〕57号"
    assert len(doc["tasks"]) == 80
    task = doc["tasks"][15]
    assert task["path"] == ["二", "16"] and task["number"] == "16" and task["title"] == "全面深化数字赋能应用"
    assert [(r["unit"], r["role"]) for r in task["responsibilities"]] == [("市工业和信息化局", "lead"),
                                                                        ("市通信发展办", "lead")]
    assert task["responsibilities"][0]["unit_id"] == "泰安市/市工业和信息化局"
    assert {"raw", "unit", "unit_id", "role"} <= set(task["responsibilities"][0])
    assert [t["value"] for t in task["targets"]] == [4, 11000, 2]
    assert {"text", "metric", "value", "unit", "op", "deadline"} <= set(task["targets"][0])
    assert isinstance(task["span"], list) and len(task["span"]) == 2
    plans = doc["tasks"][23]["plans"]
    assert [(p["title"], p["relation"]) for p in plans] == [("泰安现代水网建设规划", "revises"),
                                                           ("泰安市中小河流治理总体方案", "revises")]
    assert doc["tasks"][19]["projects"][0]["name"] == "泰安至东平高速公路"


def test_parse_several_files_gives_one_object_per_input(runner):
    files = [str(CORPUS / "02_xianan_2023.txt"), str(CORPUS / "14_xianyang_2022_trad.txt")]
    result = runner.invoke(main, ["parse", *files, "--format", "json"])
    assert result.exit_code == 0
    docs = json.loads(result.output)["documents"]
    assert [d["source"] for d in docs] == files
    assert docs[1]["tasks"][0]["responsibilities"][0]["raw"] == "市政府辦公室"


def test_parse_csv_has_one_row_per_task(runner):
    result = runner.invoke(main, ["parse", "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert len(rows) == 80
    assert rows[2]["id"] == "3" and rows[2]["lead"] == "市科技局"


def test_parse_table_is_for_people(runner):
    result = runner.invoke(main, ["parse"])
    assert result.exit_code == 0
    assert "泰政办字〔2022〕57号" in result.output and "80 tasks" in result.output and "市商务局" in result.output


@pytest.mark.parametrize("content,problem", [
    (b"", "empty file"),
    (b"\x00\x01\x02\x03\xff\xfe\xfd" * 500, "binary"),
    ("今天天气很好。我们去公园散步,然后回家吃饭。".encode(), "not a key-task document"),
])
def test_bad_input_is_one_line_and_exit_1(runner, tmp_path, content, problem):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    result = runner.invoke(main, ["parse", str(path)])
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and problem in result.output and str(path) in result.output
    assert "Traceback" not in result.output


def test_missing_path(runner, tmp_path):
    result = runner.invoke(main, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_keep_going_parses_good_files_and_still_fails(runner, tmp_path):
    (tmp_path / "bad.txt").write_bytes(b"")
    good = CORPUS / "02_xianan_2023.txt"
    (tmp_path / "good.txt").write_bytes(good.read_bytes())
    (tmp_path / "notes.json").write_text("{}")
    result = runner.invoke(main, ["parse", str(tmp_path), "--format", "json", "--keep-going"])
    assert result.exit_code == 1
    out = result.stdout
    assert len(json.loads(out)["documents"]) == 1
    assert "bad.txt: empty file" in result.stderr and "notes.json: skipped" in result.stderr


def test_unexpected_errors_have_no_traceback_without_debug(runner, monkeypatch):
    import kg.corpus

    def boom(*args, **kwargs):
        raise RuntimeError("surprise")

    monkeypatch.setattr(kg.corpus, "load_corpus", boom)
    result = runner.invoke(main, ["parse"])
    assert result.exit_code == 1 and "internal error: RuntimeError: surprise" in result.output
    assert "Traceback" not in result.output
