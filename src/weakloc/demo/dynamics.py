"""Demo section: momentum-space coherent backscattering of a plane wave, three classes."""

from __future__ import annotations

from pathlib import Path

TITLE = "Wave packets in disordered lattices: CBS peak and dip in momentum space"
ORDER = 70

SIZE, DISORDER = 64, 2.5
K0_INDEX = (16, 10)          # k0 = 2 pi (16, 10)/64, eps(k0) = -1.11 t


def run(outdir: Path, seed: int) -> dict:
    """n(k, t) images at three times and the contrast vs time, for the three classes.

    A bare plane wave is quenched into the disorder (no energy filter), so the contrast
    starts from 0; the field uses the Landau gauge (canonical momentum, see
    :mod:`weakloc.theory.momentum_cbs`).
    """
    import numpy as np

    from weakloc.dynamics import TorusLattice, cbs_momentum
    from weakloc.plots import savefig
    from weakloc.plots.dynamics import contrast_figure, momentum_images_figure
    from weakloc.theory import born

    outdir = Path(outdir)
    k0 = 2 * np.pi * np.array(K0_INDEX) / SIZE
    e0 = float(-2 * np.cos(k0).sum())
    tau = float(born.scattering_time(e0, DISORDER))
    times = tau * np.array([0.5, 1.0, 2.0, 4.0, 8.0])
    cases = {
        "orthogonal": dict(),
        "unitary (flux 8/N$^2$)": dict(flux=8 / SIZE**2),
        "symplectic (SU(2))": dict(spin_orbit="su2"),
    }
    samples = {"orthogonal": 96, "unitary (flux 8/N$^2$)": 64, "symplectic (SU(2))": 48}
    results = {}
    for i, (label, kw) in enumerate(cases.items()):
        lat = TorusLattice(size=SIZE, disorder=DISORDER, **kw)
        results[label] = cbs_momentum(lat, k0, times, samples=samples[label],
                                      seed=seed + i, progress=False)
    show = [0, 2, 4]
    images = {k: r.n_k[show] for k, r in results.items()}
    figs = [
        Path(savefig(momentum_images_figure(images, times[show], k0=k0),
                     outdir / "dynamics_nk_images.png")).name,
        Path(savefig(contrast_figure(
            {k: (r.times, r.contrast, r.contrast_stderr) for k, r in results.items()}, tau,
            expected={"orthogonal": 1.0, "unitary (flux 8/N$^2$)": 0.0,
                      "symplectic (SU(2))": -0.5}), outdir / "dynamics_contrast.png")).name,
    ]
    hl = [f"N = {SIZE}, W = {DISORDER}, E = {e0:.2f} t: Born tau = {tau:.2f} hbar/t"]
    for k, r in results.items():
        hl.append(f"{k}: contrast at 8 tau = {r.contrast[-1]:+.2f} +- "
                  f"{r.contrast_stderr[-1]:.2f} ({r.inputs['samples']} samples)")
    return {"figures": figs, "highlights": hl, "born_tau": tau,
            "contrast_8tau": {k: float(r.contrast[-1]) for k, r in results.items()}}
