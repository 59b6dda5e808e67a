"""Writing outputs so that nothing is ever half-written.

Single files are written to a temporary file in the same folder and renamed over the target. A build
folder is assembled in a sibling temporary folder and swapped in with one atomic ``renameat2`` exchange
(Linux); where that is unavailable, two renames leave a window of a few microseconds. Concurrent writers
of the same folder are serialised by an exclusive lock on a sibling lock file.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import fcntl
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import KgError

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def atomic_write(path: str | Path, data: str | bytes) -> None:
    """Replace ``path`` with ``data`` in one rename; readers see the old or the new file, never a mix."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):  # a full disk, a folder of that name
            raise cannot_write(path, exc) from None
        raise


def cannot_write(path: Path, exc: OSError) -> KgError:
    """The one-line error for an output that cannot be written: what, why, and which path is in the way."""
    name = Path(str(exc.filename)).name if exc.filename else ""
    where = f": {exc.filename}" if name and not name.startswith(".") else ""  # not our hidden temporary files
    return KgError(f"{path}: cannot write there ({exc.strerror or exc}{where})")


def _not_a_folder(target: Path) -> KgError:
    return KgError(f"{target}: exists and is not a folder; choose another output folder")


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False when the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    libc_name = ctypes.util.find_library("c")
    if not libc_name:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    if ctypes.get_errno() in (errno.ENOSYS, errno.EINVAL, errno.EPERM):
        return False
    raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()), str(b))


@contextlib.contextmanager
def exclusive_lock(target: Path) -> Iterator[None]:
    """Hold an exclusive lock for writing ``target`` (waits for another writer to finish)."""
    lock_path = target.parent / f".{target.name}.lock"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115 - closed by the with below
    except OSError as exc:  # a file where a folder should be, no permission, a read-only disk
        raise cannot_write(target, exc) from None
    with handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextlib.contextmanager
def staged_directory(target: Path) -> Iterator[Path]:
    """Yield a fresh folder next to ``target``; on success it replaces ``target`` atomically.

    On any failure (or interruption) the staged folder is removed and ``target`` is left as it was.
    Call it with :func:`exclusive_lock` held for ``target``.
    """
    target = target.absolute()
    if target.exists() and not target.is_dir():  # found before the work, not after it
        raise _not_a_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Leftovers of a build that was killed outright (SIGKILL, power loss): the caller holds the lock, so
    # nobody is using them.
    for stale in [*target.parent.glob(f".{target.name}.build-*"), *target.parent.glob(f".{target.name}.old-*")]:
        shutil.rmtree(stale, ignore_errors=True)
    staged = Path(tempfile.mkdtemp(prefix=f".{target.name}.build-", dir=target.parent))
    try:
        yield staged
    except BaseException:
        shutil.rmtree(staged, ignore_errors=True)
        raise
    if target.exists() and not target.is_dir():
        shutil.rmtree(staged, ignore_errors=True)
        raise _not_a_folder(target)
    if not target.exists():
        os.rename(staged, target)
        return
    if _exchange(staged, target):
        shutil.rmtree(staged, ignore_errors=True)  # now holds the previous output
        return
    old = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    os.rmdir(old)
    os.rename(target, old)
    os.rename(staged, target)
    shutil.rmtree(old, ignore_errors=True)
