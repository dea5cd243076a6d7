"""Demo section: the other coherence probes, each on data the package makes itself.

* conductance fluctuations of lattice strips (RGF, one realization swept in flux per
  trace) against the diffuson theory of a coherent wire;
* the optical cone of the Monte Carlo (with absorption) fitted with the AWM line shape,
  and the polarized cone's two circular channels without absorption;
* sigma(T) of a film: weak localization and interactions separated with a field;
* the h/e and h/2e oscillations of a ring and L_phi from their decay with temperature.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

TITLE = "Coherence from fluctuations, sigma(T), rings and the optical cone"
ORDER = 25


def _ucf(outdir, seed):
    from weakloc.fitting.ucf import analyze_ucf, expected_autocorrelation
    from weakloc.lattice import Lattice
    from weakloc.plots import savefig
    from weakloc.plots.coherence import ucf_figure
    from weakloc.theory import fluctuations as th
    from weakloc.transport.landauer import conductance_ensemble
    from weakloc.units import E2_OVER_H, FLUX_QUANTUM

    W, L, a = 16, 64, 1e-9  # lattice constant read as 1 nm to put the fields in tesla
    geo = dict(dim=1, width=W * a, length=L * a)
    bc = th.ucf_correlation_field(l_phi=1e3 * L * a, **geo)
    step = bc / 6
    B = 2.0 / (W * L) * FLUX_QUANTUM / a**2 + step * np.arange(120)
    res = conductance_ensemble(Lattice(width=W, length=L, disorder=2.0), 0.5, samples=8,
                               seed=seed, fluxes=B * a**2 / FLUX_QUANTUM, progress=False)
    u = analyze_ucf([(B, g * E2_OVER_H) for g in res.values], spin_degeneracy=1, **geo)
    fig = savefig(ucf_figure(u, title="RGF fingerprints, 16 x 64 strip, W = 2"),
                  Path(outdir) / "coherence_ucf.png")
    c, r = u.correlation_field, u.rms
    e = expected_autocorrelation(1e3 * L * a, {**geo, "l_t": None}, [B.size] * 8, step, 1,
                                 B.size // 2)
    k = np.flatnonzero(e / e[0] <= 0.5)[0]
    bc_win = step * (k - 1 + (e[k - 1] / e[0] - 0.5) / ((e[k - 1] - e[k]) / e[0]))
    return Path(fig).name, [
        f"lattice UCF: rms {r.value / E2_OVER_H:.3f} +- {r.stderr / E2_OVER_H:.3f} e^2/h, "
        f"theory {np.sqrt(e[0] / 15):.3f} (sqrt(1/15) through the same window); B_c "
        f"{c.value:.3g} +- {c.stderr:.2g} T, theory {bc_win:.3g} T"], u.as_dict()


def _cone(outdir, seed):
    from weakloc.fitting.cone import fit_cone
    from weakloc.montecarlo.cbs import simulate_cbs
    from weakloc.plots import savefig
    from weakloc.plots.coherence import cone_fit_figure

    kl, l, la = 20.0, 1e-6, 20e-6
    ang = np.linspace(0, 1.5 / kl, 31)
    out, lines, docs = {}, [], {}
    for name, lab in (("no absorption", None), ("l_a = 20 l", la)):
        r = simulate_cbs(kl, samples=12000, mean_free_path=l, angles=ang, seed=seed,
                         absorption_length=lab)
        y = r.single + r.ladder + r.crossed
        s = np.sqrt(r.single_stderr**2 + r.ladder_stderr**2 + r.crossed_stderr**2)
        f = fit_cone(ang, y, stderr=s, fit_center=False, absorption=lab is not None,
                     wavelength=2 * np.pi * l / kl)
        out[name] = f
        docs[name] = f.as_dict()
        k = f.parameters["kl"]
        line = f"cone ({name}): k l_tr {k.value:.2f} +- {k.stderr:.2f} (put in {kl:g})"
        if lab is not None:
            a = f.parameters["absorption_length"]
            line += (f", L_a {a.value * 1e6:.2f} +- {a.stderr * 1e6:.2f} um (put in "
                     f"{np.sqrt(l * la / 3) * 1e6:.2f})")
        lines.append(line)
    name, line, fits = _polarized_cone(kl, l, seed)
    out.update(fits)
    docs[name] = {k: f.as_dict() for k, f in fits.items()}
    lines.append(line)
    fig = savefig(cone_fit_figure(out, title="Monte Carlo cones, AWM fits"),
                  Path(outdir) / "coherence_cone.png")
    return Path(fig).name, lines, docs


def _polarized_cone(kl, l, seed):
    """Point-dipole cones without absorption, two circular channels: the helicity-preserving
    cusp gives k l_tr; the helicity-flip cone, with k l_tr held there, its reduced enhancement
    and the depolarization length that rounds its top."""
    from weakloc.fitting.cone import fit_cone
    from weakloc.montecarlo.polarized import CHANNELS, simulate_polarized_cbs

    ang = np.linspace(0, 5.0 / kl, 41)
    r = simulate_polarized_cbs(kl, samples=6000, max_orders=3000, mean_free_path=l,
                               angles=ang, seed=seed, progress=False)

    def channel(name):
        c = CHANNELS.index(name)
        return (r.single[c] + r.ladder[c] + r.crossed[c],
                np.sqrt(r.single_stderr[c]**2 + r.ladder_stderr[c]**2
                        + r.crossed_stderr[c]**2))

    y, s = channel("helicity_preserving")
    cusp = slice(0, 13)   # q l_tr <= 1.5
    co = fit_cone(ang[cusp], y[cusp], stderr=s[cusp], fit_center=False, absorption=False,
                  wavelength=2 * np.pi * l / kl)
    y, s = channel("helicity_flip")
    cross = fit_cone(ang, y, stderr=s, fit_center=False, absorption=False, channel="cross",
                     kl=co.value("kl"), wavelength=2 * np.pi * l / kl)
    k, e, d = co.parameters["kl"], cross.parameters["enhancement"], \
        cross.parameters["depolarization"]
    line = (f"polarized cone (no absorption): helicity preserving k l_tr {k.value:.2f} +- "
            f"{k.stderr:.2f} (put in {kl:g}), E {co.value('enhancement'):.2f}; helicity flip "
            f"E {e.value:.3f} +- {e.stderr:.3f}, L_d {d.value:.2f} +- {d.stderr:.2f} l_tr")
    return "polarized", line, {"helicity preserving": co, "helicity flip": cross}


def _sigma_t(outdir, seed):
    from weakloc.fitting.sigma_t import fit_sigma_t
    from weakloc.plots import savefig
    from weakloc.plots.coherence import sigma_t_figure
    from weakloc.seeding import stream
    from weakloc.theory.interaction import interaction_coefficient, sigma_t_2d

    rng = stream(seed, 3)
    T = np.geomspace(0.3, 10.0, 14)
    a_ee = float(interaction_coefficient(0.4))
    s0 = sigma_t_2d(T, sigma_1k=1e-3, alpha_p=1.0, a_ee=a_ee) + 2e-7 * rng.standard_normal(14)
    sb = sigma_t_2d(T, sigma_1k=1.01e-3, alpha_p=0.0, a_ee=a_ee) + 2e-7 * rng.standard_normal(14)
    r = fit_sigma_t(T, s0, temperature_field=T, sigma_field=sb, dim=2, p=1.0)
    fig = savefig(sigma_t_figure(r), Path(outdir) / "coherence_sigma_t.png")
    par = r.parameters
    return Path(fig).name, [
        f"sigma(T): alpha p {par['alpha_p'].value:.3f} +- {par['alpha_p'].stderr:.3f} (1), "
        f"F_sigma {par['f_sigma'].value:.3f} +- {par['f_sigma'].stderr:.3f} (0.4)"], r.as_dict()


def _ring(outdir, seed):
    from weakloc.fitting.rings import ring_dephasing, ring_harmonics
    from weakloc.plots import savefig
    from weakloc.plots.coherence import ring_figure
    from weakloc.seeding import stream
    from weakloc.theory.rings import harmonic_decay, oscillation_period

    radius = 0.5e-6
    area = np.pi * radius**2
    f1 = 1.0 / float(oscillation_period(area))
    B = np.linspace(-0.2, 0.2, 1601)
    T = np.array([0.1, 0.2, 0.4, 0.8])
    results = []
    for i, t in enumerate(T):
        rng = stream(seed, 10 + i)
        lp = 2e-6 * t**-0.5
        G = (1e-4 + 2e-6 * B**2
             + 4e-6 * harmonic_decay(radius, lp, 1) * np.cos(2 * np.pi * f1 * B + 1.0)
             + 4e-6 * harmonic_decay(radius, lp, 2) * np.cos(4 * np.pi * f1 * B)
             + 2e-8 * rng.standard_normal(B.size))
        results.append((f"T = {t:g} K", ring_harmonics(B, G, area=area, area_spread=0.05)))
    lines, fits = [], {}
    for name, nh in (("h_over_e", 1), ("h_over_2e", 2)):
        est = [getattr(r, name) for _, r in results]
        fit = ring_dephasing(T, [e.value for e in est], [e.stderr for e in est],
                             radius=radius, harmonic=nh, p=1.0)
        fits[name] = fit.as_dict()
        lp = fit.l_phi_1k
        lines.append(f"ring {name.replace('_over_', '/')}: L_phi(1 K) {lp.value * 1e9:.0f} +- "
                     f"{lp.stderr * 1e9:.0f} nm (put in 2000)")
    fig = savefig(ring_figure(results), Path(outdir) / "coherence_ring.png")
    return Path(fig).name, lines, fits


def run(outdir: Path, seed: int) -> dict:
    """Run the four analyses; figures coherence_*.png."""
    figures, highlights, details = [], [], {}
    for name, part in (("ucf", _ucf), ("cone", _cone), ("sigma_t", _sigma_t),
                       ("ring", _ring)):
        fig, lines, doc = part(outdir, seed)
        figures.append(fig)
        highlights += lines
        details[name] = doc
    return {"figures": figures, "highlights": highlights, "results": details}
