"""Benchmark: a global fit of 10 temperatures x 500 points (HLN, alpha shared).

Measured side by side in one run: the global fit (which starts with the 10 independent
fits), the 10 independent per-temperature fits alone, and one evaluation of the model on
all 5000 points. Printed as seconds and ratios (best of 3 repeats each).
Run: PYTHONPATH=src python benchmarks/bench_fitting.py
"""

import time

import numpy as np

from weakloc.fitting.data import Curve
from weakloc.fitting.temperature import fit_series
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import hln
from weakloc.units import G0

TEMPS = np.geomspace(0.5, 10.0, 10)
B = np.linspace(0.0, 0.2, 500)


def curves():
    out = []
    for i, T in enumerate(TEMPS):
        y = hln(B, -0.5, 500e-9 * T**-0.5) + 0.005 * G0 * stream(1, i).standard_normal(B.size)
        out.append(Curve(field=B, dsigma=y, temperature=float(T)))
    return out


def best(f, repeats=3):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        res = f()
        times.append(time.perf_counter() - t0)
    return min(times), res


def main():
    cs = curves()
    fit_series(cs[:1], "hln")  # warm up imports
    t_glob, glob = best(lambda: fit_series(cs, "hln", shared=("alpha",)))
    t_ind, _ = best(lambda: fit_series(cs, "hln"))
    Ball = np.concatenate([B] * len(TEMPS))
    Lall = np.repeat(500e-9 * TEMPS**-0.5, B.size)
    t_eval, _ = best(lambda: hln(Ball, -0.5, Lall), repeats=20)
    nfev = glob.fits[0].nfev
    print(f"global fit, 10 x 500 points, alpha shared: {t_glob:.3f} s "
          f"({nfev} global evaluations)")
    print(f"10 independent fits:                       {t_ind:.3f} s")
    print(f"one model evaluation on 5000 points:       {t_eval * 1e3:.3f} ms")
    print(f"ratio global / independent fits:           {t_glob / t_ind:.2f}")
    print(f"ratio global fit / one model evaluation:   {t_glob / t_eval:.0f}")
    d = glob.dephasing
    print(f"check: p = {d['p']:.3f} +- {d['p_stderr']:.3f} (true 1), alpha = "
          f"{glob.fits[0].value('alpha'):.4f} +- {glob.fits[0].stderr('alpha'):.4f} "
          "(true -0.5)")


if __name__ == "__main__":
    main()
