"""Transfer matrices: time to 0.5% on a 3D 10 x 10 bar at W = 16.5, against the flop floor.

Command: ``PYTHONPATH=src python benchmarks/bench_localization.py`` (one core: BLAS is held
to one thread inside :func:`localization_length`; the rates below are per core).

Printed side by side, in one run:

* the LAPACK QR rate on the block (``2n x n`` real, Householder ``geqrf + orgqr``,
  ``~6.7 n^3`` flops), the floor the method cannot beat;
* the time per slice of the fast kernel against a naive dense step (build ``T_x`` as a
  ``2n x 2n`` matrix and multiply), both with the same QR every ``q`` slices;
* the full run to 0.5%: slices, time, achieved flop rate as a fraction of the QR rate.

Times are CPU times of this (single-threaded) process, best of several repetitions, so a
busy shared machine inflates them less than the wall clock; the full run is one run.
"""

from __future__ import annotations

import time

import numpy as np
import scipy.linalg.cython_lapack  # noqa: F401  (numba's LAPACK, loaded before the limits)
from threadpoolctl import threadpool_limits

from weakloc.lattice import Lattice, endless_slices
from weakloc.transport.transfer import _Bar, localization_length

M, W, E = 10, 16.5, 0.0


def qr_rate(n: int, reps: int = 40) -> float:
    """Best-of-``reps`` time of the kernel's own QR (numba -> LAPACK) of a 2n x n block."""
    from weakloc.transport._tmkernel import _reorthonormalize

    a = np.random.default_rng(0).standard_normal((2 * n, n))
    logs = np.zeros(n)
    _reorthonormalize(a.copy(), logs)
    best = np.inf
    for _ in range(reps):
        b = a.copy()
        t = time.process_time()
        _reorthonormalize(b, logs)
        best = min(best, time.process_time() - t)
    return 6.7 * n**3 / best, best


def kernel_time(lat, q: int, slices: int, reps: int = 8) -> float:
    """Best-of-``reps`` time per slice of the fast kernel (chunks of ``slices``)."""
    bar = _Bar(lat, E, np.random.default_rng(1))
    bar.advance(q * 8, q)  # compile, warm up
    best = np.inf
    for _ in range(reps):
        t = time.process_time()
        bar.advance(slices, q)
        best = min(best, (time.process_time() - t) / slices)
    return best


def dense_time(lat, q: int, slices: int, reps: int = 3) -> float:
    """Best-of-``reps`` time per slice of the naive dense ``T_x`` step."""
    return min(_dense_once(lat, q, slices) for _ in range(reps))


def _dense_once(lat, q: int, slices: int) -> float:
    n = lat.n
    gen = endless_slices(lat, 1, chunk=slices)
    block = np.zeros((2 * n, n))
    block[:n] = np.eye(n)
    v_prev = np.zeros((n, n))
    logs = np.zeros(n)
    t = time.process_time()
    for x in range(slices):
        h, vx = next(gen)
        h, vx = h.real, vx.real
        vdi = np.linalg.inv(vx.T)
        tm = np.block([[vdi @ (E * np.eye(n) - h), -vdi @ v_prev], [np.eye(n), np.zeros((n, n))]])
        block = tm @ block
        v_prev = vx
        if (x + 1) % q == 0:
            block, r = np.linalg.qr(block)
            logs += np.log(np.abs(np.diag(r)))
    return (time.process_time() - t) / slices


def main():
    lat = Lattice(dim=3, width=M, disorder=W, boundary="periodic")
    n = lat.n
    t0 = time.perf_counter()
    c0 = time.process_time()
    res = localization_length(lat, E, seed=2026, precision=0.005, max_slices=5_000_000,
                              progress=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    with threadpool_limits(limits=1, user_api="blas"):
        rate, t_qr = qr_rate(n)
        q = res.qr_interval
        t_fast = kernel_time(lat, q, 168)
        t_dense = dense_time(lat, q, 48)
    step_flops = (4 * n + 2 * 2 * 2 * (2 * M * M)) * n  # onsite/prev/scale + 2 bonds per site
    floor = t_qr / q
    flops = res.slices * (6.7 * n**3 / res.qr_interval + step_flops)
    print(f"3D bar {M} x {M} (n = {n}), W = {W}, E = {E}, periodic; one BLAS thread")
    print(f"  to 0.5%: Lambda = {res.lambda_:.4f} +- {res.lambda_stderr:.4f} "
          f"(reached {res.precision_reached:.4f}), {res.slices} slices, q = {res.qr_interval}, "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU = {cpu / res.slices * 1e6:.1f} us/slice")
    print(f"  flop estimate 6.7 n^3/q + {step_flops:.2e} per slice = "
          f"{flops / res.slices:.3e}; achieved {flops / cpu / 1e9:.2f} GFLOP/s")
    print(f"  QR of {2 * n} x {n} (best of 40): {t_qr * 1e3:.3f} ms = {rate / 1e9:.2f} GFLOP/s; "
          f"full run at {flops / cpu / rate:.2f} of the QR rate")
    print(f"  per slice at q = {q} (best of 8): fast kernel {t_fast * 1e6:.1f} us, dense T_x "
          f"{t_dense * 1e6:.1f} us -> speed-up {t_dense / t_fast:.1f}x; QR floor "
          f"{floor * 1e6:.1f} us -> kernel at {floor / t_fast:.2f} of the floor")


if __name__ == "__main__":
    main()
