"""Figures of the real-space Kubo method: sigma(t) against ln t, D(t), the density of states
in a field (read results only)."""

from __future__ import annotations

import numpy as np

__all__ = ["conductivity_figure", "landau_level_figure"]


def conductivity_figure(results: dict, slopes: dict | None = None):
    """``sigma(E, t)`` on a log time axis (left) and ``D(t)/D_0`` against ``t/tau`` (right).

    Parameters
    ----------
    results : dict
        ``label -> KuboResult``; the grid curves (mean over units) are drawn.
    slopes : dict, optional
        ``label -> (slope, t_anchor)``: a dashed line of that slope (``e^2/h`` per
        ``ln t``) through the curve at ``t_anchor``.
    """
    import matplotlib.pyplot as plt

    fig, (ax, bx) = plt.subplots(1, 2, figsize=(10, 4))
    for label, res in results.items():
        t = res.grid
        sig = res.grid_conductivity.mean(axis=0)
        (line,) = ax.semilogx(t, sig, label=label)
        if slopes and label in slopes:
            s, t0 = slopes[label]
            s0 = np.interp(np.log(t0), np.log(t), sig)
            tt = np.geomspace(t0 / 3, t[-1], 20)
            ax.semilogx(tt, s0 + s * np.log(tt / t0), "--", color=line.get_color(), lw=1)
        d0, tau = res.crossover.get("drude_diffusion"), res.crossover.get("tau")
        if d0 and tau:
            dd = sig / (2 * np.pi * res.dos)              # D(t) = sigma/(e^2 rho)
            bx.semilogx(t / tau, dd / d0, color=line.get_color(), label=label)
    x = np.geomspace(0.05, 20, 100)
    bx.semilogx(x, 1 - np.exp(-x), "k:", lw=1, label="Boltzmann 1 - exp(-t/tau)")
    ax.set_xlabel("t (hbar/t)")
    ax.set_ylabel("sigma(E, t) (e^2/h)")
    ax.set_title("Kubo conductivity with coherence cut at t (dashed: one-loop slopes)")
    ax.legend(fontsize=8)
    bx.set_xlim(0.05, 20)
    bx.set_xlabel("t / tau")
    bx.set_ylabel("D(t) / D_0")
    bx.set_title("ballistic to diffusive crossover")
    bx.legend(fontsize=8)
    fig.tight_layout()
    return fig


def landau_level_figure(field, clean, levels, reference=None, title: str = ""):
    """KPM density of states in a field against the zero-field one, Landau levels marked.

    Parameters
    ----------
    field, clean : KPMDensity
        ``rho(E)`` (``1/(t a^2)``) with and without the field.
    levels : array_like
        Predicted level energies ``E_n >= 0`` (``t``); drawn at ``+-E_n``.
    reference : (ndarray, ndarray), optional
        ``(E, rho)`` of a closed form for the zero-field curve.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4))
    ax.plot(field["energy"], field["value"], label="KPM, in the field")
    ax.plot(clean["energy"], clean["value"], label="KPM, zero field")
    if reference is not None:
        ax.plot(reference[0], reference[1], "k:", lw=1, label="closed form, zero field")
    for k, en in enumerate(np.asarray(levels, dtype=float)):
        for e in {en, -en}:
            ax.axvline(e, color="0.6", lw=0.8, ls="--",
                       label="sqrt(2n) hbar v_F / l_B" if k == 0 else None)
    ax.set_xlabel("E (t)")
    ax.set_ylabel("rho(E) (1/(t a^2))")
    ax.set_title(title or "Landau levels in the KPM density of states")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
