"""Figures of lattice transport: magnetoconductance of the three symmetry classes, and the
Aharonov-Bohm cylinder (h/e in single samples, h/2e in the average).

The functions take arrays computed by :mod:`weakloc.transport` and return a
:class:`matplotlib.figure.Figure`; nothing here evaluates physics.
"""

from __future__ import annotations

__all__ = ["magnetoconductance_classes_figure", "cylinder_flux_figure", "ring_field_figure"]

_COLORS = {"orthogonal": "tab:blue", "unitary": "tab:gray", "symplectic": "tab:red"}


def magnetoconductance_classes_figure(quanta, panels, *, rmt=None, title=None, xlabel=None,
                                      curves=None):
    """One panel per symmetry class: ensemble-averaged ``delta g`` against the flux.

    Parameters
    ----------
    quanta : array_like
        Flux through the sample area ``M x L`` in units of ``h/e`` (x axis).
    panels : dict
        Panel title -> ``(class_name, mean, stderr)``: ``delta g = <g(Phi) - g_ref>`` in
        units of ``e^2/h`` and its standard error, one value per flux.
    rmt : dict, optional
        Panel title -> value (``e^2/h``) drawn as a dashed line (the random-matrix limit).
    title : str, optional
        Figure title.
    xlabel : str, optional
        Label of the x axis (default: the flux through ``M x L`` in ``h/e``).
    curves : dict, optional
        Panel title -> ``(x, y, label)`` drawn dashed in black (e.g. a fitted harmonic).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.asarray(quanta, dtype=float)
    curves = curves or {}
    fig, axes = plt.subplots(1, len(panels), figsize=(3.6 * len(panels), 3.4), sharey=True,
                             squeeze=False)
    for ax, (name, (cls, mean, se)) in zip(axes[0], panels.items()):
        color = _COLORS.get(cls, "k")
        mean, se = np.asarray(mean, float), np.asarray(se, float)
        ax.fill_between(x, mean - se, mean + se, color=color, alpha=0.25, lw=0)
        ax.plot(x, mean, "o-", color=color, ms=3.5)
        ax.axhline(0, color="0.6", lw=0.6)
        if rmt and name in rmt:
            ax.axhline(rmt[name], color=color, ls="--", lw=0.8)
        if name in curves:
            cx, cy, label = curves[name]
            ax.plot(cx, cy, "--", color="k", lw=0.9, label=label)
            ax.legend(fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel(xlabel or r"flux through $M \times L$ ($h/e$)")
    axes[0][0].set_ylabel(r"$\langle g(\Phi)\rangle - \langle g(\Phi_\mathrm{ref})\rangle$"
                          r" ($e^2/h$)")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def cylinder_flux_figure(flux, singles, harmonics, stderr, *, title=None):
    """Left: single-sample ``g(Phi)``; right: the ensemble average with its h/2e harmonic.

    Parameters
    ----------
    flux : array_like
        Flux through the cylinder in units of ``h/e`` (x axis).
    singles : array_like, shape (k, len(flux))
        A few single-sample traces (units of ``e^2/h``).
    harmonics : weakloc.fitting.rings.FluxHarmonics
        The analysis of the ensemble; its ``mean`` is drawn with the standard errors
        ``stderr`` (one per flux) and, dashed, ``mean + a_2 cos(4 pi Phi)`` about the
        trace's mean (the h/2e harmonic it reports).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    x = np.asarray(flux, float)
    fig, (a, b) = plt.subplots(1, 2, figsize=(8.2, 3.4))
    for trace in np.atleast_2d(singles):
        a.plot(x, trace, "o-", ms=3)
    a.set_title("single samples: period h/e", fontsize=10)
    mean, se = np.asarray(harmonics.mean, float), np.asarray(stderr, float)
    b.fill_between(x, mean - se, mean + se, color="tab:blue", alpha=0.25, lw=0)
    b.plot(x, mean, "o-", color="tab:blue", ms=3.5, label="ensemble average")
    fine = np.linspace(x.min(), x.max(), 200)
    a2 = harmonics.average[2]
    b.plot(fine, mean.mean() + a2.value * np.cos(4 * np.pi * fine), "--", color="k",
           lw=0.9, label=f"h/2e harmonic {a2.value:+.3f} +- {a2.stderr:.3f}")
    b.set_title("average: period h/2e (Altshuler-Aronov-Spivak)", fontsize=10)
    b.legend(fontsize=8)
    if title:
        fig.suptitle(title, fontsize=10)
    a.set_ylabel(r"$g$ ($e^2/h$)")
    for ax in (a, b):
        ax.set_xlabel(r"flux through the cylinder $\Phi$ ($h/e$)")
    fig.tight_layout()
    return fig


def ring_field_figure(flux, singles, residual, stderr, ring, *, labels=None, title=None):
    """Left: single-sample ``g`` of a ring in a field; right: the ensemble average with each
    sample's smooth background removed, and the signed h/2e value at B = 0.

    Parameters
    ----------
    flux : array_like
        Flux through the ring's mean area in units of ``h/e`` (x axis).
    singles : array_like, shape (k, len(flux))
        A few single-sample traces (units of ``e^2/h``).
    residual, stderr : array_like, shape (len(flux),)
        Average of the background-subtracted traces and its standard error (``e^2/h``).
    ring : weakloc.fitting.rings.RingResult
        The ensemble analysis (in S); its ``at_zero_field`` h/2e value goes in the title.
    labels : list of str, optional
        One per single trace.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np
    from scipy import constants as sc

    x = np.asarray(flux, float)
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.4))
    singles = np.atleast_2d(singles)
    labels = labels or [None] * len(singles)
    for trace, lab in zip(singles, labels):
        a.plot(x, trace, lw=1, label=lab)
    if any(labels):
        a.legend(fontsize=7)
    a.set_ylabel(r"$g$ ($e^2/h$)")
    a.set_title("single samples: period h/e, random phase", fontsize=9)
    d, se = np.asarray(residual, float) * 1e3, np.asarray(stderr, float) * 1e3
    b.fill_between(x, d - se, d + se, alpha=0.3, lw=0)
    b.plot(x, d, lw=1)
    for k in np.arange(np.ceil(2 * x.min()), np.floor(2 * x.max()) + 1) / 2:
        b.axvline(k, color="0.8", lw=0.5, zorder=0)
    z = ring.at_zero_field["h_over_2e"]
    g0 = sc.e**2 / sc.h
    b.set_ylabel(r"$\langle g\rangle$ - background ($10^{-3}\,e^2/h$)")
    b.set_title(f"average of {ring.samples}: h/2e at B = 0 {z.value / g0 * 1e3:+.1f} +- "
                f"{z.stderr / g0 * 1e3:.1f} (1e-3 e^2/h)", fontsize=9)
    for ax in (a, b):
        ax.set_xlabel(r"flux through the mean area ($h/e$)")
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig
