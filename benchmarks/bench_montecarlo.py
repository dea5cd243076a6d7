"""Monte Carlo throughput: scattering events per second against the random-number floor.

The floor is a kernel with the same per-walker streams and the same block layout that
only draws the random numbers a walk consumes (per event: one exponential free flight plus
the uniforms of the new direction) and sums them. Also shown: numpy's own Generator drawing
the same count (vectorized, one thread), and the CBS photon kernel for information.
Run: python benchmarks/bench_montecarlo.py
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import numba as nb  # noqa: E402
import numpy as np  # noqa: E402

from weakloc.montecarlo._blocks import run_blocks  # noqa: E402
from weakloc.montecarlo._rng import exponential, seed_state, uniform, walker_keys  # noqa: E402
from weakloc.montecarlo._walkkernel import walk_blocks  # noqa: E402


@nb.njit(cache=True, parallel=True)
def _floor(keys, nblocks, events_per_walker, uniforms_per_event):
    # per event: one exponential and (on average) uniforms_per_event uniforms
    n = keys.shape[0]
    acc = np.zeros(nblocks)
    for b in nb.prange(nblocks):
        s = np.empty(4, dtype=np.uint64)
        tot = 0.0
        for w in range((b * n) // nblocks, ((b + 1) * n) // nblocks):
            seed_state(keys[w], s)
            for _ in range(events_per_walker):
                tot += exponential(s)
            for _ in range(int(events_per_walker * uniforms_per_event)):
                tot += uniform(s)
        acc[b] = tot
    return acc


def best(f, repeat=3):
    t = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = f()
        t.append(time.perf_counter() - t0)
    return min(t), out


def bench_walk(d, g, walkers=20000, t_over_tau=500, repeat=5):
    tau, v = 1.0, 1.0
    tau_tr = tau / (1 - g)
    times = np.unique(np.concatenate([np.linspace(0, 10 * tau_tr, 101),
                                      np.geomspace(0.05 * tau_tr, t_over_tau * tau_tr, 90),
                                      [0.5 * t_over_tau * tau_tr]]))
    k_half = int(np.searchsorted(times, 0.5 * t_over_tau * tau_tr))
    rball2 = np.zeros(times.size)
    gk = np.zeros(times.size)
    keys, _ = walker_keys(1, walkers)
    nblocks = 64
    args = (d, v, tau, g, times, rball2, gk, k_half)

    def walk():  # the blocks on numba's thread count, as simulate_walks runs them
        return run_blocks(walk_blocks, keys, args, desc="walk", progress=False)[0]

    walk_blocks(keys[:4], 2, *args)  # compile
    out = walk()
    events = int(out[-1].sum())
    per = events // walkers
    # uniforms per event: 1D one; 2D a disk point (8/pi on average); 3D one more for mu
    upe = {1: 1.0, 2: 8 / np.pi, 3: 1 + 8 / np.pi}[d]
    _floor(keys[:4], 2, 2, 1.5)
    # walk and floor alternate, so a change in the machine's load hits both alike
    t_walk = t_floor = np.inf
    for _ in range(repeat):
        t_walk = min(t_walk, best(walk, 1)[0])
        t_floor = min(t_floor, best(lambda: _floor(keys, nblocks, per, upe), 1)[0])
    rng = np.random.default_rng(1)
    n_draw = per * walkers

    def numpy_draw():
        rng.standard_exponential(n_draw)
        return rng.random(int(n_draw * upe))

    t_np, _ = best(numpy_draw, repeat=2)
    return events, t_walk, t_floor, t_np


def bench_cone(polarized=False, photons=None):
    """Events per second of the scalar (or the polarized) CBS kernel, 31 detectors, kl = 20."""
    from weakloc.montecarlo.cbs import simulate_cbs
    from weakloc.montecarlo.polarized import simulate_polarized_cbs

    run = simulate_polarized_cbs if polarized else simulate_cbs
    photons = photons or (20000 if polarized else 4000)
    run(20.0, samples=50, max_orders=100, seed=1)
    t0 = time.perf_counter()
    r = run(20.0, samples=photons, max_orders=5000, seed=1, angles=np.linspace(0, 0.15, 31))
    return r.events, time.perf_counter() - t0


def main():
    print(f"numba threads: {nb.get_num_threads()}")
    print("walks: events/s of the walk kernel vs the random-number floor (same streams)")
    print(f"{'case':<14}{'events':>11}{'walk ev/s':>12}{'floor ev/s':>12}{'ratio':>8}"
          f"{'numpy 1-thread ev/s':>21}")
    for d, g in ((1, 0.0), (2, 0.0), (3, 0.0), (3, 0.5), (2, 0.5)):
        ev, tw, tf, tn = bench_walk(d, g)
        print(f"d={d}, g={g:<7}{ev:>11d}{ev / tw:>12.3e}{ev / tf:>12.3e}{tw / tf:>8.2f}"
              f"{ev / tn:>21.3e}")
    ev, tc = bench_cone()
    print(f"CBS (31 detectors, kl = 20): {ev} events in {tc:.2f} s = {ev / tc:.3e} events/s")
    ev, tp = bench_cone(polarized=True)
    print(f"polarized CBS (31 detectors, 4 channels, kl = 20): {ev} events in {tp:.2f} s = "
          f"{ev / tp:.3e} events/s")


if __name__ == "__main__":
    main()
