"""Figures. Plotting reads result objects and never computes physics.

One module per capability; each function takes a result (or arrays) and returns a
:class:`matplotlib.figure.Figure`, optionally saving it.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["savefig", "check_figure_path", "FIGURE_FORMATS"]

#: File name extensions a figure can be written as (the format follows the extension).
FIGURE_FORMATS = ("png", "pdf", "svg", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp")


def _format(path) -> str:
    ext = Path(path).suffix.lower().lstrip(".")
    return ext or "png"


def check_figure_path(path, *, flag: str = "path") -> str:
    """Check, before computing, that a figure can be written to ``path``.

    The format follows the extension (none means PNG); an unknown extension or a path
    that cannot be written raises :class:`~weakloc.errors.InputError` naming ``flag``.
    Writes nothing; returns the path as a string.
    """
    from weakloc.errors import InputError
    from weakloc.io import check_writable

    fmt = _format(path)
    if fmt not in FIGURE_FORMATS:
        raise InputError(f"{flag}: unknown figure format '.{fmt}' in {str(path)!r}; end the "
                         f"file name in one of {', '.join('.' + f for f in FIGURE_FORMATS)}")
    check_writable(path, what=flag)
    return str(path)


def savefig(fig, path, dpi: int = 120) -> str:
    """Save ``fig`` to ``path`` through :func:`weakloc.io.write_bytes`, close it, and
    return the path as a string.

    The format follows the extension (PNG when there is none); an unknown extension raises
    :class:`~weakloc.errors.InputError`.
    """
    import io

    import matplotlib.pyplot as plt

    from weakloc.io import write_bytes

    try:
        check_figure_path(path, flag="figure")
        buf = io.BytesIO()
        fig.savefig(buf, format=_format(path), dpi=dpi, bbox_inches="tight")
    finally:
        plt.close(fig)
    return write_bytes(path, buf.getvalue())
