"""Compiled kernel of the continuous-time random walk (persistent, run-and-tumble walk).

Walkers are split into fixed blocks; ``prange`` runs over blocks, each block sums its
walkers in order, and each walker draws from its own stream (:mod:`._rng`). Block sums are
therefore identical for any number of threads.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from weakloc.montecarlo._rng import exponential, seed_state, uniform

__all__ = ["walk_blocks", "new_direction", "disk_point"]


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
def new_direction(d, g, u, s):
    """Scatter the unit vector ``u`` in place with mean cosine ``g`` (d = 1, 2, 3)."""
    if d == 1:
        if uniform(s) >= 0.5 * (1.0 + g):
            u[0] = -u[0]
        return
    if d == 2:
        # turn angle a with tan(a/2) = c C, C standard Cauchy (the slope b/a of a point
        # uniform in the unit disk): c = 1 is uniform, otherwise a wrapped Cauchy law with
        # <cos a> = (1 - c)/(1 + c) = g. cos a and sin a follow from the half-angle tangent
        # t without transcendental calls.
        c = (1.0 - g) / (1.0 + g)
        pa, pb, _ = disk_point(s)
        t = c * pb / pa
        den = 1.0 / (1.0 + t * t)
        ca = (1.0 - t * t) * den
        sa = 2.0 * t * den
        x, y = u[0], u[1]
        u[0] = ca * x - sa * y
        u[1] = sa * x + ca * y
        return
    # d == 3: polar cosine mu (uniform, or Henyey-Greenstein about the old direction) and
    # azimuth phi = 2 arg(a + ib) from a point uniform in the unit disk (no trigonometry)
    if g == 0.0:
        mu = 2.0 * uniform(s) - 1.0
    else:
        f = (1.0 - g * g) / (1.0 - g + 2.0 * g * uniform(s))
        mu = min(1.0, max(-1.0, (1.0 + g * g - f * f) / (2.0 * g)))
    pa, pb, r2 = disk_point(s)
    cp = (pa * pa - pb * pb) / r2
    sp = 2.0 * pa * pb / r2
    st = math.sqrt(max(0.0, 1.0 - mu * mu))
    if g == 0.0:
        u[0] = st * cp
        u[1] = st * sp
        u[2] = mu
        return
    ux, uy, uz = u[0], u[1], u[2]
    if abs(uz) > 0.99999:
        sgn = 1.0 if uz > 0 else -1.0
        u[0] = st * cp
        u[1] = st * sp
        u[2] = sgn * mu
    else:
        q = math.sqrt(1.0 - uz * uz)
        u[0] = st * (ux * uz * cp - uy * sp) / q + ux * mu
        u[1] = st * (uy * uz * cp + ux * sp) / q + uy * mu
        u[2] = -st * cp * q + uz * mu
    n = 1.0 / math.sqrt(u[0] ** 2 + u[1] ** 2 + u[2] ** 2)
    u[0] *= n
    u[1] *= n
    u[2] *= n


@nb.njit(cache=True, parallel=True)
def walk_blocks(keys, nblocks, d, speed, tau, g, times, rball2, gk_w, k_half):
    """Run ``len(keys)`` walkers and return per-block sums.

    Returns (C1, C2, R1, R2, P1, scal, events): per block and time index the sums of
    ``v(0).v(t)``, its square, ``|x|^2``, ``|x|^4`` and the ball indicator; ``scal[b]`` holds
    sums of the per-walker Green-Kubo integral (``gk_w``-weighted VACF), its square, the
    MSD-slope estimator and its square; ``events[b]`` counts scattering events.
    """
    n = keys.shape[0]
    K = times.shape[0]
    C1 = np.zeros((nblocks, K))
    C2 = np.zeros((nblocks, K))
    R1 = np.zeros((nblocks, K))
    R2 = np.zeros((nblocks, K))
    P1 = np.zeros((nblocks, K))
    scal = np.zeros((nblocks, 4))
    events = np.zeros(nblocks, dtype=np.int64)
    T = times[K - 1]
    for b in nb.prange(nblocks):
        lo = (b * n) // nblocks
        hi = ((b + 1) * n) // nblocks
        s = np.empty(4, dtype=np.uint64)
        u = np.zeros(3)
        u0 = np.zeros(3)
        x = np.zeros(3)
        for w in range(lo, hi):
            seed_state(keys[w], s)
            x[:] = 0.0
            u[:] = 0.0
            if d == 1:
                u[0] = 1.0 if uniform(s) < 0.5 else -1.0
            else:
                u[0] = 1.0
                new_direction(d, 0.0, u, s)  # isotropic initial direction
            u0[:] = u
            t = 0.0
            k = 0
            gk = 0.0
            r2half = 0.0
            nev = 0
            while k < K:
                fl = tau * exponential(s)
                t_end = t + fl
                while k < K and times[k] <= t_end:
                    dt = times[k] - t
                    r2 = 0.0
                    c = 0.0
                    for i in range(d):
                        xi = x[i] + speed * u[i] * dt
                        r2 += xi * xi
                        c += u0[i] * u[i]
                    c *= speed * speed
                    C1[b, k] += c
                    C2[b, k] += c * c
                    R1[b, k] += r2
                    R2[b, k] += r2 * r2
                    if r2 < rball2[k]:
                        P1[b, k] += 1.0
                    gk += gk_w[k] * c
                    if k == k_half:
                        r2half = r2
                    if k == K - 1:
                        slope = (r2 - r2half) / (2.0 * d * (T - times[k_half]))
                        scal[b, 2] += slope
                        scal[b, 3] += slope * slope
                    k += 1
                if k >= K:
                    break
                for i in range(d):
                    x[i] += speed * u[i] * fl
                t = t_end
                new_direction(d, g, u, s)
                nev += 1
            gk /= d
            scal[b, 0] += gk
            scal[b, 1] += gk * gk
            events[b] += nev
    return C1, C2, R1, R2, P1, scal, events
