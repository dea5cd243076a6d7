"""Compiled vector (polarized) photon transport for coherent backscattering by dipoles.

Point (Rayleigh) dipole scatterers, normal incidence along +z, lengths in units of the
scattering mean free path l. A path r_1, ..., r_j with directions u_1, ..., u_{j-1} between
its events carries the real 3 x 3 matrix M = P(u_{j-1}) ... P(u_1), P(u) = 1 - u u^T (a
dipole radiates the field's part transverse to the new direction). Toward a detector f
with analyzer e_f (transverse to f) the amplitude of the path is e_f^* . M e_in and that of
its time reverse (r_j first, r_1 last) is e_f^* . M^T e_in, because every P is symmetric.

Sampling. M is kept at unit Frobenius norm; each new direction is drawn with density
3 (1 - u^T M M^T u) / (8 pi), by rejection from the isotropic law (acceptance 2/3), which
is the dipole phase function summed over both input polarizations of the current M. With
it the weight of every path is exactly 3 (the norm of the starting matrix, the identity),
so intensities are 3 x 3 / (8 pi) x |amplitude|^2 with no weight to carry.

Channels (detector k_f = (-sin t, 0, -cos t) in the x-z plane, p = (cos t, 0, -sin t)):
0 linear parallel (e_in = x, analyzer p), 1 linear perpendicular (analyzer y),
2 helicity preserving (e_in = (x + i y)/sqrt 2, analyzer (p - i y)/sqrt 2),
3 helicity flip (analyzer (p + i y)/sqrt 2).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from weakloc.montecarlo._rng import exponential, seed_state, uniform
from weakloc.montecarlo._walkkernel import isotropic3

__all__ = ["polarized_blocks"]

_DIPOLE = 3.0 / (8.0 * math.pi)  # dipole phase function: 3 |P e|^2 / (8 pi) per sr
_DEEP = 30.0


@nb.njit(cache=True, inline="always")
def _amplitudes(m, px, pz, ad, ar):
    """Fill ``ad`` / ``ar`` with the channel amplitudes of the path and of its reverse."""
    a = px * m[0, 0] + pz * m[2, 0]
    b = m[1, 0]
    c = px * m[0, 1] + pz * m[2, 1]
    d = m[1, 1]
    rr = px * m[0, 0] + pz * m[0, 2]
    br = m[0, 1]
    cr = px * m[1, 0] + pz * m[1, 2]
    dr = m[1, 1]
    ad[0] = a
    ad[1] = b
    ad[2] = 0.5 * complex(a - d, c + b)
    ad[3] = 0.5 * complex(a + d, c - b)
    ar[0] = rr
    ar[1] = br
    ar[2] = 0.5 * complex(rr - dr, cr + br)
    ar[3] = 0.5 * complex(rr + dr, cr - br)


@nb.njit(cache=True, nogil=True)
def polarized_blocks(keys, nblocks, dets, k, thickness, max_orders):
    """Per-block sums and sums of squares, shape (nblocks, 4 channels, detectors).

    Returns (S1, S2, L1, L2, X1, X2, stats) as :func:`._cbskernel.cbs_blocks` does, with a
    channel axis; ``stats[b]`` = (events, reflected, transmitted, stopped).
    """
    n = keys.shape[0]
    nd = dets.shape[0]
    S1 = np.zeros((nblocks, 4, nd))
    S2 = np.zeros((nblocks, 4, nd))
    L1 = np.zeros((nblocks, 4, nd))
    L2 = np.zeros((nblocks, 4, nd))
    X1 = np.zeros((nblocks, 4, nd))
    X2 = np.zeros((nblocks, 4, nd))
    stats = np.zeros((nblocks, 4))
    inv_muf = np.empty(nd)
    px = np.empty(nd)
    pz = np.empty(nd)
    qx = np.empty(nd)
    qz = np.empty(nd)
    for f in range(nd):
        inv_muf[f] = 1.0 / abs(dets[f, 2])
        # analyzer in the plane: p = (cos t, 0, -sin t) for dets = (-sin t, 0, -cos t)
        px[f] = -dets[f, 2]
        pz[f] = dets[f, 0]
        qx[f] = k * dets[f, 0]
        qz[f] = k * (1.0 + dets[f, 2])
    w3 = 3.0 * _DIPOLE
    for b in range(nblocks):
        lo = (b * n) // nblocks
        hi = ((b + 1) * n) // nblocks
        s = np.empty(4, dtype=np.uint64)
        m = np.empty((3, 3))
        lad = np.zeros((4, nd))
        crs = np.zeros((4, nd))
        amp_d = np.empty(4, dtype=np.complex128)
        amp_r = np.empty(4, dtype=np.complex128)
        ef = np.empty(nd)
        for w in range(lo, hi):
            seed_state(keys[w], s)
            lad[:, :] = 0.0
            crs[:, :] = 0.0
            z1 = exponential(s)
            if z1 > thickness:
                stats[b, 2] += 1.0
                continue
            x = 0.0
            y = 0.0
            z = z1
            r3 = 1.0 / math.sqrt(3.0)
            for i in range(3):
                for j in range(3):
                    m[i, j] = r3 if i == j else 0.0
            for f in range(nd):
                # end-point attenuations of the reversed path relative to the sampled one
                ef[f] = math.exp(-0.5 * z1 * (inv_muf[f] - 1.0))
                _amplitudes(m, px[f], pz[f], amp_d, amp_r)
                att = math.exp(-z1 * inv_muf[f])
                for ch in range(4):
                    val = w3 * (amp_d[ch].real ** 2 + amp_d[ch].imag ** 2) * att
                    S1[b, ch, f] += val
                    S2[b, ch, f] += val * val
            order = 1
            while True:
                # new direction from the dipole law of the current M (rejection)
                while True:
                    ux, uy, uz = isotropic3(s)
                    t0 = ux * m[0, 0] + uy * m[1, 0] + uz * m[2, 0]
                    t1 = ux * m[0, 1] + uy * m[1, 1] + uz * m[2, 1]
                    t2 = ux * m[0, 2] + uy * m[1, 2] + uz * m[2, 2]
                    q = t0 * t0 + t1 * t1 + t2 * t2
                    if uniform(s) < 1.0 - q:
                        break
                # M <- P(u) M, back to unit norm. The norm is summed afresh (not taken as
                # 1 - q): M tends to rank one along a path, where 1 - q loses digits and a
                # norm carried from step to step would drift away from 1.
                nrm2 = 0.0
                for i in range(3):
                    ui = ux if i == 0 else (uy if i == 1 else uz)
                    for j in range(3):
                        tj = t0 if j == 0 else (t1 if j == 1 else t2)
                        mij = m[i, j] - ui * tj
                        m[i, j] = mij
                        nrm2 += mij * mij
                inv = 1.0 / math.sqrt(nrm2)
                for i in range(3):
                    for j in range(3):
                        m[i, j] *= inv
                ell = exponential(s)
                x += ux * ell
                y += uy * ell
                z += uz * ell
                if z < 0.0:
                    stats[b, 1] += 1.0
                    break
                if z > thickness:
                    stats[b, 2] += 1.0
                    break
                order += 1
                if z < _DEEP:
                    hz = math.exp(-0.5 * z)
                    for f in range(nd):
                        if z * inv_muf[f] > 2.0 * _DEEP:
                            continue
                        h = math.exp(-0.5 * z * inv_muf[f])
                        # phase (k_i + k_f) . (r_1 - r_j), r_1 = (0, 0, z1)
                        ph = qx[f] * (0.0 - x) + qz[f] * (z1 - z)
                        cph = math.cos(ph)
                        sph = math.sin(ph)
                        _amplitudes(m, px[f], pz[f], amp_d, amp_r)
                        for ch in range(4):
                            ad = amp_d[ch]
                            ar = amp_r[ch]
                            lad[ch, f] += w3 * (ad.real * ad.real + ad.imag * ad.imag) * h * h
                            re = ad.real * ar.real + ad.imag * ar.imag
                            im = ad.imag * ar.real - ad.real * ar.imag
                            crs[ch, f] += w3 * (re * cph - im * sph) * h * hz * ef[f]
                if order >= max_orders:
                    stats[b, 3] += 1.0
                    break
            stats[b, 0] += order
            for ch in range(4):
                for f in range(nd):
                    L1[b, ch, f] += lad[ch, f]
                    L2[b, ch, f] += lad[ch, f] ** 2
                    X1[b, ch, f] += crs[ch, f]
                    X2[b, ch, f] += crs[ch, f] ** 2
    return S1, S2, L1, L2, X1, X2, stats
