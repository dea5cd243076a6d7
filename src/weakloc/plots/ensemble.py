"""Figures of ensemble sweeps; they read a sweep's :class:`xarray.Dataset`, nothing else."""

from __future__ import annotations

__all__ = ["level_ratio_figure"]


def level_ratio_figure(ds, *, x: str = "disorder", line: str = "flux", references=None):
    """Mean gap ratio with its standard error against one grid axis, one line per another.

    Parameters
    ----------
    ds : xarray.Dataset
        A ``"level-ratio"`` sweep (:func:`weakloc.ensemble.open_results`) with variables
        ``r_mean__mean`` and ``r_mean__stderr`` over the axes ``x`` and ``line``.
    x, line : str
        Grid axes for the abscissa (log scale, e.g. disorder W in units of t) and for the
        separate lines (e.g. flux per plaquette in h/e).
    references : dict, optional
        Label -> value of horizontal reference lines (e.g. Poisson, GOE, GUE).

    Returns
    -------
    matplotlib.figure.Figure
    """
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.4, 3.9))
    for i, value in enumerate(ds[line].values):
        sel = {line: value}
        mean = ds["r_mean__mean"].sel(sel)
        err = ds["r_mean__stderr"].sel(sel)
        ax.errorbar(ds[x].values, mean.values, yerr=err.values, marker="o", ms=4, capsize=2,
                    color=f"C{i}", label=f"{line} = {value:g}")
    for j, (label, value) in enumerate((references or {}).items()):
        ax.axhline(value, color="0.45", ls=(0, (4, 2 + j)), lw=0.8)
        ax.text(ds[x].values.max(), value, f" {label}", va="center", ha="left", fontsize=8,
                color="0.3")
    ax.set_xscale("log")
    ax.set_xlabel(f"{x} (units of t)" if x == "disorder" else x)
    ax.set_ylabel(r"mean gap ratio $\langle\tilde r\rangle$")
    ax.set_title(f"{int(ds.sizes['realization'])} samples per point, "
                 f"{int(ds.attrs['n_computed'])} tasks")
    ax.legend(frameon=False, fontsize=8, loc="lower left")
    fig.tight_layout()
    return fig
