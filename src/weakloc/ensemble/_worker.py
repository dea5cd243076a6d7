"""Set-up of a local worker process (imports nothing heavy: it runs before numpy loads)."""

from __future__ import annotations

import os
import threading
import time

__all__: list[str] = []

_BLAS_VARS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


def init(poll_s: float = 0.5) -> None:
    """Pin BLAS to one thread (unless the user set it) and exit when the parent dies.

    One BLAS thread per worker avoids oversubscribing the cores and keeps the arithmetic
    of a task the same as in a single-threaded run. The watcher thread ends the worker
    when its parent disappears (e.g. the sweep was killed with SIGKILL), so no orphan
    keeps computing.
    """
    for var in _BLAS_VARS:
        os.environ.setdefault(var, "1")
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(poll_s)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="weakloc-parent-watch", daemon=True).start()
