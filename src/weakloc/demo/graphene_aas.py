"""Demo section: graphene's interference correction changes sign with the range of the
disorder (McCann et al., PRL 97, 146805 (2006)), read off the Altshuler-Aronov-Spivak h/(2e)
harmonic of an edgeless honeycomb cylinder threaded by an Aharonov-Bohm flux: short-range
disorder mixes the valleys (weak localization, minima at 0 and h/2e), a smooth potential
keeps them apart (antilocalization, maxima)."""

from __future__ import annotations

from pathlib import Path

TITLE = "Graphene cylinder: weak localization (short-range) against antilocalization (smooth)"
ORDER = 77

WIDTH, LENGTH = 36, 40       # zigzag chains (circumference 54 a_cc), slices (69 a_cc)
SHORT = 2.0                  # box disorder W, units of t
SMOOTH, XI, TAPER = 1.0, 3.0, 8.0   # Gaussian W (std W/sqrt(12)), xi and taper in a_cc
START, ENERGIES = 0.15, 4    # units of t: the channel count sweeps one subband uniformly
POINTS = 8                   # fluxes per period h/e, (j + 1/2) / POINTS
SAMPLES = {"short": 48, "smooth": 64}


def run(outdir: Path, seed: int) -> dict:
    """Two seeded ensembles on the same tube, energies and fluxes; their h/2e harmonics."""
    import numpy as np

    from weakloc.fitting.rings import flux_harmonics
    from weakloc.lattice import Lattice
    from weakloc.plots import savefig
    from weakloc.plots.transport import magnetoconductance_classes_figure
    from weakloc.transport.landauer import conductance_ensemble

    flux = (np.arange(POINTS) + 0.5) / POINTS
    # subbands open at |sin(2 pi (m + Phi)/WIDTH)| t: uniform steps in arcsin(E)
    energies = np.sin(np.arcsin(START) + 2 * np.pi * (np.arange(ENERGIES) + 0.5)
                      / (ENERGIES * WIDTH))
    base = dict(lattice="honeycomb", edge="zigzag", boundary="periodic", width=WIDTH,
                length=LENGTH)
    systems = {
        "short": ("short-range (box W = 2 t): valleys mixed", "orthogonal",
                  Lattice(disorder=SHORT, **base)),
        "smooth": (f"smooth (W = {SMOOTH:g} t, xi = {XI:g} a_cc): valleys apart",
                   "symplectic",
                   Lattice(disorder=SMOOTH, disorder_kind="gaussian", correlation=XI,
                           taper=TAPER, **base)),
    }
    panels, curves, highlights, out = {}, {}, [], {}
    fine = np.linspace(flux.min(), flux.max(), 200)
    for key, (name, color, lat) in systems.items():
        res = conductance_ensemble(lat, energies, samples=SAMPLES[key], seed=seed,
                                   cylinder_fluxes=flux, progress=False)
        h = flux_harmonics(flux, res.values)
        per_sample = res.values.mean(axis=1)
        se = per_sample.std(axis=0, ddof=1) / np.sqrt(SAMPLES[key])
        mean = np.asarray(h.mean, float)
        a2 = h.average[2]
        panels[name] = (color, mean - mean.mean(), se)
        curves[name] = (fine, a2.value * np.cos(4 * np.pi * fine),
                        f"h/2e harmonic {a2.value:+.3f} +- {a2.stderr:.3f}")
        highlights.append(f"{key}: h/2e harmonic of the average {a2.value:+.4f} +- "
                          f"{a2.stderr:.4f} e^2/h ({h.significance(2):+.1f} sigma), <g> = "
                          f"{mean.mean():.2f} e^2/h, {SAMPLES[key]} samples")
        out[key] = h.as_dict()
    fig = magnetoconductance_classes_figure(
        flux, panels, curves=curves, xlabel=r"flux through the tube $\Phi$ ($h/e$)",
        title=f"honeycomb tube, circumference {1.5 * WIDTH:g} a_cc, length "
              f"{LENGTH * np.sqrt(3):.0f} a_cc, E = {energies[0]:.2f}..{energies[-1]:.2f} t")
    fig.axes[0].set_ylabel(r"$\langle g(\Phi)\rangle$ - its mean ($e^2/h$)")
    figures = [Path(savefig(fig, Path(outdir) / "graphene_cylinder_aas.png")).name]
    return {"figures": figures, "highlights": highlights, "harmonics": out, "seed": seed}
