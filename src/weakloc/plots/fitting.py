"""Figures of magnetoconductance fits: data and model with residuals; L_phi(T) on log axes.

Each function reads :class:`weakloc.fitting.results.FitResult` objects (or the dephasing
dictionary of :func:`weakloc.fitting.temperature.fit_power_law`) and returns a
:class:`matplotlib.figure.Figure`; nothing here computes physics.
"""

from __future__ import annotations

__all__ = ["fit_figure", "l_phi_temperature_figure"]



def fit_figure(results, *, title=None, in_g0=True):
    """Data and model of one or several fits (top) and their residuals (bottom).

    Parameters
    ----------
    results : FitResult or list of FitResult
        Fits to draw (one colour each, labelled by temperature when known).
    title : str, optional
        Figure title.
    in_g0 : bool
        Plot 2D sheet conductances in units of ``G0 = e^2/(pi h)`` (default).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from weakloc.units import G0

    if not isinstance(results, (list, tuple)):
        results = [results]
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(5.6, 5.2), sharex=True,
                                  gridspec_kw={"height_ratios": [3, 1]})
    colors = plt.cm.viridis(np.linspace(0.0, 0.9, len(results)))
    for r, col in zip(results, colors):
        scale, unit = (G0, r"$e^2/\pi h$") if (in_g0 and r.unit == "S") else (1.0, r.unit)
        label = f"T = {r.temperature:g} K" if r.temperature is not None else r.model
        ax.plot(r.field * 1e3, r.data / scale, ".", ms=2.5, color=col, alpha=0.6)
        ax.plot(r.field * 1e3, r.best_fit / scale, "-", lw=1.2, color=col, label=label)
        axr.plot(r.field * 1e3, r.residual / scale, ".", ms=2, color=col)
    ax.set_ylabel(rf"$\Delta\sigma$ ({unit})")
    axr.set_ylabel("residual")
    axr.set_xlabel("B (mT)")
    axr.axhline(0, color="0.5", lw=0.7)
    ax.legend(frameon=False, fontsize=8, ncol=2)
    ax.set_title(title or f"fit: {results[0].model}")
    fig.tight_layout()
    return fig


def l_phi_temperature_figure(temperatures, l_phi, l_phi_stderr, dephasing=None, *,
                             truth=None):
    """``L_phi(T)`` with error bars on log-log axes, and the fitted power law.

    Parameters
    ----------
    temperatures : array_like
        Temperatures in K.
    l_phi, l_phi_stderr : array_like
        Fitted phase-coherence lengths and errors in m.
    dephasing : dict, optional
        Output of :func:`weakloc.fitting.temperature.fit_power_law`.
    truth : (array_like, array_like), optional
        ``(T, L_phi)`` of the true curve for synthetic data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt
    import numpy as np

    T = np.asarray(temperatures, dtype=float)
    L = np.asarray(l_phi, dtype=float)
    sL = np.asarray(l_phi_stderr, dtype=float)
    fig, ax = plt.subplots(figsize=(5.0, 3.8))
    ax.errorbar(T, L * 1e9, yerr=sL * 1e9, fmt="o", ms=4, capsize=2, label="fits")
    Tg = np.geomspace(T.min() / 1.3, T.max() * 1.3, 100)
    if truth is not None:
        ax.plot(np.asarray(truth[0]), np.asarray(truth[1]) * 1e9, ":", color="0.3",
                label="true")
    if dephasing:
        A, p = dephasing["prefactor"], dephasing["p"]
        sat = dephasing.get("saturation") or {}
        if sat.get("detected"):
            curve = (A**-2 * Tg**p + sat["l_sat"] ** -2) ** -0.5
            ax.plot(Tg, curve * 1e9, "-", color="tab:red",
                    label=rf"$L_\phi^{{-2}} = A^{{-2}}T^{{p}} + L_{{sat}}^{{-2}}$, "
                          rf"p = {p:.2f}")
            ax.plot(Tg, A * Tg ** (-p / 2) * 1e9, "--", color="tab:red", lw=0.8)
        else:
            ax.plot(Tg, A * Tg ** (-p / 2) * 1e9, "-", color="tab:red",
                    label=rf"$A\,T^{{-p/2}}$, p = {p:.2f} $\pm$ {dephasing['p_stderr']:.2f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("T (K)")
    ax.set_ylabel(r"$L_\phi$ (nm)")
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return fig
