"""Demo section: from the cryostat's files to L_phi(T), on the synthetic PPMS exports that
ship with the package (a WAL film series, and a bulk crystal the film model must refuse)."""

from __future__ import annotations

from pathlib import Path

TITLE = "Fitting magnetoconductance: L_phi(T), alpha and the dephasing mechanism"
ORDER = 20

DATA_FILE = "wal_film_series.dat"
BULK_FILE = "wal_bulk_crystal.dat"

#: The columns of the PPMS exports (see :data:`weakloc.fitting.synthetic.PPMS_COLUMNS`).
FIELD, TEMPERATURE = "Magnetic Field (Oe)", "Temperature (K)"
RXX, RXY = "Bridge 1 Resistance (Ohms)", "Bridge 2 Resistance (Ohms)"


def data_path(name: str = DATA_FILE) -> Path:
    """Path of a shipped data set (a PPMS ``.dat`` export; Bridge 1 = R_xx, 2 = R_xy)."""
    from importlib.resources import files

    return Path(str(files("weakloc") / "data" / name))


def run(outdir: Path, seed: int) -> dict:
    """Fit the shipped film series (global HLN fit sharing alpha, systematic scan) and
    compare with the truth; then show the defaults refusing a bulk crystal fitted as a film,
    and the 3D model with an amplitude fitting it.

    ``seed`` is unused: the data sets are fixed (made by
    :mod:`weakloc.fitting.synthetic` with their own recorded seeds).
    """
    import numpy as np

    from weakloc.fitting.data import load_curves
    from weakloc.fitting.synthetic import BULK_TRUTH, DEMO_TRUTH, demo_l_phi
    from weakloc.fitting.temperature import fit_series
    from weakloc.plots import savefig
    from weakloc.plots.fitting import fit_figure, l_phi_temperature_figure

    outdir = Path(outdir)
    truth = DEMO_TRUTH
    curves = load_curves(data_path(), field=FIELD, value=RXX, hall=RXY,
                         temperature=TEMPERATURE, field_unit="Oe", quantity="resistance",
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
    bulk = _bulk_case(BULK_TRUTH)
    highlights += bulk["highlights"]
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
        "bulk": {k: v for k, v in bulk.items() if k != "highlights"},
    }


def _bulk_case(truth) -> dict:
    """The bulk crystal read as a film (L/W = 3) is refused; kawabata-so with an amplitude
    fits it and the amplitude returns the thickness the film reading left out."""
    import warnings

    from weakloc.fitting.data import load_curves
    from weakloc.fitting.fit import fit_curve

    aspect = truth["length_m"] / truth["width_m"]
    curve = load_curves(data_path(BULK_FILE), field=FIELD, value=RXX, field_unit="Oe",
                        quantity="resistance", aspect=aspect)[0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        film = fit_curve(curve, "hln", systematic=True)
    bulk = fit_curve(curve, "kawabata-so", include=("amplitude",), systematic=True)
    amp = bulk.parameters["amplitude"]
    return {
        "film_model": {"reliable": film.reliable, "reasons": list(film.reasons)},
        "bulk_model": bulk.as_dict(),
        "highlights": [
            f"bulk crystal read as a film: reliable = {film.reliable}: {film.reasons[0]}"
            if film.reasons else "bulk crystal read as a film: (no objection?)",
            f"kawabata-so with amplitude: L_phi {bulk.value('l_phi') * 1e9:.0f} +- "
            f"{bulk.total_error('l_phi') * 1e9:.0f} nm (true {truth['l_phi_m'] * 1e9:.0f}), "
            f"L_so {bulk.value('l_so') * 1e9:.0f} +- {bulk.total_error('l_so') * 1e9:.0f} nm "
            f"(true {truth['l_so_m'] * 1e9:.0f}), amplitude {amp.value:.3g} +- "
            f"{amp.stderr:.2g} = the thickness in m (true {truth['thickness_m']:g})",
        ],
    }
