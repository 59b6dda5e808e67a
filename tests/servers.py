"""Real servers for the test-suite: Neo4j (Bolt), Oxigraph (SPARQL) and Chromium.

A plain helper module, not a conftest: fixtures decide scope and skipping.
Every server binds to 127.0.0.1 on a free port and keeps its data inside the
``workdir`` it is given, so parallel test sessions never collide and nothing
is left outside pytest's tmp dirs.

* Neo4j 5.26 Community runs from the tiny launcher in ``scripts/neo4j-server``
  (built with Maven on first use via ``scripts/neo4j build``; the JVM flags
  live in ``scripts/neo4j run`` only, so there is one source of truth).
* Oxigraph is the ``oxigraph`` executable from the PyPI package ``oxigraph``.
* Chromium is Debian's package (``scripts/install-system-deps``), driven by
  Playwright through ``executable_path`` — never ``playwright install``.
"""

from __future__ import annotations

import atexit
import functools
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
NEO4J_SCRIPT = REPO_ROOT / "scripts" / "neo4j"
NEO4J_LAUNCHER_DIR = REPO_ROOT / "scripts" / "neo4j-server"

#: Seconds to wait for a server to accept connections. Neo4j needs ~10 s on
#: the 2-core machines here (JVM start + creating the system database).
NEO4J_START_TIMEOUT = float(os.environ.get("NEO4J_START_TIMEOUT", "120"))
OXIGRAPH_START_TIMEOUT = 30.0
#: First use compiles the launcher and downloads ~125 MB of jars.
NEO4J_BUILD_TIMEOUT = 900.0

# Servers still running when the interpreter exits (a crashed session, a
# KeyboardInterrupt) are stopped so no JVM outlives the test run.
_live: set[_Process] = set()


def _stop_all_at_exit() -> None:
    for server in list(_live):
        try:
            server.stop(timeout=10)
        except Exception:  # noqa: BLE001 - best effort at interpreter exit
            pass


atexit.register(_stop_all_at_exit)


# --------------------------------------------------------------------------
# Ports
# --------------------------------------------------------------------------


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now.

    The OS picks it (bind to port 0), which avoids clashes between parallel
    sessions better than any fixed range. There is a small race until the
    server binds it; the servers here fail loudly if they lose it.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    """True if a TCP connect to host:port succeeds."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def wait_for_port(
    port: int,
    host: str = "127.0.0.1",
    timeout: float = 30.0,
    proc: subprocess.Popen[bytes] | None = None,
) -> None:
    """Block until host:port accepts TCP connections.

    Raises TimeoutError after ``timeout`` seconds, or RuntimeError at once if
    ``proc`` (the server process) exits first, so a crashing server does not
    cost the whole timeout.
    """
    deadline = time.monotonic() + timeout
    while True:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(
                f"server process exited with code {proc.returncode} before {host}:{port} opened"
            )
        if port_open(port, host):
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{host}:{port} did not accept connections within {timeout:.0f}s")
        time.sleep(0.1)


def _tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --------------------------------------------------------------------------
# Process base class
# --------------------------------------------------------------------------


class _Process:
    """A server child process in its own session, logging to a file."""

    name = "server"

    def __init__(self, port: int, log_path: Path) -> None:
        self.port = port
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None

    def _command(self) -> list[str]:
        raise NotImplementedError

    def _env(self) -> dict[str, str]:
        return dict(os.environ)

    def _spawn(self) -> int:
        """Start the process; returns the log offset where its output begins."""
        if self.is_running():
            raise RuntimeError(f"{self.name} is already running (pid {self.pid})")
        if port_open(self.port):
            raise RuntimeError(f"{self.name}: port {self.port} is already in use")
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            # start_new_session: a Ctrl-C in the terminal reaches pytest only;
            # the fixtures stop the servers in order.
            self.proc = subprocess.Popen(
                self._command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env=self._env(),
                start_new_session=True,
            )
        _live.add(self)
        return offset

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    def is_running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _wait_until_ready(self, ready: Callable[[], bool], timeout: float, what: str, poll: float) -> None:
        """Poll ``ready`` until it is true; on a crash or timeout kill the process and raise with its log."""
        deadline = time.monotonic() + timeout
        try:
            while True:
                assert self.proc is not None
                if self.proc.poll() is not None:
                    raise RuntimeError(f"exited with code {self.proc.returncode} during start-up")
                if ready():
                    return
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"{what} within {timeout:.0f}s")
                time.sleep(poll)
        except (RuntimeError, TimeoutError) as e:
            self.kill()
            raise RuntimeError(
                f"{self.name} failed to start: {e}\n--- {self.log_path} ---\n{_tail(self.log_path)}"
            ) from e

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (clean shutdown), then SIGKILL if still alive after ``timeout``."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=30)
        _live.discard(self)

    def kill(self) -> None:
        """SIGKILL: simulates a crash (no shutdown hook, no checkpoint)."""
        proc = self.proc
        if proc is not None and proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        _live.discard(self)

    def __enter__(self) -> _Process:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------
# Neo4j
# --------------------------------------------------------------------------


def _java_ok() -> str | None:
    java_home = os.environ.get("JAVA_HOME")
    java = os.path.join(java_home, "bin", "java") if java_home else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        return "java not found (need a JDK 17+; see scripts/install-system-deps)"
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as e:
        return f"cannot run {java}: {e}"
    text = out.stderr + out.stdout
    # e.g. 'openjdk version "17.0.15" 2025-04-15'
    try:
        major = int(text.split('"')[1].split(".")[0])
    except (IndexError, ValueError):
        return None  # unknown format: let the build/launch report problems
    if major < 17:
        return f"Java {major} found, Neo4j 5.26 needs Java 17+"
    return None


def _launcher_built() -> bool:
    target = NEO4J_LAUNCHER_DIR / "target"
    return (target / "classes" / "kg" / "neo4j" / "Server.class").is_file() and (target / "lib").is_dir()


@functools.cache
def neo4j_available() -> str | None:
    """None if a Neo4j server can be started here, else the reason why not.

    Needs bash, Java 17+ and Maven (Maven only until the launcher is built).
    Tests skip with the reason unless CI=true, where it is a failure.
    """
    if shutil.which("bash") is None:
        return "bash not found (scripts/neo4j is a bash script)"
    reason = _java_ok()
    if reason:
        return reason
    if shutil.which("mvn") is None and not _launcher_built():
        return "mvn not found and the Neo4j launcher is not built (see scripts/install-system-deps)"
    return None


_built = False


def build_neo4j_launcher() -> None:
    """Compile the launcher once per process (``scripts/neo4j build``).

    Up to date builds return in milliseconds; the first one downloads the jars.
    Done separately from start-up so the download never eats the start timeout.
    """
    global _built
    if _built:
        return
    res = subprocess.run(
        ["bash", str(NEO4J_SCRIPT), "build"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=NEO4J_BUILD_TIMEOUT,
    )
    if res.returncode != 0:
        raise RuntimeError(f"scripts/neo4j build failed (exit {res.returncode}):\n{res.stderr[-4000:]}")
    _built = True


class Neo4jServer(_Process):
    """A Neo4j 5.26 Community server with Bolt on 127.0.0.1 and auth on.

    ``home`` is Neo4j's home (databases in home/data, debug log in home/logs);
    it survives ``stop``/``kill``/``restart`` so tests can check durability.
    """

    name = "Neo4j"
    user = "neo4j"

    def __init__(self, home: Path, port: int, password: str, log_path: Path, heap: str | None = None) -> None:
        super().__init__(port, log_path)
        self.home = home
        self.password = password
        self.heap = heap
        #: Seconds the last start took until Bolt answered.
        self.startup_seconds: float | None = None

    @property
    def uri(self) -> str:
        return f"bolt://127.0.0.1:{self.port}"

    @property
    def auth(self) -> tuple[str, str]:
        return (self.user, self.password)

    def _command(self) -> list[str]:
        # `scripts/neo4j run` execs the JVM, so self.proc.pid is Java's pid and
        # signals reach Neo4j directly.
        return ["bash", str(NEO4J_SCRIPT), "run", str(self.home), str(self.port)]

    def _env(self) -> dict[str, str]:
        env = dict(os.environ)
        env["NEO4J_PASSWORD"] = self.password  # not on the command line: keeps it out of `ps`
        if self.heap:
            env["NEO4J_HEAP"] = self.heap
        return env

    def start(self, timeout: float = NEO4J_START_TIMEOUT) -> None:
        """Start on ``self.port`` with ``self.home``; returns once Bolt answers."""
        build_neo4j_launcher()
        t0 = time.monotonic()
        offset = self._spawn()
        self._wait_until_ready(lambda: self._printed_ready(offset) and port_open(self.port), timeout,
                               f"Bolt did not answer on port {self.port}", 0.2)
        self.startup_seconds = time.monotonic() - t0

    def _printed_ready(self, offset: int) -> bool:
        try:
            with open(self.log_path, "rb") as f:
                f.seek(offset)
                return any(line.startswith(b"READY") for line in f)
        except OSError:
            return False

    def restart(self, timeout: float = NEO4J_START_TIMEOUT) -> None:
        """Stop (cleanly) and start again on the same port and data dir."""
        self.stop()
        self.start(timeout=timeout)

    def __enter__(self) -> Neo4jServer:
        return self


def start_neo4j(
    workdir: Path,
    *,
    port: int | None = None,
    password: str | None = None,
    heap: str | None = None,
) -> Neo4jServer:
    """Start a fresh Neo4j with its home in ``workdir/neo4j`` and a random password.

    Reusing a ``workdir`` reuses its data (the password is reset to the new one).
    """
    workdir = Path(workdir)
    server = Neo4jServer(
        home=workdir / "neo4j",
        port=port or free_port(),
        password=password or "kg-" + secrets.token_urlsafe(18),
        log_path=workdir / "neo4j-server.log",
        heap=heap,
    )
    server.start()
    return server


# --------------------------------------------------------------------------
# Oxigraph
# --------------------------------------------------------------------------


def oxigraph_executable() -> str | None:
    """The ``oxigraph`` CLI: next to this interpreter first (the venv that
    runs the tests, whose bin/ may not be on PATH), then on PATH."""
    exe = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    candidate = Path(sys.executable).parent / exe
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return shutil.which("oxigraph")


def oxigraph_available() -> str | None:
    """None if Oxigraph's server can be started, else why not."""
    if oxigraph_executable() is None:
        return "oxigraph executable not found (pip install oxigraph)"
    return None


class OxigraphServer(_Process):
    """``oxigraph serve`` on 127.0.0.1 with an on-disk store in ``location``.

    Endpoints (Oxigraph 0.5): ``/query`` (SPARQL query, GET or POST),
    ``/update`` (SPARQL update, POST), ``/store`` (Graph Store Protocol:
    ``?graph=IRI`` or ``?default``).
    """

    name = "Oxigraph"

    def __init__(self, location: Path, port: int, log_path: Path, executable: str) -> None:
        super().__init__(port, log_path)
        self.location = location
        self.executable = executable

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def query_url(self) -> str:
        return f"{self.url}/query"

    @property
    def update_url(self) -> str:
        return f"{self.url}/update"

    @property
    def store_url(self) -> str:
        return f"{self.url}/store"

    def _command(self) -> list[str]:
        return [
            self.executable,
            "serve",
            "--location",
            str(self.location),
            "--bind",
            f"127.0.0.1:{self.port}",
        ]

    def start(self, timeout: float = OXIGRAPH_START_TIMEOUT) -> None:
        """Start and return once a SPARQL ASK answers (the port opening alone
        does not prove the store finished opening)."""
        self.location.mkdir(parents=True, exist_ok=True)
        self._spawn()

        def answers() -> bool:
            try:
                with urllib.request.urlopen(self.query_url + "?query=ASK%7B%7D", timeout=5) as r:
                    return r.status == 200
            except (urllib.error.URLError, OSError):
                return False

        self._wait_until_ready(answers, timeout, f"no SPARQL answer from {self.query_url}", 0.1)

    def restart(self, timeout: float = OXIGRAPH_START_TIMEOUT) -> None:
        """Stop and start again on the same port and store."""
        self.stop()
        self.start(timeout=timeout)

    def __enter__(self) -> OxigraphServer:
        return self


def start_oxigraph(workdir: Path, *, port: int | None = None) -> OxigraphServer:
    """Start Oxigraph with its store in ``workdir/oxigraph`` on a free port."""
    exe = oxigraph_executable()
    if exe is None:
        raise RuntimeError("oxigraph executable not found (pip install oxigraph)")
    workdir = Path(workdir)
    server = OxigraphServer(
        location=workdir / "oxigraph",
        port=port or free_port(),
        log_path=workdir / "oxigraph-server.log",
        executable=exe,
    )
    server.start()
    return server


# --------------------------------------------------------------------------
# Chromium
# --------------------------------------------------------------------------

#: Flags for Debian's Chromium driven headless, as root, in a sandbox without
#: network:
#:   --headless=new       no display here (the old headless mode is gone from
#:                        recent Chromium)
#:   --no-sandbox         required as root: Chromium refuses to start otherwise
#:   --disable-gpu        no GPU; skips the GPU process probing
#:   --disable-dev-shm-usage  containers often have a 64 MB /dev/shm; use /tmp
#:   the rest             stop Chromium calling Google (updates, sync, field
#:                        trials, QUIC probes): no network here, and tests
#:                        should not wait on it
CHROMIUM_ARGS: list[str] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    """Chromium executable: ``$CHROMIUM_PATH`` if set, else Debian's
    /usr/bin/chromium; None when neither exists."""
    env = os.environ.get("CHROMIUM_PATH")
    if env:
        return env if os.access(env, os.X_OK) else None
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(candidate, os.X_OK):
            return candidate
    return None


def chromium_available() -> str | None:
    """None if Playwright can drive a local Chromium, else why not."""
    if chromium_path() is None:
        return "chromium not found (scripts/install-system-deps installs it; or set CHROMIUM_PATH)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install playwright; no `playwright install` needed)"
    return None
