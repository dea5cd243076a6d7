"""Demo section: classical random walks and the coherent backscattering cone of light."""

from __future__ import annotations

from pathlib import Path

TITLE = "Monte Carlo: random walks, Polya recurrence, coherent backscattering of light"
ORDER = 60

TAU = 1e-13   # s
SPEED = 1e5   # m/s
KL = 20.0


def run(outdir: Path, seed: int) -> dict:
    """Write four figures; every stochastic part draws from streams of ``seed``."""
    import numpy as np

    from weakloc.montecarlo.cbs import simulate_cbs
    from weakloc.montecarlo.latticewalk import POLYA_3D, lattice_return
    from weakloc.montecarlo.randomwalk import simulate_walks
    from weakloc.plots import savefig
    from weakloc.plots.montecarlo import (
        cone_figure,
        lattice_figure,
        return_probability_figure,
        vacf_figure,
    )
    from weakloc.seeding import stream
    from weakloc.theory import return_probability

    outdir = Path(outdir)
    figures, highlights = [], []

    walks = {d: simulate_walks(d, samples=12000, tau=TAU, speed=SPEED, seed=stream(seed, 0, d))
             for d in (1, 2, 3)}
    theory = {d: return_probability(r.times, r.d_theory, d) for d, r in walks.items()}
    figures.append(Path(savefig(return_probability_figure(walks, theory),
                                outdir / "montecarlo_return_probability.png")).name)
    for d, r in walks.items():
        highlights.append(
            f"d = {d}: D_GK/D0 = {r.d_green_kubo / r.d_theory:.3f} ± "
            f"{r.d_green_kubo_stderr / r.d_theory:.3f}, D_MSD/D0 = {r.d_msd / r.d_theory:.3f}"
            f" ± {r.d_msd_stderr / r.d_theory:.3f}, P(0,t) exponent "
            f"{r.return_exponent:.3f} ± {r.return_exponent_stderr:.3f} (theory {-d / 2:g})")
    aniso = simulate_walks(3, samples=6000, tau=TAU, speed=SPEED, anisotropy=0.5,
                           time=250 * TAU / 0.5, seed=stream(seed, 1))
    figures.append(Path(savefig(vacf_figure({"3D, g = 0": walks[3], "3D HG, g = 0.5": aniso}),
                                outdir / "montecarlo_vacf.png")).name)
    ratio, err = aniso.d_msd / aniso.d_theory, aniso.d_msd_stderr / aniso.d_theory
    highlights.append(f"Henyey-Greenstein g = 0.5: D/[v^2 tau/(3(1-g))] = {ratio:.3f} ± {err:.3f}")
    loops = _loops(seed)
    highlights.append(loops.pop("line"))

    lat = {d: lattice_return(d, samples=20000, steps=2000, seed=stream(seed, 2, d))
           for d in (1, 2, 3)}
    figures.append(Path(savefig(lattice_figure(lat, POLYA_3D),
                                outdir / "montecarlo_lattice.png")).name)
    r3 = lat[3]
    highlights.append(f"Polya 3D: F(2000) = {r3.returned[-1]:.4f}, with the n^-1/2 tail "
                      f"{r3.extrapolated:.4f} ± {r3.extrapolated_stderr:.4f} "
                      f"(exact {POLYA_3D:.4f}); 1D {lat[1].returned[-1]:.3f}, "
                      f"2D {lat[2].returned[-1]:.3f} by step 2000")

    angles = np.linspace(0.0, 3.0 / KL, 31)
    cone = simulate_cbs(KL, samples=12000, max_orders=5000, angles=angles,
                        seed=stream(seed, 3))
    figures.append(Path(savefig(cone_figure({f"kl = {KL:g}": cone}),
                                outdir / "montecarlo_cbs_cone.png")).name)
    mc = cone.crossed / cone.crossed[0]
    awm = cone.awm / cone.awm[0]
    dev = float(np.max(np.abs(mc - awm)[angles * KL <= 1.0]))
    highlights.append(
        f"CBS kl = {KL:g}: enhancement {cone.enhancement_without_single:.3f} without, "
        f"{cone.enhancement_with_single:.3f} ± {cone.enhancement_stderr:.3f} with single "
        f"scattering; FWHM k l = {cone.fwhm_rad * KL:.3f} ± {cone.fwhm_stderr * KL:.3f} "
        f"(AWM {cone.awm_fwhm_rad * KL:.3f}); max shape deviation from AWM for "
        f"kl theta <= 1: {dev:.3f}")
    from weakloc.montecarlo.polarized import simulate_polarized_cbs
    from weakloc.plots.montecarlo import polarized_cone_figure

    pol = simulate_polarized_cbs(KL, samples=6000, max_orders=5000, angles=angles,
                                 seed=stream(seed, 4))
    figures.append(Path(savefig(polarized_cone_figure(pol),
                                outdir / "montecarlo_cbs_polarized.png")).name)
    highlights.append(
        "CBS of polarized light (point dipoles), enhancement with single scattering: "
        + ", ".join(f"{c.replace('_', ' ')} {pol.enhancement_with_single[c]:.3f} ± "
                    f"{pol.enhancement_stderr[c]:.3f}" for c in pol.channels)
        + " (2 exactly where reciprocity pairs the paths and single scattering is absent)")
    return {
        "figures": figures, "highlights": highlights,
        "cbs_polarized_enhancement": dict(pol.enhancement_with_single),
        "diffusion_ratio_green_kubo": {d: r.d_green_kubo / r.d_theory for d, r in walks.items()},
        "return_exponent": {d: r.return_exponent for d, r in walks.items()},
        "polya_extrapolated": r3.extrapolated,
        "cbs_enhancement_with_single": cone.enhancement_with_single,
        "cbs_fwhm_kl": cone.fwhm_rad * KL, "cbs_awm_fwhm_kl": cone.awm_fwhm_rad * KL,
        "cbs_awm_max_deviation": dev, "loops_l_b_equal_l": loops, "seed": seed,
    }


def _loops(seed: int) -> dict:
    """Loops in a field l_B = l (B = 2 B_tr): the Cooperon left at t ~ 5 tau against the
    diffusive y/sinh y (200,000 walkers x 12 tau, a few tenths of a second once compiled)."""
    import numpy as np

    from weakloc.montecarlo.randomwalk import simulate_walks
    from weakloc.seeding import stream
    from weakloc.units import E_CHARGE, HBAR

    field = HBAR / (E_CHARGE * (SPEED * TAU) ** 2)
    r = simulate_walks(2, samples=200000, time=12 * TAU, tau=TAU, speed=SPEED, fit_from=3.0,
                       field=field, seed=stream(seed, 5), progress=False)
    k = int(np.argmin(np.abs(r.times - 5 * TAU)))
    t = r.times[k] / TAU
    s, se, f = r.suppression[k], r.suppression_stderr[k], r.suppression_diffusive[k]
    return {"line": f"loops in a field l_B = l: Cooperon suppression at t = {t:.2f} tau "
                    f"{s:.2f} ± {se:.2f}, diffusive y/sinh y {f:.3f} (few-collision loops "
                    "enclose less than l_B^2)",
            "t_over_tau": float(t), "suppression": float(s), "suppression_stderr": float(se),
            "diffusive": float(f)}
