"""Demo section: magnetoconductance g(phi) of the three Wigner-Dyson classes, and an
energy scan of a 3D bar (clean: the channel staircase; disordered: one sweep per sample)."""

from __future__ import annotations

from pathlib import Path

TITLE = "Lattice transport: WL dip, flat unitary curve, WAL peak (recursive Green's functions)"
ORDER = 30

WIDTH, LENGTH = 16, 48       # sites; 2D strip, hard walls
ENERGY = 0.5                 # units of t
SAMPLES = 56
QUANTA = (-3.0, -2.0, -1.5, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 3.0)
REF = 4.0                    # flux quanta through M x L: past the crossover (residual ~7%),
BACKGROUND = 6.0             # while the cyclotron radius stays larger than the width
BAR = 8                      # 8 x 8 x 8 bar for the energy scan
SCAN = (-2.9, 2.9, 24)       # energies START, STOP, N (units of t; >= 3e-3 off subband edges)


def run(outdir: Path, seed: int) -> dict:
    """Short seeded ensembles (``SAMPLES`` realizations each) for the three classes."""
    import numpy as np

    from weakloc.lattice import Lattice
    from weakloc.plots import savefig
    from weakloc.plots.transport import magnetoconductance_classes_figure
    from weakloc.transport.landauer import conductance_ensemble

    area = WIDTH * LENGTH
    q = np.array(QUANTA)
    setups = {
        "orthogonal (spinless)": ("orthogonal", Lattice(width=WIDTH, length=LENGTH,
                                                        disorder=2.0), 0.0),
        "unitary (background field)": ("unitary", Lattice(width=WIDTH, length=LENGTH,
                                                          disorder=2.0), BACKGROUND),
        "symplectic (SU(2))": ("symplectic", Lattice(width=WIDTH, length=LENGTH,
                                                     disorder=0.5, spin_orbit="su2"), 0.0),
    }
    panels, result, rmt = {}, {}, {}
    for k, (name, (cls, lat, background)) in enumerate(setups.items()):
        fluxes = np.append(background + q, background + REF) / area
        res = conductance_ensemble(lat, ENERGY, samples=SAMPLES, seed=seed + k,
                                   fluxes=fluxes, progress=False)
        d = res.values[:, :-1] - res.values[:, -1:]   # paired: same disorder
        mean = d.mean(axis=0)
        se = d.std(axis=0, ddof=1) / np.sqrt(SAMPLES)
        panels[name] = (cls, mean, se)
        rmt[name] = {"orthogonal": -1 / 3, "unitary": 0.0, "symplectic": 1 / 3}[cls]
        i0 = int(np.flatnonzero(q == 0)[0])
        result[cls] = {"delta_g_at_0": float(mean[i0]), "stderr": float(se[i0]),
                       "mean_g_ref": float(res.values[:, -1].mean()),
                       "open_channels": res.open_channels, "seed": res.seed}
    fig = magnetoconductance_classes_figure(
        q, panels, rmt=rmt,
        title=f"{WIDTH} x {LENGTH} strip, E = {ENERGY} t, {SAMPLES} realizations per class "
              "(dashed: RMT limit)")
    figures = [Path(savefig(fig, Path(outdir) / "transport_magnetoconductance.png")).name]
    o, u, s = result["orthogonal"], result["unitary"], result["symplectic"]
    highlights = [
        f"WL dip at zero field: {o['delta_g_at_0']:+.3f} +- {o['stderr']:.3f} e^2/h "
        "(quasi-1D RMT limit -1/3)",
        f"WAL peak (SU(2)): {s['delta_g_at_0']:+.3f} +- {s['stderr']:.3f} e^2/h (limit +1/3)",
        f"unitary class around a background field: {u['delta_g_at_0']:+.3f} +- "
        f"{u['stderr']:.3f} e^2/h (flat)",
        "crossover width: about one flux quantum through the sample area M x L",
    ]
    scan = _energy_scan(seed)
    highlights.append(
        f"energy scan of a {BAR}^3 bar ({SCAN[2]} energies in one sweep per sample): clean "
        f"g(E) = open channels to {scan['clean_max_deviation']:.1e}; at W = 1.5 "
        f"<g>/N = {min(scan['ratio']):.2f} - {max(scan['ratio']):.2f}")
    return {"figures": figures, "highlights": highlights, "classes": result,
            "width": WIDTH, "length": LENGTH, "energy": ENERGY, "samples": SAMPLES,
            "energy_scan": scan}


def _energy_scan(seed: int) -> dict:
    """Clean and disordered ``BAR^3`` bars over ``SCAN`` energies (4 disordered samples)."""
    import numpy as np

    from weakloc.lattice import Lattice
    from weakloc.transport.landauer import conductance_batch, conductance_ensemble

    es = np.linspace(*SCAN)
    clean = Lattice(dim=3, width=BAR, height=BAR, length=BAR)
    g_clean = conductance_batch(clean.realize(0), es)[:, 0]
    res = conductance_ensemble(clean.with_(disorder=1.5), es, samples=4, seed=seed,
                               progress=False)
    n_open = np.array(res.open_channels)
    return {"energies": es, "open_channels": n_open, "g_clean": g_clean,
            "clean_max_deviation": float(np.max(np.abs(g_clean - n_open))),
            "g_disordered": res.mean, "ratio": (res.mean / n_open).tolist()}
