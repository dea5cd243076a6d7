"""Chebyshev steps per second against the memory-bandwidth floor; a 512 x 512 CBS run.

Run: ``PYTHONPATH=src python benchmarks/bench_dynamics.py``. Everything is measured in the
same run: the copy bandwidth (numpy copy of a 256 MiB array, read + write counted), the
fused Chebyshev step of the scalar and the SU(2) stencils on 512 x 512 (serial and
threaded kernels), and one disorder-averaged momentum-space CBS run on 512 x 512.
"""

import resource
import time

import numpy as np

from weakloc.dynamics import TorusLattice, cbs_momentum
from weakloc.dynamics import _kernels as K
from weakloc.theory import born
from weakloc.theory.momentum_cbs import peak_width

N = 512


def best(fn, repeat=5):
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return min(out)


def copy_bandwidth():
    src = np.ones(2**25, dtype=np.float64)          # 256 MiB
    dst = np.empty_like(src)
    np.copyto(dst, src)
    t = best(lambda: np.copyto(dst, src))
    return 2 * src.nbytes / t                       # bytes read + written per second


def step_rate(real, kernel, args_fn, steps=20):
    cur, prev, acc = args_fn()
    kernel(cur, prev, acc, *real, 0.2, 0.0, 1.0, 0.1)      # compile / warm
    t = best(lambda: [kernel(cur, prev, acc, *real, 0.2, 0.0, 1.0, 0.1)
                      for _ in range(steps)], repeat=3)
    return steps / t


def main():
    bw = copy_bandwidth()
    print(f"copy bandwidth (numpy, 256 MiB, read+write): {bw / 1e9:.2f} GB/s")
    rows = []
    cases = (("scalar", dict(), 88), ("su2", dict(spin_orbit="su2"), 296))
    for label, kw, bytes_per_site in cases:
        lat = TorusLattice(size=N, disorder=2.0, **kw)
        r = lat.realize(0)
        if lat.spin == 1:
            arrays = (r.eps, r.px, r.seam)
            kers = (("serial", K.step_scalar), ("threaded", K.step_scalar_parallel))
        else:
            arrays = (r.eps, r.ux, r.uy)
            kers = (("serial", K.step_spinor), ("threaded", K.step_spinor_parallel))

        def fresh(lat=lat):
            rng = np.random.default_rng(0)
            a = (rng.normal(size=lat.shape) + 0j).astype(complex)
            return a, a.copy(), np.zeros_like(a)

        floor = bytes_per_site * N * N / bw                # seconds per step
        for kname, ker in kers:
            rate = step_rate(arrays, ker, fresh)
            rows.append((label, kname, rate, 1 / floor, (1 / rate) / floor))
            print(f"{label:6s} {kname:8s}: {rate:8.1f} steps/s, floor {1 / floor:8.1f} steps/s "
                  f"({bytes_per_site} B/site), time/floor = {(1 / rate) / floor:.2f}")

    # 512 x 512 momentum-space CBS, orthogonal, bare plane-wave quench
    w = 1.5
    k0 = 2 * np.pi * np.array([128, 80]) / N
    e0 = float(-2 * np.cos(k0).sum())
    tau = float(born.scattering_time(e0, w))
    d = born.born_diffusion_constant(e0, w)
    times = tau * np.array([2.0, 5.0, 10.0])
    t0 = time.perf_counter()
    samples = 8
    res = cbs_momentum(TorusLattice(size=N, disorder=w), k0, times, samples=samples,
                       seed=512, progress=False)
    wall = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"512 x 512 CBS run: W = {w}, E = {e0:.3f}, tau = {tau:.2f}, {samples} samples, times "
          f"{np.round(times, 1).tolist()}: {wall:.1f} s, peak RSS {rss:.0f} MiB")
    print(f"  contrast {np.round(res.contrast, 2).tolist()} +- "
          f"{np.round(res.contrast_stderr, 2).tolist()}")
    print(f"  contrast from the Gaussian fit of the whole peak "
          f"{np.round(res.peak_fit_contrast, 2).tolist()}")
    print(f"  peak width {np.round(res.peak_width, 4).tolist()} vs 1/sqrt(2 D t_eff) "
          f"{np.round(peak_width(times, d, tau), 4).tolist()}")
    print(f"  norm error {res.norm_error:.1e}")
    return rows


if __name__ == "__main__":
    main()
