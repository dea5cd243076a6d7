"""Progress of long runs, one rule for the whole package.

``progress=None`` (the default of every long-running function) and ``True`` report progress
on stderr: a tqdm bar when stderr is a terminal, otherwise (a batch job's log, a pipe) one
plain line every :data:`LOG_EVERY` seconds with the count, the rate and the time left, so
that a run that is still working can be told from one that hangs (a carriage-return bar
would make a mess of a log file). ``False`` reports nothing. Progress never goes to stdout,
which belongs to the CLI's one JSON document.
"""

from __future__ import annotations

import sys
import time

__all__ = ["progress_bar", "show_progress", "LogProgress", "LOG_EVERY"]

#: seconds between two progress lines when stderr is not a terminal
LOG_EVERY = 10.0


def show_progress(progress: bool | None) -> bool:
    """Whether any progress is reported: everything but ``False``."""
    return progress is not False


class LogProgress:
    """tqdm's ``update``/``close`` (and iteration) as plain lines, at most one per ``every`` s."""

    def __init__(self, iterable=None, *, total: int | None = None, desc: str = "progress",
                 unit: str = "it", initial: int = 0, every: float = LOG_EVERY, stream=None):
        if total is None and iterable is not None and hasattr(iterable, "__len__"):
            total = len(iterable)
        self.iterable = iterable
        self.total, self.n, self.desc, self.unit = total, initial, desc, unit
        self.every = every
        self.stream = sys.stderr if stream is None else stream
        self._start_n = initial
        self._postfix = ""
        self._t0 = self._last = time.monotonic()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def set_postfix(self, **values) -> None:
        """Extra ``name=value`` text at the end of the next lines (tqdm's ``set_postfix``)."""
        self._postfix = ", ".join(f"{k}={v}" for k, v in values.items())

    def __iter__(self):
        for item in self.iterable:
            yield item
            self.update(1)
        self.close()

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._line(now)

    def _line(self, now: float) -> None:
        rate = (self.n - self._start_n) / max(now - self._t0, 1e-9)
        if self.total:
            left = (self.total - self.n) / rate if rate > 0 else float("inf")
            eta = f", about {left:.0f} s left" if left != float("inf") else ""
            done = f"{self.n}/{self.total} {self.unit}s ({100.0 * self.n / self.total:.0f}%)"
        else:
            eta, done = "", f"{self.n} {self.unit}s"
        extra = f" ({self._postfix})" if self._postfix else ""
        print(f"{self.desc}: {done}, {rate:.3g} {self.unit}/s{eta}{extra}", file=self.stream,
              flush=True)

    def close(self) -> None:
        if time.monotonic() - self._t0 >= self.every:
            self._line(time.monotonic())


class _Silent:
    def __init__(self, iterable=None):
        self.iterable = iterable
        self.n = 0

    def __iter__(self):
        return iter(self.iterable)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def update(self, n: int = 1) -> None:
        self.n += n

    def set_postfix(self, **values) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(progress: bool | None, iterable=None, *, total: int | None = None,
                 desc: str = "progress", unit: str = "it", initial: int = 0,
                 every: float = LOG_EVERY, **tqdm_options):
    """A progress reporter with ``update(n)``, ``close()`` and iteration over ``iterable``.

    A tqdm bar when stderr is a terminal, :class:`LogProgress` lines otherwise, nothing when
    ``progress`` is ``False`` (see the module docstring).
    """
    if not show_progress(progress):
        return _Silent(iterable)
    if sys.stderr.isatty():
        from tqdm.auto import tqdm

        return tqdm(iterable, total=total, initial=initial, unit=unit, desc=desc,
                    file=sys.stderr, dynamic_ncols=True, **tqdm_options)
    return LogProgress(iterable, total=total, desc=desc, unit=unit, initial=initial,
                       every=every)
