"""Figures of samples: where the sites of a lattice model sit, and which bonds join them.

Takes arrays from :meth:`weakloc.lattice.Lattice.positions` and
:meth:`weakloc.lattice.Lattice.bonds`; nothing here builds a model.
"""

from __future__ import annotations

__all__ = ["sample_figure"]


def sample_figure(positions, bonds=None, *, keep=None, title=None, unit="a"):
    """Sites (dots, coloured by slice) and bonds (lines) of a sample, seen along z.

    Parameters
    ----------
    positions : array_like, shape (slices, sites, 2 or 3)
        Site positions in lattice units; only x and y are drawn.
    bonds : array_like, shape (nb, 2), optional
        Pairs of flattened site indices (slice-major) joined by a bond.
    keep : array_like of bool, shape (slices, sites), optional
        Sites a sample shape keeps; the others and their bonds are not drawn.
    title : str, optional
    unit : str
        Length unit for the axis labels ('a' or 'a_cc').

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from matplotlib.collections import LineCollection

    pos = np.asarray(positions, dtype=float)
    flat = pos.reshape(-1, pos.shape[-1])[:, :2]
    span = np.ptp(flat, axis=0) + 1.0
    width = float(np.clip(span[0] / span[1] * 4.0, 4.0, 12.0))
    fig, ax = plt.subplots(figsize=(width, 4.0))
    kept = np.ones(flat.shape[0], bool) if keep is None else np.asarray(keep, bool).ravel()
    if bonds is not None and len(bonds):
        b = np.asarray(bonds, dtype=int)
        b = b[kept[b[:, 0]] & kept[b[:, 1]]]
        ax.add_collection(LineCollection(np.stack([flat[b[:, 0]], flat[b[:, 1]]], 1),
                                         colors="0.6", linewidths=0.6, zorder=1))
    colour = np.repeat(np.arange(pos.shape[0]) % 2, pos.shape[1])
    ax.scatter(flat[kept, 0], flat[kept, 1], c=colour[kept], cmap="coolwarm", s=8, zorder=2)
    ax.set_aspect("equal")
    ax.set_xlabel(f"x ({unit}, transport direction)")
    ax.set_ylabel(f"y ({unit})")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
