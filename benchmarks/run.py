"""Scale benchmarks: kg against a naive rdflib pipeline on synthetic corpora of 100 to 5,000 documents.

``python -m benchmarks`` generates (and caches) a corpus per size with :mod:`kg.synth`, then measures each
step in a subprocess of its own, so that the peak memory reported is that step's:

- kg: ``kg build`` as users run it (parse, model → RDF, files, the embedded store, the three HTML views),
  every named SPARQL query on
  the persisted store (in one process, so query time is told apart from start-up: the first run and the
  median of ``--repeat`` runs), ``kg query workload`` as a command, ``kg viz --focus`` and
  ``kg neo4j load`` when those commands and a server are there;
- naive (:mod:`benchmarks.naive`): kg's parser, then rdflib ``Graph.add`` per triple, Turtle, rdflib's SPARQL.

Peak memory is measured twice: the largest single process (``wait4`` rusage, which covers the worker
processes too) and the sum over the process tree, sampled every 0.2 s. The results print as Markdown tables;
``--update-readme`` writes them into README.md between the ``bench`` markers, with the machine they ran on.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "bench"
README = ROOT / "README.md"
START_MARK, END_MARK = "<!-- bench:start -->", "<!-- bench:end -->"
#: The goals of issue 7, at 1,000 documents on a 2-core machine.
GOALS = {"documents": 1000, "build_s": 15.0, "workload_s": 0.5, "rss_mb": 1536.0, "neo4j_s": 60.0, "ratio": 10.0}
#: The README's run. The naive baseline stops at 100 documents: it holds 3.2 GB there and grows linearly, so
#: at 1,000 it would not fit a 24 GB machine; larger sizes are extrapolated from it (and labelled so).
COMMAND = ("python -m benchmarks --sizes 100,1000,5000 --baseline-max 100 --naive-timeout 120 --neo4j "
           "--update-readme")
_KG = "import sys; from kg.cli import main; sys.exit(main())"  # what the `kg` console script runs


# --- measuring a child process -------------------------------------------------------------------------------


@dataclass
class Measured:
    seconds: float  # wall clock
    max_rss_mb: float  # the largest single process of the tree
    tree_rss_mb: float  # the largest sum over the tree, sampled
    returncode: int
    stdout: str = ""
    stderr: str = ""
    timeline: list[tuple[float, float]] = field(default_factory=list)  # (seconds, tree RSS in MB), sampled


def _children_map() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(entry.name))
    return children


def _tree_rss(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes (Linux /proc)."""
    children = _children_map()
    total, stack, page = 0, [pid], os.sysconf("SC_PAGE_SIZE")
    while stack:
        current = stack.pop()
        stack.extend(children.get(current, []))
        try:
            with open(f"/proc/{current}/statm", "rb") as handle:
                total += int(handle.read().split()[1]) * page
        except (OSError, IndexError, ValueError):
            pass
    return total


def measure(cmd: list[str], *, env: dict | None = None, timeout: float | None = None) -> Measured:
    """Run ``cmd``; its wall time and peak memory (single process and whole tree).

    CPU time is not reported: parser workers are forked by a forkserver, which the rusage of a wait does not
    reach, so it would undercount.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT,
                            start_new_session=True)
    out: dict[str, bytes] = {}
    done = threading.Event()
    peak = [0]

    def read(name: str, stream) -> None:
        out[name] = stream.read()

    timeline: list[tuple[float, float]] = []

    def sample() -> None:
        procfs = Path("/proc").is_dir()
        while procfs and not done.wait(0.2):
            with contextlib.suppress(Exception):
                rss = _tree_rss(proc.pid)
                peak[0] = max(peak[0], rss)
                timeline.append((round(time.perf_counter() - started, 1), round(rss / 2**20)))

    def expire() -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 9)

    threads = [threading.Thread(target=read, args=("stdout", proc.stdout)),
               threading.Thread(target=read, args=("stderr", proc.stderr)), threading.Thread(target=sample)]
    for thread in threads:
        thread.start()
    timer = threading.Timer(timeout, expire) if timeout else None
    if timer:
        timer.start()
    try:
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
    except BaseException:  # Ctrl-C or a stopped harness: the step runs in a session of its own, end it too
        expire()
        raise
    finally:
        if timer:
            timer.cancel()
        done.set()
    for thread in threads:
        thread.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    # ru_maxrss is in kilobytes on Linux; wait4 covers the child and the children it waited for.
    return Measured(seconds=seconds, max_rss_mb=usage.ru_maxrss / 1024,
                    tree_rss_mb=max(peak[0], usage.ru_maxrss * 1024) / 2**20, returncode=proc.returncode,
                    stdout=out.get("stdout", b"").decode("utf-8", "replace"),
                    stderr=out.get("stderr", b"").decode("utf-8", "replace"), timeline=timeline)


def _env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def _check(step: str, measured: Measured) -> Measured:
    if measured.returncode != 0:
        tail = "\n".join(measured.stderr.strip().splitlines()[-5:])
        raise SystemExit(f"benchmarks: {step} failed (exit {measured.returncode}):\n{tail}")
    return measured


# --- what runs in the children ---------------------------------------------------------------------------------

# `kg build` as the console script runs it, with kg.build.build wrapped to keep its phase timings.
_CHILD_BUILD = r"""
import json, sys
import kg.build as b
corpus, out, report = sys.argv[1:4]
kept = {}
original = b.build
def build(*args, **kwargs):
    result = original(*args, **kwargs)
    kept.update(documents=result.documents, tasks=result.tasks, units=result.units, triples=result.triples,
                seconds=result.seconds, timings=dict(getattr(result, "timings", {}) or {}))
    return result
b.build = build
from kg.cli import main
try:
    main(["--quiet", "build", corpus, "--out", out, "--format", "json"], standalone_mode=False)
finally:
    open(report, "w").write(json.dumps(kept))
"""

# Every named SPARQL query on the persisted store, in one process: first run and median of up to `repeat`
# runs (fewer once a query has taken 10 s in all, so large corpora finish).
_CHILD_QUERIES = r"""
import json, statistics, sys, time
from kg.named_queries import load_queries, run_sparql_store
from kg.store import open_store
folder, repeat, report = sys.argv[1], int(sys.argv[2]), sys.argv[3]
started = time.perf_counter()
store = open_store(folder)
opened = time.perf_counter() - started
queries = load_queries()
results, unit = {}, None
names = ["workload"] + sorted(n for n in queries if n != "workload")
for name in names:
    query = queries.get(name)
    if query is None or query.sparql is None:
        continue
    params = {p: unit or "" for p in query.params}
    times = []
    for _ in range(repeat):
        mark = time.perf_counter()
        columns, rows = run_sparql_store(store, query.sparql, params)
        rows = query.sort(rows) if hasattr(query, "sort") else rows  # kg sorts rows itself, as `kg query` does
        times.append(time.perf_counter() - mark)
        if sum(times) > 10:
            break
    if name == "workload" and rows:
        unit = max(rows, key=lambda row: row.get("total") or 0).get("unit_id")  # the busiest unit
    results[name] = {"first": times[0], "median": statistics.median(times), "runs": len(times), "rows": len(rows)}
open(report, "w").write(json.dumps({"open": opened, "queries": results, "unit": unit}))
"""


def _run_child(code: str, args: list[str], report: Path, step: str, timeout: float) -> tuple[Measured, dict]:
    measured = _check(step, measure([sys.executable, "-c", code, *args, str(report)], env=_env(), timeout=timeout))
    return measured, json.loads(report.read_text("utf-8"))


def _kg(args: list[str], step: str, timeout: float, check: bool = True) -> Measured:
    measured = measure([sys.executable, "-c", _KG, *args], env=_env(), timeout=timeout)
    return _check(step, measured) if check else measured


def _has_command(name: str) -> bool:
    return measure([sys.executable, "-c", _KG, name, "--help"], env=_env(), timeout=120).returncode == 0


# --- the corpus ----------------------------------------------------------------------------------------------


def corpus_folder(cache: Path, size: int, seed: int, tasks: int) -> Path:
    """The cached corpus of ``size`` documents (generated when missing or when the generator changed)."""
    import hashlib

    from kg import synth

    digest = hashlib.sha256(Path(synth.__file__).read_bytes()).hexdigest()[:10]
    folder = cache / f"corpus-n{size}-s{seed}-t{tasks}-g{synth.GENERATOR_VERSION}-{digest}"
    if (folder / ".complete").exists():
        return folder
    staging = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(staging, ignore_errors=True)
    _say(f"[{size}] generating the corpus ({size} documents, seed {seed})")
    synth.write_corpus(staging, size, seed=seed, tasks=tasks)
    (staging / ".complete").write_text("", "utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    staging.rename(folder)
    return folder


# --- one size ---------------------------------------------------------------------------------------------------


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _neo4j_enabled(requested: bool) -> bool:
    return requested or bool(os.environ.get("NEO4J_URI"))


def bench_size(size: int, args: argparse.Namespace, features: dict) -> dict:
    cache = Path(args.cache)
    corpus = corpus_folder(cache, size, args.seed, args.tasks)
    work = cache / f"run-n{size}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    out = work / "kg-out"
    row: dict = {"documents": size, "corpus_mb": round(sum(p.stat().st_size for p in corpus.iterdir()) / 2**20, 1)}

    _say(f"[{size}] kg build")
    measured, built = _run_child(_CHILD_BUILD, [str(corpus), str(out)], work / "build.json", "kg build",
                                 args.step_timeout)
    row["kg"] = {"build": _figures(measured), "build_internal_s": built.get("seconds"),
                 "timings": built.get("timings", {}), "build_rss_timeline": measured.timeline}
    row.update(tasks=built.get("tasks"), triples=built.get("triples"), units=built.get("units"))

    _say(f"[{size}] named queries on the store")
    measured, queried = _run_child(_CHILD_QUERIES, [str(out), str(args.repeat)], work / "queries.json",
                                   "queries", args.step_timeout)
    row["kg"]["queries"] = queried["queries"]
    row["kg"]["store_open_s"] = queried["open"]
    row["kg"]["queries_process"] = _figures(measured)
    unit = queried.get("unit") or ""
    row["unit"] = unit
    row["kg"]["query_command"] = _figures(_kg(["query", "workload", "--graph", str(out), "--format", "json"],
                                              "kg query workload", args.step_timeout))

    if features["viz"]:
        _say(f"[{size}] kg viz --focus {unit}")
        row["kg"]["focus_view"] = _figures(_kg(["viz", "--graph", str(out), "--focus", unit, "--out",
                                                str(work / "focus.html")], "kg viz --focus", args.step_timeout))
    if features["neo4j"]:
        _say(f"[{size}] kg neo4j load")
        _kg(["--quiet", "neo4j", "clear"], "kg neo4j clear", args.step_timeout)
        measured = _kg(["--quiet", "neo4j", "load", "--graph", str(out), "--force", "--format", "json"],
                       "kg neo4j load", args.step_timeout)
        row["kg"]["neo4j_load"] = _figures(measured)
        with contextlib.suppress(ValueError, IndexError):
            row["kg"]["neo4j_summary"] = json.loads(measured.stdout)[0]

    if size <= args.baseline_max:
        _say(f"[{size}] naive rdflib baseline (Turtle and each query stop after {args.naive_timeout:g} s)")
        measured = measure([sys.executable, "-m", "benchmarks.naive", str(corpus), str(work / "naive.ttl"), "--unit",
                            unit, "--timeout", str(args.naive_timeout)], env=_env(), timeout=args.step_timeout)
        if measured.returncode == 0:
            naive = json.loads(measured.stdout)
            naive["process"] = _figures(measured)
            row["naive"] = naive
        else:
            row["naive_failed"] = f"exit {measured.returncode}: " + " ".join(measured.stderr.split()[-30:])
            _say(f"[{size}] the naive baseline failed ({row['naive_failed']}); sizes above extrapolate from below")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return row


def _figures(measured: Measured) -> dict:
    return {"seconds": round(measured.seconds, 3), "max_rss_mb": round(measured.max_rss_mb, 1), "tree_rss_mb": round(measured.tree_rss_mb, 1)}


# --- summaries ----------------------------------------------------------------------------------------------------


def kg_end_to_end(row: dict) -> float:
    """`kg build` plus the first run of every named query: the same work the naive pipeline does."""
    kg = row["kg"]
    return kg["build"]["seconds"] + kg["store_open_s"] + sum(q["first"] for q in kg["queries"].values())


def naive_figures(row: dict) -> dict | None:
    """The naive pipeline's steps; timed-out queries count as their time limit (so totals are lower bounds)."""
    naive = row.get("naive")
    if not naive:
        return None
    queries = naive["queries"]
    timeouts = naive.get("timeouts", []) + [n for n, q in queries.items() if q.get("timeout")]
    query_s = sum(q["timeout"] if q.get("timeout") else q["first"] for q in queries.values())
    steps = naive["steps"]
    total = steps["parse"] + steps["graph"] + steps["serialise"] + query_s
    return {"parse": steps["parse"], "graph": steps["graph"], "serialise": steps["serialise"], "queries": query_s,
            # Its steps run in forks sharing its memory, so the sum over the tree would count it twice.
            "total": total, "timeouts": timeouts, "rss_mb": naive["process"]["max_rss_mb"],
            "triples": naive.get("triples")}


def compare_rows(rows: list[dict]) -> list[dict]:
    """kg against naive per size; sizes above the largest measured baseline are extrapolated linearly."""
    measured = [r for r in rows if r.get("naive")]
    out = []
    for row in rows:
        kg_total = kg_end_to_end(row)
        naive = naive_figures(row)
        extrapolated_from = None
        if naive is None and measured:
            base = max((r for r in measured if r["documents"] < row["documents"]), key=lambda r: r["documents"],
                       default=None)
            if base is None:
                continue
            scale = row["documents"] / base["documents"]
            naive = {k: (v * scale if isinstance(v, float) else v) for k, v in naive_figures(base).items()}
            naive["rss_mb"] = None  # memory does not scale linearly with the corpus; not extrapolated
            extrapolated_from = base["documents"]
        elif naive is None:
            continue
        out.append({"documents": row["documents"], "kg_s": kg_total, "naive": naive,
                    "ratio": naive["total"] / kg_total if kg_total else None, "lower_bound": bool(naive["timeouts"]),
                    "extrapolated_from": extrapolated_from})
    return out


def machine(neo4j_version: str | None) -> dict:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram_gb = None
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram_gb = round(int(line.split()[1]) / 2**20, 1)

    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "kg", "queries"], cwd=ROOT,
                           capture_output=True, text=True)
    return {
        "cpu": cpu, "cores": os.cpu_count(), "ram_gb": ram_gb, "os": platform.platform(terse=True),
        "python": platform.python_version(), "pyoxigraph": version("pyoxigraph"), "rdflib": version("rdflib"),
        "neo4j": neo4j_version, "kg": version("kg"),
        "commit": (commit.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")) or None,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d"),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else None,
    }


def _neo4j_uri() -> str:
    return os.environ.get("NEO4J_URI", "bolt://127.0.0.1:7687")  # kg's default too


def _neo4j_version() -> str | None:
    with contextlib.suppress(Exception):
        import neo4j

        auth = (os.environ.get("NEO4J_USERNAME", "neo4j"), os.environ.get("NEO4J_PASSWORD", ""))
        with neo4j.GraphDatabase.driver(_neo4j_uri(), auth=auth) as driver:
            driver.verify_connectivity()  # fails at once; execute_query would retry for half a minute
            records, _, _ = driver.execute_query("CALL dbms.components() YIELD name, versions, edition")
            return " ".join([records[0]["versions"][0], records[0]["edition"]])
    return None


# --- Markdown ---------------------------------------------------------------------------------------------------


def _s(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _t(seconds: float | None) -> str:
    """Seconds to a sensible precision: 0.012, 0.35, 4.2, 37, 1,204."""
    if seconds is None:
        return "—"
    if seconds >= 20:
        return f"{seconds:,.0f}"
    return f"{seconds:.1f}" if seconds >= 1 else f"{seconds:.2g}"


def _x(ratio: float | None) -> str:
    return "—" if ratio is None else (f"{ratio:.0f}×" if ratio >= 10 else f"{ratio:.1f}×")


def _mb(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} MB"


def markdown(results: dict) -> str:
    m = results["machine"]
    rows = results["rows"]
    lines = [
        f"Measured {m['date']} on {m['cpu']}, {m['cores']} cores, {m['ram_gb']} GB RAM ({m['os']}); Python "
        f"{m['python']}, pyoxigraph {m['pyoxigraph']}, rdflib {m['rdflib']}, Neo4j {m['neo4j'] or '— (not run)'}; "
        f"kg {m['kg']} at {m['commit']}; load average at start {m['load_average']}. Corpora: `kg synth` "
        f"(seed {results['seed']}, ~{results['tasks']} tasks per document).",
        "",
        "| documents | tasks | triples | `kg build` | parse + serialise / store / views | per document | triples/s | "
        f"peak RSS (largest process / all) | `workload` query | all {len(rows[0]['kg']['queries'])} named queries | "
        "focused view | Neo4j load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        kg = row["kg"]
        build = kg["build"]
        timings = kg.get("timings") or {}
        split = (f"{_t(timings.get('parse+serialise'))} / {_t(timings.get('store'))} / {_t(timings.get('views'))} s"
                 if timings else "—")
        queries = kg["queries"]
        lines.append(
            f"| {row['documents']:,} | {row['tasks']:,} | {row['triples']:,} | {_t(build['seconds'])} s | {split} "
            f"| {build['seconds'] / row['documents'] * 1000:.1f} ms | {row['triples'] / build['seconds']:,.0f} | "
            f"{_mb(build['max_rss_mb'])} / {_mb(build['tree_rss_mb'])} | "
            f"{_s(queries.get('workload', {}).get('median'), 3)} s | "
            f"{_t(sum(q['median'] for q in queries.values()))} s | "
            f"{_t(kg['focus_view']['seconds']) + ' s' if kg.get('focus_view') else '—'} | "
            f"{_t(kg['neo4j_load']['seconds']) + ' s' if kg.get('neo4j_load') else '—'} |")
    lines += [
        "",
        "`kg build` as a command, start-up and the three HTML views included; its split is the build's own phase "
        "timings (the store and the views are written at the same time). "
        f"Query times are medians of up to {results['repeat']} runs in one process on the persisted store "
        "(`kg query workload` as a command, start-up included, takes "
        + ", ".join(f"{_t(r['kg']['query_command']['seconds'])} s" for r in rows)
        + "). Peak RSS of the build: its largest process, and the sum over it and its parser workers.",
    ]
    comparison = results["comparison"]
    if comparison:
        lines += [
            "",
            "| documents | kg end-to-end | naive rdflib end-to-end | kg faster by | naive: parse / `Graph.add` / "
            "Turtle / queries | naive peak RSS (largest process) |",
            "|---:|---:|---:|---:|---:|---:|",
        ]
        for c in comparison:
            n = c["naive"]
            bound = "≥ " if c["lower_bound"] else ""
            note = f" (extrapolated from {c['extrapolated_from']:,})" if c["extrapolated_from"] else ""
            lines.append(
                f"| {c['documents']:,} | {_t(c['kg_s'])} s | {bound}{_t(n['total'])} s{note} | "
                f"{bound}{_x(c['ratio'])} | {_t(n['parse'])} / {_t(n['graph'])} / {_t(n['serialise'])} / "
                f"{bound}{_t(n['queries'])} s | {_mb(n['rss_mb'])} |")
        timeouts = sorted({q for c in comparison for q in c["naive"]["timeouts"]})
        lines += [
            "",
            "End-to-end: the build (kg's with its views, which the naive pipeline does not make; naive: parse, "
            "`Graph.add` per triple, Turtle) plus one run of each named query. Both parse with kg's parser in the "
            "same worker processes; sizes above the largest baseline run are extrapolated linearly from it, as "
            "marked."
            + (f" Naive steps stopped at the {results['naive_timeout']:g} s limit count as that limit ("
               + ", ".join(f"`{q}`" for q in timeouts) + "), so figures marked ≥ are lower bounds."
               if timeouts else ""),
        ]
    else:
        lines += ["", "No naive baseline in this run (`--baseline-max` is below every size)."]
    goals = goal_rows(results)
    if goals:
        lines += ["", "| goal at 1,000 documents | target | measured | met |", "|---|---:|---:|:---:|"]
        for goal in goals:
            lines.append(f"| {goal['goal']} | {goal['target']} | {goal['measured']} | {goal['met']} |")
    took = "under a minute" if results["minutes"] < 1 else f"{results['minutes']:.0f} minutes"
    lines += ["", f"Regenerate with `{COMMAND}` (this run took {took})."]
    return "\n".join(lines) + "\n"


def goal_rows(results: dict) -> list[dict]:
    row = next((r for r in results["rows"] if r["documents"] == GOALS["documents"]), None)
    if row is None:
        return []
    kg = row["kg"]
    out = []

    def add(goal: str, target: str, value: float | None, text: str, ok: bool | None) -> None:
        out.append({"goal": goal, "target": target, "measured": text if value is not None else "—",
                    "met": "—" if ok is None else ("yes" if ok else "**no**")})

    build = kg["build"]["seconds"]
    add("`kg build` of the corpus", f"≤ {GOALS['build_s']:g} s", build, f"{build:.1f} s", build <= GOALS["build_s"])
    workload = kg["queries"].get("workload", {}).get("median")
    add("`workload` query on the persisted store", f"≤ {GOALS['workload_s']:g} s", workload,
        f"{_s(workload, 3)} s", workload is not None and workload <= GOALS["workload_s"])
    rss = kg["build"]["tree_rss_mb"]
    add("peak RSS of `kg build` (all processes)", f"≤ {GOALS['rss_mb'] / 1024:g} GB", rss, _mb(rss),
        rss <= GOALS["rss_mb"])
    neo = kg.get("neo4j_load", {}).get("seconds")
    add("Neo4j load", f"≤ {GOALS['neo4j_s']:g} s", neo, f"{_s(neo, 1)} s", None if neo is None else neo <= GOALS["neo4j_s"])
    comparison = next((c for c in results["comparison"] if c["documents"] == GOALS["documents"]), None)
    if comparison:
        ratio = comparison["ratio"]
        text = ("≥ " if comparison["lower_bound"] else "") + _x(ratio) + \
            (" (naive extrapolated)" if comparison["extrapolated_from"] else "")
        add("end-to-end vs naive rdflib", f"≥ {GOALS['ratio']:g}×", ratio, text, ratio >= GOALS["ratio"])
    return out


def update_readme(path: Path, table: str) -> None:
    text = path.read_text("utf-8")
    start, end = text.find(START_MARK), text.find(END_MARK)
    if start < 0 or end < start:
        raise SystemExit(f"benchmarks: {path} has no {START_MARK} … {END_MARK} markers")
    path.write_text(text[: start + len(START_MARK)] + "\n" + table + text[end:], encoding="utf-8")


# --- the command -------------------------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(x.replace("_", "")) for x in text.split(",") if x.strip()})
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: give sizes such as 100,1000") from None
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError(f"{text!r}: sizes are positive numbers of documents")
    return sizes


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0],
                                epilog=f"The README's table: {COMMAND}")
    p.add_argument("--sizes", type=_sizes, default=[100, 1000], help="corpus sizes in documents [100,1000]")
    p.add_argument("--baseline-max", type=int, default=100,
                   help="largest size the naive baseline runs at; larger sizes extrapolate from it, labelled [100]")
    p.add_argument("--neo4j", action="store_true",
                   help="load into Neo4j (also on when NEO4J_URI is set; NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE)")
    p.add_argument("--update-readme", action="store_true", help="write the tables into README.md between the markers")
    p.add_argument("--out", help="also write all figures as JSON to this file (always: .cache/bench/results-latest.json)")
    p.add_argument("--seed", type=int, default=0, help="corpus seed [0]")
    p.add_argument("--tasks", type=int, default=80, help="mean tasks per document [80]")
    p.add_argument("--repeat", type=int, default=5, help="runs of each kg query; the median is reported [5]")
    p.add_argument("--naive-timeout", type=float, default=30.0,
                   help="seconds the naive Turtle step and each rdflib query may run; stopped, they count as "
                        "this limit, a lower bound [30]")
    p.add_argument("--step-timeout", type=float, default=1800.0, help="seconds any one step may take [1800]")
    p.add_argument("--cache", default=str(CACHE), help="where corpora and runs live [.cache/bench]")
    p.add_argument("--readme", default=str(README), help=argparse.SUPPRESS)
    p.add_argument("--render", metavar="RESULTS.json",
                   help="measure nothing: print (and with --update-readme write) the tables of a saved run")
    p.add_argument("--keep", action="store_true", help="keep the build folders and Turtle files of each run")
    return p


def summarise(results: dict) -> dict:
    results["comparison"] = compare_rows(results["rows"])
    results["goals"] = goal_rows(results)
    return results


def _write_json(results: dict, paths: list[Path]) -> None:
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    # Stopped with SIGTERM, unwind like Ctrl-C so that the running step is stopped with the harness.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.render:
        results = summarise(json.loads(Path(args.render).read_text("utf-8")))
    else:
        results = run_all(args)
    table = markdown(results)
    print(table, end="")
    if args.update_readme:
        update_readme(Path(args.readme), table)
        _say(f"benchmarks: wrote the tables into {args.readme}")
    return 0


def run_all(args: argparse.Namespace) -> dict:
    """Every size, one after the other; the figures so far are saved after each (``--out``, and the cache)."""
    started = time.perf_counter()
    neo4j = _neo4j_enabled(args.neo4j)
    features = {"viz": _has_command("viz"), "neo4j": neo4j and _has_command("neo4j")}
    if not features["viz"]:
        _say("benchmarks: `kg viz` is not available; the focused view is skipped")
    if neo4j and not features["neo4j"]:
        _say("benchmarks: `kg neo4j` is not available; the Neo4j load is skipped")
    elif not neo4j:
        _say("benchmarks: no Neo4j server (set NEO4J_URI or pass --neo4j); the Neo4j load is skipped")
    neo4j_version = _neo4j_version() if features["neo4j"] else None
    if features["neo4j"] and neo4j_version is None:
        # Found now, not after the first sizes have run for minutes.
        raise SystemExit(f"benchmarks: no Neo4j answers at {_neo4j_uri()} (with NEO4J_USERNAME/NEO4J_PASSWORD); "
                         'start one with: eval "$(scripts/neo4j start)"')
    results = {
        "machine": machine(neo4j_version),
        "seed": args.seed, "tasks": args.tasks, "naive_timeout": args.naive_timeout, "repeat": args.repeat,
        "skipped": [name for name, on in features.items() if not on],
        "rows": [],
    }
    saved = [Path(args.cache) / "results-latest.json"] + ([Path(args.out)] if args.out else [])
    for size in args.sizes:
        results["rows"].append(bench_size(size, args, features))
        results["minutes"] = (time.perf_counter() - started) / 60
        _write_json(summarise(results), saved)
    return results


if __name__ == "__main__":
    sys.exit(main())
