"""Landauer conductance: weakloc against Kwant side by side, flop rate, memory.

Everything is measured in one run (the machine is shared and noisy), BLAS on one thread for
both codes (Kwant's MUMPS too), box disorder W = 1.5, E = 0.5, identical onsite arrays
(both sides draw them from ``numpy.random.default_rng(1)``):

* systems: the 64 x 256 strip and the 16^3, 24^3 and 32^3 cubes (``--quick``: the strip and
  16^3 only);
* weakloc: the **first call** (lead self-energies from a cold cache, then the sweep; the
  JIT of both slice inverses is warmed on a tiny system first), the **next realization**
  (leads cached; best of a few) and a **20-energy scan** (``conductance_batch`` over 20
  energies in [0.2, 0.8], cold lead cache);
* Kwant 1.5 in its own environment (``KWANT_PYTHON``, default ``/work/kwantenv/bin/python``),
  run as a subprocess: building and finalizing the system, then ``kwant.smatrix`` at E
  (first call; a new realization costs Kwant the same), and the scan as one build plus 20
  ``smatrix`` calls; with ``--kwant-scan-max N`` cubes larger than N^3 get the scan
  estimated as build + 20 x the single solve (marked ``est``);
* the rate of the sweep on the flop count it does, against this machine's one-thread zgemm at
  n: one n x n complex inversion per slice (the hopping between slices is diagonal, so the
  Schur product ``V g V^+`` is O(n^2)), ``4 n^3`` real flops for the complex-symmetric
  inverse these field-free orthogonal systems take from ``n >= rgf.SYMMETRIC_MIN_N`` on
  (zsytrf, ztrtri, triangular zsyrk: 4/3 each), ``8 n^3`` for the LU below it (zgetrf 8/3 +
  zgetri 16/3);
* the lead self-energies alone on 16 x 16 and 24 x 24 cross-sections, without and with a
  field: the closed form and the transverse blocks against full mode matching;
* the memory of a 32 x 100000 strip (peak RSS of a fresh process minus its RSS after the
  imports).

Command: ``PYTHONPATH=src python benchmarks/bench_transport.py [--quick]`` (``--help`` for the
options that pick the systems, e.g. ``--cubes 32 --no-strip`` for one cube).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import numpy as np
from threadpoolctl import threadpool_limits

from weakloc.lattice import Lattice
from weakloc.transport import landauer, rgf
from weakloc.transport.landauer import conductance, conductance_batch

ENERGY = 0.5
DISORDER = 1.5
SCAN = np.linspace(0.2, 0.8, 20)
KWANT_PYTHON = os.environ.get("KWANT_PYTHON", "/work/kwantenv/bin/python")


def best_of(fn, repeat):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def zgemm_rate(n, bursts=5):
    """Best-of-bursts one-thread complex matrix-product rate (real flops/s) at size n."""
    from scipy.linalg.blas import zgemm

    rng = np.random.default_rng(0)
    a = np.asfortranarray(rng.standard_normal((n, n)) + 1j * rng.standard_normal((n, n)))
    k = max(2, int(2e8 / (8 * n**3)))   # ~0.2 GFLOP per burst
    with threadpool_limits(1, user_api="blas"):
        zgemm(1.0, a, a)

        def burst():
            for _ in range(k):
                zgemm(1.0, a, a)

        return 8.0 * n**3 * k / best_of(burst, bursts)


_KWANT_SCRIPT = r"""
import json, sys, time
import numpy as np
import kwant
from threadpoolctl import threadpool_limits

shape, energy, scan = json.loads(sys.argv[1])
shape = tuple(shape)
onsite = np.random.default_rng(1).uniform(-0.75, 0.75, size=shape)
dim = len(shape)
lat = kwant.lattice.general(np.eye(dim), norbs=1)


def build():
    syst = kwant.Builder()
    for idx in np.ndindex(*shape):
        syst[lat(*idx)] = onsite[idx]
    syst[lat.neighbors()] = -1.0
    lead = kwant.Builder(kwant.TranslationalSymmetry(tuple([-1] + [0] * (dim - 1))))
    for idx in np.ndindex(*shape[1:]):
        lead[lat(0, *idx)] = 0.0
    lead[lat.neighbors()] = -1.0
    syst.attach_lead(lead)
    syst.attach_lead(lead.reversed())
    return syst.finalized()


with threadpool_limits(1, user_api="blas"):
    t0 = time.perf_counter()
    fsyst = build()
    t1 = time.perf_counter()
    g = kwant.smatrix(fsyst, energy).transmission(1, 0)
    t2 = time.perf_counter()
    gs = [kwant.smatrix(fsyst, e).transmission(1, 0) for e in scan]
    t3 = time.perf_counter()
print(json.dumps(dict(version=kwant.__version__, build_s=t1 - t0, solve_s=t2 - t1,
                      scan_s=(t3 - t2) if scan else None, g=g, g_scan=gs)))
"""


def kwant_run(shape, scan):
    if not os.path.exists(KWANT_PYTHON):
        return None
    res = subprocess.run([KWANT_PYTHON, "-c", _KWANT_SCRIPT,
                          json.dumps([list(shape), ENERGY, list(scan)])],
                         capture_output=True, text=True)
    if res.returncode != 0:
        print("Kwant failed:", res.stderr.strip().splitlines()[-1:])
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def _cold_leads():
    landauer._lead_cache.clear()
    landauer._transverse_cached.cache_clear()


def case(name, lat, repeat, scan, kwant_scan):
    onsite = np.random.default_rng(1).uniform(-DISORDER / 2, DISORDER / 2,
                                              size=lat.onsite_shape)
    n, length = lat.n, lat.length
    with threadpool_limits(1, user_api="blas"):
        _cold_leads()
        t0 = time.perf_counter()
        g = conductance(lat.realize(onsite=onsite), ENERGY)
        first = time.perf_counter() - t0
        t_next = best_of(lambda: conductance(lat.realize(onsite=onsite), ENERGY), repeat)
        t_scan = g_scan = None
        if scan:
            _cold_leads()
            t0 = time.perf_counter()
            g_scan = conductance_batch(lat.realize(onsite=onsite), SCAN)[:, 0]
            t_scan = time.perf_counter() - t0
    per_slice = 4.0 if n >= rgf.SYMMETRIC_MIN_N else 8.0
    flops = per_slice * n**3 * length
    gemm = zgemm_rate(n)
    out = dict(name=name, n=n, length=length, g=float(g), first_s=first, next_s=t_next,
               scan20_s=t_scan, rate=flops / t_next, zgemm=gemm, flops_per_slice=per_slice,
               load=os.getloadavg()[0])
    print(f"--- {name}: n = {n}, L = {length}, g = {g:.10f}, load {out['load']:.1f}")
    print(f"weakloc: first call {first * 1e3:.0f} ms, next realization {t_next * 1e3:.1f} ms"
          + (f", 20-energy scan {t_scan * 1e3:.0f} ms" if scan else " (no scan)"))
    print(f"rate ({per_slice:.0f} n^3 flops/slice): {flops / t_next / 1e9:.1f} GFLOP/s = "
          f"{flops / t_next / gemm:.2f} x zgemm({n}) {gemm / 1e9:.1f} GFLOP/s")
    kw = kwant_run(lat.onsite_shape, SCAN if kwant_scan and scan else [])
    out["kwant"] = kw
    if kw is None:
        print(f"Kwant: not found at {KWANT_PYTHON}, comparison skipped")
        return out
    first_k = kw["build_s"] + kw["solve_s"]
    est = kw["scan_s"] is None
    scan_k = kw["build_s"] + (20 * kw["solve_s"] if est else kw["scan_s"])
    dscan = np.max(np.abs(np.array(kw["g_scan"]) - g_scan)) if not est else float("nan")
    print(f"Kwant {kw['version']}: build {kw['build_s'] * 1e3:.0f} ms + solve "
          f"{kw['solve_s'] * 1e3:.0f} ms = {first_k * 1e3:.0f} ms; 20-energy scan "
          f"{scan_k * 1e3:.0f} ms{' (est)' if est else ''}; |dg| = {abs(kw['g'] - g):.1e}"
          + ("" if est else f", scan {dscan:.1e}"))
    print(f"speed-up: first call {first_k / first:.1f}x, next realization "
          f"{first_k / t_next:.1f}x"
          + (f", 20-energy scan {scan_k / t_scan:.1f}x{' (est)' if est else ''}"
             if scan else ""))
    out.update(speedup_first=first_k / first, speedup_next=first_k / t_next,
               speedup_scan=scan_k / t_scan if scan else None, scan_estimated=est)
    return out


def lead_case(m):
    """Lead self-energies of an m x m cross-section at one energy: each solver against full
    mode matching (the only solver before issue 18), one thread, same run."""
    from weakloc.transport.leads import (
        closed_form_self_energy,
        lead_blocks,
        self_energies,
        transverse_modes,
    )

    out = {}
    with threadpool_limits(1, user_api="blas"):
        for label, flux in (("no field", 0.0), ("field 0.01", 0.01)):
            h0, v0 = Lattice(dim=3, width=m, height=m, length=1, flux=flux).lead()
            t0 = time.perf_counter()
            full = self_energies(h0, v0, ENERGY, transverse=None, blocked=False)
            t_full = time.perf_counter() - t0
            t0 = time.perf_counter()
            if flux == 0.0:
                modes = transverse_modes(h0, v0)
                t_setup = time.perf_counter() - t0
                t0 = time.perf_counter()
                sig = closed_form_self_energy(modes, ENERGY)[0]
                what = "closed form"
            else:
                blocks = lead_blocks(h0, v0)
                t_setup = time.perf_counter() - t0
                t0 = time.perf_counter()
                sig = self_energies(h0, v0, ENERGY, transverse=None)[0]
                what = "blocks"
            t_new = time.perf_counter() - t0
            assert (modes if flux == 0.0 else blocks) is not None
            err = float(np.max(np.abs(sig - full[0])))
            print(f"lead {m} x {m}, {label}: full mode matching {t_full * 1e3:.0f} ms; "
                  f"{what} {t_new * 1e3:.1f} ms per energy + {t_setup * 1e3:.1f} ms once "
                  f"({t_full / (t_new + t_setup):.0f}x); max |dSigma| = {err:.1e}")
            out[label] = dict(full_s=t_full, new_s=t_new, setup_s=t_setup, err=err)
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


def main(argv=None):
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="strip and 16^3 only")
    ap.add_argument("--cubes", default="16,24,32", help="cube edges, default 16,24,32")
    ap.add_argument("--no-strip", action="store_true", help="skip the 64 x 256 strip")
    ap.add_argument("--scan-max", type=int, default=32,
                    help="largest cube with a weakloc 20-energy scan (default 32)")
    ap.add_argument("--kwant-scan-max", type=int, default=16,
                    help="largest cube with a measured Kwant scan; larger: estimated")
    ap.add_argument("--leads", default="16,24", help="cross-sections for the lead timings")
    ap.add_argument("--no-memory", action="store_true", help="skip the 32 x 100000 strip")
    args = ap.parse_args(argv)
    cubes = [16] if args.quick else [int(m) for m in args.cubes.split(",") if m]
    leads = [16] if args.quick else [int(m) for m in args.leads.split(",") if m]
    # JIT, both slice inverses (the LU, and the complex-symmetric one forced at this size)
    tiny = Lattice(dim=3, width=2, height=2, length=3).realize(0)
    conductance(tiny, ENERGY)
    min_n, rgf.SYMMETRIC_MIN_N = rgf.SYMMETRIC_MIN_N, 1
    conductance(tiny, ENERGY)
    rgf.SYMMETRIC_MIN_N = min_n
    results = []
    if not args.no_strip:
        results.append(case("2D strip 64 x 256", Lattice(width=64, length=256,
                                                         disorder=DISORDER), 5, True, True))
    for m in cubes:
        lat = Lattice(dim=3, width=m, height=m, length=m, disorder=DISORDER)
        results.append(case(f"3D cube {m}^3", lat, 3 if m < 32 else 2, m <= args.scan_max,
                            m <= args.kwant_scan_max))
    for m in leads:
        results.append(lead_case(m))
    if not (args.quick or args.no_memory):
        results.append(memory_case())
    return results


if __name__ == "__main__":
    main()
