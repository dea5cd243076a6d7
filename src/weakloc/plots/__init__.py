"""Figures. Plotting reads result objects and never computes physics.

One module per capability; each function takes a result (or arrays) and returns a
:class:`matplotlib.figure.Figure`, optionally saving it.
"""

from __future__ import annotations

__all__ = ["savefig"]


def savefig(fig, path, dpi: int = 120) -> str:
    """Save ``fig`` to ``path`` (PNG), close it, and return the path as a string."""
    import matplotlib.pyplot as plt

    fig.savefig(path, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return str(path)
