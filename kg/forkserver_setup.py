"""Imported only inside the forkserver that starts kg's parser workers (see :func:`kg.corpus._executor`).

When the main process goes away in the middle of asking the forkserver for a new worker (a build stopped
because a worker died), the forkserver's read of the request fails with EOFError or OSError and Python
prints that traceback on the terminal the user started kg from, after kg's own one-line error. The
forkserver has nothing left to do then: it exits quietly instead. Any other error is printed as usual.
"""

from __future__ import annotations

import sys


def _quiet_when_orphaned(kind, value, traceback) -> None:
    if issubclass(kind, (EOFError, OSError)):
        return
    sys.__excepthook__(kind, value, traceback)


sys.excepthook = _quiet_when_orphaned
