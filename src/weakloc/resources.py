"""Resource estimates before large runs: memory and a rough time from the problem size.

A request that would need more memory than the machine has free is refused up front with
the estimate in the message (:class:`~weakloc.errors.ResourceError`), instead of starting,
swapping and being killed minutes later; the command line's ``--force`` goes ahead anyway.
A run whose rough duration is over a limit (default an hour, :data:`TIME_LIMIT`) is refused
the same way (:func:`check_time`); a long but feasible run is announced on stderr with its
rough duration.
"""

from __future__ import annotations

import sys

from weakloc.errors import ResourceError

__all__ = ["available_memory", "check_memory", "check_time", "announce", "human_bytes",
           "human_seconds", "TIME_LIMIT"]

#: a run estimated to take longer than this many seconds is announced on stderr
ANNOUNCE_AFTER = 60.0
#: a run estimated to take longer than this many seconds is refused unless forced
TIME_LIMIT = 3600.0


def available_memory() -> int | None:
    """Bytes of memory this machine can still give (psutil's ``available``), or None."""
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:  # noqa: BLE001 - no estimate is better than a crash here
        return None


def human_bytes(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB", "PB"):
        if abs(n) < 1024 or unit == "PB":
            return f"{n:.3g} {unit}"
        n /= 1024
    return f"{n:.3g} PB"  # pragma: no cover


def human_seconds(s: float) -> str:
    if s < 120:
        return f"{s:.2g} s"
    if s < 7200:
        return f"{s / 60:.2g} min"
    if s < 2 * 86400:
        return f"{s / 3600:.2g} h"
    if s < 2 * 3.15e7:
        return f"{s / 86400:.2g} days"
    return f"{s / 3.15e7:.2g} years"


def check_memory(need: float, what: str, *, force: bool = False, flag: str = "force=True",
                 available: int | None = None) -> None:
    """Refuse ``what`` when it needs more than the available memory (unless ``force``).

    ``need`` is the estimate in bytes; the message gives it, what is free and ``flag`` (the
    argument that overrides, in Python; the command line says it as ``--force``).
    """
    free = available_memory() if available is None else available
    if force or free is None or need <= free:
        return
    raise ResourceError(f"{what} needs about {human_bytes(need)} of memory, more than the "
                        f"{human_bytes(free)} available; make the problem smaller, or pass "
                        f"{flag} to try anyway")


def check_time(seconds: float, what: str, *, force: bool = False, flag: str = "force=True",
               limit: float | None = None, stream=None) -> None:
    """Refuse ``what`` when its rough duration is over ``limit`` (unless ``force``);
    otherwise :func:`announce` it when it is long.

    ``seconds`` is the estimate in s (a non-finite one counts as over the limit); the
    message gives it, the limit (default :data:`TIME_LIMIT`) and ``flag`` (the argument
    that overrides, in Python; the command line says it as ``--force``). ``stream=False``
    announces nothing.
    """
    limit = TIME_LIMIT if limit is None else float(limit)
    if not force and not seconds <= limit:
        raise ResourceError(f"{what} would take roughly {human_seconds(seconds)} (a rough "
                            f"estimate from the problem size), over the limit of "
                            f"{human_seconds(limit)}; make the problem smaller, or pass "
                            f"{flag} to run it anyway")
    if stream is not False:
        announce(seconds, what, stream)


def announce(seconds: float, what: str, stream=None) -> None:
    """One line on stderr when ``what`` is estimated to take longer than a minute."""
    if seconds > ANNOUNCE_AFTER:
        print(f"weakloc: {what} will take roughly {human_seconds(seconds)} (a rough "
              "estimate from the problem size)", file=sys.stderr if stream is None else stream,
              flush=True)
