"""Landauer conductance: time per realization against Kwant, flop rate against zgemm, memory.

Everything is measured side by side in one run (the machine is shared and noisy):

* weakloc and (when importable) Kwant 1.5.0 on the same onsite array of a 64 x 256 strip
  (box disorder W = 1.5, E = 0.5) and of a 16 x 16 x 64 bar; Kwant's time is building and
  finalizing the system plus ``kwant.smatrix``; weakloc's is realizing plus solving
  (leads cached after the first call, whose cost is reported separately);
* the achieved rate, counted as 16 n^3 real flops per slice (inversion + product, the usual
  RGF count), as a fraction of this machine's complex matrix product (zgemm) rate at the
  same n, both on one thread; and the two-thread ensemble throughput against the two-thread
  zgemm rate;
* the memory of a 32 x 100000 strip (peak RSS of a fresh process, minus its RSS after the
  imports).

Kwant lives in its own environment; run it there to get the ratios, e.g.
``PYTHONPATH=src /work/kwantenv/bin/python benchmarks/bench_transport.py``.
Without Kwant the script says so and reports the rest.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance, conductance_ensemble

ENERGY = 0.5
DISORDER = 1.5


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times), float(np.median(times))


def zgemm_rate(n, threads, bursts=20):
    """Best-of-bursts complex matrix-product rate (real flops/s) at size n."""
    rng = np.random.default_rng(0)
    a = rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n))
    b = a.copy()
    k = max(2, int(2e8 / (8 * n**3)))   # ~0.2 GFLOP per burst
    with threadpool_limits(threads, user_api="blas"):
        a @ b

        def burst():
            for _ in range(k):
                a @ b

        best, _ = best_of(burst, bursts)
        # the kernel's LAPACK is scipy's OpenBLAS: measure its zgemm too, keep the faster
        from scipy.linalg.blas import zgemm

        af, bf = np.asfortranarray(a), np.asfortranarray(b)

        def burst_scipy():
            for _ in range(k):
                zgemm(1.0, af, bf)

        best = min(best, best_of(burst_scipy, bursts)[0])
    return 8.0 * n**3 * k / best


def kwant_time(lat, onsite, repeat):
    try:
        import kwant
    except ImportError:
        return None
    dim = lat.dim
    kl = kwant.lattice.general(np.eye(dim), norbs=1)
    shape = onsite.shape

    def build():
        syst = kwant.Builder()
        for idx in np.ndindex(*shape):
            syst[kl(*idx)] = onsite[idx]
        syst[kl.neighbors()] = -1.0
        lead = kwant.Builder(kwant.TranslationalSymmetry(tuple([-1] + [0] * (dim - 1))))
        for idx in np.ndindex(*shape[1:]):
            lead[kl(0, *idx)] = 0.0
        lead[kl.neighbors()] = -1.0
        syst.attach_lead(lead)
        syst.attach_lead(lead.reversed())
        return syst.finalized()

    # same footing as weakloc: BLAS (used by MUMPS) on one thread
    with threadpool_limits(1, user_api="blas"):
        fsyst = build()
        g = kwant.smatrix(fsyst, ENERGY).transmission(1, 0)
        t_build, _ = best_of(build, repeat)
        t_solve, _ = best_of(lambda: kwant.smatrix(fsyst, ENERGY).transmission(1, 0), repeat)
    return dict(version=kwant.__version__, build_s=t_build, solve_s=t_solve,
                total_s=t_build + t_solve, g=float(g))


def case(name, lat, repeat):
    onsite = np.random.default_rng(1).uniform(-DISORDER / 2, DISORDER / 2,
                                              size=lat.onsite_shape)
    n, length = lat.n, lat.length
    t0 = time.perf_counter()
    g = conductance(lat.realize(onsite=onsite), ENERGY)
    first = time.perf_counter() - t0
    t_one, t_med = best_of(lambda: conductance(lat.realize(onsite=onsite), ENERGY), repeat)
    flops = 16.0 * n**3 * length
    samples = 4 * repeat
    t0 = time.perf_counter()
    conductance_ensemble(lat, ENERGY, samples=samples, seed=3, workers=2, progress=False)
    t_ens = (time.perf_counter() - t0) / samples
    gemm1, gemm2 = zgemm_rate(n, 1), zgemm_rate(n, 2)
    out = dict(name=name, n=n, length=length, g=float(g), first_call_s=first,
               weakloc_s=t_one, weakloc_median_s=t_med, ensemble_2threads_s=t_ens,
               rate_1thread=flops / t_one, zgemm_1thread=gemm1,
               rate_2threads=flops / t_ens, zgemm_2threads=gemm2)
    kw = kwant_time(lat, onsite, max(2, repeat // 2))
    out["kwant"] = kw
    print(f"--- {name}: n = {n}, L = {length}, g = {g:.10f}")
    print(f"weakloc, one thread: {t_one * 1e3:8.1f} ms per realization (median "
          f"{t_med * 1e3:.1f}; first call incl. leads and JIT {first * 1e3:.0f} ms)")
    print(f"weakloc, ensemble on 2 threads: {t_ens * 1e3:8.1f} ms per realization")
    print(f"rate (16 n^3 flops/slice), 1 thread: {flops / t_one / 1e9:6.1f} GFLOP/s = "
          f"{flops / t_one / gemm1:.2f} x zgemm({n}) {gemm1 / 1e9:.1f} GFLOP/s")
    print(f"rate, 2 threads: {flops / t_ens / 1e9:6.1f} GFLOP/s = "
          f"{flops / t_ens / gemm2:.2f} x 2-thread zgemm({n}) {gemm2 / 1e9:.1f} GFLOP/s")
    if kw is None:
        print("Kwant: not importable in this environment, comparison skipped "
              "(run with the Kwant venv, see the module docstring)")
    else:
        print(f"Kwant {kw['version']}: build {kw['build_s'] * 1e3:.0f} ms + solve "
              f"{kw['solve_s'] * 1e3:.0f} ms = {kw['total_s'] * 1e3:.0f} ms; "
              f"|g_kwant - g_weakloc| = {abs(kw['g'] - g):.1e}")
        print(f"speed-up per realization: {kw['total_s'] / t_one:.1f}x (one thread), "
              f"{kw['total_s'] / t_ens:.1f}x (weakloc ensemble on 2 threads)")
    return out


_MEMORY_SCRIPT = """
import json, resource, threading, time
from weakloc.lattice import Lattice
from weakloc.transport.landauer import conductance


def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * resource.getpagesize()


lat = Lattice(width=32, length=100000, disorder=1.5)
conductance(Lattice(width=32, length=4, disorder=1.5).realize(0), 0.5)   # JIT, leads
base = rss()
peak = [base]
done = threading.Event()


def poll():
    while not done.is_set():
        peak[0] = max(peak[0], rss())
        time.sleep(0.005)


th = threading.Thread(target=poll)
th.start()
t0 = time.perf_counter()
g = conductance(lat.realize(7), 0.5, method="caroli")
dt = time.perf_counter() - t0
done.set()
th.join()
print(json.dumps(dict(g=g, seconds=dt, base=base, peak=max(peak[0], rss()))))
"""


def memory_case():
    res = subprocess.run([sys.executable, "-c", _MEMORY_SCRIPT], capture_output=True,
                         text=True)
    if res.returncode != 0:
        print("--- 32 x 100000 strip: failed:", res.stderr.strip().splitlines()[-1:])
        return None
    doc = json.loads(res.stdout.strip().splitlines()[-1])
    extra = (doc["peak"] - doc["base"]) / 2**20
    print(f"--- 32 x 100000 strip: g = {doc['g']:.3e} in {doc['seconds']:.1f} s; RSS after "
          f"imports and JIT {doc['base'] / 2**20:.0f} MiB, peak during the run "
          f"{doc['peak'] / 2**20:.0f} MiB: the computation adds {extra:.1f} MiB")
    return doc


def main():
    quick = "--quick" in sys.argv
    rep = 3 if quick else 8
    results = [case("2D strip 64 x 256", Lattice(width=64, length=256, disorder=DISORDER), rep),
               case("3D bar 16 x 16 x 64", Lattice(dim=3, width=16, height=16, length=64,
                                                   disorder=DISORDER), max(2, rep // 2))]
    results.append(memory_case())
    return results


if __name__ == "__main__":
    main()
