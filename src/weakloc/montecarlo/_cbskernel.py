"""Compiled photon transport with next-event estimation for coherent backscattering.

Lengths are in units of the scattering mean free path l. Each photon enters along ``s_in``
(unit vector, z > 0 into the medium), scatters at r_1, r_2, ... (Henyey-Greenstein with
mean cosine g) and leaves through z = 0 (or z = thickness). At every scattering event j the
kernel adds, for every detector direction f (unit vector out of the medium, f_z < 0):

* single (j = 1) or ladder (j >= 2): p(e_in . f) exp(-z_j / |f_z|);
* crossed (j >= 2): sqrt(W W') / p_sample cos((k s_in + k f) . (r_1 - r_j)), with W the
  weight of the path and W' that of its time reverse (r_j first, r_1 last).

Absorption (``absorb`` = l / l_a, l_a the ballistic absorption length) is a weight
exp(-s / l_a) on the true path length s (entry, inside, exit; for the crossed term the
geometric mean of the path and its reverse, which share the inside length); free paths are
still drawn with the scattering length. Photons whose weight fell below e^-40 stop.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from weakloc.montecarlo._rng import exponential_outlined, seed_state
from weakloc.montecarlo._walkkernel import new_direction3_outlined

__all__ = ["cbs_blocks", "hg_phase"]

_FOUR_PI = 4.0 * math.pi
_DEEP = 30.0  # events deeper than 30 l contribute < e^-30 relative: skipped


@nb.njit(cache=True)
def hg_phase(g, mu):
    """Henyey-Greenstein phase function per steradian, normalized to 1 over 4 pi."""
    if g == 0.0:
        return 1.0 / _FOUR_PI
    return (1.0 - g * g) / (_FOUR_PI * (1.0 + g * g - 2.0 * g * mu) ** 1.5)


@nb.njit(cache=True, nogil=True)
def cbs_blocks(keys, nblocks, s_in, dets, k, g, thickness, max_orders, absorb=0.0):
    """Per-block sums (and sums of squares) of single, ladder and crossed per detector.

    Returns (S1, S2, L1, L2, X1, X2, stats); ``stats[b]`` = (events, reflected photons,
    transmitted photons, photons stopped at ``max_orders``, photons absorbed).
    """
    n = keys.shape[0]
    nd = dets.shape[0]
    S1 = np.zeros((nblocks, nd))
    S2 = np.zeros((nblocks, nd))
    L1 = np.zeros((nblocks, nd))
    L2 = np.zeros((nblocks, nd))
    X1 = np.zeros((nblocks, nd))
    X2 = np.zeros((nblocks, nd))
    stats = np.zeros((nblocks, 5))
    mu_in = s_in[2]
    ext = 1.0 + absorb
    inv_muf = np.empty(nd)
    Q = np.empty((nd, 3))
    for f in range(nd):
        inv_muf[f] = 1.0 / abs(dets[f, 2])
        for i in range(3):
            Q[f, i] = k * (s_in[i] + dets[f, i])
    for b in range(nblocks):
        lo = (b * n) // nblocks
        hi = ((b + 1) * n) // nblocks
        s = np.empty(4, dtype=np.uint64)
        u = np.zeros(3)
        e1 = np.zeros(3)
        r = np.zeros(3)
        r1 = np.zeros(3)
        lad = np.zeros(nd)
        crs = np.zeros(nd)
        e1fac = np.zeros(nd)
        p_rev_last = np.zeros(nd)
        for w in range(lo, hi):
            seed_state(keys[w], s)
            lad[:] = 0.0
            crs[:] = 0.0
            ell = exponential_outlined(s)
            for i in range(3):
                u[i] = s_in[i]
                r[i] = s_in[i] * ell
                r1[i] = r[i]
            if r[2] > thickness:
                stats[b, 2] += 1.0
                continue
            z1 = r[2]
            # single scattering toward every detector
            for f in range(nd):
                mu = s_in[0] * dets[f, 0] + s_in[1] * dets[f, 1] + s_in[2] * dets[f, 2]
                val = hg_phase(g, mu) * math.exp(-z1 * (ext * inv_muf[f] + absorb / mu_in))
                S1[b, f] += val
                S2[b, f] += val * val
            new_direction3_outlined(g, u, s)
            for i in range(3):
                e1[i] = u[i]
            p_first = hg_phase(g, s_in[0] * e1[0] + s_in[1] * e1[1] + s_in[2] * e1[2])
            for f in range(nd):
                e1fac[f] = math.exp(-0.5 * z1 * (ext * inv_muf[f] + (absorb - 1.0) / mu_in))
                mu = -(e1[0] * dets[f, 0] + e1[1] * dets[f, 1] + e1[2] * dets[f, 2])
                p_rev_last[f] = hg_phase(g, mu)
            order = 1
            inside = 0.0
            while True:
                ell = exponential_outlined(s)
                inside += ell
                for i in range(3):
                    r[i] += u[i] * ell
                if r[2] < 0.0:
                    stats[b, 1] += 1.0
                    break
                if r[2] > thickness:
                    stats[b, 2] += 1.0
                    break
                order += 1
                z = r[2]
                if absorb * inside > 40.0:
                    stats[b, 4] += 1.0
                    break
                if z < _DEEP:
                    hz = math.exp(-0.5 * z * ext / mu_in)
                    wc = math.exp(-absorb * inside)
                    wl = wc * math.exp(-absorb * z1 / mu_in)
                    p_rev_first = hg_phase(g, -(s_in[0] * u[0] + s_in[1] * u[1]
                                                + s_in[2] * u[2]))
                    for f in range(nd):
                        if z * inv_muf[f] > 2.0 * _DEEP:
                            continue
                        mu = u[0] * dets[f, 0] + u[1] * dets[f, 1] + u[2] * dets[f, 2]
                        p_dir = hg_phase(g, mu)
                        h = math.exp(-0.5 * z * inv_muf[f] * ext)
                        lad[f] += p_dir * h * h * wl
                        ph = (Q[f, 0] * (r1[0] - r[0]) + Q[f, 1] * (r1[1] - r[1])
                              + Q[f, 2] * (r1[2] - r[2]))
                        if g == 0.0:
                            amp = p_dir
                        else:
                            amp = math.sqrt(p_dir * p_rev_first * p_rev_last[f] / p_first)
                        crs[f] += amp * h * hz * e1fac[f] * wc * math.cos(ph)
                if order >= max_orders:
                    stats[b, 3] += 1.0
                    break
                new_direction3_outlined(g, u, s)
            stats[b, 0] += order
            for f in range(nd):
                L1[b, f] += lad[f]
                L2[b, f] += lad[f] * lad[f]
                X1[b, f] += crs[f]
                X2[b, f] += crs[f] * crs[f]
    return S1, S2, L1, L2, X1, X2, stats
