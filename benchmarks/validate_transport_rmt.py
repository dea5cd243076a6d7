"""Approach to the random-matrix values of a quasi-1D diffusive wire.

RMT (Beenakker, Rev. Mod. Phys. 69, 731 (1997)), g = Tr t^+ t in units of e^2/h:
WL correction -1/3 (orthogonal), +1/3 (symplectic, spin summed); var g = 2/15 (orthogonal),
1/15 (unitary), 2/15 (symplectic), valid for M << L, l << L << N l and N -> infinity.

Geometry. A strip of width M and length L has the diffusive UCF of a rectangle,
var g = (2/15) f(L/M) / beta' with f(r) = (90/pi^4) sum_{n>=1, m>=0} (n^2 + m^2 r^2)^(-2)
(diffuson modes, Dirichlet at the leads, Neumann at the walls; Lee, Stone and Fukuyama,
Phys. Rev. B 35, 1039 (1987)). f(1) = 1.392 (square: 0.186 for spinless orthogonal),
f(2) = 1.078, f(4) = 1.012, f(5) = 1.006; only f -> 1 is quasi-1D.

Families (E = 0.5, hard walls, l' measured on each ensemble from the field-on mean,
l' = L <g_B> / (N - <g_B>), the classical series resistance of N channels):

* spinless: L = 5 M and box disorder W = 2.53 M^(-1/4), so that l' ~ 5 M^(1/2) and both
  l'/L and L/(N l') fall like M^(-1/2). Fields: 0.02, 0.04, 0.08 L flux quanta through
  M x L (M / R_c = 2 pi Phi / (k_F L) <~ 0.4, the same at every size).
* SU(2) (W = 0): the random SU(2) hopping alone sets l' ~ 2.2, so L/(N l') ~ (L/M) / 3.6
  cannot be small at a quasi-1D aspect ratio; aspect ratios 2 and 4 at growing M are run,
  with fields 2.5, 5, 10 h/e through M x L (l' << M). Aspect ratios 1 and 1.5 at M = 24 add
  smaller L/(N l') at the price of a larger, computed, geometry factor f.

WL correction: the paired difference <g(0) - g_inf> on the same disorder, g_inf the
field-on limit of :func:`measure` (Cooperon tail and classical term removed). Fit models
(weighted by the standard errors): spinless, y = y_inf + a M^(-1/2) (var g divided by
f(L/M) first); SU(2), y = y_inf + a L/(N l') over the rows with L/(N l') < 0.6 (l'/L < 0.1
there; var g divided by f(L/M)). Also printed: the weighted mean of var g(0) / f over the
same rows (var0_mean, with its chi^2 about the mean).

Dirty family (``--family dirty``, :func:`dirty_family`): l' << M as well, which is what the
ballistic families above lack (there the field bends trajectories before it removes the
Cooperon); L = 4 M, fits linear in L/(N l') (:func:`summarize_dirty`).

Not part of the test suite (ballistic families about 10 minutes on 2 cores, the dirty family
about 50). Run: ``PYTHONPATH=src python benchmarks/validate_transport_rmt.py [--quick]
[--workers 2] [--json OUT] [--family ballistic|dirty] [--only MODEL:M ...]``.
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


def ucf_geometry_factor(ratio: float, nmax: int = 4000) -> float:
    """Diffusive UCF of an L x M rectangle relative to the quasi-1D value, f(L/M)."""
    n = np.arange(1, nmax + 1, dtype=float)[:, None]
    m = np.arange(0, nmax // 10 + 1, dtype=float)[None, :]
    return float(90 / np.pi ** 4 * np.sum((n ** 2 + (m * ratio) ** 2) ** -2.0))


def measure(model, m, length, disorder, quanta, samples, seed, workers, soc=None):
    """One ensemble at flux 0 and at three fluxes ``quanta`` (h/e through M x L).

    The field-on limit g_inf is taken per realization (same disorder) as the combination
    sum_k w_k g(Phi_k) that removes a Cooperon tail c / Phi (delta g ~ L_B / L ~ 1/Phi in a
    wire) and a classical magnetoresistance d Phi^2: sum w = 1, sum w / Phi = 0,
    sum w Phi^2 = 0.
    """
    extra = {} if soc is None else {"soc": soc}
    lat = Lattice(width=m, length=length, disorder=disorder, spin_orbit=model, **extra)
    n_open = open_channels(lat, ENERGY)
    t0 = time.perf_counter()
    quanta = np.asarray(quanta, dtype=float)
    res = conductance_ensemble(lat, ENERGY, samples=samples, seed=seed,
                               fluxes=np.concatenate([[0.0], quanta / (m * length)]),
                               workers=workers)
    g = res.values
    phi = quanta[-3:]
    w = np.linalg.solve(np.vstack([np.ones(3), 1 / phi, phi ** 2]), [1.0, 0.0, 0.0])
    g_inf = g[:, -3:] @ w
    se = np.sqrt(2 / (samples - 1))
    row = dict(model=model, soc=soc, M=m, L=length, N=n_open, W=round(disorder, 4), samples=samples,
               seed=seed, quanta_B=quanta.tolist(), g0=float(g[:, 0].mean()),
               f=ucf_geometry_factor(length / m), L_over_M=length / m)
    row["dg_each"] = [float((g[:, 0] - g[:, k]).mean()) for k in range(1, g.shape[1])]
    row["varB_each"] = [float(np.var(g[:, k], ddof=1)) for k in range(1, g.shape[1])]
    for key, d in (("dg", g[:, 0] - g_inf), ("dg_last", g[:, 0] - g[:, -1])):
        row[key], row[key + "_se"] = float(d.mean()), float(d.std(ddof=1) / np.sqrt(samples))
    for key, x in (("var0", g[:, 0]), ("varB", g_inf), ("varB_last", g[:, -1])):
        v = np.var(x, ddof=1)
        row[key], row[key + "_se"] = float(v), float(v * se)
    # var at the field-on limit: sum_k w_k var(g_k), standard error from the paired terms
    dev = g[:, -3:] - g[:, -3:].mean(axis=0)
    q = (dev ** 2) @ w
    row["varB"], row["varB_se"] = float(q.sum() / (samples - 1)), float(
        q.std(ddof=1) / np.sqrt(samples))
    row["weights"] = w.tolist()
    row["g"] = np.round(g, 7).tolist()
    gb = float(g_inf.mean())
    ell = length * gb / (n_open - gb)
    row.update(gB=gb, l=float(ell), l_over_L=float(ell / length),
               L_over_Nl=float(length / (n_open * ell)), seconds=time.perf_counter() - t0)
    print(f"{model:4s} M={m:3d} L={length:3d} W={disorder:.3f} N={n_open:3d} "
          f"l'={ell:5.2f} l/L={row['l_over_L']:.3f} L/(Nl)={row['L_over_Nl']:.3f} "
          f"f={row['f']:.3f} dg(each)={np.round(row['dg_each'], 3).tolist()} "
          f"dg={row['dg']:+.3f}+-{row['dg_se']:.3f} "
          f"var0={row['var0']:.4f}+-{row['var0_se']:.4f} "
          f"varB(each)={np.round(row['varB_each'], 4).tolist()} "
          f"varB={row['varB']:.4f}+-{row['varB_se']:.4f} ({row['seconds']:.0f} s)", flush=True)
    return row


def fit(rows, key, columns, geometry):
    """Weighted least squares y = c0 + sum_k c_k column_k; returns (c0, se(c0), chi2, dof)."""
    div = np.array([r["f"] if geometry else 1.0 for r in rows])
    y = np.array([r[key] for r in rows]) / div
    s = np.array([r[key + "_se"] for r in rows]) / div
    a = np.vstack([np.ones(len(rows))] + [[c(r) for r in rows] for c in columns]).T
    w = 1 / s ** 2
    cov = np.linalg.inv(a.T @ (a * w[:, None]))
    coef = cov @ (a.T @ (w * y))
    chi2 = float(np.sum(w * (y - a @ coef) ** 2))
    return float(coef[0]), float(np.sqrt(cov[0, 0])), chi2, len(rows) - a.shape[1]


def report(model, res, lab0):
    """Print the extrapolated values of one model next to the RMT ones."""
    txt = ", ".join(f"{k} {v[0]:+.4f}+-{v[1]:.4f} (chi2 {v[2]:.1f}/{v[3]})"
                    for k, v in res.items())
    print(f"{model} extrapolated: {txt}; RMT dg {RMT[lab0][0]:+.4f}, var0 "
          f"{RMT[lab0][1]:.4f}, varB {RMT['unitary'][1]:.4f}", flush=True)


def summarize(rows):
    """Fits of the module docstring; prints and returns them."""
    sub_o = [r for r in rows if r["model"] == "none"]
    sub_s = [r for r in rows if r["model"] == "su2" and r["L_over_Nl"] < 0.6]
    col_o = [lambda r: r["M"] ** -0.5]
    col_s = [lambda r: r["L_over_Nl"]]
    out = {}
    for model, sub, cols, lab0 in (("none", sub_o, col_o, "orthogonal"),
                                   ("su2", sub_s, col_s, "symplectic")):
        if len(sub) < 3:  # e.g. --quick: too few rows for a fit
            continue
        res = {k: fit(sub, k, cols, geometry=(k != "dg")) for k in ("dg", "var0", "varB")}
        v0 = np.array([r["var0"] / r["f"] for r in sub])
        w = np.array([(r["f"] / r["var0_se"]) ** 2 for r in sub])
        res["var0_mean"] = (float(np.sum(w * v0) / w.sum()), float(w.sum() ** -0.5),
                            float(np.sum(w * (v0 - np.sum(w * v0) / w.sum()) ** 2)), len(sub) - 1)
        out[model] = res
        report(model, res, lab0)
    return out


def dirty_quanta(m, length, ell, omega_tau=(0.075, 0.15, 0.3), k_fermi=1.5):
    """Fluxes (h/e through M x L) at cyclotron parameters omega_c tau = l / R_c = ``omega_tau``.

    R_c = k_F l_m^2 and phi per plaquette = 1 / (2 pi l_m^2) (lattice units, k_F ~ 1.5 at
    E = 0.5). omega_c tau <= 0.3 keeps the classical bending small (it sets the d Phi^2
    term), while L_B = 3^(1/2) l_m^2 / M stays a few per cent of L or less, so these fields
    sit on the plateau of g(Phi) past the Cooperon crossover.
    """
    return [m * length * k_fermi * x / (2 * np.pi * ell) for x in omega_tau]


def dirty_family(quick, workers, only=None):
    """Samples with l' << M, the regime where a field removes the Cooperon cleanly.

    The ballistic families (l' ~ M) cannot: the flux through the trajectories of width-
    spanning orbits cancels (Beenakker and van Houten), and the field bends them classically
    before the Cooperon is gone (M = 32, l' = 28: g(0) - g(Phi) saturates at -0.16 and turns
    around at l_m ~ 7). Here L = 4 M and l' = 16 (M / 64)^(2/3), so l'/M, l'/L and
    L/(N l') all fall as M grows (M^(-1/3), M^(-1/3), M^(-2/3)); box disorder
    W = 1.41 (16 / l')^(1/2). Spin-orbit (Ando, S = 0.3, every bond, W = 1.73 (11 / l')^(1/2),
    l' = 11 (M / 32)^(2/3)): the symplectic class with l' << M, which the SU(2) model
    (l' = 2.2 fixed) cannot give at small L/(N l').
    """
    if quick:
        plan = [("none", 32, 100), ("ando", 16, 100)]
    else:
        plan = [("none", 48, 1500), ("none", 64, 1200), ("none", 96, 800), ("none", 128, 500),
                ("ando", 24, 1500), ("ando", 32, 1200), ("ando", 48, 800), ("ando", 64, 800)]
    if only:
        plan = [row for row in plan if f"{row[0]}:{row[1]}" in only]
    rows = []
    for model, m, n in plan:
        length = 4 * m
        if model == "none":
            ell = 16 * (m / 64) ** (2 / 3)
            w = 1.41 * np.sqrt(16 / ell)
        else:
            ell = 11 * (m / 32) ** (2 / 3)
            w = 1.73 * np.sqrt(11 / ell)
        rows.append(measure(model, m, length, w, dirty_quanta(m, length, ell), n,
                            5000 + m + (100 if model == "ando" else 0), workers,
                            soc=0.3 if model == "ando" else None))
    return rows


def summarize_dirty(rows):
    """y = y_inf + a L/(N l') per model (var g divided by f(4) = 1.012 first)."""
    out = {}
    for model, lab0 in (("none", "orthogonal"), ("ando", "symplectic")):
        sub = [r for r in rows if r["model"] == model]
        if len(sub) < 3:
            continue
        cols = [lambda r: r["L_over_Nl"]]
        res = {k: fit(sub, k, cols, geometry=(k != "dg")) for k in ("dg", "var0", "varB")}
        out[model] = res
        report(model, res, lab0)
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--json", help="write the rows here")
    p.add_argument("--family", choices=("ballistic", "dirty"), default="ballistic",
                   help="ballistic: l' ~ M (the first families); dirty: l' << M (see "
                        "dirty_family)")
    p.add_argument("--only", nargs="*", metavar="MODEL:M",
                   help="dirty family: run only these rows, e.g. ando:64 none:128")
    args = p.parse_args(argv)
    if args.family == "dirty":
        rows = dirty_family(args.quick, args.workers, args.only)
        out = summarize_dirty(rows)
        if args.json:
            with open(args.json, "w") as fh:
                json.dump({"rows": rows, "extrapolated": out, "energy": ENERGY,
                           "family": "dirty"}, fh, indent=1)
        return 0
    if args.quick:
        plan_o = [(16, 200), (24, 200)]
        plan_s = [(2, 12, 100), (4, 12, 100)]
    else:
        plan_o = [(16, 2000), (24, 2000), (32, 1500), (48, 1000)]
        plan_s = [(2, 12, 1000), (2, 16, 1000), (2, 24, 600),
                  (4, 12, 1000), (4, 16, 1000), (4, 24, 600), (1, 24, 1000), (1.5, 24, 1000)]
    rows = [measure("none", m, 5 * m, 2.53 * m ** -0.25, [0.1 * m, 0.2 * m, 0.4 * m], n,
                    1000 + m, args.workers) for m, n in plan_o]
    rows += [measure("su2", m, int(round(r * m)), 0.0, [2.5, 5.0, 10.0], n,
                     int(2000 + 10 * r + m), args.workers) for r, m, n in plan_s]
    out = summarize(rows)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, "extrapolated": out, "energy": ENERGY}, fh, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
