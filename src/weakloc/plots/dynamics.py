"""Figures of momentum-space CBS: n(k, t) images and contrast curves (read results only)."""

from __future__ import annotations

import numpy as np

__all__ = ["momentum_images_figure", "contrast_figure"]


def momentum_images_figure(rows: dict, times, k0=None, zoom: float | None = None):
    """Grid of ``n(k, t)`` images: one row per entry of ``rows``, one column per time.

    Parameters
    ----------
    rows : dict
        ``label -> n_k`` array of shape (times, N, N) on the FFT grid (numpy order).
    times : sequence of float
        Times of the columns (``hbar/t``), for the titles.
    k0 : sequence of 2 float, optional
        Launch momentum; ``-k0`` is marked by a circle.
    zoom : float, optional
        Half-width of the shown window in ``1/a`` (default the whole zone).
    """
    import matplotlib.pyplot as plt

    nr, nc = len(rows), len(times)
    fig, axes = plt.subplots(nr, nc, figsize=(2.3 * nc + 0.6, 2.3 * nr + 0.3), squeeze=False)
    for i, (label, n_k) in enumerate(rows.items()):
        n_k = np.asarray(n_k)
        size = n_k.shape[-1]
        ext = np.pi * (1 - 1.0 / size)
        for j, t in enumerate(times):
            ax = axes[i, j]
            img = np.fft.fftshift(n_k[j]) * size * size
            vmax = 1.5 * np.percentile(img, 95)   # the ring, not the ballistic streaks
            ax.imshow(img.T, origin="lower", extent=(-np.pi, ext, -np.pi, ext),
                      cmap="magma", vmin=0, vmax=vmax, interpolation="nearest")
            if k0 is not None:
                ax.plot([-k0[0]], [-k0[1]], "o", ms=9, mfc="none", mec="cyan", mew=0.8)
            if zoom:
                ax.set_xlim(-zoom, zoom)
                ax.set_ylim(-zoom, zoom)
            ax.set_xticks([])
            ax.set_yticks([])
            if i == 0:
                ax.set_title(f"t = {t:.3g} $\\hbar/t$", fontsize=9)
            if j == 0:
                ax.set_ylabel(label, fontsize=9)
    fig.suptitle(r"disorder-averaged $n(\mathbf{k}, t)$ ($k_x$ right, $k_y$ up; "
                 r"circle: $-\mathbf{k}_0$)", fontsize=9)
    fig.tight_layout()
    return fig


def contrast_figure(curves: dict, tau: float, expected: dict | None = None):
    """CBS contrast vs ``t/tau``; ``curves[label] = (times, contrast, stderr)``."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.4))
    for label, (t, c, s) in curves.items():
        line = ax.errorbar(np.asarray(t) / tau, c, yerr=s, marker="o", ms=3, capsize=2,
                           label=label)
        if expected and label in expected:
            ax.axhline(expected[label], color=line[0].get_color(), ls=":", lw=1)
    ax.axhline(0, color="k", lw=0.5)
    ax.set_xlabel(r"$t/\tau$ (Born)")
    ax.set_ylabel(r"CBS contrast $n(-\mathbf{k}_0)/n_{bg} - 1$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
