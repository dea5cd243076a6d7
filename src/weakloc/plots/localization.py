"""Figures of localization lengths, finite-size scaling and beta(g); they only read results."""

from __future__ import annotations

import numpy as np

__all__ = ["collapse_figure", "beta_figure", "chain_figure", "lambda_width_figure"]


def collapse_figure(fit, title: str | None = None):
    """Two panels: raw ``Lambda(W)`` per width, and the collapse onto ``Lambda(phi_1)``.

    Parameters
    ----------
    fit : weakloc.finitesize.ScalingFit
        A finite-size scaling fit (its data and parameters are used).
    title : str, optional
        Figure title.
    """
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.5, 3.8))
    widths = np.unique(fit.width)
    colors = plt.cm.viridis(np.linspace(0, 0.9, widths.size))
    phi = fit.scaling_variable()
    corr = fit.corrected_lambda()
    for m, c in zip(widths, colors):
        sel = fit.width == m
        ax1.errorbar(fit.disorder[sel], fit.lambda_[sel], fit.lambda_err[sel], fmt="o", ms=3,
                     color=c, label=f"M = {m:g}")
        wf = np.linspace(fit.disorder.min(), fit.disorder.max(), 200)
        from weakloc.finitesize import scaling_model

        ax1.plot(wf, np.exp(scaling_model(fit.params, wf, np.full_like(wf, m), n_r=fit.n_r,
                                          m_r=fit.m_r, n_i=fit.n_i)), color=c, lw=0.8)
        ax2.errorbar(phi[sel], corr[sel], fit.lambda_err[sel] * corr[sel] / fit.lambda_[sel],
                     fmt="o", ms=3, color=c)
    pf = np.linspace(phi.min(), phi.max(), 200)
    ax2.plot(pf, fit.scaling_function(pf), "k-", lw=1)
    ax1.axvline(fit.w_c, color="0.6", ls=":")
    ax1.set_xlabel("disorder W (t)")
    ax1.set_ylabel(r"$\Lambda = \xi/M$")
    ax1.set_yscale("log")
    ax1.legend(fontsize=7)
    ax2.set_yscale("log")
    ax2.set_xlabel(r"$\phi_1 = u_1(W - W_c)\, M^{1/\nu}$")
    ax2.set_ylabel(r"$\Lambda$ (irrelevant part removed)" if fit.n_i is not None
                   else r"$\Lambda$")
    lo, hi = fit.nu_ci
    ax2.set_title(f"W_c = {fit.w_c:.3f}, nu = {fit.nu:.2f} [{lo:.2f}, {hi:.2f}]", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    return fig


def beta_figure(results: dict, theory: dict | None = None, title: str | None = None):
    """``beta`` against ``ln g`` for several measurements, with theory curves.

    Parameters
    ----------
    results : dict
        Label -> :class:`weakloc.transport.beta.BetaResult`.
    theory : dict, optional
        Label -> ``(ln_g, beta)`` arrays to draw as lines (e.g. ``d - 2 - c/g``).
    title : str, optional
        Figure title.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 4))
    for (label, r), c in zip(results.items(), plt.cm.tab10.colors):
        ax.errorbar(r.ln_g_mid, r.beta, r.beta_err, fmt="o-", ms=4, color=c, label=label)
    for (label, (x, y)), c in zip((theory or {}).items(), plt.cm.tab10.colors):
        ax.plot(x, y, "--", color=c, lw=1, label=label)
    ax.axhline(0, color="0.5", lw=0.7)
    ax.set_xlabel(r"$\langle \ln g \rangle$  ($g$ in $e^2/h$)")
    ax.set_ylabel(r"$\beta = d\langle\ln g\rangle / d\ln L$")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def chain_figure(energy, xi_w2, xi_w2_err, theory_e, theory, anomaly=None):
    """1D chain: ``xi W^2`` against energy, numerics with the perturbative curve.

    Parameters
    ----------
    energy, xi_w2, xi_w2_err : array_like
        Energies (units of t) and measured ``xi W^2`` with errors.
    theory_e, theory : array_like
        The curve ``96 (1 - E^2/4)``.
    anomaly : float, optional
        The band-centre value (105) to mark.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    ax.errorbar(energy, xi_w2, xi_w2_err, fmt="o", ms=4, label="transfer matrix")
    ax.plot(theory_e, theory, "k-", lw=1, label=r"$96(1 - E^2/4)$ (Thouless)")
    if anomaly is not None:
        ax.plot([0], [anomaly], "r*", ms=10, label=f"{anomaly:g} (Kappus-Wegner)")
    ax.set_xlabel("energy E (t)")
    ax.set_ylabel(r"$\xi W^2$")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def lambda_width_figure(curves: dict, title: str | None = None):
    """``Lambda = xi/M`` against ``M`` for several systems.

    Parameters
    ----------
    curves : dict
        Label -> ``(widths, lambda, lambda_err)``.
    title : str, optional
        Figure title.
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.8))
    for label, (m, lam, err) in curves.items():
        ax.errorbar(m, lam, err, fmt="o-", ms=4, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("width M")
    ax.set_ylabel(r"$\Lambda = \xi/M$")
    ax.legend(fontsize=7)
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig
