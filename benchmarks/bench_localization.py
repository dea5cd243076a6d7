"""Transfer matrices: time to 0.5% on a 3D 10 x 10 bar at W = 16.5, against the flop floor.

Command: ``PYTHONPATH=src python benchmarks/bench_localization.py`` (one core: BLAS is held
to one thread inside :func:`localization_length`; the rates below are per core).

Printed side by side, in one run:

* the LAPACK QR rate on the block (``2n x n`` real, Householder ``geqrf + orgqr``,
  ``~6.7 n^3`` flops), the floor the method cannot beat;
* the time per slice of the fast kernel against a naive dense step (build ``T_x`` as a
  ``2n x 2n`` matrix and multiply), both with the same QR every ``q`` slices;
* the full run to 0.5%: slices, time, achieved flop rate as a fraction of the QR rate.

Times are CPU times of this (single-threaded) process, so a busy shared machine inflates
the wall clock but not the figures.
"""

from __future__ import annotations

import time

import numpy as np
from threadpoolctl import threadpool_limits

from weakloc.lattice import Lattice, endless_slices
from weakloc.transport.transfer import _Bar, localization_length

M, W, E = 10, 16.5, 0.0


def qr_rate(n: int, reps: int = 60) -> float:
    a = np.random.default_rng(0).standard_normal((2 * n, n))
    np.linalg.qr(a)
    t = time.process_time()
    for _ in range(reps):
        np.linalg.qr(a)
    dt = (time.process_time() - t) / reps
    return 6.7 * n**3 / dt, dt


def kernel_time(lat, q: int, slices: int) -> float:
    bar = _Bar(lat, E, np.random.default_rng(1))
    bar.advance(q * 8, q)  # compile, warm up
    t = time.process_time()
    bar.advance(slices, q)
    return (time.process_time() - t) / slices


def dense_time(lat, q: int, slices: int) -> float:
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
    with threadpool_limits(limits=1, user_api="blas"):
        rate, t_qr = qr_rate(n)
        q = 12
        t_fast = kernel_time(lat, q, 1200)
        t_dense = dense_time(lat, q, 120)
    step_flops = (4 * n + 2 * 2 * 2 * (2 * M * M)) * n  # onsite/prev/scale + 2 bonds per site
    floor = t_qr / q
    print(f"3D bar {M} x {M} (n = {n}), W = {W}, E = {E}, periodic; one BLAS thread")
    print(f"  LAPACK QR of {2 * n} x {n}: {t_qr * 1e3:.3f} ms = {rate / 1e9:.2f} GFLOP/s")
    print(f"  per slice at q = {q}: fast kernel {t_fast * 1e6:.1f} us, dense T_x "
          f"{t_dense * 1e6:.1f} us -> speed-up {t_dense / t_fast:.1f}x; QR floor "
          f"{floor * 1e6:.1f} us -> kernel at {floor / t_fast:.2f} of the floor")
    t0 = time.perf_counter()
    c0 = time.process_time()
    res = localization_length(lat, E, seed=2026, precision=0.005, max_slices=5_000_000,
                              progress=False)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    flops = res.slices * (6.7 * n**3 / res.qr_interval + step_flops)
    print(f"  to 0.5%: Lambda = {res.lambda_:.4f} +- {res.lambda_stderr:.4f} "
          f"(reached {res.precision_reached:.4f}), {res.slices} slices, q = {res.qr_interval}, "
          f"{wall:.1f} s wall, {cpu:.1f} s CPU")
    print(f"  flop estimate 6.7 n^3/q + {step_flops:.2e} per slice = "
          f"{flops / res.slices:.3e}; achieved {flops / cpu / 1e9:.2f} GFLOP/s = "
          f"{flops / cpu / rate:.2f} of the QR rate")


if __name__ == "__main__":
    main()
