"""Validation of the real-space Kubo method (results recorded in BENCHMARKS.md).

Run one part at a time, e.g. ``PYTHONPATH=src python benchmarks/validate_kubo.py slopes``:

* ``slopes [--size N] [--vectors R] [--samples S]``: ln t slope of sigma(t) in the three
  classes (orthogonal, unitary with flux 256/N^2 h/e per plaquette, symplectic SU(2)) on
  an N x N torus, W = 4,
  E = -1, window 5 tau .. t_max with t_max where the rms spreading reaches N/4;
* ``hln [--size N]``: sigma(B; tau_phi) on the torus, fitted with weakloc's HLN model,
  against L_phi = sqrt(D_0 tau_phi) (D_0 the Drude constant of the crossover fit);
* ``field``: the magnetoconductance of the same model from Landauer, Kubo and HLN;
* ``landauer``: dephased Kubo sigma at tau_phi = L^2/(pi^2 D_0) against the
  disorder-averaged Landauer conductance of an L x L square (contact resistance removed).
"""

import argparse
import time

import numpy as np

from weakloc.dynamics import TorusLattice


def slopes(args):
    from weakloc.kubo import kubo_conductivity, log_slope

    n, w, e = args.size, 4.0, -1.0
    d_guess = 2.2                                   # Born D at W = 4, E = -1 (t a^2/hbar)
    t_max = float(round((n / 4) ** 2 / (2 * d_guess)))
    # unitary: flux 256/N^2 per plaquette; the Cooperon decays as x/sinh(x), x = 4 pi D phi t
    # (Landau levels of the Cooperon), x = 1 at t ~ 2 tau for W = 4
    cases = {"orthogonal": (dict(), -1.0), "unitary": (dict(flux=256 / n**2), 0.0),
             "symplectic": (dict(spin_orbit="su2"), 1.0)}
    for i, (label, (kw, expect)) in enumerate(cases.items()):
        if args.classes and label not in args.classes:
            continue
        t0 = time.perf_counter()
        res = kubo_conductivity(TorusLattice(size=n, disorder=w, **kw), e, [t_max],
                                vectors=args.vectors, samples=args.samples, seed=100 + i,
                                dos_moments=None, progress=False)
        fit = log_slope(res, 5 * res.crossover["tau"], t_max)
        print(f"{label:10s} N = {n}, W = {w}, E = {e}, {args.samples} x {args.vectors} "
              f"vectors, window {5 * res.crossover['tau']:.1f} .. {t_max:g}: "
              f"2 pi dsigma/dln t = {fit['in_2pi']:+.3f} +- {fit['in_2pi_stderr']:.3f} "
              f"(one loop {expect:+.0f}); sigma(t_max) = {res.conductivity[-1]:.3f} e^2/h; "
              f"{time.perf_counter() - t0:.0f} s", flush=True)


def hln(args):
    from weakloc.kubo.magneto import kubo_magnetoconductance

    n, w, e, tau_phi = args.size, 4.0, -1.0, 17.0
    # fields from B_phi/8 to ~6 B_phi for the expected L_phi ~ 6.4 a (B_phi in flux quanta
    # through the torus: N^2/(8 pi L_phi^2)); N = 128 gives 2, 4, 8, 16, 32, 64, 100
    b_guess = n * n / (8 * np.pi * 6.37**2)
    quanta = [int(round(b_guess * f)) for f in (0.125, 0.25, 0.5, 1, 2, 4, 6.2)]
    t0 = time.perf_counter()
    r = kubo_magnetoconductance(TorusLattice(size=n, disorder=w), e, tau_phi, quanta,
                                vectors=args.vectors, samples=args.samples, seed=7,
                                filter_width=0.3)
    b_phi = n * n / (8 * np.pi * r.l_phi_expected**2)
    print(f"HLN on the torus: N = {n}, W = {w}, E = {e}, tau_phi = {tau_phi}, "
          f"{args.samples} x {args.vectors} vectors, eta = 0.3 t; flux quanta {quanta} "
          f"(B_phi ~ {b_phi:.1f} quanta)")
    print(f"  dsigma (e^2/h) = {np.round(r.dsigma, 4).tolist()}")
    print(f"  stderr         = {np.round(r.dsigma_stderr, 4).tolist()}")
    print(f"  D_0 = {r.drude_diffusion:.3f}, sqrt(D_0 tau_phi) = {r.l_phi_expected:.2f} a; "
          f"HLN fit L_phi = {r.l_phi_fit:.2f} +- {r.l_phi_fit_stderr:.2f} a, alpha = "
          f"{r.alpha_fit:.3f} +- {r.alpha_fit_stderr:.3f} (spinless: 0.5); "
          f"{time.perf_counter() - t0:.0f} s", flush=True)


def landauer(args):
    from weakloc.kubo import kubo_conductivity
    from weakloc.lattice import Lattice
    from weakloc.transport.landauer import conductance_ensemble

    w, e, size = 3.0, -1.0, args.length
    t0 = time.perf_counter()
    g = conductance_ensemble(Lattice(dim=2, width=size, length=size, disorder=w,
                                     boundary="periodic"), e, samples=32, seed=1,
                             progress=False, workers=1)
    n_open = g.open_channels
    sig_l = 1.0 / (1.0 / g.mean - 1.0 / n_open)
    err_l = g.stderr / g.mean**2 * sig_l**2
    lat = TorusLattice(size=args.size, disorder=w)
    r0 = kubo_conductivity(lat, e, [10.0], vectors=2, samples=2, seed=2, dos_moments=None,
                           progress=False)
    d0 = r0.crossover["drude_diffusion"]
    tau_phi = size**2 / (np.pi**2 * d0)
    r = kubo_conductivity(lat, e, [tau_phi], tau_phi=tau_phi, vectors=args.vectors,
                          samples=args.samples, seed=3, dos_moments=None, progress=False)
    print(f"Landauer {size} x {size} (periodic, W = {w}, E = {e}, 32 samples): "
          f"g = {g.mean:.3f} +- {g.stderr:.3f}, N = {n_open}, sigma = 1/(1/g - 1/N) = "
          f"{sig_l:.3f} +- {err_l:.3f} e^2/h")
    print(f"Kubo {args.size}^2 torus, D_0 = {d0:.3f}, tau_phi = L^2/(pi^2 D_0) = "
          f"{tau_phi:.2f}: sigma(tau_phi) = {r.dephased['value']:.3f} +- "
          f"{r.dephased['stderr']:.3f} e^2/h; {time.perf_counter() - t0:.0f} s", flush=True)


def field(args):
    """The field response, three ways: Landauer magnetoconductance of a 32 x 32 square (hard
    walls, W = 3, E = -1 + 1e-3 off the lead band edge, 96 samples), Kubo dsigma(B;
    tau_phi = 27 ~ L^2/(pi^2 D_0)) on a 128^2 torus (8 x 1 vectors, window 0.3 t) and HLN
    with alpha = 1/2 at L_phi = sqrt(D_0 tau_phi), at the same fluxes per plaquette."""
    from weakloc.kubo.magneto import kubo_magnetoconductance
    from weakloc.lattice import Lattice
    from weakloc.theory.magnetoconductance import digamma_f
    from weakloc.transport.landauer import conductance_ensemble

    w, e, size, n = 3.0, -1.0, 32, 128
    q = np.array([8, 16, 33, 66])
    phis = q / n**2
    g = conductance_ensemble(Lattice(dim=2, width=size, length=size, disorder=w), e + 1e-3,
                             samples=96, seed=1, fluxes=np.r_[0.0, phis], progress=False,
                             workers=1)
    d = g.values[:, 1:] - g.values[:, :1]
    r = kubo_magnetoconductance(TorusLattice(size=n, disorder=w), e, 27.0, list(q),
                                vectors=1, samples=8, seed=3, filter_width=0.3)
    bphi = 1 / (8 * np.pi * r.l_phi_expected**2)
    hln = 0.5 / np.pi * np.array([float(digamma_f(bphi / p)) for p in phis])
    print(f"flux per plaquette {np.round(phis, 5).tolist()}")
    print(f"  Landauer dG   {np.round(d.mean(0), 4).tolist()} +- "
          f"{np.round(d.std(0, ddof=1) / np.sqrt(d.shape[0]), 4).tolist()}")
    print(f"  Kubo dsigma   {np.round(r.dsigma, 4).tolist()} +- "
          f"{np.round(r.dsigma_stderr, 4).tolist()}")
    print(f"  HLN, L_phi = {r.l_phi_expected:.2f} a: {np.round(hln, 4).tolist()}", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("part", choices=("slopes", "hln", "landauer", "field"))
    ap.add_argument("--size", type=int, default=128)
    ap.add_argument("--length", type=int, default=32)
    ap.add_argument("--vectors", type=int, default=2)
    ap.add_argument("--samples", type=int, default=4)
    ap.add_argument("--classes", nargs="*", default=None,
                    help="slopes: only these classes (orthogonal unitary symplectic)")
    args = ap.parse_args()
    {"slopes": slopes, "hln": hln, "landauer": landauer, "field": field}[args.part](args)


if __name__ == "__main__":
    main()
