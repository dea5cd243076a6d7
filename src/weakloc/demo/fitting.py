"""Demo section: fit the synthetic WAL film series that ships with the package."""

from __future__ import annotations

from pathlib import Path

TITLE = "Fitting magnetoconductance: L_phi(T), alpha and the dephasing mechanism"
ORDER = 20

DATA_FILE = "wal_film_series.csv"


def data_path() -> Path:
    """Path of the shipped data set (columns T_K, field_mT, R_xx_ohm, R_xy_ohm)."""
    from importlib.resources import files

    return Path(str(files("weakloc") / "data" / DATA_FILE))


def run(outdir: Path, seed: int) -> dict:
    """Fit the shipped data set (global HLN fit sharing alpha) and compare with the truth.

    ``seed`` is unused: the data set is fixed (made by
    :func:`weakloc.fitting.synthetic.demo_dataset` with its own recorded seed).
    """
    import numpy as np

    from weakloc.fitting.data import load_curves
    from weakloc.fitting.synthetic import DEMO_TRUTH, demo_l_phi
    from weakloc.fitting.temperature import fit_series
    from weakloc.plots import savefig
    from weakloc.plots.fitting import fit_figure, l_phi_temperature_figure

    outdir = Path(outdir)
    truth = DEMO_TRUTH
    curves = load_curves(data_path(), field="field_mT", value="R_xx_ohm", hall="R_xy_ohm",
                         temperature="T_K", field_unit="mT", quantity="resistance",
                         aspect=truth["aspect"])
    series = fit_series(curves, "hln", shared=("alpha",), systematic=True)
    fits = series.fits
    T = np.array([f.temperature for f in fits])
    L = np.array([f.value("l_phi") for f in fits])
    sL = np.array([f.stderr("l_phi") for f in fits])
    sys_L = np.array([f.systematic.get("l_phi", 0.0) for f in fits])
    tot = np.hypot(sL, sys_L)
    dep = series.dephasing
    figures = [
        Path(savefig(fit_figure(fits, title="HLN global fit (alpha shared), WAL film"),
                     outdir / "fitting_curves.png")).name,
    ]
    Tg = np.geomspace(T.min() / 1.3, T.max() * 1.3, 100)
    figures.append(Path(savefig(
        l_phi_temperature_figure(T, L, tot, dep, truth=(Tg, demo_l_phi(Tg))),
        outdir / "fitting_lphi.png")).name)
    a = fits[0].parameters["alpha"]
    pull = (L - demo_l_phi(T)) / tot
    sat = dep["saturation"]
    highlights = [
        f"alpha: true {truth['alpha']:+.3f}, fitted {a.value:+.4f} +- {a.stderr:.4f}",
        f"p: true {truth['p']:.3f}, fitted {dep['p']:.3f} +- {dep['p_stderr']:.3f}; "
        f"L_sat: true {truth['l_sat_m'] * 1e9:.0f} nm, fitted "
        f"{sat['l_sat'] * 1e9:.0f} +- {sat['l_sat_stderr'] * 1e9:.0f} nm"
        if sat["detected"] else f"p: true {truth['p']:.3f}, fitted {dep['p']:.3f} +- "
        f"{dep['p_stderr']:.3f} (no saturation detected)",
        f"L_phi at {T[0]:g} K: true {demo_l_phi(T[0]) * 1e9:.1f} nm, fitted "
        f"{L[0] * 1e9:.1f} +- {sL[0] * 1e9:.1f} (stat) +- {sys_L[0] * 1e9:.1f} (sys) nm; at "
        f"{T[-1]:g} K: true {demo_l_phi(T[-1]) * 1e9:.1f}, fitted {L[-1] * 1e9:.1f} +- "
        f"{sL[-1] * 1e9:.1f} (stat) +- {sys_L[-1] * 1e9:.1f} (sys) nm",
        f"pulls (fit - true)/(stat + sys error) of L_phi over {T.size} temperatures: rms "
        f"{np.sqrt(np.mean(pull**2)):.2f} (at most about 1 expected)",
        dep["hint"],
    ]
    return {
        "figures": figures,
        "highlights": highlights,
        "data_file": DATA_FILE,
        "truth": truth,
        "fitted": {"alpha": a.as_dict(), "dephasing": dep.as_dict(),
                   "l_phi_m": L.tolist(), "l_phi_stderr_m": sL.tolist(),
                   "l_phi_systematic_m": sys_L.tolist(),
                   "temperatures_K": T.tolist(),
                   "l_phi_true_m": demo_l_phi(T).tolist()},
        "preparation": list(fits[0].steps),
    }
