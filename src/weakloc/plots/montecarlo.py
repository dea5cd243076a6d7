"""Figures of the Monte Carlo results (random walks, lattice recurrence, CBS cone).

Each function reads result objects of :mod:`weakloc.montecarlo` and returns a
:class:`matplotlib.figure.Figure`; nothing here computes physics beyond unit scaling.
"""

from __future__ import annotations

import numpy as np

__all__ = ["return_probability_figure", "vacf_figure", "lattice_figure", "cone_figure",
           "polarized_cone_figure"]


def _plt():
    import matplotlib.pyplot as plt

    return plt


def return_probability_figure(results, theory):
    """P(0, t) of walks in d = 1, 2, 3 against the diffusion law.

    Parameters
    ----------
    results : dict
        d -> :class:`~weakloc.montecarlo.randomwalk.WalkResult`.
    theory : dict
        d -> array of :math:`(4\\pi D t)^{-d/2}` on ``results[d].times`` (m^-d).
    """
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    for d, r in sorted(results.items()):
        tau = r.params["tau_s"] / (1 - r.params["anisotropy"])
        l_tr = r.params["speed_m_per_s"] * tau
        scale = l_tr ** d  # plot P l_tr^d (dimensionless)
        ok = r.p0 > 0
        ax.errorbar(r.times[ok] / tau, r.p0[ok] * scale, yerr=r.p0_stderr[ok] * scale,
                    fmt="o", ms=3, label=f"d = {d}: walks, slope {r.return_exponent:.3f}"
                    f" ± {r.return_exponent_stderr:.3f}")
        ax.plot(r.times / tau, theory[d] * scale, "k-", lw=0.8)
    ax.plot([], [], "k-", lw=0.8, label=r"$(4\pi D t)^{-d/2}$")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(r"$t/\tau_{\rm tr}$")
    ax.set_ylabel(r"$P(0,t)\, l_{\rm tr}^d$")
    ax.set_title("Return probability density of random walks")
    ax.legend(fontsize=7)
    return fig


def vacf_figure(results):
    """Normalized VACF of several walks with their exponential law (dict label -> result)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    for label, r in results.items():
        tau_tr = r.params["tau_s"] / (1 - r.params["anisotropy"])
        v2 = r.params["speed_m_per_s"] ** 2
        x = r.vacf_times / r.params["tau_s"]
        ax.errorbar(x[::8], r.vacf[::8] / v2, yerr=r.vacf_stderr[::8] / v2, fmt="o", ms=3,
                    label=f"{label}: D_GK/D = {r.d_green_kubo / r.d_theory:.3f}")
        ax.plot(x, np.exp(-r.vacf_times / tau_tr), "k-", lw=0.7)
    ax.set_yscale("log")
    ax.set_ylim(1e-3, 1.5)
    ax.set_xlabel(r"$t/\tau$")
    ax.set_ylabel(r"$\langle v(0)\cdot v(t)\rangle / v^2$")
    ax.set_title(r"VACF against $e^{-t(1-g)/\tau}$")
    ax.legend(fontsize=7)
    return fig


def lattice_figure(results, polya):
    """Return probability by step n for lattice walks (dict d -> LatticeReturn)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.0, 3.6))
    for d, r in sorted(results.items()):
        ax.errorbar(r.n, r.returned, yerr=r.stderr, fmt="o", ms=3, label=f"d = {d} walks")
        ax.plot(r.n, r.exact, "k-", lw=0.7)
    ax.axhline(polya, color="gray", ls="--", lw=0.8, label=f"Polya 3D: {polya:.4f}")
    ax.axhline(1.0, color="gray", ls=":", lw=0.8)
    ax.set_xscale("log")
    ax.set_xlabel("steps n")
    ax.set_ylabel("F(n): returned by step n")
    ax.set_title("Lattice recurrence (lines: exact renewal)")
    ax.legend(fontsize=7)
    return fig


def cone_figure(results):
    """CBS cone: total / background and AWM (dict label -> CBSConeResult, same incidence)."""
    plt = _plt()
    fig, (ax, bx) = plt.subplots(1, 2, figsize=(9.5, 3.8))
    for label, r in results.items():
        kl = r.params["kl"]
        x = r.angles_rad * kl
        bg = r.single + r.ladder
        total = (bg + r.crossed) / bg
        ax.plot(x, total, "o-", ms=3, label=f"{label}: E = {r.enhancement_with_single:.3f}")
        ax.plot(x, (r.ladder + r.crossed) / r.ladder, "--", lw=0.8,
                label=f"{label}: without single")
        bx.errorbar(x, r.crossed / r.crossed[np.argmin(np.abs(x))],
                    yerr=r.crossed_stderr / r.crossed[np.argmin(np.abs(x))], fmt="o", ms=3,
                    label=f"{label}: Monte Carlo")
        bx.plot(x, r.awm / r.awm[np.argmin(np.abs(x))], "k-", lw=0.8)
    bx.plot([], [], "k-", lw=0.8, label="AWM diffusion approx.")
    ax.set_xlabel(r"$k l\, \theta$")
    ax.set_ylabel("intensity / incoherent background")
    ax.set_title("Backscattering cone")
    ax.legend(fontsize=7)
    bx.set_xlabel(r"$k l\, \theta$")
    bx.set_ylabel(r"crossed$(\theta)$ / crossed$(0)$")
    bx.set_title("Line shape vs Akkermans-Wolf-Maynard")
    bx.legend(fontsize=7)
    fig.tight_layout()
    return fig


def polarized_cone_figure(result):
    """Polarized CBS: total / background per channel (a PolarizedCBSResult)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(5.6, 4.0))
    x = result.angles_rad * result.params["kl"]
    for c, name in enumerate(result.channels):
        bg = result.single[c] + result.ladder[c]
        err = result.enhancement_stderr[name]
        ax.plot(x, (bg + result.crossed[c]) / bg, "o-", ms=3,
                label=f"{name.replace('_', ' ')}: E = "
                      f"{result.enhancement_with_single[name]:.3f} ± {err:.3f}")
    ax.axhline(2.0, color="k", lw=0.6, ls=":")
    ax.set_xlabel(r"$k l\, \theta$ (detector in the plane of the incident polarization)")
    ax.set_ylabel("intensity / incoherent background")
    ax.set_title("CBS of polarized light, point dipoles")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
