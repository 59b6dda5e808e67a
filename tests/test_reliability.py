"""Bad input, interrupted builds and hostile text: never a traceback, never half an output, never code."""

from __future__ import annotations

import codecs
import contextlib
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner

from kg.build import build, read_manifest
from kg.cli import main
from kg.corpus import PARALLEL_THRESHOLD
from kg.errors import InputError

SAMPLE = (Path(__file__).parent / "corpus" / "taian_2023_green_lowcarbon.txt").read_text("utf-8")


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env)


def one_line_error(result, *fragments: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


@pytest.mark.parametrize("name,data,problem", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b"\n \n\t\n", "empty file"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64, "binary"),
    ("random.html", os.urandom(20000), "binary"),
    ("prose.txt", "今天是个好日子,我们一起去公园。".encode(), "not a key-task document"),
    ("broken.docx", b"PK\x03\x04garbage", "not a valid .docx"),
    ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\n", "not a readable PDF"),
    ("notice.txt", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "old Word .doc"),
])
def test_broken_inputs_give_one_line_and_exit_1(tmp_path, name, data, problem):
    path = tmp_path / name
    path.write_bytes(data)
    one_line_error(run("parse", str(path)), str(path), problem)
    one_line_error(run("build", str(path), "--out", str(tmp_path / "out")), str(path), problem)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [
    ["build", "--out", "{file}"],
    ["build", "--out", "{file}/out"],
    ["viz", "--out", "{file}/view.html"],
    ["export", "--format", "nt", "--out", "{file}/graph.nt"],
])
def test_an_output_that_cannot_be_written_is_one_line(tmp_path, command):
    blocker = tmp_path / "taken"
    blocker.write_text("not a folder")
    args = [part.replace("{file}", str(blocker)) for part in command]
    one_line_error(run(*args), "cannot write there" if args[-1] != str(blocker) else "is not a folder")
    assert blocker.read_text() == "not a folder"


def test_missing_path(tmp_path):
    one_line_error(run("build", str(tmp_path / "nowhere.txt"), "--out", str(tmp_path / "o")), "no such file")


ENCODINGS = {
    "gb18030": lambda t: t.encode("gb18030"),
    "utf-16-bom": lambda t: t.encode("utf-16"),
    "utf-16-le": lambda t: t.encode("utf-16-le"),
    "utf-16-be": lambda t: t.encode("utf-16-be"),
    "utf-8-bom": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_reencoded_sample_through_the_cli(tmp_path, encoding):
    path = tmp_path / f"sample-{encoding}.txt"
    path.write_bytes(ENCODINGS[encoding](SAMPLE))
    result = run("parse", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["documents"][0]["tasks"]) == 80


def test_sample_wrapped_in_a_page_with_chrome(tmp_path):
    page = ("<html><head><meta charset='utf-8'><script src='https://cdn.example/x.js'></script>"
            "<style>body{}</style></head><body><nav>首页 | 信息公开 | 1.导航(责任单位:假局牵头负责)</nav>"
            f"<div class='content'><pre>{SAMPLE}</pre></div><footer>网站标识码 3709000001</footer></body></html>")
    path = tmp_path / "page.html"
    path.write_text(page, "utf-8")
    result = run("parse", str(path), "--format", "json")
    tasks = json.loads(result.stdout)["documents"][0]["tasks"]
    assert len(tasks) == 80 and "假局" not in result.stdout


def test_truncated_document_parses_what_is_there(tmp_path):
    cut = SAMPLE.index("40.实施城市风貌提升行动") + 30
    path = tmp_path / "truncated.txt"
    path.write_text(SAMPLE[:cut], "utf-8")
    result = run("parse", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    tasks = json.loads(result.stdout)["documents"][0]["tasks"]
    assert [t["id"] for t in tasks][-2:] == ["39", "40"]
    assert tasks[-1]["responsibilities"] == []  # its clause was cut off


def test_oversized_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.write(SAMPLE.encode("utf-8"))
        handle.truncate(50 * 1024 * 1024)
    started = time.monotonic()
    one_line_error(run("parse", str(path)), str(path), "too large", "KG_MAX_INPUT_MB")
    assert time.monotonic() - started < 10


def test_folder_of_mixed_files(tmp_path):
    folder = tmp_path / "downloads"
    (folder / "sub").mkdir(parents=True)
    (folder / "good.txt").write_text(SAMPLE, "utf-8")
    (folder / "sub" / "other.htm").write_text(f"<html><body><p>{SAMPLE}</p></body></html>", "utf-8")
    (folder / "bad.txt").write_bytes(b"")
    (folder / "logo.png").write_bytes(b"\x89PNG\r\n")
    (folder / "notes.json").write_text("{}")
    result = run("build", str(folder), "--out", str(tmp_path / "out"), "--keep-going", "--no-views")
    assert result.exit_code == 1
    assert "bad.txt: empty file" in result.stderr
    assert "logo.png: skipped" in result.stderr and "notes.json: skipped" in result.stderr
    manifest = read_manifest(tmp_path / "out")
    assert len(manifest["documents"]) == 1  # the HTML copy is the same document as good.txt
    assert "other.htm: same document as" in result.stderr
    without = run("build", str(folder), "--out", str(tmp_path / "out2"))
    assert without.exit_code == 1 and not (tmp_path / "out2").exists()


def _renumbered_samples(folder: Path, count: int) -> Path:
    """``count`` copies of the sample under other 发文字号, so that they are distinct documents: d000.txt, …"""
    folder.mkdir()
    for i in range(count):
        (folder / f"d{i:03}.txt").write_text(SAMPLE.replace("57号", f"{100 + i}号"), "utf-8")
    return folder


def test_a_bad_file_among_many_is_reported_by_the_parser_workers(tmp_path):
    # Enough files for the worker processes: their errors travel back pickled (a hang once).
    folder = _renumbered_samples(tmp_path / "many", PARALLEL_THRESHOLD + 2)
    (folder / "d005.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    command = [sys.executable, "-m", "kg", "build", str(folder), "--jobs", "2", "--no-views"]
    kept = subprocess.run([*command, "--out", str(tmp_path / "kept"), "--keep-going"], capture_output=True,
                          text=True, timeout=300)
    assert kept.returncode == 1, kept.stderr
    assert "d005.txt: binary" in kept.stderr and "Traceback" not in kept.stderr
    assert len(read_manifest(tmp_path / "kept")["documents"]) == PARALLEL_THRESHOLD + 1
    stopped = subprocess.run([*command, "--out", str(tmp_path / "stopped")], capture_output=True, text=True,
                             timeout=300)
    assert stopped.returncode == 1 and "Traceback" not in stopped.stderr
    errors = [line for line in stopped.stderr.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and "d005.txt: binary" in errors[0], stopped.stderr
    assert not (tmp_path / "stopped").exists()


def test_a_script_read_from_stdin_can_build_many_documents(tmp_path):
    # Worker processes re-import the caller's main module; `python -` has none on disk (they died at once).
    folder = _renumbered_samples(tmp_path / "many", PARALLEL_THRESHOLD + 1)
    script = (f"from kg.build import build\nr = build([{str(folder)!r}], {str(tmp_path / 'out')!r}, views=False)\n"
              "print(r.documents, r.tasks)\n")
    done = subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(PARALLEL_THRESHOLD + 1), str(80 * (PARALLEL_THRESHOLD + 1))]



def test_a_script_without_a_main_guard_gets_an_error_not_a_hang(tmp_path):
    # Each worker re-imports the script and builds again; that build waited forever for its parent's lock.
    folder = _renumbered_samples(tmp_path / "many", PARALLEL_THRESHOLD + 1)
    script = tmp_path / "unguarded.py"
    script.write_text(f"from kg.build import build\nbuild([{str(folder)!r}], {str(tmp_path / 'out')!r}, "
                      "views=False)\n", "utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120)
    assert done.returncode != 0
    assert 'if __name__ == "__main__":' in done.stderr
    assert not (tmp_path / "out").exists()

def test_a_reader_that_goes_away_ends_kg_quietly():
    # `kg parse | head`: the pipe closes while kg is still writing (the sample's JSON is larger than a pipe).
    process = subprocess.Popen([sys.executable, "-m", "kg", "parse", "--format", "json"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=60) == 141
    assert stderr == ""


def test_input_errors_survive_pickling():
    error = pickle.loads(pickle.dumps(InputError("a.txt", "empty file")))
    assert (error.source, error.problem, str(error)) == ("a.txt", "empty file", "a.txt: empty file")


def _children(pid: int) -> list[int]:
    return [int(c) for task in Path(f"/proc/{pid}/task").iterdir() for c in (task / "children").read_text().split()]


def _descendants(pid: int) -> list[int]:
    children = _children(pid)
    return children + [d for c in children for d in _descendants(c)]


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_killed_build_leaves_the_previous_output_and_is_cleaned_up(tmp_path):
    out = tmp_path / "out"
    build([], out, views=False)
    before = (out / "graph.ttl").read_bytes()
    corpus = _renumbered_samples(tmp_path / "corpus", 150)
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out),
                                "--no-views", "--jobs", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    # Kill it once the forkserver and both parser workers exist: polled, not slept for, since a fixed
    # pause either misses the parsing on a fast machine or comes too early on a loaded one.
    deadline = time.monotonic() + 60
    helpers: list[int] = []
    while len(helpers) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
        with contextlib.suppress(OSError):  # a process may end between reading its parent and its children
            helpers = _descendants(process.pid)
    assert list(tmp_path.glob(".out.build-*")), "the build had not started writing when it was killed"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert (out / "graph.ttl").read_bytes() == before
    assert len(helpers) >= 3, "the build had finished parsing before it was killed"
    deadline = time.monotonic() + 15
    while any(map(_alive, helpers)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(map(_alive, helpers)), "parser workers outlived the build they worked for"
    build([], out, views=False)
    assert not list(tmp_path.glob(".out.build-*"))


def _kill_a_worker_of_a_build(tmp_path, corpus, poll: float) -> tuple[int, str]:
    out = tmp_path / "out"
    process = subprocess.Popen([sys.executable, "-m", "kg", "build", str(corpus), "--out", str(out),
                                "--no-views", "--jobs", "2"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    deadline = time.monotonic() + 60
    workers: list[int] = []
    while not workers and time.monotonic() < deadline:
        time.sleep(poll)
        with contextlib.suppress(OSError):  # the workers are the forkserver's children, main's grandchildren
            workers = [worker for child in _children(process.pid) for worker in _children(child)]
    os.kill(workers[0], signal.SIGKILL)
    try:
        _, stderr = process.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        for child in _children(process.pid):
            for pid in [*_children(child), child]:
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
        process.kill()
        process.communicate()
        pytest.fail("the build hung after one of its parser workers was killed")
    assert not out.exists()
    return process.returncode, stderr


def test_a_parser_worker_killed_mid_build_gives_an_error_not_a_hang(tmp_path):
    returncode, stderr = _kill_a_worker_of_a_build(tmp_path, _renumbered_samples(tmp_path / "corpus", 300), 0.05)
    assert returncode == 1, stderr
    assert stderr.strip().splitlines()[-1].startswith("Error: a parser worker process stopped unexpectedly")
    assert "Traceback" not in stderr


def test_a_parser_worker_killed_while_the_other_starts_gives_an_error_not_a_hang(tmp_path):
    """Killed as soon as it appears, while the other worker is still starting: that one then outlived the
    pool's SIGTERM and the build hung at exit, about one time in ten; five tries catch that more often than not."""
    corpus = _renumbered_samples(tmp_path / "corpus", 300)
    for _ in range(5):
        returncode, stderr = _kill_a_worker_of_a_build(tmp_path, corpus, 0.002)
        assert returncode == 1, stderr
        assert stderr.strip().splitlines()[-1].startswith("Error: "), stderr


HOSTILE = """某市2024年重点工作任务
一、测试
1.推进“'$x\\\\}”工作。(牵头单位:市"测试"}局;配合单位:市\\'$x\\\\局)
2.加强<script>alert(1)</script>治理。(牵头单位:市<iframe>alert(1)<iframe>局)
3.落实《MATCH (n) DETACH DELETE n》。(责任单位:市}WHERE{?s?p?o}UNION{局牵头负责)
"""


def test_hostile_names_survive_verbatim_through_the_graph(tmp_path):
    path = tmp_path / "hostile.txt"
    path.write_text(HOSTILE, "utf-8")
    result = build([path], tmp_path / "out", views=False)
    assert result.tasks == 3
    graph = rdflib.Graph().parse(tmp_path / "out" / "graph.ttl", format="turtle")
    names = {str(o) for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/2004/02/skos/core#prefLabel"))}
    hostile = {'市"测试"}局', "市\\'$x\\\\局", "市<iframe>alert(1)<iframe>局", "市}WHERE{?s?p?o}UNION{局"}
    assert hostile <= names
    rows = json.loads(run("query", "workload", "--graph", str(tmp_path / "out"), "--format", "json").stdout)
    assert {r["unit"] for r in rows} == hostile
    tasks = json.loads(run("query", "unit-tasks", "--graph", str(tmp_path / "out"), "--param",
                           "unit=市}WHERE{?s?p?o}UNION{局", "--format", "json").stdout)
    assert [t["task_id"] for t in tasks] == ["3"]
    plans = json.loads(run("query", "plans", "--graph", str(tmp_path / "out"), "--format", "json").stdout)
    assert plans[0]["plan"] == "MATCH (n) DETACH DELETE n"


def test_secrets_never_in_help_or_errors(tmp_path):
    env = {"NEO4J_PASSWORD": "pw-Zq81", "KG_SPARQL_PASSWORD": "pw-Xy72"}
    for args in (["--help"], ["query", "--help"], ["publish", "sparql", "--help"], ["neo4j", "load", "--help"]):
        result = run(*args, env=env)
        assert "pw-Zq81" not in result.output and "pw-Xy72" not in result.output
    failed = run("query", "workload", "--backend", "neo4j", "--neo4j-uri", "bolt://127.0.0.1:9", env=env)
    assert failed.exit_code == 1 and "pw-Zq81" not in failed.output
