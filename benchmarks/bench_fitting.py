"""Benchmark: a global fit of 10 temperatures x 500 points (HLN, alpha shared).

Measured side by side in one run: the global fit with the systematic scan (field window
halved and doubled, sigma(0) choice, free offset: five global fits in all), the plain
global fit (which starts with the 10 independent fits), the 10 independent
per-temperature fits alone, and one evaluation of the model on all 5000 points. Printed as
seconds and ratios (best of 3 repeats each). Target: the scan under 10x the plain fit.
Run: PYTHONPATH=src python benchmarks/bench_fitting.py
"""

import time

import numpy as np

from weakloc.fitting.data import prepare_curve
from weakloc.fitting.temperature import fit_series
from weakloc.seeding import stream
from weakloc.theory.magnetoconductance import hln
from weakloc.units import G0

TEMPS = np.geomspace(0.5, 10.0, 10)
B = np.linspace(-0.2, 0.2, 2001)  # 501 points in the fitted window 0 <= B <= 0.1 T
SIG0 = 1e-3  # S per square


def curves():
    """Raw sheet conductances (sigma(0) included), prepared as a user's files would be,
    fitted up to 0.1 T so that the scan can double the window."""
    out = []
    for i, T in enumerate(TEMPS):
        y = SIG0 + hln(B, -0.5, 500e-9 * T**-0.5)
        y = y + 0.005 * G0 * stream(1, i).standard_normal(B.size)
        out.append(prepare_curve(B, y, quantity="sheet-conductance", temperature=float(T),
                                 bmax=0.1))
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
    t_scan, scan = best(lambda: fit_series(cs, "hln", shared=("alpha",), systematic=True))
    t_glob, glob = best(lambda: fit_series(cs, "hln", shared=("alpha",)))
    t_ind, _ = best(lambda: fit_series(cs, "hln"))
    Ball = np.concatenate([c.field for c in cs])
    Lall = np.repeat(500e-9 * TEMPS**-0.5, cs[0].points)
    t_eval, _ = best(lambda: hln(Ball, -0.5, Lall), repeats=20)
    nfev = glob.fits[0].nfev
    print(f"global fit + systematic scan:              {t_scan:.3f} s")
    print(f"global fit, 10 x {cs[0].points} points, alpha shared: {t_glob:.3f} s "
          f"({nfev} global evaluations)")
    print(f"10 independent fits:                       {t_ind:.3f} s")
    print(f"one model evaluation on {Ball.size} points:       {t_eval * 1e3:.3f} ms")
    print(f"ratio scan / plain global fit (target < 10): {t_scan / t_glob:.2f}")
    print(f"ratio global / independent fits:           {t_glob / t_ind:.2f}")
    print(f"ratio global fit / one model evaluation:   {t_glob / t_eval:.0f}")
    d = glob.dephasing
    print(f"check: p = {d['p']:.3f} +- {d['p_stderr']:.3f} (true 1), alpha = "
          f"{glob.fits[0].value('alpha'):.4f} +- {glob.fits[0].stderr('alpha'):.4f} "
          "(true -0.5)")
    f = scan.fits[0]
    print(f"check: L_phi at {f.temperature:.2g} K = {f.value('l_phi') * 1e9:.1f} +- "
          f"{f.stderr('l_phi') * 1e9:.1f} (stat) +- {f.systematic['l_phi'] * 1e9:.1f} (sys) nm "
          f"(true {500 * f.temperature**-0.5:.1f})")


if __name__ == "__main__":
    main()
