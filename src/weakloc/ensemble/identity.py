"""Which weakloc a process runs: its version and a hash of its source.

A sweep's numbers are only as reproducible as the code that computed them. The Dask
executor compares the client's :func:`identity` with every worker's, once when it connects
and again inside every batch (a worker that joins later is checked too), and refuses a
worker that runs another version or changed code (:class:`WorkerMismatch`).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

__all__ = ["identity", "check_identity", "WorkerMismatch"]


class WorkerMismatch(RuntimeError):
    """Raised on a worker whose weakloc differs from the client's."""


@functools.lru_cache(maxsize=1)
def identity() -> tuple[str, str]:
    """``(version, source hash)`` of the weakloc this process imported.

    The hash is BLAKE2b over the relative path and bytes of every ``.py`` file of the
    package, in sorted order: any edit to the code changes it, byte-compiled caches and
    data files do not.
    """
    import weakloc

    root = Path(weakloc.__file__).parent
    h = hashlib.blake2b(digest_size=10)
    for f in sorted(root.rglob("*.py")):
        h.update(f.relative_to(root).as_posix().encode() + b"\0")
        h.update(f.read_bytes())
    return weakloc.__version__, h.hexdigest()


def check_identity(expected) -> None:
    """Raise :class:`WorkerMismatch` unless this process runs ``expected`` (a pair from
    :func:`identity` of the client)."""
    if expected is None:
        return
    mine = identity()
    if tuple(expected) != mine:
        import socket

        raise WorkerMismatch(
            f"worker on {socket.gethostname()} runs weakloc {mine[0]} (source {mine[1]}), the "
            f"client {expected[0]} (source {expected[1]})")
