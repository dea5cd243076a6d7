"""Figures of the coherence analyses: the UCF autocorrelation, sigma(T), ring spectra and the
optical backscattering cone. Each function reads a result object and returns a
:class:`matplotlib.figure.Figure`; nothing here computes physics."""

from __future__ import annotations

__all__ = ["ucf_figure", "cone_fit_figure", "sigma_t_figure", "ring_figure"]


def ucf_figure(result, *, title=None):
    """Autocorrelation of delta G (dots) and the theory at the fitted L_phi (line).

    Parameters
    ----------
    result : weakloc.fitting.ucf.UCFResult
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    f0 = result.correlation[0]
    ax.plot(result.lags * 1e3, result.correlation / f0, ".", ms=3, label="data")
    if result.theory is not None:
        lp = result.l_phi
        ax.plot(result.lags * 1e3, result.theory / f0, "-", lw=1.2,
                label=rf"theory, $L_\varphi$ = {lp.value * 1e9:.0f} $\pm$ "
                      f"{lp.stderr * 1e9:.0f} nm")
    bc = result.correlation_field
    ax.axvline(bc.value * 1e3, color="0.5", lw=0.8, ls="--",
               label=rf"$B_c$ = {bc.value * 1e3:.3g} mT")
    ax.axhline(0.5, color="0.7", lw=0.6)
    ax.axhline(0.0, color="0.7", lw=0.6)
    ax.set_xlabel(r"$\Delta B$ (mT)")
    ax.set_ylabel(r"$F(\Delta B)/F(0)$")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title or f"conductance fluctuations: {result.traces} trace(s), "
                 f"{result.independent_fluctuations:.0f} independent")
    fig.tight_layout()
    return fig


def cone_fit_figure(fits, *, title=None):
    """Measured cone(s) (dots) and the fitted AWM line shape (lines), angle in mrad; a
    held k l_tr is marked, a cross channel shows its depolarization length.

    Parameters
    ----------
    fits : dict
        Channel name -> :class:`weakloc.fitting.cone.ConeResult`.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    for (name, f), col in zip(fits.items(), plt.cm.viridis(np.linspace(0, 0.8, len(fits)))):
        a = f.parameters["background"].value
        order = np.argsort(f.angles)
        ax.plot(f.angles * 1e3, f.data / a, ".", ms=3, color=col)
        kl = f.parameters["kl"]
        label = f"{name}: $kl_{{tr}}$ = {kl.value:.3g} " + (
            "(held)" if kl.fixed else f"$\\pm$ {kl.stderr:.2g}")
        if "depolarization" in f.parameters:
            label += f", $L_d$ = {f.parameters['depolarization'].value:.2g} $l_{{tr}}$"
        ax.plot(f.angles[order] * 1e3, f.best_fit[order] / a, "-", lw=1.2, color=col,
                label=label)
    ax.set_xlabel(r"$\theta$ (mrad)")
    ax.set_ylabel("intensity / background")
    ax.legend(frameon=False, fontsize=8)
    ax.set_title(title or "coherent backscattering cone")
    fig.tight_layout()
    return fig


def sigma_t_figure(result, *, title=None):
    """Zero-field and in-field conductivity against T (log axis) with the fitted laws.

    Parameters
    ----------
    result : weakloc.fitting.sigma_t.SigmaTResult
    """
    import matplotlib.pyplot as plt
    import numpy as np

    unit = {1: "S m", 2: "S", 3: "S/m"}[result.dim]
    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    o = np.argsort(result.temperature)
    ax.plot(result.temperature, result.sigma, "o", ms=3.5, label="B = 0")
    ax.plot(result.temperature[o], result.best_fit[o], "-", lw=1.2)
    if result.temperature_field is not None:
        of = np.argsort(result.temperature_field)
        ax.plot(result.temperature_field, result.sigma_field, "s", ms=3.5,
                label="in field (no WL)")
        ax.plot(result.temperature_field[of], result.best_fit_field[of], "-", lw=1.2)
    ax.set_xscale("log")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(rf"$\sigma$ ({unit})")
    ax.legend(frameon=False, fontsize=8)
    par = result.parameters
    if "a_ee" in par and result.dim == 2:
        head = rf"$A_{{ee}}$ = {par['a_ee'].value:.3g} $\pm$ {par['a_ee'].stderr:.2g}"
    else:
        head = f"{result.dim}D"
    ax.set_title(title or f"sigma(T): {head}")
    fig.tight_layout()
    return fig


def ring_figure(results, *, title=None):
    """Spectra of ring traces with the h/e and h/2e bands shaded.

    Parameters
    ----------
    results : list of (label, weakloc.fitting.rings.RingResult)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    fig, ax = plt.subplots(figsize=(5.2, 3.6))
    for (label, r), col in zip(results, plt.cm.viridis(np.linspace(0, 0.85, len(results)))):
        ax.semilogy(r.frequencies, r.power, "-", lw=0.8, color=col, label=label)
    r0 = results[0][1]
    for name, (lo, hi) in r0.bands.items():
        ax.axvspan(lo, hi, color="0.85", zorder=0)
        ax.text(0.5 * (lo + hi), ax.get_ylim()[1], name.replace("_over_", "/"), ha="center",
                va="top", fontsize=8)
    ax.set_xlim(0, 3.5 / r0.periods["h_over_e"])
    ax.set_xlabel("frequency (1/T)")
    ax.set_ylabel(r"power (S$^2$)")
    ax.legend(frameon=False, fontsize=7)
    ax.set_title(title or "ring oscillations")
    fig.tight_layout()
    return fig
