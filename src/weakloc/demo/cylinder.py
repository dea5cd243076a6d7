"""Demo section: a disordered cylinder threaded by an Aharonov-Bohm flux. Single samples
oscillate with period h/e; the disorder average keeps the Altshuler-Aronov-Spivak h/(2e)
oscillation with the weak-localization sign (Sharvin and Sharvin's experiment)."""

from __future__ import annotations

from pathlib import Path

TITLE = "Aharonov-Bohm cylinder: h/e in single samples, h/2e (AAS) in the average"
ORDER = 31

WIDTH = LENGTH = 16          # circumference and length, lattice constants (l_e ~ 2-3 a)
DISORDER = 3.0               # box disorder W, units of t
ENERGIES = (0.4, 0.533, 0.667, 0.8)   # units of t: the window averages the mode count
POINTS = 12                  # fluxes per period h/e, (j + 1/2) / POINTS
SAMPLES = 120


def run(outdir: Path, seed: int) -> dict:
    """One seeded ensemble, its harmonics and the figure."""
    import numpy as np

    from weakloc.fitting.rings import flux_harmonics
    from weakloc.lattice import Lattice
    from weakloc.plots import savefig
    from weakloc.plots.transport import cylinder_flux_figure
    from weakloc.transport.landauer import conductance_ensemble

    flux = (np.arange(POINTS) + 0.5) / POINTS
    lat = Lattice(width=WIDTH, length=LENGTH, disorder=DISORDER, boundary="periodic")
    res = conductance_ensemble(lat, np.array(ENERGIES), samples=SAMPLES, seed=seed,
                               cylinder_fluxes=flux, progress=False)
    h = flux_harmonics(flux, res.values)
    per_sample = res.values.mean(axis=1)
    stderr = per_sample.std(axis=0, ddof=1) / np.sqrt(SAMPLES)
    fig = cylinder_flux_figure(
        flux, res.values[:3, 0], h, stderr,
        title=f"{WIDTH} x {LENGTH} cylinder, W = {DISORDER:g} t, {SAMPLES} samples x "
              f"{len(ENERGIES)} energies (E = {ENERGIES[0]:g}..{ENERGIES[-1]:g} t)")
    figures = [Path(savefig(fig, Path(outdir) / "transport_cylinder_aas.png")).name]
    a1, a2 = h.average[1], h.average[2]
    highlights = [
        f"h/2e harmonic of the average: {a2.value:+.4f} +- {a2.stderr:.4f} e^2/h "
        f"({h.significance(2):+.1f} sigma; negative: minima at 0 and h/2e)",
        f"h/e harmonic of the average: {a1.value:+.4f} +- {a1.stderr:.4f} e^2/h, single "
        f"samples {h.sample_rms[1]:.3f} e^2/h rms",
    ]
    return {"figures": figures, "highlights": highlights, "harmonics": h.as_dict(),
            "symmetry": res.symmetry, "seed": res.seed, "samples": SAMPLES}
