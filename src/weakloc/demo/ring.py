"""Demo section: a disordered Aharonov-Bohm ring in a uniform field. Single samples
oscillate with period h/e in the flux through the ring; the disorder average keeps the
Altshuler-Aronov-Spivak h/(2e) oscillation with a conductance minimum at B = 0, found by
the ring analysis (:func:`weakloc.fitting.rings.ring_harmonics`) in SI units.

:func:`ring_ensemble` is the simulation shared with ``benchmarks/validate_ring_aas.py``.
"""

from __future__ import annotations

from pathlib import Path

TITLE = "Aharonov-Bohm ring in a field: h/e in single samples, h/2e (AAS) in the average"
ORDER = 32

R_IN, R_OUT = 8.0, 11.0      # lattice constants: arms 3 a wide, about 30 a long
DISORDER = 1.5               # box disorder W (t): Born l_e = 11 a at E = -0.6 t
ENERGIES = (-0.75, -0.65, -0.55, -0.45)
SAMPLES = 160
LATTICE_CONSTANT = 40e-9     # m, for the analysis in SI


def ring_ensemble(r_in, r_out, disorder, energies, *, samples, seed, periods=2.0,
                  points=12, lattice_constant=LATTICE_CONSTANT, progress=False):
    """Conductances of a seeded ensemble of rings over +-``periods`` h/e, and their analysis.

    A :class:`~weakloc.lattice.shapes.Ring` in a strip one site wider than it on each side,
    box disorder ``disorder`` (t), Landau-gauge field in the ring and the leads, every
    sample at each energy (t) and at fields ``0 .. periods`` h/e through the mean area
    ``pi ((r_in + r_out)/2)^2`` with ``points`` per period; ``B < 0`` is the mirror image
    (two-terminal Onsager symmetry). Returns a dict: ``lattice``, ``result`` (the
    :class:`~weakloc.transport.landauer.ConductanceResult` for ``B >= 0``), ``flux`` (h/e
    through the mean area, both signs), ``g`` (samples, energies, fields; e^2/h), ``field``
    (T), ``area`` (a^2), ``spread`` and ``ring`` (the
    :class:`~weakloc.fitting.rings.RingResult` of the ensemble, in S).
    """
    import numpy as np
    from scipy import constants as sc

    from weakloc.fitting.rings import ring_harmonics
    from weakloc.lattice import Lattice
    from weakloc.lattice.shapes import Ring
    from weakloc.transport.landauer import conductance_ensemble

    size = int(2 * r_out + 1) + 2
    lat = Lattice(width=size, length=size, disorder=disorder, shape=Ring(r_in, r_out))
    area = np.pi * (0.5 * (r_in + r_out)) ** 2
    spread = (r_out**2 - r_in**2) / (r_out**2 + r_in**2)
    phi = np.arange(int(round(periods * points)) + 1) / points
    res = conductance_ensemble(lat, np.asarray(energies, float), samples=samples, seed=seed,
                               fluxes=phi / area, progress=progress)
    g = np.concatenate([res.values[..., :0:-1], res.values], axis=-1)   # G(-B) = G(B)
    flux = np.concatenate([-phi[:0:-1], phi])
    a = float(lattice_constant)
    field = flux / area * sc.h / (sc.e * a**2)
    ring = ring_harmonics(field, g * sc.e**2 / sc.h, area=area * a**2, area_spread=spread)
    return {"lattice": lat, "result": res, "flux": flux, "g": g, "field": field,
            "area": float(area), "spread": float(spread), "ring": ring}


def background_residuals(flux, g):
    """Mean and standard error over samples of the traces (energies averaged within each
    sample) less each sample's own quadratic background in the flux (for the figure)."""
    import numpy as np

    per_sample = np.asarray(g, float).reshape(len(g), -1, len(flux)).mean(axis=1)
    x = np.asarray(flux, float) / np.ptp(flux) * 2
    coef = np.polynomial.polynomial.polyfit(x, per_sample.T, 2)
    resid = per_sample - np.polynomial.polynomial.polyval(x, coef)
    return resid.mean(axis=0), resid.std(axis=0, ddof=1) / np.sqrt(resid.shape[0])


def run(outdir: Path, seed: int) -> dict:
    """One seeded ensemble, its ring analysis and the figure."""
    from scipy import constants as sc

    from weakloc.plots import savefig
    from weakloc.plots.transport import ring_field_figure

    out = ring_ensemble(R_IN, R_OUT, DISORDER, ENERGIES, samples=SAMPLES, seed=seed)
    ring = out["ring"]
    mean, se = background_residuals(out["flux"], out["g"])
    fig = ring_field_figure(
        out["flux"], out["g"][:3, 0], mean, se, ring,
        labels=[f"sample {i}, E = {ENERGIES[0]:g} t" for i in range(3)],
        title=f"Ring({R_IN:g}, {R_OUT:g}), W = {DISORDER:g} t, {SAMPLES} samples x "
              f"{len(ENERGIES)} energies")
    figures = [Path(savefig(fig, Path(outdir) / "transport_ring_aas.png")).name]
    g0 = sc.e**2 / sc.h
    z2, z1 = ring.at_zero_field["h_over_2e"], ring.at_zero_field["h_over_e"]
    highlights = [
        f"h/2e of the average at B = 0: {z2.value / g0:+.4f} +- {z2.stderr / g0:.4f} e^2/h "
        f"({z2.value / z2.stderr:+.1f} sigma; negative: a weak-localization minimum)",
        f"h/e of the average at B = 0: {z1.value / g0:+.4f} +- {z1.stderr / g0:.4f} e^2/h; "
        f"single traces {ring.sample_rms['h_over_e'] / g0:.3f} e^2/h rms",
    ]
    return {"figures": figures, "highlights": highlights, "ring": ring.as_dict(),
            "seed": out["result"].seed, "samples": SAMPLES}
