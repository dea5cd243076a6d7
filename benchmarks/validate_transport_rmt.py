"""Approach to the random-matrix values of a quasi-1D diffusive wire as N grows.

RMT (Beenakker, Rev. Mod. Phys. 69, 731 (1997)), g = Tr t^+ t in units of e^2/h:
WL correction -1/3 (orthogonal), +1/3 (symplectic, spin summed); var g = 2/15 (orthogonal),
1/15 (unitary), 2/15 (symplectic), valid for l << L << N l and N -> infinity.

For widths M the length is L = 12 sqrt(M), so both small parameters l/L and L/(N l) fall
like M^(-1/2); the mean free path is measured on the ensemble itself from the field-on
(unitary, no WL) mean, l' = L <g_B> / (N - <g_B>) (classical series resistance of N
channels, l' = (pi/2) l_tr in 2D). The WL correction is the paired difference
<g(0) - g(Phi = 10 h/e through M x L)> on the same disorder. Values are extrapolated
linearly in x = M^(-1/2) to x = 0.

Not part of the test suite (minutes). Run: ``PYTHONPATH=src python
benchmarks/validate_transport_rmt.py [--quick] [--json OUT]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance_ensemble, open_channels

ENERGY = 0.5
RMT = {"orthogonal": (-1 / 3, 2 / 15), "unitary": (0.0, 1 / 15), "symplectic": (1 / 3, 2 / 15)}


def run_class(model: str, widths, samples: int, disorder: float, workers: int):
    rows = []
    for m in widths:
        length = int(round(12 * np.sqrt(m)))
        lat = Lattice(width=m, length=length, disorder=disorder, spin_orbit=model)
        n_open = open_channels(lat, ENERGY)
        t0 = time.perf_counter()
        res = conductance_ensemble(lat, ENERGY, samples=samples, seed=1000 + m,
                                   fluxes=[0.0, 10.0 / (m * length)], workers=workers)
        g = res.values
        d = g[:, 0] - g[:, 1]
        gb = g[:, 1].mean()
        ell = length * gb / (n_open - gb)
        var0, varb = np.var(g[:, 0], ddof=1), np.var(g[:, 1], ddof=1)
        row = dict(model=model, M=m, L=length, N=n_open, W=disorder, samples=samples,
                   g0=float(g[:, 0].mean()), gB=float(gb), dg=float(d.mean()),
                   dg_se=float(d.std(ddof=1) / np.sqrt(samples)),
                   var0=float(var0), var0_se=float(var0 * np.sqrt(2 / (samples - 1))),
                   varB=float(varb), varB_se=float(varb * np.sqrt(2 / (samples - 1))),
                   l=float(ell), l_over_L=float(ell / length),
                   L_over_Nl=float(length / (n_open * ell)),
                   seconds=time.perf_counter() - t0)
        rows.append(row)
        print(f"{model:5s} M={m:3d} L={length:3d} N={n_open:3d} l'={ell:5.2f} "
              f"l/L={row['l_over_L']:.3f} L/(Nl)={row['L_over_Nl']:.3f} "
              f"dg={row['dg']:+.3f}+-{row['dg_se']:.3f} var0={var0:.4f}+-{row['var0_se']:.4f} "
              f"varB={varb:.4f}+-{row['varB_se']:.4f} ({row['seconds']:.0f} s)", flush=True)
    return rows


def extrapolate(rows, key):
    x = np.array([r["M"] ** -0.5 for r in rows])
    y = np.array([r[key] for r in rows])
    w = 1 / np.array([r[key + "_se"] for r in rows]) ** 2
    a = np.vstack([np.ones_like(x), x]).T
    cov = np.linalg.inv(a.T @ (a * w[:, None]))
    coef = cov @ (a.T @ (w * y))
    return float(coef[0]), float(np.sqrt(cov[0, 0]))


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    p.add_argument("--samples", type=int, default=400)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--json", help="write the rows here")
    args = p.parse_args(argv)
    widths_o = [16, 36] if args.quick else [16, 36, 64, 100]
    widths_s = [16, 36] if args.quick else [16, 36, 64]
    samples = 60 if args.quick else args.samples
    rows = run_class("none", widths_o, samples, 2.0, args.workers)
    rows += run_class("su2", widths_s, samples, 0.5, args.workers)
    out = {}
    for model, label_0, label_b in (("none", "orthogonal", "unitary"),
                                    ("su2", "symplectic", "unitary")):
        sub = [r for r in rows if r["model"] == model]
        dg, dg_se = extrapolate(sub, "dg")
        v0, v0_se = extrapolate(sub, "var0")
        vb, vb_se = extrapolate(sub, "varB")
        out[model] = dict(dg=(dg, dg_se), var0=(v0, v0_se), varB=(vb, vb_se))
        print(f"{model}: extrapolated to M -> inf: WL {dg:+.3f}+-{dg_se:.3f} "
              f"(RMT {RMT[label_0][0]:+.3f}); var g {label_0} {v0:.4f}+-{v0_se:.4f} "
              f"(RMT {RMT[label_0][1]:.4f}); {label_b} {vb:.4f}+-{vb_se:.4f} "
              f"(RMT {RMT[label_b][1]:.4f})")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, "extrapolated": out}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
