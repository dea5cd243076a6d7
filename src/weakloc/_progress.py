"""Progress bars on stderr, one rule for the whole package.

``progress=None`` (the default of every long-running function) shows a bar when stderr is a
terminal, ``True`` always, ``False`` never. Bars never go to stdout, which belongs to the
CLI's one JSON document.
"""

from __future__ import annotations

import sys

__all__ = ["show_progress", "progress_bar"]


def show_progress(progress: bool | None) -> bool:
    """Whether a bar is wanted: ``None`` means "when stderr is a terminal"."""
    return sys.stderr.isatty() if progress is None else bool(progress)


def progress_bar(progress: bool | None, iterable=None, **options):
    """A tqdm bar on stderr (disabled, at no cost, where :func:`show_progress` says no)."""
    from tqdm.auto import tqdm

    return tqdm(iterable, file=sys.stderr, disable=not show_progress(progress), **options)
