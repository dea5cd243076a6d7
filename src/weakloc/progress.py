"""Progress of long runs: a bar on a terminal, a log line every few seconds otherwise.

A batch job's log or a pipe gets no bar (its carriage returns make a mess of a file) but
one line every :data:`LOG_EVERY` seconds, with the count, the rate and the time left, so
that a run that is still working can be told from one that hangs.
"""

from __future__ import annotations

import sys
import time

__all__ = ["progress_bar", "LogProgress", "LOG_EVERY"]

#: seconds between two progress lines when stderr is not a terminal
LOG_EVERY = 10.0


class LogProgress:
    """tqdm's ``update``/``close`` as plain lines on a stream, at most one per ``every`` s."""

    def __init__(self, total: int, *, desc: str = "progress", unit: str = "it",
                 initial: int = 0, every: float = LOG_EVERY, stream=None):
        self.total, self.n, self.desc, self.unit = total, initial, desc, unit
        self.every = every
        self.stream = sys.stderr if stream is None else stream
        self._start_n = initial
        self._t0 = self._last = time.monotonic()

    def update(self, n: int = 1) -> None:
        self.n += n
        now = time.monotonic()
        if now - self._last >= self.every:
            self._last = now
            self._line(now)

    def _line(self, now: float) -> None:
        rate = (self.n - self._start_n) / max(now - self._t0, 1e-9)
        left = (self.total - self.n) / rate if rate > 0 else float("inf")
        eta = f", about {left:.0f} s left" if left != float("inf") else ""
        pct = 100.0 * self.n / self.total if self.total else 100.0
        print(f"{self.desc}: {self.n}/{self.total} {self.unit}s ({pct:.0f}%), "
              f"{rate:.3g} {self.unit}/s{eta}", file=self.stream, flush=True)

    def close(self) -> None:
        if time.monotonic() - self._t0 >= self.every:
            self._line(time.monotonic())


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


def progress_bar(total: int, *, desc: str, unit: str = "it", enabled: bool = True,
                 initial: int = 0, every: float = LOG_EVERY):
    """A progress reporter with ``update(n)`` and ``close()``.

    A tqdm bar when stderr is a terminal, :class:`LogProgress` lines otherwise, nothing
    when ``enabled`` is false.
    """
    if not enabled:
        return _Silent()
    if sys.stderr.isatty():
        from tqdm import tqdm

        return tqdm(total=total, initial=initial, unit=unit, file=sys.stderr,
                    smoothing=0.05, desc=desc, dynamic_ncols=True)
    return LogProgress(total, desc=desc, unit=unit, initial=initial, every=every)
