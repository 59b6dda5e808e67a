"""Many documents at once: finding inputs, parsing them (in parallel when it pays), merging their units.

A folder of downloaded pages holds more than documents (images, indexes, partial downloads). Files with a
document suffix are parsed; anything else in a folder is skipped with a warning; a file named explicitly
is always tried. Units are merged across documents of the same jurisdiction here, after parsing, so that
parsing stays independent per document and can run in worker processes.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import InputError, KgError
from kg.jsonio import document_from_dict
from kg.loaders import SUFFIXES
from kg.model import Document
from kg.parse import parse_path
from kg.resources import sample_path
from kg.units import UnitRegistry

#: Below this many files, parsing in worker processes costs more than it saves.
PARALLEL_THRESHOLD = 8


@dataclass
class Corpus:
    documents: list[Document] = field(default_factory=list)
    registry: UnitRegistry = field(default_factory=UnitRegistry)
    failures: list[InputError] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def adopt(self, doc: Document) -> Document:
        """Take a document parsed elsewhere; its units become this corpus' shared units."""
        merged = {}
        for task in doc.tasks:
            for resp in task.responsibilities:
                key = id(resp.unit)
                if key not in merged:
                    merged[key] = self.registry.adopt(resp.unit)
                resp.unit = merged[key]
        self.documents.append(doc)
        return doc


def collect_inputs(paths: Iterable[str | Path]) -> tuple[list[Path], list[str]]:
    """Files to parse (folders walked, sorted) and warnings about skipped files."""
    files: list[Path] = []
    skipped: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(str(path), "no such file or folder")
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not any(part.startswith(".") for part in
                                                                                    p.relative_to(path).parts))
            for p in found:
                if p.suffix.lower() in SUFFIXES:
                    files.append(p)
                else:
                    skipped.append(f"{p}: skipped, not a document file ({p.suffix or 'no suffix'})")
        else:
            files.append(path)
    return files, skipped


def _parse_one(args: tuple[str, str | None]) -> Document | InputError:
    path, jurisdiction = args
    try:
        return parse_path(path, jurisdiction=jurisdiction)
    except InputError as error:
        return error


def _executor(jobs: int, initializer: Callable | None = None, initargs: tuple = ()) -> ProcessPoolExecutor:
    # forkserver forks workers from a clean single-threaded server: forking the caller directly would copy
    # the state of threads it may run (an open Oxigraph store's background threads, for instance).
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload(["kg.build", "kg.forkserver_setup"])
    pool = ProcessPoolExecutor(jobs, mp_context=context, initializer=_start_worker,
                               initargs=(os.getpid(), initializer, initargs))
    # Start every worker at the first submit, before the pool's manager thread runs, rather than one per
    # submit while it runs: in Python 3.11–3.13 a worker dying while the main thread starts another races
    # with the manager thread (a crash of that thread, closed pipes, a forkserver left half-asked).
    if hasattr(pool, "_safe_to_dynamically_spawn_children"):
        pool._safe_to_dynamically_spawn_children = False
    return pool


def _start_worker(main_pid: int, initializer: Callable | None, initargs: tuple) -> None:
    """Runs first in every worker: ends the worker when the main process is gone, then the caller's setup.

    A main process killed outright (SIGKILL, the OOM killer) cannot stop its workers, and they would wait for
    work forever: each holds both ends of the task queue, and the forkserver waits for them.
    """
    threading.Thread(target=_exit_without, args=(main_pid,), name="kg-watch-main", daemon=True).start()
    if initializer is not None:
        initializer(*initargs)


def _exit_without(main_pid: int) -> None:
    while True:
        time.sleep(1.0)
        try:
            os.kill(main_pid, 0)
        except (ProcessLookupError, PermissionError):  # gone (or its pid reused by another user's process)
            os._exit(1)


def _workers_can_start() -> bool:
    """Whether worker processes can re-import the caller's main module, as multiprocessing makes them do.

    A script read from standard input (``python -``) names ``<stdin>`` as its file; a worker that tries to
    run it dies at once. Such callers (and notebooks whose main module cannot be found) parse in-process.
    """
    main = sys.modules.get("__main__")
    if getattr(getattr(main, "__spec__", None), "name", None):
        return True
    path = getattr(main, "__file__", None)
    return path is None or os.path.isfile(path)


def refuse_in_starting_worker() -> None:
    """Raise when kg is called while a worker process re-imports the caller's main script.

    multiprocessing starts each worker by importing the main script again; a script that calls kg at its
    top level, not under ``if __name__ == "__main__":``, runs again in every worker, where a build would
    wait forever for the lock its parent holds. The worker stops with the fix instead.
    """
    if getattr(multiprocessing.current_process(), "_inheriting", False):
        raise KgError('kg was called while a worker process was starting; put the calling script\'s top-level '
                      'code under `if __name__ == "__main__":`')


def default_jobs() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def iter_parsed(files: list[Path], *, jurisdiction: str | None = None, jobs: int | None = None,
                worker: Callable = _parse_one, initializer: Callable | None = None,
                initargs: tuple = ()) -> Iterator:
    """Results of ``worker`` for each file, in input order, in worker processes when there are many."""
    jobs = jobs or default_jobs()
    tasks = [(str(f), jurisdiction) for f in files]
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD or not _workers_can_start():
        for task in tasks:
            yield worker(task)
        return
    # An executor rather than multiprocessing.Pool: when a worker dies (killed for memory, say), a Pool
    # waits forever for its results; an executor raises.
    pool = _executor(jobs, initializer, initargs)
    try:
        yield from pool.map(worker, tasks, chunksize=max(1, min(16, len(tasks) // (jobs * 4) or 1)))
    except (BrokenProcessPool, OSError) as exc:
        if isinstance(exc, OSError) and not getattr(pool, "_broken", False):
            raise  # not the pool's: a worker's own error
        # An OSError of a broken pool: it broke while starting a worker (its pipes closed under it).
        _kill_workers(pool)
        raise KgError("a parser worker process stopped unexpectedly (out of memory? then try fewer --jobs; or a "
                      'script that calls kg outside `if __name__ == "__main__":`)') from None
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a failed build does not wait for the rest


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the workers of a broken pool, so that neither the pool nor the interpreter's exit waits for them.

    A worker still starting up when another dies can outlive the pool's own SIGTERM, and the pool's manager
    thread — joined when the interpreter exits — then waits for it forever. (Python 3.14 has
    ``ProcessPoolExecutor.kill_workers()``; before it, the processes are only reachable this way.)
    """
    processes = getattr(pool, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(Exception):
            process.kill()
    # Let the pool's manager thread finish closing its pipes now, not while the interpreter exits and
    # writes to one of them (which Python 3.11 then reports as an ignored exception, with a traceback).
    manager = getattr(pool, "_executor_manager_thread", None)
    if manager is not None:
        manager.join(timeout=10)


def load_corpus(
    paths: Iterable[str | Path] | None = None,
    *,
    jurisdiction: str | None = None,
    keep_going: bool = False,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Corpus:
    """Parse ``paths`` (the bundled sample when empty). Without ``keep_going`` the first bad file raises."""
    paths = list(paths or []) or [sample_path()]
    files, skipped = collect_inputs(paths)
    corpus = Corpus(skipped=skipped)
    if not files:
        raise KgError("no document files found in " + ", ".join(str(p) for p in paths))
    for index, result in enumerate(iter_parsed(files, jurisdiction=jurisdiction, jobs=jobs), 1):
        if isinstance(result, InputError):
            if not keep_going:
                raise result
            corpus.failures.append(result)
        else:
            corpus.adopt(result)
        if progress:
            progress(index, len(files))
    return corpus


def load_built(folder: str | Path) -> Corpus:
    """The documents of a folder written by ``kg build`` (its ``documents.json``)."""
    path = Path(folder) / "documents.json"
    if not path.exists():
        raise KgError(f"{folder}: not a kg build folder (no documents.json); run `kg build --out {folder}` first")
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise KgError(f"{path}: cannot read ({exc})") from None
    corpus = Corpus()
    for item in data.get("documents", []):
        corpus.documents.append(document_from_dict(item, corpus.registry))
    return corpus


def load_input(paths: Iterable[str | Path] = (), graph: str | Path | None = None, *, keep_going: bool = False,
               jurisdiction: str | None = None, jobs: int | None = None) -> Corpus:
    """What analysis commands read: a build folder (``graph``), documents (``paths``), ./kg-out, or the sample."""
    paths = list(paths)
    if graph is not None and paths:
        raise KgError("give either --graph DIR or document paths, not both")
    if graph is not None:
        return load_built(graph)
    if not paths and (Path("kg-out") / "documents.json").exists():
        return load_built("kg-out")
    return load_corpus(paths, keep_going=keep_going, jurisdiction=jurisdiction, jobs=jobs)
