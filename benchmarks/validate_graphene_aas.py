"""Graphene: weak localization turns into antilocalization with smooth disorder (h/2e sign).

McCann et al. (PRL 97, 146805 (2006)): in graphene, disorder that scatters between the
valleys K and K' gives weak localization; smooth disorder (correlation length xi of a few
a_cc) hardly does, each valley then has its own (pseudo-spin) time reversal with a Berry
phase pi, and the interference turns into antilocalization near the Dirac point; trigonal
warping breaks the single-valley symmetry and weakens it at higher energy.

The sign of the Cooperon is read off the Altshuler-Aronov-Spivak h/(2e) harmonic of an
edgeless honeycomb cylinder threaded by an Aharonov-Bohm flux (as
``benchmarks/validate_aas.py`` does on the square lattice): a periodic zigzag tube
(``width`` zigzag chains, circumference 1.5 width a_cc, ``length`` slices of sqrt(3) a_cc,
transport along x, a_cc = 1, t = 1), clean leads of the same tube, the flux Phi in the
sample and the leads on the grid (j + 1/2)/points, one period h/e. Two disorders:

* short-range: box disorder (uncorrelated, scatters between the valleys): a_2 < 0 expected;
* smooth: correlated Gaussian disorder, correlation xi, windowed to zero over ``taper``
  a_cc at both lead interfaces (a step there would scatter between the valleys): a_2 > 0
  expected at low energy.

Each sample is solved at every flux and at ``--energies`` energies over which the number
of open channels, which changes with Phi, sweeps one subband step uniformly (the subbands
open at |sin(2 pi (m + Phi)/width)| t; near the Dirac point the window is one spacing
2 pi hbar v_F / C = 2 pi t / width wide, C = 1.5 width a_cc), so its classical h/e
dependence averages out. One
SeedSequence stream per realization, the same disorder at every flux and energy.
:func:`weakloc.fitting.rings.flux_harmonics` gives a_1, a_2 of the average with the
standard error of the mean over samples. The transport regime per row: the mean clean
channel count N, <g> and the mean free path estimated from the quasi-1D Drude form
g = N l' / (L + l') (``l_est = L g / (N - g)``, L the disordered length in a_cc).

Command::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_graphene_aas.py
        [--samples 300] [--high 0.45,0.85] [--json benchmarks/results/graphene_aas.json]

Exit status 0 when short-range a_2 < 0 and smooth low-energy a_2 > 0, each at > 4 sigma.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from validate_aas import run as aas_row  # this folder: the harmonics row of one ensemble

from weakloc.io import write_json
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble


def window_energies(width: int, start: float, count: int) -> np.ndarray:
    """``count`` energies (units of t, below t) over which the open channels of a periodic
    zigzag tube of ``width`` chains sweep one subband step uniformly, from ``start``.

    The tube's subbands open at ``|E| = |sin(2 pi (m + Phi) / width)| t`` (one channel
    each, ``m = 0..width-1``, checked against the clean conductance), so the count is
    uniform in ``u = width arcsin(E) / (2 pi)``: ``E_k = sin(arcsin(start) + 2 pi (k + 1/2)
    / (count width))``, about ``start + 2 pi t (k + 1/2)/(count width)`` near the Dirac
    point."""
    u = np.arcsin(start) + 2 * np.pi * (np.arange(count) + 0.5) / (count * width)
    return np.sin(u)


def tube(width: int, length: int, kind: str, strength: float, xi: float, taper: float
         ) -> Lattice:
    """The periodic zigzag honeycomb tube with short-range ('box') or smooth disorder."""
    if kind == "box":
        return Lattice(lattice="honeycomb", edge="zigzag", boundary="periodic", width=width,
                       length=length, disorder=strength)
    return Lattice(lattice="honeycomb", edge="zigzag", boundary="periodic", width=width,
                   length=length, disorder=strength, disorder_kind="gaussian",
                   correlation=xi, taper=taper)


def run(name, lattice, energies, flux, samples, seed):
    """One row: the ensemble and its harmonics (as ``validate_aas.run``), plus the clean
    tube's channel count and the Drude estimate of the mean free path."""
    row = aas_row(name, lattice, energies, flux, samples, seed)
    clean = conductance_ensemble(tube(lattice.width, 2, "box", 0.0, 0.0, 0.0), energies,
                                 samples=1, seed=0, cylinder_fluxes=flux, progress=False)
    channels, g = float(clean.values.mean()), row["mean_g"]
    length = lattice.length * np.sqrt(3.0)
    row.update({"width": lattice.width, "length": lattice.length,
                "circumference_acc": 1.5 * lattice.width, "length_acc": length,
                "disorder": lattice.disorder, "disorder_kind": lattice.disorder_kind,
                "correlation": lattice.correlation, "taper": lattice.taper,
                "channels": channels,
                "mean_free_path_estimate": length * g / (channels - g)})
    print(f"   N = {channels:.2f} open channels, l' ~ "
          f"{row['mean_free_path_estimate']:.1f} a_cc against L = {length:.1f} a_cc",
          flush=True)
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=300, help="samples per row")
    ap.add_argument("--width", type=int, default=36, help="zigzag chains (even)")
    ap.add_argument("--length", type=int, default=40, help="slices of sqrt(3) a_cc")
    ap.add_argument("--short", type=float, default=2.0, help="box disorder W (t)")
    ap.add_argument("--smooth", type=float, default=1.0,
                    help="smooth disorder W (t): standard deviation W/sqrt(12)")
    ap.add_argument("--xi", type=float, default=3.0, help="correlation length (a_cc)")
    ap.add_argument("--taper", type=float, default=8.0, help="taper length (a_cc)")
    ap.add_argument("--low", type=float, default=0.15,
                    help="start of the low-energy window (t)")
    ap.add_argument("--high", default="",
                    help="starts of higher-energy windows for the smooth disorder, comma "
                         "separated (trigonal warping); none by default")
    ap.add_argument("--points", type=int, default=8, help="fluxes per period h/e")
    ap.add_argument("--energies", type=int, default=8, help="energies per window")
    ap.add_argument("--smooth-only", action="store_true",
                    help="skip the short-range row (for exploring the smooth regime)")
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--json", default=None, help="write the rows to this file")
    args = ap.parse_args(argv)
    flux = (np.arange(args.points) + 0.5) / args.points
    low = window_energies(args.width, args.low, args.energies)
    plan = [("short-range", "box", args.short, low),
            ("smooth", "gaussian", args.smooth, low)]
    for start in (float(x) for x in args.high.split(",") if x.strip()):
        plan.append(("smooth, higher energy", "gaussian", args.smooth,
                     window_energies(args.width, start, args.energies)))
    if args.smooth_only:
        plan = plan[1:]
    rows = []
    for label, kind, strength, es in plan:
        lat = tube(args.width, args.length, kind, strength, args.xi, args.taper)
        desc = (f"{label} ({kind} W={strength:g}"
                + (f", xi={args.xi:g}, taper={args.taper:g}" if kind != "box" else "")
                + f", E={es[0]:.3f}..{es[-1]:.3f})")
        rows.append(run(desc, lat, es, flux, args.samples, args.seed))
    if args.smooth_only:
        return 0
    checks = {"short-range: a2 < 0 at > 4 sigma": rows[0]["z2"] < -4,
              "smooth, low energy: a2 > 0 at > 4 sigma": rows[1]["z2"] > 4}
    diff = rows[1]["a2"] - rows[0]["a2"]
    err = float(np.hypot(rows[1]["a2_stderr"], rows[0]["a2_stderr"]))
    print(f"   sign change: a2(smooth) - a2(short) = {diff:+.4f} +- {err:.4f} "
          f"(z = {diff / err:+.1f})")
    ok = True
    for text, good in checks.items():
        print(f"   [{'ok' if good else 'FAIL'}] {text}")
        ok &= bool(good)
    if args.json:
        write_json(args.json, {"rows": rows, "flux": flux.tolist(), "seed": args.seed,
                               "args": vars(args), "difference": diff,
                               "difference_stderr": err, "ok": ok})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
