"""The Altshuler-Aronov-Spivak h/(2e) oscillation of disordered cylinders (Sharvin-Sharvin).

A square-lattice cylinder (periodic transverse boundaries, circumference M = length L,
box disorder W: l_e of a few lattice constants, so l_e << L) threaded by an Aharonov-Bohm
flux Phi (:attr:`weakloc.lattice.Lattice.cylinder_flux`, in the sample and the leads), its
Landauer conductance g (e^2/h, spin summed) on a symmetric grid of ``--points`` fluxes over
one period h/e, every sample at each flux and at ``--energies`` energies spread so that the
count of open lead channels sweeps two whole modes uniformly (a classical,
band-structure flux dependence of the mode count then averages out over the window). Each
realization draws its own SeedSequence stream (``weakloc.seeding.stream(seed, i)``), the
same disorder at every flux and energy.

:func:`weakloc.fitting.rings.flux_harmonics` gives, per system, the cosine harmonics
a_1 (h/e) and a_2 (h/2e) of the average with the standard error of the mean over samples,
and the rms h/e amplitude of single traces (one sample, one energy). Expected: a_2 < 0
(weak localization: minima at Phi = 0 and Phi_0/2) for the orthogonal cylinder and a_2 > 0
(anti-localization) with Ando spin-orbit coupling, each many sigma from zero; a_1 of the
average consistent with zero; single traces with an h/e amplitude far above both.

Command::

    PYTHONPATH=src nice -n 10 python benchmarks/validate_aas.py [--samples 1000]
        [--spin-samples 400] [--json OUT]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from weakloc.fitting.rings import flux_harmonics
from weakloc.io import write_json
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble


def window_energies(width: int, first_mode: float, count: int) -> np.ndarray:
    """Energies (units of t, 0 < E < 4) at which the Weyl count of open channels of a clean
    square cylinder, N(E) = M (1 - arccos(1 - E/2) / pi), takes ``count`` values spread
    uniformly over [first_mode, first_mode + 2)."""
    modes = first_mode + 2 * (np.arange(count) + 0.5) / count
    return 2 * (1 - np.cos(np.pi * (1 - modes / width)))


def run(name, lattice, energies, flux, samples, seed):
    t0 = time.perf_counter()
    res = conductance_ensemble(lattice, energies, samples=samples, seed=seed,
                               cylinder_fluxes=flux, progress=False)
    h = flux_harmonics(flux, res.values)
    row = {"system": name, "symmetry": res.symmetry, "samples": samples,
           "energies": energies.tolist(), "mean_g": float(res.values.mean()),
           "a1": h.average[1].value, "a1_stderr": h.average[1].stderr,
           "a2": h.average[2].value, "a2_stderr": h.average[2].stderr,
           "z1": h.significance(1), "z2": h.significance(2),
           "single_trace_rms_h_over_e": h.sample_rms[1],
           "single_trace_rms_h_over_2e": h.sample_rms[2],
           "mean_curve": h.mean.tolist(), "reliable": h.reliable, "notes": list(h.notes),
           "seconds": time.perf_counter() - t0}
    print(f"{name}: <g> = {row['mean_g']:.3f}, a1 = {row['a1']:+.4f} +- {row['a1_stderr']:.4f}"
          f" (z = {row['z1']:+.1f}), a2 = {row['a2']:+.4f} +- {row['a2_stderr']:.4f} "
          f"(z = {row['z2']:+.1f}), single-trace h/e rms {row['single_trace_rms_h_over_e']:.4f}"
          f", {row['seconds']:.0f} s", flush=True)
    print("   <g>(Phi):", " ".join(f"{x:.3f}" for x in h.mean), flush=True)
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--samples", type=int, default=1000)
    ap.add_argument("--spin-samples", type=int, default=400)
    ap.add_argument("--width", type=int, default=16, help="circumference M = length L")
    ap.add_argument("--disorder", type=float, default=3.0)
    ap.add_argument("--points", type=int, default=16, help="fluxes per period h/e")
    ap.add_argument("--energies", type=int, default=8)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--json", default=None, help="write the rows to this file")
    args = ap.parse_args(argv)
    m = args.width
    flux = (np.arange(args.points) + 0.5) / args.points   # symmetric: 0 and 1/2 left out
    energies = window_energies(m, round(0.7 * m), args.energies)
    rows = []
    for name, so, n in (("orthogonal", "none", args.samples),
                        ("symplectic (Ando S=0.5)", "ando", args.spin_samples)):
        if n < 2:
            continue
        lat = Lattice(width=m, length=m, disorder=args.disorder, boundary="periodic",
                      spin_orbit=so)
        rows.append(run(f"{name} M=L={m} W={args.disorder:g}", lat, energies, flux, n,
                        args.seed))
    ok = True
    for row in rows:
        sign = -1 if row["symmetry"] == "orthogonal" else 1
        checks = {"h/2e sign and > 4 sigma": sign * row["z2"] > 4,
                  "h/e of the average within 3 sigma of 0": abs(row["z1"]) < 3,
                  "single traces: h/e rms > 10 x its error on the average":
                      row["single_trace_rms_h_over_e"] > 10 * row["a1_stderr"]}
        for text, good in checks.items():
            print(f"   [{'ok' if good else 'FAIL'}] {row['system']}: {text}")
            ok &= bool(good)
    if args.json:
        write_json(args.json, {"rows": rows, "flux": flux.tolist(), "seed": args.seed})
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
