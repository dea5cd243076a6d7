"""Real-space Kubo method: CSR Chebyshev steps vs the memory-bandwidth floor on a 2D torus
of >= 10^7 orbitals, and the ln t slope of sigma on a 512 x 512 torus.

Run: ``PYTHONPATH=src python benchmarks/bench_kubo.py [--side 3200] [--slope-vectors 4]
[--skip-slope]``. Everything is measured in the same run: the copy bandwidth (numpy copy of
a 256 MiB array, read + write counted; measured again right before every kernel timing, and
also per CPU second of this process, which the other jobs on a shared machine do not
disturb), one fused CSR Chebyshev step on the ``side x side`` orthogonal torus
(a single vector, as in the KPM and the energy filter; and the 5-vector spreading block,
``U psi``, ``[X, U] psi``, ``[Y, U] psi``, ``U chi_x``, ``U chi_y``), serial and threaded,
and the whole ln t slope measurement of the orthogonal class on 512 x 512 (W = 3, E = -1).
"""

import argparse
import resource
import time

import numpy as np
from bench_dynamics import best, copy_bandwidth  # same timing and bandwidth probe

from weakloc.kubo import HypercubicTorus
from weakloc.kubo import _kernels as K


def cpu_best(fn, repeat=3):
    """Least CPU time of this process over ``repeat`` calls: on a machine shared with other
    jobs the wall time includes the slices the scheduler gave them, CPU time does not
    (memory stalls are still counted). Serial code only."""
    out = []
    for _ in range(repeat):
        t0 = time.process_time()
        fn()
        out.append(time.process_time() - t0)
    return min(out)


def copy_bandwidth_cpu():
    """Copy bandwidth (read + write) of a 256 MiB numpy copy per CPU second."""
    src = np.ones(2**25, dtype=np.float64)
    dst = np.empty_like(src)
    np.copyto(dst, src)
    return 2 * src.nbytes / cpu_best(lambda: np.copyto(dst, src), repeat=5)


def floor_bytes(system, k, ncomm):
    """Bytes one fused step must move: the CSR arrays once (values, column indices, row
    pointers, displacements when commutators are formed), the neighbour vector read once
    (``k`` columns, 16 B each; neighbours assumed cached), the previous vector read and
    written, the accumulator read and written."""
    h = system.hamiltonian
    mat = system.values.nbytes + h.indices.nbytes + h.indptr.nbytes
    if ncomm:
        mat += system.displacements.nbytes
    return mat + system.size * k * 16 * 5


def step_time(system, k, ncomm, kernel, timer=best):
    rng = np.random.default_rng(0)
    cur = rng.normal(size=(system.size, k)) + 0j
    prev, acc = cur.copy(), np.zeros_like(cur)
    h = system.hamiltonian
    args = (h.indptr, h.indices, system.values, system.displacements, ncomm)
    kernel(*args, cur, prev, acc, 0.2, 0.0, 1.0, 0.1)        # compile / warm
    return timer(lambda: kernel(*args, cur, prev, acc, 0.2, 0.0, 1.0, 0.1), repeat=3)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--side", type=int, default=3200)
    ap.add_argument("--slope-vectors", type=int, default=4)
    ap.add_argument("--slope-tmax", type=float, default=300.0)
    ap.add_argument("--skip-slope", action="store_true")
    args, _ = ap.parse_known_args()   # run_all.py passes its own arguments
    print(f"copy bandwidth (numpy, 256 MiB, read+write): {copy_bandwidth() / 1e9:.2f} GB/s "
          f"wall, {copy_bandwidth_cpu() / 1e9:.2f} GB/s per CPU second")
    t0 = time.perf_counter()
    system = HypercubicTorus((args.side, args.side), 2.0).realize(0)
    print(f"{args.side} x {args.side} torus: {system.size:.3e} orbitals, "
          f"{system.hamiltonian.nnz:.3e} nonzeros, built in {time.perf_counter() - t0:.1f} s; "
          f"matrix + displacements {system.memory_bytes(0) / 2**30:.2f} GiB, "
          f"15-vector spreading workspace {15 * 16 * system.size / 2**30:.2f} GiB")
    for k, ncomm, label in ((1, 0, "1 vector (KPM, filter)"),
                            (5, 2, "5-vector spreading block")):
        fb = floor_bytes(system, k, ncomm)
        # wall time against wall-clock bandwidth, measured back to back
        for kname, ker in (("serial", K._step_serial), ("threaded", K._step_parallel)):
            bw_now = copy_bandwidth()
            t = step_time(system, k, ncomm, ker)
            print(f"{label:26s} {kname:8s} wall: {t * 1e3:8.1f} ms/step, floor "
                  f"{fb / bw_now * 1e3:7.1f} ms ({fb / system.size:.0f} B/orbital at "
                  f"{bw_now / 1e9:.2f} GB/s), time/floor = {t / (fb / bw_now):.2f}")
        # serial kernel, CPU time against the CPU-time bandwidth (load-independent)
        bw_cpu = copy_bandwidth_cpu()
        t = step_time(system, k, ncomm, K._step_serial, timer=cpu_best)
        print(f"{label:26s} serial   CPU : {t * 1e3:8.1f} ms/step, floor "
              f"{fb / bw_cpu * 1e3:7.1f} ms (at {bw_cpu / 1e9:.2f} GB/s per CPU second), "
              f"time/floor = {t / (fb / bw_cpu):.2f}")
    del system
    if args.skip_slope:
        return

    from weakloc.dynamics import TorusLattice, born
    from weakloc.kubo import kubo_conductivity, log_slope

    w, e = 3.0, -1.0
    tau = float(born.scattering_time(e, w))
    t0 = time.perf_counter()
    res = kubo_conductivity(TorusLattice(size=512, disorder=w), e, [args.slope_tmax],
                            vectors=args.slope_vectors, seed=512, dos_moments=None,
                            progress=False)
    wall = time.perf_counter() - t0
    fit = log_slope(res, 10 * res.crossover["tau"], args.slope_tmax)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"512 x 512 orthogonal ln t slope: W = {w}, E = {e}, Born tau = {tau:.2f}, fitted "
          f"tau = {res.crossover['tau']:.2f}, {args.slope_vectors} vectors, window "
          f"10 tau .. {args.slope_tmax:g}: slope x 2 pi = {fit['in_2pi']:+.3f} +- "
          f"{fit['in_2pi_stderr']:.3f} (one loop: -1); {wall:.0f} s wall, peak RSS "
          f"{rss:.0f} MiB (whole run)")


if __name__ == "__main__":
    main()
