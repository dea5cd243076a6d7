"""Figures of the coherence analyses: the UCF autocorrelation, sigma(T), ring spectra and the
optical backscattering cone. Each function reads a result object and returns a
:class:`matplotlib.figure.Figure`; nothing here computes physics."""

from __future__ import annotations

__all__ = ["ucf_figure"]


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
