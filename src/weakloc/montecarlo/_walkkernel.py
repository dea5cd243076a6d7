r"""Compiled kernel of the continuous-time random walk (persistent, run-and-tumble walk).

Walkers are split into fixed blocks (:func:`._blocks.block_edges`); :class:`WalkRun` runs
the blocks on a pool of threads (the kernel releases the GIL), each block sums its walkers in
order, and each walker draws from its own stream (:mod:`._rng`). Block sums are therefore
identical for any number of threads.

Interruptible. One compiled call runs at most a given number of collisions per block
(:class:`WalkRun`); a walker stopped by that budget keeps its full state (position,
direction, clock, running sums, its xoshiro state) and the next call resumes it exactly, so
the sums are also identical for any budget. Between calls Python sees Ctrl-C and the
progress bar moves (:func:`weakloc.montecarlo._blocks.run_in_steps`).

Speed. The dimension is a compile-time constant (one kernel compiled per d by
``_make_kernel``; ``numba.literally`` made the loop ten times slower), so the position and
the direction live in scalar registers and every ``range(d)`` loop is unrolled (the
scattering step has one function per dimension, so only that dimension's is compiled); the walk is
done in units of the speed (x / v, with the ball radii scaled to match), and the next
measurement time is kept in a scalar, so an event that passes no grid time costs one
comparison beyond its flight and its new direction.

Loops in a field (``loops=True``, d = 2 only, a second compiled variant; the plain kernel is
unchanged). The walker also carries the signed area swept about its starting point,
:math:`A = \frac12 \int (x\,dy - y\,dx)`, added exactly per straight flight
(:math:`\delta A = \frac12 (\mathbf x \times \mathbf u)\, s` for a flight of length s from
:math:`\mathbf x` along :math:`\mathbf u`; in the speed units of the walk
:math:`A_{\rm SI} = v^2 A`), and at every grid time a walker inside the small return disk
adds 1, :math:`\cos(2 e B A/\hbar)` and its square to the loop sums.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from weakloc._jit import variant
from weakloc.montecarlo._blocks import _threads
from weakloc.montecarlo._rng import exponential, seed_state, uniform
from weakloc.units import E_CHARGE, HBAR

__all__ = ["WalkRun", "walk_blocks", "new_direction3", "new_direction3_outlined", "scatter1",
           "scatter2", "scatter3", "isotropic2", "isotropic3", "renormalized", "disk_point"]


@nb.njit(cache=True, inline="always")
def disk_point(s):
    """A point (a, b) uniform in the unit disk, by rejection (8/pi uniforms on average)."""
    while True:
        a = 2.0 * uniform(s) - 1.0
        b = 2.0 * uniform(s) - 1.0
        r2 = a * a + b * b
        if 0.0 < r2 <= 1.0 and a != 0.0:
            return a, b, r2


@nb.njit(cache=True, inline="always")
def scatter1(g, ux, s):
    """d = 1: the direction ``ux`` (+-1) reversed with probability (1 - g)/2."""
    if uniform(s) >= 0.5 * (1.0 + g):
        return -ux
    return ux


@nb.njit(cache=True, inline="always")
def isotropic2(s):
    """A uniform direction in the plane: 2 arg(a + ib) of a point uniform in the unit disk."""
    pa, pb, r2 = disk_point(s)
    ir = 1.0 / r2
    return (pa * pa - pb * pb) * ir, 2.0 * pa * pb * ir


@nb.njit(cache=True, inline="always")
def scatter2(g, ux, uy, s):
    """d = 2: turn angle a with tan(a/2) = c C, C standard Cauchy (the slope b/a of a point
    uniform in the unit disk): c = 1 is uniform, otherwise a wrapped Cauchy law with
    <cos a> = (1 - c)/(1 + c) = g; cos a and sin a come from the half-angle tangent without
    transcendental calls."""
    if g == 0.0:  # a uniform turn: the new direction is 2 arg(a + ib) itself
        return isotropic2(s)
    pa, pb, r2 = disk_point(s)
    c = (1.0 - g) / (1.0 + g)
    t = c * pb / pa
    den = 1.0 / (1.0 + t * t)
    ca = (1.0 - t * t) * den
    sa = 2.0 * t * den
    return ca * ux - sa * uy, sa * ux + ca * uy


@nb.njit(cache=True, inline="always")
def _transverse3(mu, s):
    """(sin(theta) cos(phi), sin(theta) sin(phi)) for the polar cosine ``mu`` and an
    azimuth 2 arg(a + ib) of a point uniform in the unit disk (no trigonometry)."""
    pa, pb, r2 = disk_point(s)
    h = math.sqrt(max(0.0, 1.0 - mu * mu)) / r2
    return (pa * pa - pb * pb) * h, 2.0 * pa * pb * h


@nb.njit(cache=True, inline="always")
def isotropic3(s):
    """A uniform direction in space (polar cosine uniform in [-1, 1])."""
    mu = 2.0 * uniform(s) - 1.0
    cp, sp = _transverse3(mu, s)
    return cp, sp, mu


@nb.njit(cache=True, inline="always")
def scatter3(g, ux, uy, uz, s):
    """d = 3: polar cosine mu (uniform, or Henyey-Greenstein about the old direction) and a
    uniform azimuth; returns the new unit vector (|u| = 1 up to rounding; callers
    renormalize now and then)."""
    if g == 0.0:
        return isotropic3(s)
    f = (1.0 - g * g) / (1.0 - g + 2.0 * g * uniform(s))
    mu = min(1.0, max(-1.0, (1.0 + g * g - f * f) * (0.5 / g)))
    cp, sp = _transverse3(mu, s)
    if abs(uz) > 0.99999:
        return cp, sp, (mu if uz > 0 else -mu)
    q2 = 1.0 - uz * uz
    iq = 1.0 / math.sqrt(q2)
    nx = (ux * uz * cp - uy * sp) * iq + ux * mu
    ny = (uy * uz * cp + ux * sp) * iq + uy * mu
    nz = -cp * q2 * iq + uz * mu
    return nx, ny, nz


@nb.njit(cache=True, inline="always")
def renormalized(ux, uy, uz):
    """(ux, uy, uz) / |u| to first order in |u|^2 - 1 (removes the rounding drift)."""
    k = 1.5 - 0.5 * (ux * ux + uy * uy + uz * uz)
    return ux * k, uy * k, uz * k


@nb.njit(cache=True, inline="always")
def new_direction3(g, u, s):
    """Scatter the 3D unit vector ``u`` (array of 3) in place with mean cosine ``g``."""
    ux, uy, uz = scatter3(g, u[0], u[1], u[2], s)
    if g != 0.0:
        ux, uy, uz = renormalized(ux, uy, uz)
    u[0], u[1], u[2] = ux, uy, uz


@nb.njit(cache=True)
def new_direction3_outlined(g, u, s):
    """:func:`new_direction3` as a called (not inlined) function, for kernels without
    ``fastmath`` (CBS): LLVM computes the same numbers, and the caller compiles faster than
    with two inlined copies."""
    new_direction3(g, u, s)


#: columns of a block's saved walker: position, direction, initial direction, clock, the
#: running Green-Kubo integral, |x|^2 at T/2 and the swept area (all in units of the speed
#: where lengths)
_F_STATE = 13
#: loop sums per block and grid time: walkers in the return disk, their cos(2 e B A / hbar)
#: and its square
_L_SUMS = 3
#: columns of a block's integer cursor: walker index, walker in flight (0/1), next grid
#: index k, collisions of the walker so far
_I_STATE = 4


def _make_kernel(d, loops=False):
    loops = bool(loops)
    if loops and d != 2:
        raise ValueError("the loop area is defined for d = 2 only")

    @nb.njit(cache=True, nogil=True, fastmath={"contract", "arcp", "nsz"})
    @variant(d=d, loops=loops)
    def kernel(keys, lo, hi, b0, b1, budget, speed, tau, g, times, rball2, gk_w, k_half,
               acc, scal, events, cursor, fstate, rstate, rloop2, phase, lacc):
        """Advance blocks ``b0 .. b1 - 1`` (walkers ``lo[b] .. hi[b] - 1``) by at most ``budget``
        collisions each.

        A block runs its walkers in order; a walker that is stopped by the budget leaves
        its whole state (``fstate``, ``cursor``, its xoshiro state ``rstate``) and the next
        call resumes it where it stood, so the sums do not depend on the budget. The
        accumulators are updated in place: ``acc[b, k]`` sums ``v(0).v(t)``, its square,
        ``|x|^2``, ``|x|^4`` and the ball indicator (in units of the speed), ``scal[b]``
        the per-walker Green-Kubo integral (``gk_w``-weighted VACF), its square, the
        MSD-slope estimator and its square, ``events[b]`` the collisions. With ``loops``,
        ``lacc[b, k]`` sums the walkers within ``sqrt(rloop2)`` (m) of their start, their
        ``cos(phase * A)`` and its square (``phase = 2 e B / hbar`` in 1/m^2, A the swept
        area); without, ``rloop2``, ``phase`` and ``lacc`` are not read.
        """
        K = times.shape[0]
        T = times[K - 1]
        v2 = speed * speed
        rb = rball2 / v2  # the walk runs in units of the speed: y = x / v
        rl = rloop2 / v2
        ph = phase * v2   # area in speed units: A_SI = v^2 A
        slope_norm = v2 / (2.0 * d * (T - times[k_half]))
        for b in range(b0, b1):
            s = rstate[b]
            left = budget
            while cursor[b, 0] < hi[b] and left > 0:
                wi = cursor[b, 0]
                if cursor[b, 1] == 0:   # a new walker
                    seed_state(keys[wi], s)
                    x0 = 0.0
                    x1 = 0.0
                    x2 = 0.0
                    u1 = 0.0
                    u2 = 0.0
                    if d == 1:  # isotropic start
                        u0 = 1.0 if uniform(s) < 0.5 else -1.0
                    elif d == 2:
                        u0, u1 = isotropic2(s)
                    else:
                        u0, u1, u2 = isotropic3(s)
                    w0, w1, w2 = u0, u1, u2
                    t = 0.0
                    k = 0
                    gk = 0.0
                    r2half = 0.0
                    area = 0.0
                    nev = 0
                else:                    # the walker the last call stopped
                    x0, x1, x2 = fstate[b, 0], fstate[b, 1], fstate[b, 2]
                    u0, u1, u2 = fstate[b, 3], fstate[b, 4], fstate[b, 5]
                    w0, w1, w2 = fstate[b, 6], fstate[b, 7], fstate[b, 8]
                    t, gk, r2half = fstate[b, 9], fstate[b, 10], fstate[b, 11]
                    area = fstate[b, 12]
                    k = cursor[b, 2]
                    nev = cursor[b, 3]
                tk = times[k]
                while True:
                    t_end = t + tau * exponential(s)
                    while tk <= t_end:
                        dt = tk - t
                        y = x0 + u0 * dt
                        r2 = y * y
                        c = w0 * u0
                        if d >= 2:
                            y = x1 + u1 * dt
                            r2 += y * y
                            c += w1 * u1
                        if d == 3:
                            y = x2 + u2 * dt
                            r2 += y * y
                            c += w2 * u2
                        acc[b, k, 0] += c
                        acc[b, k, 1] += c * c
                        acc[b, k, 2] += r2
                        acc[b, k, 3] += r2 * r2
                        if r2 < rb[k]:
                            acc[b, k, 4] += 1.0
                        if loops:
                            if r2 < rl:
                                cp = math.cos(ph * (area + 0.5 * (x0 * u1 - x1 * u0) * dt))
                                lacc[b, k, 0] += 1.0
                                lacc[b, k, 1] += cp
                                lacc[b, k, 2] += cp * cp
                        gk += gk_w[k] * c
                        if k == k_half:
                            r2half = r2
                        k += 1
                        if k == K:
                            slope = (r2 - r2half) * slope_norm
                            scal[b, 2] += slope
                            scal[b, 3] += slope * slope
                            tk = np.inf
                        else:
                            tk = times[k]
                    if k == K:
                        break
                    fl = t_end - t
                    if loops:
                        area += 0.5 * (x0 * u1 - x1 * u0) * fl
                    x0 += u0 * fl
                    if d >= 2:
                        x1 += u1 * fl
                    if d == 3:
                        x2 += u2 * fl
                    t = t_end
                    if d == 1:
                        u0 = scatter1(g, u0, s)
                    elif d == 2:
                        u0, u1 = scatter2(g, u0, u1, s)
                    else:
                        u0, u1, u2 = scatter3(g, u0, u1, u2, s)
                    nev += 1
                    if d == 3 and (nev & 63) == 0:
                        u0, u1, u2 = renormalized(u0, u1, u2)
                    left -= 1
                    if left == 0:
                        break
                if k == K:               # the walker is done: its sums, then the next one
                    gk *= v2 / d
                    scal[b, 0] += gk
                    scal[b, 1] += gk * gk
                    events[b] += nev
                    cursor[b, 0] = wi + 1
                    cursor[b, 1] = 0
                else:                    # out of budget: keep the walker for the next call
                    fstate[b, 0], fstate[b, 1], fstate[b, 2] = x0, x1, x2
                    fstate[b, 3], fstate[b, 4], fstate[b, 5] = u0, u1, u2
                    fstate[b, 6], fstate[b, 7], fstate[b, 8] = w0, w1, w2
                    fstate[b, 9], fstate[b, 10], fstate[b, 11] = t, gk, r2half
                    fstate[b, 12] = area
                    cursor[b, 1] = 1
                    cursor[b, 2] = k
                    cursor[b, 3] = nev

    return kernel


_KERNELS = {}


class WalkRun:
    r"""The walks of one run, advanced a bounded number of collisions at a time.

    ``advance(budget)`` lets every block run at most ``budget`` collisions and returns
    whether all walkers are done; ``progress()`` is the walk time simulated so far in
    units of tau (the expected number of collisions; ``n T / tau`` at the end);
    ``sums()`` returns (C1, C2, R1, R2, P1, scal, events) per block, in SI units (see the
    kernel). The results depend on the keys only, not on the budgets or the thread count.
    The kernel is compiled once per dimension d (a compile-time constant there).

    ``loop_radius`` (m) and ``field`` (T, d = 2 only) switch on the loop variant of the
    kernel: ``loop_sums()`` then returns, per block and grid time, the walkers within
    ``loop_radius`` of their start, their :math:`\cos(2 e B A/\hbar)` and its square.
    """

    def __init__(self, keys, blocks, d, speed, tau, g, times, rball2, gk_w, k_half,
                 loop_radius=None, field=0.0):
        d = int(d)
        loops = loop_radius is not None
        if (d, loops) not in _KERNELS:
            _KERNELS[d, loops] = _make_kernel(d, loops)
        self._kernel = _KERNELS[d, loops]
        self.loops = loops
        self.rloop2 = float(loop_radius) ** 2 if loops else 0.0
        self.phase = 2.0 * E_CHARGE * float(field) / HBAR
        self.keys = keys
        n = keys.shape[0]
        if np.ndim(blocks) == 0:      # a number of blocks, cut evenly
            edges = [(b * n) // int(blocks) for b in range(int(blocks) + 1)]
        else:                         # the block boundaries (e.g. _blocks.block_edges)
            edges = [int(e) for e in blocks]
        if edges[0] != 0 or edges[-1] != n or np.any(np.diff(edges) < 0):
            raise ValueError("block edges must rise from 0 to the number of walkers")
        nblocks = len(edges) - 1
        self.nblocks = nblocks
        self.speed, self.tau, self.g = float(speed), float(tau), float(g)
        self.times, self.rball2, self.gk_w, self.k_half = times, rball2, gk_w, int(k_half)
        self._lo = np.array(edges[:-1], dtype=np.int64)
        self._hi = np.array(edges[1:], dtype=np.int64)
        self.acc = np.zeros((nblocks, times.shape[0], 5))
        self.scal = np.zeros((nblocks, 4))
        self.events = np.zeros(nblocks, dtype=np.int64)
        self.cursor = np.zeros((nblocks, _I_STATE), dtype=np.int64)
        self.cursor[:, 0] = self._lo
        self.fstate = np.zeros((nblocks, _F_STATE))
        self.rstate = np.zeros((nblocks, 4), dtype=np.uint64)
        self.lacc = np.zeros((nblocks, times.shape[0] if loops else 1, _L_SUMS))

    @property
    def counts(self) -> np.ndarray:
        """Walkers per block (float), for the jackknife."""
        return (self._hi - self._lo).astype(float)

    def _blocks(self, b0: int, b1: int, budget: int) -> None:
        self._kernel(self.keys, self._lo, self._hi, b0, b1, budget, self.speed, self.tau,
                     self.g, self.times, self.rball2, self.gk_w, self.k_half, self.acc,
                     self.scal, self.events, self.cursor, self.fstate, self.rstate, self.rloop2,
                     self.phase, self.lacc)

    def advance(self, budget: int) -> bool:
        """Run at most ``budget`` collisions in every block; True once every walker is done.

        The unfinished blocks run one per kernel call on ``numba.get_num_threads()`` threads
        (each block writes only its own rows, and the kernel releases the GIL)."""
        budget = int(budget)
        todo = [b for b in range(self.nblocks) if self.cursor[b, 0] < self._hi[b]]
        threads = min(_threads(), len(todo))
        if threads <= 1:
            for b in todo:
                self._blocks(b, b + 1, budget)
        else:
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(threads, thread_name_prefix="weakloc-walks") as pool:
                for f in [pool.submit(self._blocks, b, b + 1, budget) for b in todo]:
                    f.result()
        return bool(np.all(self.cursor[:, 0] >= self._hi))

    def progress(self) -> float:
        """Walk time simulated so far over all walkers, in units of tau."""
        done = float(np.sum(self.cursor[:, 0] - self._lo)) * self.times[-1]
        flying = float(np.sum(self.fstate[:, 9] * (self.cursor[:, 1] == 1)))
        return (done + flying) / self.tau

    def sums(self):
        """Per-block sums (C1, C2, R1, R2, P1, scal, events) in SI units."""
        v2 = self.speed * self.speed
        acc = self.acc
        return (acc[:, :, 0] * v2, acc[:, :, 1] * (v2 * v2), acc[:, :, 2] * v2,
                acc[:, :, 3] * (v2 * v2), acc[:, :, 4].copy(), self.scal, self.events)

    def loop_sums(self):
        """Per-block loop sums (N, S1, S2) on the grid: walkers in the return disk, the sum
        of their cos(2 e B A / hbar) and of its square; None without ``loop_radius``."""
        if not self.loops:
            return None
        return self.lacc[:, :, 0].copy(), self.lacc[:, :, 1].copy(), self.lacc[:, :, 2].copy()


def walk_blocks(keys, nblocks, d, speed, tau, g, times, rball2, gk_w, k_half):
    """Run ``len(keys)`` walkers in ``nblocks`` even blocks in one uninterruptible call.

    Returns :meth:`WalkRun.sums`; for benchmarks of the kernel alone (the package runs
    walks through :func:`weakloc.montecarlo._blocks.run_in_steps`).
    """
    run = WalkRun(keys, nblocks, d, speed, tau, g, times, rball2, gk_w, k_half)
    run.advance(2**62)
    return run.sums()
