"""Figures of samples: where the sites of a lattice model sit, and which bonds join them.

Takes arrays from :meth:`weakloc.lattice.Lattice.positions` and
:meth:`weakloc.lattice.Lattice.bonds`; nothing here builds a model.
"""

from __future__ import annotations

__all__ = ["sample_figure", "models_figure"]


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


def models_figure(energies, ribbons, quanta, g_single, g_mean, freq, power_single,
                  power_mean):
    """Three panels: clean ribbon conductances, ring g(Phi), and the ring's h/e spectrum.

    Parameters
    ----------
    energies : array_like
        Energies (units of t) of the ribbon curves.
    ribbons : dict
        Label -> conductances (e^2/h) at ``energies``.
    quanta : array_like
        Flux through the ring (mean radius) in units of h/e.
    g_single : ndarray, shape (k, nq)
        Conductances (e^2/h) of a few single realizations.
    g_mean : ndarray, shape (nq,)
        Ensemble mean.
    freq, power_single, power_mean : array_like
        Frequencies (per h/e) and power spectra of single realizations (averaged) and of
        the ensemble mean.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(1, 3, figsize=(12.5, 3.6))
    for label, g in ribbons.items():
        ax[0].plot(energies, g, lw=1.2, label=label)
    ax[0].set_xlabel("E (t)")
    ax[0].set_ylabel(r"clean $g$ ($e^2/h$)")
    ax[0].legend(fontsize=8)
    ax[0].set_title("graphene ribbons", fontsize=10)
    for k, g in enumerate(np.atleast_2d(g_single)):
        ax[1].plot(quanta, g, lw=0.9, alpha=0.8, label="single realizations" if k == 0 else None)
    ax[1].plot(quanta, g_mean, "k", lw=1.6, label="ensemble mean")
    ax[1].set_xlabel(r"flux through the ring ($h/e$)")
    ax[1].set_ylabel(r"$g$ ($e^2/h$)")
    ax[1].legend(fontsize=8)
    ax[1].set_title("Aharonov-Bohm ring", fontsize=10)
    ax[2].semilogy(freq, power_single, "o-", ms=3, label="single realizations (mean power)")
    ax[2].semilogy(freq, power_mean, "s-", ms=3, label="power of the ensemble mean")
    for f0 in (1, 2):
        ax[2].axvline(f0, color="0.6", ls="--", lw=0.8)
    ax[2].set_xlabel(r"frequency (per $h/e$; dashed: $h/e$, $h/2e$)")
    ax[2].set_ylabel("power")
    ax[2].legend(fontsize=8)
    fig.tight_layout()
    return fig
