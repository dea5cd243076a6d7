"""Figures of the closed-form theory: return probability, WL correction, HLN curves.

Each function takes arrays that :mod:`weakloc.theory` computed and returns a
:class:`matplotlib.figure.Figure`; nothing here evaluates physics.
"""

from __future__ import annotations

__all__ = ["return_probability_figure", "wl_correction_figure", "magnetoconductance_figure"]

_COLORS = {1: "tab:blue", 2: "tab:orange", 3: "tab:green"}


def return_probability_figure(t, curves, *, tau=None, tau_phi=None):
    """Log-log plot of the return probability density for several dimensions.

    Parameters
    ----------
    t : array_like
        Times in s.
    curves : dict
        Dimension d -> P(0, t) in m^-d; each curve is divided by its value at the first
        time so that the three dimensions share one axis.
    tau, tau_phi : float, optional
        Times (s) marked by vertical lines: the coherent window.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    t = np.asarray(t, dtype=float)
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for d, p in sorted(curves.items()):
        p = np.asarray(p, dtype=float)
        expo = {1: "-1/2", 2: "-1", 3: "-3/2"}.get(d, f"-{d}/2")
        ax.loglog(t, p / p[0], color=_COLORS.get(d), label=f"d = {d}:  $t^{{{expo}}}$")
    for x, name in ((tau, r"$\tau$"), (tau_phi, r"$\tau_\phi$")):
        if x is not None:
            ax.axvline(x, color="0.5", ls="--", lw=0.8)
            ax.text(x, ax.get_ylim()[0] * 3, name, ha="right", va="bottom", color="0.3")
    ax.set_xlabel("time t (s)")
    ax.set_ylabel(r"$P(0,t)\,/\,P(0,t_0)$")
    ax.set_title(r"Return probability $(4\pi D t)^{-d/2}$")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def wl_correction_figure(ratio, curves, labels):
    """Weak-localization correction against tau_phi/tau, one panel per dimension.

    Parameters
    ----------
    ratio : array_like
        :math:`\\tau_\\phi/\\tau` (dimensionless).
    curves : dict
        Dimension d -> correction in the unit named by ``labels[d]`` (dimensionless
        numbers), possibly a dict of symmetry class -> array.
    labels : dict
        Dimension d -> y-axis label with the unit used.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    ratio = np.asarray(ratio, dtype=float)
    dims = sorted(curves)
    fig, axes = plt.subplots(1, len(dims), figsize=(4.0 * len(dims), 3.6), squeeze=False)
    for ax, d in zip(axes[0], dims):
        series = curves[d] if isinstance(curves[d], dict) else {"orthogonal": curves[d]}
        for (name, y), ls in zip(series.items(), ("-", ":", "--")):
            ax.semilogx(ratio, np.asarray(y, dtype=float), color=_COLORS.get(d), ls=ls,
                        label=name)
        ax.axhline(0, color="0.6", lw=0.6)
        ax.set_xlabel(r"$\tau_\phi/\tau$")
        ax.set_ylabel(labels[d])
        ax.set_title(f"d = {d}")
        if len(series) > 1:
            ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig


def magnetoconductance_figure(B, curves, *, unit_label=r"$\Delta\sigma$ ($e^2/\pi h$)",
                              title=None):
    """Magnetoconductance curves against field.

    Parameters
    ----------
    B : array_like
        Field in T.
    curves : dict
        Label -> magnetoconductance, already divided by the unit named in ``unit_label``.
    unit_label : str
        y-axis label.
    title : str, optional
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    B = np.asarray(B, dtype=float)
    fig, ax = plt.subplots(figsize=(5.2, 3.8))
    for label, y in curves.items():
        ax.plot(B * 1e3, np.asarray(y, dtype=float), label=label)
    ax.axhline(0, color="0.6", lw=0.6)
    ax.set_xlabel("B (mT)")
    ax.set_ylabel(unit_label)
    if title:
        ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig
